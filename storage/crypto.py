"""Encryption at rest for saved offers: Fernet for contents and names, a keyed hash for lookups.

One secret (``DATA_KEY``) yields two independent keys through HKDF, so the lookup hash reveals nothing that would
help decrypt, and the key itself never enters the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import unicodedata
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.engine import make_url

log = logging.getLogger("fourth_pillar.storage")
KEY_FILE_NAME = "data.key"


class DataKeyError(Exception):
    """No usable key: the message says which setting to fix (never the key)."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fourth-pillar", info=purpose).derive(secret)


class DataCipher:
    """Encrypts and decrypts blobs; hashes names for lookup.

    ``keys``: the current key first, replaced ones after. Tokens made with any of them open; new tokens and hashes
    use the current one, so rotation means: put the new key first, then re-encrypt (``SavedOffers.rotate_data_key``).
    """

    def __init__(self, *keys: str) -> None:
        secrets = [key.strip().encode() for key in keys if key.strip()]
        if not secrets:
            raise DataKeyError("DATA_KEY is empty")
        self._fernet = MultiFernet(
            [Fernet(base64.urlsafe_b64encode(_derive(secret, b"encrypt"))) for secret in secrets]
        )
        self._hash_keys = [_derive(secret, b"name-hash") for secret in secrets]

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise DataKeyError("a saved offer can't be opened with DATA_KEY: was the key changed?") from None

    def reencrypt(self, token: bytes) -> bytes:
        """The same contents under the current key (keeping the token's original timestamp)."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise DataKeyError("a saved offer can't be opened with DATA_KEY: was the key changed?") from None

    def name_hash(self, user_id: int, name: str) -> str:
        """Keyed hash of a normalised name, scoped to its owner, under the current key."""
        return self.name_hashes(user_id, name)[0]

    def name_hashes(self, user_id: int, name: str) -> list[str]:
        """The name's hash under every key, current first: lookups still find offers saved before a rotation."""
        message = f"{user_id}\x00{normalise_name(name)}".encode()
        return [hmac.new(key, message, hashlib.sha256).hexdigest() for key in self._hash_keys]


def normalise_name(name: str) -> str:
    """Names match whatever their case, spacing or Unicode form."""
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


def load_or_create_data_key(configured: str | None, database_url: str, data_dir: Path) -> tuple[str, bool]:
    """The data key and whether it was just generated.

    A configured ``DATA_KEY`` wins. Only with a SQLite database may a key be generated (into a 0600 file beside the
    database); any other database must be given ``DATA_KEY``, since a key on one machine would strand the others.
    """
    if configured and configured.strip():
        return configured.strip(), False
    if make_url(database_url).get_backend_name() != "sqlite":
        raise DataKeyError("DATA_KEY must be set when DATABASE_URL is not SQLite")
    path = data_dir / KEY_FILE_NAME
    if path.exists():
        return _read_key_file(path), False
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    # Written whole to a private temporary file, then linked into place: a reader never sees a half-written key,
    # and of two processes starting at once, one key wins and the other process reads it.
    draft = data_dir / f".{KEY_FILE_NAME}.{os.getpid()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(draft, path)
    except FileExistsError:
        return _read_key_file(path), False
    finally:
        draft.unlink(missing_ok=True)
    return key, True


def _read_key_file(path: Path) -> str:
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users: chmod 600 it", path)
    key = path.read_text().strip()
    if not key:
        raise DataKeyError(f"{path} is empty: restore the key, or set DATA_KEY")
    return key
