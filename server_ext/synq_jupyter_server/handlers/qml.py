"""``/synq/api/qml``: VQE, QAOA, QNN training and prediction, trained models.

Each POST queues a job and answers 201 with it; the result arrives at
``/synq/api/jobs/{id}/result`` and every iteration on the job stream.
"""

from __future__ import annotations

from typing import ClassVar

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.handlers.jobs import job_model
from synq_jupyter_server.schemas.jobs import Job, JobSettings
from synq_jupyter_server.schemas.qml import (
    Model,
    ModelList,
    QAOARequest,
    QNNPredictRequest,
    QNNTrainRequest,
    VQERequest,
)

_ERRORS = (400, 401, 403, 422, 503)  # 503: the worker that checks inputs is away
_AS_JOB = (
    "Runs as a job: the reply is the queued job; its progress events carry each iteration "
    "as `points` ([iteration, value]) and `GET /synq/api/jobs/{id}/result` gives the result. "
    "An `Idempotency-Key` header makes the request safe to repeat."
)
_SETTINGS = set(JobSettings.model_fields)


class AlgorithmHandler(SynqHandler):
    """POST a spec, get the job that runs it."""

    auth_resource = "synq:jobs"
    kind: ClassVar[str]
    request_model: ClassVar[type[JobSettings]]

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(self.request_model)
        spec = body.model_dump(exclude=_SETTINGS | {"name"}, exclude_none=True)
        view, created = await self.services.qml.submit(
            self.job_scope,
            self.kind,
            spec,
            body,
            self.idempotency(body),
            name=getattr(body, "name", None),
        )
        self.write_model(job_model(view), status=201 if created else 200)


def algorithm_operation(
    summary: str,
    request: type[JobSettings],
    description: str = "",
    tags: tuple[str, ...] = ("qml",),
) -> Operation:
    """The spec entry of an algorithm route."""
    return Operation(
        idempotent=True,
        summary=summary,
        description=(description + "\n\n" + _AS_JOB).strip(),
        request=request,
        response=Job,
        status=201,
        errors=_ERRORS,
        tags=tags,
    )


class VQEHandler(AlgorithmHandler):
    kind = "vqe"
    request_model = VQERequest
    operations = {
        "post": algorithm_operation(
            "Find a ground-state energy with VQE",
            VQERequest,
            "The result has `energy`, the computed `exact_energy` (≤ 14 qubits), `error`, "
            "`std_error` (sampled estimators), `optimal_parameters`, `evaluations` and "
            "`history`.",
        )
    }


class QAOAHandler(AlgorithmHandler):
    kind = "qaoa"
    request_model = QAOARequest
    operations = {
        "post": algorithm_operation(
            "Solve MaxCut, MIS, number partitioning or a QUBO/Ising model with QAOA",
            QAOARequest,
            "The result has the best bitstring and its objective, the distribution, and the "
            "approximation ratio ⟨C⟩ / C_max (C_max by brute force up to 20 variables).",
        )
    }


class QNNTrainHandler(AlgorithmHandler):
    kind = "qnn_train"
    request_model = QNNTrainRequest
    operations = {
        "post": algorithm_operation(
            "Train a quantum neural-network classifier",
            QNNTrainRequest,
            "The result has train and test accuracy, the loss curve and an SVC baseline on "
            "the identical split; the model is stored under the job's id.",
        )
    }


class QNNPredictHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "post": Operation(
            idempotent=True,
            summary="Predict labels with a stored model",
            description=_AS_JOB,
            request=QNNPredictRequest,
            response=Job,
            status=201,
            errors=(400, 401, 403, 404, 422, 503),
            tags=("qml",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self, model_id: str) -> None:
        body = self.parse_body(QNNPredictRequest)
        view, created = await self.services.qml.predict(
            self.job_scope, model_id, body.X, body, self.idempotency(body)
        )
        self.write_model(job_model(view), status=201 if created else 200)


class ModelsHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "get": Operation(
            summary="My trained models, newest first",
            response=ModelList,
            tags=("qml",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        models = await self.services.qml.models(self.job_scope)
        self.write_model(ModelList(models=[Model.model_validate(m) for m in models]))


class ModelHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "get": Operation(
            summary="One trained model", response=Model, errors=(401, 403, 404), tags=("qml",)
        )
    }

    @web.authenticated
    @authorized
    async def get(self, model_id: str) -> None:
        model = await self.services.qml.model(self.job_scope, model_id)
        self.write_model(Model.model_validate(model))
