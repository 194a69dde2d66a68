"""Marginal rates on the next unit of pay under one jurisdiction's schedules, part by part.

Each function returns :class:`RatePart` values: an id, the rate on the next unit, the income it was read at, and
the edge (bracket start, wage base, cap or threshold) that decided it. Pure Decimal arithmetic, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from valuation.tax.tables import Bracket, DeSchedule, StateSchedule, UkSchedule, UsSchedule

ZERO = Decimal(0)
ONE = Decimal(1)
TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True, slots=True)
class RatePart:
    """One part of a marginal rate: ``rate`` on the next unit of pay, read at ``income``; ``edge`` is the bracket
    start, wage base, cap or threshold that decided it (None where nothing did)."""

    id: str
    rate: Decimal
    income: Decimal
    edge: Decimal | None


def bracket_at(brackets: tuple[Bracket, ...], income: Decimal) -> Bracket:
    """The bracket the next unit of ``income`` falls in: the last whose lower edge is at or below it."""
    found = brackets[0]
    for bracket in brackets:
        if bracket[0] <= income:
            found = bracket
    return found


def capped(ident: str, rate: Decimal, pay: Decimal, cap: Decimal | None) -> RatePart:
    """A contribution on wages up to ``cap``: the next unit pays it only while pay is below the cap."""
    return RatePart(ident, rate if cap is None or pay < cap else ZERO, pay, cap)


# -- United States ---------------------------------------------------------------------------------------------
def us_federal(schedule: UsSchedule, pay: Decimal, status: str) -> list[RatePart]:
    """Federal income tax at the bracket of taxable income (pay less the standard deduction), Social Security
    below its wage base, Medicare, and the Additional Medicare Tax above its threshold."""
    taxable = max(ZERO, pay - schedule.standard_deduction[status])
    edge, rate = bracket_at(schedule.brackets[status], taxable)
    threshold = schedule.additional_medicare_threshold[status]
    return [
        RatePart("federal", rate, taxable, edge),
        capped("social_security", schedule.ss_rate, pay, schedule.ss_wage_base),
        RatePart("medicare", schedule.medicare_rate, pay, None),
        RatePart(
            "additional_medicare", schedule.additional_medicare_rate if pay >= threshold else ZERO, pay, threshold
        ),
    ]


def us_state(state: StateSchedule, pay: Decimal, status: str) -> list[RatePart]:
    """The state's income tax at the bracket of pay, then each employee payroll contribution below its cap."""
    brackets = state.brackets[status]
    parts = []
    if brackets:
        edge, rate = bracket_at(brackets, pay)
        parts.append(RatePart("state", rate, pay, edge))
    else:
        parts.append(RatePart("state", ZERO, pay, None))
    parts += [capped(p.id, p.rate, pay, p.wage_cap) for p in state.payroll]
    return parts


# -- United Kingdom --------------------------------------------------------------------------------------------
def uk(schedule: UkSchedule, pay: Decimal) -> list[RatePart]:
    """Income tax on the next pound: the band rate at taxable pay; in the taper zone (above £100,000 until the
    allowance is gone) each pound also removes ``taper_rate`` of allowance, taxed at the band rate. Then NI."""
    allowance_lost = max(ZERO, (pay - schedule.taper_threshold) * schedule.taper_rate)
    allowance = max(ZERO, schedule.personal_allowance - allowance_lost)
    taxable = max(ZERO, pay - allowance)
    if pay < schedule.personal_allowance and pay < schedule.taper_threshold:
        income_tax = RatePart("income_tax", ZERO, taxable, None)
    else:
        edge, rate = bracket_at(schedule.brackets, taxable)
        tapering = schedule.taper_threshold <= pay and allowance > 0
        income_tax = RatePart("income_tax", rate * (ONE + schedule.taper_rate) if tapering else rate, taxable, edge)
    if pay < schedule.ni_primary_threshold:
        ni = RatePart("national_insurance", ZERO, pay, schedule.ni_primary_threshold)
    elif pay < schedule.ni_upper_earnings_limit:
        ni = RatePart("national_insurance", schedule.ni_main_rate, pay, schedule.ni_upper_earnings_limit)
    else:
        ni = RatePart("national_insurance", schedule.ni_upper_rate, pay, schedule.ni_upper_earnings_limit)
    return [income_tax, ni]


# -- Germany ---------------------------------------------------------------------------------------------------
def de_tariff(schedule: DeSchedule, income: Decimal) -> tuple[Decimal, Decimal]:
    """§32a EStG: the tax on taxable income ``income`` (unrounded) and its slope, the rate on the next euro."""
    if income <= schedule.basic_allowance:
        return ZERO, ZERO
    if income <= schedule.zone2_end:
        a, b = schedule.zone2
        y = (income - schedule.basic_allowance) / TEN_THOUSAND
        return (a * y + b) * y, (2 * a * y + b) / TEN_THOUSAND
    if income <= schedule.zone3_end:
        a, b, c = schedule.zone3
        z = (income - schedule.zone2_end) / TEN_THOUSAND
        return (a * z + b) * z + c, (2 * a * z + b) / TEN_THOUSAND
    rate, less = schedule.zone4 if income <= schedule.zone4_end else schedule.zone5
    return rate * income - less, rate


def de(schedule: DeSchedule, pay: Decimal, status: str) -> list[RatePart]:
    """Income tax at the tariff's slope, less the share of the next euro that goes to deductible contributions;
    joint filers split (twice the tax on half the income, so the slope at half). Solidarity surcharge: nothing
    up to the exemption limit, then 11.9% of the excess until 5.5% of the tax is lower. Employee contributions
    below their ceilings."""
    contributions = [
        ("pension", schedule.pension, ONE),
        ("unemployment", schedule.unemployment, ZERO),
        ("health", schedule.health, schedule.health_deductible_share),
        ("care", schedule.care, ONE),
    ]
    deductions = sum((c.rate * min(pay, c.ceiling) * share for _, c, share in contributions), ZERO)
    deductible_slope = sum((c.rate * share for _, c, share in contributions if pay < c.ceiling), ZERO)
    taxable = max(ZERO, pay - schedule.lump_sums - deductions)
    splitting = status == "married-joint"
    tax, slope = de_tariff(schedule, taxable / 2 if splitting else taxable)
    if splitting:
        tax *= 2
    income_tax_rate = slope * (ONE - deductible_slope) if taxable > 0 else ZERO
    exemption = schedule.soli_exemption[status]
    if tax <= exemption:
        soli = ZERO
    elif schedule.soli_phase_in_rate * (tax - exemption) < schedule.soli_rate * tax:
        soli = schedule.soli_phase_in_rate * income_tax_rate
    else:
        soli = schedule.soli_rate * income_tax_rate
    parts = [RatePart("income_tax", income_tax_rate, taxable, None), RatePart("solidarity", soli, tax, exemption)]
    parts += [capped(name, c.rate, pay, c.ceiling) for name, c, _ in contributions]
    return parts
