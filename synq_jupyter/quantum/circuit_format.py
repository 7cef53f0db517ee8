"""Tell SynQ, OpenQASM 2 and OpenQASM 3 sources apart."""

from __future__ import annotations

import re
from typing import Literal, get_args

from synq_jupyter.errors import SynqSyntaxError

CircuitFormat = Literal["synq", "qasm2", "qasm3"]
FORMATS: tuple[str, ...] = get_args(CircuitFormat)

_VERSION = re.compile(r"^\s*OPENQASM\s+(\d+)(?:\.\d+)?\s*;", re.MULTILINE)
_QASM2_HINTS = re.compile(r"^\s*(qreg|creg)\s+\w+\s*\[|qelib1\.inc", re.MULTILINE)
_QASM3_HINTS = re.compile(r"^\s*(qubit|bit)\s*\[\s*\d+\s*\]\s*\w+\s*;|stdgates\.inc", re.MULTILINE)


def _strip_comments(source: str) -> str:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    return re.sub(r"//[^\n]*", "", source)


def detect_format(source: str) -> CircuitFormat:
    """Returns the format of ``source``.

    An ``OPENQASM 2.x;`` or ``OPENQASM 3.x;`` header decides; without one, OpenQASM 2
    register declarations (``qreg q[2];``) or OpenQASM 3 ones (``qubit[2] q;``) decide;
    anything else is SynQ (whose declarations read ``qubit q[2]``).
    """
    text = _strip_comments(source)
    header = _VERSION.search(text)
    if header:
        return "qasm2" if header.group(1) == "2" else "qasm3"
    if _QASM2_HINTS.search(text):
        return "qasm2"
    if _QASM3_HINTS.search(text):
        return "qasm3"
    return "synq"


def check_version(source: str, format: CircuitFormat) -> None:
    """Refuses an OpenQASM header that is not the format's version (``OPENQASM 5.0;`` was
    read as an empty OpenQASM 3 program; ``OPENQASM 2.0;`` sent as ``qasm3`` failed on its
    include), naming the header's line.

    Raises:
        SynqSyntaxError: The header names another version.
    """
    if format == "synq":
        return
    text = _strip_comments(source)
    header = _VERSION.search(text)
    if header is None or header.group(1) == format[-1]:
        return
    line = text.count("\n", 0, header.start(1)) + 1
    version = f"OPENQASM {header.group(1)}"
    if header.group(1) in ("2", "3"):
        hint = f"send it as format qasm{header.group(1)}, or leave the format out"
    else:
        hint = "SynQ reads OpenQASM 2 and 3"
    raise SynqSyntaxError(f"the header says {version}, not {format}: {hint}", line=line)
