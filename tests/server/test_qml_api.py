"""The algorithm routes run VQE, QAOA, QNN and synthesis as jobs, and refuse bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from qiskit.quantum_info import SparsePauliOp
from tornado.httpclient import HTTPClientError

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
TRANSVERSE_ISING = {"paulis": ["ZZ", "XI", "IX"], "coeffs": [1.0, 0.7, 0.7]}
H2 = {"symbols": ["H", "H"], "geometry": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.735]]}


async def run_job(api, wait_for, path: str, body: dict, timeout: float = 300) -> dict:
    reply = await api(*path.split("/"), method="POST", body=body)
    assert reply.code == 201
    job = json.loads(reply.body)
    done = await wait_for(job["id"], timeout=timeout)
    assert done["status"] == "succeeded", done
    return json.loads((await api("jobs", job["id"], "result")).body)


async def refused(api, problem, path: str, body: dict) -> dict:
    with pytest.raises(HTTPClientError) as caught:
        await api(*path.split("/"), method="POST", body=body)
    assert caught.value.code in (400, 422), caught.value
    return problem(caught.value)


def fields(details: dict) -> set[str]:
    return {error["field"] for error in details["errors"]}


@sqlite_only
async def test_vqe_job_reaches_the_exact_ground_energy_and_streams_iterations(api, wait_for):
    body = {
        "hamiltonian": TRANSVERSE_ISING,
        "ansatz": "real_amplitudes",
        "reps": 2,
        "optimizer": "l-bfgs-b",
        "seed": 5,
    }
    result = await run_job(api, wait_for, "qml/vqe", body)
    matrix = SparsePauliOp(TRANSVERSE_ISING["paulis"], TRANSVERSE_ISING["coeffs"]).to_matrix()
    exact = float(np.linalg.eigvalsh(matrix)[0])
    assert result["exact_energy"] == pytest.approx(exact, abs=1e-9)
    assert result["energy"] == pytest.approx(exact, abs=1e-5)
    assert len(result["history"]) == result["iterations"]
    events = json.loads((await api("jobs", result["job_id"], "events")).body)["events"]
    progress = [e["data"] for e in events if e["type"] == "progress"]
    plotted = [p for data in progress for p in data.get("points", [])]
    assert [p[1] for p in plotted] == pytest.approx(result["history"])
    assert all(data["message"] for data in progress), progress
    fractions = [data["progress"] for data in progress]
    assert fractions == sorted(fractions)


@sqlite_only
async def test_vqe_on_h2_from_a_molecule_matches_the_known_energy(api, wait_for):
    result = await run_job(api, wait_for, "qml/vqe", {"hamiltonian": H2, "seed": 1})
    assert result["exact_energy"] == pytest.approx(-1.137306, abs=1e-6)
    assert abs(result["energy"] - result["exact_energy"]) < 1e-6


@sqlite_only
@pytest.mark.parametrize(
    ("hamiltonian", "field"),
    [
        ({"paulis": ["ZZ", "XQ"], "coeffs": [1.0, 0.5]}, "hamiltonian.paulis"),
        ({"paulis": ["ZZ", "X"], "coeffs": [1.0, 0.5]}, "hamiltonian.paulis"),
        ({"paulis": ["ZZ"], "coeffs": [1.0, 0.5]}, "hamiltonian.coeffs"),
        ({"symbols": ["H", "Xx"], "geometry": [[0, 0, 0], [0, 0, 0.7]]}, "hamiltonian.symbols"),
    ],
)
async def test_malformed_hamiltonians_are_refused_before_any_job(api, problem, hamiltonian, field):
    details = await refused(api, problem, "qml/vqe", {"hamiltonian": hamiltonian})
    assert any(f.startswith(field) for f in fields(details)), details
    jobs = json.loads((await api("jobs")).body)["jobs"]
    assert jobs == []


@sqlite_only
async def test_coefficients_may_be_re_im_pairs_as_documented(api, problem):
    pairs = {"paulis": ["ZZ", "XI"], "coeffs": [[1.0, 0.0], 0.7]}
    reply = await api("qml", "vqe", method="POST", body={"hamiltonian": pairs, "max_iterations": 1})
    assert reply.code == 201
    await api("jobs", json.loads(reply.body)["id"], "cancel", method="POST", body="")
    for coeffs, field, words in [
        ([[1.0, 0.5], 0.7], "hamiltonian.coeffs", "must be Hermitian"),
        ([[1.0, 0.0, 0.0], 0.7], "hamiltonian.coeffs[0]", "at most 2 items"),
        (["1", 0.7], "hamiltonian.coeffs[0]", "a coefficient is a number or an [re, im] pair"),
    ]:
        body = {"hamiltonian": {**pairs, "coeffs": coeffs}}
        details = await refused(api, problem, "qml/vqe", body)
        assert [e["field"] for e in details["errors"]] == [field], details
        assert words in details["errors"][0]["message"]


@sqlite_only
async def test_a_problem_wider_than_its_target_is_refused(api, problem):
    wide = {"paulis": ["Z" * 30], "coeffs": [1.0]}
    body = {"hamiltonian": wide, "ansatz": "real_amplitudes", "estimator": "noisy"}
    details = await refused(api, problem, "qml/vqe", {**body, "target": "ionq_aria_1"})
    assert "target" in fields(details) or "hamiltonian" in " ".join(fields(details))


@sqlite_only
async def test_qaoa_job_solves_a_weighted_maxcut(api, wait_for):
    edges = [[0, 1, 1.0], [1, 2, 1.0], [2, 3, 1.0], [3, 0, 1.0], [0, 2, 0.5]]
    body = {"problem": {"type": "maxcut", "edges": edges}, "p": 2, "seed": 3}
    result = await run_job(api, wait_for, "qml/qaoa", body)
    assert result["c_max"] == pytest.approx(4.0)
    assert result["best_objective"] == pytest.approx(4.0)
    assert result["best_bitstring"] in ("0101", "1010")
    assert 0.5 < result["approximation_ratio"] <= 1.0


@sqlite_only
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"problem": {"type": "maxcut", "edges": [[0, 1]]}, "p": -1}, "p"),
        ({"problem": {"type": "maxcut", "edges": []}, "p": 1}, "problem"),
    ],
)
async def test_bad_qaoa_input_is_refused(api, problem, body, field):
    details = await refused(api, problem, "qml/qaoa", body)
    assert any(f.startswith(field) for f in fields(details)), details


@sqlite_only
async def test_a_rule_across_fields_is_said_in_its_own_words(api, problem):
    details = await refused(api, problem, "qml/qnn/train", {})
    assert details["errors"] == [{"field": "body", "message": "give either data or dataset"}]


@sqlite_only
async def test_qnn_data_with_nan_is_refused(api, problem):
    data = {"X": [[0.1, float("nan")], [0.2, 0.3], [0.5, 0.1], [0.9, 0.4]], "y": [0, 1, 0, 1]}
    details = await refused(api, problem, "qml/qnn/train", {"data": data})
    assert any(f.startswith("data") for f in fields(details)), details


@sqlite_only
async def test_the_spec_states_the_qnn_limits_the_server_applies(api, problem):
    spec = json.loads((await api("openapi.json")).body)
    fields_ = spec["components"]["schemas"]["QNNTrainRequest"]["properties"]
    dataset = {"dataset": {"name": "moons"}}
    for name in ("epochs", "layers"):
        limit = fields_[name]["maximum"]
        details = await refused(api, problem, "qml/qnn/train", {**dataset, name: limit + 1})
        assert details["errors"][0]["field"] == name
        assert details["errors"][0]["message"].endswith(f"less than or equal to {limit}")
    assert fields_["epochs"]["maximum"] == 500  # what training allows


async def test_a_trained_model_is_stored_and_predicts(api, wait_for):
    body = {
        "dataset": {"name": "moons", "n_samples": 60, "noise": 0.1},
        "epochs": 3,
        "layers": 2,
        "seed": 2,
        "name": "moons-small",
    }
    trained = await run_job(api, wait_for, "qml/qnn/train", body)
    events = json.loads((await api("jobs", trained["job_id"], "events")).body)["events"]
    progress = [e["data"] for e in events if e["type"] == "progress"]
    losses = [p[1] for data in progress for p in data.get("points", [])]
    assert losses == pytest.approx(trained["loss_curve"])
    assert progress[-1]["progress"] == 1.0, progress
    models = json.loads((await api("qml", "models")).body)["models"]
    assert [m["id"] for m in models] == [trained["job_id"]]
    assert models[0]["name"] == "moons-small"
    assert models[0]["metrics"]["test_accuracy"] == trained["test_accuracy"]
    X = [[0.0, 0.5], [1.0, -0.5], [2.0, 0.5]]
    path = f"qml/qnn/{trained['job_id']}/predict"
    predicted = await run_job(api, wait_for, path, {"X": X})
    assert len(predicted["labels"]) == 3
    assert all(0.0 <= p <= 1.0 for p in predicted["probabilities"])


@sqlite_only
async def test_predicting_with_an_unknown_model_is_404(api, problem):
    with pytest.raises(HTTPClientError) as caught:
        await api("qml", "qnn", "nope", "predict", method="POST", body={"X": [[0.0, 1.0]]})
    assert caught.value.code == 404
    assert "no model" in problem(caught.value)["detail"]


@sqlite_only
async def test_synthesis_from_english_is_verified(api, wait_for):
    body = {"description": "5-qubit GHZ state"}
    result = await run_job(api, wait_for, "circuits/synthesize", body)
    assert result["verification"]["passed"] is True
    assert result["metrics"]["num_qubits"] == 5
    assert "OPENQASM 3" in result["qasm3"]


@sqlite_only
async def test_an_unreadable_description_lists_the_forms_understood(api, problem):
    details = await refused(api, problem, "circuits/synthesize", {"description": "make coffee"})
    assert "description" in fields(details)
    assert "GHZ" in details["detail"]


def ghz_qasm(n: int) -> str:
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{n}];", "h q[0];"]
    lines += [f"cx q[{i}],q[{i + 1}];" for i in range(n - 1)]
    return "\n".join(lines)


@sqlite_only
async def test_cost_estimate_prices_each_target_and_explains_infeasible_ones(api, wait_for):
    body = {"source": ghz_qasm(30), "shots": 1000, "targets": ["ionq_aria_1", "ibm_torino"]}
    result = await run_job(api, wait_for, "circuits/estimate", body)
    rows = {row["target"]: row for row in result["rows"]}
    assert rows["ionq_aria_1"]["feasible"] is False
    assert "25" in rows["ionq_aria_1"]["reason"]
    torino = rows["ibm_torino"]
    assert torino["feasible"] is True
    assert torino["two_qubit_count"] >= 29
    assert torino["price"] > 0
    assert 0 < torino["estimated_success_probability"] < 1


@sqlite_only
async def test_an_unknown_target_in_an_estimate_is_refused(api, problem):
    body = {"source": ghz_qasm(3), "targets": ["ibm_torino", "nowhere"]}
    details = await refused(api, problem, "circuits/estimate", body)
    assert "targets" in fields(details)


FEEDBACK = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[1] c;\nh q[0];\n'
    "c[0] = measure q[0];\nif (c[0]) { x q[1]; }\n"
)


@sqlite_only
@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        ("circuits/estimate", {"source": FEEDBACK, "targets": []}, "targets", "non-empty"),
        (
            "circuits/optimize",
            {"source": FEEDBACK, "target": "ionq_aria_1"},
            "target",
            "cannot run mid-circuit measurement feedback",
        ),
        (
            "qml/vqe",
            {"hamiltonian": TRANSVERSE_ISING, "initial_parameters": [1, 1, 1]},
            "initial_parameters",
            "parameters but 3 initial values were given",
        ),
    ],
)
async def test_what_a_job_would_fail_on_is_refused_before_any_job(
    api, problem, path, body, field, words
):
    details = await refused(api, problem, path, body)
    assert details["errors"][0]["field"] == field
    assert words in details["detail"]
    assert json.loads((await api("jobs")).body)["jobs"] == []


@sqlite_only
async def test_optimize_suggests_only_measured_improvements(api, wait_for):
    source = ghz_qasm(5) + "\ncx q[3],q[4];\ncx q[3],q[4];\nh q[2];\nh q[2];"
    body = {"source": source, "target": "ibm_torino", "optimization_level": 0, "seed": 4}
    result = await run_job(api, wait_for, "circuits/optimize", body)
    assert result["suggestions"], result["trials"]
    base = result["baseline"]
    for suggestion in result["suggestions"]:
        after = suggestion["after"]
        fewer = after["two_qubit_count"] < base["two_qubit_count"]
        likelier = after["estimated_success_probability"] > base["estimated_success_probability"]
        assert fewer or likelier, suggestion
