"""``/offer evaluate``: options (and an optional offer file) → valuation → private breakdown with buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.breakdown import BreakdownRequest, Source, answer_breakdown
from bot.cooldown import per_user_cooldown
from bot.errors import InputError, NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of, resource_choices
from bot.messages import answers_privately
from bot.offer_input import EvaluateOptions, by_option_names, offer_data
from bot.reading import decode_text, is_text_file, reading_data, with_read_as
from bot.transformers import BaseSalary, Bonus, EquityGrant, QuotedTc, SignOn, UsdRate, WorkRequired
from bot.views import offer_json
from charts import MoneyChart, money_chart
from prompts import MessagePart
from prompts.commands import CHOICES, COMMANDS, OPTIONS
from valuation import MAX_OFFER_BYTES, Layer, OfferError, build_offer, parse_offer_data, value_offer
from valuation.errors import Reason
from valuation.offer import CURRENCIES
from valuation.reader import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from bot.app import FourthPillar


def _choices(name: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=label, value=value) for value, label in CHOICES[name].items()]


def offer_cooldown(interaction: discord.Interaction) -> tuple[int, float]:
    """The per-person limit on each command that reads an offer (evaluate, save, compare): each parses and values
    what it is given, so one person sending them in a loop would otherwise take the bot from everyone else."""
    settings = interaction.client.settings  # type: ignore[attr-defined]
    return settings.evaluate_cooldown_uses, settings.evaluate_cooldown_seconds


Text = app_commands.Range[str, 1, 100]
DOWNLOAD_TIMEOUT_SECONDS = 20  # a stuck download must not hold the interaction for its 15 minutes


class OfferGroup(app_commands.Group):
    def __init__(self, bot: FourthPillar) -> None:
        super().__init__(
            name="offer", description=COMMANDS["offer"], allowed_contexts=EVERYWHERE, allowed_installs=ANY_INSTALL
        )
        self.bot = bot

    @app_commands.command(name="evaluate", description=COMMANDS["offer evaluate"])
    @app_commands.describe(**OPTIONS["offer evaluate"])
    @app_commands.choices(
        credits_cadence=_choices("credits_cadence"),
        on_departure=_choices("on_departure"),
        tax_treatment=_choices("tax_treatment"),
        currency=[app_commands.Choice(name=code, value=code) for code in sorted(CURRENCIES)],
    )
    @per_user_cooldown(offer_cooldown)
    async def evaluate(
        self,
        interaction: discord.Interaction,
        base: app_commands.Transform[str, BaseSalary] | None = None,
        bonus: app_commands.Transform[str, Bonus] | None = None,
        sign_on: app_commands.Transform[str, SignOn] | None = None,
        equity: app_commands.Transform[str, EquityGrant] | None = None,
        equity_years: app_commands.Range[int, 1, 10] | None = None,
        credits: app_commands.Range[str, 1, 40] | None = None,
        model: app_commands.Range[str, 1, 64] | None = None,
        credits_cadence: str | None = None,
        on_departure: str | None = None,
        tail_months: app_commands.Range[int, 1, 120] | None = None,
        work_required: app_commands.Transform[str, WorkRequired] | None = None,
        personal_use: bool | None = None,
        tax_treatment: str | None = None,
        expiry_months: app_commands.Range[int, 0, 120] | None = None,
        employer: Text | None = None,
        quoted_tc: app_commands.Transform[str, QuotedTc] | None = None,
        currency: str | None = None,
        usd_rate: app_commands.Transform[str, UsdRate] | None = None,
        offer_file: discord.Attachment | None = None,
        text: app_commands.Range[str, 1, MAX_TEXT_CHARS] | None = None,
    ) -> None:
        options = EvaluateOptions(
            base=base,
            bonus=bonus,
            sign_on=sign_on,
            equity=equity,
            equity_years=equity_years,
            credits=credits,
            model=model,
            credits_cadence=credits_cadence,
            on_departure=on_departure,
            tail_months=tail_months,
            work_required=work_required,
            personal_use=personal_use,
            tax_treatment=tax_treatment,
            expiry_months=expiry_months,
            employer=employer,
            quoted_tc=quoted_tc,
            currency=currency,
            usd_rate=usd_rate,
        )

        async def read() -> Source:
            if offer_file is None:
                return None, text
            file_data, written = await read_attachment(offer_file)
            if text is not None:  # with a .txt attachment, one text; with an offer file, the text overrides it
                written = text if written is None else f"{written}\n{text}"
            return file_data, written

        buttons: list[discord.ui.Item[Any]] = []
        if text is not None or (offer_file is not None and is_text_file(offer_file)):  # "Read as: …" opens it
            from bot.features.form import edit_button  # noqa: PLC0415 - the form values offers with this module

            buttons.append(edit_button(self.bot, locale_of(interaction)))
        request = BreakdownRequest(options, read=read, private=answers_privately(interaction), buttons=buttons)
        await answer_breakdown(self.bot, interaction, request)

    @evaluate.autocomplete("model")
    async def model_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return resource_choices(self.bot.registry, current)


def value_and_render(
    bot: FourthPillar,
    options: EvaluateOptions,
    file_data: dict[str, Any] | None,
    layers: Sequence[Layer],
    locale: str,
    default_currency: str | None = None,
    written: str | None = None,
    *,
    options_offered: bool = True,
    charts: bool = False,
) -> tuple[dict[str, Any], bytes, list[MessagePart], MoneyChart | None]:
    """CPU work, run in a thread: validate, value, advise ("Your ask" opens the breakdown), render. An offer that
    names no currency takes the person's (or the server's) default currency. Returns the offer's plain data, the
    same as JSON (for the buttons), the breakdown, and with ``charts`` what the chart shows (drawn elsewhere).
    ``options_offered``: the command has options beside the text
    (a refusal may suggest one)."""
    registry = bot.registry
    reading = None
    if written is not None:  # the offer as written stands in for a file; options still override it
        text_data, reading = reading_data(written, registry)
        file_data = {**(file_data or {}), **text_data}
    if reading is not None and "base" not in (file_data or {}).get("salary", {}) and options.base is None:
        example = '"$185,000 base salary" in the text' + (", or base: 185k" if options_offered else "")
        raise InputError(OfferError.single("salary.base", "", Reason.MISSING, example))
    try:
        data = offer_data(options, registry, file_data)
        if default_currency is not None:
            data.setdefault("currency", default_currency)
        offer = build_offer(data, registry)
        # Valuing can refuse too: a tax rate that no schedule can estimate (e.g. pay in euros taxed in the US).
        valuation = value_offer(offer, registry, layers, traces=True)
    except OfferError as exc:
        raise InputError(by_option_names(exc, options)) from None
    advice = None if bot.advise is None else bot.advise(offer, valuation, registry)
    parts = bot.renderer.breakdown_discord(valuation, locale=locale, advice=advice)
    if reading is not None:
        parts = with_read_as(parts, reading, bot.renderer, locale)
    chart = money_chart(valuation, locale=locale, renderer=bot.renderer) if charts else None
    return data, offer_json(data), parts, chart


async def read_attachment(attachment: discord.Attachment) -> tuple[dict[str, Any] | None, str | None]:
    """An offer file's data, or a .txt attachment's text (the offer as written)."""
    raw = await _download(attachment)
    if is_text_file(attachment):
        return None, decode_text(raw)
    return await asyncio.to_thread(_parse_file, raw), None


async def read_offer_file(attachment: discord.Attachment) -> dict[str, Any]:
    """The attachment's size is checked before anything is downloaded."""
    return await asyncio.to_thread(_parse_file, await _download(attachment))


async def _download(attachment: discord.Attachment) -> bytes:
    if not isinstance(attachment, discord.Attachment):  # a hand-made payload naming a file it does not carry
        raise NoticeError("malformed_options")
    if attachment.size > MAX_OFFER_BYTES:
        raise _too_large(attachment.size)
    async with asyncio.timeout(DOWNLOAD_TIMEOUT_SECONDS):
        raw = await attachment.read()
    if len(raw) > MAX_OFFER_BYTES:  # the size Discord announced was wrong
        raise _too_large(len(raw))
    return raw


def _too_large(size: int) -> NoticeError:
    kilobytes_rounded_up = -(-size // 1024)
    return NoticeError("attachment_too_large", size_kb=kilobytes_rounded_up, limit_kb=MAX_OFFER_BYTES // 1024)


def _parse_file(raw: bytes) -> dict[str, Any]:
    try:
        return parse_offer_data(raw)
    except OfferError as exc:
        raise InputError(exc) from None


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(OfferGroup(bot))
