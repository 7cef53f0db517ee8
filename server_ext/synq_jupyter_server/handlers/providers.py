"""``/synq/api/providers``: which cloud providers are configured, and their credentials."""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, RequestError, SynqHandler
from synq_jupyter_server.schemas.base import FieldError
from synq_jupyter_server.schemas.providers import CredentialsPut, ProviderList
from synq_jupyter_server.services.credentials import PROVIDERS


class ProvidersHandler(SynqHandler):
    auth_resource = "synq:providers"
    operations = {
        "get": Operation(
            summary="Cloud providers and whether I stored credentials for them",
            response=ProviderList,
            tags=("providers",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        status = await asyncio.to_thread(self.services.credentials.status, self.username)
        self.write_model(ProviderList.model_validate({"providers": status}))


class CredentialsHandler(SynqHandler):
    auth_resource = "synq:providers"
    operations = {
        "put": Operation(
            summary="Store my credentials for a provider (sealed with AES-256-GCM)",
            description="The token is never returned by any route.",
            request=CredentialsPut,
            status=204,
            errors=(400, 401, 403, 422),
            tags=("providers",),
        ),
        "delete": Operation(
            summary="Forget my credentials for a provider",
            status=204,
            errors=(401, 403, 422),
            tags=("providers",),
        ),
    }

    @web.authenticated
    @authorized
    async def put(self, name: str) -> None:
        body = self.parse_body(CredentialsPut)
        if body.instance is not None and name in PROVIDERS and name != "ibm":
            raise RequestError(
                422,
                "instance is IBM's; leave it out",
                [FieldError(field="instance", message=f"{name} has no instances")],
            )
        secret = body.model_dump(exclude_none=True)
        await asyncio.to_thread(self.services.credentials.put, self.username, name, secret)
        self.set_status(204)
        self.finish()

    @web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self.services.credentials.remove, self.username, name)
        self.set_status(204)
        self.finish()
