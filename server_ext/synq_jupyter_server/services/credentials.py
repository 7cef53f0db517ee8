"""Provider credentials: stored sealed, readable only inside the server, never returned."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ProviderCredential, utcnow
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.security.keyring import Keyring, Sealed
from synq_jupyter_server.services.catalogue import CatalogueService

PROVIDERS = ("ionq", "ibm")
TABLE = "provider_credentials"


class CredentialService:
    """Seals each secret with the keyring, bound to ``org|provider_credentials|provider``."""

    def __init__(self, database: Database, keyring: Keyring) -> None:
        self.database = database
        self.keyring = keyring

    def put(self, owner: str, provider: str, secret: dict[str, Any]) -> None:
        _check(provider)
        org = personal_org(owner)
        sealed = self.keyring.seal(json.dumps(secret).encode(), _associated(org, provider))
        with self.database.session() as session:
            row = session.scalars(
                select(ProviderCredential).where(
                    ProviderCredential.owner == owner, ProviderCredential.provider == provider
                )
            ).one_or_none()
            if row is None:
                row = ProviderCredential(owner=owner, org_id=org, provider=provider)
                session.add(row)
            row.key_id, row.nonce, row.ciphertext = sealed.key_id, sealed.nonce, sealed.ciphertext
            row.updated_at = utcnow()

    def remove(self, owner: str, provider: str) -> None:
        _check(provider)
        with self.database.session() as session:
            session.execute(
                delete(ProviderCredential).where(
                    ProviderCredential.owner == owner, ProviderCredential.provider == provider
                )
            )

    def status(self, owner: str) -> list[dict[str, Any]]:
        """Which providers the owner configured, and when — no secret."""
        with self.database.session(write=False) as session:
            rows = {
                row.provider: row
                for row in session.scalars(
                    select(ProviderCredential).where(ProviderCredential.owner == owner)
                )
            }
        return [
            {
                "name": name,
                "configured": name in rows,
                "updated_at": as_utc(rows[name].updated_at) if name in rows else None,
            }
            for name in PROVIDERS
        ]

    def configured(self, owner: str, provider: str) -> bool:
        """Whether the owner stored a secret for the provider (none is opened)."""
        with self.database.session(write=False) as session:
            found = session.scalar(
                select(ProviderCredential.provider).where(
                    ProviderCredential.owner == owner, ProviderCredential.provider == provider
                )
            )
        return found is not None

    def secret(self, owner: str, provider: str) -> dict[str, Any] | None:
        """The decrypted secret, for the scheduler handing it to a job. Never for replies."""
        with self.database.session(write=False) as session:
            row = session.scalars(
                select(ProviderCredential).where(
                    ProviderCredential.owner == owner, ProviderCredential.provider == provider
                )
            ).one_or_none()
            if row is None:
                return None
            sealed = Sealed(row.key_id, row.nonce, row.ciphertext)
            plain = self.keyring.open(sealed, _associated(row.org_id, provider))
        return dict(json.loads(plain))


def _associated(org: str, provider: str) -> str:
    return f"{org}|{TABLE}|{provider}"


def _check(provider: str) -> None:
    if provider not in PROVIDERS:
        raise SynqInputError(
            f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}", field="name"
        )


def credentials_for_target(service: CredentialService, catalogue: CatalogueService) -> Any:
    """The scheduler's lookup: an owner's secret for the provider behind a target.

    The provider comes from the catalogue the checks worker computed, so the server process
    never imports Qiskit for it; it is added to the secret as ``provider``, so a remote
    cancel knows whose API to call.
    """

    async def lookup(owner: str, target: str) -> dict[str, Any] | None:
        provider = await _provider_of(catalogue, target)
        if provider is None:
            return None
        secret = await asyncio.to_thread(service.secret, owner, provider)
        return None if secret is None else {**secret, "provider": provider}

    return lookup


def device_access(
    service: CredentialService, catalogue: CatalogueService
) -> Callable[[str, str], Awaitable[bool]]:
    """Whether an owner's sampler jobs on a target go to the provider's device: the target's
    provider takes credentials, and the owner stored some. Without, they are simulated on
    this machine (IBM's devices in local mode, IonQ's and Rigetti's with their noise)."""

    async def reaches_device(owner: str, target: str) -> bool:
        provider = await _provider_of(catalogue, target)
        if provider is None:
            return False
        return await asyncio.to_thread(service.configured, owner, provider)

    return reaches_device


async def _provider_of(catalogue: CatalogueService, target: str) -> str | None:
    """The provider behind ``target`` when it is one that takes credentials."""
    providers = {t["name"]: t["provider"] for t in await catalogue.summaries()}
    provider = providers.get(target)
    return provider if provider in PROVIDERS else None
