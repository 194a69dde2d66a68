"""Vesting schedules written as yearly percentages: "5/15/40/40", "25/25/25/25", "10% / 20% / 30% / 40%"."""

from __future__ import annotations

import re
from decimal import Decimal

# Two to ten shares separated by slashes; each part is bounded, so the scan is linear.
SCHEDULE = re.compile(r"(?<![\w./])(?P<s>\d{1,3}%?(?: ?/ ?\d{1,3}%?){1,9})(?![\w/])")
NAMED = ("5/15/40/40",)


def schedule(match: re.Match[str]) -> str | tuple[Decimal, ...] | None:
    """The schedule a SCHEDULE match stands for ("5/15/40/40" by name, others as yearly percentages), or None
    when the parts do not add up to 100 (a date such as 12/1/26, or "24/7")."""
    parts = tuple(Decimal(p.strip(" %")) for p in match["s"].split("/"))
    if sum(parts) != 100 or any(p == 0 for p in parts):
        return None
    named = "/".join(str(p) for p in parts)
    return named if named in NAMED else parts


# "4yr/1yr cliff", "4y/1y": years of vesting, then the cliff.
YEARS_AND_CLIFF = re.compile(
    r"(?<![\w./])(?P<years>\d{1,2}) ?(?:y|yrs?|years?)(?: vest(?:ing)?)? ?/ ?(?P<cliff>\d{1,2}) ?(?:y|yrs?|years?)"
    r"(?: cliff)?(?![a-z0-9])"
)


def equal_yearly(years: int) -> tuple[Decimal, ...] | None:
    """Annual vesting over ``years`` as equal yearly percentages to the hundredth, the last taking what rounding
    left so they add up to 100 (3 years: 33.33 / 33.33 / 33.34)."""
    if not 1 <= years <= 10:
        return None
    part = (Decimal(100) / years).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return (*(part for _ in range(years - 1)), Decimal(100) - part * (years - 1))
