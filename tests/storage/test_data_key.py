"""DATA_KEY: configured, or generated (SQLite only) into a private file beside the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from storage import DataCipher, load_or_create_data_key
from storage.crypto import DataKeyError

SQLITE = "sqlite+aiosqlite:///data/fp.db"
POSTGRES = "postgresql+asyncpg://db/fp"


def test_a_key_is_generated_only_for_sqlite_with_private_permissions(tmp_path: Path) -> None:
    """Without DATA_KEY a SQLite deployment gets a generated key in a 0600 file, reused on the next start."""
    data_dir = tmp_path / "data"
    key, generated = load_or_create_data_key(None, SQLITE, data_dir)
    assert generated and (data_dir / "data.key").stat().st_mode & 0o777 == 0o600
    assert Fernet(key.encode())  # a valid Fernet key
    assert load_or_create_data_key(None, SQLITE, data_dir) == (key, False)
    assert [p.name for p in data_dir.iterdir()] == ["data.key"]  # no draft left behind


def test_other_databases_must_be_given_a_key(tmp_path: Path) -> None:
    """A non-SQLite database refuses to start without DATA_KEY, and no key file appears."""
    with pytest.raises(DataKeyError, match="DATA_KEY"):
        load_or_create_data_key(None, POSTGRES, tmp_path)
    with pytest.raises(DataKeyError):
        load_or_create_data_key("  ", POSTGRES, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_configured_key_always_wins(tmp_path: Path) -> None:
    """DATA_KEY, when set, is used as given, even if a generated key file exists."""
    load_or_create_data_key(None, SQLITE, tmp_path)
    assert load_or_create_data_key("given", SQLITE, tmp_path) == ("given", False)
    assert load_or_create_data_key("given", POSTGRES, tmp_path) == ("given", False)


def test_an_empty_key_file_is_refused(tmp_path: Path) -> None:
    """A truncated key file is an error naming the file, never a silently new key that strands saved offers."""
    (tmp_path / "data.key").write_text("\n")
    with pytest.raises(DataKeyError, match=r"data\.key"):
        load_or_create_data_key(None, SQLITE, tmp_path)


def test_name_hashes_depend_on_key_owner_and_normalised_name() -> None:
    """The lookup hash ignores case, spacing and Unicode form, but differs per person and per key."""
    cipher = DataCipher("k")
    assert (
        cipher.name_hash(7, "Acme  Corp") == cipher.name_hash(7, " acme corp ") == cipher.name_hash(7, "ＡＣＭＥ corp")
    )
    assert cipher.name_hash(7, "acme") != cipher.name_hash(8, "acme")
    assert cipher.name_hash(7, "acme") != DataCipher("other").name_hash(7, "acme")
    rotated = DataCipher("new", "k")
    assert rotated.name_hashes(7, "acme") == [DataCipher("new").name_hash(7, "acme"), cipher.name_hash(7, "acme")]


def test_an_empty_key_is_refused() -> None:
    """A cipher needs a real key."""
    with pytest.raises(DataKeyError):
        DataCipher("")
