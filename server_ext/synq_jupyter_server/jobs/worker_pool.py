"""A pool of worker processes, started clean, whose running task can be killed."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from typing import Any, Literal

from synq_jupyter_server.jobs.worker_main import worker_main

Report = Callable[[str, Any], None]
StartMethod = Literal["spawn", "forkserver"]

# What the fork server imports once, so that its workers start with them loaded: Qiskit's
# preset pass managers load every installed transpiler plugin (qiskit-ibm-runtime's among
# them), which costs a fresh interpreter seconds before its first transpile.
PRELOAD = [
    "synq_jupyter_server.jobs.runner",
    "synq_jupyter_server.tasks",
    "synq_jupyter.quantum",
    "qiskit_aer",
    "qiskit_ibm_runtime",
]


class TaskKilled(Exception):
    """The task's process was killed on request (a cancelled job)."""


class WorkerLost(Exception):
    """The task's process died on its own (a crash, the OOM killer)."""


@dataclass
class _Worker:
    process: Any
    conn: Connection
    key: str | None = None
    future: asyncio.Future[Any] | None = None
    report: Report | None = None
    killed: bool = False
    pid: int = field(default=0)


class WorkerPool:
    """``size`` processes, each running one task at a time.

    ``concurrent.futures`` pools cannot stop a running task, and cancelling a job must stop
    it, so each task runs in a known process that ``kill`` terminates (and replaces).
    Tasks report progress back through their pipe; the event loop reads every pipe with
    ``add_reader``, so no thread is needed.

    Workers never inherit the server's state. With ``"spawn"`` each is a fresh interpreter
    that imports what its first task needs; with ``"forkserver"`` each is forked from one
    clean process that imported ``PRELOAD`` once (Python 3.14's default on Linux), so a
    worker replacing a killed one is ready at once.

    Args:
        size: Number of worker processes.
        start_method: How worker processes start.
    """

    kind = "local"

    def __init__(self, size: int, start_method: StartMethod = "spawn") -> None:
        self.size = size
        self._context: SpawnContext | ForkServerContext = multiprocessing.get_context("spawn")
        if start_method == "forkserver":
            self._context = multiprocessing.get_context("forkserver")
            # One fork server serves the whole process; the list counts only before it starts.
            self._context.set_forkserver_preload(PRELOAD)
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _start(self) -> None:
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        assert self._loop is not None
        assert self._idle is not None
        parent, child = self._context.Pipe()
        process = self._context.Process(target=worker_main, args=(child,), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process=process, conn=parent, pid=process.pid or 0)
        self._workers.append(worker)
        self._loop.add_reader(parent.fileno(), self._on_message, worker)
        self._idle.put_nowait(worker)

    async def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        key: str | None = None,
        report: Report | None = None,
    ) -> Any:
        """Runs ``fn(*args, report=...)`` in a worker (``report`` only when given).

        Raises:
            TaskKilled: ``kill(key)`` stopped it.
            WorkerLost: the process died.
            Exception: whatever ``fn`` raised (it must be picklable).
        """
        self._start()
        assert self._idle is not None
        assert self._loop is not None
        worker = await self._idle.get()
        while not worker.process.is_alive():
            self._retire(worker)
            self._spawn()
            worker = await self._idle.get()
        worker.key, worker.report, worker.killed = key, report, False
        worker.future = self._loop.create_future()
        try:
            worker.conn.send((fn, args, report is not None))
            return await worker.future
        except asyncio.CancelledError:
            # The task still runs, and its answer would reach the worker's next caller:
            # stop the process instead (it is replaced).
            worker.killed = True
            worker.process.kill()
            raise
        finally:
            worker.key, worker.report, worker.future = None, None, None
            if worker.process.is_alive() and worker in self._workers and not worker.killed:
                self._idle.put_nowait(worker)

    def kill(self, key: str) -> bool:
        """Terminates the process running the task ``key``; its caller gets ``TaskKilled``."""
        for worker in self._workers:
            if worker.key == key and worker.future is not None:
                worker.killed = True
                worker.process.kill()
                return True
        return False

    def running(self) -> list[str]:
        return [w.key for w in self._workers if w.key is not None]

    def _on_message(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._on_exit(worker)
            return
        kind, payload = message
        if kind == "report" and worker.report is not None:
            name, data = payload
            worker.report(name, data)
        elif worker.future is not None and not worker.future.done():
            if kind == "result":
                worker.future.set_result(payload)
            elif kind == "error":
                worker.future.set_exception(payload)

    def _on_exit(self, worker: _Worker) -> None:
        worker.process.join(timeout=1)
        future = worker.future
        if future is not None and not future.done():
            if worker.killed:
                future.set_exception(TaskKilled(worker.key))
            else:
                code = worker.process.exitcode
                future.set_exception(WorkerLost(f"worker process exited with code {code}"))
        self._retire(worker)
        self._spawn()

    def _retire(self, worker: _Worker) -> None:
        if self._loop is not None:
            with contextlib.suppress(ValueError, OSError):
                self._loop.remove_reader(worker.conn.fileno())
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    async def health(self, timeout: float = 20.0) -> dict[str, Any]:
        """Runs a trivial task on an idle worker; when all are busy, checks they are alive."""
        self._start()
        assert self._idle is not None
        report: dict[str, Any] = {
            "kind": self.kind,
            "workers": self.size,
            "busy": len(self.running()),
        }
        if self._idle.empty():
            alive = all(w.process.is_alive() for w in self._workers)
            return {**report, "status": "ok" if alive else "error"}
        try:
            pid = await asyncio.wait_for(self.run(os.getpid), timeout)
        except (asyncio.TimeoutError, WorkerLost) as exc:
            return {**report, "status": "error", "detail": str(exc) or "timed out"}
        return {**report, "status": "ok", "worker_pid": pid}

    def shutdown(self) -> None:
        for worker in list(self._workers):
            self._retire(worker)
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(timeout=5)
        self._workers.clear()
        self._loop = None
        self._idle = None
