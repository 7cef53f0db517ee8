"""``/synq/api/jobs``: submit, batch, list, read, result, cancel, retry, delete."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, RequestError, SynqHandler
from synq_jupyter_server.jobs.job_view import JobView
from synq_jupyter_server.schemas.base import FieldError
from synq_jupyter_server.schemas.jobs import (
    BatchSubmit,
    EventQuery,
    Job,
    JobEventList,
    JobList,
    JobQuery,
    JobResult,
    JobSubmit,
    result_body,
)

_WRITE_ERRORS = (400, 401, 403, 422, 503)  # 503: the worker that validates circuits is away
_ONE_JOB_ERRORS = (401, 403, 404)
_IDEMPOTENCY = (
    "An `Idempotency-Key` header makes the request safe to repeat: the same key from the "
    "same user returns the job the first request created (200 instead of 201). The key "
    "belongs to that request: sent with a different route or body it is refused (422, field "
    "`Idempotency-Key`)."
)


def job_model(view: JobView) -> Job:
    return Job.model_validate(view, from_attributes=True)


class JobsHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "post": Operation(
            idempotent=True,
            summary="Submit a sampler or estimator job",
            description=_IDEMPOTENCY,
            request=JobSubmit,
            response=Job,
            status=201,
            errors=_WRITE_ERRORS,
            tags=("jobs",),
        ),
        "get": Operation(
            query=JobQuery,
            summary="My jobs, newest first; filter by status, kind, target, tag, since",
            description="Query parameters: status, kind, target, tag, since (ISO 8601), "
            "limit (1-200), cursor (from `next_cursor`).",
            response=JobList,
            errors=(401, 403, 422),
            tags=("jobs",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(JobSubmit)
        view, created = await self.services.jobs.submit(
            self.job_scope, body, self.idempotency(body)
        )
        self.write_model(job_model(view), status=201 if created else 200)

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.parse_query(JobQuery)
        jobs, cursor = await self.services.jobs.page(self.job_scope, query)
        self.write_model(JobList(jobs=[job_model(j) for j in jobs], next_cursor=cursor))


class BatchHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "post": Operation(
            idempotent=True,
            summary="Submit up to 10,000 circuits as one batched sampler job",
            description="The batch is ONE job (kind `sample_batch`) whose result holds a "
            "`counts` list in the order of `sources`. It is simulated on this server, never "
            "sent to a device's cloud: as written on `aer_simulator`, and on any other target "
            "each circuit transpiled for the target and run with its noise model (the result's "
            "`noise` says which). Every circuit is validated first; one bad circuit refuses "
            "the batch (the error names `sources[i]`). " + _IDEMPOTENCY,
            request=BatchSubmit,
            response=Job,
            status=201,
            errors=_WRITE_ERRORS,
            tags=("jobs",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(BatchSubmit)
        view, created = await self.services.jobs.submit_batch(
            self.job_scope, body, self.idempotency(body)
        )
        self.write_model(job_model(view), status=201 if created else 200)


class JobHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "get": Operation(
            summary="One job's status", response=Job, errors=_ONE_JOB_ERRORS, tags=("jobs",)
        ),
        "delete": Operation(
            summary="Delete a finished job with its result and events",
            status=204,
            errors=(401, 403, 404, 409),
            tags=("jobs",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        self.write_model(job_model(await self.services.jobs.get(self.job_scope, job_id)))

    @web.authenticated
    @authorized
    async def delete(self, job_id: str) -> None:
        await self.services.jobs.delete(self.job_scope, job_id)
        self.set_status(204)
        self.finish()


class JobResultHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "get": Operation(
            summary="A finished job's result",
            description="409 while the job has not succeeded.",
            response=JobResult,
            errors=(401, 403, 404, 409),
            tags=("jobs",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        view, result = await self.services.jobs.result(self.job_scope, job_id)
        if result is None:
            detail = f"job {job_id} is {view.status}"
            if view.error:
                detail += f": {view.error}"
            raise RequestError(
                409, detail + "; no result", [FieldError(field="status", message=view.status)]
            )
        self.write_model(result_body(view.id, view.kind, result))


class JobCancelHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "post": Operation(
            summary="Cancel a job",
            description="A queued job is cancelled at once and never starts; a running one "
            "is stopped (its process terminated) and then marked cancelled. Cancelling a "
            "cancelled job changes nothing; a job that already succeeded or failed is refused "
            "(409).",
            response=Job,
            errors=(*_ONE_JOB_ERRORS, 409),
            tags=("jobs",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self, job_id: str) -> None:
        self.write_model(job_model(await self.services.jobs.cancel(self.job_scope, job_id)))


class JobRetryHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "post": Operation(
            summary="Put a failed or cancelled job back in the queue",
            response=Job,
            errors=(401, 403, 404, 409),
            tags=("jobs",),
        )
    }

    @web.authenticated
    @authorized
    async def post(self, job_id: str) -> None:
        self.write_model(job_model(await self.services.jobs.retry(self.job_scope, job_id)))


class JobEventsHandler(SynqHandler):
    auth_resource = "synq:jobs"
    operations = {
        "get": Operation(
            query=EventQuery,
            summary="A job's event timeline: status changes and progress, oldest first",
            description="Query parameters: after (an event id), limit (1-5000). Progress "
            "events of algorithm jobs carry their iterations as `points`.",
            response=JobEventList,
            errors=_ONE_JOB_ERRORS,
            tags=("jobs",),
        )
    }

    @web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        query = self.parse_query(EventQuery)
        events = await self.services.jobs.timeline(self.job_scope, job_id, query.after, query.limit)
        self.write_model(JobEventList.model_validate({"events": events}))
