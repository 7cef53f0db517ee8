"""Checks that turn request values into numbers, edges and matrices, naming the bad field."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from synq_jupyter.errors import SynqInputError

Edge = tuple[int, int, float]

# Matrix entries closer than this (relative to the largest entry) count as equal.
SYMMETRY_TOLERANCE = 1e-9


def integer(
    value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """``value`` as an int within [minimum, maximum]; booleans and floats are refused."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise SynqInputError(f"{field} must be an integer, not {value!r}", field=field)
    if minimum is not None and value < minimum:
        raise SynqInputError(f"{field} must be at least {minimum}, not {value}", field=field)
    if maximum is not None and value > maximum:
        raise SynqInputError(f"{field} must be at most {maximum}, not {value}", field=field)
    return int(value)


def real(value: Any, field: str, where: str | None = None) -> float:
    """``value`` as a finite float; NaN, infinities, booleans and strings are refused.

    Args:
        value: The request value.
        field: The request field it came from, for the error's ``field``.
        where: The entry within that field, for the message (``field`` when absent).
    """
    where = where or field
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise SynqInputError(f"{where} must be a number, not {value!r}", field=field)
    number = float(value)
    if not math.isfinite(number):
        raise SynqInputError(f"{where} must be a finite number, not {value!r}", field=field)
    return number


def mapping(value: Any, field: str) -> Mapping[str, Any]:
    """``value`` if it is a JSON object (a mapping)."""
    if not isinstance(value, Mapping):
        raise SynqInputError(f"{field} must be an object", field=field)
    return value


def only_keys(data: Mapping[str, Any], allowed: Iterable[str], prefix: str) -> None:
    """Refuses keys outside ``allowed``, so that a misspelt option is not silently ignored."""
    allowed = set(allowed)
    for key in data:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else str(key)
            raise SynqInputError(
                f"unknown field {where!r}; expected one of {', '.join(sorted(allowed))}",
                field=where,
            )


def edge_list(value: Any, field: str, *, weighted: bool) -> list[Edge]:
    """Edges ``[u, v]`` (or ``[u, v, w]`` when ``weighted``) as (u, v, w) with u < v.

    Raises:
        SynqInputError: The list is empty, or an edge is malformed, a self-loop, a repeat,
            or has a weight that is not a finite number.
    """
    if not isinstance(value, list | tuple) or not value:
        raise SynqInputError(f"{field} must be a non-empty list of edges", field=field)
    shape = "[u, v] or [u, v, weight]" if weighted else "[u, v]"
    edges: list[Edge] = []
    seen: set[tuple[int, int]] = set()
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, list | tuple) or len(item) not in ((2, 3) if weighted else (2,)):
            raise SynqInputError(f"{where} must be {shape}, not {item!r}", field=field)
        u = _node(item[0], where, field)
        v = _node(item[1], where, field)
        weight = real(item[2], field, f"{where} weight") if len(item) == 3 else 1.0
        if u == v:
            raise SynqInputError(f"{where} is a self-loop on node {u}", field=field)
        pair = (min(u, v), max(u, v))
        if pair in seen:
            raise SynqInputError(f"{where}: edge {pair[0]}-{pair[1]} appears twice", field=field)
        seen.add(pair)
        edges.append((pair[0], pair[1], weight))
    return edges


def check_nodes(edges: Iterable[Edge], num_nodes: int, field: str) -> None:
    """Refuses an edge whose end is not a node 0 .. num_nodes - 1."""
    for u, v, _ in edges:
        if v >= num_nodes:
            raise SynqInputError(
                f"edge {u}-{v} names node {v}, but the graph has nodes 0 to {num_nodes - 1}",
                field=field,
            )


def matrix(value: Any, field: str) -> np.ndarray:
    """A square matrix of finite numbers that is symmetric or upper triangular."""
    if not isinstance(value, list | tuple) or not value:
        raise SynqInputError(f"{field} must be a non-empty list of rows", field=field)
    size = len(value)
    rows = []
    for i, row in enumerate(value):
        if not isinstance(row, list | tuple) or len(row) != size:
            raise SynqInputError(
                f"{field} must be square: row {i} should have {size} entries", field=field
            )
        rows.append([real(entry, field, f"{field}[{i}][{j}]") for j, entry in enumerate(row)])
    array = np.array(rows, dtype=float)
    tolerance = SYMMETRY_TOLERANCE * max(1.0, float(np.abs(array).max()))
    symmetric = np.allclose(array, array.T, rtol=0.0, atol=tolerance)
    upper = np.allclose(np.tril(array, -1), 0.0, rtol=0.0, atol=tolerance)
    if not (symmetric or upper):
        raise SynqInputError(
            f"{field} must be symmetric or upper triangular; it is read as v^T M v, so "
            "put each pair's coefficient either split over both triangles or above the diagonal",
            field=field,
        )
    return array


def linear_terms(value: Any, field: str) -> dict[int, float]:
    """``{"i": w}`` as {i: w}."""
    terms: dict[int, float] = {}
    for key, weight in mapping(value, field).items():
        i = _index(key, field)
        terms[i] = terms.get(i, 0.0) + real(weight, field, f"{field}[{key!r}]")
    return terms


def pair_terms(value: Any, field: str) -> dict[tuple[int, int], float]:
    """``{"i,j": w}`` as {(min, max): w}; a pair given in both orders is summed."""
    terms: dict[tuple[int, int], float] = {}
    for key, weight in mapping(value, field).items():
        parts = key.split(",") if isinstance(key, str) else key
        if not isinstance(parts, list | tuple) or len(parts) != 2:
            raise SynqInputError(f'{field} keys must be pairs like "0,1", not {key!r}', field=field)
        i, j = _index(parts[0], field), _index(parts[1], field)
        if i == j:
            raise SynqInputError(
                f"{field} has the diagonal key {key!r}; put single-variable terms in 'linear'",
                field=field,
            )
        pair = (min(i, j), max(i, j))
        terms[pair] = terms.get(pair, 0.0) + real(weight, field, f"{field}[{key!r}]")
    return terms


def _node(value: Any, where: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise SynqInputError(f"{where} has node {value!r}; nodes are integers from 0", field=field)
    return int(value)


def _index(key: Any, field: str) -> int:
    text = key.strip() if isinstance(key, str) else key
    if isinstance(text, str) and text.isdigit():
        return int(text)
    if isinstance(text, int | np.integer) and not isinstance(text, bool) and text >= 0:
        return int(text)
    raise SynqInputError(f"{field} has the key {key!r}; variables are integers from 0", field=field)
