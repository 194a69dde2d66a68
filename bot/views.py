"""Buttons under a breakdown: Share, Show your work, Advice. Only the person who asked can use them."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bot.advice import Advise, advice_reply
from bot.messages import NO_MENTIONS, answers_privately, notice, reply, text_file
from bot.preferences import SharingPolicy
from bot.timing import STARTED, log_answered
from prompts import MessagePart, Renderer
from valuation import Offer, Registry, Valuation

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.buttons")

# The interaction token serves edits for 15 minutes: stop listening a little before, and tidy the buttons away.
VIEW_TIMEOUT_SECONDS = 14 * 60
# A big offer's formulas run to a dozen pages: show the first few, the attached file holds them all. (A user-installed
# app may send only 5 followups in a server that hasn't added it.)
MAX_WORK_PAGES = 3


@dataclasses.dataclass(frozen=True, slots=True)
class Evaluated:
    """What the buttons need, kept in the view instance and nowhere else."""

    offer: Offer
    valuation: Valuation
    locale: str
    data: dict[str, Any] = dataclasses.field(
        default_factory=dict
    )  # the plain data the offer was built from (for saving)


class ResultView(discord.ui.View):
    """The buttons under one person's breakdown."""

    def __init__(
        self,
        *,
        owner_id: int,
        evaluated: Evaluated,
        renderer: Renderer,
        registry: Registry,
        sharing: SharingPolicy,
        share_offered: bool,
        advise: Advise | None,
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT_SECONDS)
        self.owner_id = owner_id
        self.evaluated = evaluated
        self.renderer = renderer
        self.registry = registry
        self.sharing = sharing
        self.advise = advise
        self.advice: Any = None
        self.origin: discord.Interaction | None = None
        """The interaction whose response carries these buttons (to remove them on timeout)."""
        locale = evaluated.locale
        self.share_button.label = renderer.text("ui/share_label", locale=locale)
        self.work_button.label = renderer.text("ui/work_label", locale=locale)
        self.advice_button.label = renderer.text("ui/advice_label", locale=locale)
        if not share_offered:
            self.remove_item(self.share_button)
        if advise is None:
            self.remove_item(self.advice_button)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        interaction.extras[STARTED] = time.monotonic()
        locale = interaction.locale.value
        if not getattr(interaction.client, "accepting", True):
            await notice(interaction, self.renderer.text("ui/shutting_down", locale=locale))
            return False
        if interaction.user.id != self.owner_id:
            log.info("button refused: not the owner")
            await notice(interaction, self.renderer.text("ui/not_yours", locale=locale))
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        from bot.tree import report_error  # noqa: PLC0415 - the tree imports the bot, which imports the views

        client: FourthPillar = interaction.client  # type: ignore[assignment]
        await report_error(client, interaction, error)

    async def on_timeout(self) -> None:
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=None, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Share", style=discord.ButtonStyle.secondary, custom_id="result:share")
    async def share_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        if not await self.sharing.sharing_allowed(guild_id=interaction.guild_id):
            await notice(interaction, self.renderer.text("ui/share_disabled", locale=self.evaluated.locale))
            return
        await interaction.response.defer(thinking=True)  # public: this is the copy others see
        parts = await asyncio.to_thread(self._shared_copy, interaction.user.display_name)
        button.disabled = True  # one public copy is enough
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self, allowed_mentions=NO_MENTIONS)
        await reply(interaction, parts, ephemeral=False)
        log_answered(log, "button share", interaction)

    @discord.ui.button(label="Show your work", style=discord.ButtonStyle.secondary, custom_id="result:work")
    async def work_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        await interaction.response.defer(ephemeral=answers_privately(interaction), thinking=True)
        parts, full = await asyncio.to_thread(self._work)
        await reply(interaction, parts, ephemeral=answers_privately(interaction), file=text_file("work.md", full))
        log_answered(log, "button work", interaction)

    @discord.ui.button(label="Advice", style=discord.ButtonStyle.primary, custom_id="result:advice")
    async def advice_button(self, interaction: discord.Interaction, button: discord.ui.Button[ResultView]) -> None:
        await interaction.response.defer(ephemeral=answers_privately(interaction), thinking=True)
        parts, script = await asyncio.to_thread(self._advice)
        await reply(interaction, parts, ephemeral=answers_privately(interaction), file=text_file("email.md", script))
        log_answered(log, "button advice", interaction)

    # -- CPU work, run in a thread --------------------------------------------------------------------------------
    def _shared_copy(self, display_name: str) -> list[MessagePart]:
        locale = self.evaluated.locale
        first, *rest = self.renderer.breakdown_discord(self.evaluated.valuation, locale=locale)
        shared_by = self.renderer.text("ui/shared_by", locale=locale, name=display_name)
        return [dataclasses.replace(first, content=shared_by), *rest]

    def _work(self) -> tuple[list[MessagePart], str]:
        """The first pages of formulas, and all of them (with the month-by-month ones) as a file."""
        valuation, locale = self.evaluated.valuation, self.evaluated.locale
        first, *rest = self.renderer.work_discord(valuation, locale=locale)[:MAX_WORK_PAGES]
        attached = self.renderer.text("ui/work_attached", locale=locale)
        return [dataclasses.replace(first, content=attached), *rest], self.renderer.work_text(valuation, locale=locale)

    def _advice(self) -> tuple[list[MessagePart], str]:
        assert self.advise is not None  # the button is removed without an advisor
        offer, valuation, locale = self.evaluated.offer, self.evaluated.valuation, self.evaluated.locale
        if self.advice is None:
            self.advice = self.advise(offer, valuation, self.registry)
        return advice_reply(self.renderer, self.advice, valuation, locale)
