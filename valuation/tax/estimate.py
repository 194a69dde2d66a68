"""The marginal tax rate estimated from the offer: year-1 taxable pay under the jurisdiction's schedules.

Year-1 taxable pay is base + bonus + sign-on + the RSU value vesting in the first twelve months (options are
taxed at exercise, not at vest, and are left out). The rate is the sum of the parts on the next unit of pay.
In the US with no state given, the low scenario is a state without a tax on wages, the high one the state with
the highest rate at that pay, and the base the median of the 50 states and DC.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from valuation.errors import OfferError, Reason
from valuation.frozen import direct_init
from valuation.offer import Offer, RsuGrant
from valuation.registry import Range
from valuation.tax.schedules import ZERO, RatePart, de, uk, us_federal, us_state
from valuation.tax.tables import Dated, TaxTables, UsSchedule
from valuation.vesting import vesting_table

Jurisdiction = Literal["US", "UK", "DE", "other"]


@dataclass(frozen=True, slots=True)
class Profile:
    """Who is taxed, and which level (offer, personal, server, built-in) set each choice."""

    jurisdiction: str
    jurisdiction_level: str
    filing_status: str
    filing_status_level: str
    state: str | None
    state_level: str | None


@direct_init
@dataclass(frozen=True, slots=True)
class TaxEstimate:
    """The estimated marginal rate: its range, the base scenario's parts, and where the figures come from.

    ``low_state`` and ``high_state`` name the states behind the low and high ends when no state was given.
    """

    jurisdiction: str
    filing_status: str
    filing_status_level: str
    state: str | None
    state_level: str | None
    pay: Decimal
    currency: str
    parts: tuple[RatePart, ...]
    rate: Range
    low_state: str | None
    high_state: str | None
    median_state: str | None
    low_state_rate: Decimal | None  # the state part (income tax and payroll) in the low and high states
    high_state_rate: Decimal | None
    state_names: dict[str, str]  # names of the states above, by code
    sources: tuple[Dated, ...]


# Only the form of an answer, in the example of the error asking for usd_rate: rough late-2026 units per dollar.
_USD_RATE_EXAMPLES = {"EUR": "0.92", "GBP": "0.79", "JPY": "150", "CHF": "0.88", "CAD": "1.38", "INR": "85"}


def year1_pay(offer: Offer) -> Decimal:
    """Base + bonus + sign-on + RSUs vesting in the first twelve months, in the offer's currency."""
    pay = offer.salary.base + offer.bonus_yearly
    if offer.sign_on is not None:
        pay += offer.sign_on.amount
    for grant in offer.equity:
        if isinstance(grant, RsuGrant):
            vested = vesting_table(grant.years, grant.cliff_months, grant.schedule, 12)[0][12]
            pay += grant.grant_value * vested
    return pay


def _total(parts: list[RatePart]) -> Decimal:
    total = ZERO
    for part in parts:
        total += part.rate
    return total


def needs_rate(field: str, example: str = '"35%"') -> OfferError:
    return OfferError.single(f"assumptions.{field}", "", Reason.NEEDS_TAX_RATE, example)


