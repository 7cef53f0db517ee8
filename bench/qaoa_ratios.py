"""Approximation ratios of SynQ's QAOA on random 3-regular MaxCut graphs, p = 1 to 3.

Draws 10 seeded random 3-regular graphs of 12 to 16 nodes and, for each depth p, compares

* ``interp``: optimised angles (p = 1 from a grid, then INTERP and re-optimisation), and
* ``fixed``: the published fixed angles for degree 3 (Wurtz & Lykov 2021), unrefined,

by the approximation ratio <C> / C_max (C_max by brute force), against the worst-case bound
of the fixed angles on graphs without short cycles (0.6924, 0.7559, 0.7924). Prints the
mean and the minimum over the graphs, and the time of each method. Exits 1 when an
optimised instance falls below its bound or the mean ratio at p = 3 is under 0.85.

    python bench/qaoa_ratios.py [--graphs 10] [--sizes 12,14,16]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from synq_jupyter.algorithms.problems_graphs import random_regular_graph
from synq_jupyter.algorithms.qaoa import QAOASpec, run_qaoa
from synq_jupyter.algorithms.qaoa_angles import GUARANTEED_RATIO_3_REGULAR as BOUNDS

DEPTHS = (1, 2, 3)
TARGET_MEAN_P3 = 0.85


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=10)
    parser.add_argument("--sizes", default="12,14,16", help="node counts, cycled over graphs")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    interp: dict[int, list[float]] = {p: [] for p in DEPTHS}
    fixed: dict[int, list[float]] = {p: [] for p in DEPTHS}
    seconds = {"interp": 0.0, "fixed": 0.0}
    for index in range(args.graphs):
        n = sizes[index % len(sizes)]
        problem = {"type": "maxcut", "edges": [list(e) for e in random_regular_graph(n, 3, index)]}
        start = time.perf_counter()
        # One INTERP run to p = 3 passes through the optimum of every smaller depth.
        result = run_qaoa(QAOASpec.from_dict({"problem": problem, "p": 3, "seed": index}))
        seconds["interp"] += time.perf_counter() - start
        for depth in result.by_depth:
            interp[depth["p"]].append(depth["approximation_ratio"])
        for p in DEPTHS:
            start = time.perf_counter()
            spec = {"problem": problem, "p": p, "init": "fixed", "max_iterations": 0, "seed": 0}
            fixed[p].append(run_qaoa(QAOASpec.from_dict(spec)).approximation_ratio)
            seconds["fixed"] += time.perf_counter() - start

    print(f"{args.graphs} random 3-regular graphs, n in {sizes}; ratio = <C> / C_max (brute force)")
    print(" p  bound   interp mean  interp min   fixed mean  fixed min")
    failed = False
    for p in DEPTHS:
        low = min(interp[p])
        failed |= low <= BOUNDS[p]
        print(
            f" {p}  {BOUNDS[p]:.4f}  {statistics.mean(interp[p]):11.4f} {low:11.4f}"
            f"  {statistics.mean(fixed[p]):11.4f} {min(fixed[p]):10.4f}"
            f"{'' if low > BOUNDS[p] else '  BELOW BOUND'}"
        )
    mean_p3 = statistics.mean(interp[3])
    print(f"mean interp ratio at p = 3: {mean_p3:.4f} (target >= {TARGET_MEAN_P3})")
    print(
        f"time: interp to p = 3 {seconds['interp']:.1f} s, fixed angles at p = 1..3 "
        f"{seconds['fixed']:.1f} s (ratio {seconds['interp'] / seconds['fixed']:.1f})"
    )
    if failed or mean_p3 < TARGET_MEAN_P3:
        print("FAIL: an instance is below its bound or the p = 3 mean is too low", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
