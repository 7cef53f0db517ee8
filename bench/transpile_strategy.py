"""Two-qubit gates of the learned transpile strategy against fixed optimization level 3.

Generates a held-out corpus with ``train_transpile_strategy.corpus`` from a seed the model
never saw, and for each (circuit, target) pair transpiles it twice with the same seed:

* ``transpile_circuit(..., optimization_level=3)``, the fixed baseline, and
* ``transpile_with_strategy``, which runs the strategy the stored model picks.

Prints the mean of the per-pair ratio model / O3 of two-qubit gate counts, per target and
overall (target <= 0.95), the number of pairs where the model did worse, and the mean number
of transpiles the model spent. All-to-all targets (no routing, so the model is not asked)
are measured on the first ``--all-to-all`` circuits only, because level 3 takes seconds per
circuit there. Exits 1 when the overall ratio is above 1.

    python bench/transpile_strategy.py [--circuits 48] [--seed 4099] [--all-to-all 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict

from train_transpile_strategy import TARGETS, corpus

from synq_jupyter.quantum import transpile_circuit
from synq_jupyter.quantum.transpile_strategy import choose_strategy, transpile_with_strategy

ALL_TO_ALL = ("ionq_aria_1",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuits", type=int, default=48)
    parser.add_argument("--seed", type=int, default=4099)
    parser.add_argument("--all-to-all", type=int, default=6)
    args = parser.parse_args()

    circuits = corpus(args.seed, args.circuits)
    pairs = [(c, t) for c in circuits for t in TARGETS]
    pairs += [(c, t) for c in circuits[: args.all_to_all] for t in ALL_TO_ALL]
    ratios: dict[str, list[float]] = defaultdict(list)
    worse: list[str] = []
    spent: list[int] = []
    times = {"o3": 0.0, "model": 0.0}
    for index, ((name, circuit), target) in enumerate(pairs):
        seed = args.seed + index
        start = time.perf_counter()
        o3 = transpile_circuit(circuit, target, optimization_level=3, seed=seed).report
        times["o3"] += time.perf_counter() - start
        start = time.perf_counter()
        ours = transpile_with_strategy(circuit, target, seed).report
        times["model"] += time.perf_counter() - start
        spent.append(choose_strategy(circuit, target).seed_trials)
        if o3.two_qubit_count == 0:
            continue
        ratio = ours.two_qubit_count / o3.two_qubit_count
        ratios[target].append(ratio)
        if ratio > 1:
            worse.append(f"{name} on {target}: {ours.two_qubit_count} vs {o3.two_qubit_count}")

    every = [r for values in ratios.values() for r in values]
    coupled = [r for t in TARGETS for r in ratios[t]]
    print(f"held-out corpus: {args.circuits} circuits, seed {args.seed}; {len(pairs)} pairs")
    for target, values in ratios.items():
        print(f"  {target:18} mean 2q ratio model/O3 {statistics.mean(values):.3f} ({len(values)})")
    overall = statistics.mean(every)
    print(f"  coupled targets    mean 2q ratio model/O3 {statistics.mean(coupled):.4f}")
    print(f"  all pairs          mean 2q ratio model/O3 {overall:.4f}  (target <= 0.95)")
    print(f"  pairs where the model is worse: {len(worse)}")
    for line in worse:
        print(f"    {line}")
    print(
        f"  transpiles per pair: model {statistics.mean(spent):.1f}, O3 1; "
        f"time model/O3 {times['model'] / times['o3']:.2f}"
    )
    return 0 if overall <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
