"""Option transformers: money, shares and bonuses in the forms people type, and templated refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import discord
import pytest

from bot.errors import InputError
from bot.transformers import BaseSalary, Bonus, MoneyTransformer, WorkRequired
from valuation import Reason

# The transformers ignore the interaction; a bare object stands in for it.
NO_INTERACTION: Any = object()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("typed", "expected"),
    [("180k", "180000"), ("$1.2M", "1200000.0"), ("95,000", "95000"), (" 72500 ", "72500"), ("1.5k", "1500.0")],
)
async def test_money_accepts_the_forms_people_type(typed: str, expected: str) -> None:
    """``180k``, ``$1.2M`` and ``95,000`` all parse to exact Decimals."""
    assert await BaseSalary().transform(NO_INTERACTION, typed) == Decimal(expected)


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
    """``60%`` is the share 0.6; ``150%`` is refused as over 100%."""
    assert await WorkRequired().transform(NO_INTERACTION, "60%") == Decimal("0.6")
    with pytest.raises(InputError) as caught:
        await WorkRequired().transform(NO_INTERACTION, "150%")
    assert caught.value.error.first.field == "work_required"


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
