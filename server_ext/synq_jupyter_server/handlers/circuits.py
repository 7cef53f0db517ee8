"""``POST /synq/api/circuits/{parse,transpile,analyze}``."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.circuits import (
    AnalyzeRequest,
    AnalyzeResponse,
    ParseRequest,
    ParseResponse,
    TranspileRequest,
    TranspileResponse,
)

_BAD_INPUT = (400, 401, 403, 422, 503)  # 503: the worker that checks circuits is away


class ParseHandler(SynqHandler):
    auth_resource = "synq:circuits"
    operations = {
        "post": Operation(
            summary="Parse SynQ, OpenQASM 2 or OpenQASM 3 into canonical OpenQASM 3",
            request=ParseRequest,
            response=ParseResponse,
            errors=_BAD_INPUT,
            tags=("circuits",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(ParseRequest)
        result = await self.services.circuits.parse(body.source, body.format)
        self.write_model(ParseResponse.model_validate(result))


class TranspileHandler(SynqHandler):
    auth_resource = "synq:circuits"
    operations = {
        "post": Operation(
            summary="Transpile a circuit for a target and report on the result",
            description="A seeded request identical to an earlier one is served from the "
            "database (`cached: true`).",
            request=TranspileRequest,
            response=TranspileResponse,
            errors=_BAD_INPUT,
            tags=("circuits",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(TranspileRequest)
        result = await self.services.circuits.transpile(
            self.username,
            body.source,
            body.format,
            body.target,
            body.optimization_level,
            body.seed,
        )
        self.write_model(TranspileResponse.model_validate(result))


class AnalyzeHandler(SynqHandler):
    auth_resource = "synq:circuits"
    operations = {
        "post": Operation(
            summary="Depth, 2-qubit count, critical path, idle qubits, T-count, feasibility",
            request=AnalyzeRequest,
            response=AnalyzeResponse,
            errors=_BAD_INPUT,
            tags=("circuits",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(AnalyzeRequest)
        result = await self.services.circuits.analyze(body.source, body.format, body.targets)
        self.write_model(AnalyzeResponse.model_validate(result))
