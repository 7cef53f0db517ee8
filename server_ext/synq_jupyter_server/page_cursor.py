"""Page cursors: opaque to clients; to the server, the last row's sort keys as a base64url
JSON list, named after the list they page. Checked when read: a forged cursor is a 422
naming ``cursor``, never a database error (an id past 64 bits, ``true`` for an id)."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from synq_jupyter.errors import SynqInputError

MAX_ROW_ID = 2**63 - 1
"""The largest id a database row has (a signed 64-bit integer)."""
REFUSED = "the cursor is not one this API returned"


def encode_cursor(pages: str, *keys: Any) -> str:
    """The cursor after a row whose sort keys are ``keys`` in the list named ``pages``."""
    raw = json.dumps([pages, *keys]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, pages: str, *kinds: type) -> list[Any]:
    """The keys ``encode_cursor`` wrote for ``pages``, one per kind: ``int`` a row id from 0
    to ``MAX_ROW_ID``, ``datetime`` an ISO timestamp (returned as a datetime), ``str`` text.

    Raises:
        SynqInputError: ``cursor`` is not one of this list's (field ``cursor``).
    """
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise SynqInputError(REFUSED, field="cursor") from exc
    if not isinstance(values, list) or values[:1] != [pages] or len(values) != len(kinds) + 1:
        raise SynqInputError(REFUSED, field="cursor")
    return [_checked(value, kind) for value, kind in zip(values[1:], kinds, strict=True)]


def _checked(value: Any, kind: type) -> Any:
    if kind is int and type(value) is int and 0 <= value <= MAX_ROW_ID:
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is datetime and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise SynqInputError(REFUSED, field="cursor")
