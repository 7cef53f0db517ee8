"""The API's routes: one table feeds both tornado and the OpenAPI spec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synq_jupyter_server.handlers.audit import AuditHandler, AuditVerifyHandler
from synq_jupyter_server.handlers.auth import ApiKeyHandler, ApiKeysHandler, MeHandler
from synq_jupyter_server.handlers.base import API_PREFIX
from synq_jupyter_server.handlers.circuits import AnalyzeHandler, ParseHandler, TranspileHandler
from synq_jupyter_server.handlers.docs import DocsHandler, DocsStaticHandler, OpenAPIHandler
from synq_jupyter_server.handlers.health import HealthHandler
from synq_jupyter_server.handlers.job_stream import JobStreamHandler
from synq_jupyter_server.handlers.jobs import (
    BatchHandler,
    JobCancelHandler,
    JobEventsHandler,
    JobHandler,
    JobResultHandler,
    JobRetryHandler,
    JobsHandler,
)
from synq_jupyter_server.handlers.mfa import MfaDisableHandler, MfaSetupHandler, MfaVerifyHandler
from synq_jupyter_server.handlers.no_route import NoRouteHandler
from synq_jupyter_server.handlers.orgs import (
    MemberHandler,
    MembersHandler,
    OrgHandler,
    OrgsHandler,
    PlanHandler,
)
from synq_jupyter_server.handlers.providers import CredentialsHandler, ProvidersHandler
from synq_jupyter_server.handlers.qml import (
    ModelHandler,
    ModelsHandler,
    QAOAHandler,
    QNNPredictHandler,
    QNNTrainHandler,
    VQEHandler,
)
from synq_jupyter_server.handlers.security_events import (
    IncidentHandler,
    IncidentsHandler,
    SecurityEventsHandler,
)
from synq_jupyter_server.handlers.synthesis import (
    EstimateHandler,
    OptimizeHandler,
    SynthesizeHandler,
)
from synq_jupyter_server.handlers.targets import TargetHandler, TargetListHandler
from synq_jupyter_server.handlers.tokens import LogoutHandler, RefreshHandler, TokensHandler


@dataclass(frozen=True)
class Route:
    """A path under ``/synq/api`` (``{name}`` marks a path parameter) and its handler."""

    path: str
    handler: type[Any]
    in_spec: bool = True
    kwargs: dict[str, Any] | None = None

    @property
    def pattern(self) -> str:
        """The tornado URL pattern, path parameters as named groups."""
        return API_PREFIX + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path)

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)


def api_routes() -> list[Route]:
    from synq_jupyter_server.handlers.docs import swagger_static_path

    return [
        Route("/health", HealthHandler),
        Route("/auth/me", MeHandler),
        Route("/auth/api-keys", ApiKeysHandler),
        Route("/auth/api-keys/{key_id}", ApiKeyHandler),
        Route("/auth/tokens", TokensHandler),
        Route("/auth/refresh", RefreshHandler),
        Route("/auth/logout", LogoutHandler),
        Route("/auth/mfa/setup", MfaSetupHandler),
        Route("/auth/mfa/verify", MfaVerifyHandler),
        Route("/auth/mfa/disable", MfaDisableHandler),
        Route("/orgs", OrgsHandler),
        Route("/orgs/{org_id}", OrgHandler),
        Route("/orgs/{org_id}/members", MembersHandler),
        Route("/orgs/{org_id}/members/{username}", MemberHandler),
        Route("/orgs/{org_id}/plan", PlanHandler),
        Route("/targets", TargetListHandler),
        Route("/targets/{name}", TargetHandler),
        Route("/circuits/parse", ParseHandler),
        Route("/circuits/transpile", TranspileHandler),
        Route("/circuits/analyze", AnalyzeHandler),
        Route("/circuits/synthesize", SynthesizeHandler),
        Route("/circuits/estimate", EstimateHandler),
        Route("/circuits/optimize", OptimizeHandler),
        Route("/jobs", JobsHandler),
        Route("/jobs/batch", BatchHandler),
        Route("/jobs/stream", JobStreamHandler, in_spec=False),
        Route("/jobs/{job_id}", JobHandler),
        Route("/jobs/{job_id}/result", JobResultHandler),
        Route("/jobs/{job_id}/events", JobEventsHandler),
        Route("/jobs/{job_id}/cancel", JobCancelHandler),
        Route("/jobs/{job_id}/retry", JobRetryHandler),
        Route("/qml/vqe", VQEHandler),
        Route("/qml/qaoa", QAOAHandler),
        Route("/qml/qnn/train", QNNTrainHandler),
        Route("/qml/qnn/{model_id}/predict", QNNPredictHandler),
        Route("/qml/models", ModelsHandler),
        Route("/qml/models/{model_id}", ModelHandler),
        Route("/providers", ProvidersHandler),
        Route("/providers/{name}/credentials", CredentialsHandler),
        Route("/security/audit", AuditHandler),
        Route("/security/audit/verify", AuditVerifyHandler),
        Route("/security/events", SecurityEventsHandler),
        Route("/security/incidents", IncidentsHandler),
        Route("/security/incidents/{incident_id}", IncidentHandler),
        Route("/openapi.json", OpenAPIHandler),
        Route("/docs", DocsHandler, in_spec=False),
        Route(
            "/docs/static/(.*)",
            DocsStaticHandler,
            in_spec=False,
            kwargs={"path": swagger_static_path()},
        ),
        # Last, so that every route above matches first; "/synq/api" itself too.
        Route("(?:/.*)?", NoRouteHandler, in_spec=False),
    ]


def tornado_handlers() -> list[tuple[Any, ...]]:
    """``(pattern, handler, kwargs)`` entries; the extension app prepends the base URL."""
    return [(route.pattern, route.handler, route.kwargs or {}) for route in api_routes()]
