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

log = logging.getLogger("fourth_pillar.storage")
KEY_FILE_NAME = "data.key"


class DataKeyError(Exception):
    """No usable key: the message says which setting to fix (never the key)."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fourth-pillar", info=purpose).derive(secret)


class DataCipher:
    """Encrypts and decrypts blobs; hashes names for lookup. ``keys``: the current key first, older ones after."""

    def __init__(self, *keys: str) -> None:
        if not keys:
            raise DataKeyError("DATA_KEY is empty")
        secrets = [key.encode() for key in keys]
        self._fernet = MultiFernet(
            [Fernet(base64.urlsafe_b64encode(_derive(secret, b"encrypt"))) for secret in secrets]
        )
        self._hash_key = _derive(secrets[0], b"name-hash")

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise DataKeyError("a saved offer can't be opened with DATA_KEY: was the key changed?") from None

    def name_hash(self, user_id: int, name: str) -> str:
        """Keyed hash of a normalised name, scoped to its owner."""
        normalised = unicodedata.normalize("NFKC", " ".join(name.split())).casefold()
        message = f"{user_id}\x00{normalised}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()


def load_or_create_data_key(configured: str | None, database_url: str, data_dir: Path) -> tuple[str, bool]:
    """The data key and whether it was just generated.

    A configured ``DATA_KEY`` wins. Only with a SQLite database may a key be generated (into a 0600 file beside the
    database); any other database must be given ``DATA_KEY``, since a key on one machine would strand the others.
    """
    if configured:
        return configured, False
    if not database_url.startswith("sqlite"):
        raise DataKeyError("DATA_KEY must be set when DATABASE_URL is not SQLite")
    path = data_dir / KEY_FILE_NAME
    if path.exists():
        return path.read_text().strip(), False
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key, True
