"""The SynQ ``Authorizer``: platform roles, organisation roles and API-key scopes.

``accept_synq_authorizer`` gives the server's live authorizer object (Jupyter's allow-all,
JupyterHub's scope checker, ...) a subclass that keeps deciding everything outside SynQ and,
for ``synq:*`` resources, also requires (tightest wins, see ``security.roles``):

- the organisation role the route needs, in the organisation the request acts in;
- the scope the route needs, when an API key or access token made the request;
- a platform role, for the few actions that need one;
- MFA, when the organisation requires it of its members.

It records the request's ``Actor`` on the handler (``handler.synq_actor``) and raises
``Forbidden`` (a 403 naming the field and rule) rather than answering ``False``.

Which organisation a request acts in:

- the one in the path, on ``/orgs/{org_id}/...``;
- else the API key's (a key is made for one organisation);
- else the ``X-Synq-Org`` header, when the caller is a member;
- else the caller's personal organisation (``personal:<user>``).

``X-Synq-Org: system`` names the records of callers nobody authenticated (their audit
entries, security events and incidents): only platform admins reach them, and only on the
security routes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.utils import ensure_async

from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.principal import principal_name
from synq_jupyter_server.security.api_keys import KeyPrincipal
from synq_jupyter_server.security.audit_records import SYSTEM_ORG
from synq_jupyter_server.security.key_identity import key_principal
from synq_jupyter_server.security.mfa import MfaService
from synq_jupyter_server.security.refusals import Forbidden, RefusalKind
from synq_jupyter_server.security.roles import (
    NO_ROLE,
    PLATFORM_ONLY,
    PlatformRole,
    effective_role,
    platform_reaches,
    reaches,
    required_role,
)
from synq_jupyter_server.security.scopes import required_scope
from synq_jupyter_server.services.orgs import OrgNotFound, OrgService

ORG_HEADER = "X-Synq-Org"
SYSTEM_RESOURCES = frozenset({"synq:security"})
"""What a platform admin may do in the ``system`` organisation."""
PATH_ORG_RESOURCES = frozenset({"synq:org", "synq:org-members", "synq:org-member", "synq:org-plan"})


@dataclass(frozen=True)
class Actor:
    """Who a request acts as, and where."""

    user: str
    org_id: str
    role: str | None
    """The effective organisation role (``None``: not a member, on routes needing none)."""
    platform_role: PlatformRole
    key: KeyPrincipal | None

    @property
    def is_org_admin(self) -> bool:
        return reaches(self.role, "admin")


class SynqAuthorizer(Authorizer):
    """Mixed in ahead of the server's own authorizer class; see the module docstring."""

    synq_orgs: OrgService
    synq_mfa: MfaService
    synq_platform_roles: Mapping[str, PlatformRole]
    synq_base: type[Authorizer]

    async def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        key = key_principal(handler)
        if key is None or not resource.startswith("synq"):
            # Keys are SynQ's own identity: the server's authorizer knows only its users.
            allowed = await ensure_async(super().is_authorized(handler, user, action, resource))
            if not allowed or not resource.startswith("synq"):
                return bool(allowed)
        handler.synq_actor = await self.actor(handler, action, resource)
        return True

    async def actor(self, handler: Any, action: str, resource: str) -> Actor:
        """The request's actor, once every layer allowed it; raises ``Forbidden`` or
        ``OrgNotFound`` otherwise."""
        key = key_principal(handler)
        method = handler.request.method or "GET"
        user = principal_name(handler)
        platform = self.synq_platform_roles.get(user, "user")
        needed = required_role(resource, action)
        if needed is None:
            raise Forbidden("nobody may do this", field="route", kind="admin")
        org_id = self._org_of(handler, resource, key, user)
        handler.synq_org = org_id  # where a refused attempt is reported (threat detection)
        if key is not None and key.org_id == org_id:
            handler.synq_audit_org = org_id  # a key made in it: its refusals are that org's
        if key is not None:
            _check_scope(key, resource, method)
        if org_id == SYSTEM_ORG:
            return self._system_actor(user, platform, key, resource)
        if org_id == personal_org(user):
            member: str | None = "owner"
        else:
            member = await asyncio.to_thread(self.synq_orgs.membership, user, org_id)
        role = effective_role(member, platform)
        if member is not None:
            # A member's refused request belongs in the organisation's audit log, where its
            # admins look; an outsider's stays in their own (the organisation does not
            # exist for them, and its log is not theirs to fill).
            handler.synq_audit_org = org_id
        # No such organisation, for one who is not a member of it: a platform role reaches
        # every organisation there is, not any name; and someone else's personal one is made
        # by its user's first request, not by a lookup (GET /orgs/personal:anyone made one
        # for any name it was given).
        unsure = member is None and (role is not None or org_id.startswith(personal_org("")))
        if unsure and not await asyncio.to_thread(self.synq_orgs.exists, org_id):
            raise _not_found(handler, org_id)
        if key is not None and key.org_id and org_id != key.org_id:
            # Named in the path (the header was checked already). A key made for one
            # organisation is no pass to the others its owner belongs to; to an outsider,
            # as always, the organisation does not exist.
            if role is None:
                self._refuse_role(resource, org_id, role, needed)
            raise Forbidden(
                f"this API key acts in {key.org_id}, not {org_id}", field="org_id", kind="org"
            )
        if not reaches(role, needed):
            self._refuse_role(resource, org_id, role, needed)
        only = PLATFORM_ONLY.get((resource, action))
        if only is not None and not platform_reaches(platform, only):
            raise Forbidden(f"only a platform {only} may do this", field="role", kind="admin")
        if needed != NO_ROLE and org_id != personal_org(user):
            try:
                await self._require_org_mfa(user, org_id)
            except OrgNotFound:
                raise _not_found(handler, org_id) from None
        return Actor(user, org_id, role, platform, key)

    @staticmethod
    def _system_actor(
        user: str, platform: PlatformRole, key: KeyPrincipal | None, resource: str
    ) -> Actor:
        if not platform_reaches(platform, "admin"):
            raise Forbidden(
                f"only a platform admin may act in {SYSTEM_ORG}", field=ORG_HEADER, kind="admin"
            )
        if resource not in SYSTEM_RESOURCES:
            raise Forbidden(
                f"{SYSTEM_ORG} holds only security records", field=ORG_HEADER, kind="org"
            )
        return Actor(user, SYSTEM_ORG, "admin", platform, key)

    @staticmethod
    def _org_of(handler: Any, resource: str, key: KeyPrincipal | None, user: str) -> str:
        path_org = (handler.path_kwargs or {}).get("org_id")
        if resource in PATH_ORG_RESOURCES and path_org:
            return str(path_org)
        asked = handler.request.headers.get(ORG_HEADER)
        if key is not None and key.org_id:
            if asked and asked != key.org_id:
                raise Forbidden(
                    f"this API key acts in {key.org_id}, not {asked}", field=ORG_HEADER, kind="org"
                )
            return key.org_id
        return asked or personal_org(user)

    @staticmethod
    def _refuse_role(resource: str, org_id: str, role: str | None, needed: str) -> None:
        if role is None:
            if resource in PATH_ORG_RESOURCES:
                raise OrgNotFound(org_id)  # an organisation one is not in does not exist
            raise Forbidden(
                f"you are not a member of organisation {org_id}", field=ORG_HEADER, kind="org"
            )
        kind: RefusalKind = "admin" if needed in ("admin", "owner") else "role"
        raise Forbidden(
            f"this needs the {needed} role in {org_id}; you are {role}", field="role", kind=kind
        )

    async def _require_org_mfa(self, user: str, org_id: str) -> None:
        policy = await asyncio.to_thread(self.synq_orgs.policy, org_id)
        if policy.require_mfa and not await asyncio.to_thread(self.synq_mfa.enabled, user):
            raise Forbidden(
                f"organisation {org_id} requires MFA: set it up with POST /synq/api/auth/mfa/setup",
                field="mfa",
                kind="mfa",
            )


