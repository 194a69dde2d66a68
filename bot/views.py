"""Buttons under a breakdown: Share, Show your work, Advice. Only the person who asked can use them."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from bot.messages import NO_MENTIONS, in_server, message_kwargs, notice, reply, text_file
from prompts import Renderer
from valuation import Valuation

VIEW_TIMEOUT_SECONDS = 14 * 60  # the interaction token lives 15 minutes


class ResultView(discord.ui.View):
    """Holds what the buttons need (the valuation, its owner); nothing is kept anywhere else."""

    def __init__(
        self,
        *,
        owner_id: int,
        renderer: Renderer,
        valuation: Valuation,
        locale: str,
        share_allowed: bool,
        advice: Any = None,
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.owner_id = owner_id
        self.renderer = renderer
        self.valuation = valuation
        self.locale = locale
        self.advice = advice
        self.share_button.label = renderer.text("ui/share_label", locale=locale)
        self.work_button.label = renderer.text("ui/work_label", locale=locale)
        self.advice_button.label = renderer.text("ui/advice_label", locale=locale)
        if not share_allowed:
            self.remove_item(self.share_button)
        if advice is None:
            self.remove_item(self.advice_button)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await notice(interaction, self.renderer.text("ui/not_yours", locale=interaction.locale.value))
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[attr-defined]

    @discord.ui.button(label="Share", style=discord.ButtonStyle.secondary, custom_id="result:share")
    async def share_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        parts = await asyncio.to_thread(self.renderer.breakdown_discord, self.valuation, locale=self.locale)
        kwargs = message_kwargs(parts[0])
        kwargs["content"] = self.renderer.text("ui/shared_by", locale=self.locale, name=interaction.user.display_name)
        await interaction.response.send_message(ephemeral=False, **kwargs)
        button.disabled = True
        if interaction.message is not None and in_server(interaction):
            await interaction.followup.edit_message(interaction.message.id, view=self, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Show your work", style=discord.ButtonStyle.secondary, custom_id="result:work")
    async def work_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        parts, full = await asyncio.to_thread(self._work)
        await reply(interaction, parts[:1], ephemeral=in_server(interaction), file=text_file("work.md", full))

    @discord.ui.button(label="Advice", style=discord.ButtonStyle.primary, custom_id="result:advice")
    async def advice_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        parts = await asyncio.to_thread(self.renderer.advice_discord, self.advice, self.valuation, locale=self.locale)
        script = await asyncio.to_thread(self.renderer.script_text, self.advice, self.valuation, locale=self.locale)
        await reply(interaction, parts, ephemeral=in_server(interaction), file=text_file("email.md", script))

    def _work(self) -> tuple[list[Any], str]:
        return (
            self.renderer.work_discord(self.valuation, locale=self.locale),
            self.renderer.work_text(self.valuation, locale=self.locale),
        )
