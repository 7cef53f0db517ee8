"""The loop a worker process runs: receive a task, run it, send back the outcome.

Imported in freshly started processes, so it imports nothing heavy at module level.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection, wait
from typing import Any

from synq_jupyter.errors import picklable


def worker_main(conn: Connection) -> None:
    """Serves tasks until the pipe closes (the server exited or retired this worker)."""
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
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


def _exit_when_orphaned() -> None:
    """Ends the worker when its server dies (``kill -9`` included).

    A worker busy with a long job would not notice the closed pipe until the job ends, and
    by then a restarted server has handed the job to a new worker. The server is the
    process that started this one, though not always its parent: a fork server's workers
    are its children, and it outlives the server while they live. Multiprocessing gives
    every child a sentinel that the starting process holds open until it dies.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        wait([parent.sentinel])
        os._exit(1)
