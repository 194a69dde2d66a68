"""One-statement reads on a SQLite file go through the driver's own read-only connection, in one hand-off to its
thread; they return what a read through the pool returns and see every committed write."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import bindparam, select

from storage import Database, open_database
from storage.database import SqliteReader, sqlite_reader
from storage.tables import guild_settings, personal_defaults
from tests.storage.conftest import KEY

GUILD, OTHER_GUILD, ALICE, MOD = 1, 2, 10, 99
SERVER = select(guild_settings.c.name, guild_settings.c.value).where(guild_settings.c.guild_id == bindparam("gid"))


async def through_the_pool(db: Database, gid: int) -> list[tuple[object, ...]]:
    async with db.reading() as connection:
        return [tuple(row) for row in await connection.execute(SERVER, {"gid": gid})]


@pytest.mark.asyncio
async def test_a_read_returns_what_the_pool_returns_and_sees_each_committed_write(db: Database) -> None:
    """The server's settings read by fetch_all are the pool's rows, in the same order, for a server with settings
    and one without; a write committed after the first read is in the next (the reader is in autocommit, not
    holding an old snapshot)."""
    assert isinstance(db._reader, SqliteReader)
    await db.server_settings.set(GUILD, MOD, "currency", "EUR")
    await db.server_settings.set(GUILD, MOD, "state", "CA")
    first = await db.fetch_all(SERVER, gid=GUILD)
    assert first == await through_the_pool(db, GUILD) and sorted(first) == [("currency", "EUR"), ("state", "CA")]
    assert await db.fetch_all(SERVER, gid=OTHER_GUILD) == []
    await db.server_settings.set(GUILD, MOD, "state", "NY")
    assert sorted(await db.fetch_all(SERVER, gid=GUILD)) == [("currency", "EUR"), ("state", "NY")]


@pytest.mark.asyncio
async def test_encrypted_values_come_back_as_the_bytes_stored(db: Database) -> None:
    """A person's default is stored encrypted (a BLOB): the reader returns the same bytes the pool does, which open
    with the data key to what was set."""
    await db.personal_defaults.set(ALICE, "currency", "GBP")
    query = select(personal_defaults.c.name, personal_defaults.c.value_token).where(
        personal_defaults.c.user_id == bindparam("uid")
    )
    [(name, token)] = await db.fetch_all(query, uid=ALICE)
    async with db.reading() as connection:
        [(_, pooled)] = list(await connection.execute(query, {"uid": ALICE}))
    assert name == "currency" and isinstance(token, bytes) and token == pooled
    assert db.cipher.decrypt(token) == b"GBP"


@pytest.mark.asyncio
async def test_the_reader_cannot_write(db: Database) -> None:
    """The reader's connection is read-only: a statement that writes is refused by SQLite, and nothing changes."""
    import sqlite3  # noqa: PLC0415

    from sqlalchemy import delete  # noqa: PLC0415

    await db.server_settings.set(GUILD, MOD, "currency", "EUR")
    assert db._reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db._reader.fetch_all(delete(guild_settings), {})
    assert await db.fetch_all(SERVER, gid=GUILD) == [("currency", "EUR")]


@pytest.mark.asyncio
async def test_a_database_in_memory_reads_through_the_pool(tmp_path: Path) -> None:
    """A second connection would not see a database in memory: there the reads go through the pool, with the same
    results; closing a database closes its reader."""
    memory = await open_database("sqlite+aiosqlite:///:memory:", data_key=KEY)
    try:
        assert memory._reader is None
        await memory.server_settings.set(GUILD, MOD, "currency", "EUR")
        assert await memory.fetch_all(SERVER, gid=GUILD) == [("currency", "EUR")]
    finally:
        await memory.close()
    on_file = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}", data_key=KEY)
    await on_file.fetch_all(SERVER, gid=GUILD)
    reader = on_file._reader
    assert reader is not None and reader._connection is not None
    await on_file.close()
    assert reader._connection is None
    assert sqlite_reader(on_file.engine) is not None
