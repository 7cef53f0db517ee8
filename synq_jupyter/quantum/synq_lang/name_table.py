"""The one namespace of a SynQ program: registers, measured names, lets, fns and kernels."""

from __future__ import annotations

from dataclasses import dataclass

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang.syntax_tree import Ident

EMITTED_KINDS = frozenset({"register", "measured name"})
"""Kinds of name that appear in the OpenQASM 3 output and so must not clash with it."""

_QASM_WORDS = """
    OPENQASM include defcalgrammar def cal defcal gate extern box let break continue if else
    end return for while in switch case default nop pragma input output const readonly mutable
    qreg qubit creg bool bit int uint float angle complex array void duration stretch gphase
    inv pow ctrl negctrl dim durationof delay reset measure barrier true false pi tau euler
    sizeof U CX p x y z h s sdg t tdg sx rx ry rz cx cy cz cp crx cry crz ch swap ccx cswap cu
    phase cphase id u1 u2 u3
"""
QASM_RESERVED = frozenset(_QASM_WORDS.split())
"""Names the OpenQASM 3 output already uses: its keywords and the gates of stdgates.inc."""


@dataclass(frozen=True)
class NameEntry:
    """What a name means and where it was defined."""

    kind: str
    line: int


class NameTable:
    """Every global name of a program, each defined once."""

    def __init__(self) -> None:
        self._entries: dict[str, NameEntry] = {}

    def get(self, name: str) -> NameEntry | None:
        """The entry for ``name``, or None if it is not defined (yet)."""
        return self._entries.get(name)

    def kind(self, name: str) -> str | None:
        """What ``name`` is (``"let"``, ``"kernel"`` ...), or None if it is not defined."""
        entry = self._entries.get(name)
        return entry.kind if entry else None

    def define(self, ident: Ident, kind: str) -> None:
        """Define a new global name.

        Args:
            ident: The name as written at its definition.
            kind: ``"register"``, ``"measured name"``, ``"let"``, ``"fn"`` or ``"kernel"``.

        Raises:
            SynqSyntaxError: The name is already defined, or it would clash with OpenQASM 3.
        """
        name = ident.name
        earlier = self._entries.get(name)
        if earlier is not None:
            if kind == earlier.kind == "measured name":
                message = (
                    f"{name} is already measured on line {earlier.line}; measure into a new name"
                )
            elif kind == earlier.kind:
                message = f"{kind} {name} is already defined on line {earlier.line}"
            else:
                message = (
                    f"{name} is already defined on line {earlier.line} as a {earlier.kind}; "
                    f"choose another name for this {kind}"
                )
            raise SynqSyntaxError(message, line=ident.line, column=ident.column)
        if kind in EMITTED_KINDS and name in QASM_RESERVED:
            raise SynqSyntaxError(
                f"'{name}' is reserved in OpenQASM 3; choose another name for this {kind}",
                line=ident.line,
                column=ident.column,
            )
        self._entries[name] = NameEntry(kind, ident.line)
