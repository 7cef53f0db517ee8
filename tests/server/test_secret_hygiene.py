"""No API key, token, TOTP seed or provider token appears in a log line, or in any response
after the one that created it."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from synq_jupyter_server.security.mfa import STEP_SECONDS, totp_at

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
PROVIDER_TOKEN = "ibm-cloud-token-9d41be77aa"


@sqlite_only
async def test_secrets_never_reach_the_logs_or_later_responses(api, as_key, jp_serverapp, caplog):
    caplog.set_level(logging.DEBUG)
    mfa = jp_serverapp.web_app.settings["synq_services"].mfa
    later: list[str] = []

    async def call(*parts, **kwargs):
        response = await api(*parts, **kwargs)
        later.append(response.body.decode())
        return json.loads(response.body) if response.body else None

    key = await call(
        "auth",
        "api-keys",
        method="POST",
        body={"name": "ci", "scopes": ["jobs:read", "jobs:write"]},
    )
    later.clear()  # the creating response is the one place the key appears
    tokens = json.loads((await as_key(key["key"], "auth", "tokens", method="POST", body={})).body)
    refreshed = await as_key(
        key["key"],
        "auth",
        "refresh",
        method="POST",
        body={"refresh_token": tokens["refresh_token"]},
    )
    second = json.loads(refreshed.body)
    setup = json.loads((await api("auth", "mfa", "setup", method="POST", body={})).body)
    seed = setup["secret"]
    code = totp_at(base64.b32decode(seed), int(mfa.clock()) // STEP_SECONDS)
    recovery = json.loads(
        (await api("auth", "mfa", "verify", method="POST", body={"code": code})).body
    )["recovery_codes"]
    await call(
        "providers",
        "ibm",
        "credentials",
        method="PUT",
        body={"token": PROVIDER_TOKEN, "instance": "crn:v1:x"},
    )

    # Use everything a while: every later response is scanned.
    await call("auth", "api-keys")
    await call("auth", "me")
    await call("providers")
    await call("jobs")
    await call("security", "audit")
    later.append((await api("security", "audit", params={"format": "jsonl"})).body.decode())
    later.append((await as_key(second["access_token"], "auth", "me")).body.decode())
    # Refused attempts are logged too: they must not echo what was sent.
    await as_key(key["key"] + "x", "jobs")
    await as_key(tokens["refresh_token"], "jobs")

    secrets = {
        "api key": key["key"],
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "second access token": second["access_token"],
        "second refresh token": second["refresh_token"],
        "TOTP seed": seed,
        "recovery code": recovery[1],
        "provider token": PROVIDER_TOKEN,
    }
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert len(caplog.records) > 20  # the server did log these requests
    for name, secret in secrets.items():
        assert secret not in logged, f"the {name} is in the log"
        for response in later:
            assert secret not in response, f"the {name} is in a later response"
