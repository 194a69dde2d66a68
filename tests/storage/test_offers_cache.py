"""Saved offers kept in memory as stored (still encrypted): read from the database once per person, dropped by every
write of theirs in this process, never filled by a read that a write overtook, and bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from storage import Database
from storage.offers import ROW_OVERHEAD_BYTES, StoredRow, StoredRowsCache
from storage.tables import saved_offers
from tests.storage.conftest import FakeClock

A = {"salary": {"base": "1"}}
B = {"salary": {"base": "2"}}


async def change_behind_the_repository(db: Database, user_id: int) -> None:
    """Another writer (not this process's repository) changes the stored registry version of every offer."""
    async with db.writing() as conn:
        await conn.execute(update(saved_offers).where(saved_offers.c.user_id == user_id).values(registry_version="x"))


@pytest.mark.asyncio
async def test_offers_are_read_from_the_database_once(db: Database) -> None:
    """After the first read a person's offers come from memory: a change made outside the repository is not seen
    (which is why every write goes through it), and the memory holds the tokens, not the decrypted offer."""
    await db.saved_offers.save(7, "acme", A, "v")
    assert (await db.saved_offers.get(7, "acme")).registry_version == "v"  # type: ignore[union-attr]
    await change_behind_the_repository(db, 7)
    assert (await db.saved_offers.get(7, "acme")).registry_version == "v"  # type: ignore[union-attr]
    rows = db.saved_offers.cache.get(7)
    assert rows is not None and all(row.offer_token.startswith(b"gAAAA") for row in rows)


@pytest.mark.asyncio
async def test_every_write_of_a_person_is_seen_by_their_next_read(db: Database, clock: FakeClock) -> None:
    """Save (replace), retention change, delete and forget each drop the person's entry: the next read shows it."""
    saved = db.saved_offers
    await saved.save(7, "acme", A, "v")
    assert (await saved.get(7, "acme")).data == A  # type: ignore[union-attr]
    await saved.save(7, "ACME", B, "v")
    assert (await saved.get(7, "acme")).data == B  # type: ignore[union-attr]
    await saved.set_retention_days(7, 1)
    assert [s.expires_at for s in await saved.list(7)] == [clock.now + timedelta(days=1)]  # saved now, kept 1 day
    assert await saved.delete(7, "acme")
    assert await saved.get(7, "acme") is None and await saved.list(7) == []
    await saved.save(7, "other", A, "v")
    assert [s.name for s in await saved.list(7)] == ["other"]
    await db.privacy.forget(7)
    assert await saved.get(7, "other") is None and await saved.list(7) == []


@pytest.mark.asyncio
async def test_expiry_is_checked_on_every_read(db: Database, clock: FakeClock) -> None:
    """An offer read into memory still expires on time (30 days by default), and the purge drops everyone's entry."""
    await db.saved_offers.save(7, "acme", A, "v")
    assert await db.saved_offers.get(7, "acme") is not None
    clock.advance(days=30)
    assert await db.saved_offers.get(7, "acme") is None and await db.saved_offers.list(7) == []
    assert await db.saved_offers.purge_expired() == 1
    assert len(db.saved_offers.cache) == 0


def row(size: int, row_id: int = 1) -> StoredRow:
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    return StoredRow(row_id, "", b"", b"x" * size, moment, moment, "v")


def test_a_read_overtaken_by_a_write_does_not_fill_the_cache() -> None:
    """A read that began before a write (its ticket older than the write) leaves nothing behind."""
    cache = StoredRowsCache()
    ticket = cache.ticket()
    cache.invalidate(7)  # the write finished while the read was under way
    cache.put(ticket, 7, (row(10),))
    assert cache.get(7) is None
    cache.put(cache.ticket(), 7, (row(10),))
    assert cache.get(7) is not None


def test_the_least_recently_used_go_first_past_either_bound() -> None:
    """Past the cap on people, or on bytes, the person read longest ago is dropped first."""
    cache = StoredRowsCache(max_people=2, max_bytes=10_000)
    for user_id in (1, 2):
        cache.put(cache.ticket(), user_id, (row(10),))
    assert cache.get(1) is not None  # 1 is now the most recently used
    cache.put(cache.ticket(), 3, (row(10),))
    assert (cache.get(1) is not None, cache.get(2), cache.get(3) is not None) == (True, None, True)
    # Each row counts its tokens and hash plus ROW_OVERHEAD_BYTES: two rows of 4,000 bytes fill 8,400 of 10,000.
    big = StoredRowsCache(max_people=10, max_bytes=10_000)
    big.put(big.ticket(), 1, (row(4000),))
    big.put(big.ticket(), 2, (row(4000),))
    assert big.bytes == 2 * (4000 + ROW_OVERHEAD_BYTES)
    big.put(big.ticket(), 3, (row(4000),))
    assert (big.get(1), big.get(2) is not None, big.get(3) is not None) == (None, True, True)
    assert big.bytes == 2 * (4000 + ROW_OVERHEAD_BYTES)
