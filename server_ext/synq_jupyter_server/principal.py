"""Who a request acts for: the name jobs and records are owned by."""

from __future__ import annotations

import functools
import getpass
from typing import Any

from jupyter_server.auth.identity import (
    IdentityProvider,
    LegacyIdentityProvider,
    PasswordIdentityProvider,
)

from synq_jupyter_server.security.key_identity import key_principal

# Jupyter's own providers guard a single-user server with one shared token or password and
# name each token-authenticated request a fresh random "Anonymous ..." user. Everyone who
# holds that secret is the server's owner, so their work belongs to one stable name.
_SHARED_SECRET = (IdentityProvider, PasswordIdentityProvider, LegacyIdentityProvider)


@functools.cache
def local_owner() -> str:
    """The account running this server (looked up once: it cannot change)."""
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (some containers)
        return "owner"


def principal_name(handler: Any) -> str:
    """The owner name of a request: the server's account on a single-user server, the
    authenticated user's name under JupyterHub or another identity provider."""
    key = key_principal(handler)
    if key is not None:
        return key.owner
    if serves_one_owner(handler.identity_provider):
        return str(handler.settings.get("synq_owner") or local_owner())
    user = handler.current_user
    return str(getattr(user, "username", user))


def serves_one_owner(provider: IdentityProvider) -> bool:
    """Whether the server is guarded by one shared token or password (a single-user server)."""
    return getattr(provider, "synq_base", type(provider)) in _SHARED_SECRET


def signed_in(handler: Any) -> bool:
    """Whether the request authenticated (``False`` too when authenticating failed)."""
    try:
        return handler.current_user is not None
    except RuntimeError:  # jupyter_server raises when authentication itself failed
        return False
