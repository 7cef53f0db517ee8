"""A device's coupling graph, laid out for drawing, with per-qubit and per-link errors.

Devices number their qubits row by row: IBM's heavy-hex lattices are rows of linked,
consecutively numbered qubits joined by single "bridge" qubits, and Rigetti's square
lattices are rows joined directly. ``lattice_positions`` recovers that picture (rows
stacked, bridges between them). A graph that is not drawn this way falls back to a
seeded spring layout from rustworkx.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import fmean
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synq_jupyter.quantum.circuit_metrics import Calibration

Position = tuple[float, float]
MIN_ROW = 3
LAYOUT_SEED = 11


def undirected_links(edges: Iterable[Iterable[int]]) -> list[tuple[int, int]]:
    """Each coupled pair once, as ``(low, high)``, sorted."""
    pairs = set()
    for edge in edges:
        a, b = edge
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def lattice_positions(num_qubits: int, links: list[tuple[int, int]]) -> list[Position] | None:
    """Rows of consecutively numbered, linked qubits, stacked; ``None`` if the graph
    is not such a lattice (then another layout is needed)."""
    linked = set(links)
    rows: list[range] = []
    start = 0
    for q in range(1, num_qubits + 1):
        if q == num_qubits or (q - 1, q) not in linked:
            if q - start >= MIN_ROW:
                rows.append(range(start, q))
            start = q
    if not rows:
        return None
    row_of = {q: r for r, row in enumerate(rows) for q in row}
    neighbours: dict[int, set[int]] = {q: set() for q in range(num_qubits)}
    for a, b in links:
        neighbours[a].add(b)
        neighbours[b].add(a)
    bridges = [q for q in range(num_qubits) if q not in row_of]

    # Row r starts where its link to row r-1 (direct, or through a bridge) lines up.
    offsets = [0.0]
    for r in range(1, len(rows)):
        offset = _offset_to_previous_row(rows, r, offsets[r - 1], row_of, neighbours)
        if offset is None:
            return None
        offsets.append(offset)

    # Rows joined through bridges leave a line between them for the bridges.
    gap = 2.0 if bridges else 1.0
    positions: dict[int, Position] = {}
    for r, row in enumerate(rows):
        for i, q in enumerate(row):
            positions[q] = (offsets[r] + i, gap * r)
    for q in bridges:
        placed = [positions[n] for n in neighbours[q] if n in positions]
        if not placed:
            return None
        x, y = fmean(p[0] for p in placed), fmean(p[1] for p in placed)
        if all(p[1] == y for p in placed):  # a dangling qubit off the top or bottom row
            y += -1.0 if y == 0 else 1.0
        positions[q] = (x, y)
    ordered = [positions[q] for q in range(num_qubits)]
    if len(set(ordered)) != num_qubits:
        return None
    return ordered


def _offset_to_previous_row(
    rows: list[range],
    r: int,
    previous_offset: float,
    row_of: dict[int, int],
    neighbours: dict[int, set[int]],
) -> float | None:
    row, above = rows[r], rows[r - 1]
    for i, q in enumerate(row):
        for n in neighbours[q]:
            if row_of.get(n) == r - 1:
                return previous_offset + (n - above.start) - i
            if n in row_of:
                continue
            for m in neighbours[n]:  # q - bridge n - m
                if row_of.get(m) == r - 1:
                    return previous_offset + (m - above.start) - i
    return None


def spring_positions(num_qubits: int, links: list[tuple[int, int]]) -> list[Position]:
    """rustworkx's force-directed layout, seeded so a device always looks the same."""
    import rustworkx as rx

    graph = rx.PyGraph()
    graph.add_nodes_from(range(num_qubits))
    graph.add_edges_from_no_data(links)
    layout = rx.spring_layout(graph, seed=LAYOUT_SEED, num_iter=300)
    return [(float(layout[q][0]), float(layout[q][1])) for q in range(num_qubits)]


def circle_positions(num_qubits: int) -> list[Position]:
    """Qubits on a circle: how an all-to-all device is drawn."""
    import math

    return [
        (math.cos(2 * math.pi * q / num_qubits), math.sin(2 * math.pi * q / num_qubits))
        for q in range(num_qubits)
    ]


def normalised(positions: list[Position]) -> list[list[float]]:
    """Positions scaled into the unit square, keeping the aspect ratio, 4 decimals."""
    if not positions:
        return []
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return [[round((x - min(xs)) / span, 4), round((y - min(ys)) / span, 4)] for x, y in positions]


def connectivity(
    num_qubits: int, coupling_map: list[list[int]] | None, calibration: Calibration
) -> dict[str, Any]:
    """What a connectivity drawing needs: where each qubit goes, the links, and errors.

    ``links`` are the coupled pairs (every pair for an all-to-all device); ``qubit_errors``
    are readout errors and ``link_errors`` the mean two-qubit gate error over both
    directions, ``None`` where the device has no calibration.
    """
    if coupling_map is None:
        links = [(a, b) for a in range(num_qubits) for b in range(a + 1, num_qubits)]
        positions = circle_positions(num_qubits)
        layout = "circle"
    else:
        links = undirected_links(coupling_map)
        lattice = lattice_positions(num_qubits, links)
        positions = lattice if lattice is not None else spring_positions(num_qubits, links)
        layout = "lattice" if lattice is not None else "spring"
    readout: dict[int, float] = {}
    pair_errors: dict[tuple[int, int], list[float]] = {}
    for (name, qubits), (error, _duration) in calibration.items():
        if error is None:
            continue
        if name == "measure" and len(qubits) == 1:
            readout[qubits[0]] = error
        elif len(qubits) == 2:
            pair = (min(qubits), max(qubits))
            pair_errors.setdefault(pair, []).append(error)
    return {
        "layout": layout,
        "positions": normalised(positions),
        "links": [[a, b] for a, b in links],
        "qubit_errors": [readout.get(q) for q in range(num_qubits)],
        "link_errors": [
            fmean(pair_errors[link]) if link in pair_errors else None for link in links
        ],
    }
