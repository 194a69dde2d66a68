"""``/help`` and ``/about``: texts from prompts/ (``/privacy`` lives with saved offers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.messages import reply
from prompts.commands import COMMANDS

if TYPE_CHECKING:
    from bot.app import FourthPillar


def command_list(tree: app_commands.CommandTree[Any]) -> list[dict[str, str]]:
    """Every command a person can run (subcommands by their full name), in the tree's order: /help lists
    exactly these, so a new command can't be left out of it."""
    listed: list[dict[str, str]] = []
    for command in tree.get_commands():
        if isinstance(command, app_commands.Group):
            leaves = [c for c in command.walk_commands() if isinstance(c, app_commands.Command)]
        elif isinstance(command, app_commands.Command):
            leaves = [command]
        else:  # a context-menu entry is not typed, so it has no place in the list
            continue
        listed += [{"name": c.qualified_name, "description": c.description} for c in leaves]
    return listed


def _info_command(bot: FourthPillar, name: str) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: discord.Interaction) -> None:
        data: dict[str, Any] = {
            "registry_as_of": bot.registry.as_of.isoformat(),
            "registry_version": bot.registry.version,
            # The core reads no clock: the bot passes today's date to find stale price entries.
            "stale": [entry.id for entry in bot.registry.stale(datetime.now(UTC).date())],
            "stale_after_days": int(bot.registry.threshold("stale_after_days")),
        }
        if name == "help":
            data["commands"] = command_list(bot.tree)
        parts = bot.renderer.page(name, locale=locale_of(interaction), **data)
        await reply(interaction, parts, ephemeral=True)

    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=name, description=COMMANDS[name], callback=callback
    )
    command.allowed_contexts = EVERYWHERE
    command.allowed_installs = ANY_INSTALL
    return command


async def setup(bot: FourthPillar) -> None:
    for name in ("help", "about"):
        bot.tree.add_command(_info_command(bot, name))
