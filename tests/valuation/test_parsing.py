"""Parsing of the forms people write amounts, shares and counts in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from valuation import OfferError, build_offer, default_registry
from valuation.errors import Reason
from valuation.parsing import (
    MAX_AMOUNT,
    ParseError,
    currency_mark,
    parse_amount,
    parse_amount_or_share,
    parse_count,
    parse_share,
)
from valuation.registry import Registry

REGISTRY: Registry = default_registry()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("180k", "180000"),
        ("180K", "180000"),
        ("$1.2M", "1200000"),
        ("1.2mm", "1200000"),
        ("95,000", "95000"),
        ("1,234,567.89", "1234567.89"),
        (180000, "180000"),
        (180000.5, "180000.5"),
        (0.1, "0.1"),
        ("€50k", "50000"),
        ("50k€", "50000"),
        ("  £ 7 ", "7"),
        ("1_000", "1000"),
        ("2.5 k", "2500"),
        (".5k", "500"),
        ("1bn", "1000000000"),
        (Decimal("12.34"), "12.34"),
        (0, "0"),
    ],
)
def test_amounts_in_every_written_form(written: object, expected: str) -> None:
    """Integers, floats, suffixes (k, M, mm, bn), grouping commas and currency marks all parse to the exact amount."""
    assert parse_amount(written) == Decimal(expected)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("-5k", Reason.NEGATIVE),
        (-1, Reason.NEGATIVE),
        ("-$1", Reason.NEGATIVE),
        ("1,000,000,001", Reason.TOO_LARGE),
        ("1.5B", Reason.TOO_LARGE),
        (10**12, Reason.TOO_LARGE),
        ("abc", Reason.NOT_AN_AMOUNT),
        ("", Reason.NOT_AN_AMOUNT),
        ("1e5", Reason.NOT_AN_AMOUNT),
        ("1,00", Reason.NOT_AN_AMOUNT),
        ("12.3.4", Reason.NOT_AN_AMOUNT),
        ("$-5", Reason.NOT_AN_AMOUNT),
        (True, Reason.NOT_AN_AMOUNT),
        (None, Reason.NOT_AN_AMOUNT),
        (float("nan"), Reason.NOT_AN_AMOUNT),
        (float("inf"), Reason.NOT_AN_AMOUNT),
        (Decimal("NaN"), Reason.NOT_AN_AMOUNT),
        ([1], Reason.NOT_AN_AMOUNT),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(written: object, reason: Reason) -> None:
    """Negative, over-limit and unreadable amounts raise ParseError carrying the reason."""
    with pytest.raises(ParseError) as caught:
        parse_amount(written)
    assert caught.value.reason is reason


def test_over_limit_carries_the_limit_and_zero_can_be_refused() -> None:
    """An amount past one billion names the limit; a field that must be positive refuses zero."""
    with pytest.raises(ParseError) as caught:
        parse_amount("2B")
    assert caught.value.limit == str(MAX_AMOUNT)
    assert parse_amount(MAX_AMOUNT) == MAX_AMOUNT
    with pytest.raises(ParseError) as zero:
        parse_amount("0", allow_zero=False)
    assert zero.value.reason is Reason.ZERO


@pytest.mark.parametrize(
    ("written", "expected"),
    [("15%", "0.15"), ("15 %", "0.15"), (0.15, "0.15"), ("0%", "0"), ("100%", "1"), (1, "1"), ("12.5%", "0.125")],
)
def test_shares(written: object, expected: str) -> None:
    """A share is "15%" or the fraction 0.15."""
    assert parse_share(written) == Decimal(expected)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("130%", Reason.SHARE_OVER_100),
        (15, Reason.SHARE_WITHOUT_PERCENT),  # 15 could mean 15% or 1,500%
        ("15", Reason.SHARE_WITHOUT_PERCENT),
        ("0.6", Reason.SHARE_WITHOUT_PERCENT),  # 0.6% or 60%?
        (1.3, Reason.SHARE_WITHOUT_PERCENT),
        ("lots", Reason.NOT_A_SHARE),
        ("-5%", Reason.NEGATIVE),
        (-0.1, Reason.NEGATIVE),
        ("abc%", Reason.NOT_A_SHARE),
        ("nan%", Reason.NOT_A_SHARE),
        ("1e3%", Reason.NOT_A_SHARE),
        ("1e999999999%", Reason.NOT_A_SHARE),
        (None, Reason.NOT_A_SHARE),
    ],
)
def test_bad_shares_are_refused(written: object, reason: Reason) -> None:
    """Shares over 100%, bare numbers above 1, negatives and exponents are refused with their reason."""
    with pytest.raises(ParseError) as caught:
        parse_share(written)
    assert caught.value.reason is reason


def test_huge_exponent_share_is_an_offer_error_not_an_overflow() -> None:
    """A bonus of "1e999999999%" used to overflow the decimal context; it is now refused like any bad share."""
    with pytest.raises(OfferError) as caught:
        build_offer({"salary": {"base": "100k"}, "bonus": {"target": "1e999999999%"}}, default_registry())
    assert caught.value.first.field == "bonus.target" and caught.value.first.reason is Reason.NOT_A_SHARE


def test_amount_or_share_tags_shares() -> None:
    """A bonus target ending in % is a tagged share of base; anything else is an amount."""
    assert parse_amount_or_share("15%") == ("share", Decimal("0.15"))
    assert parse_amount_or_share("25k") == Decimal(25000)
    assert parse_amount_or_share(0.15) == Decimal("0.15")  # a bare fraction is an amount, not a share


@pytest.mark.parametrize(
    ("written", "expected"),
    [("100M", "100000000"), ("2.5B", "2500000000"), ("1,500", "1500"), (1500, "1500"), ("3t", "3000000000000")],
)
def test_counts(written: Any, expected: str) -> None:
    """Token and GPU-hour counts accept suffixes and grouping."""
    assert parse_count(written) == Decimal(expected)


@pytest.mark.parametrize(
    ("written", "reason"),
    [("0", Reason.ZERO), ("-1M", Reason.NEGATIVE), ("2000t", Reason.TOO_LARGE), ("many", Reason.NOT_A_COUNT)],
)
def test_bad_counts(written: str, reason: Reason) -> None:
    """Zero, negative, over 10^15 and unreadable counts are refused."""
    with pytest.raises(ParseError) as caught:
        parse_count(written)
    assert caught.value.reason is reason


@pytest.mark.parametrize(("written", "other_reading"), [("0.6", "60"), ("15", "1500"), (15, "1500"), ("1", "100")])
def test_a_share_without_a_percent_sign_carries_its_other_reading(written: object, other_reading: str) -> None:
    """ "0.6" could be 0.6 % or 60 %, 15 could be 15 % or 1,500 %: the refusal carries the ×100 reading for the
    message (the old message called 0.6 "a bare number above 1")."""
    with pytest.raises(ParseError) as caught:
        parse_share(written)
    assert (caught.value.reason, caught.value.limit) == (Reason.SHARE_WITHOUT_PERCENT, other_reading)


def test_a_bare_zero_is_zero_either_way() -> None:
    """ "0" is 0 % whichever way it is read, so it is accepted."""
    assert parse_share("0") == Decimal(0)


@pytest.mark.parametrize(
    ("written", "mark"),
    [("$50k", "$"), ("US$50k", "US$"), ("€95,000", "€"), ("95,000€", "€"), ("-£1", "£"), ("¥7.5M", "¥"), ("50k", None)],
)
def test_currency_mark_reports_the_mark_written(written: str, mark: str | None) -> None:
    """The parser reports which mark an amount carries (longest first: "US$" is not "$")."""
    assert currency_mark(written) == mark
    assert parse_amount("US$50k") == Decimal(50000)


def offer(currency: str, base: object, **extra: Any) -> Any:
    return build_offer({"currency": currency, "salary": {"base": base}, **extra}, REGISTRY)


def test_dollar_amounts_in_a_yen_offer_are_converted_with_usd_rate() -> None:
    """JPY offer, usd_rate 150: "$50k" of credits is 50,000 × 150 = ¥7,500,000 (it used to become ¥50,000)."""
    built = offer("JPY", "15M", compute=[{"amount": "$50k"}], assumptions={"usd_rate": "150"})
    assert built.compute[0].amount == Decimal(7_500_000)
    assert built.salary.base == Decimal(15_000_000)


def test_a_dollar_mark_without_usd_rate_is_refused_naming_the_field() -> None:
    """A JPY offer with "$150k" base and no usd_rate can't be converted: refused on salary.base."""
    with pytest.raises(OfferError) as caught:
        offer("JPY", "$150k")
    problem = caught.value.first
    assert (problem.field, problem.value, problem.reason, problem.limit) == (
        "salary.base",
        "$150k",
        Reason.DOLLARS_NEED_USD_RATE,
        "JPY",
    )


