"""Jobs on a Dask cluster: the scale-out executor (``SynqApp.executor = "dask"``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from typing import Any

from synq_jupyter_server.jobs.worker_pool import TaskKilled

BATCH_SPLIT_MIN = 500


def dask_run_job(kind: str, payload: dict[str, Any], topic: str) -> dict[str, Any]:
    """Runs a job on a Dask worker; progress goes out as events on ``topic``."""
    from distributed import get_worker

    from synq_jupyter_server.jobs.runner import run_job

    worker = get_worker()

    def report(name: str, data: Any) -> None:
        worker.log_event(topic, {"name": name, "data": data})

    return run_job(kind, payload, report)


class DaskJobExecutor:
    """Runs each job as a Dask task; large sampler batches are split across the workers.

    Progress travels as Dask events (``Worker.log_event`` → ``Client.subscribe_topic``).
    Dask cannot interrupt a running task, so cancelling one restarts the worker process
    that runs it (its nanny starts a fresh one).

    Args:
        address: A Dask scheduler (``tcp://host:port``); ``None`` starts a ``LocalCluster``
            of ``workers`` single-threaded processes on 127.0.0.1.
        workers: Worker processes of that ``LocalCluster``.
    """

    kind = "dask"

    def __init__(self, address: str | None, workers: int = 2) -> None:
        self.address = address
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None
        self._futures: dict[str, list[Any]] = {}
        self._killed: set[str] = set()
        self._stopping: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()

    async def client(self) -> Any:
        async with self._lock:
            if self._client is None:
                from distributed import Client, LocalCluster

                address = self.address
                if address is None:
                    self._cluster = await LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        asynchronous=True,
                    )
                    address = self._cluster.scheduler_address
                self._client = await Client(address, asynchronous=True)
            return self._client

    async def run_job(self, job_id: str, kind: str, payload: dict[str, Any], report: Any) -> Any:
        client = await self.client()
        topic = f"synq-job-{job_id}-{uuid.uuid4().hex[:8]}"
        client.subscribe_topic(topic, lambda event: report(event[1]["name"], event[1]["data"]))
        try:
            if kind == "sample_batch" and len(payload["sources"]) >= BATCH_SPLIT_MIN:
                return await self._split_batch(client, job_id, payload, topic)
            future = client.submit(dask_run_job, kind, payload, topic, key=topic, pure=False)
            self._futures[job_id] = [future]
            return (await self._gather(job_id, [future]))[0]
        finally:
            client.unsubscribe_topic(topic)
            self._futures.pop(job_id, None)
            self._killed.discard(job_id)

    async def _split_batch(
        self, client: Any, job_id: str, payload: dict[str, Any], topic: str
    ) -> dict[str, Any]:
        """One task per worker-sized slice of the batch, merged back in order."""
        sources = payload["sources"]
        parts = max(1, len(client.scheduler_info()["workers"]))
        size = -(-len(sources) // parts)
        futures = []
        for index, start in enumerate(range(0, len(sources), size)):
            # "first": where the slice starts in the batch, which its circuits' seeds follow.
            part = {**payload, "sources": sources[start : start + size], "first": start}
            futures.append(
                client.submit(
                    dask_run_job, "sample_batch", part, topic, key=f"{topic}-{index}", pure=False
                )
            )
        self._futures[job_id] = futures
        results = await self._gather(job_id, futures)
        counts = [c for result in results for c in result["counts"]]
        return {**results[0], "counts": counts, "seed": payload["seed"]}

    async def _gather(self, job_id: str, futures: list[Any]) -> list[Any]:
        try:
            results = [await future for future in futures]
        except Exception:
            if job_id in self._killed:
                raise TaskKilled(job_id) from None
            raise
        if job_id in self._killed:
            raise TaskKilled(job_id)
        return results

    def kill(self, job_id: str) -> bool:
        futures = self._futures.get(job_id)
        if not futures or self._client is None:
            return False
        self._killed.add(job_id)
        task = asyncio.get_running_loop().create_task(self._stop(futures))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)
        return True

    async def _stop(self, futures: list[Any]) -> None:
        client = self._client
        keys = {f.key for f in futures}
        processing = await client.processing()
        busy = [worker for worker, tasks in processing.items() if keys & set(tasks)]
        await client.cancel(futures, force=True)
        if busy:
            with contextlib.suppress(Exception):
                await client.restart_workers(busy, raise_for_error=False)

    async def health(self) -> dict[str, Any]:
        try:
            client = await asyncio.wait_for(self.client(), 60)
            info = client.scheduler_info()
            busy = sum(1 for tasks in (await client.processing()).values() if tasks)
            report = {
                "kind": self.kind,
                "workers": len(info["workers"]),
                "busy": busy,
                "scheduler": info.get("address"),
            }
            if not info["workers"]:
                return {**report, "status": "error", "detail": "the cluster has no workers"}
            if busy < len(info["workers"]):
                report["worker_pid"] = await asyncio.wait_for(
                    client.submit(os.getpid, pure=False), 30
                )
        except Exception as exc:
            return {"status": "error", "kind": self.kind, "detail": f"{type(exc).__name__}: {exc}"}
        return {**report, "status": "ok"}

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        if self._cluster is not None:
            await self._cluster.close()
        self._client = self._cluster = None
