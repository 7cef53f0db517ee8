"""POST /synq/api/circuits/{parse,transpile,analyze}."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import TranspileRecord

BELL_SYNQ = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
BELL_QASM2 = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
)
GHZ_QASM3 = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[5] q;\nh q[0];\n' + "".join(
    f"cx q[{i}], q[{i + 1}];\n" for i in range(4)
)


async def post(api, route: str, body):
    response = await api("circuits", route, method="POST", body=body)
    return json.loads(response.body)


async def refused(api, route: str, body, problem) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as info:
        await api("circuits", route, method="POST", body=body)
    return info.value.code, problem(info.value)


@pytest.mark.parametrize(
    ("source", "fmt", "qubits", "clbits", "ops"),
    [
        (BELL_SYNQ, "synq", 2, 0, {"h": 1, "cx": 1}),
        (BELL_QASM2, "qasm2", 2, 2, {"h": 1, "cx": 1, "measure": 2}),
        (GHZ_QASM3, "qasm3", 5, 0, {"h": 1, "cx": 4}),
    ],
)
async def test_parse_detects_the_format_and_counts(api, source, fmt, qubits, clbits, ops):
    body = await post(api, "parse", {"source": source})
    assert body["format"] == fmt
    assert body["num_qubits"] == qubits
    assert body["num_clbits"] == clbits
    assert body["ops"] == ops
    assert body["qasm3"].startswith("OPENQASM 3.0;")


async def test_parse_reports_synq_warnings(api):
    source = '#[experimental(feature = "teleport")]\nqubit q[1]\nquantum h\n'
    body = await post(api, "parse", {"source": source, "format": "synq"})
    assert len(body["warnings"]) == 1
    assert "teleport" in body["warnings"][0]


async def test_parse_syntax_error_is_422_with_line_and_field(api, problem):
    code, body = await refused(api, "parse", {"source": "qubit q[2]\nquantum hx q[0]\n"}, problem)
    assert code == 422
    error = body["errors"][0]
    assert error["field"] == "source"
    # The place in words in the detail, and as numbers beside the message, which a client
    # can move (the jobs panel counts a cell's lines from its %%synq line).
    assert body["detail"].startswith("line 2, column 9: ")
    assert (error["line"], error["column"]) == (2, 9)
    assert body["detail"].endswith(error["message"])
    assert not error["message"].startswith("line")
    assert "Traceback" not in json.dumps(body)


async def test_parse_rejects_a_wrong_format_value(api, problem):
    code, body = await refused(api, "parse", {"source": BELL_SYNQ, "format": "quil"}, problem)
    assert code == 422
    assert body["errors"][0]["field"] == "format"


async def test_parse_rejects_a_missing_source(api, problem):
    code, body = await refused(api, "parse", {"format": "synq"}, problem)
    assert code == 422
    assert body["errors"][0]["field"] == "source"


async def test_malformed_json_is_400(api, problem):
    code, body = await refused(api, "parse", "{not json", problem)
    assert code == 400
    assert body["errors"][0]["field"] == "body"


async def test_unknown_fields_are_refused(api, problem):
    code, body = await refused(api, "parse", {"source": BELL_SYNQ, "shots_total": 3}, problem)
    assert code == 422
    assert body["errors"][0]["field"] == "shots_total"


async def test_owner_org_and_role_in_a_body_are_ignored(api):
    body = await post(api, "parse", {"source": BELL_SYNQ, "owner": "x", "role": "admin"})
    assert body["num_qubits"] == 2


async def test_transpile_returns_native_qasm_and_report(api):
    body = await post(
        api,
        "transpile",
        {"source": GHZ_QASM3, "target": "ibm_torino", "optimization_level": 1, "seed": 7},
    )
    report = body["report"]
    assert set(report["ops"]) <= {"cz", "rz", "sx", "x", "id"}
    assert report["two_qubit_count"] >= 4
    assert report["seed"] == 7
    assert report["optimization_level"] == 1
    assert len(report["layout"]) == 5
    assert 0 < report["estimated_success_probability"] < 1
    assert report["estimated_duration_s"] > 0
    assert len(report["fingerprint"]) == 64
    assert "cz $" in body["qasm3"]
    assert body["cached"] is False


async def test_transpile_defaults_to_level_two(api):
    body = await post(api, "transpile", {"source": BELL_SYNQ, "target": "ionq_aria_1"})
    assert body["report"]["optimization_level"] == 2
    assert set(body["report"]["ops"]) <= {"gpi", "gpi2", "ms"}


async def test_repeated_seeded_transpile_is_served_from_the_database(api, db_url):
    request = {"source": GHZ_QASM3, "target": "rigetti_ankaa_3", "seed": 3}
    first = await post(api, "transpile", request)
    second = await post(api, "transpile", request)
    assert first["cached"] is False
    assert second["cached"] is True
    assert second["report"]["fingerprint"] == first["report"]["fingerprint"]
    database = Database(db_url)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(TranspileRecord)) == 1
        assert session.scalar(select(TranspileRecord.hits)) == 1
    database.dispose()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"optimization_level": 5}, "optimization_level"),
        ({"optimization_level": "2"}, "optimization_level"),
        ({"seed": -1}, "seed"),
        ({"target": ""}, "target"),
    ],
)
async def test_transpile_bad_fields_are_named(api, problem, change, field):
    request = {"source": BELL_SYNQ, "target": "ibm_torino", **change}
    code, body = await refused(api, "transpile", request, problem)
    assert code == 422
    assert body["errors"][0]["field"] == field


async def test_transpile_unknown_target_is_422_naming_target(api, problem):
    code, body = await refused(api, "transpile", {"source": BELL_SYNQ, "target": "nope"}, problem)
    assert code == 422
    assert body["errors"][0]["field"] == "target"


async def test_transpile_too_wide_for_the_target_is_422(api, problem):
    wide = "qubit q[26]\nquantum h q[25]\n"
    code, body = await refused(api, "transpile", {"source": wide, "target": "ionq_aria_1"}, problem)
    assert code == 422
    assert "26 qubits" in body["detail"]


async def test_analyze_reports_structure_and_feasibility(api):
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[4] q;\nh q[0];\nt q[0];\n'
        "cx q[0], q[1];\nccx q[0], q[1], q[2];\n"
    )
    body = await post(api, "analyze", {"source": source, "targets": ["ibm_torino", "ionq_aria_1"]})
    assert body["depth"] == 4
    assert body["two_qubit_count"] == 1
    assert body["t_count"] == 8
    assert body["idle_qubits"] == [3]
    assert [step["name"] for step in body["critical_path"]] == ["h", "t", "cx", "ccx"]
    feasible = {f["target"]: f for f in body["feasibility"]}
    assert set(feasible) == {"ibm_torino", "ionq_aria_1"}
    assert all(f["feasible"] for f in feasible.values())
    assert feasible["ibm_torino"]["two_qubit_count"] >= 7


async def test_analyze_marks_feedback_infeasible_where_unsupported(api):
    source = "qubit q[2]\nquantum h q[0]\nmeasure q[0] as r\nif r then quantum x q[1]\n"
    body = await post(api, "analyze", {"source": source})
    feasible = {f["target"]: f for f in body["feasibility"]}
    assert feasible["ibm_torino"]["feasible"] is True
    assert feasible["rigetti_ankaa_3"]["feasible"] is False
    assert "feedback" in feasible["rigetti_ankaa_3"]["reason"]


async def test_a_target_named_twice_is_analysed_once_and_fifty_at_most(api, problem):
    twice = ["ionq_aria_1", "aer_simulator", "ionq_aria_1"]
    body = await post(api, "analyze", {"source": BELL_SYNQ, "targets": twice})
    assert [f["target"] for f in body["feasibility"]] == ["ionq_aria_1", "aer_simulator"]
    many = {"source": BELL_SYNQ, "targets": ["aer_simulator"] * 51}
    code, refusal = await refused(api, "analyze", many, problem)
    assert (code, refusal["errors"][0]["field"]) == (422, "targets")


async def test_analyze_unknown_target_names_targets(api, problem):
    code, body = await refused(api, "analyze", {"source": BELL_SYNQ, "targets": ["x"]}, problem)
    assert code == 422
    assert body["errors"][0]["field"] == "targets"


@pytest.mark.parametrize("route", ["parse", "transpile", "analyze"])
async def test_circuit_routes_need_authentication(api, route):
    with pytest.raises(HTTPClientError) as info:
        await api(
            "circuits", route, method="POST", body={"source": "x"}, headers={"Authorization": ""}
        )
    assert info.value.code == 403
