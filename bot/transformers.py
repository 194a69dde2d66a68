"""Parse option values at the edge: money and shares in the forms people type."""

from __future__ import annotations

from decimal import Decimal

import discord
from discord import app_commands

from bot.errors import InputError
from valuation import OfferError
from valuation.parsing import ParseError, parse_amount, parse_share

MAX_OPTION_LENGTH = 40


class MoneyTransformer(app_commands.Transformer):
    """``180k``, ``$1.2M``, ``95,000`` → Decimal; anything else → the templated error naming the option.
    One subclass per option, so the error can name it."""

    option = "amount"

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return MAX_OPTION_LENGTH

    async def transform(self, interaction: discord.Interaction, value: str) -> Decimal:
        try:
            return parse_amount(value)
        except ParseError as exc:
            raise InputError(OfferError.single(self.option, value, exc.reason, '"180k"', exc.limit)) from None


class ShareTransformer(MoneyTransformer):
    """``60%`` → Decimal 0.6."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Decimal:
        try:
            return parse_share(value)
        except ParseError as exc:
            raise InputError(OfferError.single(self.option, value, exc.reason, '"60%"', exc.limit)) from None


class AmountOrShareTransformer(MoneyTransformer):
    """A bonus: ``15%`` of base or an amount like ``25k``; returned as the text the offer model parses."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:  # type: ignore[override]
        text = value.strip()
        try:
            if text.endswith("%"):
                parse_share(text)
            else:
                parse_amount(text)
        except ParseError as exc:
            raise InputError(OfferError.single(self.option, value, exc.reason, '"15%" or "25k"', exc.limit)) from None
        return text


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
