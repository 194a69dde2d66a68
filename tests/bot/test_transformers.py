"""Option transformers: money, shares and bonuses in the forms people type, and templated refusals."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.errors import InputError
from bot.transformers import BaseSalary, Bonus, MoneyTransformer, UsdRate, WorkRequired
from prompts import Renderer
from valuation import Reason

# The transformers ignore the interaction; a bare object stands in for it.
NO_INTERACTION: Any = object()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("180k", "180k"), ("$1.2M", "$1.2M"), ("95,000", "95,000"), (" 72500 ", "72500"), ("€95k", "€95k")],
)
async def test_money_accepts_the_forms_people_type_and_keeps_them(typed: str, expected: str) -> None:
    """``180k``, ``$1.2M`` and ``95,000`` are accepted and passed on as typed (trimmed): the currency mark reaches
    the offer, which checks it against the offer's currency (the mark used to be dropped here)."""
    assert await BaseSalary().transform(NO_INTERACTION, typed) == expected


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["lots", "12 apples", "-5k", "1e9999", "$", "180k!"])
async def test_money_refuses_garbage_naming_the_option_and_an_example(typed: str) -> None:
    """Garbage raises an InputError whose problem names the option, echoes the value and gives an example."""
    with pytest.raises(InputError) as caught:
        await BaseSalary().transform(NO_INTERACTION, typed)
    problem = caught.value.error.first
    assert problem.field == "base"
    assert problem.value == typed
    assert "180k" in problem.example


@pytest.mark.asyncio
async def test_refused_values_are_shortened() -> None:
    """A long paste is echoed shortened, never whole."""
    with pytest.raises(InputError) as caught:
        await BaseSalary().transform(NO_INTERACTION, "x" * 500)
    assert len(caught.value.error.first.value) <= 80


@pytest.mark.asyncio
async def test_share_accepts_percentages() -> None:
    """``60%`` passes as "60%" (the offer reads it as 0.6); ``150%`` is refused as over 100%; ``0.6`` is refused
    with both of its readings (0.6 % or 60 %), not as "a bare number above 1"."""
    assert await WorkRequired().transform(NO_INTERACTION, "60%") == "60%"
    with pytest.raises(InputError) as caught:
        await WorkRequired().transform(NO_INTERACTION, "150%")
    assert caught.value.error.first.field == "work_required"
    with pytest.raises(InputError) as bare:
        await WorkRequired().transform(NO_INTERACTION, "0.6")
    problem = bare.value.error.first
    assert (problem.reason, problem.limit) == (Reason.SHARE_WITHOUT_PERCENT, "60")
    line = Renderer().error_text(bare.value.error)
    assert "could mean 0.6% or 60%" in line and "above 1" not in line


@pytest.mark.asyncio
async def test_usd_rate_is_a_positive_rate() -> None:
    """``usd_rate: 0.92`` passes; ``0`` is refused naming the option."""
    assert await UsdRate().transform(NO_INTERACTION, "0.92") == "0.92"
    with pytest.raises(InputError) as caught:
        await UsdRate().transform(NO_INTERACTION, "0")
    assert (caught.value.error.first.field, caught.value.error.first.reason) == ("usd_rate", Reason.ZERO)


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["15%", "25k", "$30,000"])
async def test_bonus_accepts_a_share_or_an_amount_as_text(typed: str) -> None:
    """A bonus stays text (the offer model tells share from amount) once it is known to parse."""
    assert await Bonus().transform(NO_INTERACTION, typed) == typed


@pytest.mark.asyncio
async def test_bonus_refuses_garbage() -> None:
    """A bonus that is neither a share nor an amount is refused, naming ``bonus``."""
    with pytest.raises(InputError) as caught:
        await Bonus().transform(NO_INTERACTION, "generous")
    assert caught.value.error.first.field == "bonus"
    assert caught.value.error.first.reason in {Reason.NOT_AN_AMOUNT, Reason.NOT_A_SHARE}


def test_money_options_are_strings_with_a_length_cap() -> None:
    """Money options reach Discord as strings capped at 40 characters."""
    transformer = MoneyTransformer()
    assert transformer.type is discord.AppCommandOptionType.string
    assert transformer.max_value == 40
