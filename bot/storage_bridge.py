"""The storage-backed implementations of the bot's preference seams (see bot/preferences.py)."""

from __future__ import annotations

from collections.abc import Sequence

from storage import Database
from valuation import Layer


class StoredPreferences:
    """Personal and server defaults, and the server's Share switch, read through the database's settings cache (one
    read per person and per server until one of them changes a setting)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def layers_for(self, *, user_id: int, guild_id: int | None) -> Sequence[Layer]:
        return await self.database.personal_defaults.layers_for(user_id=user_id, guild_id=guild_id)

    async def sharing_allowed(self, *, guild_id: int | None) -> bool:
        return await self.database.server_settings.share_allowed(guild_id)

    async def charts_enabled(self, *, user_id: int, guild_id: int | None) -> bool:
        """The person's own switch when they set one (their replies with figures are theirs alone), else the
        server's."""
        own = await self.database.personal_defaults.charts_choice(user_id)
        return own if own is not None else await self.database.server_settings.charts_enabled(guild_id)

    async def default_currency(self, *, user_id: int, guild_id: int | None) -> str | None:
        return await self.database.personal_defaults.default_currency(user_id=user_id, guild_id=guild_id)
