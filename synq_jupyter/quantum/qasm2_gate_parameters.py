"""Finds an OpenQASM 2 gate called without the parameters it takes (``rx q[0];``).

Qiskit's reader counts a call's parameters only when it has parentheses: ``rx() q[0];`` is
refused at its line, but ``rx q[0];`` reaches the gate's constructor, which fails with a bare
``TypeError`` ("RXGate.__init__() missing 1 required positional argument: 'theta'"); a gate
of the program's own, or a call inside a ``gate`` body, is built with no parameters at all,
to fail only when the circuit is transpiled. The statements are read here, in order, as
Qiskit does, with the gates known at each point.
"""

from __future__ import annotations

import re
from functools import cache

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.qasm_limits import code_only, line_and_column

_STATEMENT = re.compile(r"[^;{}]+")
"""A statement, or the head of a ``gate`` up to its body's ``{``."""
_CALL = re.compile(r"\s*(?:if\s*\([^)]*\)\s*)?([A-Za-z_]\w*)\s*(\(?)")
_DEFINITION = re.compile(r"(?:gate|opaque)\s+([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?")
_QELIB1 = re.compile(r'include\s*"qelib1\.inc"')
_DEFINES_GATES = re.compile(r"\b(?:gate|opaque)\s")
_NOT_CALLS = frozenset({"OPENQASM", "qreg", "creg", "measure", "reset", "barrier"})


_QELIB1_NAMES = """
    u3 u2 u1 cx id u0 u p x y z h s sdg t tdg rx ry rz sx sxdg cz cy swap ch ccx cswap crx cry
    crz cu1 cp cu3 csx cu rxx rzz rccx rc3x c3x c3sqrtx c4x
"""
QELIB1_GATES = frozenset(_QELIB1_NAMES.split())
"""The gates Qiskit's ``qelib1.inc`` defines."""


@cache
def _parameter_counts() -> tuple[dict[str, int], dict[str, int]]:
    """The gates usable anywhere, and those ``include "qelib1.inc"`` adds, by parameters."""
    from qiskit import qasm2

    anywhere = {"U": 3, "CX": 0}
    included: dict[str, int] = {}
    for gate in qasm2.LEGACY_CUSTOM_INSTRUCTIONS:
        (anywhere if gate.builtin else included)[gate.name] = gate.num_params
    return anywhere, included


def check_qasm2_gate_parameters(source: str, *, built: bool) -> None:
    """Refuses the first call of a gate that takes parameters but is given none.

    Args:
        source: An OpenQASM 2 program that Qiskit's reader has parsed.
        built: Whether Qiskit built the circuit: then only a program that defines gates
            can hold such a call, and any other is not read again.

    Raises:
        SynqSyntaxError: Naming the line and column of the gate's name.
    """
    if built and not _DEFINES_GATES.search(source):
        return
    code = code_only(source)
    anywhere, included = _parameter_counts()
    known = dict(anywhere)
    for statement in _STATEMENT.finditer(code):
        call = _CALL.match(statement.group())
        if call is None:
            continue
        word = call.group(1)
        if word in ("gate", "opaque"):
            definition = _DEFINITION.match(code, statement.start() + call.start(1))
            if definition is not None:
                name, parameters = definition.groups()
                known[name] = len([p for p in (parameters or "").split(",") if p.strip()])
        elif word == "include":
            if _QELIB1.match(source, statement.start() + call.start(1)):
                known.update(included)
        elif word not in _NOT_CALLS and not call.group(2) and known.get(word, 0):
            takes = known[word]
            line, column = line_and_column(code, statement.start() + call.start(1))
            noun = "parameter" if takes == 1 else "parameters"
            raise SynqSyntaxError(
                f"'{word}' takes {takes} {noun}, but got 0", line=line, column=column
            )
