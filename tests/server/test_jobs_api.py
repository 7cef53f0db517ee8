"""The /synq/api/jobs routes on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from sqlalchemy import func, select
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Job
from synq_jupyter_server.jobs.queue import NewJob
from synq_jupyter_server.principal import local_owner

# The whole job suite runs on the local worker pool and on a Dask LocalCluster.
pytestmark = pytest.mark.parametrize("job_executor", ["local", "dask"], indirect=True)

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
GHZ_100 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[100];\nh q[0];\n' + "".join(
    f"cx q[{i}],q[{i + 1}];\n" for i in range(99)
)


async def submit(api, headers=None, **fields):
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator", **fields}
    response = await api("jobs", method="POST", body=body, headers=headers)
    return response.code, json.loads(response.body)


def job_rows(db_url) -> int:
    database = Database(db_url)
    with database.session(write=False) as session:
        count = session.scalar(select(func.count()).select_from(Job))
    database.dispose()
    return int(count or 0)


async def test_sample_job_runs_and_returns_counts(api, wait_for):
    code, job = await submit(api, shots=500, seed=11, tags=["demo"])
    assert code == 201
    assert job["status"] in ("queued", "running")
    assert job["shots"] == 500
    done = await wait_for(job["id"])
    assert done["status"] == "succeeded"
    assert done["attempts"] == 1
    assert done["started_at"] <= done["finished_at"]
    result = json.loads((await api("jobs", job["id"], "result")).body)
    assert result["shots"] == 500
    assert set(result["counts"]) == {"00", "11"}
    assert sum(result["counts"].values()) == 500
    assert result["seed"] == 11


async def test_ibm_sample_runs_through_runtime_local_mode(api, wait_for):
    _, job = await submit(api, target="ibm_torino", shots=400, seed=3)
    done = await wait_for(job["id"])
    assert done["status"] == "succeeded", done
    assert done["provider_job_id"]
    result = json.loads((await api("jobs", job["id"], "result")).body)
    assert "IBM Runtime local mode" in result["noise"]
    assert result["counts"]["00"] + result["counts"]["11"] > 300


async def test_estimate_job_gives_expectation_values(api, wait_for):
    _, job = await submit(
        api,
        kind="estimate",
        observables=["ZZ", "XX", {"paulis": ["ZI", "IZ"], "coeffs": [0.5, 0.5]}],
        seed=1,
    )
    done = await wait_for(job["id"])
    assert done["status"] == "succeeded", done
    result = json.loads((await api("jobs", job["id"], "result")).body)
    assert result["expectation_values"] == pytest.approx([1.0, 1.0, 0.0], abs=1e-9)


async def test_idempotency_key_returns_the_same_job(api):
    headers = {"Idempotency-Key": "bell-1"}
    code, first = await submit(api, headers=headers)
    again_code, again = await submit(api, headers=headers)
    assert (code, again_code) == (201, 200)
    assert again["id"] == first["id"]


async def test_an_idempotency_key_sent_with_another_request_is_refused(api, problem, db_url):
    headers = {"Idempotency-Key": "bell-2"}
    code, first = await submit(api, headers=headers, shots=100)
    assert code == 201
    other_requests = (
        (("jobs",), {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 5000}),
        (("jobs", "batch"), {"sources": [BELL], "target": "aer_simulator", "shots": 100}),
    )
    for route, body in other_requests:
        with pytest.raises(HTTPClientError) as info:
            await api(*route, method="POST", body=body, headers=dict(headers))
        refused = problem(info.value)
        assert info.value.code == 422
        assert refused["errors"][0]["field"] == "Idempotency-Key"
        assert first["id"] in refused["errors"][0]["message"]
    assert job_rows(db_url) == 1


async def test_an_idempotency_key_longer_than_255_characters_is_refused(api, problem, db_url):
    with pytest.raises(HTTPClientError) as info:
        await submit(api, headers={"Idempotency-Key": "k" * 256})
    assert info.value.code == 422
    assert problem(info.value)["errors"][0]["field"] == "Idempotency-Key"
    assert job_rows(db_url) == 0


@pytest.mark.parametrize(
    ("fields", "field", "phrase"),
    [
        ({"target": "ibm_nowhere"}, "target", "unknown target"),
        ({"source": "qubit q[26]\nquantum h q[25]\n", "target": "ionq_aria_1"}, "source", "26"),
        ({"shots": -5}, "shots", "greater than or equal to 1"),
        ({"source": "qubit q[2]\nquantum hadamard q[0]\n"}, "source", "line 2"),
        ({"kind": "estimate"}, "observables", "observables"),
        ({"kind": "estimate", "observables": ["ZZZ"]}, "observables[0]", "2 letters"),
        ({"observables": ["ZZ"]}, "observables", "estimate jobs"),
        ({"source": "OPENQASM 3.0;\n", "format": "qasm3"}, "source", "no qubits"),
        ({"source": GHZ_100, "target": "aer_noisy_torino"}, "source", "acts on 100 qubits"),
        ({"tags": ["ok", ""]}, "tags[1]", "at least 1 character"),
        ({"tags": ["x" * 65]}, "tags[0]", "at most 64 characters"),
        ({"tags": ["ok", "\u200b"]}, "tags[1]", "formatting characters"),  # zero-width space
        ({"tags": ["\u202eevil"]}, "tags[0]", "formatting characters"),  # right-to-left
    ],
)
async def test_bad_input_is_4xx_naming_the_problem_and_creates_no_row(
    api, problem, db_url, fields, field, phrase
):
    with pytest.raises(HTTPClientError) as info:
        await submit(api, **fields)
    body = problem(info.value)
    assert info.value.code == 422
    assert (body["type"], body["title"]) == (
        "urn:synq:problem:unprocessable-content",
        "Unprocessable Content",
    )
    assert body["errors"][0]["field"] == field
    assert phrase in json.dumps(body)
    assert job_rows(db_url) == 0


async def test_submissions_validated_together_keep_their_own_errors(api, problem, db_url):
    """Concurrent submissions share one call to the validation worker; a bad circuit among
    them refuses only its own request."""
    sources = [BELL, "qubit q[2]\nquantum hh q[0]\n", BELL, "qubit q[40]\n", BELL] * 4
    outcomes = await asyncio.gather(
        *(submit(api, source=source) for source in sources), return_exceptions=True
    )
    for source, outcome in zip(sources, outcomes, strict=True):
        if source == BELL:
            assert not isinstance(outcome, BaseException)
            assert outcome[0] == 201
        else:
            assert isinstance(outcome, HTTPClientError)
            assert outcome.code == 422
            assert problem(outcome)["errors"][0]["field"] == "source"
    assert job_rows(db_url) == sources.count(BELL)


async def test_cancel_queued_job_never_starts(api, jp_serverapp, wait_for):
    scheduler = jp_serverapp.web_app.settings["synq_services"].scheduler
    await scheduler.stop()  # nothing claims: the job stays queued
    _, job = await submit(api)
    cancelled = json.loads((await api("jobs", job["id"], "cancel", method="POST", body="")).body)
    assert cancelled["status"] == "cancelled"
    assert cancelled["started_at"] is None


async def test_cancel_running_job_stops_it_within_two_seconds(api, jp_serverapp, wait_for):
    services = jp_serverapp.web_app.settings["synq_services"]
    # A diagnostic job that would run for a minute unless stopped, owned by the test user.
    owner = local_owner()
    long, _ = services.jobs.queue.submit(
        owner, NewJob(kind="noop", target="aer_simulator", payload={"seconds": 60})
    )
    services.scheduler.wake()
    await wait_for(long.id, lambda j: j["status"] == "running" and j["progress"])
    start = time.monotonic()
    await api("jobs", long.id, "cancel", method="POST", body="")
    done = await wait_for(long.id, timeout=10)
    assert done["status"] == "cancelled"
    assert time.monotonic() - start < 2.0
    # The worker process was replaced and takes new jobs.
    _, job = await submit(api)
    assert (await wait_for(job["id"]))["status"] == "succeeded"


async def test_cancel_stops_a_running_job_while_the_scheduler_waits_on_the_database(
    api, jp_serverapp, wait_for, monkeypatch
):
    # The scheduler's loop can wait on SQLite's lock for up to its 30 s timeout (a reap or
    # a claim behind another process's write); a cancel made here must not wait with it.
    services = jp_serverapp.web_app.settings["synq_services"]
    long, _ = services.jobs.queue.submit(
        local_owner(), NewJob(kind="noop", target="aer_simulator", payload={"seconds": 60})
    )
    services.scheduler.wake()
    await wait_for(long.id, lambda j: j["status"] == "running" and j["progress"])

    async def held() -> None:
        await asyncio.sleep(3600)

    monkeypatch.setattr(services.scheduler, "_tick", held)
    await asyncio.sleep(0.5)  # the loop's next turn starts and waits
    cancelled = json.loads((await api("jobs", long.id, "cancel", method="POST", body="")).body)
    assert cancelled["cancel_requested"]
    assert (await wait_for(long.id, timeout=10))["status"] == "cancelled"


async def test_retry_runs_a_cancelled_job_again(api, jp_serverapp, wait_for):
    scheduler = jp_serverapp.web_app.settings["synq_services"].scheduler
    await scheduler.stop()
    _, job = await submit(api)
    await api("jobs", job["id"], "cancel", method="POST", body="")
    scheduler.start()
    retried = json.loads((await api("jobs", job["id"], "retry", method="POST", body="")).body)
    assert retried["status"] == "queued"
    assert (await wait_for(job["id"]))["status"] == "succeeded"


@pytest.mark.parametrize("action", ["retry", "cancel"])
async def test_retry_or_cancel_of_a_succeeded_job_is_409(api, wait_for, problem, action):
    _, job = await submit(api)
    await wait_for(job["id"])
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", job["id"], action, method="POST", body="")
    assert info.value.code == 409
    assert "succeeded" in problem(info.value)["detail"]
    assert problem(info.value)["errors"][0]["field"] == "status"


async def test_delete_removes_a_finished_job(api, wait_for):
    _, job = await submit(api)
    await wait_for(job["id"])
    response = await api("jobs", job["id"], method="DELETE")
    assert response.code == 204
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", job["id"])
    assert info.value.code == 404


async def test_list_filters_and_paginates(api, wait_for):
    ids = []
    for i in range(5):
        _, job = await submit(api, tags=["odd" if i % 2 else "even"], seed=i)
        ids.append(job["id"])
    for job_id in ids:
        await wait_for(job_id)
    seen, cursor = [], None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = json.loads((await api("jobs", params=params)).body)
        seen += [j["id"] for j in page["jobs"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    evens = json.loads((await api("jobs", params={"tag": "even"})).body)["jobs"]
    assert len(evens) == 3
    done = json.loads((await api("jobs", params={"status": "succeeded", "kind": "sample"})).body)
    assert len(done["jobs"]) == 5


@pytest.mark.parametrize(
    ("parts", "query", "field"),
    [
        (("jobs",), {"limit": "0"}, "limit"),
        # Numbers are digits, as the event stream reads them: not " 1", nor 1_0 read as 10.
        (("jobs",), {"limit": " 1"}, "limit"),
        (("jobs",), {"limit": "1_0"}, "limit"),
        (("jobs",), {"limit": "\u0662"}, "limit"),  # an Arabic-Indic two
        (("security", "events"), {"limit": "1_0"}, "limit"),
        (("security", "audit"), {"limit": "1_0"}, "limit"),
    ],
)
async def test_list_bad_query_names_the_parameter(api, problem, parts, query, field):
    with pytest.raises(HTTPClientError) as info:
        await api(*parts, params=query)
    assert info.value.code == 422
    assert problem(info.value)["errors"][0]["field"] == field


async def test_events_after_is_digits_as_the_stream_reads_it(api, problem):
    _, job = await submit(api)
    for after in ("1_0", " 1"):
        with pytest.raises(HTTPClientError) as info:
            await api("jobs", job["id"], "events", params={"after": after})
        assert info.value.code == 422
        assert problem(info.value)["errors"][0]["field"] == "after"


async def test_a_filter_given_twice_is_refused_not_half_applied(api, problem):
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", params=[("status", "cancelled"), ("status", "succeeded")])
    assert info.value.code == 422
    assert problem(info.value)["errors"] == [
        {"field": "status", "message": "given 2 times; give it once"}
    ]


async def test_a_submission_whose_caller_left_still_runs_once(api, jp_serverapp, wait_for):
    """A caller cancelled while its job is written (a request given up on) does not leave a
    job taken under the scheduler's lease without starting it."""
    scheduler = jp_serverapp.web_app.settings["synq_services"].scheduler
    new = NewJob(kind="noop", target="aer_simulator", payload={"seconds": 0.1})
    caller = asyncio.ensure_future(scheduler.submit(local_owner(), new))
    for _ in range(3):
        await asyncio.sleep(0)  # into the write
    caller.cancel()
    jobs: list[dict] = []
    deadline = time.monotonic() + 10
    while not jobs and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        jobs = json.loads((await api("jobs")).body)["jobs"]
    [job] = jobs
    done = await wait_for(job["id"], timeout=20)
    assert (done["status"], done["attempts"]) == ("succeeded", 1)


