"""``/synq/api/auth/tokens``, ``/refresh`` and ``/logout``: short-lived access tokens."""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import allow_unauthenticated, authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, RequestError, SynqHandler
from synq_jupyter_server.handlers.mfa_gate import require_mfa
from synq_jupyter_server.schemas.auth import RefreshRequest, TokenPair, TokenRequest
from synq_jupyter_server.schemas.base import FieldError
from synq_jupyter_server.security.key_identity import key_principal
from synq_jupyter_server.security.tokens import AccessPrincipal, TokenRefused
from synq_jupyter_server.security.tokens import TokenPair as Pair


def _pair(pair: Pair) -> TokenPair:
    return TokenPair(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


class TokensHandler(SynqHandler):
    auth_resource = "synq:tokens"
    operations = {
        "post": Operation(
            summary="Exchange my API key (sent as Bearer) for an access and a refresh token",
            description="When MFA is on for the account, `totp` must hold a current code or "
            "a recovery code. The access token carries the key's scopes.",
            request=TokenRequest,
            body_optional=True,  # without MFA there is nothing to send
            response=TokenPair,
            status=201,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        key = key_principal(self)
        if key is None or isinstance(key, AccessPrincipal):
            message = "send an API key as `Authorization: Bearer synq_...`"
            raise RequestError(403, message, [FieldError(field="Authorization", message=message)])
        body = self.parse_optional_body(TokenRequest)
        await require_mfa(self.services.mfa, key.owner, body.totp, status=401)
        pair = await asyncio.to_thread(self.services.tokens.issue, key)
        self.write_model(_pair(pair), status=201)


class RefreshHandler(SynqHandler):
    auth_resource = "synq:tokens"
    operations = {
        "post": Operation(
            summary="Trade a refresh token for a new pair (each refresh token works once)",
            description="Presenting a used refresh token again revokes its whole family.",
            request=RefreshRequest,
            response=TokenPair,
            errors=(400, 401, 422),
            tags=("auth",),
        ),
    }

    def check_xsrf_cookie(self) -> None:
        """None: the refresh token in the body is the only credential, and a page on another
        site cannot know it. No cookie is read, so there is no cookie to forge with (and a
        script has no XSRF cookie to send)."""

    @allow_unauthenticated
    async def post(self) -> None:
        body = self.parse_body(RefreshRequest)
        try:
            pair = await asyncio.to_thread(self.services.tokens.refresh, body.refresh_token)
        except TokenRefused as exc:
            error = FieldError(field="refresh_token", message=str(exc))
            raise RequestError(401, str(exc), [error]) from None
        self.write_model(_pair(pair))


class LogoutHandler(SynqHandler):
    auth_resource = "synq:tokens"
    operations = {
        "post": Operation(
            summary="Revoke this access token's session (its refresh family)",
            status=204,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        key = key_principal(self)
        if not isinstance(key, AccessPrincipal):
            message = "log out with the access token you want to end"
            raise RequestError(403, message, [FieldError(field="Authorization", message=message)])
        await asyncio.to_thread(self.services.tokens.logout, key.family_id)
        self.set_status(204)
        self.finish()
