"""One way to answer with a breakdown, whatever asked for it: ``/offer evaluate``, the form's pages, and the message
menu "Evaluate offer (private)".

Each reads the person's and the server's settings, values and renders (on the event loop when the offer is small,
see :mod:`bot.cpu`), draws the "where the money is" chart when charts are on, and answers with the result buttons
under it, keeping what the buttons need in the button store. What differs from caller to caller — where the offer
comes from, whether others may see it, which extra buttons go under it — is passed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from bot.button_store import ResultState
from bot.charts import MONEY_CHART_NAME, chart_or_note
from bot.cpu import run_cpu
from bot.features.common import locale_of
from bot.messages import answer_soon, defer_once, keep_layout, reply
from bot.offer_input import EvaluateOptions
from bot.views import result_view
from valuation import Layer

MAX_BREAKDOWN_VIEWS = 512
"""Views kept for reuse: a few per locale Discord has (with or without Share, the menu)."""

if TYPE_CHECKING:
    from bot.app import FourthPillar

Source = tuple[dict[str, Any] | None, str | None]
"""An offer's file data and its text as written (either may be None)."""


@dataclass(frozen=True, slots=True)
class BreakdownRequest:
    """What to value, and how the answer may be seen.

    ``read`` fetches the offer's file data and text (a download, in evaluate) inside the answer's time budget;
    ``shareable``: the figures are the asker's own, so Share may be offered (not for someone else's message);
    ``options_offered``: a refusal may suggest a command option; ``buttons``: more buttons after the result buttons
    (edit what was read, the form's page two). The what-if menu goes under every offer with compute.
    """

    options: EvaluateOptions
    read: Callable[[], Awaitable[Source]] | None = None
    private: bool = True
    shareable: bool = True
    options_offered: bool = True
    buttons: Sequence[discord.ui.Item[Any]] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a person's and their server's settings say for one answer: the assumption layers, the currency for an
    offer that names none, and whether a chart is drawn."""

    layers: Sequence[Layer]
    currency: str | None
    charts: bool


async def preferences_for(bot: FourthPillar, interaction: discord.Interaction, *, private: bool) -> Preferences:
    """The settings for this answer; when a chart will be drawn, "thinking…" goes out now (``private`` as the answer
    will be), before any valuing, so nothing waits ahead of it."""
    user_id, guild_id = interaction.user.id, interaction.guild_id
    layers = await bot.assumption_layers.layers_for(user_id=user_id, guild_id=guild_id)
    currency = await bot.assumption_layers.default_currency(user_id=user_id, guild_id=guild_id)
    charts = await bot.chart_policy.charts_enabled(user_id=user_id, guild_id=guild_id)
    if charts:
        await defer_once(interaction, ephemeral=private)
    return Preferences(layers, currency, charts)


async def answer_breakdown(bot: FourthPillar, interaction: discord.Interaction, request: BreakdownRequest) -> None:
    from bot.features.offer import value_and_render  # noqa: PLC0415 - the feature module imports this one
    from bot.features.whatif import offers_whatif, whatif_select  # noqa: PLC0415 - whatif imports the views

    user_id, guild_id = interaction.user.id, interaction.guild_id
    locale = locale_of(interaction)
    private = request.private

    async def work() -> Any:
        file_data, written = await request.read() if request.read is not None else (None, None)
        preferences = await preferences_for(bot, interaction, private=private)
        layers = preferences.layers
        # Options alone make a small, bounded offer; a file or text may be large, and the reader is slower.
        small = file_data is None and written is None
        data, inputs, parts, chart = await run_cpu(
            small,
            value_and_render,
            bot,
            request.options,
            file_data,
            layers,
            locale,
            preferences.currency,
            written,
            options_offered=request.options_offered,
            charts=preferences.charts,
        )
        share = request.shareable and private and await bot.sharing.sharing_allowed(guild_id=guild_id)
        parts, image = await chart_or_note(
            bot.chart_pool,
            bot.renderer,
            chart,
            parts,
            name=MONEY_CHART_NAME,
            locale=locale,
            interaction=interaction,
            ephemeral=private,
        )
        return layers, data, inputs, parts, share, image

    layers, data, inputs, parts, share, image = await answer_soon(interaction, work(), ephemeral=private)
    shape = (locale, share, bot.advise is not None, offers_whatif(data))
    view = None if request.buttons else bot.breakdown_views.get(shape)
    if view is None:
        view = result_view(bot.renderer, locale, share_offered=share, advice_offered=bot.advise is not None)
        for item in request.buttons:
            view.add_item(item)
        if offers_whatif(data):
            view.add_item(whatif_select(bot, locale))
        if not request.buttons and len(bot.breakdown_views) < MAX_BREAKDOWN_VIEWS:
            # The same buttons and menu, in the same words, under every breakdown of this shape: laid out once.
            # (Detached views only lay out components, and nothing changes one once it is made.)
            bot.breakdown_views[shape] = keep_layout(view)
    # What the buttons need to recompute (not the valuation), there before the reply can be pressed.
    state = ResultState(user_id, locale, inputs, tuple(layers), shareable=request.shareable)
    bot.button_store.put(interaction.id, state)
    await reply(interaction, parts, ephemeral=private, view=view, image=image)
    bot.recent_offers.remember(user_id, data)
