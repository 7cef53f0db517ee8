"""Organisations: create and rename them, manage members and roles, read and set plans.

The service trusts its caller (the authorizer) to have checked the caller's role for the
route; it still enforces the rules about roles themselves: nobody changes their own role,
only owners grant or take away ownership, an organisation always keeps an owner, and a
personal organisation has exactly one member.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Organization, OrgMember, utcnow
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.jobs.queue import JobConflict, NotFound
from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.security.refusals import Forbidden
from synq_jupyter_server.security.roles import ORG_ROLES, rank
from synq_jupyter_server.services.plans import PLAN_NAMES, Quota, quota_of


class OrgNotFound(NotFound):
    what = "organisation"
    field = "org_id"


class MemberNotFound(NotFound):
    what = "member"
    field = "username"


class OrgConflict(JobConflict):
    """The change would break a rule of the organisation (e.g. leave it without an owner)."""


@dataclass(frozen=True)
class OrgView:
    id: str
    name: str
    personal: bool
    plan: str
    require_mfa: bool
    created_by: str
    created_at: datetime
    role: str | None = None
    """The caller's role in it, when listed for a caller."""

    @classmethod
    def of(cls, org: Organization, role: str | None = None) -> OrgView:
        return cls(
            id=org.id,
            name=org.name,
            personal=org.personal,
            plan=org.plan,
            require_mfa=org.require_mfa,
            created_by=org.created_by,
            created_at=as_utc(org.created_at),
            role=role,
        )


@dataclass(frozen=True)
class MemberView:
    username: str
    role: str
    added_by: str
    added_at: datetime

    @classmethod
    def of(cls, member: OrgMember) -> MemberView:
        return cls(member.username, member.role, member.added_by, as_utc(member.added_at))


@dataclass(frozen=True)
class OrgPolicy:
    """What a request in an organisation must respect: its quota and its MFA rule."""

    org_id: str
    plan: str
    quota: Quota
    require_mfa: bool


