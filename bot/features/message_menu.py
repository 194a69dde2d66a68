"""The message context menu "Evaluate offer (private)": an offer someone posted (in a server or a DM), read with
valuation.reader and valued for the person who used the menu only.

The poster's figures must never appear anywhere public because of it: every answer is ephemeral (even in the bot's
own DM, where that costs nothing), and the breakdown carries no Share button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.breakdown import BreakdownRequest, Source, answer_breakdown
from bot.cooldown import per_user_cooldown
from bot.errors import NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE
from bot.features.offer import offer_cooldown
from bot.offer_input import EvaluateOptions
from prompts.commands import CONTEXT_MENUS

if TYPE_CHECKING:
    from bot.app import FourthPillar


def evaluate_message_menu(bot: FourthPillar) -> app_commands.ContextMenu:
    @per_user_cooldown(offer_cooldown)
    async def evaluate_message(interaction: discord.Interaction, message: discord.Message) -> None:
        if not isinstance(message, discord.Message):  # a hand-made payload naming a message it does not carry
            raise NoticeError("malformed_options")
        written = message.content or ""

        async def read() -> Source:
            return None, written

        # Always private, and no Share: these are someone else's figures. Show your work and Advice stay, for the
        # asker only.
        request = BreakdownRequest(EvaluateOptions(), read=read, private=True, shareable=False, options_offered=False)
        await answer_breakdown(bot, interaction, request)

    return app_commands.ContextMenu(
        name=CONTEXT_MENUS["evaluate message"],
        callback=evaluate_message,
        allowed_contexts=EVERYWHERE,
        allowed_installs=ANY_INSTALL,
    )


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(evaluate_message_menu(bot))
