"""SynQ API keys, accepted by whichever identity provider the server runs with.

The server's provider (Jupyter's token or password, JupyterHub's OAuth ...) keeps deciding
who a browser or a token holder is. ``accept_api_keys`` gives that same provider object a
subclass that first looks for ``Authorization: Bearer synq_...`` on SynQ API routes:

- a valid key authenticates as its owner, and the request counts as token-authenticated
  (no XSRF cookie needed: a header is not something another site can make a browser send);
- an invalid, expired or revoked key is refused, without falling back;
- a key on any route outside ``/synq/api/`` is refused: keys open SynQ, not the kernels.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web

from synq_jupyter_server.security.api_keys import KEY_PREFIX, ApiKeyService, KeyPrincipal

_BEARER = re.compile(rf"^\s*bearer\s+({KEY_PREFIX}\S+)\s*$", re.IGNORECASE)


def presented_key(handler: web.RequestHandler) -> str | None:
    """The SynQ API key in the request's ``Authorization`` header, if any."""
    match = _BEARER.match(handler.request.headers.get("Authorization", ""))
    return match.group(1) if match else None


def key_principal(handler: web.RequestHandler) -> KeyPrincipal | None:
    """The key a request was authenticated with, or ``None`` for any other identity."""
    principal: KeyPrincipal | None = getattr(handler, "_synq_key", None)
    return principal


class ApiKeyIdentity(IdentityProvider):
    """Mixed in ahead of the server's own provider class; see the module docstring."""

    synq_keys: ApiKeyService
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
        principal = await asyncio.to_thread(self.synq_keys.authenticate, presented)
        if principal is None:
            return None
        handler._synq_key = principal  # type: ignore[attr-defined]
        return User(username=principal.owner, name=principal.owner)

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        if presented_key(handler) is not None:
            return True
        return super().is_token_authenticated(handler)


def accept_api_keys(provider: IdentityProvider, keys: ApiKeyService, api_path: str) -> None:
    """Makes ``provider`` (the live object, with its configuration and token) also accept
    SynQ API keys on ``api_path`` (``{base_url}synq/api/``)."""
    base = type(provider)
    if issubclass(base, ApiKeyIdentity):
        base = base.synq_base
    else:
        provider.__class__ = type(
            f"Synq{base.__name__}", (ApiKeyIdentity, base), {"synq_base": base}
        )
    provider.synq_keys = keys  # type: ignore[attr-defined]
    provider.synq_api_path = api_path  # type: ignore[attr-defined]