class OrgService:
    def __init__(
        self, database: Database, default_plan: str = "free", personal_plan: str = "enterprise"
    ) -> None:
        self.database = database
        self.default_plan = default_plan
        self.personal_plan = personal_plan

    # -- who is in what ----------------------------------------------------------------------

    def membership(self, username: str, org_id: str) -> str | None:
        """``username``'s role in ``org_id``; ``None`` when not a member (or no such org).

        A user owns their personal organisation without a row being needed.
        """
        if org_id == personal_org(username):
            return "owner"
        with self.database.session(write=False) as session:
            return session.scalar(
                select(OrgMember.role).where(
                    OrgMember.org_id == org_id, OrgMember.username == username
                )
            )

    def exists(self, org_id: str) -> bool:
        with self.database.session(write=False) as session:
            return session.get(Organization, org_id) is not None

    def policy(self, org_id: str) -> OrgPolicy:
        """The plan, quota and MFA rule of an organisation (a personal one is made here)."""
        with self.database.session(write=False) as session:
            org = session.get(Organization, org_id)
        if org is None:
            if not org_id.startswith("personal:"):
                raise OrgNotFound(org_id)
            org = self._ensure_personal(org_id.removeprefix("personal:"))
        return OrgPolicy(org.id, org.plan, quota_of(org.plan, org.quota_overrides), org.require_mfa)

    def _ensure_personal(self, username: str) -> Organization:
        """The user's personal organisation, made on first use (by one of several racing
        requests: the others read what it made)."""
        try:
            return self._make_personal(username)
        except IntegrityError:
            return self._make_personal(username)

    def _make_personal(self, username: str) -> Organization:
        org_id = personal_org(username)
        with self.database.session() as session:
            org = session.get(Organization, org_id)
            if org is None:
                org = Organization(
                    id=org_id,
                    name=username,
                    personal=True,
                    plan=self.personal_plan,
                    quota_overrides={},
                    require_mfa=False,
                    created_by=username,
                    created_at=utcnow(),
                )
                session.add(org)
                session.add(_member(org_id, username, "owner", username))
            return org

    # -- organisations -----------------------------------------------------------------------

    def create(self, username: str, name: str, require_mfa: bool) -> OrgView:
        """A new organisation on the default plan, with its creator as owner."""
        org = Organization(
            id="org_" + uuid.uuid4().hex[:16],
            name=name,
            personal=False,
            plan=self.default_plan,
            quota_overrides={},
            require_mfa=require_mfa,
            created_by=username,
            created_at=utcnow(),
        )
        with self.database.session() as session:
            session.add(org)
            session.add(_member(org.id, username, "owner", username))
            session.flush()
            return OrgView.of(org, "owner")

    def list_for(self, username: str, everything: bool = False) -> list[OrgView]:
        """The caller's organisations, personal first; every one for ``everything`` (platform
        admins), with the caller's role where they are a member."""
        self._ensure_personal(username)
        with self.database.session(write=False) as session:
            mine = dict(
                session.execute(
                    select(OrgMember.org_id, OrgMember.role).where(OrgMember.username == username)
                ).all()
            )
            query = select(Organization).order_by(
                Organization.personal.desc(), Organization.created_at, Organization.id
            )
            if not everything:
                query = query.where(Organization.id.in_(list(mine)))
            return [OrgView.of(org, mine.get(org.id)) for org in session.scalars(query)]

    def get(self, org_id: str, role: str | None = None) -> OrgView:
        with self.database.session(write=False) as session:
            org = session.get(Organization, org_id)
            if org is None and org_id.startswith("personal:"):
                org = self._ensure_personal(org_id.removeprefix("personal:"))
            if org is None:
                raise OrgNotFound(org_id)
            return OrgView.of(org, role)

    def update(
        self, org_id: str, name: str | None, require_mfa: bool | None, role: str | None = None
    ) -> OrgView:
        self.policy(org_id)  # a personal organisation exists from here on
        with self.database.session() as session:
            org = session.get(Organization, org_id)
            if org is None:
                raise OrgNotFound(org_id)
            if name is not None:
                if org.personal:
                    raise OrgConflict(
                        "a personal organisation is named after its user", field="name"
                    )
                org.name = name
            if require_mfa is not None:
                if org.personal and require_mfa:
                    # Its one member decides for their own account: the rule would not apply.
                    raise OrgConflict(
                        "a personal organisation has only you: turn on MFA for your account "
                        "(POST /synq/api/auth/mfa/setup)",
                        field="require_mfa",
                    )
                org.require_mfa = require_mfa
            session.flush()
            return OrgView.of(org, role)

    # -- members -----------------------------------------------------------------------------

    def members(self, org_id: str) -> list[MemberView]:
        self.policy(org_id)
        with self.database.session(write=False) as session:
            rows = session.scalars(
                select(OrgMember)
                .where(OrgMember.org_id == org_id)
                .order_by(OrgMember.added_at, OrgMember.username)
            )
            return [MemberView.of(member) for member in rows]

    def add_member(
        self, org_id: str, by: str, by_role: str, username: str, role: str
    ) -> MemberView:
        _check_role(role)
        _may_grant(by_role, role)
        self.policy(org_id)  # a personal organisation exists from here on
        with self.database.session() as session:
            org = session.get(Organization, org_id)
            if org is None:
                raise OrgNotFound(org_id)
            if org.personal:
                raise OrgConflict(
                    "a personal organisation has exactly one member", field="username"
                )
            if session.get(OrgMember, (org_id, username)) is not None:
                raise OrgConflict(
                    f"{username} is already a member; PATCH their role instead", field="username"
                )
            member = _member(org_id, username, role, by)
            session.add(member)
            session.flush()
            return MemberView.of(member)

    def set_role(self, org_id: str, by: str, by_role: str, username: str, role: str) -> MemberView:
        _check_role(role)
        self.policy(org_id)
        with self.database.session() as session:
            # A non-member (a platform admin) has no role of their own here to be refused.
            member = self._member_of(session, org_id, username)
            if username == by:
                raise Forbidden("nobody may change their own role", field="role", kind="own_role")
            _may_grant(by_role, member.role)
            _may_grant(by_role, role)
            if member.role == "owner" and role != "owner":
                _keep_an_owner(session, org_id)
            member.role = role
            session.flush()
            return MemberView.of(member)

    def remove_member(self, org_id: str, by: str, by_role: str, username: str) -> None:
        """Removes a member; anyone may leave, but never the last owner."""
        self.policy(org_id)
        with self.database.session() as session:
            member = self._member_of(session, org_id, username)
            if username != by:
                _may_grant(by_role, member.role, "remove a member with the {role} role")
            if member.role == "owner":
                _keep_an_owner(session, org_id)
            session.delete(member)

    @staticmethod
    def _member_of(session: Any, org_id: str, username: str) -> OrgMember:
        if session.get(Organization, org_id) is None:
            raise OrgNotFound(org_id)
        member: OrgMember | None = session.get(OrgMember, (org_id, username), with_for_update=True)
        if member is None:
            raise MemberNotFound(username)
        return member

    # -- plans -------------------------------------------------------------------------------

    def set_plan(self, org_id: str, plan: str, overrides: dict[str, Any]) -> OrgPolicy:
        if plan not in PLAN_NAMES:
            raise SynqInputError(f"plans are {', '.join(PLAN_NAMES)}", field="plan")
        self.policy(org_id)
        with self.database.session() as session:
            org = session.get(Organization, org_id)
            if org is None:
                raise OrgNotFound(org_id)
            org.plan, org.quota_overrides = plan, dict(overrides)
        return self.policy(org_id)


def _member(org_id: str, username: str, role: str, by: str) -> OrgMember:
    return OrgMember(org_id=org_id, username=username, role=role, added_by=by, added_at=utcnow())


def _check_role(role: str) -> None:
    if role not in ORG_ROLES:
        raise SynqInputError(f"roles are {', '.join(ORG_ROLES)}", field="role")


def _may_grant(by_role: str, role: str, doing: str = "grant or change the {role} role") -> None:
    """Admins manage admins, members and viewers; only owners touch ownership. ``doing``
    says what was refused, for the message."""
    needed = "owner" if role == "owner" else "admin"
    if rank(by_role) < rank(needed):
        raise Forbidden(
            f"only an organisation {needed} may {doing.format(role=role)}",
            field="role",
            kind="admin",
        )


def _keep_an_owner(session: Any, org_id: str) -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(OrgMember)
        .where(OrgMember.org_id == org_id, OrgMember.role == "owner")
    )
    if owners <= 1:
        raise OrgConflict(
            "an organisation keeps at least one owner; make another owner first", field="role"
        )
