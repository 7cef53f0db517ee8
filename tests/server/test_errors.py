"""Failures inside the server reach clients as problem+json, never as tracebacks."""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.executor import ExecutorUnavailable, LocalExecutor
from synq_jupyter_server.services.circuits import CircuitService


async def test_unexpected_error_is_500_with_a_correlation_id(api, problem, monkeypatch, caplog):
    async def broken(self, source, format):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(CircuitService, "parse", broken)
    with pytest.raises(HTTPClientError) as info:
        await api("circuits", "parse", method="POST", body={"source": "qubit q[1]"})
    body = problem(info.value)
    assert info.value.code == 500
    assert len(body["correlation_id"]) == 32
    text = json.dumps(body)
    assert "secret internal detail" not in text
    assert "Traceback" not in text
    assert body["correlation_id"] in caplog.text


def test_a_dead_worker_is_reported_and_the_pool_recovers():
    async def scenario() -> int:
        with pytest.raises(ExecutorUnavailable):
            await executor.run(os._exit, 3)
        return await executor.run(os.getpid)

    executor = LocalExecutor(max_workers=1)
    try:
        assert asyncio.run(scenario()) != os.getpid()
    finally:
        executor.shutdown()


def test_a_call_given_up_on_never_answers_the_next_caller():
    async def scenario() -> tuple[object, object]:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(executor.run(time.sleep, 2), 0.5)
        return await executor.run(os.getpid), await executor.run(str, "fresh")

    executor = LocalExecutor(max_workers=1)
    try:
        pid, text = asyncio.run(scenario())
    finally:
        executor.shutdown()
    # Without care the sleeping worker went back to the pool, and its ``None`` answered
    # the next call.
    assert isinstance(pid, int)
    assert pid != os.getpid()
    assert text == "fresh"


def test_worker_errors_keep_their_field_and_position():
    from synq_jupyter.errors import SynqSyntaxError
    from synq_jupyter_server.tasks import parse_task

    executor = LocalExecutor(max_workers=1)
    try:
        with pytest.raises(SynqSyntaxError) as info:
            asyncio.run(executor.run(parse_task, "qubit q[1]\nquantum zz q[0]\n", "synq"))
    finally:
        executor.shutdown()
    assert info.value.line == 2
    assert info.value.column == 9
    assert info.value.field == "source"
