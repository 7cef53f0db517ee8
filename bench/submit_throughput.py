"""Throughput of ``POST /synq/api/jobs`` against a bare authenticated handler.

Starts one Jupyter server with SynQ (SQLite) and a handler that returns ``{}``, then sends
the same number of authenticated POSTs to each from concurrent clients on loopback, in
alternating rounds (bare, jobs; jobs, bare; ...) so that both see the same machine. The job
submissions are real: each validates its circuit and writes a job row and event. The server
is started with ``max_running_jobs=0`` so it only accepts jobs (as an API node in front of
separate workers would) and running them does not compete for the CPU being measured, and
with a rate limit high enough that one client sending thousands of requests is not refused.
Prints the median of the rounds' requests/s ratios (target >= 0.5), the p99 latency of
each, and the CPU time the server spent per request (its process and its worker
processes, all threads): the part of the ratio that does not depend on how busy the
machine's other core is. The server process's share is shown apart: its threads share one
interpreter lock, so, system calls and SQLite aside, it serves at most about 1,000 over that
share in milliseconds requests a second.

    python bench/submit_throughput.py [--requests 2000] [--concurrency 16] [--rounds 5]
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


class Cpu(NamedTuple):
    """CPU seconds used so far by the server process (all its threads, which share one
    interpreter lock) and by its worker processes."""

    process: float
    workers: float


def server_cpu(server: ServerProcess) -> Cpu:
    assert server.process is not None
    process = psutil.Process(server.process.pid)
    spent = [0.0, 0.0]
    for index, each in enumerate([process, *process.children(recursive=True)]):
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        spent[min(index, 1)] += times.user + times.system
    return Cpu(*spent)


class Phase(NamedTuple):
    rps: float
    p99: float
    cpu_ms: float
    """Server CPU milliseconds per request."""
    process_ms: float
    """The part of ``cpu_ms`` spent in the server process (the rest is its workers')."""


class Tally:
    """One endpoint's requests, seconds and server CPU seconds, summed over rounds."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.seconds = 0.0
        self.process_cpu = 0.0
        self.worker_cpu = 0.0

    def phase(self) -> Phase:
        count = len(self.latencies)
        p99 = statistics.quantiles(self.latencies, n=100)[98]
        per_request = 1e3 / count
        cpu = self.process_cpu + self.worker_cpu
        return Phase(count / self.seconds, p99, cpu * per_request, self.process_cpu * per_request)


async def measure(
    server: ServerProcess, args: argparse.Namespace
) -> tuple[Phase, Phase, list[float]]:
    """Both endpoints in alternating rounds, so that both see the same machine: on a shared
    machine another tenant's load comes and goes within seconds, and one long phase after
    the other measured it as much as the server. Returns the two phases and each round's
    ratio."""
    endpoints = {
        "bare": (f"{server.url}bench/empty", {}),
        "jobs": (f"{server.url}synq/api/jobs", JOB),
    }
    tallies = {name: Tally() for name in endpoints}
    for url, body in endpoints.values():  # warm up
        await load(url, server.token, body, args.concurrency * 2, args.concurrency)
    per_round = max(args.concurrency, args.requests // args.rounds)
    ratios = []
    for round_ in range(args.rounds):
        rates = {}
        # Alternate which goes first, so neither always follows the other.
        for name in sorted(endpoints, reverse=round_ % 2 == 1):
            url, body = endpoints[name]
            tally = tallies[name]
            cpu = server_cpu(server)
            start = time.perf_counter()
            tally.latencies += await load(url, server.token, body, per_round, args.concurrency)
            seconds = time.perf_counter() - start
            tally.seconds += seconds
            after = server_cpu(server)
            tally.process_cpu += after.process - cpu.process
            tally.worker_cpu += after.workers - cpu.workers
            rates[name] = per_round / seconds
        ratios.append(rates["jobs"] / rates["bare"])
    return tallies["bare"].phase(), tallies["jobs"].phase(), ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="to each endpoint")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
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
            bare, jobs, ratios = asyncio.run(measure(server, args))
        finally:
            server.stop()
    print(
        f"{args.requests} authenticated POSTs to each, {args.concurrency} concurrent clients, "
        f"in {args.rounds} alternating rounds"
    )
    for label, phase in (("bare handler returning {}:", bare), ("POST /synq/api/jobs:", jobs)):
        print(
            f"  {label:27} {phase.rps:,.0f} req/s, p99 {phase.p99 * 1e3:.1f} ms, "
            f"server CPU {phase.cpu_ms:.2f} ms/request "
            f"({phase.process_ms:.2f} in the server process)"
        )
    rounds = " ".join(f"{r:.2f}" for r in ratios)
    print(f"  requests/s ratio (jobs / bare) in each round: {rounds}")
    print(
        f"  requests/s ratio, median of the rounds: {statistics.median(ratios):.2f} (target >= 0.5)"
    )
    print(f"  server CPU per request (bare / jobs): {bare.cpu_ms / jobs.cpu_ms:.2f}")
    print(
        "  requests/s at one core for the server process (1,000 / its ms per request): "
        f"bare {1e3 / bare.process_ms:,.0f}, jobs {1e3 / jobs.process_ms:,.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
