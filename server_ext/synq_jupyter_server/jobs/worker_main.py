"""The loop a worker process runs: receive a task, run it, send back the outcome.

Imported in freshly spawned processes, so it imports nothing heavy at module level.
"""

from __future__ import annotations

import pickle
from multiprocessing.connection import Connection
from typing import Any


def worker_main(conn: Connection) -> None:
    """Serves tasks until the pipe closes (the server exited or retired this worker)."""
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
            conn.send(("error", _picklable(exc)))


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