@pytest.mark.parametrize(
    ("currency", "written", "field", "suggested"),
    [
        ("USD", "€95,000", "salary.base", 'currency = "EUR"'),
        ("EUR", "£5k", "sign_on.amount", 'currency = "GBP"'),
        ("GBP", "¥1M", "quoted_tc", 'currency = "JPY"'),
    ],
)
def test_a_mark_of_another_currency_is_refused(currency: str, written: str, field: str, suggested: str) -> None:
    """ "€95,000" in a USD offer (it used to be read as $95,000) and other foreign marks are refused, naming the
    field and the currency the mark stands for."""
    extra: dict[str, Any] = {"sign_on": {"amount": written}} if field == "sign_on.amount" else {}
    if field == "quoted_tc":
        extra = {"quoted_tc": written}
    base = written if field == "salary.base" else "90k"
    with pytest.raises(OfferError) as caught:
        offer(currency, base, **extra)
    problem = caught.value.first
    assert (problem.field, problem.value, problem.reason, problem.limit, problem.example) == (
        field,
        written,
        Reason.MARK_MISMATCH,
        currency,
        suggested,
    )


@pytest.mark.parametrize(
    ("currency", "written"), [("CAD", "$120k"), ("EUR", "€95,000"), ("USD", "US$1"), ("CNY", "¥1")]
)
def test_an_offers_own_mark_is_read_as_written(currency: str, written: str) -> None:
    """ "$" is the local dollar in a CAD offer, "€" in a EUR offer, "¥" in yuan: no conversion."""
    assert offer(currency, written).salary.base == parse_amount(written)


