"""What every command shares: where it may run, and the model/GPU autocomplete."""

from __future__ import annotations

import discord
from discord import app_commands

from valuation import Registry

EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)
MAX_CHOICES = 25


def resource_choices(registry: Registry, typed: str) -> list[app_commands.Choice[str]]:
    """Models and GPUs whose id or name contains what was typed; at most 25 (Discord's limit)."""
    needle = typed.strip().lower()
    entries = [(m.id, f"{m.vendor} {m.name}") for m in registry.models.values()]
    entries += [(g.id, g.name) for g in registry.gpus.values()]
    matches = [(i, n) for i, n in entries if needle in i.lower() or needle in n.lower()]
    return [app_commands.Choice(name=f"{n} ({i})"[:100], value=i) for i, n in matches[:MAX_CHOICES]]


def locale_of(interaction: discord.Interaction) -> str:
    return interaction.locale.value
