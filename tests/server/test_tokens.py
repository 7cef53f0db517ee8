"""Access and refresh tokens: exchange, scopes, rotation, reuse detection, logout."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.security.api_keys import ApiKeyService
from synq_jupyter_server.security.keyring import Keyring
from synq_jupyter_server.security.tokens import ACCESS_SECONDS, TokenRefused, TokenService

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


@pytest.fixture
def make_key(api):
    async def make(*scopes: str) -> str:
        body = {"name": "ci", "scopes": list(scopes)}
        return str(
            json.loads((await api("auth", "api-keys", method="POST", body=body)).body)["key"]
        )

    return make


async def status_of(call) -> int:
    try:
        return (await call).code
    except HTTPClientError as error:
        return error.code


@sqlite_only
async def test_a_key_buys_a_short_lived_token_with_its_scopes(make_key, bearer, problem):
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    assert pair["token_type"] == "Bearer"
    assert pair["expires_in"] == ACCESS_SECONDS == 900
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 900
    assert claims["scopes"] == ["jobs:read"]
    me = json.loads((await bearer(pair["access_token"], "auth", "me")).body)
    assert me["authenticated_by"] == "access_token"
    assert (await bearer(pair["access_token"], "jobs")).code == 200
    submit = {"kind": "sample", "source": BELL, "target": "aer_simulator"}
    with pytest.raises(HTTPClientError) as info:
        await bearer(pair["access_token"], "jobs", method="POST", body=submit)
    assert info.value.code == 403
    assert problem(info.value)["errors"][0]["field"] == "scope"


@sqlite_only
async def test_refresh_rotates_and_reuse_revokes_the_family(make_key, bearer):
    key = await make_key("jobs:read")
    first = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    refresh = {"refresh_token": first["refresh_token"]}
    second = json.loads((await bearer(None, "auth", "refresh", method="POST", body=refresh)).body)
    assert second["refresh_token"] != first["refresh_token"]
    assert (await bearer(second["access_token"], "jobs")).code == 200
    # The first refresh token, presented again: someone copied it. The family dies.
    assert await status_of(bearer(None, "auth", "refresh", method="POST", body=refresh)) == 401
    again = {"refresh_token": second["refresh_token"]}
    assert await status_of(bearer(None, "auth", "refresh", method="POST", body=again)) == 401
    assert await status_of(bearer(second["access_token"], "jobs")) == 401
    # The key itself still works and can start a new family.
    assert (await bearer(key, "auth", "tokens", method="POST")).code == 201


@sqlite_only
async def test_a_script_refreshes_with_the_refresh_token_alone(
    make_key, bearer, http_server_client, jp_base_url
):
    """As docs/security.md shows it with curl: no Authorization header, no cookie."""
    key = await make_key("jobs:read")
    first = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)

    async def refresh(token: str):
        return await http_server_client.fetch(
            f"{jp_base_url}synq/api/auth/refresh",
            method="POST",
            headers={"Content-Type": "application/json"},
            body=json.dumps({"refresh_token": token}),
            raise_error=False,
        )

    fresh = await refresh(first["refresh_token"])
    assert fresh.code == 200, fresh.body
    assert (await bearer(json.loads(fresh.body)["access_token"], "jobs")).code == 200
    wrong = await refresh("synqr_not-a-token")
    assert wrong.code == 401
    assert json.loads(wrong.body)["errors"][0]["field"] == "refresh_token"


@sqlite_only
async def test_an_unsigned_jwt_or_a_refresh_token_as_bearer_is_401_naming_the_header(
    make_key, bearer, problem
):
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    unsigned = jwt.encode(
        jwt.decode(pair["access_token"], options={"verify_signature": False}), None, "none"
    )
    assert unsigned.endswith(".")  # "alg": "none": an empty signature
    for credential in (unsigned, pair["refresh_token"]):
        with pytest.raises(HTTPClientError) as info:
            await bearer(credential, "jobs")
        assert info.value.code == 401
        assert problem(info.value)["errors"][0]["field"] == "Authorization"
    assert "POST /auth/refresh" in problem(info.value)["detail"]


@sqlite_only
async def test_no_credentials_at_all_is_403_naming_the_header(
    http_server_client, jp_base_url, problem
):
    reply = await http_server_client.fetch(f"{jp_base_url}synq/api/jobs", raise_error=False)
    assert reply.code == 403
    error = json.loads(reply.body)["errors"][0]
    assert error["field"] == "Authorization"
    assert "Bearer <API key>" in error["message"]


@sqlite_only
async def test_logout_ends_the_session(make_key, bearer):
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    assert (await bearer(pair["access_token"], "auth", "logout", method="POST")).code == 204
    assert await status_of(bearer(pair["access_token"], "jobs")) == 401
    body = {"refresh_token": pair["refresh_token"]}
    assert await status_of(bearer(None, "auth", "refresh", method="POST", body=body)) == 401


@sqlite_only
async def test_logout_refuses_unknown_fields_and_keeps_the_session(make_key, bearer, problem):
    """A field it does not take (``everywhere``) was silently ignored."""
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    access = pair["access_token"]
    with pytest.raises(HTTPClientError) as info:
        await bearer(access, "auth", "logout", method="POST", body={"everywhere": True})
    assert info.value.code == 422
    assert problem(info.value)["errors"] == [
        {"field": "everywhere", "message": "Extra inputs are not permitted"}
    ]
    assert (await bearer(access, "jobs")).code == 200
    assert (await bearer(access, "auth", "logout", method="POST", body={})).code == 204


@sqlite_only
async def test_the_wrong_credential_for_tokens_or_logout_names_authorization(
    make_key, bearer, api, problem
):
    """The errors of these 403s were empty; every other 403 names what is missing."""
    key = await make_key("jobs:read")
    for call in (
        api("auth", "tokens", method="POST", body={}),
        bearer(key, "auth", "logout", method="POST", body={}),
    ):
        with pytest.raises(HTTPClientError) as refused:
            await call
        assert refused.value.code == 403
        [error] = problem(refused.value)["errors"]
        assert error["field"] == "Authorization"


@sqlite_only
async def test_revoked_keys_and_forged_tokens_get_401(make_key, bearer, api):
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    forged = pair["access_token"][:-3] + (
        "AAA" if not pair["access_token"].endswith("AAA") else "BBB"
    )
    assert await status_of(bearer(forged, "jobs")) == 401
    key_id = json.loads((await api("auth", "api-keys")).body)["keys"][0]["id"]
    await api("auth", "api-keys", key_id, method="DELETE")
    assert await status_of(bearer(key, "jobs")) == 401
    assert await status_of(bearer(pair["access_token"], "jobs")) == 401
    body = {"refresh_token": pair["refresh_token"]}
    assert await status_of(bearer(None, "auth", "refresh", method="POST", body=body)) == 401


@sqlite_only
async def test_a_token_cannot_buy_tokens(make_key, bearer):
    key = await make_key("jobs:read")
    pair = json.loads((await bearer(key, "auth", "tokens", method="POST")).body)
    assert await status_of(bearer(pair["access_token"], "auth", "tokens", method="POST")) == 403


def test_an_access_token_expires_after_15_minutes(db_url):
    database = Database(db_url)
    upgrade(database)
    now = [time.time()]
    keys = ApiKeyService(database)
    tokens = TokenService(database, Keyring.generate(), clock=lambda: now[0])
    _, secret = keys.create("ada", "ci", ["jobs:read"], 30)
    principal = keys.authenticate(secret)
    assert principal is not None
    pair = tokens.issue(principal)
    now[0] += ACCESS_SECONDS - 5
    assert tokens.verify(pair.access_token) is not None
    now[0] += 5
    assert tokens.verify(pair.access_token) is None
    database.dispose()


def test_concurrent_refreshes_of_one_token_let_one_through_and_revoke_the_family(db_url):
    from concurrent.futures import ThreadPoolExecutor

    database = Database(db_url)
    upgrade(database)
    keys = ApiKeyService(database)
    tokens = TokenService(database, Keyring.generate())
    _, secret = keys.create("ada", "ci", ["jobs:read"], 30)
    principal = keys.authenticate(secret)
    assert principal is not None
    pair = tokens.issue(principal)

    def refresh(_: int) -> str | None:
        try:
            return tokens.refresh(pair.refresh_token).refresh_token
        except TokenRefused:
            return None

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(refresh, range(8)))
    winners = [o for o in outcomes if o is not None]
    assert len(winners) <= 1
    with pytest.raises(TokenRefused):
        tokens.refresh(winners[0] if winners else pair.refresh_token)
    database.dispose()
