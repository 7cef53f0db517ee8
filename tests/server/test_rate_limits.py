"""Rate limits: 1,000 requests a minute per principal, 100 per anonymous address, then 429.

Each rule is checked on the in-process store and on the real Redis at 127.0.0.1:6379
(override with ``SYNQ_TEST_REDIS_URL``), each test under its own key prefix.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from tornado.httpclient import HTTPResponse

from synq_jupyter_server.principal import local_owner
from synq_jupyter_server.security.rate_limit import (
    NAMESPACE,
    Decision,
    MemoryStore,
    RateLimiter,
    RateLimits,
)
from synq_jupyter_server.security.rate_limit_redis import RedisStore

REDIS_URL = os.environ.get("SYNQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
both_stores = pytest.mark.parametrize("store", ["memory", "redis"], indirect=True)


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    with redis.Redis.from_url(REDIS_URL) as client:
        keys = list(client.scan_iter(match=f"{NAMESPACE}{prefix}*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """Where the server counts: ``memory`` (the default) or ``redis``."""
    return str(getattr(request, "param", "memory"))


@pytest.fixture
def limits(request: pytest.FixtureRequest) -> dict[str, Any]:
    """``SynqApp`` rate-limit settings a test overrides; the production defaults otherwise."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def jp_server_config(
    jp_server_config: dict[str, Any], store: str, prefix: str, limits: dict[str, Any]
) -> dict[str, Any]:
    redis_url = REDIS_URL if store == "redis" else ""
    synq = {**jp_server_config["SynqApp"], "redis_url": redis_url, "rate_limit_prefix": prefix}
    return {**jp_server_config, "SynqApp": {**synq, **limits}}


async def send(jp_fetch, count: int, **kwargs: Any) -> list[HTTPResponse]:
    """``count`` GETs of ``/synq/api/auth/me``, fifty at a time."""
    responses: list[HTTPResponse] = []
    for start in range(0, count, 50):
        batch = [
            jp_fetch("synq", "api", "auth", "me", raise_error=False, **kwargs)
            for _ in range(min(50, count - start))
        ]
        responses += await asyncio.gather(*batch)
    return responses


def assert_rate_limited(response: HTTPResponse, limit: str) -> None:
    assert response.code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["Content-Type"] == "application/problem+json"
    body = json.loads(response.body)
    assert body["status"] == 429
    assert body["errors"] == [{"field": "rate_limit", "message": limit}]


@sqlite_only
@both_stores
async def test_a_principal_gets_1000_requests_a_minute_then_429(jp_fetch, started):
    responses = await send(jp_fetch, 1000)
    assert [r.code for r in responses] == [200] * 1000
    assert_rate_limited((await send(jp_fetch, 1))[0], "1000 requests per minute")


@sqlite_only
@both_stores
async def test_an_anonymous_address_gets_100_requests_a_minute_then_429(jp_fetch, started):
    anonymous = {"headers": {"Authorization": ""}}
    responses = await send(jp_fetch, 100, **anonymous)
    assert [r.code for r in responses] == [403] * 100
    assert_rate_limited((await send(jp_fetch, 1, **anonymous))[0], "100 requests per minute")


@sqlite_only
@pytest.mark.parametrize("limits", [{"rate_limit": 3}], indirect=True)
async def test_api_keys_share_their_owners_limit(jp_fetch, started):
    keys = started.web_app.settings["synq_services"].api_keys
    _, secret = keys.create(local_owner(), "ci", ["jobs:read"], 1)
    key = {"headers": {"Authorization": f"Bearer {secret}"}}
    codes = [(await send(jp_fetch, 1, **auth))[0].code for auth in (key, {}, key)]
    assert codes == [200, 200, 200]
    assert_rate_limited((await send(jp_fetch, 1))[0], "3 requests per minute")


@sqlite_only
@pytest.mark.parametrize("limits", [{"anonymous_rate_limit": 2}], indirect=True)
async def test_guessing_api_keys_runs_into_the_anonymous_limit(jp_fetch, started):
    guess = {"headers": {"Authorization": "Bearer synq_abcdef_0123456789"}}
    assert {r.code for r in await send(jp_fetch, 2, **guess)} <= {401, 403}
    assert_rate_limited((await send(jp_fetch, 1, **guess))[0], "2 requests per minute")


