"""Comparing offers, and converting tokens or GPU-hours to dollars and back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from valuation import (
    OfferError,
    Reason,
    Valuation,
    build_offer,
    compare,
    compare_offers,
    convert,
    default_registry,
    value_offer,
)
from valuation.registry import Range
from valuation.suggest import nearest_ids
from valuation.tokens import MAX_GPU_HOURS

REGISTRY = default_registry()


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


def test_compare_refuses_a_currency_it_cannot_convert() -> None:
    """A EUR offer without a usd_rate can't be set against a USD one: refused on its usd_rate, naming the offer
    apart from the field (the name is never split into path parts)."""
    # Its own rate is given: without usd_rate its pay can't reach the US schedules to estimate one.
    euros = valued("90k", currency="EUR", assumptions={"tenure_months": 24, "marginal_tax_rate": "40%"})
    with pytest.raises(OfferError) as caught:
        compare([("us.toml", valued("100k")), ("tmp/ux/04-euro.toml", euros)])
    first = caught.value.first
    assert (first.source, first.field, first.value, first.reason, first.limit) == (
        "tmp/ux/04-euro.toml",
        "assumptions.usd_rate",
        "EUR",
        Reason.CURRENCY_MISMATCH,
        "USD",
    )


def test_compare_converts_with_the_usd_rate_the_offer_already_has() -> None:
    """A EUR offer with usd_rate 0.8 beside a USD one: €80,000 a year is 80,000 / 0.8 = $100,000, the same as the
    USD offer's 100k, so the differences are 0 (it used to ask for a usd_rate the file already had)."""
    euros = valued("80k", currency="EUR", assumptions={"tenure_months": 24, "usd_rate": "0.8"})
    comparison = compare([("us", valued("100k")), ("eu", euros)])
    eu = comparison.offers[1]
    assert comparison.currency == "USD" and eu.currency == "EUR" and eu.multiplier == Decimal("1.25")
    assert eu.cash_equivalent_tc_years[0] == Decimal(100000)
    assert (eu.difference_year1, eu.difference_horizon) == (Decimal(0), Decimal(0))


def test_compare_needs_two_offers() -> None:
    """A single offer is refused as too few, not as "too many entries (1; at most 2)"."""
    with pytest.raises(OfferError) as caught:
        compare([("only", valued("100k"))])
    assert (caught.value.first.reason, caught.value.first.value) == (Reason.TOO_FEW, "1")
    with pytest.raises(OfferError) as again:
        compare_offers([("only", build_offer({"salary": {"base": "1k"}}, REGISTRY))], REGISTRY)
    assert again.value.first.reason is Reason.TOO_FEW


def test_compare_refuses_valuations_over_different_months() -> None:
    """Totals over 24 and 36 months are never subtracted: compare() refuses them."""
    longer = value_offer(build_offer({"salary": {"base": "100k"}, "assumptions": {"tenure_months": 36}}, REGISTRY))
    with pytest.raises(OfferError) as caught:
        compare([("a", valued("100k")), ("b", longer)])
    assert (caught.value.first.reason, caught.value.first.source) == (Reason.HORIZON_MISMATCH, "b")


def offer_over(base: str, months: int) -> Any:
    return build_offer({"salary": {"base": base}, "assumptions": {"tenure_months": months}}, REGISTRY)


def test_compare_offers_uses_the_shortest_horizon_and_says_so() -> None:
    """36 and 48 months: both are valued over 36. 100k vs 120k differ by 20,000 × 3 = 60,000 over 36 months (it
    used to set a 36-month total against a 48-month one)."""
    comparison = compare_offers([("a", offer_over("100k", 48)), ("b", offer_over("120k", 36))], REGISTRY)
    a, b = comparison.offers
    assert (comparison.horizon_months, comparison.horizon_basis) == (36, "shortest")
    assert (a.own_horizon_months, b.own_horizon_months) == (48, 36)
    assert (a.cash_equivalent_tc_horizon, b.cash_equivalent_tc_horizon) == (Decimal(300000), Decimal(360000))
    assert b.difference_horizon == Decimal(60000)


