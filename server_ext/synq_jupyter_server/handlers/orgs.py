"""``/synq/api/orgs``: organisations, their members and roles, their plan and quota.

The authorizer has checked the caller's role in the organisation of the path before any
method runs (``synq:org*`` resources); the service enforces the rules about roles.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, RequestError, SynqHandler
from synq_jupyter_server.handlers.mfa_gate import require_mfa
from synq_jupyter_server.schemas.base import FieldError
from synq_jupyter_server.schemas.orgs import (
    Member,
    MemberAdd,
    MemberList,
    MemberUpdate,
    Org,
    OrgCreate,
    OrgList,
    OrgQuery,
    OrgUpdate,
    PlanPut,
    PlanView,
    QuotaLimits,
    Usage,
)
from synq_jupyter_server.security.mfa import CODE_RULE, code_form
from synq_jupyter_server.security.refusals import Forbidden
from synq_jupyter_server.security.roles import platform_reaches

_TAGS = ("orgs",)
_MFA = " Once MFA is on for your account, send a current code as `X-Synq-TOTP`."


class OrgsHandler(SynqHandler):
    auth_resource = "synq:orgs"
    operations = {
        "get": Operation(
            query=OrgQuery,
            summary="My organisations (my personal one first) and my role in each",
            description="`?all=true` lists every organisation, for platform admins.",
            response=OrgList,
            errors=(401, 403, 422),
            tags=_TAGS,
        ),
        "post": Operation(
            summary="Create an organisation; you become its owner",
            description="It starts on the server's default plan.",
            request=OrgCreate,
            response=Org,
            status=201,
            errors=(400, 401, 403, 422),
            tags=_TAGS,
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        everything = self.parse_query(OrgQuery).all == "true"
        if everything and not platform_reaches(self.actor.platform_role, "admin"):
            raise Forbidden("only platform admins list every organisation", "all", "admin")
        views = await asyncio.to_thread(self.services.orgs.list_for, self.username, everything)
        self.write_model(OrgList(orgs=[Org.model_validate(asdict(v)) for v in views]))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(OrgCreate)
        view = await asyncio.to_thread(
            self.services.orgs.create, self.username, body.name, body.require_mfa
        )
        self.write_model(Org.model_validate(asdict(view)), status=201)


class OrgHandler(SynqHandler):
    auth_resource = "synq:org"
    operations = {
        "get": Operation(
            summary="An organisation I belong to", response=Org, tags=_TAGS, errors=(401, 403, 404)
        ),
        "patch": Operation(
            summary="Rename an organisation, or require MFA of its members (admins)",
            description=_MFA.strip(),
            totp_header=True,
            request=OrgUpdate,
            response=Org,
            errors=(400, 401, 403, 404, 409, 422),
            tags=_TAGS,
        ),
    }

    @web.authenticated
    @authorized
    async def get(self, org_id: str) -> None:
        view = await asyncio.to_thread(self.services.orgs.get, org_id, self.actor.role)
        self.write_model(Org.model_validate(asdict(view)))

    @web.authenticated
    @authorized
    async def patch(self, org_id: str) -> None:
        body = self.parse_body(OrgUpdate)
        await _admin_mfa(self)
        view = await asyncio.to_thread(
            self.services.orgs.update, org_id, body.name, body.require_mfa, self.actor.role
        )
        self.write_model(Org.model_validate(asdict(view)))


class MembersHandler(SynqHandler):
    auth_resource = "synq:org-members"
    operations = {
        "get": Operation(
            summary="An organisation's members and their roles",
            response=MemberList,
            errors=(401, 403, 404),
            tags=_TAGS,
        ),
        "post": Operation(
            summary="Add a member (admins; only owners add owners)",
            description=_MFA.strip(),
            totp_header=True,
            request=MemberAdd,
            response=Member,
            status=201,
            errors=(400, 401, 403, 404, 409, 422),
            tags=_TAGS,
        ),
    }

    @web.authenticated
    @authorized
    async def get(self, org_id: str) -> None:
        views = await asyncio.to_thread(self.services.orgs.members, org_id)
        self.write_model(MemberList(members=[Member.model_validate(asdict(v)) for v in views]))

    @web.authenticated
    @authorized
    async def post(self, org_id: str) -> None:
        body = self.parse_body(MemberAdd)
        await _admin_mfa(self)
        view = await asyncio.to_thread(
            self.services.orgs.add_member,
            org_id,
            self.username,
            self.actor.role or "",
            body.username,
            body.role,
        )
        self.write_model(Member.model_validate(asdict(view)), status=201)


class MemberHandler(SynqHandler):
    auth_resource = "synq:org-member"
    operations = {
        "patch": Operation(
            summary="Change a member's role (admins; only owners touch ownership; never your own)",
            description=_MFA.strip(),
            totp_header=True,
            request=MemberUpdate,
            response=Member,
            errors=(400, 401, 403, 404, 409, 422),
            tags=_TAGS,
        ),
        "delete": Operation(
            summary="Remove a member, or leave (an organisation keeps at least one owner)",
            status=204,
            errors=(401, 403, 404, 409),
            tags=_TAGS,
        ),
    }

    @web.authenticated
    @authorized
    async def patch(self, org_id: str, username: str) -> None:
        if not self.actor.is_org_admin:  # the route is open to members for leaving
            raise Forbidden("changing roles needs the admin role", field="role", kind="admin")
        body = self.parse_body(MemberUpdate)
        await _admin_mfa(self)
        view = await asyncio.to_thread(
            self.services.orgs.set_role,
            org_id,
            self.username,
            self.actor.role or "",
            username,
            body.role,
        )
        self.write_model(Member.model_validate(asdict(view)))

    @web.authenticated
    @authorized
    async def delete(self, org_id: str, username: str) -> None:
        await asyncio.to_thread(
            self.services.orgs.remove_member,
            org_id,
            self.username,
            self.actor.role or "",
            username,
        )
        self.set_status(204)
        self.finish()


class PlanHandler(SynqHandler):
    auth_resource = "synq:org-plan"
    operations = {
        "get": Operation(
            summary="An organisation's plan, its quota and this month's usage",
            response=PlanView,
            errors=(401, 403, 404),
            tags=_TAGS,
        ),
        "put": Operation(
            summary="Set an organisation's plan and quota overrides (platform admins)",
            description="Plans: free (simulators, 30 qubits, 2 jobs at once, 1,000,000 "
            "shots a month), pro (every target, 133 qubits, 10 jobs, 50,000,000 shots), "
            "enterprise (unmetered)." + _MFA,
            totp_header=True,
            request=PlanPut,
            response=PlanView,
            errors=(400, 401, 403, 404, 422),
            tags=_TAGS,
        ),
    }

    @web.authenticated
    @authorized
    async def get(self, org_id: str) -> None:
        self.write_model(await self._view(org_id))

    @web.authenticated
    @authorized
    async def put(self, org_id: str) -> None:
        body = self.parse_body(PlanPut)
        await _admin_mfa(self)
        overrides = body.overrides.model_dump(exclude_unset=True)
        await asyncio.to_thread(self.services.orgs.set_plan, org_id, body.plan, overrides)
        self.services.quotas.forget(org_id)
        self.write_model(await self._view(org_id))

    async def _view(self, org_id: str) -> PlanView:
        quotas = self.services.quotas
        policy = await asyncio.to_thread(quotas.orgs.policy, org_id)
        shots, active = await asyncio.to_thread(quotas.usage, org_id)
        limits = asdict(policy.quota)
        limits["allowed_targets"] = list(limits["allowed_targets"])
        return PlanView(
            org_id=org_id,
            plan=policy.plan,
            quota=QuotaLimits.model_validate(limits),
            usage=Usage(shots_this_month=shots, active_jobs=active),
        )


async def _admin_mfa(handler: SynqHandler) -> None:
    """Admin actions need a current code once MFA is on for the caller's account."""
    code = handler.request.headers.get("X-Synq-TOTP")
    if code is not None and code_form(code) is None:
        error = FieldError(field="X-Synq-TOTP", message=f"a code is {CODE_RULE}")
        raise RequestError(422, "X-Synq-TOTP is not a code", [error])
    await require_mfa(handler.services.mfa, handler.username, code, field="X-Synq-TOTP")
