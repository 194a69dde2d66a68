"""Figures as people write them in prose: money (``$185,000``, ``180k``, ``€95.000``, ``95 000 €``, ``USD 1.2
million``), percentages, and counts. The final reading of each figure goes through :mod:`valuation.parsing`, the
same parser the offer file uses, so a figure means the same here as there.

Every pattern is a sequence of bounded or possessive-by-construction parts (no nested open-ended repetition), so
matching is linear in the length of the passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from valuation.parsing import MAX_COUNT, ParseError, parse_amount, parse_count

# A number: comma-grouped (185,000.50), dot-grouped as in much of Europe (95.000 or 95.000,50, never before a
# suffix: "1.500M" is a decimal), space-grouped (95 000), or plain (185000, 1.2, .5).
NUMBER = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?(?![\d.]|\s?(?:k|m|mm|b|bn|million|billion|thousand|mil)\b)"
    r"|\d{1,3}(?: \d{3})+(?![\d.,])"
    r"|\d+(?:\.\d+)?|\.\d+"
)
SUFFIX = r"\s?(?:k|mm|m|bn|b)(?![a-z0-9])|\s(?:thousand|million|billion|mil)(?![a-z])"
_SUFFIX_LETTER = {"thousand": "k", "million": "m", "mil": "m", "billion": "b", "mm": "m", "bn": "b"}
# Currency marks before or after an amount, with the ISO currency each stands for ("$" is the offer's own dollar).
PRE_MARKS = {
    "us$": "USD",
    "ca$": "CAD",
    "c$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "$": "$",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
}
CODES = ("usd", "eur", "gbp", "cad", "aud", "chf", "jpy", "inr", "sek", "nok", "dkk", "pln", "sgd", "nzd", "hkd")
POST_WORDS = {"euro": "EUR", "euros": "EUR", "dollars": "$", "pounds": "GBP", "francs": "CHF"}
_PRE = "|".join(re.escape(m) for m in PRE_MARKS) + "|" + "|".join(rf"{c}\s?" for c in CODES)
_POST = r"\s?(?:€|£|¥|₹|\$)|\s(?:" + "|".join(CODES + tuple(POST_WORDS)) + r")(?![a-z])"
MONEY = re.compile(
    rf"(?<![\w.,$€£¥₹])(?P<pre>{_PRE})?(?P<num>{NUMBER})(?P<suf>{SUFFIX})?(?P<post>{_POST})?",
)
# A range ("10-15%", "$180k-$200k", "180 to 200k"): which figure is meant is not for the reader to choose.
RANGE = re.compile(
    rf"(?<![\w.,$€£¥₹/])(?P<pre>{_PRE})?(?P<low>{NUMBER})(?P<lsuf>{SUFFIX})?\s?%?\s?(?:-|to)\s?"
    rf"(?P<pre2>{_PRE})?(?P<high>{NUMBER})(?P<hsuf>{SUFFIX})?(?P<pct>\s?%)?(?![\d/])"
)
PERCENT = re.compile(r"(?<![\w.,])(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent(?![a-z])|pct(?![a-z]))")
COUNT = rf"(?<![\w.,])(?P<num>{NUMBER})(?P<suf>{SUFFIX})?"
# A bare number (no mark, no suffix) is money only from this size: "4" or "12" are years, months or counts.
BARE_MONEY_MIN = Decimal(1000)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as written: its value, the currency its mark names ("$" for a plain dollar, None unmarked)."""

    value: Decimal
    currency: str | None
    bare: bool  # no mark and no suffix: a plain number


def plain_number(num: str) -> str:
    """The digits of a grouped number, with a point for decimals: "95.000" → "95000", "95.000,50" → "95000.50"."""
    num = num.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", num):
        return num.replace(".", "").replace(",", ".")
    return num.replace(",", "")


def suffix_letter(suffix: str | None) -> str:
    if not suffix:
        return ""
    word = suffix.strip()
    return _SUFFIX_LETTER.get(word, word)


def money(match: re.Match[str]) -> Money | None:
    """The amount a MONEY match stands for, or None when it is no amount (too large, or unreadable)."""
    mark = (match["pre"] or match["post"] or "").strip()
    currency = PRE_MARKS.get(mark) or POST_WORDS.get(mark) or (mark.upper() if mark else None)
    text = plain_number(match["num"]) + suffix_letter(match["suf"])
    try:
        value = parse_amount(text, maximum=MAX_COUNT)
    except ParseError:
        return None
    return Money(value, currency, bare=not mark and not match["suf"])


def count(num: str, suffix: str | None) -> Decimal | None:
    """A count of tokens or hours ("100M", "2,000", "1.5 billion"), or None when it is none."""
    try:
        return parse_count(plain_number(num) + suffix_letter(suffix))
    except ParseError:
        return None


def number_text(value: Decimal) -> str:
    """A figure as the offer file writes it: all its digits, no exponent ("185000", "1.25")."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
