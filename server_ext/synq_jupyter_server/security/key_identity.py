"""SynQ API keys and access tokens, accepted by whichever identity provider the server runs.

The server's provider (Jupyter's token or password, JupyterHub's OAuth ...) keeps deciding
who a browser or a token holder is. ``accept_api_keys`` gives that same provider object a
subclass that first looks for ``Authorization: Bearer synq_...`` (an API key) or
``Authorization: Bearer <JWT>`` (an access token from ``POST /synq/api/auth/tokens``) on
SynQ API routes:

- a valid one authenticates as its owner, with the key's scopes, and the request counts as
  token-authenticated (no XSRF cookie needed: a header is not something another site can
  make a browser send);
- an invalid, expired or revoked one is a 401, without falling back;
- on any route outside ``/synq/api/`` it is refused: keys open SynQ, not the kernels.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

from synq_jupyter_server.security.api_keys import KEY_PREFIX, ApiKeyService, KeyPrincipal
from synq_jupyter_server.security.tokens import REFRESH_PREFIX, TokenService

# A key, a refresh token (refused below) or a JWT, its signature empty too ("alg": "none"):
# each gets SynQ's 401, not Jupyter's 403 for a token it does not know.
_BEARER = re.compile(
    rf"^\s*bearer\s+((?:{KEY_PREFIX}|{REFRESH_PREFIX})\S+|[\w-]+\.[\w-]+\.[\w-]*)\s*$",
    re.IGNORECASE,
)


def presented_key(handler: web.RequestHandler) -> str | None:
    """The SynQ API key or access token in the ``Authorization`` header, if any."""
    match = _BEARER.match(handler.request.headers.get("Authorization", ""))
    return match.group(1) if match else None


def key_principal(handler: web.RequestHandler) -> KeyPrincipal | None:
    """The key a request was authenticated with, or ``None`` for any other identity."""
    principal: KeyPrincipal | None = getattr(handler, "_synq_key", None)
    return principal


class ApiKeyIdentity(IdentityProvider):
    """Mixed in ahead of the server's own provider class; see the module docstring."""

    synq_keys: ApiKeyService
    synq_tokens: TokenService
    synq_api_path: str
    synq_base: type[IdentityProvider]

    def get_user(self, handler: web.RequestHandler) -> Any:
        presented = presented_key(handler)
        if presented is None:
            return super().get_user(handler)
        return self._key_user(handler, presented)

    async def _key_user(self, handler: web.RequestHandler, presented: str) -> User | None:
        if not handler.request.path.startswith(self.synq_api_path):
            return None
        if presented.startswith(REFRESH_PREFIX):
            raise web.HTTPError(
                401, "a refresh token is not an access token: trade it at POST /auth/refresh"
            )
        check: Callable[[str], KeyPrincipal | None] = self.synq_keys.authenticate
        if not presented.startswith(KEY_PREFIX):
            check = self.synq_tokens.verify
        principal = await asyncio.to_thread(check, presented)
        if principal is None:
            raise web.HTTPError(401, "the API key or access token is not valid")
        handler._synq_key = principal  # type: ignore[attr-defined]
        return User(username=principal.owner, name=principal.owner)

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        if presented_key(handler) is not None:
            return True
        return super().is_token_authenticated(handler)


def accept_api_keys(
    provider: IdentityProvider, keys: ApiKeyService, tokens: TokenService, api_path: str
) -> None:
    """Makes ``provider`` (the live object, with its configuration and token) also accept
    SynQ API keys and access tokens on ``api_path`` (``{base_url}synq/api/``)."""
    base = type(provider)
    if issubclass(base, ApiKeyIdentity):
        base = base.synq_base
    else:
        provider.__class__ = type(
            f"Synq{base.__name__}", (ApiKeyIdentity, base), {"synq_base": base}
        )
    provider.synq_keys = keys  # type: ignore[attr-defined]
    provider.synq_tokens = tokens  # type: ignore[attr-defined]
    provider.synq_api_path = api_path  # type: ignore[attr-defined]
