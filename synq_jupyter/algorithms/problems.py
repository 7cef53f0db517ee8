"""Optimisation problems over binary variables, as an Ising objective to maximise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from synq_jupyter.algorithms import problems_input as check
from synq_jupyter.algorithms.problems_ising import IsingTerms, Term, cost_table
from synq_jupyter.errors import SynqInputError

PROBLEM_TYPES = ("maxcut", "mis", "number_partitioning", "qubo", "ising")
MAX_VARIABLES = 1024
DEFAULT_PENALTY = 2.0

_KEYS = {
    "maxcut": ("type", "edges", "num_nodes"),
    "mis": ("type", "edges", "num_nodes", "penalty"),
    "number_partitioning": ("type", "numbers"),
    "qubo": ("type", "matrix", "linear", "quadratic", "offset", "num_variables", "sense"),
    "ising": ("type", "matrix", "linear", "quadratic", "offset", "num_variables", "sense"),
}


@dataclass(frozen=True)
class Problem:
    """An objective C over n binary variables, which QAOA maximises.

    Bit ``x_i`` in {0, 1} is qubit i, and its spin is ``z_i = 1 - 2 x_i`` (the eigenvalue of
    Z on that qubit, so ``|0>`` is +1). Every problem is stored in Ising form::

        C(z) = offset + sum_i linear[i] z_i + sum_{(i, j, w) in quadratic} w z_i z_j

    Bitstrings are in Qiskit order: the rightmost character is variable 0.

    The objective of each problem type, to be maximised:

    * ``maxcut``: the total weight of the edges cut, ``sum_ij w_ij (1 - z_i z_j) / 2``.
    * ``mis`` (maximum independent set): ``sum_i x_i - penalty * sum_ij x_i x_j``. For
      ``penalty > 1`` the maximum is a largest independent set, and on any independent set
      (a *feasible* bitstring) C is its size.
    * ``number_partitioning``: ``-(sum_i a_i z_i)^2``, minus the squared difference between
      the sums of the two sides (bit 0 and bit 1); 0 for a perfect partition.
    * ``qubo``: an energy ``E(x) = offset + sum_i linear_i x_i + sum_ij quadratic_ij x_i x_j
      + x^T M x`` (M the optional ``matrix``).
    * ``ising``: an energy ``E(z) = offset + sum_i linear_i z_i + sum_ij quadratic_ij z_i z_j
      + z^T M z``.

    For ``qubo`` and ``ising``, ``sense`` says what the user wants: ``"min"`` (the default,
    as for annealers) makes C = -E; ``"max"`` makes C = E.

    Attributes:
        kind: One of ``PROBLEM_TYPES``.
        num_variables: n, the number of binary variables (qubits).
        offset: The constant part of C.
        linear: The coefficient of each ``z_i`` in C.
        quadratic: The coefficient of each ``z_i z_j`` in C, as (i, j, w) with i < j.
        edges: The graph for ``maxcut`` and ``mis``, as (u, v, weight) with u < v.
        sense: ``"min"`` or ``"max"``: how the user's energy relates to C (see above).
    """

    kind: str
    num_variables: int
    offset: float
    linear: tuple[float, ...]
    quadratic: tuple[Term, ...]
    edges: tuple[Term, ...] = ()
    sense: str = "max"

    @classmethod
    def from_dict(cls, data: Any, *, field: str = "problem") -> Problem:
        """Validates a request's problem object and builds the problem.

        Args:
            data: ``{"type": ..., ...}``; the keys each type takes are in ``_KEYS``.
            field: Prefix of the field names in errors.

        Raises:
            SynqInputError: The object is malformed; ``field`` names the bad entry
                (``"problem.edges"``, ``"problem.matrix"`` ...).
        """
        data = check.mapping(data, field)
        kind = data.get("type")
        if kind not in _KEYS:
            raise SynqInputError(
                f"{field}.type must be one of {', '.join(PROBLEM_TYPES)}, not {kind!r}",
                field=f"{field}.type",
            )
        check.only_keys(data, _KEYS[kind], field)
        if kind == "maxcut":
            return cls.maxcut(data.get("edges"), data.get("num_nodes"), field=field)
        if kind == "mis":
            penalty = data.get("penalty", DEFAULT_PENALTY)
            return cls.independent_set(
                data.get("edges"), data.get("num_nodes"), penalty=penalty, field=field
            )
        if kind == "number_partitioning":
            return cls.number_partitioning(data.get("numbers"), field=field)
        terms = {key: data[key] for key in ("matrix", "linear", "quadratic") if key in data}
        return cls.energy(
            kind,
            offset=data.get("offset", 0.0),
            num_variables=data.get("num_variables"),
            sense=data.get("sense", "min"),
            field=field,
            **terms,
        )

    @classmethod
    def maxcut(cls, edges: Any, num_nodes: int | None = None, *, field: str = "problem") -> Problem:
        """MaxCut of a graph given as ``[[u, v], [u, v, weight], ...]`` (weight 1 if absent)."""
        graph, n = _graph(edges, num_nodes, field, weighted=True)
        ising = IsingTerms(n)
        for u, v, w in graph:
            ising.offset += w / 2
            ising.add_pair(u, v, -w / 2)
        return cls("maxcut", edges=tuple(graph), **ising.fields())

    @classmethod
    def independent_set(
        cls,
        edges: Any,
        num_nodes: int | None = None,
        *,
        penalty: Any = DEFAULT_PENALTY,
        field: str = "problem",
    ) -> Problem:
        """Maximum independent set of ``[[u, v], ...]``; isolated nodes need ``num_nodes``."""
        graph, n = _graph(edges, num_nodes, field, weighted=False)
        weight = check.real(penalty, f"{field}.penalty")
        if weight <= 1.0:
            raise SynqInputError(
                f"{field}.penalty must be above 1, or the best bitstring may not be an "
                "independent set",
                field=f"{field}.penalty",
            )
        ising = IsingTerms(n)
        for i in range(n):
            ising.add_bit(i, 1.0)
        for u, v, _ in graph:
            ising.add_bit_pair(u, v, -weight)
        return cls("mis", edges=tuple(graph), **ising.fields())

    @classmethod
    def number_partitioning(cls, numbers: Any, *, field: str = "problem") -> Problem:
        """Splitting ``numbers`` into two sets whose sums are as close as possible."""
        where = f"{field}.numbers"
        if not isinstance(numbers, list | tuple) or len(numbers) < 2:
            raise SynqInputError(f"{where} must be a list of at least 2 numbers", field=where)
        _check_size(len(numbers), where)
        values = [check.real(a, where, f"{where}[{i}]") for i, a in enumerate(numbers)]
        ising = IsingTerms(len(values))
        ising.offset = -sum(a * a for a in values)
        for i, a in enumerate(values):
            for j in range(i + 1, len(values)):
                ising.add_pair(i, j, -2 * a * values[j])
        return cls("number_partitioning", **ising.fields())

    @classmethod
    def energy(
        cls,
        kind: str,
        *,
        matrix: Any = None,
        linear: Any = None,
        quadratic: Any = None,
        offset: Any = 0.0,
        num_variables: Any = None,
        sense: Any = "min",
        field: str = "problem",
    ) -> Problem:
        """A ``"qubo"`` (bits) or ``"ising"`` (spins) energy; see the class docstring."""
        if sense not in ("min", "max"):
            raise SynqInputError(f'{field}.sense must be "min" or "max"', field=f"{field}.sense")
        if matrix is None and linear is None and quadratic is None:
            raise SynqInputError(
                f"{field} needs a matrix, or linear and quadratic terms", field=field
            )
        m = None if matrix is None else check.matrix(matrix, f"{field}.matrix")
        lin = {} if linear is None else check.linear_terms(linear, f"{field}.linear")
        quad = {} if quadratic is None else check.pair_terms(quadratic, f"{field}.quadratic")
        n = _num_variables(m, lin, quad, num_variables, field)
        sign = -1.0 if sense == "min" else 1.0
        ising = IsingTerms(n)
        ising.offset = sign * check.real(offset, f"{field}.offset")
        spins = kind == "ising"
        pairs = dict(quad)
        if m is not None:
            for i in range(n):
                if spins:
                    ising.offset += sign * m[i, i]
                else:
                    lin[i] = lin.get(i, 0.0) + m[i, i]
                for j in range(i + 1, n):
                    pairs[(i, j)] = pairs.get((i, j), 0.0) + m[i, j] + m[j, i]
        ising.add_terms(lin, pairs, spins=spins, sign=sign)
        return cls(kind, sense=sense, **ising.fields())

    def objective(self, bitstring: str) -> float:
        """C of one bitstring (Qiskit order: the rightmost character is variable 0)."""
        z = self._spins(bitstring)
        value = self.offset + float(np.dot(self.linear, z))
        return value + sum(w * z[i] * z[j] for i, j, w in self.quadratic)

    def is_feasible(self, bitstring: str) -> bool:
        """Whether a bitstring satisfies the problem's constraints (only ``mis`` has any)."""
        z = self._spins(bitstring)
        if self.kind != "mis":
            return True
        return not any(z[u] < 0 and z[v] < 0 for u, v, _ in self.edges)

    def cost_vector(self) -> np.ndarray:
        """C of every basis state: entry k is C of the bitstring of k in binary."""
        return cost_table(self.num_variables, self.offset, self.linear, self.quadratic)

    def to_dict(self) -> dict[str, Any]:
        """A short description for results: the type, the size and the sense."""
        return {"type": self.kind, "num_variables": self.num_variables, "sense": self.sense}

    def _spins(self, bitstring: str) -> np.ndarray:
        n = self.num_variables
        if not isinstance(bitstring, str) or len(bitstring) != n or set(bitstring) - {"0", "1"}:
            raise SynqInputError(f"a bitstring must be {n} characters 0 or 1", field="bitstring")
        return 1.0 - 2.0 * np.array([int(bit) for bit in reversed(bitstring)])