def estimate(offer: Offer, profile: Profile, tables: TaxTables, usd_rate: Decimal | None) -> TaxEstimate:
    """Estimate the marginal rate; raise :class:`OfferError` when no schedule applies (jurisdiction "other", or
    pay in a currency the schedule's can't be reached from)."""
    if profile.jurisdiction == "other":
        raise needs_rate("marginal_tax_rate")
    pay = year1_pay(offer)
    dated: tuple[Dated, ...]
    if profile.jurisdiction == "UK":
        currency, dated = tables.uk.currency, (tables.uk.dated,)
    elif profile.jurisdiction == "DE":
        currency, dated = tables.de.currency, (tables.de.dated,)
    else:
        currency = tables.us.currency
        dated = (tables.us.federal, tables.us.social_security, tables.us.medicare)
    if offer.currency != currency:
        # Pay reaches the US schedules through usd_rate (offer-currency units per dollar); the UK and German
        # schedules have no rate to reach them from another currency.
        if currency != "USD":
            raise needs_rate("marginal_tax_rate")
        if usd_rate is None:
            example = f'"{_USD_RATE_EXAMPLES.get(offer.currency, "1.35")}"'
            raise OfferError.single("assumptions.usd_rate", offer.currency, Reason.PAY_NEEDS_USD_RATE, example)
        pay = pay / usd_rate
    status = profile.filing_status
    low_state = high_state = median_state = None
    low = high = None
    if profile.jurisdiction == "UK":
        parts = uk(tables.uk, pay)
        total = _total(parts)
        rate = Range.fixed(total)
    elif profile.jurisdiction == "DE":
        parts = de(tables.de, pay, status)
        rate = Range.fixed(_total(parts))
    else:
        federal = us_federal(tables.us, pay, status)
        states = tables.us.states
        if profile.state is not None:
            state = states[profile.state]
            parts = federal + us_state(state, pay, status)
            rate = Range.fixed(_total(parts))
            dated += (state.dated,)
        else:
            (low, low_state), (median, median_state), (high, high_state) = _state_range(tables.us, pay, status)
            parts = [*federal, RatePart("state_unknown", median, pay, None)]
            base = _total(federal)
            rate = Range(base + low, base + median, base + high)
    return TaxEstimate(
        jurisdiction=profile.jurisdiction,
        filing_status=status,
        filing_status_level=profile.filing_status_level,
        state=profile.state,
        state_level=profile.state_level,
        pay=pay,
        currency=currency,
        parts=tuple(parts),
        rate=rate,
        low_state=low_state,
        high_state=high_state,
        median_state=median_state,
        low_state_rate=low,
        high_state_rate=high,
        state_names={
            code: tables.us.states[code].name
            for code in (profile.state, low_state, median_state, high_state)
            if code is not None and profile.jurisdiction == "US"
        },
        sources=dated,
    )


_RANGES_MAX = 1024  # a few hundred bytes each
StateRange = tuple[tuple[Decimal, str], tuple[Decimal, str], tuple[Decimal, str]]
_ranges: dict[tuple[int, str, int], tuple[UsSchedule, StateRange]] = {}
_edges: dict[tuple[int, str], tuple[UsSchedule, tuple[Decimal, ...]]] = {}


def state_edges(us: UsSchedule, status: str) -> tuple[Decimal, ...]:
    """Every pay at which some state's part changes, in increasing order: the lower edges of its brackets (a
    bracket applies from its edge on) and the wage caps of its payroll contributions (which stop at the cap)."""
    hit = _edges.get((id(us), status))
    if hit is not None and hit[0] is us:
        return hit[1]
    edges: set[Decimal] = set()
    for state in us.states.values():
        edges.update(edge for edge, _ in state.brackets[status])
        edges.update(p.wage_cap for p in state.payroll if p.wage_cap is not None)
    found = tuple(sorted(edges))
    _edges[(id(us), status)] = (us, found)
    return found


def _state_range(us: UsSchedule, pay: Decimal, status: str) -> StateRange:
    """The lowest, median and highest state's combined part at this pay, with the state's code; ties keep
    alphabetical order (the table is sorted by code). Fifty-one schedules per valuation is most of the estimate's
    cost, and each state's part changes only where pay crosses one of its edges (see :func:`state_edges`): between
    two neighbouring edges of all the states the range is the same, so it is remembered per schedule, filing status
    and the number of edges at or below the pay (a pure function of them, so remembering changes no output)."""
    key = (id(us), status, bisect_right(state_edges(us, status), pay))
    hit = _ranges.get(key)
    if hit is not None and hit[0] is us:
        return hit[1]
    ranked = sorted((_total(us_state(s, pay, status)), code) for code, s in us.states.items())
    found: StateRange = (ranked[0], ranked[len(ranked) // 2], ranked[-1])
    if len(_ranges) >= _RANGES_MAX:
        _ranges.clear()
    _ranges[key] = (us, found)
    return found
