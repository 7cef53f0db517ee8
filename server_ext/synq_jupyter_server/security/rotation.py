"""Key rotation: add a key, re-seal every sealed record with it, retire the old keys.

At every moment each record's key is in the keyring file, so every record stays readable
throughout, by this process and by a running server (the keyring follows its file):

1. a fresh key joins the keyring and becomes active; new seals use it;
2. every record sealed with another key is opened and sealed again with the new one, in
   small transactions, each update conditional on the row being unchanged since it was read;
3. keys no record uses any more are retired. A record sealed with an old key meanwhile
   (by a server that had not yet seen the new file) keeps its key in the keyring; running
   the rotation again finishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import MfaSecret, ProviderCredential
from synq_jupyter_server.security.keyring import Keyring, Sealed

BATCH = 500


@dataclass(frozen=True)
class SealedTable:
    """A table with sealed values, and the associated data its rows were sealed with."""

    model: Any
    key: Any  # the primary-key column
    associated: Callable[[Any], str]


SEALED_TABLES = (
    SealedTable(
        ProviderCredential,
        ProviderCredential.id,
        lambda row: f"{row.org_id}|provider_credentials|{row.provider}",
    ),
    SealedTable(MfaSecret, MfaSecret.owner, lambda row: f"{row.org_id}|mfa_secrets|{row.owner}"),
)
"""Every table holding sealed secrets (webhook secrets join when webhooks arrive)."""


@dataclass(frozen=True)
class Rotation:
    new_key: str
    resealed: int
    retired: tuple[str, ...]
    kept: tuple[str, ...]  # old keys still used by a record sealed meanwhile


Step = Callable[[str, int], None]


def rotate(database: Database, path: Path, step: Step | None = None) -> Rotation:
    """Rotates the keyring in ``path`` over every sealed record of ``database``.

    ``step(phase, resealed_so_far)`` is called after the new key is saved (``"added"``),
    after each re-sealed batch (``"resealed"``) and after old keys are retired
    (``"retired"``).
    """
    keyring = Keyring.load_or_create(path).with_new_key()
    keyring.save(path)
    _report(step, "added", 0)
    resealed = 0
    for table in SEALED_TABLES:
        while batch := _reseal_batch(database, keyring, table):
            resealed += batch
            _report(step, "resealed", resealed)
    used = _keys_in_use(database)
    retired = {k for k in keyring.keys if k != keyring.active and k not in used}
    keyring.without(retired).save(path)
    _report(step, "retired", resealed)
    kept = sorted(set(keyring.keys) - retired - {keyring.active})
    return Rotation(keyring.active, resealed, tuple(sorted(retired)), tuple(kept))


def _reseal_batch(database: Database, keyring: Keyring, table: SealedTable) -> int:
    model = table.model
    with database.session() as session:
        rows = session.scalars(
            select(model).where(model.key_id != keyring.active).limit(BATCH)
        ).all()
        for row in rows:
            associated = table.associated(row)
            plain = keyring.open(Sealed(row.key_id, row.nonce, row.ciphertext), associated)
            sealed = keyring.seal(plain, associated)
            session.execute(
                update(model)
                .where(table.key == getattr(row, table.key.key), model.nonce == row.nonce)
                .values(key_id=sealed.key_id, nonce=sealed.nonce, ciphertext=sealed.ciphertext)
                .execution_options(synchronize_session=False)
            )
        return len(rows)


def _keys_in_use(database: Database) -> set[str]:
    with database.session(write=False) as session:
        return {
            key_id
            for table in SEALED_TABLES
            for key_id in session.scalars(select(table.model.key_id).distinct())
        }


def _report(step: Step | None, phase: str, resealed: int) -> None:
    if step is not None:
        step(phase, resealed)
