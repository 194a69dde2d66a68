"""Personal defaults are encrypted at rest with the saved offers' key: no plaintext column, existing rows encrypted
by migration 0002, rotated with the key, and a default no key opens falls back to the built-in value."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet

from storage import DataCipher, open_database
from storage.database import alembic_config, create_engine
from tests.storage.conftest import KEY, database_files

pytestmark = pytest.mark.asyncio
USER = 7


def file_of(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def columns(url: str) -> list[str]:
    with closing(sqlite3.connect(file_of(url))) as conn, conn:
        return [row[1] for row in conn.execute("PRAGMA table_info(personal_defaults)")]


def tokens(url: str) -> list[bytes]:
    with closing(sqlite3.connect(file_of(url))) as conn, conn:
        return [row[0] for row in conn.execute("SELECT value_token FROM personal_defaults ORDER BY name")]


async def database_at_0001_with_plaintext(url: str) -> None:
    """A database as the first release left it: schema 0001 and a person's defaults in plaintext."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0001"))
    await engine.dispose()
    with closing(sqlite3.connect(file_of(url))) as conn, conn:
        conn.executemany(
            "INSERT INTO personal_defaults (user_id, name, value, updated_at) VALUES (?, ?, ?, '2027-01-01 00:00:00')",
            [(USER, "utilization", "0.4321"), (USER, "currency", "EUR")],
        )


async def test_a_default_set_now_is_stored_encrypted(db_url: str) -> None:
    """The table has no plaintext value column; the stored token opens with the key to the normalised value, and
    the value's text is nowhere in the database files."""
    db = await open_database(db_url, data_key=KEY)
    await db.personal_defaults.set(USER, "utilization", "43.21%")  # normalised: 0.4321
    await db.close()
    assert "value" not in columns(db_url) and "value_token" in columns(db_url)
    (token,) = tokens(db_url)
    assert DataCipher(KEY).decrypt(token) == b"0.4321"
    assert b"0.4321" not in database_files(db_url)


async def test_migration_encrypts_the_defaults_already_stored(db_url: str) -> None:
    """Opening a 0001 database with plaintext defaults migrates it: the values read back the same, are stored as
    tokens, and their plaintext is gone from the files."""
    await database_at_0001_with_plaintext(db_url)
    assert b"0.4321" in database_files(db_url)  # the test really starts from plaintext
    db = await open_database(db_url, data_key=KEY)
    assert await db.personal_defaults.stored(USER) == {"currency": "EUR", "utilization": "0.4321"}
    await db.close()
    assert "value" not in columns(db_url)
    assert [DataCipher(KEY).decrypt(t) for t in tokens(db_url)] == [b"EUR", b"0.4321"]
    assert b"0.4321" not in database_files(db_url)


async def test_migrating_stored_defaults_without_the_key_is_refused(db_url: str) -> None:
    """The migration never leaves plaintext behind for want of a key: without one it stops, changing nothing."""
    await database_at_0001_with_plaintext(db_url)
    engine = create_engine(db_url)
    with pytest.raises(RuntimeError, match="data key"):
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
    await engine.dispose()
    assert "value" in columns(db_url)


async def test_rotating_the_key_re_encrypts_defaults(db_url: str) -> None:
    """After rotation the defaults open with the new key alone, and no longer with the old one."""
    old = await open_database(db_url, data_key="old-key")
    await old.personal_defaults.set(USER, "utilization", "50%")
    await old.close()
    new_key = Fernet.generate_key().decode()
    both = await open_database(db_url, data_key=new_key, old_data_keys=["old-key"])
    await both.saved_offers.rotate_data_key()
    await both.close()
    new_only = await open_database(db_url, data_key=new_key)
    assert await new_only.personal_defaults.stored(USER) == {"utilization": "0.5"}
    await new_only.close()
    with pytest.raises(Exception, match="DATA_KEY"):
        DataCipher("old-key").decrypt(tokens(db_url)[0])


async def test_a_default_no_key_opens_falls_back_to_built_in(db_url: str) -> None:
    """After DATA_KEY was changed without rotating, the person's defaults are left out (built-in values apply) and
    their valuations still work."""
    first = await open_database(db_url, data_key="old-key")
    await first.personal_defaults.set(USER, "utilization", "50%")
    await first.close()
    changed = await open_database(db_url, data_key="another-key")
    assert await changed.personal_defaults.stored(USER) == {}
    assert await changed.personal_defaults.layers_for(user_id=USER, guild_id=None) == []
    await changed.close()
