"""``/help`` and ``/about``: texts from prompts/ (``/privacy`` lives with saved offers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.messages import reply
from prompts.commands import COMMANDS

if TYPE_CHECKING:
    from bot.app import FourthPillar


def _info_command(bot: FourthPillar, name: str) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: discord.Interaction) -> None:
        data = {"registry_as_of": bot.registry.as_of.isoformat(), "registry_version": bot.registry.version}
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
