"""Parsing of the forms people write amounts, shares and counts in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from valuation import OfferError, build_offer, default_registry
from valuation.errors import Reason
from valuation.parsing import MAX_AMOUNT, ParseError, parse_amount, parse_amount_or_share, parse_count, parse_share


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
        (15, Reason.NOT_A_SHARE),  # 15 could mean 15% or 1,500%
        ("15", Reason.NOT_A_SHARE),
        (1.3, Reason.NOT_A_SHARE),
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
