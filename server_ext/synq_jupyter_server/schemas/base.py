"""Shared pieces of the API schemas."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

PROTECTED_FIELDS = frozenset({"role", "org_id", "owner"})
"""Who owns a thing, where and in which role comes from the request's identity, never from
its body: a request model that does not declare one of these drops it unread."""


def _shown_name(text: str) -> str:
    """A name people read in lists and logs: not blank, no spaces around it (" bob " and
    "bob" would be two members), and no control or formatting characters (a right-to-left
    override makes a list show another name than the one stored)."""
    if not text.strip():
        raise ValueError("a name is not only spaces")
    if text != text.strip():
        raise ValueError("a name has no spaces at its ends")
    if invisible(text):
        raise ValueError("a name is printable text, without control or formatting characters")
    return text


DisplayName = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_shown_name)]
"""The name of an organisation, a member, an API key or a model."""


def _plain_text(text: str) -> str:
    if invisible(text.replace("\n", "").replace("\t", "")):
        raise ValueError(
            "printable text: no control or formatting characters but line breaks and tabs"
        )
    return text


PlainText = Annotated[str, AfterValidator(_plain_text)]
"""Free text people read (a note): lines and tabs, but no NUL (which PostgreSQL cannot
store), other control characters or bidi overrides."""


def invisible(text: str) -> bool:
    """Whether ``text`` holds control or formatting characters (zero-width, bidi overrides)."""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def _written_in_digits(value: Any) -> Any:
    # Lax int() would also read " 1", "1_0" (as 10) and other scripts' digits.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("a whole number, written in the digits 0-9")
    return value


QueryCount = Annotated[int, BeforeValidator(_written_in_digits)]
"""A whole number in a query string (``limit``, ``after``)."""


def _in_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is in year 0 in UTC
        raise ValueError("out of range in UTC: before year 1 or after year 9999") from None


def _written_as_a_date(value: Any) -> Any:
    if isinstance(value, int | float | str) and _NUMBER.fullmatch(str(value).strip()):
        raise ValueError("give an ISO 8601 time, such as 2026-11-27T09:00:00Z")
    return value


_NUMBER = re.compile(r"[-+]?\d+(\.\d*)?")

UtcDatetime = Annotated[datetime, BeforeValidator(_written_as_a_date), AfterValidator(_in_utc)]
"""An instant written as ISO 8601 (pydantic would also read ``since=1`` as a Unix time, which
the docs do not offer and nobody means), in UTC (without an offset, it is UTC already): one
that has no UTC equivalent (year 1 east of UTC, year 9999 west of it) is refused naming the
field, rather than failing later where it is compared."""


class Request(BaseModel):
    """A request body: unknown fields are refused and types are not coerced, except the
    ``PROTECTED_FIELDS``, which are ignored (no mass assignment, no error to probe with).
    Numbers must be finite: ``NaN``, ``Infinity`` and overflowing literals (``1e400``) are
    refused, not carried into a computation."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _ignore_protected(cls, data: Any) -> Any:
        if isinstance(data, dict):
            dropped = (PROTECTED_FIELDS - cls.model_fields.keys()) & data.keys()
            if dropped:
                return {k: v for k, v in data.items() if k not in dropped}
        return data


class EmptyBody(Request):
    """The body of a route that takes no fields: ``{}``, or none at all. Any field is refused
    by name, as on every other route, rather than ignored."""


class Response(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="ignore")


class FieldError(Response):
    """One invalid field of a request. For a circuit source, ``line`` and ``column`` say
    where (1-based, as the source was sent), and ``message`` what is wrong there."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None


class Problem(Response):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
    correlation_id: str | None = None
