"""The loop a worker process runs: receive a task, run it, send back the outcome.

Imported in freshly spawned processes, so it imports nothing heavy at module level.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

ORPHAN_CHECK_SECONDS = 1.0


def worker_main(conn: Connection) -> None:
    """Serves tasks until the pipe closes (the server exited or retired this worker)."""
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    while True:
        try:
            fn, args, wants_report = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return

        def report(name: str, data: Any) -> None:
            conn.send(("report", (name, data)))

        try:
            result = fn(*args, report=report) if wants_report else fn(*args)
            conn.send(("result", result))
        except Exception as exc:  # the task's own error goes back to the caller
            conn.send(("error", picklable(exc)))


def picklable(exc: Exception) -> Exception:
    """``exc``, or a ``RuntimeError`` naming it when it cannot travel back to the server."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _exit_when_orphaned(parent: int) -> None:
    """Ends the worker when its server dies (``kill -9`` included).

    A worker busy with a long job would not notice the closed pipe until the job ends, and
    by then a restarted server has handed the job to a new worker.
    """
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)
