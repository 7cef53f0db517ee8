"""Read a plain-English description such as "5-qubit GHZ state" into a synthesis spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.lalr_parser import lalr_parser
from synq_jupyter.quantum.synthesis.spec import SynthesisSpec

if TYPE_CHECKING:
    from lark import Token, Tree

_GRAMMAR = Path(__file__).with_name("english.lark")
MAX_LENGTH = 500

UNDERSTOOD_FORMS = (
    "5-qubit GHZ state",
    "GHZ state on 5 qubits",
    "Bell pair",
    "W state on 3 qubits",
    "QFT on 4 qubits without swaps",
    "inverse QFT on 3 qubits",
    "Grover search for 101",
    "Grover search for (a & b) | ~c with 2 iterations",
    "3-bit ripple-carry adder",
    "permutation 2 0 1",
)
"""Examples of every form the parser reads, shown when a description does not parse."""

_NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight"),
    *("nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
)


def parse_description(text: str) -> SynthesisSpec:
    """Reads a description of a circuit into a spec.

    Keywords may be in any case and plural, and ``a``, ``an`` or ``the`` may stand before a
    noun phrase: ``"a 5-qubit GHZ state"``, ``"the inverse QFT on 3 qubits"``,
    ``"Grover's search for the bitstring 0110 with 3 iterations"``. State preparations,
    unitaries and Clifford circuits need their data and so only come as structured specs.

    Args:
        text: The description, one of the forms of ``UNDERSTOOD_FORMS``.

    Returns:
        The checked spec.

    Raises:
        SynqInputError: With ``field="description"``: the text does not parse (the message
            lists the forms understood), or it asks for something out of range.
    """
    from lark.exceptions import UnexpectedInput

    if not isinstance(text, str) or not text.strip():
        raise _not_understood("the description is empty")
    if len(text) > MAX_LENGTH:
        raise SynqInputError(
            f"a description is at most {MAX_LENGTH} characters", field="description"
        )
    try:
        tree = lalr_parser(_GRAMMAR).parse(text)
    except UnexpectedInput as exc:
        at_end = getattr(getattr(exc, "token", None), "type", None) == "$END"
        column = None if at_end else exc.column
        raise _not_understood(_what_went_wrong(exc, text), column=column) from None
    description = next(child for child in tree.children if not isinstance(child, str))
    try:
        return SynthesisSpec.from_dict(_spec_data(description, text))
    except SynqInputError as exc:
        raise SynqInputError(f"in {text.strip()!r}: {exc.message}", field="description") from None


def _not_understood(reason: str, *, column: int | None = None) -> SynqInputError:
    forms = "; ".join(f'"{form}"' for form in UNDERSTOOD_FORMS)
    return SynqInputError(
        f"{reason}. Descriptions SynQ understands look like: {forms}. State preparations, "
        "unitaries and Clifford circuits take a structured spec instead.",
        field="description",
        column=column if column is not None and column > 0 else None,
    )


def _what_went_wrong(exc: Exception, text: str) -> str:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return f"{text.strip()!r} ends too early"
        return f"cannot read {text.strip()!r} from {str(exc.token)!r} (column {exc.column})"
    if isinstance(exc, UnexpectedCharacters):
        found = text[exc.pos_in_stream or 0]
        return f"cannot read {text.strip()!r} from {found!r} (column {exc.column})"
    return f"cannot read {text.strip()!r}"


def _spec_data(tree: Tree[Token], text: str) -> dict[str, Any]:
    parts = {str(child.data): child for child in _subtrees(tree)}
    kind = str(tree.data)
    if kind == "bell":
        return {"kind": "ghz", "num_qubits": 2}
    if kind in ("ghz", "w_state"):
        return {"kind": kind, "num_qubits": _count(parts, "qubit_count", "qubits")}
    if kind == "qft":
        data: dict[str, Any] = {
            "kind": "qft",
            "num_qubits": _count(parts, "qubit_count", "qubits"),
            "inverse": "inverse" in parts,
        }
        if "with_swaps" in parts or "without_swaps" in parts:
            data["swaps"] = "with_swaps" in parts
        return data
    if kind == "grover":
        data = {"kind": "grover", "oracle": _oracle(_subtrees(tree)[0], text)}
        if "iterations" in parts:
            data["iterations"] = _number(_tokens(parts["iterations"])[0])
        return data
    if kind == "adder":
        return {"kind": "adder", "num_bits": _count(parts, "bit_count", "bits")}
    return {"kind": "permutation", "pattern": [int(value) for value in _tokens(parts["pattern"])]}


def _subtrees(tree: Tree[Token]) -> list[Tree[Token]]:
    return [child for child in tree.children if not isinstance(child, str)]


def _tokens(tree: Tree[Token]) -> list[Token]:
    """The tokens directly under ``tree``, leaving out a leading article "a"."""
    return [child for child in tree.children if isinstance(child, str) and child.type != "A"]


def _count(parts: dict[str, Tree[Token]], *names: str) -> int:
    tree = next(parts[name] for name in names if name in parts)
    return _number(_tokens(tree)[0])


def _number(token: Token) -> int:
    if token.type == "NUMBER_WORD":
        return _NUMBER_WORDS.index(token.lower())
    return int(token)


def _oracle(tree: Tree[Token], text: str) -> str:
    if tree.data == "expression":
        return text[tree.meta.start_pos : tree.meta.end_pos]
    token = str(tree.children[-1])
    return token[1:-1] if tree.data == "quoted" else token
