"""Domain errors that callers turn into short messages or HTTP 4xx responses."""

from __future__ import annotations

from typing import Any


class SynqError(Exception):
    """Base class of every error SynQ raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """How IPython shows it: one line, not a traceback through SynQ's code (a refused
        request, a failed job, a server that is down: nothing in the code to debug)."""
        return [f"{type(self).__name__}: {self}"]


class SynqInputError(SynqError, ValueError):
    """The caller's input is wrong: a circuit that does not parse, a bad option.

    Args:
        message: What is wrong, in words a user can act on.
        field: The request field the input came from (``"source"``, ``"seed"`` ...).
        line: 1-based line of the source where the problem is, if known.
        column: 1-based column of the source where the problem is, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments do not survive Exception's default pickling, and these
        # errors cross process boundaries (worker pools, Dask).
        return (_rebuild, (type(self), self.message, self.field, self.line, self.column))

    def _render_traceback_(self) -> list[str]:
        """How IPython shows it: one line naming the field, not a traceback through SynQ's
        code (the input was wrong, not the code)."""
        text = str(self)
        if self.field and self.line is None and not _names(text, self.field):
            text = f"{self.field}: {text}"
        return [f"{type(self).__name__}: {text}"]

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


def _names(text: str, field: str) -> bool:
    """Whether ``text`` starts by naming ``field`` or a part of it (``edges[0] is ...``)."""
    return text.startswith(field) and text[len(field) : len(field) + 1] in ("", ":", " ", "[", ".")


class SynqTypeError(SynqInputError, TypeError):
    """An argument of the wrong type (a number where a circuit goes); still a
    ``TypeError`` for code that catches one."""


class SynqSyntaxError(SynqInputError):
    """A circuit source (SynQ, OpenQASM 2 or 3) that does not parse or is not allowed."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = "source",
    ) -> None:
        super().__init__(message, field=field, line=line, column=column)


class TargetError(SynqInputError):
    """An unknown target, or a circuit that does not fit the chosen target."""

    def __init__(self, message: str, *, field: str | None = "target") -> None:
        super().__init__(message, field=field)


def _rebuild(
    cls: type[SynqInputError],
    message: str,
    field: str | None,
    line: int | None,
    column: int | None,
) -> SynqInputError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.message = message
    error.field = field
    error.line = line
    error.column = column
    return error


def picklable(exc: Exception) -> Exception:
    """``exc``, or a ``RuntimeError`` naming it when it cannot be pickled: what a worker or
    helper process sends back in place of an error that could not travel."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
