"""AES-256-GCM at rest: NIST vectors, tampering, bound associated data, and key rotation."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, insert, select

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import ProviderCredential, utcnow
from synq_jupyter_server.security.keyring import Keyring, KeyringError, Sealed
from synq_jupyter_server.security.rotation import rotate


def cavp_vectors(name: str) -> list[dict[str, str]]:
    """The 256-bit-key, 96-bit-IV, 128-bit-tag cases of a CAVP ``.rsp`` file: the shape
    the keyring seals with."""
    path = Path(cryptography_vectors.__file__).parent / "ciphers" / "AES" / "GCM" / name
    cases: list[dict[str, str]] = []
    header: dict[str, str] = {}
    case: dict[str, str] | None = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and "=" in line:
            name_, value = line.strip("[]").split("=")
            header[name_.strip()] = value.strip()
        elif line.startswith("Count"):
            case = dict(header)
            cases.append(case)
        elif case is not None and "=" in line:
            name_, value = line.split("=", 1)
            case[name_.strip()] = value.strip()
        elif case is not None and line == "FAIL":
            case["FAIL"] = "1"
    wanted = {"Keylen": "256", "IVlen": "96", "Taglen": "128"}
    return [c for c in cases if all(c.get(k) == v for k, v in wanted.items())]


def test_nist_cavp_encrypt_vectors():
    cases = cavp_vectors("gcmEncryptExtIV256.rsp")
    assert len(cases) >= 100
    for case in cases:
        sealed = AESGCM(bytes.fromhex(case["Key"])).encrypt(
            bytes.fromhex(case["IV"]), bytes.fromhex(case["PT"]), bytes.fromhex(case["AAD"])
        )
        assert sealed == bytes.fromhex(case["CT"] + case["Tag"]), case["Count"]


def test_nist_cavp_decrypt_vectors_including_forgeries():
    cases = cavp_vectors("gcmDecrypt256.rsp")
    assert any("FAIL" in c for c in cases)
    for case in cases:
        cipher = AESGCM(bytes.fromhex(case["Key"]))
        data = bytes.fromhex(case["CT"] + case["Tag"])
        iv, aad = bytes.fromhex(case["IV"]), bytes.fromhex(case["AAD"])
        if "FAIL" in case:
            with pytest.raises(InvalidTag):
                cipher.decrypt(iv, data, aad)
        else:
            assert cipher.decrypt(iv, data, aad) == bytes.fromhex(case["PT"])


def test_tampering_and_moved_values_do_not_open():
    keyring = Keyring.generate()
    sealed = keyring.seal(b"ionq-token", "org-ada|provider_credentials|ionq")
    flipped = bytearray(sealed.ciphertext)
    flipped[0] ^= 1
    with pytest.raises(KeyringError):
        keyring.open(
            Sealed(sealed.key_id, sealed.nonce, bytes(flipped)), "org-ada|provider_credentials|ionq"
        )
    with pytest.raises(KeyringError):  # the same ciphertext copied to another org's row
        keyring.open(sealed, "org-eve|provider_credentials|ionq")
    assert keyring.open(sealed, "org-ada|provider_credentials|ionq") == b"ionq-token"


RECORDS = 10_000


def test_rotation_keeps_10000_records_readable_at_every_step(tmp_path, db_url):
    database = Database(db_url)
    upgrade(database)
    path = tmp_path / "keyring.json"
    first = Keyring.load_or_create(path)
    rows = []
    for i in range(RECORDS):
        org = f"org-{i}"
        sealed = first.seal(f"token-{i}".encode(), f"{org}|provider_credentials|ionq")
        rows.append(
            {
                "owner": f"user-{i}",
                "org_id": org,
                "provider": "ionq",
                "key_id": sealed.key_id,
                "nonce": sealed.nonce,
                "ciphertext": sealed.ciphertext,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    with database.session() as session:
        session.execute(insert(ProviderCredential), rows)
    # A server that loaded the keyring before the rotation, and keeps running through it.
    server = Keyring.load_or_create(path)
    sample = random.Random(5)

    def readable(count: int | None = None) -> None:
        with database.session(write=False) as session:
            stored = session.scalars(select(ProviderCredential)).all()
        for row in stored if count is None else sample.sample(stored, count):
            plain = server.open(
                Sealed(row.key_id, row.nonce, row.ciphertext),
                f"{row.org_id}|provider_credentials|ionq",
            )
            assert plain == f"token-{row.owner.removeprefix('user-')}".encode()

    steps: list[str] = []

    def step(phase: str, resealed: int) -> None:
        steps.append(phase)
        readable(None if phase != "resealed" else 100)

    done = rotate(database, path, step)
    assert steps[0] == "added"
    assert steps[-1] == "retired"
    assert steps.count("resealed") == RECORDS // 500
    assert done.resealed == RECORDS
    assert done.retired == (first.active,)
    assert set(Keyring.load_or_create(path).keys) == {done.new_key}
    with database.session(write=False) as session:
        keys = set(session.scalars(select(ProviderCredential.key_id).distinct()))
        assert session.scalar(select(func.count()).select_from(ProviderCredential)) == RECORDS
    assert keys == {done.new_key}
    assert server.seal(b"x", "a").key_id == done.new_key  # the server follows the file
    database.dispose()


def test_keys_rotate_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'synq.sqlite'}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    path = tmp_path / "keyring.json"
    old = Keyring.load_or_create(path).active
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "synq_jupyter_server.cli",
            "keys",
            "rotate",
            f"--db-url={url}",
            f"--keyring={path}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"retired: {old}" in result.stdout
    assert old not in Keyring.load_or_create(path).keys
    assert oct(path.stat().st_mode & 0o777) == "0o600"
