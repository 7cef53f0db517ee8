"""Idempotency keys: the same key repeats a request's answer, and only for that request."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from synq_jupyter.errors import SynqInputError

MAX_KEY_LENGTH = 255
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Idempotency:
    """A request's ``Idempotency-Key`` and the fingerprint of what it asked for.

    A repeated key returns the job the first request created; a key sent again with a
    different request (another route, organisation or body) is refused, since the answer it
    would repeat is not the one asked for.
    """

    key: str
    digest: str

    @classmethod
    def of(cls, key: str, route: str, body: dict[str, Any]) -> Idempotency:
        """``key`` as sent; ``route`` says where the request went (its path and
        organisation), ``body`` what it asked.

        Raises:
            SynqInputError: The key is blank or longer than ``MAX_KEY_LENGTH``.
        """
        if not key.strip():
            raise SynqInputError(
                "the key is empty; send a unique key, or leave the header out", field=HEADER
            )
        if len(key) > MAX_KEY_LENGTH:
            raise SynqInputError(
                f"the key is {len(key)} characters; at most {MAX_KEY_LENGTH} are allowed",
                field=HEADER,
            )
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return cls(key, hashlib.sha256(f"{route}\n{canonical}".encode()).hexdigest())

    def check(self, job_id: str, digest: str | None) -> None:
        """Refuses this key's reuse if the job it names came from another request.

        Raises:
            SynqInputError: ``digest`` (the first request's) differs.
        """
        if digest is not None and digest != self.digest:
            raise SynqInputError(
                f"this {HEADER} was used for a different request (job {job_id}); "
                "send a new key with a new request",
                field=HEADER,
            )
