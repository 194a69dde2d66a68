"""The message context menu "Evaluate offer (private)": an offer someone posted (in a server or a DM), read with
valuation.reader and valued for the person who used the menu only.

The poster's figures must never appear anywhere public because of it: every answer is ephemeral (even in the bot's
own DM, where that costs nothing), and the breakdown carries no Share button.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.button_store import ResultState
from bot.cooldown import per_user_cooldown
from bot.errors import NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.features.offer import offer_cooldown, value_and_render
from bot.messages import answer_soon, reply
from bot.offer_input import EvaluateOptions
from bot.views import result_view
from prompts import MessagePart
from prompts.commands import CONTEXT_MENUS
from valuation import Layer

if TYPE_CHECKING:
    from bot.app import FourthPillar


def evaluate_message_menu(bot: FourthPillar) -> app_commands.ContextMenu:
    @per_user_cooldown(offer_cooldown)
    async def evaluate_message(interaction: discord.Interaction, message: discord.Message) -> None:
        if not isinstance(message, discord.Message):  # a hand-made payload naming a message it does not carry
            raise NoticeError("malformed_options")
        written = message.content or ""
        user_id, guild_id = interaction.user.id, interaction.guild_id
        locale = locale_of(interaction)

        async def work() -> tuple[Sequence[Layer], dict[str, Any], bytes, list[MessagePart]]:
            layers = await bot.assumption_layers.layers_for(user_id=user_id, guild_id=guild_id)
            fallback = await bot.assumption_layers.default_currency(user_id=user_id, guild_id=guild_id)
            data, inputs, parts, _ = await asyncio.to_thread(
                value_and_render, bot, EvaluateOptions(), None, layers, locale, fallback, written, options_offered=False
            )
            return layers, data, inputs, parts

        layers, data, inputs, parts = await answer_soon(interaction, work(), ephemeral=True)
        # No Share: these are someone else's figures. Show your work and Advice stay, for the asker only.
        view = result_view(bot.renderer, locale, share_offered=False, advice_offered=bot.advise is not None)
        bot.button_store.put(interaction.id, ResultState(user_id, locale, inputs, tuple(layers), shareable=False))
        await reply(interaction, parts, ephemeral=True, view=view)
        bot.recent_offers.remember(user_id, data)

    return app_commands.ContextMenu(
        name=CONTEXT_MENUS["evaluate message"],
        callback=evaluate_message,
        allowed_contexts=EVERYWHERE,
        allowed_installs=ANY_INSTALL,
    )


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(evaluate_message_menu(bot))
