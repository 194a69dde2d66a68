"""``/offer evaluate``: options (and an optional offer file) → valuation → private breakdown with buttons."""

from __future__ import annotations

import asyncio
import logging
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import InputError, NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of, resource_choices
from bot.messages import in_server, reply
from bot.offer_input import EvaluateOptions, offer_data
from bot.transformers import BaseSalary, Bonus, EquityGrant, QuotedTc, SignOn, WorkRequired
from bot.views import ResultView
from prompts.commands import CHOICES, COMMANDS, OPTIONS
from valuation import MAX_OFFER_BYTES, OfferError, Valuation, build_offer, parse_offer_data, value_offer

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.offer")


def _choices(name: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=label, value=value) for value, label in CHOICES[name].items()]


def _evaluate_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown:
    settings = interaction.client.settings  # type: ignore[attr-defined]
    return app_commands.Cooldown(settings.evaluate_cooldown_uses, settings.evaluate_cooldown_seconds)


Text = app_commands.Range[str, 1, 100]


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
    )
    @app_commands.checks.dynamic_cooldown(_evaluate_cooldown, key=lambda i: i.user.id)
    async def evaluate(
        self,
        interaction: discord.Interaction,
        base: app_commands.Transform[Decimal, BaseSalary] | None = None,
        bonus: app_commands.Transform[str, Bonus] | None = None,
        sign_on: app_commands.Transform[Decimal, SignOn] | None = None,
        equity: app_commands.Transform[Decimal, EquityGrant] | None = None,
        equity_years: app_commands.Range[int, 1, 10] | None = None,
        credits: app_commands.Range[str, 1, 40] | None = None,
        model: app_commands.Range[str, 1, 64] | None = None,
        credits_cadence: str | None = None,
        on_departure: str | None = None,
        work_required: app_commands.Transform[Decimal, WorkRequired] | None = None,
        personal_use: bool | None = None,
        tax_treatment: str | None = None,
        expiry_months: app_commands.Range[int, 0, 120] | None = None,
        employer: Text | None = None,
        quoted_tc: app_commands.Transform[Decimal, QuotedTc] | None = None,
        offer_file: discord.Attachment | None = None,
    ) -> None:
        started = time.perf_counter()
        private = in_server(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        file_data: dict[str, Any] | None = None
        if offer_file is not None:
            if offer_file.size > MAX_OFFER_BYTES:
                raise NoticeError(
                    "attachment_too_large", size_kb=-(-offer_file.size // 1024), limit_kb=MAX_OFFER_BYTES // 1024
                )
            raw = await offer_file.read()
            file_data = await asyncio.to_thread(_parse_file, raw)
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
            work_required=work_required,
            personal_use=personal_use,
            tax_treatment=tax_treatment,
            expiry_months=expiry_months,
            employer=employer,
            quoted_tc=quoted_tc,
        )
        locale = locale_of(interaction)
        valuation, parts = await asyncio.to_thread(self._value_and_render, options, file_data, locale)
        view = ResultView(
            owner_id=interaction.user.id,
            renderer=self.bot.renderer,
            valuation=valuation,
            locale=locale,
            share_allowed=self.bot.share_allowed(interaction),
        )
        await reply(interaction, parts, ephemeral=private, view=view)
        log.info("offer evaluate answered in %.0f ms", (time.perf_counter() - started) * 1000)

    @evaluate.autocomplete("model")
    async def model_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return resource_choices(self.bot.registry, current)

    def _value_and_render(
        self, options: EvaluateOptions, file_data: dict[str, Any] | None, locale: str
    ) -> tuple[Valuation, list[Any]]:
        """CPU work, run in a thread: validate, value, render."""
        registry = self.bot.registry
        try:
            offer = build_offer(offer_data(options, registry, file_data), registry)
        except OfferError as exc:
            raise InputError(exc) from None
        valuation = value_offer(offer, registry, traces=True)
        return valuation, self.bot.renderer.breakdown_discord(valuation, locale=locale)


def _parse_file(raw: bytes) -> dict[str, Any]:
    try:
        return parse_offer_data(raw)
    except OfferError as exc:
        raise InputError(exc) from None


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(OfferGroup(bot))
