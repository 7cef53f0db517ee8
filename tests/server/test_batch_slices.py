"""A batch is validated in slices, so other submissions are checked between two of them;
an error still names the circuit by its place in the whole batch."""

from __future__ import annotations

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.services import jobs as job_service
from synq_jupyter_server.services.jobs import batch_slices
from synq_jupyter_server.tasks import validate_jobs_task

BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'


def test_slices_cover_the_batch_in_order_at_least_one_circuit_each(monkeypatch):
    monkeypatch.setattr(job_service, "BATCH_SLICE_CHARACTERS", 10)
    sources = ["aaaa", "bbbb", "cccc", "d" * 25, "e"]
    slices = list(batch_slices(sources))
    assert slices == [(0, ["aaaa", "bbbb"]), (2, ["cccc"]), (3, ["d" * 25]), (4, ["e"])]
    assert list(batch_slices([])) == []


async def test_a_bad_circuit_refuses_the_whole_batch_named_by_its_place_in_it(
    api, problem, monkeypatch, jp_serverapp
):
    monkeypatch.setattr(job_service, "BATCH_SLICE_CHARACTERS", 3 * len(BELL))
    checks = jp_serverapp.web_app.settings["synq_services"].checks
    calls: list[int] = []
    monkeypatch.setattr(checks, "run", _counting(checks.run, calls))
    sources = [BELL] * 10 + ["OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n"]
    with pytest.raises(HTTPClientError) as refused:
        await api(
            "jobs", "batch", method="POST", body={"sources": sources, "target": "aer_simulator"}
        )
    body = problem(refused.value)
    assert refused.value.code == 422
    assert body["errors"][0]["field"] == "sources[10]"
    assert body["detail"].startswith("sources[10], line 3, column 1: ")
    assert calls == [3, 3, 3, 2]  # circuits per worker call


async def test_large_slices_are_checked_on_a_worker_of_their_own(api, monkeypatch, jp_serverapp):
    monkeypatch.setattr(job_service, "BATCH_SLICE_CHARACTERS", 3 * len(BELL))
    monkeypatch.setattr(job_service, "LARGE_SOURCE_CHARACTERS", 2 * len(BELL))
    services = jp_serverapp.web_app.settings["synq_services"]
    calls: dict[str, list[int]] = {"checks": [], "large": []}
    for name, pool in (("checks", services.checks), ("large", services.jobs.large_checks)):
        monkeypatch.setattr(pool, "run", _counting(pool.run, calls[name]))
    response = await api(
        "jobs", "batch", method="POST", body={"sources": [BELL] * 10, "target": "aer_simulator"}
    )
    assert response.code == 201
    assert calls == {"checks": [1], "large": [3, 3, 3]}  # circuits per call, on each pool


def _counting(run, calls):
    async def counted(fn, *args, **kwargs):
        if fn is validate_jobs_task:
            calls.append(sum(len(validation[0]) for validation in args[0]))
        return await run(fn, *args, **kwargs)

    return counted
