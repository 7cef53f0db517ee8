"""Overhead of SynQ's transpile service over Qiskit's preset pass manager.

Transpiles QFT-100 for the Heron target (``ibm_torino``) at optimization level 2 with a fixed
seed, five times each, alternating between

* SynQ's ``transpile_circuit`` (the service the API, the CLI and the magics call: preset
  pass manager plus the transpile report), and
* Qiskit's ``generate_preset_pass_manager(...).run``,

and prints the median-time ratio (target <= 1.10) and the two-qubit-gate ratio (must be 1.00).
The OpenQASM 3 export the REST API adds on top is timed separately, for information.
Exits 1 when the two-qubit counts differ.

    python bench/transpile_overhead.py [--qubits 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager

from synq_jupyter.quantum import get_target, transpile_circuit

SEED = 1234
LEVEL = 2


def qft(n: int) -> QuantumCircuit:
    circuit = QuantumCircuit(n)
    circuit.append(QFTGate(n), range(n))
    return circuit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qubits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--target", default="ibm_torino")
    args = parser.parse_args()

    circuit = qft(args.qubits)
    target = get_target(args.target)
    qiskit_target = target.qiskit_target

    def baseline() -> int:
        manager = generate_preset_pass_manager(
            optimization_level=LEVEL, target=qiskit_target, seed_transpiler=SEED
        )
        out = manager.run(circuit)
        return sum(1 for inst in out.data if inst.operation.num_qubits == 2)

    def ours() -> int:
        return transpile_circuit(
            circuit, target, optimization_level=LEVEL, seed=SEED
        ).report.two_qubit_count

    # Warm both paths once: imports, the target's calibration table, Qiskit's caches.
    baseline_count = baseline()
    ours_count = ours()

    times: dict[str, list[float]] = {"baseline": [], "ours": []}
    for _ in range(args.runs):
        for name, run in (("baseline", baseline), ("ours", ours)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)

    start = time.perf_counter()
    result = transpile_circuit(circuit, target, optimization_level=LEVEL, seed=SEED)
    transpile_s = time.perf_counter() - start
    start = time.perf_counter()
    _ = result.qasm3
    export_s = time.perf_counter() - start

    base = statistics.median(times["baseline"])
    mine = statistics.median(times["ours"])
    time_ratio = mine / base
    count_ratio = ours_count / baseline_count
    print(f"QFT-{args.qubits} -> {args.target}, O{LEVEL}, seed {SEED}, {args.runs} runs each")
    print(f"  qiskit preset pass manager: median {base:.3f} s  {_spread(times['baseline'])}")
    print(f"  synq transpile service:     median {mine:.3f} s  {_spread(times['ours'])}")
    print(f"  time ratio (synq / qiskit): {time_ratio:.2f}  (target <= 1.10)")
    print(f"  2-qubit gates: synq {ours_count}, qiskit {baseline_count}, ratio {count_ratio:.2f}")
    print(
        f"  + OpenQASM 3 export for the REST reply: {export_s:.3f} s "
        f"({export_s / transpile_s:.0%} of one transpile)"
    )
    if ours_count != baseline_count:
        print("FAIL: the two-qubit counts differ", file=sys.stderr)
        return 1
    return 0


def _spread(values: list[float]) -> str:
    return f"(min {min(values):.3f}, max {max(values):.3f})"


if __name__ == "__main__":
    sys.exit(main())
