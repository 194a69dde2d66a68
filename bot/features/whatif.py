"""What-if under a breakdown: one select of preset changes (how much of the personal credits you'd spend, the work
share, how fast prices fall, how long you stay, how the credits are taxed). A choice changes the offer's plain inputs
— an offer-level ``[assumptions]`` value or a term of every compute grant — stores them back under the same key, so
changes stack and Share, Show your work and Advice follow the new figures, and edits the breakdown in place.

The select is a dynamic item like the result buttons: it answers on any message, including ones sent before a
restart (with the "expired" notice), and only the person who asked may use it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bot.messages import message_kwargs, notice
from bot.timing import STARTED, log_answered
from bot.views import detached, offer_json, origin_of, recompute
from prompts import MessagePart, Renderer

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.whatif")

CUSTOM_ID = "whatif:change"
# Each change is "<what>:<value>": an offer-level assumption, or a term set on every compute grant.
CHANGES = (
    "util:50",
    "util:90",
    "work:30",
    "work:80",
    "decline:0",
    "decline:90",
    "tenure:24",
    "tenure:36",
    "tax:taxable",
    "tax:working-condition",
    "tax:excluded",
)


def applied(data: dict[str, Any], change: str) -> dict[str, Any]:
    """The offer's plain data with one preset change made (a copy; unknown changes leave it as it was)."""
    what, _, value = change.partition(":")
    percent = f"{value}%"  # shares in offer data are written with their percent sign, as in an offer file
    out: dict[str, Any] = json.loads(json.dumps(data))
    assumptions = dict(out.get("assumptions") or {})
    if what == "util":
        assumptions["utilization"] = percent
    elif what == "decline":
        assumptions["token_deflation"] = percent
        assumptions["gpu_deflation"] = percent
    elif what == "tenure":
        assumptions["tenure_months"] = int(value)
    elif what in ("work", "tax"):
        term, given = ("work_required", percent) if what == "work" else ("tax_treatment", value)
        out["compute"] = [{**grant, term: given} for grant in out.get("compute") or []]
        return out
    else:
        return out
    out["assumptions"] = assumptions
    return out


class WhatIfSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"whatif:change"):
    """The what-if menu, on any message (``whatif:change``)."""

    def __init__(self, *, options: list[discord.SelectOption] | None = None, placeholder: str | None = None) -> None:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=CUSTOM_ID,
            placeholder=placeholder,
            options=options or [discord.SelectOption(label=c, value=c) for c in CHANGES],
        )
        super().__init__(select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> WhatIfSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: FourthPillar = interaction.client
        try:
            await change(bot, interaction)
        except Exception as error:
            from bot.tree import report_error  # noqa: PLC0415 - the tree imports the bot, which imports the views

            await report_error(bot, interaction, error)


def whatif_select(bot: FourthPillar, locale: str) -> WhatIfSelect:
    labels, placeholder = _words(bot.renderer, locale)
    options = [discord.SelectOption(label=label, value=c) for c, label in zip(CHANGES, labels, strict=True)]
    return WhatIfSelect(options=options, placeholder=placeholder)


@functools.lru_cache(maxsize=128)  # per renderer (one per process) and locale (Discord has a few dozen)
def _words(renderer: Renderer, locale: str) -> tuple[tuple[str, ...], str]:
    """The menu's option labels and placeholder: the same words under every breakdown, rendered once per locale."""

    def word(key: str) -> str:
        return renderer.text("whatif/text", locale=locale, key=key).strip()

    return tuple(word(c)[:100] for c in CHANGES), word("placeholder")[:150]


def offers_whatif(data: dict[str, Any]) -> bool:
    """The menu changes compute terms and assumptions: it is offered under breakdowns of offers with compute."""
    return bool(data.get("compute"))


async def change(bot: FourthPillar, interaction: discord.Interaction) -> None:
    interaction.extras[STARTED] = time.monotonic()
    bot.track(interaction)
    locale = interaction.locale.value
    if not bot.accepting:
        await notice(interaction, bot.renderer.text("ui/shutting_down", locale=locale))
        return
    key = origin_of(interaction)
    state = bot.button_store.get(key)
    if state is None:
        log.info("what-if refused: expired")
        await notice(interaction, bot.renderer.text("ui/expired", locale=locale))
        return
    if interaction.user.id != state.owner_id:
        log.info("what-if refused: not the owner")
        await notice(interaction, bot.renderer.text("ui/not_yours", locale=locale))
        return
    data: Any = interaction.data or {}
    choice = next(iter(data.get("values") or []), "")
    if choice not in CHANGES:
        return  # Discord sends only the options offered; anything else is not ours to answer
    changed = dataclasses.replace(state, offer_json=offer_json(applied(json.loads(state.offer_json), choice)))

    def render() -> list[MessagePart]:
        offer, valuation = recompute(bot.registry, changed)
        advice = None if bot.advise is None else bot.advise(offer, valuation, bot.registry)
        return bot.renderer.breakdown_discord(valuation, locale=state.locale, advice=advice)

    first, *rest = await asyncio.to_thread(render)
    bot.button_store.put(key, changed)
    message = interaction.message
    assert message is not None
    view = detached(discord.ui.View.from_message(message, timeout=None))
    # The chart drew the figures before the change: it goes rather than show stale ones.
    await interaction.response.edit_message(**message_kwargs(first), view=view, attachments=[])
    for part in rest:
        await interaction.followup.send(ephemeral=message.flags.ephemeral, **message_kwargs(part))
    log_answered(log, "what-if", interaction)


async def setup(bot: FourthPillar) -> None:
    bot.add_dynamic_items(WhatIfSelect)
