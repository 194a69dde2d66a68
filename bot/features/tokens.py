"""``/tokens value``: tokens or GPU-hours to dollars, or dollars to tokens, at list price."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import InputError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of, resource_choices
from bot.messages import answers_privately, reply
from prompts.commands import COMMANDS, OPTIONS
from valuation import OfferError, convert

if TYPE_CHECKING:
    from bot.app import FourthPillar


class TokensGroup(app_commands.Group):
    def __init__(self, bot: FourthPillar) -> None:
        super().__init__(
            name="tokens", description=COMMANDS["tokens"], allowed_contexts=EVERYWHERE, allowed_installs=ANY_INSTALL
        )
        self.bot = bot

    @app_commands.command(name="value", description=COMMANDS["tokens value"])
    @app_commands.describe(**OPTIONS["tokens value"])
    async def value(
        self,
        interaction: discord.Interaction,
        amount: app_commands.Range[str, 1, 40],
        model: app_commands.Range[str, 1, 64],
    ) -> None:
        try:
            conversion = convert(amount, model, self.bot.registry)
        except OfferError as exc:
            raise InputError(exc) from None
        parts = self.bot.renderer.tokens_discord(conversion, locale=locale_of(interaction))
        # The amount may be someone's own stipend: private wherever others read along, like a breakdown.
        await reply(interaction, parts, ephemeral=answers_privately(interaction))

    @value.autocomplete("model")
    async def model_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return resource_choices(self.bot.registry, current)


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(TokensGroup(bot))
