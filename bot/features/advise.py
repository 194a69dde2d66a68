"""``/offer advise``: the advisor's strategy for an offer given as evaluate takes it (text, an offer file, the main
options — the /offer group must stay within Discord's 8,000 characters, so sign-on and equity come by text or file)
or by a saved name, optionally toward a ``target``: the email in a code block to copy, above the asks (see
:func:`bot.advice.advice_reply`).
Private wherever others read along.

With charts on, the strategy carries the *where the money is* chart: every ask closes part of the gap between what
the offer advertises and what it is worth to you, which is what that chart labels (the cost-to-leave chart answers
"what do I lose by going", a question for later); it is also the chart ``fourth-pillar advise --chart`` writes."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.advice import READ_AS_ROOM, advice_reply, email_file
from bot.breakdown import preferences_for
from bot.charts import MONEY_CHART_NAME, chart_or_note
from bot.cooldown import per_user_cooldown
from bot.errors import InputError, NoticeError
from bot.features.common import locale_of, resource_choices
from bot.features.offer import offer_cooldown, read_attachment
from bot.features.saved import _explain_missing, _guarded, _own_names
from bot.messages import answer_soon, answers_privately, reply
from bot.offer_input import EvaluateOptions, by_option_names, offer_data
from bot.reading import reading_data, with_read_as
from bot.transformers import BaseSalary, Bonus, MoneyTransformer
from charts import MoneyChart, money_chart
from prompts import MessagePart
from prompts.commands import COMMANDS, OPTIONS
from valuation import Layer, OfferError, build_offer, value_offer
from valuation.errors import Reason
from valuation.parsing import parse_amount
from valuation.reader import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from bot.app import FourthPillar


class Target(MoneyTransformer):
    option = "target"
    example = '"250k"'


def build_advise_command(bot: FourthPillar) -> app_commands.Command[Any, ..., Any]:
    @app_commands.command(name="advise", description=COMMANDS["offer advise"])
    @app_commands.describe(**OPTIONS["offer advise"])
    @app_commands.autocomplete(name=_own_names)
    @per_user_cooldown(offer_cooldown)
    async def advise(
        interaction: discord.Interaction,
        target: app_commands.Transform[str, Target] | None = None,
        target_horizon: bool | None = None,
        name: app_commands.Range[str, 1, 60] | None = None,
        text: app_commands.Range[str, 1, MAX_TEXT_CHARS] | None = None,
        offer_file: discord.Attachment | None = None,
        base: app_commands.Transform[str, BaseSalary] | None = None,
        bonus: app_commands.Transform[str, Bonus] | None = None,
        credits: app_commands.Range[str, 1, 40] | None = None,
        model: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        private = answers_privately(interaction)
        options = EvaluateOptions(base=base, bonus=bonus, credits=credits, model=model)
        user_id = interaction.user.id
        locale = locale_of(interaction)

        async def work() -> tuple[list[MessagePart], str | None, discord.File | None]:
            file_data: dict[str, Any] | None = None
            if name is not None:
                saved = await _guarded(bot.database.saved_offers.get(user_id, name))
                if saved is None:
                    await _explain_missing(bot, user_id)
                    raise NoticeError("offer_not_found", name=name)
                file_data = dict(saved.data)
            written = text
            if offer_file is not None:
                attached, attached_text = await read_attachment(offer_file)
                file_data = {**(file_data or {}), **(attached or {})}
                if attached_text is not None:
                    written = attached_text if text is None else f"{attached_text}\n{text}"
            preferences = await preferences_for(bot, interaction, private=private)
            parts, script, chart = await asyncio.to_thread(
                _advise_parts,
                bot,
                options,
                file_data,
                written,
                preferences.layers,
                locale,
                preferences.currency,
                target,
                bool(target_horizon),
                charts=preferences.charts,
            )
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
            return parts, script, image

        parts, script, image = await answer_soon(interaction, work(), ephemeral=private)
        await reply(interaction, parts, ephemeral=private, file=email_file(script), image=image)

    @advise.autocomplete("model")
    async def model_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return resource_choices(bot.registry, current)

    return advise


def _advise_parts(
    bot: FourthPillar,
    options: EvaluateOptions,
    file_data: dict[str, Any] | None,
    written: str | None,
    layers: Sequence[Layer],
    locale: str,
    default_currency: str | None,
    target: str | None,
    horizon: bool,
    *,
    charts: bool = False,
) -> tuple[list[MessagePart], str | None, MoneyChart | None]:
    """CPU work, run in a thread: read, validate, value, advise toward the target, render the email and the strategy
    pages (and the email as a file's text when a message cannot carry it whole), and with ``charts`` what the chart
    shows (drawn elsewhere). An offer given in no way at all is refused by naming the base."""
    registry = bot.registry
    reading = None
    if written is not None:
        text_data, reading = reading_data(written, registry)
        file_data = {**(file_data or {}), **text_data}
    if "base" not in (file_data or {}).get("salary", {}) and options.base is None:
        example = '"$185,000 base salary" in text, base: 185k, or name: a saved offer'
        raise InputError(OfferError.single("salary.base", "", Reason.MISSING, example))
    try:
        data = offer_data(options, registry, file_data)
        if default_currency is not None:
            data.setdefault("currency", default_currency)
        offer = build_offer(data, registry)
        valuation = value_offer(offer, registry, layers)
    except OfferError as exc:
        raise InputError(by_option_names(exc, options)) from None
    amount: Decimal | None = None if target is None else parse_amount(target)  # checked by the transformer
    advise: Any = bot.advise
    advice = advise(offer, valuation, registry, target=amount, target_kind="horizon" if horizon else "year1")
    parts, script = advice_reply(
        bot.renderer, advice, valuation, locale, reserve=0 if reading is None else READ_AS_ROOM
    )
    if reading is not None:
        parts = with_read_as(parts, reading, bot.renderer, locale)
    chart = money_chart(valuation, locale=locale, renderer=bot.renderer) if charts else None
    return parts, script, chart


async def setup(bot: FourthPillar) -> None:
    if bot.advise is None:  # an install without the advisor: nothing to advise with
        return
    group = bot.tree.get_command("offer")
    assert isinstance(group, app_commands.Group)
    group.add_command(build_advise_command(bot))
