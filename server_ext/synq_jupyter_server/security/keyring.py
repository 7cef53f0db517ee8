"""AES-256-GCM keyring: secrets at rest, sealed with a key that lives outside the database."""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEYRING_ENV = "SYNQ_KEYRING_FILE"


class KeyringError(RuntimeError):
    """The keyring is missing a key, or a sealed value does not open with it."""


@dataclass(frozen=True)
class Sealed:
    """A ciphertext with the id of the key that sealed it and its nonce."""

    key_id: str
    nonce: bytes
    ciphertext: bytes


class Keyring:
    """Named 256-bit keys, one of them active for new seals.

    Every seal binds associated data (``org|table|row``): a ciphertext copied onto another
    row, table or organisation no longer opens.

    Args:
        keys: Key id to 32-byte key.
        active: The key id new values are sealed with.
    """

    def __init__(self, keys: dict[str, bytes], active: str) -> None:
        if active not in keys:
            raise KeyringError(f"the active key {active!r} is not in the keyring")
        for key_id, key in keys.items():
            if len(key) != 32:
                raise KeyringError(f"key {key_id!r} is not 256 bits")
        self.keys = dict(keys)
        self.active = active
        self.path: Path | None = None  # the file it follows, when loaded from one
        self._stamp: int | None = None

    @classmethod
    def generate(cls) -> Keyring:
        key_id = f"k{secrets.token_hex(4)}"
        return cls({key_id: AESGCM.generate_key(bit_length=256)}, key_id)

    def with_new_key(self) -> Keyring:
        """This keyring plus a fresh key, which becomes the active one (rotation, step 1)."""
        fresh = Keyring.generate()
        return Keyring({**self.keys, **fresh.keys}, fresh.active)

    def without(self, key_ids: set[str]) -> Keyring:
        """This keyring with ``key_ids`` retired (rotation, last step); never the active."""
        if self.active in key_ids:
            raise KeyringError("the active key cannot be retired")
        return Keyring({k: v for k, v in self.keys.items() if k not in key_ids}, self.active)

    def seal(self, plaintext: bytes, associated: str) -> Sealed:
        self._follow()
        nonce = os.urandom(12)
        ciphertext = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext, associated.encode())
        return Sealed(self.active, nonce, ciphertext)

    def open(self, sealed: Sealed, associated: str) -> bytes:
        self._follow()
        key = self.keys.get(sealed.key_id)
        if key is None:
            raise KeyringError(f"key {sealed.key_id!r} is not in the keyring")
        try:
            return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, associated.encode())
        except Exception as exc:  # cryptography raises InvalidTag without a message
            raise KeyringError("a sealed value does not open: wrong key or moved data") from exc

    def derive(self, purpose: str) -> bytes:
        """A 256-bit key for ``purpose`` (signing access tokens ...), derived with HKDF from
        the active key: nothing more to store, and rotating the keyring rotates it too."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
        return hkdf.derive(self.keys[self.active])

    # -- storage ----------------------------------------------------------------------------

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode() for k, v in self.keys.items()}
        return json.dumps({"active": self.active, "keys": keys}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        data = json.loads(text)
        return cls({k: base64.b64decode(v) for k, v in data["keys"].items()}, data["active"])

    @classmethod
    def load_or_create(cls, path: Path) -> Keyring:
        """Reads the keyring file, creating it (readable by its owner only) the first time.

        The keyring follows its file: when ``jupyter synq keys rotate`` rewrites it, the next
        seal or open here reads it again, so a running server seals with the new key and
        opens what was re-sealed without a restart.
        """
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(cls.generate().to_json())
        keyring = cls.from_json(path.read_text())
        keyring.path, keyring._stamp = path, path.stat().st_mtime_ns
        return keyring

    def save(self, path: Path) -> None:
        """Replaces the file in one step (write aside, then rename), readable by its owner."""
        aside = path.with_name(path.name + ".new")
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(self.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(aside, path)

    def _follow(self) -> None:
        if self.path is None:
            return
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            return
        if stamp != self._stamp:
            fresh = Keyring.from_json(self.path.read_text())
            self.keys, self.active, self._stamp = fresh.keys, fresh.active, stamp


def default_keyring_path() -> Path:
    """``$SYNQ_KEYRING_FILE``, else ``{jupyter_data_dir}/synq/keyring.json``.

    The key must not live in the database it protects: a database dump alone reveals
    nothing.
    """
    configured = os.environ.get(KEYRING_ENV)
    if configured:
        return Path(configured)
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "synq" / "keyring.json"
