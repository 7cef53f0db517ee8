"""Overhead of SynQ's durable queue over a plain process pool, per no-op job.

Runs 2,000 no-op jobs through the queue (SQLite), the scheduler and the local executor, and
the same 2,000 calls through a ``concurrent.futures`` process pool of the same size, in the
same process. Prints the median per-job overhead (SynQ's median job latency minus the pool's
median call latency; target <= 2 ms) and the throughput ratio.

    python bench/job_overhead.py [--jobs 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from job_harness import OWNER, JobHarness

from synq_jupyter_server.jobs.runner import run_job
from synq_jupyter_server.jobs.states import JobScope


def _ignore(name: str, data: object) -> None:
    return None


def noop_call() -> dict:
    return run_job("noop", {}, _ignore)


def baseline(jobs: int, workers: int) -> tuple[float, list[float]]:
    """Total seconds for ``jobs`` calls, and the latencies of single calls, in a plain pool.

    Latency in a saturated pool is mostly queueing, so per-job latency is measured on
    calls made one at a time, on both sides.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pool.submit(noop_call).result()  # start the workers
        start = time.perf_counter()
        for future in [pool.submit(noop_call) for _ in range(jobs)]:
            future.result()
        total = time.perf_counter() - start
        singles = []
        for _ in range(min(jobs, 200)):
            began = time.perf_counter()
            pool.submit(noop_call).result()
            singles.append(time.perf_counter() - began)
    return total, singles


async def ours(jobs: int, workers: int) -> tuple[float, list[float]]:
    async with JobHarness(workers, max_running=2 * workers) as harness:
        await harness.wait_all([await harness.submit("noop", {})])  # start the workers
        start = time.perf_counter()
        ids = await asyncio.gather(*(harness.submit("noop", {}) for _ in range(jobs)))
        await harness.wait_all(ids)
        total = time.perf_counter() - start
        singles = []
        for _ in range(min(jobs, 200)):
            began = time.perf_counter()
            await harness.wait_all([await harness.submit("noop", {})])
            singles.append(time.perf_counter() - began)
        assert harness.queue.get(ids[0], JobScope.personal(OWNER)).status == "succeeded"
    return total, singles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base_total, base_single = baseline(args.jobs, args.workers)
    our_total, our_single = asyncio.run(ours(args.jobs, args.workers))
    overhead_ms = (statistics.median(our_single) - statistics.median(base_single)) * 1e3
    ratio = (args.jobs / our_total) / (args.jobs / base_total)
    print(f"{args.jobs} no-op jobs, {args.workers} workers")
    print(
        f"  process pool: {base_total:.2f} s ({args.jobs / base_total:,.0f} calls/s), "
        f"median single call {statistics.median(base_single) * 1e3:.2f} ms"
    )
    print(
        f"  synq queue:   {our_total:.2f} s ({args.jobs / our_total:,.0f} jobs/s), "
        f"median single job {statistics.median(our_single) * 1e3:.2f} ms"
    )
    print(f"  median per-job overhead: {overhead_ms:.2f} ms (target <= 2 ms)")
    print(f"  throughput ratio (synq / pool): {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