def _graph(edges: Any, num_nodes: Any, field: str, *, weighted: bool) -> tuple[list[Term], int]:
    graph = check.edge_list(edges, f"{field}.edges", weighted=weighted)
    largest = max(v for _, v, _ in graph)
    if num_nodes is None:
        n = largest + 1
    else:
        n = check.integer(num_nodes, f"{field}.num_nodes", minimum=2)
    _check_size(n, f"{field}.num_nodes")
    check.check_nodes(graph, n, f"{field}.edges")
    return graph, n


def _num_variables(
    m: np.ndarray | None,
    lin: Mapping[int, float],
    quad: Mapping[tuple[int, int], float],
    num_variables: Any,
    field: str,
) -> int:
    used = [m.shape[0] if m is not None else 0]
    used += [i + 1 for i in lin] + [j + 1 for _, j in quad]
    needed = max(used)
    if num_variables is None:
        _check_size(needed, f"{field}.num_variables")
        return needed
    n = check.integer(num_variables, f"{field}.num_variables", minimum=1)
    _check_size(n, f"{field}.num_variables")
    if m is not None and m.shape[0] != n:
        raise SynqInputError(
            f"{field}.matrix is {m.shape[0]} x {m.shape[0]} but num_variables is {n}",
            field=f"{field}.matrix",
        )
    if needed > n:
        raise SynqInputError(
            f"a term names variable {needed - 1}, but num_variables is {n}",
            field=f"{field}.num_variables",
        )
    return n


def _check_size(n: int, field: str) -> None:
    if n > MAX_VARIABLES:
        raise SynqInputError(f"at most {MAX_VARIABLES} variables, not {n}", field=field)
