"""Throughput of ``POST /synq/api/jobs`` against a bare authenticated handler.

Starts one Jupyter server with SynQ (SQLite) and a handler that returns ``{}``, then sends
the same number of authenticated POSTs to each from concurrent clients on loopback. The job
submissions are real: each validates its circuit and writes a job row and event. The server
is started with ``max_running_jobs=0`` so it only accepts jobs (as an API node in front of
separate workers would) and running them does not compete for the CPU being measured, and
with a rate limit high enough that one client sending thousands of requests is not refused.
Prints the requests/s ratio (target >= 0.5), the p99 latency of each, and the CPU time the
server spent per request (its process and its worker processes, all threads): the part of
the ratio that does not depend on how busy the machine's other core is.

    python bench/submit_throughput.py [--requests 1000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from tornado.httpclient import AsyncHTTPClient  # noqa: E402

from tests.fixtures.server_process import ServerProcess  # noqa: E402

JOB = {
    "kind": "sample",
    "source": "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n",
    "target": "aer_simulator",
    "shots": 100,
}


async def load(url: str, token: str, body: dict, requests: int, concurrency: int) -> list[float]:
    client = AsyncHTTPClient(max_clients=concurrency)
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    payload = json.dumps(body)
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            queue.get_nowait()
            start = time.perf_counter()
            response = await client.fetch(url, method="POST", headers=headers, body=payload)
            assert response.code in (200, 201), response.code
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def server_cpu(server: ServerProcess) -> float:
    """CPU seconds used so far by the server process and its worker processes."""
    assert server.process is not None
    process = psutil.Process(server.process.pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class Phase(NamedTuple):
    rps: float
    p99: float
    cpu_ms: float
    """Server CPU milliseconds per request."""


async def measure(server: ServerProcess, args: argparse.Namespace) -> dict[str, Phase]:
    results = {}
    for name, path, body in (
        ("bare handler", "bench/empty", {}),
        ("POST /synq/api/jobs", "synq/api/jobs", JOB),
    ):
        url = f"{server.url}{path}"
        await load(url, server.token, body, args.concurrency * 2, args.concurrency)  # warm up
        cpu = server_cpu(server)
        start = time.perf_counter()
        latencies = await load(url, server.token, body, args.requests, args.concurrency)
        elapsed = time.perf_counter() - start
        cpu_ms = (server_cpu(server) - cpu) / args.requests * 1e3
        p99 = statistics.quantiles(latencies, n=100)[98]
        results[name] = Phase(args.requests / elapsed, p99, cpu_ms)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
    )
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(
            Path(folder),
            f"sqlite:///{folder}/bench.sqlite",
            [
                "--ServerApp.jpserver_extensions="
                "{'synq_jupyter_server': True, 'empty_handler_extension': True}",
                "--SynqApp.max_running_jobs=0",
                "--SynqApp.executor_workers=1",
                "--SynqApp.job_workers=1",
                # The benchmark is one principal sending thousands of requests a minute.
                "--SynqApp.rate_limit=100000000",
            ],
        ).start()
        try:
            results = asyncio.run(measure(server, args))
        finally:
            server.stop()
    bare, jobs = results.values()
    print(f"{args.requests} authenticated POSTs each, {args.concurrency} concurrent clients")
    for label, phase in (("bare handler returning {}:", bare), ("POST /synq/api/jobs:", jobs)):
        print(
            f"  {label:27} {phase.rps:,.0f} req/s, p99 {phase.p99 * 1e3:.1f} ms, "
            f"server CPU {phase.cpu_ms:.2f} ms/request"
        )
    print(f"  requests/s ratio (jobs / bare): {jobs.rps / bare.rps:.2f} (target >= 0.5)")
    print(f"  server CPU per request (bare / jobs): {bare.cpu_ms / jobs.cpu_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