def test_us_dollars_in_a_canadian_offer_convert() -> None:
    """ "US$100k" in a CAD offer with usd_rate 1.4 is 140,000 Canadian dollars."""
    built = offer("CAD", "US$100k", assumptions={"usd_rate": "1.4"})
    assert built.salary.base == Decimal(140_000)


@pytest.mark.parametrize("rate", ["0.92", "2", "$1.10"])
def test_a_usd_offer_refuses_a_usd_rate_other_than_one(rate: str) -> None:
    """A USD offer's rate is 1: usd_rate 0.92 or 2 would scale every registry price, so it is refused."""
    with pytest.raises(OfferError) as caught:
        offer("USD", "180k", assumptions={"usd_rate": rate})
    problem = caught.value.first
    assert problem.field == "assumptions.usd_rate"
    assert problem.reason is Reason.USD_RATE_IN_USD_OFFER
    assert offer("USD", "180k", assumptions={"usd_rate": "1"}).assumptions.usd_rate == Decimal(1)


def test_a_foreign_mark_on_usd_rate_is_refused() -> None:
    """usd_rate is offer-currency units per dollar: "¥150" in a JPY offer is fine, "$150" is not."""
    assert offer("JPY", "15M", assumptions={"usd_rate": "¥150"}).assumptions.usd_rate == Decimal(150)
    with pytest.raises(OfferError) as caught:
        offer("JPY", "15M", assumptions={"usd_rate": "$150"})
    assert (caught.value.first.field, caught.value.first.reason) == ("assumptions.usd_rate", Reason.MARK_MISMATCH)


@pytest.mark.parametrize(
    ("grant", "field", "value"),
    [
        # 100,000,000 > 10 × 180,000 = 1,800,000
        ({"amount": "100M"}, "compute[0].amount", "100000000"),
        # monthly 160k: 12 × 160,000 = 1,920,000 > 1,800,000
        ({"amount": "160k", "cadence": "monthly"}, "compute[0].amount", "160000"),
        # 1,000,000 H100 hours at the base price 3.495 = 3,495,000 > 1,800,000
        ({"gpu_hours": "1M", "gpu": "h100"}, "compute[0].gpu_hours", "1000000"),
        # 1T gpt-5 tokens at the blended base 1.25×0.75 + 10×0.25 = 3.4375 per million = 3,437,500
        ({"tokens": "1T", "model": "gpt-5"}, "compute[0].tokens", "1000000000000"),
    ],
)
def test_compute_above_ten_times_base_is_refused_as_implausible(grant: dict[str, Any], field: str, value: str) -> None:
    """A grant listing above 10× base a year (180k → 1.8M) is refused, naming the field and the limit; credits of
    "100M" used to be valued as $100,000,000."""
    with pytest.raises(OfferError) as caught:
        offer("USD", "180k", compute=[grant])
    problem = caught.value.first
    assert (problem.field, problem.value, problem.reason, problem.limit, problem.currency) == (
        field,
        value,
        Reason.IMPLAUSIBLE_CREDITS,
        "1800000",
        "USD",
    )


def test_compute_at_ten_times_base_is_still_valued() -> None:
    """Exactly 10× base (1.8M a year on 180k) is the limit, not past it; 150k a month (1.8M a year) too."""
    assert offer("USD", "180k", compute=[{"amount": "1.8M"}]).compute[0].amount == Decimal(1_800_000)
    assert offer("USD", "180k", compute=[{"amount": "150k", "cadence": "monthly"}]).compute


def test_the_too_large_limit_scales_with_small_currency_units() -> None:
    """A ₩1.5B RSU grant (about a million dollars) is a real offer; the billion limit is a billion US dollars'
    worth, so KRW's is 10,000 × 10^9. The same 1.5B in a USD offer is still refused."""
    grant = {"kind": "rsu", "grant_value": "1.5B"}
    assert offer("KRW", "120M", equity=[grant]).equity[0].grant_value == Decimal(1_500_000_000)
    with pytest.raises(OfferError) as caught:
        offer("USD", "180k", equity=[grant])
    assert (caught.value.first.reason, caught.value.first.limit) == (Reason.TOO_LARGE, "1000000000")
