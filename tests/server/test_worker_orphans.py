"""A worker whose server dies stops, even in the middle of a long job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

SERVER = """
import asyncio, sys, time
from synq_jupyter_server.jobs.worker_pool import WorkerPool

async def main():
    pool = WorkerPool(1, sys.argv[1])
    # A long computation that reports nothing, so it never writes to the dead pipe.
    task = asyncio.ensure_future(pool.run(time.sleep, 600, key="long"))
    await asyncio.sleep(0.5)
    print(pool._workers[0].pid, flush=True)
    await task

if __name__ == "__main__":
    asyncio.run(main())
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has stopped running, which is what matters.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_a_busy_worker_exits_when_its_server_is_killed(tmp_path, start_method):
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    server = subprocess.Popen(
        [sys.executable, str(script), start_method], stdout=subprocess.PIPE, text=True
    )
    try:
        worker = int(server.stdout.readline())
        assert alive(worker)
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        deadline = time.monotonic() + 15
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(worker), "the worker outlived its server"
    finally:
        server.kill()
        server.wait()
