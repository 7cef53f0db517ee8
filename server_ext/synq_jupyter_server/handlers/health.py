"""``GET /synq/api/health``."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.health import Health


class HealthHandler(SynqHandler):
    auth_resource = "synq:health"
    operations = {
        "get": Operation(
            summary="Version, and the status of the database and the executor",
            description="Runs a query on the database and a task through the executor.",
            response=Health,
            tags=("meta",),
        ),
        "head": Operation(
            summary="The same checks, answered by status alone: 200 when every part is ok",
            description="For uptime monitors that read only the status: 503 when the "
            "database or the executor is not ok (GET says which and why).",
            errors=(401, 403, 503),
            tags=("meta",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(Health.model_validate(await self.services.health.check()))

    @web.authenticated
    @authorized
    async def head(self) -> None:
        health = await self.services.health.check()
        self.set_status(200 if health["status"] == "ok" else 503)
        self.finish()
