"""Edge cases of the job routes' input, found by probing the API as a hostile client: each
is refused as a 4xx naming the field (or, for good input, does what the docs say)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.security.audit_records import SYSTEM_ORG, AuditFilter

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


async def refusal(api, problem, *parts, **kwargs) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as info:
        await api(*parts, **kwargs)
    return info.value.code, problem(info.value)


async def refused_submission(api, problem, headers=None, **fields) -> tuple[int, dict]:
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator", **fields}
    return await refusal(api, problem, "jobs", method="POST", body=body, headers=headers)


async def submit(api, **fields) -> dict:
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator", **fields}
    return json.loads((await api("jobs", method="POST", body=body)).body)


async def test_since_compares_the_instant_whatever_its_offset(api):
    job = await submit(api, tags=["tz"])
    created = datetime.fromisoformat(job["created_at"].replace("Z", "+00:00"))
    hour_before_in_india = (created - timedelta(hours=1)).astimezone(
        timezone(timedelta(hours=5, minutes=30))
    )
    hour_after_in_new_york = (created + timedelta(hours=1)).astimezone(
        timezone(timedelta(hours=-5))
    )

    async def listed(since: datetime) -> list[str]:
        query = {"tag": "tz", "since": since.isoformat()}
        return [j["id"] for j in json.loads((await api("jobs", params=query)).body)["jobs"]]

    assert await listed(hour_before_in_india) == [job["id"]]
    assert await listed(hour_after_in_new_york) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("coefficient", ["NaN", "Infinity", "1e400"])
async def test_coefficients_must_be_finite_numbers(api, problem, coefficient):
    # Written out: json.dumps would not write 1e400, and the point is what a client sends.
    observables = '[{"paulis": ["ZZ"], "coeffs": [' + coefficient + "]}]"
    body = json.dumps({"kind": "estimate", "source": BELL, "target": "aer_simulator"})
    body = body[:-1] + ', "observables": ' + observables + "}"
    code, refused = await refusal(api, problem, "jobs", method="POST", body=body)
    assert code == 422
    assert {"field": "observables[0].coeffs[0]", "message": "Input should be a finite number"} in (
        refused["errors"]
    )
    assert json.loads((await api("jobs")).body)["jobs"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("tag", [" ", "a\x00b", "tab\there"])
async def test_a_tag_must_be_something_the_tag_filter_can_find(api, problem, tag):
    code, refused = await refused_submission(api, problem, tags=["fine", tag])
    assert code == 422
    assert refused["errors"][0]["field"] == "tags[1]"
    assert "printable text" in refused["errors"][0]["message"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_tag_given_twice_is_kept_once_and_a_spaced_one_is_found(api):
    job = await submit(api, tags=["sweep", "sweep", " spaced "])
    assert job["tags"] == ["sweep", " spaced "]
    found = json.loads((await api("jobs", params={"tag": " spaced "})).body)["jobs"]
    assert [j["id"] for j in found] == [job["id"]]
    # A trimmed value is another tag, not "no filter".
    assert json.loads((await api("jobs", params={"tag": "spaced"})).body)["jobs"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("sources", "phrase"),
    [
        ([""], "at least 1 character"),
        (["qubit q[2]\nquantum hh q[0]\n"], "sources[0], line 2, column 9"),
        ([BELL + "//" + "x" * 1_000_000], "at most 1000000 characters"),
    ],
)
async def test_a_batch_names_its_bad_circuit_even_when_it_is_the_only_one(
    api, problem, sources, phrase
):
    body = {"target": "aer_simulator", "sources": sources, "shots": 10}
    code, refused = await refusal(api, problem, "jobs", "batch", method="POST", body=body)
    assert code == 422
    assert refused["errors"][0]["field"] == "sources[0]"
    assert phrase in json.dumps(refused)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_error_quoting_a_huge_input_is_cut_short(api, problem):
    body = {"kind": "sample", "source": "x" * 999_000, "target": "aer_simulator"}
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", method="POST", body=body)
    assert info.value.code == 422
    assert len(info.value.response.body) < 5_000
    assert "xxx…" in problem(info.value)["errors"][0]["message"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("key", ["", "   "])
async def test_a_blank_idempotency_key_is_refused_not_ignored(api, problem, key):
    code, refused = await refused_submission(api, problem, headers={"Idempotency-Key": key})
    assert code == 422
    assert refused["errors"][0]["field"] == "Idempotency-Key"
    assert json.loads((await api("jobs")).body)["jobs"] == []


async def test_an_event_id_beyond_what_a_database_holds_is_422(api, problem):
    job = await submit(api)
    code, refused = await refusal(
        api, problem, "jobs", job["id"], "events", params={"after": str(2**31)}
    )
    assert code == 422
    assert refused["errors"][0]["field"] == "after"
    newest = await api("jobs", job["id"], "events", params={"after": str(2**31 - 1)})
    assert json.loads(newest.body)["events"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_path_that_is_not_utf8_is_a_400_naming_it_and_is_audited(
    started, problem, http_server_client, jp_base_url, jp_auth_header
):
    # Sent by hand: jp_fetch would percent-encode the "%" itself.
    url = f"{jp_base_url}synq/api/jobs/%FF"
    with pytest.raises(HTTPClientError) as info:
        await http_server_client.fetch(url, method="DELETE", headers=jp_auth_header)
    assert info.value.code == 400
    assert problem(info.value)["errors"][0]["field"] == "job_id"
    # Refused before authentication: recorded as the system organisation's, as any such.
    audit = started.web_app.settings["synq_services"].audit
    records, _ = audit.query(SYSTEM_ORG, AuditFilter(), None, 10)
    assert [(r.action, r.outcome) for r in records] == [("DELETE /synq/api/jobs/{job_id}", "400")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_circuit_with_unbound_parameters_is_refused_at_submission(api, problem):
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\nqubit[1] q;\nrx(theta) q[0];\n'
    )
    code, refused = await refused_submission(api, problem, source=source, format="qasm3")
    assert code == 422
    assert refused["errors"][0]["field"] == "source"
    assert "unbound parameters (theta)" in refused["detail"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("target", ["aer_simulator", "ibm_torino"])
async def test_an_opaque_gate_is_refused_at_submission_not_in_the_worker(api, problem, target):
    source = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nopaque foo a;\nqreg q[1];\nfoo q[0];\n'
    code, refused = await refused_submission(api, problem, source=source, target=target)
    assert code == 422
    assert refused["errors"][0]["field"] == "source"
    assert "uses foo, a gate with no definition" in refused["detail"]
    assert json.loads((await api("jobs")).body)["jobs"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "loop", ["for int i in [0:2] { h q[i]; }", "for int i in [0:2] { h q[i + 0]; }"]
)
async def test_a_register_indexed_by_a_loop_variable_is_a_422_naming_the_line(api, problem, loop):
    """qiskit-qasm3-import fails on it with a bare TypeError: it was a 500."""
    source = f'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\n{loop}\n'
    code, refused = await refused_submission(api, problem, source=source)
    assert code == 422
    assert refused["detail"].startswith("line 4, column 24: q[i]: ")
    code, refused = await refusal(
        api, problem, "circuits", "parse", method="POST", body={"source": source}
    )
    assert code == 422


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_noisy_run_too_wide_once_every_qubit_is_measured_is_refused_at_submission(
    api, problem
):
    """A circuit that measures nothing has all its qubits measured when it runs: 31 of
    them do not fit a noisy simulation here, however few the gates touch."""
    from synq_jupyter.quantum.device_simulation import max_simulated_qubits

    width = max_simulated_qubits() + 2
    source = f"qubit q[{width}]\nquantum h q[0]\n"
    code, refused = await refused_submission(api, problem, source=source, target="aer_noisy_torino")
    assert code == 422
    assert f"acts on {width} qubits" in refused["detail"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("observables", "errors"),
    [
        (
            [1, "ZZ"],
            [("observables[0]", 'an observable is a Pauli label ("ZZ") or {"paulis": [...]')],
        ),
        (
            [{"paulis": ["ZZ"], "coeffs": ["1"]}],
            [("observables[0].coeffs[0]", "Input should be a valid number")],
        ),
        (["ZZ", "ZZZ"], [("observables[1]", "'ZZZ' must be 2 letters of I, X, Y, Z")]),
        (
            [{"paulis": ["ZZ", "ZQ"], "coeffs": [1, 1]}],
            [("observables[0].paulis[1]", "'ZQ' must be 2 letters of I, X, Y, Z")],
        ),
        (
            ["ZZ", {"paulis": ["IX", "XI"], "coeffs": [1e308, 1e308]}],
            [("observables[1].coeffs", "the coefficients add up past the largest number")],
        ),
    ],
)
async def test_a_bad_observable_gets_one_error_naming_it(api, problem, observables, errors):
    code, refused = await refused_submission(api, problem, kind="estimate", observables=observables)
    assert code == 422
    got = [
        (e["field"], e["message"][: len(want)])
        for e, (_, want) in zip(refused["errors"], errors, strict=False)
    ]
    assert got == errors
    assert len(refused["errors"]) == len(errors)


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("tags", 1), "tags[1]"),
        (("observables", 0, "PauliSum", "coeffs", 0), "observables[0].coeffs[0]"),
        (("observables", 0, "str"), "observables[0]"),
        (("data", "X", 0, 1), "data.X[0][1]"),  # a field named X, not a union member
    ],
)
def test_pydantic_locations_are_named_as_the_docs_name_fields(loc, field):
    import synq_jupyter_server.routes  # noqa: F401  (defines every request model, as a server has)
    from synq_jupyter_server.handlers.base import _field_error

    assert _field_error({"loc": loc, "msg": "invalid"}).field == field


def test_an_empty_key_given_twice_still_names_a_field():
    from synq_jupyter_server.handlers.base import RequestError, _refuse_repeated_keys

    with pytest.raises(RequestError) as refused:
        _refuse_repeated_keys(b'{"problem": {"": 1, "": 2}}')
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("problem", "given twice in one object; give it once")
    ]
    with pytest.raises(RequestError) as refused:
        _refuse_repeated_keys(b'{"": 1, "": 2}')
    assert refused.value.errors[0].field == "body"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_estimate_runs_exactly_the_shots_asked(api, wait_for):
    """It ran one more for 1,000 shots (the Estimator runs ceil(1 / precision**2))."""
    job = await submit(
        api, kind="estimate", source="qubit q[1]\nquantum h q[0]\n", observables=["Z"], shots=1000
    )
    assert (await wait_for(job["id"]))["status"] == "succeeded"
    result = json.loads((await api("jobs", job["id"], "result")).body)
    (value,) = result["expectation_values"]
    difference = value * 1000  # (shots of +1) - (shots of -1), over 1,000 shots
    assert difference == pytest.approx(round(difference), abs=1e-6)
    assert round(difference) % 2 == 0
    (error,) = result["standard_errors"]
    assert error == pytest.approx(((1 - value**2) / 1000) ** 0.5, rel=1e-6)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("target", ["aer_simulator", "aer_noisy_torino"])
async def test_an_estimate_of_a_circuit_with_feed_forward_is_refused(api, problem, target):
    """The Estimator dropped the x inside the if (ZZ came out 0.02 instead of 1) or failed."""
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\n'
        "c[0] = measure q[0];\nif (c[0]) { x q[1]; }\n"
    )
    code, refused = await refused_submission(
        api, problem, kind="estimate", source=source, target=target, observables=["ZZ"]
    )
    assert code == 422
    assert refused["errors"][0]["field"] == "source"
    assert "cannot use control flow (if_else)" in refused["detail"]
    assert json.loads((await api("jobs")).body)["jobs"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_ideal_estimate_too_wide_for_this_machine_is_refused(api, problem):
    from synq_jupyter.quantum.device_simulation import max_simulated_qubits

    width = max_simulated_qubits() + 1
    if width > 30:
        pytest.skip("this machine simulates every width the ideal simulator has")
    source = f"qubit q[{width}]\nquantum h q[0]\n"
    code, refused = await refused_submission(
        api, problem, kind="estimate", source=source, observables=["Z" * width]
    )
    assert code == 422
    assert f"acts on {width} qubits; simulating it for aer_simulator" in refused["detail"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("name", ["tag", "target", "kind", "status"])
async def test_an_empty_filter_is_refused_naming_it(api, problem, name):
    """`?tag=` and `?target=` listed every job, as if there were no filter."""
    await submit(api, tags=["t"])
    code, refused = await refusal(api, problem, "jobs", params={name: ""})
    assert code == 422
    assert refused["errors"][0]["field"] == name


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_repeated_key_with_the_default_shots_written_out_is_the_same_request(api):
    """It was "a different request" (422), though an explicit default priority was not."""
    headers = {"Idempotency-Key": "shots-written-out"}
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator"}
    first = await api("jobs", method="POST", body=body, headers=dict(headers))
    again = await api(
        "jobs", method="POST", body={**body, "shots": 1024, "priority": 0}, headers=dict(headers)
    )
    assert (first.code, again.code) == (201, 200)
    assert json.loads(again.body)["id"] == json.loads(first.body)["id"]
    assert json.loads(first.body)["shots"] == 1024


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_qasm2_gate_called_without_its_angle_is_a_422_naming_the_line(api, problem):
    """Qiskit's reader let ``rx q[0];`` through to RXGate(), whose TypeError was a 500."""
    source = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nrx q[0];\n'
    code, refused = await refused_submission(api, problem, source=source)
    assert code == 422
    assert refused["errors"][0]["field"] == "source"
    assert refused["detail"] == "line 4, column 1: 'rx' takes 1 parameter, but got 0"
    code, refused = await refusal(
        api, problem, "circuits", "parse", method="POST", body={"source": source}
    )
    assert code == 422
    assert json.loads((await api("jobs")).body)["jobs"] == []
