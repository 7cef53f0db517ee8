"""TOTP MFA: RFC 6238 vectors, replay prevention, single-use recovery codes, sealed seeds."""

from __future__ import annotations

import base64
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import MfaSecret
from synq_jupyter_server.security.keyring import Keyring
from synq_jupyter_server.security.mfa import STEP_SECONDS, MfaService, totp_at
from tests.fixtures.refusals import refused

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

# RFC 6238 Appendix B: the seeds are ASCII digits, 20, 32 and 64 bytes long; 8-digit codes.
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, {"sha1": "94287082", "sha256": "46119246", "sha512": "90693936"}),
    (1111111109, {"sha1": "07081804", "sha256": "68084774", "sha512": "25091201"}),
    (1111111111, {"sha1": "14050471", "sha256": "67062674", "sha512": "99943326"}),
    (1234567890, {"sha1": "89005924", "sha256": "91819424", "sha512": "93441116"}),
    (2000000000, {"sha1": "69279037", "sha256": "90698825", "sha512": "38618901"}),
    (20000000000, {"sha1": "65353130", "sha256": "77737706", "sha512": "47863826"}),
]


@pytest.mark.parametrize(("unix_time", "codes"), VECTORS)
@pytest.mark.parametrize("digest", ["sha1", "sha256", "sha512"])
def test_rfc6238_appendix_b(unix_time, codes, digest):
    step = unix_time // STEP_SECONDS
    assert totp_at(SEEDS[digest], step, digest=digest, digits=8) == codes[digest]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mfa(db_url):
    database = Database(db_url)
    upgrade(database)
    clock = Clock()
    service = MfaService(database, Keyring.generate(), clock=clock)
    service.clock_ = clock  # type: ignore[attr-defined]
    yield service
    database.dispose()


def current_code(mfa: MfaService, secret: str, steps_ahead: int = 0) -> str:
    step = int(mfa.clock()) // STEP_SECONDS + steps_ahead
    return totp_at(base64.b32decode(secret), step)


def enrol(mfa: MfaService, owner: str = "ada") -> tuple[str, list[str]]:
    setup = mfa.setup(owner)
    assert setup.otpauth_uri.startswith("otpauth://totp/SynQ:ada?secret=")
    assert setup.qr_png.startswith("data:image/png;base64,")
    return setup.secret, mfa.verify(owner, current_code(mfa, setup.secret))


def test_a_code_is_accepted_once_and_a_replay_is_logged(mfa, caplog):
    secret, codes = enrol(mfa)
    assert mfa.enabled("ada")
    assert len(set(codes)) == 10
    mfa.clock_.now += STEP_SECONDS
    code = current_code(mfa, secret)
    assert mfa.check("ada", code)
    with caplog.at_level(logging.WARNING, logger="synq.security"):
        assert not mfa.check("ada", code)
    assert "replayed TOTP code for ada" in caplog.text
    assert not mfa.check("ada", "000000" if code != "000000" else "111111")
    mfa.clock_.now += STEP_SECONDS
    assert mfa.check("ada", current_code(mfa, secret))


def test_an_older_code_is_refused_after_a_newer_one(mfa):
    secret, _ = enrol(mfa)
    mfa.clock_.now += 3 * STEP_SECONDS
    late = current_code(mfa, secret)
    early = current_code(mfa, secret, steps_ahead=-1)  # still within the drift window
    assert mfa.check("ada", late)
    assert not mfa.check("ada", early)


def test_twenty_concurrent_uses_of_one_recovery_code_let_exactly_one_in(mfa):
    _, codes = enrol(mfa)
    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(lambda _: mfa.check("ada", codes[3]), range(20)))
    assert outcomes.count(True) == 1
    assert mfa.check("ada", codes[4])


def test_the_seed_is_sealed_at_rest(mfa):
    secret, _ = enrol(mfa)
    with mfa.database.session(write=False) as session:
        row = session.scalars(select(MfaSecret)).one()
    seed = base64.b32decode(secret)
    assert seed not in row.ciphertext
    assert secret.encode() not in row.ciphertext


def test_turning_mfa_off_needs_a_code(mfa):
    secret, codes = enrol(mfa)
    with pytest.raises(Exception, match="wrong or was used"):
        mfa.disable("ada", "123456" if current_code(mfa, secret) != "123456" else "654321")
    mfa.disable("ada", codes[0])
    assert not mfa.enabled("ada")


@sqlite_only
async def test_mfa_guards_key_creation_through_the_api(api, problem, jp_serverapp):
    setup = json.loads((await api("auth", "mfa", "setup", method="POST", body={})).body)
    service = jp_serverapp.web_app.settings["synq_services"].mfa
    code = current_code(service, setup["secret"])
    verified = await api("auth", "mfa", "verify", method="POST", body={"code": code})
    recovery = json.loads(verified.body)["recovery_codes"]
    body = {"name": "ci", "scopes": ["jobs:read"]}
    with pytest.raises(HTTPClientError) as info:
        await api("auth", "api-keys", method="POST", body=body)
    assert info.value.code == 403
    assert [e["field"] for e in problem(info.value)["errors"]] == ["totp"]
    created = await api("auth", "api-keys", method="POST", body={**body, "totp": recovery[0]})
    assert created.code == 201


@sqlite_only
async def test_setup_refuses_unknown_fields_and_takes_no_body(api, problem):
    """A field it does not take (an issuer, say) was silently ignored."""
    error = await refused(api("auth", "mfa", "setup", method="POST", body={"issuer": "Lab"}))
    decoded = assert_refused(error, problem, 422, "issuer")
    assert decoded["errors"] == [{"field": "issuer", "message": "Extra inputs are not permitted"}]
    for empty in ("", "{}"):
        assert (await api("auth", "mfa", "setup", method="POST", body=empty)).code == 201