def test_compare_offers_over_the_months_asked_for() -> None:
    """months=12: 100k and 120k over one year differ by 20,000; the basis says the months were asked for."""
    comparison = compare_offers([("a", offer_over("100k", 48)), ("b", offer_over("120k", 36))], REGISTRY, months=12)
    assert (comparison.horizon_months, comparison.horizon_basis) == (12, "given")
    assert comparison.offers[1].difference_horizon == Decimal(20000)
    with pytest.raises(OfferError) as caught:
        compare_offers([("a", offer_over("1k", 4)), ("b", offer_over("1k", 4))], REGISTRY, months=0)
    assert caught.value.first.reason is Reason.OUT_OF_RANGE


def test_compare_offers_with_one_horizon_says_it_is_theirs() -> None:
    """Two 24-month offers are compared over 24 months, basis "same"."""
    comparison = compare_offers([("a", offer_over("1k", 24)), ("b", offer_over("2k", 24))], REGISTRY)
    assert (comparison.horizon_months, comparison.horizon_basis) == (24, "same")


def test_compare_leave_cost_at_month_12_or_the_horizon() -> None:
    """Cost to leave is read at month 12, or at the common horizon when it is shorter: a 48k RSU grant with a
    12-month cliff is all unvested at month 6, so leaving then costs 48,000."""
    short = build_offer(
        {
            "salary": {"base": "1k"},
            "equity": [{"kind": "rsu", "grant_value": "48k"}],
            "assumptions": {"tenure_months": 6},
        },
        REGISTRY,
    )
    comparison = compare_offers([("short", short), ("plain", offer_over("100k", 24))], REGISTRY)
    assert comparison.horizon_months == 6
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
        ("€500", "gpt-5", "amount", Reason.DOLLARS_ONLY),  # used to be read as $500
        ("100M", "h100", "amount", Reason.IMPLAUSIBLE_GPU_HOURS),
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


def test_a_million_gpu_hours_is_the_most_valued() -> None:
    """1,000,000 H100 hours is still valued (3,495,000 dollars at 3.495); one more hour is refused."""
    assert convert("1M", "h100", REGISTRY).dollars.base == Decimal(3_495_000)
    with pytest.raises(OfferError) as caught:
        convert(format(MAX_GPU_HOURS + 1, "f"), "h100", REGISTRY)
    assert (caught.value.first.limit, caught.value.first.example) == ("1000000", "h100")


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("gpt5", ["gpt-5", "gpt-5-mini", "gpt-5-nano"]),
        ("claude-sonnet", ["claude-sonnet-4.5", "claude-sonnet-5"]),  # both start with it, in registry order
        ("H100", ["h100", "h100-hyperscaler", "h100-specialty"]),
        ("opus", ["claude-opus-4.5", "claude-opus-4.6", "claude-opus-4.7"]),  # the first three that contain it
        ("zzz", []),
    ],
)
def test_misspelled_ids_get_the_nearest_ids(typed: str, nearest: list[str]) -> None:
    """Nearest ids: same letters and digits first, then spelled close; at most three."""
    assert nearest_ids(typed, [*REGISTRY.models, *REGISTRY.gpus]) == nearest


def test_unknown_resource_suggests_the_nearest_ids() -> None:
    """`tokens 1 gpt5` suggests gpt-5 and its siblings instead of a fixed example."""
    with pytest.raises(OfferError) as caught:
        convert("1", "gpt5", REGISTRY)
    assert caught.value.first.example == '"gpt-5" or "gpt-5-mini" or "gpt-5-nano"'


def test_unknown_model_in_an_offer_suggests_the_nearest_ids() -> None:
    """An offer naming model "claude-sonnet" is refused with the ids that start with it as the example."""
    with pytest.raises(OfferError) as caught:
        build_offer({"salary": {"base": "1k"}, "compute": [{"tokens": "1M", "model": "claude-sonnet"}]}, REGISTRY)
    assert caught.value.first.example == '"claude-sonnet-4.5" or "claude-sonnet-5"'


def test_conversion_carries_the_registry_entrys_employer_cost_ratio() -> None:
    """GPU text takes the employer-cost range from the registry (50–70% for h100), not a fixed 40–70%."""
    gpu = convert("10", "h100", REGISTRY)
    assert gpu.employer_cost_ratio == REGISTRY.gpus["h100"].employer_cost_ratio
    assert (gpu.employer_cost_ratio.low, gpu.employer_cost_ratio.high) == (Decimal("0.50"), Decimal("0.70"))
    assert convert("1M", "gpt-5", REGISTRY).input_share == REGISTRY.models["gpt-5"].input_share
