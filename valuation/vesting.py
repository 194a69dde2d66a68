"""Vesting schedules as cumulative vested shares by month."""

from __future__ import annotations

import functools
from decimal import Decimal, localcontext

from valuation.formulas import CONTEXT, ONE, ZERO
from valuation.offer import OptionGrant, RsuGrant

Schedule = str | tuple[Decimal, ...]


def vested_fractions(grant: RsuGrant | OptionGrant, months: int) -> list[Decimal]:
    """``f[m]`` = share of the grant vested at the end of month ``m`` (``f[0] == 0``), for m up to ``months``.

    Monthly schedules accrue 1/V a month; quarterly accrue 3/V at each quarter's end; yearly percentages are
    spread evenly over the months of their year. Nothing vests before the cliff; at the cliff month everything
    accrued so far vests at once. After the last vesting month the grant is fully vested. Each share is one
    division of whole numbers, so a quarter is exactly 0.25.
    """
    return list(vesting_table(grant.years, grant.cliff_months, grant.schedule, months)[0])


@functools.lru_cache(maxsize=512)
def vesting_table(
    years: int, cliff_months: int, schedule: Schedule, months: int
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Vested share ``f``, unvested share ``1 - f`` and the share vesting in each month ``f[m] - f[m-1]``.

    Kept per schedule: offers share a handful of schedules, and the advisor values the same offer many times.
    Always computed in the core's decimal context, so a cached table never depends on a caller's context.
    """
    with localcontext(CONTEXT):
        vesting_months = years * 12
        percentages: tuple[Decimal, ...] | None
        if schedule == "5/15/40/40":
            percentages = (Decimal(5), Decimal(15), Decimal(40), Decimal(40))
        elif isinstance(schedule, tuple):
            percentages = schedule
        else:
            percentages = None
        fractions = [ZERO] * (months + 1)
        for m in range(max(1, cliff_months), months + 1):
            if m >= vesting_months:
                fractions[m] = ONE
            elif percentages is not None:
                full_years, into_year = divmod(m, 12)
                # sum(full years) * 12 + this year's percentage * months into it, over 1200: one exact division.
                numerator = sum(percentages[:full_years], ZERO) * 12 + percentages[full_years] * into_year
                fractions[m] = numerator / 1200
            elif schedule == "quarterly":
                fractions[m] = Decimal(m - m % 3) / vesting_months
            else:
                fractions[m] = Decimal(m) / vesting_months
        unvested = tuple(ONE - f for f in fractions)
        increments = (ZERO, *(fractions[m] - fractions[m - 1] for m in range(1, months + 1)))
        return tuple(fractions), unvested, increments
