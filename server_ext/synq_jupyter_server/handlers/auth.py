"""``/synq/api/auth``: API keys, and who a request is."""

from __future__ import annotations

import asyncio
from typing import Literal

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.handlers.mfa_gate import require_mfa
from synq_jupyter_server.schemas.auth import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyList, Me
from synq_jupyter_server.security.api_keys import KeyPrincipal
from synq_jupyter_server.security.key_identity import key_principal
from synq_jupyter_server.security.tokens import AccessPrincipal

_KEYS = "Managing keys needs the server's own login (token, password or Hub): a key cannot."


class ApiKeysHandler(SynqHandler):
    auth_resource = "synq:auth"
    operations = {
        "post": Operation(
            summary="Create an API key (the secret is shown once)",
            description="Send it as `Authorization: Bearer <key>`. The key acts in the "
            "organisation the request acts in (`X-Synq-Org`, else your personal one), with no "
            "more than your role there allows. " + _KEYS,
            request=ApiKeyCreate,
            response=ApiKeyCreated,
            status=201,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
        "get": Operation(
            summary="My API keys in this organisation, newest first (never their secrets)",
            response=ApiKeyList,
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(ApiKeyCreate)
        await require_mfa(self.services.mfa, self.username, body.totp)
        view, secret = await asyncio.to_thread(
            self.services.api_keys.create,
            self.username,
            body.name,
            body.scopes,
            body.expires_in_days,
            self.actor.org_id,
        )
        created = ApiKeyCreated.model_validate({**vars(view), "key": secret})
        self.write_model(created, status=201)

    @web.authenticated
    @authorized
    async def get(self) -> None:
        views = await asyncio.to_thread(
            self.services.api_keys.list, self.username, self.actor.org_id
        )
        keys = [ApiKey.model_validate(view, from_attributes=True) for view in views]
        self.write_model(ApiKeyList(keys=keys))


class ApiKeyHandler(SynqHandler):
    auth_resource = "synq:auth"
    operations = {
        "delete": Operation(
            summary="Revoke an API key; the next request with it is refused",
            response=ApiKey,
            errors=(401, 403, 404),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def delete(self, key_id: str) -> None:
        view = await asyncio.to_thread(self.services.api_keys.revoke, self.username, key_id)
        self.write_model(ApiKey.model_validate(view, from_attributes=True))


class MeHandler(SynqHandler):
    auth_resource = "synq:me"
    operations = {
        "get": Operation(
            summary="Who this request is, and the key's scopes when a key made it",
            response=Me,
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        key = key_principal(self)
        self.write_model(
            Me(
                username=self.username,
                authenticated_by=_how(key),
                scopes=sorted(key.scopes) if key else None,
                key_id=key.key_id if key else None,
                org_id=self.actor.org_id,
                org_role=self.actor.role,
                platform_role=self.actor.platform_role,
            )
        )


def _how(key: KeyPrincipal | None) -> Literal["server", "api_key", "access_token"]:
    if key is None:
        return "server"
    return "access_token" if isinstance(key, AccessPrincipal) else "api_key"
