"""``JobHandle.result(timeout=)`` keeps to its timeout, on a clock the test controls."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel import job_handle
from synq_jupyter.kernel.job_handle import JobHandle


class Clock:
    """``time`` as ``job_handle`` uses it: sleeping moves the clock on, and nothing else."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class RunningForever:
    timeout = 60.0

    def __init__(self) -> None:
        self.waits: list[float | None] = []

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        self.waits.append(kwargs.get("timeout"))
        return {"id": "a1", "status": "running"}


@pytest.mark.parametrize("timeout", [0.05, 2.0, 7.3])
def test_result_gives_up_at_its_timeout_not_a_poll_later(monkeypatch, timeout):
    clock = Clock()
    monkeypatch.setattr(job_handle, "time", clock)
    with pytest.raises(TimeoutError, match="job a1 is still running"):
        JobHandle("a1", client=RunningForever()).result(timeout=timeout)  # type: ignore[arg-type]
    assert clock.now == pytest.approx(timeout)


def test_a_status_request_waits_no_longer_than_the_deadline_left(monkeypatch):
    """A server that stops answering cannot hold result(timeout=5) for the client's minute."""
    clock = Clock()
    monkeypatch.setattr(job_handle, "time", clock)
    client = RunningForever()
    with pytest.raises(TimeoutError):
        JobHandle("a1", client=client).result(timeout=5)  # type: ignore[arg-type]
    assert client.waits[0] == pytest.approx(5)
    assert all(w is not None and job_handle.MIN_ANSWER_S <= w <= 5 for w in client.waits)
    client.waits.clear()
    JobHandle("a1", client=client).info()  # type: ignore[arg-type]
    assert client.waits == [None]  # no deadline: the client's own timeout


def test_a_timeout_that_is_not_a_number_is_refused_before_anything_is_shown():
    with pytest.raises(TypeError, match="timeout is a number of seconds, not str"):
        JobHandle("a1", client=RunningForever()).wait(timeout="5")  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [float("nan"), np.float64("nan"), -1, -0.5])
def test_a_timeout_no_clock_reaches_is_refused_naming_it(timeout):
    client = RunningForever()
    with pytest.raises(SynqInputError) as refused:
        JobHandle("a1", client=client).result(timeout=timeout)  # type: ignore[arg-type]
    assert refused.value._render_traceback_() == [
        f"SynqInputError: timeout: {timeout} is not a number of seconds, 0 or more "
        "(None waits for ever)"
    ]
    assert client.waits == []  # refused before the first look at the job


def test_an_infinite_or_numpy_timeout_is_a_number_of_seconds(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(job_handle, "time", clock)
    with pytest.raises(TimeoutError):
        JobHandle("a1", client=RunningForever()).result(timeout=np.int64(3))  # type: ignore[arg-type]
    assert clock.now == pytest.approx(3)
    assert job_handle.checked_timeout(float("inf")) == float("inf")  # as None: for ever
    assert job_handle.checked_timeout(0) == 0.0


@pytest.mark.parametrize("job_id", ["../health", "", "a1?x=1"])
def test_a_handle_on_an_id_that_is_not_hex_is_refused_before_any_request(job_id):
    client = RunningForever()
    with pytest.raises(SynqInputError) as refused:
        JobHandle(job_id, client=client)  # type: ignore[arg-type]
    assert refused.value.field == "job_id"
    assert client.waits == []


def test_a_handle_takes_an_id_as_it_may_be_written():
    assert JobHandle("5EF9A63E-E391-4A68-973B-B28F2AFACF37", RunningForever()).id == (  # type: ignore[arg-type]
        "5ef9a63ee3914a68973bb28f2afacf37"
    )
