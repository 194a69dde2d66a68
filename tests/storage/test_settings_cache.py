"""The settings cache: one database read per owner until a write in this process, which the next read sees."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from types import MappingProxyType
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import CachedSettings, Database, LocalSettingsCache

GUILD, ALICE, MOD = 1, 10, 99


@contextmanager
def counting_reads(db: Database) -> Iterator[list[int]]:
    """Counts the reads the database handle makes: read transactions and one-statement reads."""
    calls = [0]
    reading, fetch_all = db.reading, db.fetch_all

    def counted_reading() -> AbstractAsyncContextManager[AsyncConnection]:
        calls[0] += 1
        return reading()

    async def counted_fetch_all(query: Any, /, **params: Any) -> list[tuple[Any, ...]]:
        calls[0] += 1
        return await fetch_all(query, **params)

    db.reading = counted_reading  # type: ignore[method-assign]
    db.fetch_all = counted_fetch_all  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        db.reading, db.fetch_all = reading, fetch_all  # type: ignore[method-assign]


@pytest.mark.asyncio
async def test_an_evaluate_reads_each_owner_once(db: Database) -> None:
    """Layers, default currency and the Share switch for one person in one server, asked twice: two reads in all
    (the person's settings and the server's), none the second time."""
    await db.personal_defaults.set(ALICE, "currency", "EUR")
    await db.server_settings.set(GUILD, MOD, "marginal_tax_rate", "30%")
    with counting_reads(db) as reads:
        for _ in range(2):
            await db.personal_defaults.layers_for(user_id=ALICE, guild_id=GUILD)
            assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) == "EUR"
            assert await db.server_settings.share_allowed(GUILD)
    assert reads[0] == 2


@pytest.mark.asyncio
async def test_each_write_is_seen_by_the_next_read(db: Database) -> None:
    """Set, reset, reset-all, server removal and Forget me each show in the very next read in this process."""
    assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) is None  # now cached
    await db.server_settings.set(GUILD, MOD, "currency", "GBP")
    assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) == "GBP"
    await db.personal_defaults.set(ALICE, "currency", "EUR")
    assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) == "EUR"
    await db.personal_defaults.reset(ALICE, "currency")
    assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) == "GBP"
    await db.server_settings.set(GUILD, MOD, "share_button", "off")
    assert not await db.server_settings.share_allowed(GUILD)
    await db.server_settings.reset(GUILD, MOD)
    assert await db.server_settings.share_allowed(GUILD)
    assert await db.personal_defaults.default_currency(user_id=ALICE, guild_id=GUILD) is None
    await db.server_settings.set(GUILD, MOD, "currency", "GBP")
    await db.server_settings.delete_guild(GUILD)
    assert await db.server_settings.stored(GUILD) == {}
    await db.personal_defaults.set(ALICE, "utilization", "50%")
    assert [layer.level for layer in await db.personal_defaults.layers_for(user_id=ALICE, guild_id=None)] == [
        "personal"
    ]
    await db.privacy.forget(ALICE)
    assert await db.personal_defaults.layers_for(user_id=ALICE, guild_id=None) == []


@pytest.mark.asyncio
async def test_stored_returns_a_copy_the_caller_may_change(db: Database) -> None:
    """Changing what ``stored`` returned changes neither the cache nor the next answer."""
    await db.personal_defaults.set(ALICE, "currency", "EUR")
    first = await db.personal_defaults.stored(ALICE)
    first["currency"] = "JPY"
    assert await db.personal_defaults.stored(ALICE) == {"currency": "EUR"}


def entry(value: str) -> CachedSettings:
    return CachedSettings(MappingProxyType({"currency": value}), None)


def test_a_read_that_began_before_a_write_does_not_fill_the_cache() -> None:
    """A read whose ticket predates an invalidation may hold the old data: its put is ignored."""
    cache = LocalSettingsCache()
    ticket = cache.ticket(("user", ALICE))
    cache.invalidate(("user", ALICE))  # a write committed while the read was in flight
    cache.put(ticket, entry("USD"))
    assert cache.get(("user", ALICE)) is None
    cache.put(cache.ticket(("user", ALICE)), entry("EUR"))
    assert cache.get(("user", ALICE)) == entry("EUR")


def test_the_cache_keeps_the_most_recently_used_entries() -> None:
    """Beyond its capacity the least recently used entry goes; reading an entry counts as using it."""
    cache = LocalSettingsCache(capacity=2)
    for owner in (1, 2):
        cache.put(cache.ticket(("user", owner)), entry(str(owner)))
    assert cache.get(("user", 1)) is not None  # 1 is now more recent than 2
    cache.put(cache.ticket(("guild", 3)), entry("3"))
    assert cache.get(("user", 2)) is None
    assert cache.get(("user", 1)) is not None and cache.get(("guild", 3)) is not None
    assert len(cache) == 2
