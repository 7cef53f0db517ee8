"""``GET /synq/api/targets`` and ``GET /synq/api/targets/{name}``."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.targets import TargetDetail, TargetList


class TargetListHandler(SynqHandler):
    auth_resource = "synq:targets"
    operations = {
        "get": Operation(
            summary="The target catalogue: simulators and devices",
            response=TargetList,
            errors=(401, 403, 503),  # 503: the worker that builds the catalogue is away
            tags=("targets",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        targets = await self.services.catalogue.summaries()
        self.write_model(TargetList.model_validate({"targets": targets}))


class TargetHandler(SynqHandler):
    auth_resource = "synq:targets"
    operations = {
        "get": Operation(
            summary="One target: qubits, basis, connectivity, error rates, region, prices",
            response=TargetDetail,
            errors=(401, 403, 404, 503),
            tags=("targets",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(TargetDetail.model_validate(await self.services.catalogue.get(name)))
