"""Trains the transpile-strategy model on transpile outcomes measured by this script.

A seeded corpus of circuits (random brickwork, QFT, QAOA-like, GHZ chains and stars,
ripple-carry adders, hardware-efficient ansätze, quantum volume) is transpiled for each
coupled target with every candidate strategy of ``CANDIDATES``. A (circuit, target) pair is
labelled with the candidates that reach its fewest two-qubit gates; there are often several,
since the best of 16 seeds includes the best of 8. A multi-output scikit-learn decision tree
learns, from ``transpile_strategy.features``, which candidates are optimal; each leaf then
names the cheapest candidate (fewest transpiles) that was optimal for nearly as many of its
training pairs as the best one. The tree is written as flat JSON arrays, which the package
reads without scikit-learn. Takes about three minutes on two cores.

    python bench/train_transpile_strategy.py [--circuits 64] [--seed 7] [--workers 2]
        [--rows measurements.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate, quantum_volume
from sklearn import __version__ as sklearn_version

from synq_jupyter.quantum import get_target
from synq_jupyter.quantum.transpile_strategy import FEATURES, Strategy, features
from synq_jupyter.quantum.versions import library_versions

# Ordered by cost (transpiles), then by preference when equally good.
CANDIDATES = [
    Strategy(optimization_level=3),
    Strategy(optimization_level=2),
    Strategy(optimization_level=3, layout_method="dense"),
    Strategy(optimization_level=3, layout_method="trivial"),
    Strategy(optimization_level=3, routing_method="basic"),
    Strategy(optimization_level=3, seed_trials=4),
    Strategy(optimization_level=2, seed_trials=4),
    Strategy(optimization_level=3, seed_trials=8),
    Strategy(optimization_level=3, seed_trials=16),
    Strategy(optimization_level=3, seed_trials=32),
]
TARGETS = ("ibm_torino", "ibm_brisbane", "rigetti_ankaa_3")
MODEL = Path(__file__).parents[1] / "synq_jupyter" / "quantum" / "data" / "transpile_strategy.json"
MAX_DEPTH = 4
MIN_LEAF = 5
SHARE_SLACK = 0.1


def corpus(seed: int, count: int) -> list[tuple[str, QuantumCircuit]]:
    """``count`` circuits of 4 to 14 qubits, cycling through the families, from ``seed``."""
    rng = np.random.default_rng(seed)
    families = [_brickwork, _qft, _qaoa, _ghz, _adder, _ansatz, _volume]
    circuits = []
    for i in range(count):
        family = families[i % len(families)]
        n = int(rng.integers(4, 15))
        circuits.append(family(n, rng))
    return circuits


def _brickwork(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    qc = QuantumCircuit(n)
    layers = int(rng.integers(2, 8))
    for _ in range(layers):
        order = rng.permutation(n)
        for a, b in zip(order[::2], order[1::2], strict=False):
            qc.cx(int(a), int(b))
        for q in range(n):
            qc.rz(float(rng.uniform(0, 2 * math.pi)), q)
            qc.sx(q)
    return f"brickwork{n}x{layers}", qc


def _qft(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.ry(float(rng.uniform(0, math.pi)), q)
    qc.append(QFTGate(n), range(n))
    return f"qft{n}", qc


def _qaoa(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    density = float(rng.uniform(0.2, 0.6))
    edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    layers = int(rng.integers(1, 3))
    qc = QuantumCircuit(n)
    qc.h(range(n))
    for _ in range(layers):
        gamma, beta = rng.uniform(0, math.pi, size=2)
        for a, b in edges:
            qc.rzz(float(gamma), a, b)
        for q in range(n):
            qc.rx(float(beta), q)
    return f"qaoa{n}p{layers}", qc


def _ghz(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    qc = QuantumCircuit(n)
    qc.h(0)
    star = bool(rng.random() < 0.5)
    for q in range(1, n):
        qc.cx(0 if star else q - 1, q)
    return f"ghz{n}{'star' if star else 'chain'}", qc


def _adder(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    """A ripple-carry adder of ``bits`` bits in majority/unmajority blocks, random inputs."""
    bits = max(1, (n - 2) // 2)
    qc = QuantumCircuit(2 * bits + 2)
    carry, a, b, out = 0, [2 + 2 * i for i in range(bits)], [1 + 2 * i for i in range(bits)], -1
    for q in range(qc.num_qubits - 1):
        if rng.random() < 0.5:
            qc.x(q)
    chain = [carry, *a]
    for i in range(bits):
        qc.cx(a[i], b[i])
        qc.cx(a[i], chain[i])
        qc.ccx(chain[i], b[i], a[i])
    qc.cx(a[-1], qc.num_qubits + out)
    for i in reversed(range(bits)):
        qc.ccx(chain[i], b[i], a[i])
        qc.cx(a[i], chain[i])
        qc.cx(chain[i], b[i])
    return f"adder{bits}", qc


def _ansatz(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    reps = int(rng.integers(1, 4))
    full = bool(rng.random() < 0.5)
    qc = QuantumCircuit(n)
    for _ in range(reps):
        for q in range(n):
            qc.ry(float(rng.uniform(0, 2 * math.pi)), q)
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)] if full else None
        for a, b in pairs or [(q, q + 1) for q in range(n - 1)]:
            qc.cx(a, b)
    return f"ansatz{n}{'full' if full else 'linear'}r{reps}", qc


def _volume(n: int, rng: np.random.Generator) -> tuple[str, QuantumCircuit]:
    n = min(n, 10)
    depth = int(rng.integers(2, n + 1))
    return f"qv{n}d{depth}", quantum_volume(n, depth, seed=int(rng.integers(2**31)))


def measure(job: tuple[str, QuantumCircuit, str, int]) -> dict[str, Any]:
    """Features and per-seed two-qubit counts of one (circuit, target) pair.

    Candidates that differ only in ``seed_trials`` share their transpiles: each setting runs
    once per seed up to the most trials asked for, and a candidate of k trials scores the
    best of the first k (``score``).
    """
    name, circuit, target_name, seed = job
    target = get_target(target_name)
    trials: dict[str, int] = {}
    for c in CANDIDATES:
        trials[_setting(c)] = max(trials.get(_setting(c), 0), c.seed_trials)
    settings = {_setting(c): replace(c, seed_trials=1) for c in CANDIDATES}
    return {
        "circuit": name,
        "target": target_name,
        "features": features(circuit, target),
        "seeds": {
            key: [
                settings[key].transpile(circuit, target, seed=seed + i).report.two_qubit_count
                for i in range(count)
            ]
            for key, count in trials.items()
        },
    }


def score(row: dict[str, Any]) -> list[int]:
    """Two-qubit count of every candidate on a measured pair."""
    return [min(row["seeds"][_setting(c)][: c.seed_trials]) for c in CANDIDATES]


def _setting(strategy: Strategy) -> str:
    return f"O{strategy.optimization_level}/{strategy.layout_method}/{strategy.routing_method}"


def measure_all(seed: int, count: int, workers: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed + 1)
    jobs = [
        (name, circuit, target, int(rng.integers(2**20)))
        for name, circuit in corpus(seed, count)
        for target in TARGETS
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(measure, jobs))


def optimal(counts: list[int]) -> list[int]:
    """1 for every candidate that reaches the fewest two-qubit gates of the pair, else 0."""
    fewest = min(counts)
    return [int(c == fewest) for c in counts]


def fit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A multi-output tree: for each candidate, is it optimal? Leaves pick a candidate.

    A leaf holds, per candidate, the share of its training pairs where that candidate was
    optimal; it picks the cheapest candidate within ``SHARE_SLACK`` of the largest share.
    """
    from sklearn.tree import DecisionTreeClassifier

    x = np.array([row["features"] for row in rows])
    y = np.array([optimal(score(row)) for row in rows])
    tree = DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=MIN_LEAF, random_state=0)
    tree.fit(x, y)
    nodes = tree.tree_
    labels = []
    for value in nodes.value:
        share = [
            float(v[list(classes).index(1)] / v.sum()) if 1 in classes else 0.0
            for v, classes in zip(value, tree.classes_, strict=True)
        ]
        near = [i for i, p in enumerate(share) if p >= max(share) - SHARE_SLACK]
        labels.append(min(near, key=lambda i: (CANDIDATES[i].seed_trials, i)))
    return {
        "left": nodes.children_left.tolist(),
        "right": nodes.children_right.tolist(),
        "feature": [max(int(f), 0) for f in nodes.feature],
        "threshold": nodes.threshold.tolist(),
        "label": labels,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuits", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument(
        "--rows", type=Path, help="JSON file of measurements: read if it exists, else written"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    if args.rows and args.rows.exists():
        rows = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        rows = measure_all(args.seed, args.circuits, args.workers)
        if args.rows:
            args.rows.write_text(json.dumps(rows), encoding="utf-8")
    measured_s = time.perf_counter() - start
    tree = fit(rows)
    labels = Counter(_name(CANDIDATES[optimal(score(r)).index(1)]) for r in rows)
    leaves = Counter(
        _name(CANDIDATES[label])
        for label, left in zip(tree["label"], tree["left"], strict=True)
        if left == -1
    )
    model = {
        "features": list(FEATURES),
        "strategies": [c.to_dict() for c in CANDIDATES],
        "tree": tree,
        "training": {
            "script": "bench/train_transpile_strategy.py",
            "corpus_seed": args.seed,
            "circuits": args.circuits,
            "targets": list(TARGETS),
            "pairs": len(rows),
            "cheapest_optimal_counts": dict(sorted(labels.items())),
            "leaf_strategies": dict(sorted(leaves.items())),
            "max_depth": MAX_DEPTH,
            "min_samples_leaf": MIN_LEAF,
            "share_slack": SHARE_SLACK,
            "versions": {**library_versions(), "scikit-learn": sklearn_version},
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"measured {len(rows)} pairs in {measured_s:.0f} s")
    print(f"cheapest optimal candidate per pair: {dict(sorted(labels.items()))}")
    print(f"tree of {len(tree['left'])} nodes, leaves pick {dict(sorted(leaves.items()))}")
    print(f"written to {args.out}")
    return 0


def _name(strategy: Strategy) -> str:
    methods = [m for m in (strategy.layout_method, strategy.routing_method) if m]
    return " ".join([f"O{strategy.optimization_level}", *methods, f"x{strategy.seed_trials}"])


if __name__ == "__main__":
    sys.exit(main())
