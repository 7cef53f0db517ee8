"""Connectivity drawings: device lattices come out as rows, every link drawable."""

from __future__ import annotations

import math

import pytest

from synq_jupyter.quantum.targets import get_target
from synq_jupyter.quantum.targets.connectivity import (
    connectivity,
    lattice_positions,
    undirected_links,
)


def drawing(name: str) -> dict:
    target = get_target(name)
    return connectivity(target.num_qubits, target.coupling_map, target.calibration_table)


def link_lengths(graph: dict) -> list[float]:
    pos = graph["positions"]
    return [math.dist(pos[a], pos[b]) for a, b in graph["links"]]


@pytest.mark.parametrize("name", ["ibm_torino", "ibm_brisbane", "rigetti_ankaa_3"])
def test_device_lattices_are_drawn_as_rows_with_unit_links(name: str) -> None:
    graph = drawing(name)
    target = get_target(name)
    assert graph["layout"] == "lattice"
    assert len(graph["positions"]) == target.num_qubits
    assert len({tuple(p) for p in graph["positions"]}) == target.num_qubits  # no overlaps
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in graph["positions"])
    # On a lattice drawing every link joins neighbours: all links are equally short.
    lengths = link_lengths(graph)
    assert max(lengths) == pytest.approx(min(lengths), rel=1e-2)
    assert len(graph["links"]) == len(undirected_links(target.coupling_map or []))


def test_errors_come_from_the_device_calibration() -> None:
    graph = drawing("ibm_torino")
    table = get_target("ibm_torino").calibration_table
    assert graph["qubit_errors"][5] == table[("measure", (5,))][0]
    index = graph["links"].index([0, 1])
    errors = [e for (name, q), (e, _) in table.items() if set(q) == {0, 1} and e is not None]
    assert graph["link_errors"][index] == pytest.approx(sum(errors) / len(errors))
    # Every link is calibrated; a coupler the device reports as broken has error 1.
    assert all(e is not None and 0 < e <= 1 for e in graph["link_errors"])


def test_all_to_all_device_is_a_circle_with_every_pair() -> None:
    graph = drawing("ionq_aria_1")
    assert graph["layout"] == "circle"
    assert len(graph["links"]) == 25 * 24 // 2
    centre = tuple(sum(p[i] for p in graph["positions"]) / 25 for i in (0, 1))
    radii = [math.dist(p, centre) for p in graph["positions"]]
    assert max(radii) == pytest.approx(min(radii), abs=1e-3)


def test_a_graph_that_is_no_lattice_falls_back_to_a_seeded_spring_layout() -> None:
    # A star: no run of three consecutively numbered, linked qubits.
    star = [[0, q] for q in range(1, 8)]
    assert lattice_positions(8, undirected_links(star)) is None
    first = connectivity(8, star, {})
    assert first["layout"] == "spring"
    assert first == connectivity(8, star, {})  # seeded: the same picture every time
    assert first["qubit_errors"] == [None] * 8
