"""Parse SynQ source text with the lark grammar, turning every parse failure into one message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.lalr_parser import lalr_parser
from synq_jupyter.quantum.synq_lang.syntax_tree import Statement
from synq_jupyter.quantum.synq_lang.tree_builder import build_program

if TYPE_CHECKING:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

_GRAMMAR = Path(__file__).with_name("grammar.lark")

STATEMENT_KEYWORDS = ("qubit", "quantum", "measure", "if", "let", "fn", "kernel", "call", "#[")

_TERMINAL_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a quoted string ("...")',
    "MULOP": "'*', '/'",
    "_NL": "end of line",
    "$END": "end of input",
}
_BRACES = re.compile(r'"[^"\n]*"|//[^\n]*|[{}]')


def parse_source(source: str) -> tuple[Statement, ...]:
    """Parse a SynQ program into its syntax tree.

    Args:
        source: The program text.

    Returns:
        The top-level statements, in source order.

    Raises:
        SynqSyntaxError: The text does not follow the grammar; the error names the line and
            column of the first offending token.
    """
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken

    text = source if source.endswith("\n") else source + "\n"
    try:
        tree = lalr_parser(_GRAMMAR).parse(text)
    except UnexpectedToken as exc:
        raise _token_error(exc, text) from None
    except UnexpectedCharacters as exc:
        raise _character_error(exc, text) from None
    except LarkError:
        raise SynqSyntaxError("the program could not be parsed", line=1, column=1) from None
    return build_program(tree)


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    pattern = lalr_parser(_GRAMMAR).get_terminal(name).pattern
    return f"'{pattern.value}'" if pattern.type == "str" else name.lower()


MAX_QUOTED = 40
"""Characters of a token an error message quotes."""


def _describe_token(token_type: str, value: str) -> str:
    if len(value) > MAX_QUOTED:
        value = value[:MAX_QUOTED] + "…"
    if token_type in ("_NL", "$END"):
        return _TERMINAL_WORDS[token_type]
    if token_type == "NAME":
        return f"name '{value}'"
    if token_type == "NUMBER":
        return f"number {value}"
    return f"'{value}'"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _token_error(exc: UnexpectedToken, text: str) -> SynqSyntaxError:
    token = exc.token
    line, column = token.line or 1, token.column or 1
    expected = sorted(exc.expected)
    if token.type == "$END":
        brace = _unclosed_brace(text)
        if brace is not None:
            return SynqSyntaxError(
                "this '{' is never closed; end the body with '}'", line=brace[0], column=brace[1]
            )
        return SynqSyntaxError("the program ends in the middle of a statement", line=line)
    if token.type == "NAME" and "QUANTUM" in expected and "LET" in expected:
        return SynqSyntaxError(
            f"unknown statement {_describe_token('', str(token))}; a statement starts with "
            + _join(list(STATEMENT_KEYWORDS)),
            line=line,
            column=column,
        )
    message = f"unexpected {_describe_token(token.type, str(token))}"
    if "THEN" in expected:  # within an if's condition: what is missing is most likely 'then'
        return SynqSyntaxError(
            message + "; an if needs 'then' before its gate (if c then quantum x q[0])",
            line=line,
            column=column,
        )
    words = sorted({_describe_terminal(name) for name in expected})
    if 0 < len(words) <= 6:
        message += f"; expected {_join(words)}"
    return SynqSyntaxError(message, line=line, column=column)


def _character_error(exc: UnexpectedCharacters, text: str) -> SynqSyntaxError:
    position = exc.pos_in_stream or 0
    char = text[position] if 0 <= position < len(text) else "?"
    message = f"unexpected character {char!r}"
    if char == "#":
        message += "; comments start with //"
    elif char == '"':
        message = 'this string is not closed; end it with " on the same line'
    return SynqSyntaxError(message, line=exc.line, column=exc.column)


def _unclosed_brace(text: str) -> tuple[int, int] | None:
    """Line and column of the last '{' that no '}' closes, skipping comments and strings."""
    open_braces: list[int] = []
    for match in _BRACES.finditer(text):
        if match.group() == "{":
            open_braces.append(match.start())
        elif match.group() == "}" and open_braces:
            open_braces.pop()
    if not open_braces:
        return None
    offset = open_braces[-1]
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
