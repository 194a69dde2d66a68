"""Lengths of time as written: "4y", "4-year", "48 months", "four years" (number words are digits by now), "12 mo",
and the phrases "within a year", "after the first year". Read as whole months."""

from __future__ import annotations

import re
from decimal import Decimal

DURATION = re.compile(
    r"(?<![\w.,$€£])(?P<n>\d{1,3}(?:\.\d+)?)(?:-| )?(?P<unit>years?|yrs?|y|months?|mos?|mths?|days?)(?![a-z])"
    r"|(?P<phrase>(?:within|after|over|for|in) (?:a|1|the first|your first|the 1st|year) ?year|(?:after|within) "
    r"(?:year|yr) 1)(?![a-z])"
)


def months(match: re.Match[str]) -> int | None:
    """Whole months a DURATION match stands for, or None for a fraction of a month or more than ten years."""
    if match["phrase"] is not None:
        return 12
    number = Decimal(match["n"])
    if match["unit"].startswith("d"):  # "90 days": whole months of 30 days only
        number = number / 30
    total = number * 12 if match["unit"].startswith("y") else number
    if total != total.to_integral_value() or not 0 < total <= 120:
        return None
    return int(total)


_MILESTONE_BEFORE = ("after ", "at ", "at the ", "on your ", "on the ", "upon ", "upon your ")
_MILESTONE_AFTER = (" anniversary", " mark", " work anniversary")


def after_word(match: re.Match[str], text: str) -> bool:
    """Whether the duration is a point in time rather than a length: "25% after the first year", "on your one-year
    anniversary", "at the 12-month mark" (beside equity: the cliff)."""
    if match["phrase"] is not None:
        return match["phrase"].startswith("after")
    before = text[: match.start()]
    return before.endswith(_MILESTONE_BEFORE) or text[match.end() :].startswith(_MILESTONE_AFTER)