# Codes through the API: only ASCII digits (or a recovery code) reach the comparison

# Full-width, Arabic-Indic and superscript digits: `str.isdigit()` and `\d` take them all.
NOT_ASCII = [
    pytest.param("１２３４５６", id="full-width"),
    pytest.param("١٢٣٤٥٦", id="arabic-indic"),
    pytest.param("¹²³¹²³", id="superscript"),
    pytest.param("12345６", id="one-full-width"),
]
MALFORMED = [
    *NOT_ASCII,
    pytest.param("12345", id="five"),
    pytest.param("1234567", id="seven"),
    pytest.param("12345a", id="letter"),
    pytest.param("", id="empty"),
]


async def turn_on(api, jp_serverapp) -> tuple[MfaService, list[str]]:
    """Turns MFA on for the test server's user; returns the service and the recovery codes."""
    setup = json.loads((await api("auth", "mfa", "setup", method="POST", body={})).body)
    service = jp_serverapp.web_app.settings["synq_services"].mfa
    code = current_code(service, setup["secret"])
    verified = await api("auth", "mfa", "verify", method="POST", body={"code": code})
    return service, json.loads(verified.body)["recovery_codes"]


def assert_refused(error: HTTPClientError, problem, status: int, field: str) -> dict:
    assert error.code == status
    decoded = problem(error)  # asserts application/problem+json
    assert decoded["errors"][0]["field"] == field
    return decoded


@sqlite_only
@pytest.mark.parametrize("code", MALFORMED)
async def test_verify_takes_only_six_ascii_digits(api, problem, code):
    await api("auth", "mfa", "setup", method="POST", body={})
    error = await refused(api("auth", "mfa", "verify", method="POST", body={"code": code}))
    decoded = assert_refused(error, problem, 422, "code")
    assert "6 digits 0-9" in decoded["errors"][0]["message"]


@sqlite_only
@pytest.mark.parametrize("code", MALFORMED)
async def test_disable_takes_only_ascii_codes(api, problem, jp_serverapp, code):
    service, _ = await turn_on(api, jp_serverapp)
    error = await refused(api("auth", "mfa", "disable", method="POST", body={"code": code}))
    decoded = assert_refused(error, problem, 422, "code")
    assert "6 digits 0-9" in decoded["errors"][0]["message"]
    assert service.enabled(await username(api))


@sqlite_only
@pytest.mark.parametrize("code", MALFORMED)
async def test_key_creation_takes_only_ascii_codes(api, problem, jp_serverapp, code):
    await turn_on(api, jp_serverapp)
    body = {"name": "ci", "scopes": ["jobs:read"], "totp": code}
    error = await refused(api("auth", "api-keys", method="POST", body=body))
    decoded = assert_refused(error, problem, 422, "totp")
    assert "6 digits 0-9" in decoded["errors"][0]["message"]


@sqlite_only
@pytest.mark.parametrize("code", NOT_ASCII)
async def test_token_exchange_takes_only_ascii_codes(api, bearer, problem, jp_serverapp, code):
    body = {"name": "ci", "scopes": ["jobs:read"]}
    key = json.loads((await api("auth", "api-keys", method="POST", body=body)).body)["key"]
    await turn_on(api, jp_serverapp)
    error = await refused(bearer(key, "auth", "tokens", method="POST", body={"totp": code}))
    assert_refused(error, problem, 422, "totp")


@sqlite_only
async def test_recovery_codes_still_pass_in_upper_case_and_with_spaces(api, jp_serverapp):
    service, recovery = await turn_on(api, jp_serverapp)
    body = {"name": "ci", "scopes": ["jobs:read"], "totp": f" {recovery[0].upper()} "}
    assert (await api("auth", "api-keys", method="POST", body=body)).code == 201
    spaced = f"{recovery[1][:5]} {recovery[1][5:]}"
    assert (await api("auth", "mfa", "disable", method="POST", body={"code": spaced})).code == 204
    assert not service.enabled(await username(api))


@sqlite_only
async def test_verify_while_mfa_is_on_says_so(api, problem, jp_serverapp):
    await turn_on(api, jp_serverapp)
    error = await refused(api("auth", "mfa", "verify", method="POST", body={"code": "123456"}))
    decoded = assert_refused(error, problem, 422, "mfa")
    assert "already on" in decoded["detail"]
    assert "setup" not in decoded["detail"]


@sqlite_only
async def test_a_non_ascii_totp_header_is_422_naming_it(api, problem, jp_serverapp):
    org = json.loads((await api("orgs", method="POST", body={"name": "Lab"})).body)
    await turn_on(api, jp_serverapp)
    # Tornado sends and reads headers as Latin-1: superscripts are digits to `isdigit()`.
    headers = {"X-Synq-TOTP": "¹²³¹²³"}
    call = api("orgs", org["id"], method="PATCH", body={"name": "Lab 2"}, headers=headers)
    assert_refused(await refused(call), problem, 422, "X-Synq-TOTP")


@sqlite_only
async def test_an_org_change_without_the_totp_header_names_the_header(api, problem, jp_serverapp):
    """It named the body's ``totp``, which this route refuses as an unknown field."""
    org = json.loads((await api("orgs", method="POST", body={"name": "Lab"})).body)
    await turn_on(api, jp_serverapp)
    call = api("orgs", org["id"], method="PATCH", body={"name": "Lab 2"})
    decoded = assert_refused(await refused(call), problem, 403, "X-Synq-TOTP")
    assert "`X-Synq-TOTP`" in decoded["detail"]


async def username(api) -> str:
    return str(json.loads((await api("auth", "me")).body)["username"])
