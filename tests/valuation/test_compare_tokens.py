"""Comparing offers, and converting tokens or GPU-hours to dollars and back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from valuation import OfferError, Reason, Valuation, build_offer, compare, convert, default_registry, value_offer
from valuation.registry import Range


def valued(base: str, **extra: Any) -> Valuation:
    data = {"salary": {"base": base}, "assumptions": {"tenure_months": 24}, **extra}
    return value_offer(build_offer(data, default_registry()), traces=False)


def test_compare_differences_and_best() -> None:
    """Each offer is set against the first: 120k vs 100k differs by 20,000 a year and 40,000 over 24 months."""
    comparison = compare([("a", valued("100k")), ("b", valued("120k"))])
    a, b = comparison.offers
    assert (a.difference_year1, b.difference_year1, b.difference_horizon) == (
        Decimal(0),
        Decimal(20000),
        Decimal(40000),
    )
    assert comparison.best_year1 == comparison.best_horizon == "b"
    assert comparison.currency == "USD" and comparison.horizon_months == 24


def test_compare_ties_go_to_the_earlier_offer() -> None:
    """Equal offers: the first named wins, so the answer depends only on the order given."""
    comparison = compare([("first", valued("100k")), ("second", valued("100k"))])
    assert comparison.best_year1 == comparison.best_horizon == "first"


def test_compare_refuses_mixed_currencies() -> None:
    """Offers in different currencies are refused with a currency mismatch naming the second offer."""
    euros = valued("90k", currency="EUR")
    with pytest.raises(OfferError) as caught:
        compare([("us", valued("100k")), ("eu", euros)])
    first = caught.value.first
    assert (first.field, first.value, first.reason, first.example) == (
        "eu.currency",
        "EUR",
        Reason.CURRENCY_MISMATCH,
        "USD",
    )


def test_compare_needs_two_offers() -> None:
    """A single offer is refused."""
    with pytest.raises(OfferError):
        compare([("only", valued("100k"))])


def test_compare_leave_cost_at_month_12_or_the_horizon() -> None:
    """Cost to leave is read at month 12, or at the horizon when it is shorter."""
    short = value_offer(
        build_offer(
            {
                "salary": {"base": "1k"},
                "equity": [{"kind": "rsu", "grant_value": "48k"}],
                "assumptions": {"tenure_months": 6},
            },
            default_registry(),
        )
    )
    comparison = compare([("short", short), ("plain", valued("100k"))])
    assert comparison.offers[0].cost_to_leave_month12 == Decimal(48000)


def test_tokens_to_dollars_uses_the_blended_range() -> None:
    """100M Claude Sonnet 4.5 tokens: blends of 90/75/60% input give 3×0.9+15×0.1 = 4.20, 6.00 and 7.80 per
    million, so 420 / 600 / 780 dollars."""
    conversion = convert("100M", "claude-sonnet-4.5", default_registry())
    assert conversion.direction == "to_dollars" and conversion.unit == "tokens"
    assert conversion.units == Range.fixed(Decimal(100_000_000))
    assert conversion.dollars == Range(Decimal(420), Decimal(600), Decimal(780))
    assert conversion.source and conversion.resource_name == "Claude Sonnet 4.5"


def test_dollars_to_tokens_gives_the_most_tokens_at_the_lowest_price() -> None:
    """$600 of Claude Sonnet 4.5: 600 / 7.80, 600 / 6.00 and 600 / 4.20 million tokens (low to high)."""
    conversion = convert("$600", "claude-sonnet-4.5", default_registry())
    assert conversion.direction == "to_units" and conversion.dollars == Range.fixed(Decimal(600))
    assert conversion.units.base == Decimal(100_000_000)
    assert conversion.units.low < conversion.units.base < conversion.units.high
    assert conversion.units.high * Decimal("4.20") / 1_000_000 == Decimal(600)


def test_round_trip_through_both_directions() -> None:
    """Dollars to tokens and back at the base price returns the dollars."""
    registry = default_registry()
    tokens = convert("$500", "gpt-5", registry).units.base
    back = convert(format(tokens, "f"), "gpt-5", registry).dollars.base
    assert abs(back - 500) < Decimal("1e-20")


def test_gpu_hours_to_dollars() -> None:
    """2,000 H100 hours at the registry's 1.99 / 3.495 / 5.00 per hour."""
    conversion = convert("2,000", "h100", default_registry())
    assert conversion.unit == "gpu_hours"
    assert conversion.dollars == Range(Decimal("3980"), Decimal("6990"), Decimal("10000"))


@pytest.mark.parametrize(
    ("amount", "resource", "field", "reason"),
    [
        ("100M", "gpt-9", "model", Reason.UNKNOWN_MODEL),
        ("lots", "gpt-5", "amount", Reason.NOT_A_COUNT),
        ("$-5", "gpt-5", "amount", Reason.NOT_AN_AMOUNT),
        ("$0", "gpt-5", "amount", Reason.ZERO),
        ("0", "gpt-5", "amount", Reason.ZERO),
    ],
)
def test_conversion_refusals(amount: str, resource: str, field: str, reason: Reason) -> None:
    """Unknown resources and bad amounts are refused with OfferError."""
    with pytest.raises(OfferError) as caught:
        convert(amount, resource, default_registry())
    assert (caught.value.first.field, caught.value.first.reason) == (field, reason)