@sqlite_only
@pytest.mark.parametrize("limits", [{"anonymous_rate_limit": 1}], indirect=True)
async def test_a_limited_address_can_still_sign_in(jp_fetch, started):
    anonymous = {"headers": {"Authorization": ""}}
    codes = [(await send(jp_fetch, 1, **anonymous))[0].code for _ in range(2)]
    assert codes == [403, 429]
    assert (await send(jp_fetch, 1))[0].code == 200


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_memory_window_resets_after_its_length():
    clock = Clock()
    store = MemoryStore(clock)
    assert (await store.hit("k", 2, 60)).remaining == 1
    clock.now += 15
    assert (await store.hit("k", 2, 60)).remaining == 0
    assert await store.hit("k", 2, 60) == Decision(False, 2, 0, 45.0)
    clock.now += 45
    assert await store.hit("k", 2, 60) == Decision(True, 2, 1, 0.0)


async def test_the_redis_window_resets_after_its_length(prefix):
    store = RedisStore.from_url(REDIS_URL)
    key = f"{NAMESPACE}{prefix}k"
    try:
        assert [(await store.hit(key, 1, 0.3)).allowed for _ in range(2)] == [True, False]
        await asyncio.sleep(0.35)
        assert (await store.hit(key, 1, 0.3)).allowed
    finally:
        await store.close()


async def test_concurrent_redis_hits_are_counted_exactly(prefix):
    stores = [RedisStore.from_url(REDIS_URL) for _ in range(4)]
    key = f"{NAMESPACE}{prefix}k"
    try:
        decisions = await asyncio.gather(*(stores[i % 4].hit(key, 300, 60) for i in range(400)))
    finally:
        await asyncio.gather(*(s.close() for s in stores))
    allowed = [d for d in decisions if d.allowed]
    assert len(allowed) == 300
    assert sorted(d.remaining for d in allowed) == list(range(300))


def test_memory_hits_from_many_threads_are_counted_exactly():
    store = MemoryStore()
    decisions: list[Decision] = []

    def hammer() -> None:
        decisions.extend(asyncio.run(one_by_one(store, 100)))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    allowed = [d for d in decisions if d.allowed]
    assert len(allowed) == 500
    assert sorted(d.remaining for d in allowed) == list(range(500))


async def one_by_one(store: MemoryStore, count: int) -> list[Decision]:
    return [await store.hit("k", 500, 60) for _ in range(count)]


async def test_two_limiters_on_one_redis_share_a_count(prefix):
    limits = RateLimits(authenticated=3)
    first = RateLimiter(RedisStore.from_url(REDIS_URL), limits, prefix)
    second = RateLimiter(RedisStore.from_url(REDIS_URL), limits, prefix)
    try:
        assert (await first.hit_principal("ada")).remaining == 2
        assert (await second.hit_principal("ada")).remaining == 1
        assert (await first.hit_principal("ada")).remaining == 0
        refused = await second.hit_principal("ada")
        assert not refused.allowed
        assert 59 < refused.retry_after <= 60
        assert (await second.hit_principal("bob")).allowed
    finally:
        await first.close()
        await second.close()


async def test_without_redis_requests_pass_and_are_not_counted():
    store = RedisStore.from_url("redis://127.0.0.1:1/0", timeout_s=0.2)
    try:
        assert [(await store.hit("k", 1, 60)).allowed for _ in range(3)] == [True] * 3
    finally:
        await store.close()


async def test_a_zero_limit_is_off():
    limiter = RateLimiter(MemoryStore(), RateLimits(authenticated=0, anonymous=1))
    assert [(await limiter.hit_principal("ada")).allowed for _ in range(3)] == [True] * 3
    assert [(await limiter.hit_anonymous("::1")).allowed for _ in range(2)] == [True, False]


@pytest.mark.parametrize(("seconds", "header"), [(0.01, "1"), (1.0, "1"), (1.2, "2"), (59.9, "60")])
def test_retry_after_is_rounded_up_to_whole_seconds(seconds, header):
    assert Decision(False, 1, 0, seconds).retry_after_header == header


@pytest.mark.parametrize(
    ("window", "text"), [(60, "1000 requests per minute"), (90, "1000 requests per 90 seconds")]
)
def test_a_limit_names_its_window(window, text):
    assert RateLimits(window_s=window).describe(1000) == text