async def test_result_of_an_unfinished_job_is_409(api, jp_serverapp, problem):
    scheduler = jp_serverapp.web_app.settings["synq_services"].scheduler
    await scheduler.stop()
    _, job = await submit(api)
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", job["id"], "result")
    assert info.value.code == 409
    assert "queued" in problem(info.value)["detail"]
    assert problem(info.value)["errors"] == [{"field": "status", "message": "queued"}]


async def test_other_users_jobs_are_404(api, problem):
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", "0" * 32)
    assert info.value.code == 404
    assert problem(info.value)["errors"][0]["field"] == "job_id"


@pytest.mark.parametrize(
    ("method", "parts"),
    [("GET", ("jobs",)), ("POST", ("jobs",)), ("GET", ("jobs", "x")), ("POST", ("jobs", "batch"))],
)
async def test_job_routes_need_authentication(api, method, parts):
    with pytest.raises(HTTPClientError) as info:
        await api(
            *parts,
            method=method,
            body="{}" if method == "POST" else None,
            headers={"Authorization": ""},
        )
    assert info.value.code == 403


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_cache_busting_number_is_not_an_unknown_parameter(api, problem):
    """JupyterLab appends ``?<milliseconds>`` to every GET it makes."""
    assert (await api("jobs", params={"1795713824757": ""})).code == 200
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", params={"colour": "blue"})
    assert info.value.code == 422
    assert problem(info.value)["errors"][0]["field"] == "colour"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_server_token_in_the_query_signs_in_on_every_route(
    http_server_client, jp_base_url, jp_auth_header
):
    """Jupyter takes ``?token=`` as well as the header: it is Jupyter's parameter, not an
    unknown filter (the job list refused it, 422 naming ``token``)."""
    token = jp_auth_header["Authorization"].split()[1]
    for path in ("jobs?", "jobs?status=queued&", "targets?", "health?"):
        url = f"{jp_base_url}synq/api/{path}token={token}"
        reply = await http_server_client.fetch(url, raise_error=False)
        assert reply.code == 200, (path, reply.body)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_route_without_parameters_refuses_one_naming_it(api, problem):
    """``jobs/ID?fields=counts`` answered with the whole job, as if the filter had worked."""
    _, job = await submit(api)
    for parts in (("jobs", job["id"]), ("targets",), ("targets", "ibm_torino")):
        with pytest.raises(HTTPClientError) as info:
            await api(*parts, params={"fields": "counts"})
        assert info.value.code == 422
        assert problem(info.value)["errors"] == [
            {"field": "fields", "message": "unknown parameter; this route takes none"}
        ]
    assert (await api("targets", params={"1795713824757": ""})).code == 200
