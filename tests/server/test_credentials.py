"""Provider credentials: sealed at rest with AES-256-GCM, never returned."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ProviderCredential
from synq_jupyter_server.security.keyring import Keyring, KeyringError, Sealed

SECRET = "ionq-secret-token-7f3a9c"


async def test_stored_token_is_sealed_and_never_returned(api, db_url):
    response = await api("providers", "ionq", "credentials", method="PUT", body={"token": SECRET})
    assert response.code == 204
    listing = (await api("providers")).body.decode()
    assert SECRET not in listing
    status = {p["name"]: p for p in json.loads(listing)["providers"]}
    assert status["ionq"]["configured"] is True
    assert status["ibm"]["configured"] is False
    database = Database(db_url)
    with database.session(write=False) as session:
        row = session.scalars(select(ProviderCredential)).one()
    database.dispose()
    assert SECRET.encode() not in row.ciphertext
    assert len(row.nonce) == 12


async def test_credentials_open_only_with_their_binding(jp_serverapp, api):
    await api(
        "providers",
        "ionq",
        "credentials",
        method="PUT",
        body={"token": SECRET, "url": "https://x.example"},
    )
    services = jp_serverapp.web_app.settings["synq_services"]
    from synq_jupyter_server.principal import local_owner

    assert services.credentials.secret(local_owner(), "ionq") == {
        "token": SECRET,
        "url": "https://x.example",
    }
    with services.database.session(write=False) as session:
        row = session.scalars(select(ProviderCredential)).one()
    sealed = Sealed(row.key_id, row.nonce, row.ciphertext)
    with pytest.raises(KeyringError):
        services.credentials.keyring.open(sealed, "personal:mallory|provider_credentials|ionq")


async def test_delete_forgets_the_credentials(api):
    await api("providers", "ionq", "credentials", method="PUT", body={"token": SECRET})
    assert (await api("providers", "ionq", "credentials", method="DELETE")).code == 204
    status = {p["name"]: p for p in json.loads((await api("providers")).body)["providers"]}
    assert status["ionq"]["configured"] is False


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("quil", {"token": "x"}, "name"),
        ("ionq", {"token": ""}, "token"),
        ("ionq", {}, "token"),
        ("ionq", {"token": "   "}, "token"),
        ("ibm", {"token": "key with spaces"}, "token"),
        ("ionq", {"token": "k", "instance": "crn:v1:x"}, "instance"),
        ("ibm", {"token": "k", "instance": "crn:v1:\u0000x"}, "instance"),
        # The token travels with every request to url: not in clear, not to a metadata service.
        ("ibm", {"token": "k", "url": "file:///etc/passwd"}, "url"),
        ("ibm", {"token": "k", "url": "not a url"}, "url"),
        ("ibm", {"token": "k", "url": "http://quantum.example.com"}, "url"),
        ("ibm", {"token": "k", "url": "https://169.254.169.254/latest"}, "url"),
        ("ionq", {"token": "k", "url": "https://user:pw@api.example.com"}, "url"),
    ],
)
async def test_bad_credentials_requests_name_the_field(api, problem, name, body, field):
    with pytest.raises(HTTPClientError) as info:
        await api("providers", name, "credentials", method="PUT", body=body)
    assert info.value.code == 422
    assert problem(info.value)["errors"][0]["field"] == field


@pytest.mark.parametrize(
    "url", ["https://api.example.com/v0.4", "http://127.0.0.1:8123/", "http://localhost:9/"]
)
async def test_an_https_url_or_a_local_one_is_stored(api, url):
    put = {"token": "k", "url": url}
    assert (await api("providers", "ionq", "credentials", method="PUT", body=put)).code == 204


async def test_provider_routes_need_authentication(api):
    with pytest.raises(HTTPClientError) as info:
        await api("providers", headers={"Authorization": ""})
    assert info.value.code == 403


def test_keyring_file_is_private_and_reloads(tmp_path):
    path = tmp_path / "keys" / "keyring.json"
    first = Keyring.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sealed = first.seal(b"secret", "org|t|1")
    again = Keyring.load_or_create(path)
    assert again.open(sealed, "org|t|1") == b"secret"
    with pytest.raises(KeyringError):
        Keyring.generate().open(sealed, "org|t|1")
