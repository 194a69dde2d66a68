"""Parse option values at the edge: money and shares in the forms people type.

Each transformer checks that the value parses and hands on the text as typed, so the offer model reads it exactly
as it reads an offer file (a currency mark included: "€95k" is checked against the offer's currency, never
dropped)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.errors import InputError
from valuation import OfferError
from valuation.offer import MAX_RATE
from valuation.parsing import ParseError, parse_amount, parse_share

MAX_OPTION_LENGTH = 40


class MoneyTransformer(app_commands.Transformer):
    """``180k``, ``$1.2M``, ``95,000`` are returned as typed once they parse; anything else → the templated error
    naming the option. One subclass per option, so the error can name it."""

    option = "amount"
    example = '"180k"'

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return MAX_OPTION_LENGTH

    def check(self, text: str) -> None:
        parse_amount(text)

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        text = value.strip()
        try:
            self.check(text)
        except ParseError as exc:
            raise InputError(OfferError.single(self.option, value, exc.reason, self.example, exc.limit)) from None
        return text


class ShareTransformer(MoneyTransformer):
    """``60%`` is returned as typed: the offer file's share form, so it reaches the offer as 60 %."""

    example = '"60%"'

    def check(self, text: str) -> None:
        parse_share(text)


class AmountOrShareTransformer(MoneyTransformer):
    """A bonus: ``15%`` of base or an amount like ``25k``; returned as the text the offer model parses."""

    example = '"15%" or "25k"'

    def check(self, text: str) -> None:
        if text.endswith("%"):
            parse_share(text)
        else:
            parse_amount(text)


class RateTransformer(MoneyTransformer):
    """An exchange rate: offer-currency units per US dollar, e.g. ``0.92`` or ``150``."""

    example = '"0.92"'

    def check(self, text: str) -> None:
        parse_amount(text, allow_zero=False, maximum=MAX_RATE)


class BaseSalary(MoneyTransformer):
    option = "base"


class SignOn(MoneyTransformer):
    option = "sign_on"


class EquityGrant(MoneyTransformer):
    option = "equity"


class QuotedTc(MoneyTransformer):
    option = "quoted_tc"


class WorkRequired(ShareTransformer):
    option = "work_required"


class Bonus(AmountOrShareTransformer):
    option = "bonus"


class UsdRate(RateTransformer):
    option = "usd_rate"
