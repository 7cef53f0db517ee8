"""Ising coefficients: collected from bit or spin terms, and scored over every basis state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

Term = tuple[int, int, float]


class IsingTerms:
    """Collects ``offset + sum_i h_i z_i + sum_{i<j} J_ij z_i z_j``.

    Bit terms are converted with ``x = (1 - z) / 2``, so bit 0 is spin +1.

    Args:
        n: The number of variables.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.offset = 0.0
        self.linear = [0.0] * n
        self.pairs: dict[tuple[int, int], float] = {}

    def add_linear(self, i: int, h: float) -> None:
        """Adds ``h z_i``."""
        self.linear[i] += h

    def add_pair(self, i: int, j: int, w: float) -> None:
        """Adds ``w z_i z_j`` (i != j)."""
        key = (min(i, j), max(i, j))
        self.pairs[key] = self.pairs.get(key, 0.0) + w

    def add_bit(self, i: int, a: float) -> None:
        """Adds ``a x_i = a / 2 - (a / 2) z_i``."""
        self.offset += a / 2
        self.linear[i] -= a / 2

    def add_bit_pair(self, i: int, j: int, b: float) -> None:
        """Adds ``b x_i x_j = (b / 4) (1 - z_i - z_j + z_i z_j)``."""
        self.offset += b / 4
        self.linear[i] -= b / 4
        self.linear[j] -= b / 4
        self.add_pair(i, j, b / 4)

    def add_terms(
        self,
        linear: Mapping[int, float],
        pairs: Mapping[tuple[int, int], float],
        *,
        spins: bool,
        sign: float,
    ) -> None:
        """Adds ``sign`` times the given terms, read as spin terms or as bit terms."""
        for i, a in linear.items():
            if spins:
                self.add_linear(i, sign * a)
            else:
                self.add_bit(i, sign * a)
        for (i, j), b in pairs.items():
            if spins:
                self.add_pair(i, j, sign * b)
            else:
                self.add_bit_pair(i, j, sign * b)

    def fields(self) -> dict[str, Any]:
        """``num_variables``, ``offset``, ``linear`` and ``quadratic`` as ``Problem`` takes them;
        pairs whose coefficients cancel are dropped."""
        pairs = sorted(self.pairs.items())
        return {
            "num_variables": self.n,
            "offset": float(self.offset),
            "linear": tuple(float(h) for h in self.linear),
            "quadratic": tuple((i, j, float(w)) for (i, j), w in pairs if w != 0.0),
        }


def cost_table(
    n: int, offset: float, linear: Sequence[float], quadratic: Sequence[Term]
) -> np.ndarray:
    """The Ising form's value on every basis state: entry k has z_i from bit i of k.

    Splits the variables into a low and a high half and forms the cross terms as one
    matrix product, so the whole table costs about ``n * 2^n`` multiply-adds.
    """
    low = n // 2
    h = np.array(linear, dtype=float)
    upper = np.zeros((n, n))
    for i, j, w in quadratic:
        upper[i, j] += w
    z_low, z_high = spin_table(low), spin_table(n - low)
    part_low = _within(z_low, h[:low], upper[:low, :low])
    part_high = _within(z_high, h[low:], upper[low:, low:])
    table = (z_high @ upper[:low, low:].T) @ z_low.T
    table += part_high[:, None]
    table += part_low[None, :]
    table += offset
    return table.ravel()


def spin_table(m: int) -> np.ndarray:
    """The 2^m x m table of spins: row k holds z_i = 1 - 2 * (bit i of k)."""
    bits = (np.arange(1 << m)[:, None] >> np.arange(m)[None, :]) & 1
    return 1.0 - 2.0 * bits


def _within(z: np.ndarray, h: np.ndarray, upper: np.ndarray) -> np.ndarray:
    return z @ h + np.einsum("ki,ki->k", z @ upper, z)
