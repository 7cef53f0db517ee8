"""Names a forgotten ``;`` in OpenQASM where it was forgotten, not where the parser noticed.

A parser meets a missing ``;`` only at the next token, usually on a later line: Qiskit's
OpenQASM 2 reader says "needed ';'" at the next statement, the OpenQASM 3 one "unexpected
'cx'". The diagnosis is checked, not guessed: the ``;`` is put back and the source parsed
again, and only if that gets further is the error rewritten to point at the end of the
statement that lacks it.
"""

from __future__ import annotations

from collections.abc import Callable

from synq_jupyter.errors import SynqSyntaxError

QUOTED = 40
"""Characters of the unfinished statement quoted in the message."""


def name_missing_semicolon(
    source: str, error: SynqSyntaxError, parse: Callable[[str], object]
) -> SynqSyntaxError:
    """``error``, or a clearer one if a ``;`` missing before it explains it.

    Args:
        source: The OpenQASM text that failed.
        error: What the parser reported, with its 1-based line and column.
        parse: Parses a source, raising ``SynqSyntaxError`` (positioned) if it fails.
    """
    if error.line is None or error.column is None:
        return error
    lines = source.splitlines()
    # At the end of the source the parsers' positions vary: take the end itself.
    at_end = any(words in str(error) for words in ("end-of-file", "end of the program"))
    noticed = (len(lines) + 1, 1) if at_end else (error.line, error.column)
    end = _last_code_before(lines, *noticed)
    if end is None or end[0] == noticed[0]:
        return error  # the statement is on the error's own line: a different mistake
    line, column = end
    text = lines[line - 1]
    if text[column - 1] in ";{}":
        return error
    fixed = [*lines[: line - 1], text[:column] + ";" + text[column:], *lines[line:]]
    try:
        parse("\n".join(fixed))
    except SynqSyntaxError as again:
        if again.line is None or (again.line, again.column or 0) <= noticed:
            return error  # no further with the ';': not what was wrong
    statement = _code(text)[:column].strip()
    if len(statement) > QUOTED:
        statement = "…" + statement[-QUOTED:]
    return SynqSyntaxError(f"missing ';' at the end of {statement!r}", line=line, column=column + 1)


def _last_code_before(lines: list[str], line: int, column: int) -> tuple[int, int] | None:
    """The 1-based position of the last character of code (not space, not a ``//``
    comment) before ``line``:``column``."""
    for number in range(min(line, len(lines)), 0, -1):
        code = _code(lines[number - 1])
        if number == line:
            code = code[: column - 1]
        code = code.rstrip()
        if code:
            return number, len(code)
    return None


def _code(text: str) -> str:
    """A line without its ``//`` comment."""
    return text.split("//", 1)[0]
