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
        )
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(Health.model_validate(await self.services.health.check()))
