"""Overhead of running a circuit as a SynQ job over calling Aer directly.

A 20-qubit, depth-20 random circuit with 10,000 shots, run (a) as a sample job through the
queue, the scheduler and the local executor, and (b) with ``AerSimulator.run`` on the same
circuit, in the same process, alternating, 5 runs each. Prints the median time ratio
(target <= 1.10). The job starts from OpenQASM 2 text, as jobs do, and parses it itself.

    python bench/execution_overhead.py [--qubits 20] [--depth 20] [--shots 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from job_harness import JobHarness
from qiskit import qasm2, transpile
from qiskit.circuit.random import random_circuit
from qiskit_aer import AerSimulator

SEED = 2026


async def main_async(args: argparse.Namespace) -> int:
    circuit = random_circuit(args.qubits, args.depth, measure=True, seed=SEED)
    source = qasm2.dumps(circuit)
    simulator = AerSimulator()

    def direct() -> None:
        compiled = transpile(circuit, simulator, optimization_level=0)
        simulator.run(compiled, shots=args.shots, seed_simulator=SEED).result()

    payload = {
        "source": source,
        "format": "qasm2",
        "target": "aer_simulator",
        "shots": args.shots,
        "seed": SEED,
        "optimization_level": 0,
    }
    times: dict[str, list[float]] = {"aer": [], "job": []}
    async with JobHarness(workers=1) as harness:
        await harness.wait_all([await harness.submit("sample", payload)])  # warm the worker
        direct()
        for _ in range(args.runs):
            start = time.perf_counter()
            direct()
            times["aer"].append(time.perf_counter() - start)
            start = time.perf_counter()
            await harness.wait_all([await harness.submit("sample", payload)])
            times["job"].append(time.perf_counter() - start)
    aer, job = statistics.median(times["aer"]), statistics.median(times["job"])
    print(
        f"{args.qubits}-qubit depth-{args.depth} random circuit, {args.shots:,} shots, "
        f"{args.runs} runs each"
    )
    print(f"  AerSimulator.run directly: median {aer:.3f} s")
    print(f"  as a SynQ job:             median {job:.3f} s")
    print(f"  time ratio (job / direct): {job / aer:.2f} (target <= 1.10)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qubits", type=int, default=20)
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--shots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
