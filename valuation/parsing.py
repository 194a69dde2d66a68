"""Parsing of the human forms people write money, shares and counts in.

``180000``, ``"180k"``, ``"$1.2M"``, ``"95,000"`` are amounts; ``"15%"`` (or a fraction such as ``0.15``) is a
share; ``"100M"`` is a count of tokens. Each parser returns a ``Decimal`` or raises ``ValueError`` whose first
argument is a :class:`~valuation.errors.Reason`; the offer models turn that into an :class:`OfferError` with the
field path.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from valuation.errors import Reason

MAX_AMOUNT = Decimal("1000000000")  # one billion a year is past any real offer: refuse as absurd
MAX_COUNT = Decimal("1000000000000000")  # 10^15 tokens
_SUFFIX = {"": 1, "k": 10**3, "m": 10**6, "mm": 10**6, "b": 10**9, "bn": 10**9, "t": 10**12}
# Marks an amount may carry, longest first so "US$" is not read as "$". Which currency each mark means is the
# offer's business (valuation.offer); the parser only reports the mark it saw.
CURRENCY_MARKS = ("US$", "$", "€", "£", "¥", "₹")
_NUMBER = re.compile(r"^(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<suffix>k|m|mm|b|bn|t)?$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# A percentage is plain digits: an exponent such as "1e999999999%" would overflow the decimal context.
_PERCENT = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")


class ParseError(ValueError):
    """A value that does not parse; ``reason`` says why."""

    def __init__(self, reason: Reason, limit: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit


def _number_with_suffix(text: str) -> Decimal | None:
    cleaned = text.strip().replace("_", "")
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    try:
        number = Decimal(match["num"])
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return number * _SUFFIX[(match["suffix"] or "").lower()]


def _from_number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _split_mark(text: str) -> tuple[str | None, str]:
    """``"$50k"`` → ``("$", "50k")``; ``"95,000€"`` → ``("€", "95,000")``; no mark → ``(None, text)``."""
    for mark in CURRENCY_MARKS:
        if text.startswith(mark):
            return mark, text[len(mark) :]
        if text.endswith(mark):
            return mark, text[: -len(mark)]
    return None, text


def currency_mark(value: object) -> str | None:
    """The currency mark a written amount carries (``"$"``, ``"US$"``, ``"€"`` …), or None."""
    if not isinstance(value, str):
        return None
    return _split_mark(value.strip().lstrip("-").strip())[0]


def parse_amount(value: object, *, allow_zero: bool = True, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """Money: ``180000``, ``"180k"``, ``"$1.2M"``, ``"95,000"``, ``"€50k"``. Never negative, never absurd. The mark
    is not checked here: :func:`currency_mark` reports it, and the offer checks it against its currency."""
    number = _from_number(value)
    if number is None:
        if not isinstance(value, str):
            raise ParseError(Reason.NOT_AN_AMOUNT)
        text = value.strip()
        negative = text.startswith("-")
        text = _split_mark(text.lstrip("-").strip())[1]
        number = _number_with_suffix(text)
        if number is None:
            raise ParseError(Reason.NOT_AN_AMOUNT)
        if negative:
            number = -number
    if number < 0:
        raise ParseError(Reason.NEGATIVE)
    if number == 0 and not allow_zero:
        raise ParseError(Reason.ZERO)
    if number > maximum:
        raise ParseError(Reason.TOO_LARGE, limit=str(maximum))
    return number


def _percent_reading(number: Decimal) -> str:
    """The percentage a bare number would be as a fraction: 0.6 → "60", 15 → "1500"."""
    return format((number * 100).normalize(), "f")


def parse_share(value: object) -> Decimal:
    """A share of something: ``"15%"``, ``"15 %"`` or a fraction written as a number, ``0.15``. Written without a
    % sign (``"0.6"``) or as a number above 1 (``15``) it is refused as ambiguous: 0.6 % or 60 %? 15 % or
    1,500 %? The error's limit carries the second reading."""
    number = _from_number(value)
    if number is None:
        if not isinstance(value, str):
            raise ParseError(Reason.NOT_A_SHARE)
        if not value.strip().endswith("%"):
            if not _PERCENT.match(value.strip()):
                raise ParseError(Reason.NOT_A_SHARE)
            bare = Decimal(value.strip())
            if bare != 0:  # "0" is 0 either way
                raise ParseError(Reason.SHARE_WITHOUT_PERCENT, limit=_percent_reading(bare))
            value = "0%"
        text = value.strip()[:-1].strip()
        negative = text.startswith("-")
        digits = text.lstrip("-").strip()
        if not _PERCENT.match(digits):
            raise ParseError(Reason.NOT_A_SHARE)
        number = Decimal(digits)
        number = (-number if negative else number) / 100
    elif number > 1:
        raise ParseError(Reason.SHARE_WITHOUT_PERCENT, limit=_percent_reading(number))
    if number < 0:
        raise ParseError(Reason.NEGATIVE)
    if number > 1:
        raise ParseError(Reason.SHARE_OVER_100)
    return number


def parse_amount_or_share(value: object, *, maximum: Decimal = MAX_AMOUNT) -> Decimal | tuple[str, Decimal]:
    """Bonus targets are either an amount or a share of base: a share comes back tagged ``("share", x)``."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return ("share", parse_share(value))
    return parse_amount(value, maximum=maximum)


def parse_count(value: object) -> Decimal:
    """A count of tokens or GPU-hours: ``"100M"``, ``"2.5B"``, ``1500``, ``"1,500"``."""
    number = _from_number(value)
    if number is None:
        if not isinstance(value, str):
            raise ParseError(Reason.NOT_A_COUNT)
        text = value.strip()
        negative = text.startswith("-")
        number = _number_with_suffix(text.lstrip("-"))
        if number is None:
            raise ParseError(Reason.NOT_A_COUNT)
        if negative:
            number = -number
    if number < 0:
        raise ParseError(Reason.NEGATIVE)
    if number == 0:
        raise ParseError(Reason.ZERO)
    if number > MAX_COUNT:
        raise ParseError(Reason.TOO_LARGE, limit=str(MAX_COUNT))
    return number
