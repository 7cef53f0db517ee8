"""``JobHandle.result(timeout=)`` keeps to its timeout, on a clock the test controls."""

from __future__ import annotations

from typing import Any

import pytest

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
    def request(self, method: str, path: str, **_: Any) -> dict[str, Any]:
        return {"id": "j1", "status": "running"}


@pytest.mark.parametrize("timeout", [0.05, 2.0, 7.3])
def test_result_gives_up_at_its_timeout_not_a_poll_later(monkeypatch, timeout):
    clock = Clock()
    monkeypatch.setattr(job_handle, "time", clock)
    with pytest.raises(TimeoutError, match="job j1 is still running"):
        JobHandle("j1", client=RunningForever()).result(timeout=timeout)  # type: ignore[arg-type]
    assert clock.now == pytest.approx(timeout)
