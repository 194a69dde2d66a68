"""Per-person cooldowns whose cost does not grow with the number of people seen.

discord.py's cooldown check sweeps every bucket on every use (O(people in the window) per interaction). Here the
buckets are kept in order of last use, so the expired ones are always at the front: each use drops those and touches
its own, O(1) amortised. Refusals raise discord.py's own ``CommandOnCooldown``, so the tree answers them as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")
Limits = Callable[[discord.Interaction], tuple[int, float]]
"""(uses, per seconds) for an interaction; read on each use, so settings apply without a restart of the check."""


class PerUserCooldown:
    """At most ``uses`` per ``per`` seconds for each person (discord.py's fixed-window :class:`Cooldown`)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._buckets: OrderedDict[int, app_commands.Cooldown] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def check(self, interaction: discord.Interaction, now: float | None = None) -> None:
        """Count this use; raise ``CommandOnCooldown`` if it is one too many."""
        current = interaction.created_at.timestamp() if now is None else now
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if current <= oldest._last + oldest.per:  # the oldest is still live, so all later ones are too
                break
            self._buckets.popitem(last=False)
        user_id = interaction.user.id
        bucket = self._buckets.pop(user_id, None)
        if bucket is None:
            uses, per = self.limits(interaction)
            bucket = app_commands.Cooldown(uses, per)
        self._buckets[user_id] = bucket  # now the most recently used
        retry_after = bucket.update_rate_limit(current)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)


def per_user_cooldown(limits: Limits) -> Callable[[T], T]:
    """A command check: :class:`PerUserCooldown` with ``limits``."""
    cooldown = PerUserCooldown(limits)

    async def predicate(interaction: discord.Interaction) -> bool:
        cooldown.check(interaction)
        return True

    decorator: Any = app_commands.check(predicate)
    return decorator  # type: ignore[no-any-return]
