"""Which API-key scope each SynQ route needs."""

from __future__ import annotations

# auth_resource -> (scope to read, scope to change). ``None``: no key may do it.
RESOURCE_SCOPES: dict[str, tuple[str | None, str | None]] = {
    "synq": (None, None),
    "synq:health": ("jobs:read", None),
    "synq:docs": ("jobs:read", None),
    "synq:targets": ("jobs:read", None),
    "synq:jobs": ("jobs:read", "jobs:write"),
    "synq:circuits": ("circuits:run", "circuits:run"),
    "synq:providers": ("jobs:read", "org:admin"),
    "synq:auth": (None, None),
    "synq:me": ("", None),
    "synq:security": ("org:admin", "org:admin"),
    "synq:orgs": ("", None),
    "synq:org": ("", "org:admin"),
    "synq:org-members": ("", "org:admin"),
    "synq:org-member": ("", "org:admin"),
    "synq:org-plan": ("", "org:admin"),
    "synq:tokens": ("", ""),
}
"""Managing keys (``synq:auth``) needs the server's own login: a key cannot make keys.
``""`` means any valid key (a key may always ask whose it is, and read its organisation);
creating an organisation needs the server's login too."""

READS = ("GET", "HEAD", "OPTIONS")


def required_scope(resource: str, method: str) -> str | None:
    """The scope a key needs for ``method`` on ``resource``; ``None`` when no key may."""
    read, write = RESOURCE_SCOPES.get(resource, (None, None))
    return read if method in READS else write
