"""``run_local``'s result as a job stores it: plain JSON, counts and a transpile report."""

from __future__ import annotations

import json

from synq_jupyter.quantum import load_circuit, run_local

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
KEYS = {"counts", "shots", "seed", "target", "noise", "measured_all", "report"}


def test_an_ideal_run_travels_as_json_with_its_counts() -> None:
    result = run_local(load_circuit(BELL, "synq"), shots=200, seed=7)

    data = json.loads(json.dumps(result.to_dict()))

    assert set(data) == KEYS
    assert sum(data["counts"].values()) == 200
    assert set(data["counts"]) <= {"00", "11"}
    assert data["report"] is None  # nothing was transpiled for the ideal simulator


def test_a_device_run_carries_its_transpile_report_not_the_circuit() -> None:
    result = run_local(load_circuit(BELL, "synq"), target="ionq_aria_1", shots=200, seed=7)
    assert result.transpile is not None

    data = result.to_dict()
    json.dumps(data)

    assert set(data) == KEYS
    assert data["report"] == result.transpile.report.to_dict()
    # A copy: emptying the dict leaves the result it came from as it was.
    data["counts"].clear()
    assert sum(result.counts.values()) == 200
