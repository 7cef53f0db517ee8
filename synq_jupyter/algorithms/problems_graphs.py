"""Graphs for problem instances: seeded random regular graphs and degree checks."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from synq_jupyter.algorithms.problems_input import integer
from synq_jupyter.errors import SynqInputError

# The pairing model accepts a simple graph with probability about exp((1 - d^2) / 4), so a
# few thousand tries are plenty for the small degrees QAOA benchmarks use.
MAX_TRIES = 100_000


def random_regular_graph(n: int, degree: int, seed: int) -> list[tuple[int, int]]:
    """A uniformly random simple ``degree``-regular graph on nodes 0 .. n - 1.

    Uses the pairing (configuration) model: ``n * degree`` half-edges are matched at random,
    and a matching with a self-loop or a repeated edge is thrown away and drawn again.

    Args:
        n: The number of nodes.
        degree: The degree of every node; ``n * degree`` must be even and ``degree < n``.
        seed: Seeds NumPy's generator; the same arguments give the same graph.

    Returns:
        The edges (u, v) with u < v, sorted.

    Raises:
        SynqInputError: No such graph exists, or the degree is too high for the model.
    """
    n = integer(n, "n", minimum=1)
    degree = integer(degree, "degree", minimum=1, maximum=n - 1)
    if n * degree % 2:
        raise SynqInputError(f"no {degree}-regular graph has {n} nodes: n * degree is odd")
    rng = np.random.default_rng(seed)
    stubs = np.repeat(np.arange(n), degree)
    for _ in range(MAX_TRIES):
        pairs = rng.permutation(stubs).reshape(-1, 2)
        pairs.sort(axis=1)
        if np.any(pairs[:, 0] == pairs[:, 1]):
            continue
        keys = pairs[:, 0] * n + pairs[:, 1]
        if len(np.unique(keys)) == len(keys):
            return sorted((int(u), int(v)) for u, v in pairs)
    raise SynqInputError(f"could not draw a {degree}-regular graph on {n} nodes; lower the degree")


def regular_degree(edges: Iterable[tuple[int, int, float]], num_nodes: int) -> int | None:
    """The common degree when every node has the same degree and every weight is 1, else None."""
    degrees = np.zeros(num_nodes, dtype=int)
    for u, v, w in edges:
        if w != 1.0:
            return None
        degrees[u] += 1
        degrees[v] += 1
    first = int(degrees[0])
    return first if first > 0 and np.all(degrees == first) else None
