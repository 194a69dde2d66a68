"""The bot's storage wiring in process, on a real SQLite file: resources, server removal, the purge loop, close."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest

from bot.app import FourthPillar, Resources, create_resources, open_resources
from bot.storage_bridge import StoredPreferences
from storage import open_database
from tests.bot.conftest import make_settings

GUILD = 1_400_000_000_000_000_001
PERSON = 1_400_000_000_000_000_002


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.asyncio
async def test_open_resources_backs_defaults_and_sharing_with_the_database(tmp_path: Path) -> None:
    """Serving resources read layers, the default currency and the Share switch from the database file."""
    settings = make_settings(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'fp.db'}", DATA_KEY="key")
    resources = await open_resources(settings)
    assert resources.database is not None
    try:
        await resources.database.server_settings.set(GUILD, PERSON, "share_button", "off")
        await resources.database.personal_defaults.set(PERSON, "currency", "EUR")
        assert not await resources.sharing.sharing_allowed(guild_id=GUILD)
        assert await resources.sharing.sharing_allowed(guild_id=None)
        currency = await resources.assumption_layers.default_currency(user_id=PERSON, guild_id=GUILD)
        assert currency == "EUR"
    finally:
        await resources.database.close()


@pytest.mark.asyncio
async def test_removal_purge_and_close(tmp_path: Path) -> None:
    """Removal from a server deletes its settings; the purge loop deletes expired offers as soon as it starts; close
    stops the loop and closes the database."""
    clock = MovableClock()
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'fp.db'}", data_key="key", clock=clock)
    preferences = StoredPreferences(database)
    base = create_resources()
    resources = Resources(base.renderer, base.registry, preferences, preferences, None, database)
    bot = FourthPillar(make_settings(), resources, sync_dev_guild=False)

    await database.server_settings.set(GUILD, PERSON, "charts", "off")
    await bot.on_guild_remove(discord.Object(GUILD))  # type: ignore[arg-type]
    assert await database.server_settings.stored(GUILD) == {}

    await database.saved_offers.save(PERSON, "old", {"salary": {"base": "100k"}}, base.registry.version)
    clock.now += timedelta(days=31)
    await bot.setup_hook()
    for _ in range(1000):
        if not await database.saved_offers.list(PERSON):
            break
        await asyncio.sleep(0)
    assert await database.saved_offers.list(PERSON) == []

    assert database.engine.pool.checkedin() > 0  # type: ignore[attr-defined]
    await bot.close()
    assert bot._purge_task is not None and bot._purge_task.cancelled()
    assert database.engine.pool.checkedin() == 0  # type: ignore[attr-defined]  # connections closed
