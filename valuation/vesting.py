"""Vesting schedules as cumulative vested shares by month."""

from __future__ import annotations

from decimal import Decimal

from valuation.formulas import ONE, ZERO
from valuation.offer import OptionGrant, RsuGrant


def vested_fractions(grant: RsuGrant | OptionGrant, months: int) -> list[Decimal]:
    """``f[m]`` = share of the grant vested at the end of month ``m`` (``f[0] == 0``), for m up to ``months``.

    Monthly schedules accrue 1/V a month; quarterly accrue 3/V at each quarter's end; yearly percentages are
    spread evenly over the months of their year. Nothing vests before the cliff; at the cliff month everything
    accrued so far vests at once. After the last vesting month the grant is fully vested. Each share is one
    division of whole numbers, so a quarter is exactly 0.25.
    """
    vesting_months = grant.years * 12
    percentages = grant.yearly_percentages()
    fractions = [ZERO] * (months + 1)
    for m in range(max(1, grant.cliff_months), months + 1):
        if m >= vesting_months:
            fractions[m] = ONE
        elif percentages is not None:
            full_years, into_year = divmod(m, 12)
            # sum(full years) * 12 + this year's percentage * months into it, over 1200: one exact division.
            numerator = sum(percentages[:full_years], ZERO) * 12 + percentages[full_years] * into_year
            fractions[m] = numerator / 1200
        elif grant.schedule == "quarterly":
            fractions[m] = Decimal(m - m % 3) / vesting_months
        else:
            fractions[m] = Decimal(m) / vesting_months
    return fractions
