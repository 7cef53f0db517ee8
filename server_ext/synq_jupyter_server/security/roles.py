"""Roles: what a platform role and an organisation role let a caller do on each route.

A request is allowed when every layer allows it, the tightest wins:

- the caller's **organisation role** (owner > admin > member > viewer) must reach the role
  the route needs (``RESOURCE_ROLES``);
- an **API key** must hold the scope the route needs (``security.scopes``);
- a few actions need a **platform role** (``PLATFORM_ONLY``): setting an organisation's plan.

Platform admins act as ``admin`` in every organisation and superadmins as ``owner`` (support
staff), never beyond what their key's scopes allow.
"""

from __future__ import annotations

from typing import Literal, get_args

OrgRole = Literal["viewer", "member", "admin", "owner"]
PlatformRole = Literal["user", "admin", "superadmin"]

ORG_ROLES: tuple[str, ...] = get_args(OrgRole)
PLATFORM_ROLES: tuple[str, ...] = get_args(PlatformRole)
_RANK = {role: rank for rank, role in enumerate(ORG_ROLES, start=1)}

NO_ROLE = ""
"""Needed by routes any signed-in user may call whatever their roles (their own keys, MFA,
creating an organisation)."""

# auth_resource -> (organisation role to read, organisation role to change)
RESOURCE_ROLES: dict[str, tuple[str, str]] = {
    "synq:health": ("viewer", "viewer"),
    "synq:docs": ("viewer", "viewer"),
    "synq:targets": ("viewer", "viewer"),
    "synq:jobs": ("viewer", "member"),
    "synq:circuits": ("member", "member"),
    "synq:providers": ("viewer", "member"),
    "synq:auth": (NO_ROLE, NO_ROLE),
    "synq:me": (NO_ROLE, NO_ROLE),
    "synq:tokens": (NO_ROLE, NO_ROLE),
    "synq:orgs": (NO_ROLE, NO_ROLE),
    "synq:org": ("viewer", "admin"),
    "synq:org-members": ("viewer", "admin"),
    "synq:org-member": ("viewer", "viewer"),  # leaving is anyone's; the service checks the rest
    "synq:org-plan": ("viewer", "admin"),
    "synq:security": ("admin", "admin"),
}
"""A resource missing here is refused to everyone: new routes fail closed."""

PLATFORM_ONLY: dict[tuple[str, str], PlatformRole] = {("synq:org-plan", "write"): "admin"}
"""(resource, read|write) that needs a platform role on top of the organisation role."""


def rank(role: str | None) -> int:
    """0 for no role; higher ranks include the lower ones."""
    return _RANK.get(role or "", 0)


def reaches(role: str | None, needed: str) -> bool:
    """Whether ``role`` is at least ``needed`` (``NO_ROLE`` is reached by anyone)."""
    return needed == NO_ROLE or rank(role) >= rank(needed)


def effective_role(member_role: str | None, platform: PlatformRole) -> str | None:
    """The role a caller acts with in an organisation: their membership, raised to admin
    for platform admins and to owner for superadmins."""
    floor = {"user": None, "admin": "admin", "superadmin": "owner"}[platform]
    return member_role if rank(member_role) >= rank(floor) else floor


def platform_reaches(role: PlatformRole, needed: PlatformRole) -> bool:
    return PLATFORM_ROLES.index(role) >= PLATFORM_ROLES.index(needed)


def required_role(resource: str, action: str) -> str | None:
    """The organisation role ``action`` (read or write) on ``resource`` needs; ``None``:
    the resource is unknown, so nobody may."""
    roles = RESOURCE_ROLES.get(resource)
    if roles is None:
        return None
    return roles[0] if action == "read" else roles[1]
