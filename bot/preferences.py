"""Seams for what storage will provide: personal and server defaults, and whether a server allows sharing.

Commands ask these providers with plain ids, never with discord objects, so a storage-backed implementation needs no
discord.py. Until storage is wired in, the no-op implementations below apply: built-in assumptions only, and sharing
allowed everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from valuation import Layer


class AssumptionLayers(Protocol):
    """Personal and server assumption overrides that apply to one person's valuation."""

    async def layers_for(self, *, user_id: int, guild_id: int | None) -> Sequence[Layer]: ...

    async def default_currency(self, *, user_id: int, guild_id: int | None) -> str | None:
        """The currency for offers that name none (personal, then server); None keeps the offer's own default."""
        ...


class SharingPolicy(Protocol):
    """Whether results may be posted publicly where the person asked (a server setting)."""

    async def sharing_allowed(self, *, guild_id: int | None) -> bool: ...


class ChartPolicy(Protocol):
    """Whether a person's replies carry charts (their own setting, else the server's)."""

    async def charts_enabled(self, *, user_id: int, guild_id: int | None) -> bool: ...


class NoAssumptionLayers:
    """No personal or server defaults: the registry's built-in assumptions apply."""

    async def layers_for(self, *, user_id: int, guild_id: int | None) -> Sequence[Layer]:
        return ()

    async def default_currency(self, *, user_id: int, guild_id: int | None) -> str | None:
        return None


class SharingAllowed:
    """Every server allows sharing."""

    async def sharing_allowed(self, *, guild_id: int | None) -> bool:
        return True


class ChartsOn:
    """Charts for everyone, everywhere."""

    async def charts_enabled(self, *, user_id: int, guild_id: int | None) -> bool:
        return True
