"""SQLAlchemy ORM models; importing this package registers every table on ``Base``."""

from synq_jupyter_server.db.models.api_keys import ApiKey
from synq_jupyter_server.db.models.audit import AuditEntry, AuditHead
from synq_jupyter_server.db.models.auth_tokens import MfaSecret, RecoveryCode, RefreshToken
from synq_jupyter_server.db.models.base import Base, utcnow
from synq_jupyter_server.db.models.credentials import ProviderCredential
from synq_jupyter_server.db.models.jobs import Job, JobEvent, JobResult, JobTag
from synq_jupyter_server.db.models.orgs import Organization, OrgMember, OrgUsage
from synq_jupyter_server.db.models.qml import QmlModel
from synq_jupyter_server.db.models.threats import SecurityBaseline, SecurityEvent, SecurityIncident
from synq_jupyter_server.db.models.transpile import TranspileRecord

__all__ = [
    "ApiKey",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Job",
    "JobEvent",
    "JobResult",
    "JobTag",
    "MfaSecret",
    "OrgMember",
    "OrgUsage",
    "Organization",
    "ProviderCredential",
    "QmlModel",
    "RecoveryCode",
    "RefreshToken",
    "SecurityBaseline",
    "SecurityEvent",
    "SecurityIncident",
    "TranspileRecord",
    "utcnow",
]
