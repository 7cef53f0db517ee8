"""Algorithm jobs (VQE, QAOA, QNN, synthesis) and the trained models they leave behind."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Job, QmlModel, utcnow
from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.jobs.idempotency import Idempotency
from synq_jupyter_server.jobs.job_view import JobView, as_utc
from synq_jupyter_server.jobs.queue import NotFound
from synq_jupyter_server.jobs.states import JobScope
from synq_jupyter_server.schemas.jobs import JobSettings
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.services.jobs import JobService, draw_seed
from synq_jupyter_server.tasks import validate_algorithm_task, validate_prediction_task

QNN_DEVICE = "lightning.qubit"


class ModelNotFound(NotFound):
    """No trained model with that id belongs to the caller."""

    what = "model"
    field = "model_id"


class QmlService:
    """Checks an algorithm's spec on the checks worker, then queues it as a job.

    Every spec is validated by the same code the worker runs, before a row is written, so
    a malformed Hamiltonian or an empty graph is a 422 and never a failed job.
    """

    def __init__(
        self,
        jobs: JobService,
        checks: LocalExecutor,
        catalogue: CatalogueService,
        database: Database,
    ) -> None:
        self._jobs = jobs
        self._checks = checks
        self._catalogue = catalogue
        self._database = database
        jobs.queue.on_complete["qnn_train"] = store_trained_model

    async def submit(
        self,
        scope: JobScope,
        kind: str,
        spec: dict[str, Any],
        options: JobSettings,
        idempotency: Idempotency | None,
        name: str | None = None,
    ) -> tuple[JobView, bool]:
        """Queues a ``vqe``, ``qaoa``, ``qnn_train`` or ``synthesize`` job for ``spec``."""
        if (first := await self._jobs.replay(scope, idempotency)) is not None:
            return first, False
        spec = {**spec, "seed": draw_seed(options.seed)}
        if spec.get("target"):
            await self._catalogue.require(spec["target"])
        target: str = await self._checks.run(validate_algorithm_task, kind, spec)
        if kind == "vqe" and spec.get("estimator") == "hardware":
            await self._require_credentials(scope.owner, target)
        payload = {"spec": spec, "name": name}
        return await self._jobs.enqueue(scope, kind, target, options, payload, idempotency)

    async def _require_credentials(self, owner: str, target: str) -> None:
        """Refuses now, not as a failed job later, a run on a device the owner has no key for.

        It asks the scheduler's lookup, the one that hands the key to the job.
        """
        lookup = self._jobs.scheduler.credentials
        if lookup is None or await lookup(owner, target) is None:
            raise SynqInputError(
                f"the hardware estimator runs on {target} with your IBM Quantum API key: "
                "store one with PUT /synq/api/providers/ibm/credentials",
                field="credentials",
            )

    async def predict(
        self,
        scope: JobScope,
        model_id: str,
        features: list[list[float]],
        options: JobSettings,
        idempotency: Idempotency | None,
    ) -> tuple[JobView, bool]:
        """Queues a prediction with a stored model."""
        if (first := await self._jobs.replay(scope, idempotency)) is not None:
            return first, False
        stored = await self.model(scope, model_id)
        await self._checks.run(validate_prediction_task, stored["model"], features)
        payload = {"model_id": model_id, "model": stored["model"], "X": features}
        return await self._jobs.enqueue(
            scope, "qnn_predict", QNN_DEVICE, options, payload, idempotency
        )

    async def models(self, scope: JobScope) -> list[dict[str, Any]]:
        """The trained models of the scope's organisation, newest first."""
        return await asyncio.to_thread(self._models, scope.org_id, None)

    async def model(self, scope: JobScope, model_id: str) -> dict[str, Any]:
        found = await asyncio.to_thread(self._models, scope.org_id, model_id)
        if not found:
            raise ModelNotFound(model_id)
        return found[0]

    def _models(self, org_id: str, model_id: str | None) -> list[dict[str, Any]]:
        query = select(QmlModel).where(QmlModel.org_id == org_id)
        if model_id is not None:
            query = query.where(QmlModel.id == model_id)
        with self._database.session(write=False) as session:
            rows = session.scalars(query.order_by(QmlModel.created_at.desc())).all()
            return [_model_dict(row) for row in rows]


def store_trained_model(session: Session, job: Job, result: dict[str, Any]) -> None:
    """Keeps a finished training job's model, under the job's id."""
    metrics = {k: v for k, v in result.items() if k not in ("model", "loss_curve")}
    name = job.payload.get("name") or f"qnn-{job.id[:8]}"
    session.execute(
        insert(QmlModel).values(
            id=job.id,
            owner=job.owner,
            org_id=job.org_id,
            kind="qnn_classifier",
            name=name,
            model=result["model"],
            metrics=metrics,
            created_at=utcnow(),
        )
    )


def _model_dict(row: QmlModel) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "model": row.model,
        "metrics": row.metrics,
        "created_at": as_utc(row.created_at),
    }