def _not_found(handler: Any, org_id: str) -> OrgNotFound:
    """No such organisation, naming what named it: the header or the path."""
    missing = OrgNotFound(org_id)
    missing.field = ORG_HEADER if handler.request.headers.get(ORG_HEADER) == org_id else "org_id"
    return missing


def _check_scope(key: KeyPrincipal, resource: str, method: str) -> None:
    needed = required_scope(resource, method)
    if needed is None:
        raise Forbidden("an API key cannot do this; sign in to the server", "scope", "scope")
    if needed and needed not in key.scopes:
        detail = f"this API key lacks the {needed} scope"
        raise Forbidden(detail, "scope", "scope", reason=f"the key lacks {needed}")


def accept_synq_authorizer(
    authorizer: Authorizer,
    orgs: OrgService,
    mfa: MfaService,
    platform_roles: Mapping[str, PlatformRole],
) -> None:
    """Makes ``authorizer`` (the live object, with its configuration) apply SynQ's roles and
    scopes to ``synq:*`` resources."""
    base = type(authorizer)
    if not issubclass(base, SynqAuthorizer):
        authorizer.__class__ = type(
            f"Synq{base.__name__}", (SynqAuthorizer, base), {"synq_base": base}
        )
    authorizer.synq_orgs = orgs  # type: ignore[attr-defined]
    authorizer.synq_mfa = mfa  # type: ignore[attr-defined]
    authorizer.synq_platform_roles = platform_roles  # type: ignore[attr-defined]
