"""Group commit: requests that arrive together share one call, and fail only on their own."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from synq_jupyter_server.jobs.group_commit import GroupCommit


class Store:
    """Records each call; a call waits until ``gate`` opens; negative items are refused."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.gate = asyncio.Event()
        self.in_progress = 0
        self.most_at_once = 0

    async def write(self, items: Sequence[int]) -> list[str | BaseException]:
        self.calls.append(list(items))
        self.in_progress += 1
        self.most_at_once = max(self.most_at_once, self.in_progress)
        await self.gate.wait()
        self.in_progress -= 1
        return [ValueError(f"bad {i}") if i < 0 else f"row {i}" for i in items]


async def test_items_arriving_during_a_write_share_the_next() -> None:
    store = Store()
    commit: GroupCommit[int, str] = GroupCommit(store.write)
    first = asyncio.ensure_future(commit.submit(0))
    await asyncio.sleep(0)  # the first write starts with item 0 alone
    rest = [asyncio.ensure_future(commit.submit(i)) for i in range(1, 51)]
    await asyncio.sleep(0)
    store.gate.set()
    assert await first == "row 0"
    assert await asyncio.gather(*rest) == [f"row {i}" for i in range(1, 51)]
    assert store.calls == [[0], list(range(1, 51))]


async def test_a_refused_item_fails_alone() -> None:
    store = Store()
    store.gate.set()
    commit: GroupCommit[int, str] = GroupCommit(store.write)
    outcomes = await asyncio.gather(*(commit.submit(i) for i in (1, -2, 3)), return_exceptions=True)
    assert outcomes[0] == "row 1"
    assert outcomes[2] == "row 3"
    assert isinstance(outcomes[1], ValueError)
    assert str(outcomes[1]) == "bad -2"


async def test_a_failed_call_fails_its_items_and_the_next_call_goes_on() -> None:
    calls = 0

    async def flaky(items: Sequence[int]) -> list[str]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database is locked")
        return [f"row {i}" for i in items]

    commit: GroupCommit[int, str] = GroupCommit(flaky)
    with pytest.raises(RuntimeError, match="locked"):
        await commit.submit(1)
    assert await commit.submit(2) == "row 2"


async def test_concurrency_bounds_the_calls_in_progress() -> None:
    store = Store()
    commit: GroupCommit[int, str] = GroupCommit(store.write, concurrency=2)
    pending = [asyncio.ensure_future(commit.submit(i)) for i in range(10)]
    for _ in range(3):
        await asyncio.sleep(0)
    assert store.in_progress == 2  # two workers busy; the rest wait for them
    store.gate.set()
    assert await asyncio.gather(*pending) == [f"row {i}" for i in range(10)]
    assert store.most_at_once == 2
    assert sorted(i for call in store.calls for i in call) == list(range(10))


async def test_an_item_whose_caller_left_is_not_written() -> None:
    store = Store()
    commit: GroupCommit[int, str] = GroupCommit(store.write)
    first = asyncio.ensure_future(commit.submit(0))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(commit.submit(1))
    kept = asyncio.ensure_future(commit.submit(2))
    await asyncio.sleep(0)
    gone.cancel()
    store.gate.set()
    assert await asyncio.gather(first, kept) == ["row 0", "row 2"]
    assert store.calls == [[0], [2]]


async def test_a_write_with_too_few_outcomes_fails_its_items() -> None:
    async def short(items: Sequence[int]) -> list[str]:
        return ["row"]

    commit: GroupCommit[int, str] = GroupCommit(short)
    outcomes = await asyncio.gather(*(commit.submit(i) for i in range(3)), return_exceptions=True)
    assert all(isinstance(o, RuntimeError) for o in outcomes[1:])
