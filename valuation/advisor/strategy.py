"""One strategy per compute grant, chosen from its facts; the other strategies become that ask's fallbacks.

- ``work-tool`` when the grant is mostly for assigned work (work share above the registry threshold) or may only be
  used for work: keep it as a tool, outside pay and untaxed. Gain: the year-1 tax it would no longer cost you.
- ``tax-neutral`` when you would use it personally and it is worth at least its employer cost to you: keep it, make
  it portable, and have its tax covered. Gain: the gross-up.
- ``convert-to-cash`` otherwise (its employer cost is above what it is worth to you): cash at the employer's cost.
  Gain: that cash minus the credits' cash-equivalent.

Every gain is the change in the year-1 cash-equivalent TC if the ask is granted (and the same over the horizon), so
asks of every kind compare on one scale. An ask worth less than one round step is not made.
"""

from __future__ import annotations

from decimal import Decimal

from valuation.advisor.facts import (
    ROUND_UNIT,
    Facts,
    cents,
    credit_life_months,
    round_down,
    round_nearest,
    spend_window_months,
)
from valuation.advisor.result import Ask, AskId, Fallback
from valuation.formulas import TWELVE, ZERO
from valuation.offer import ComputeGrant
from valuation.result import ComputeGrantResult


def is_us(facts: Facts) -> bool:
    """US tax rules (and IRS sources) apply only to offers valued under US tax."""
    return facts.valuation.tax_jurisdiction == "US"


def choose(facts: Facts, grant: ComputeGrant, result: ComputeGrantResult) -> AskId:
    if not grant.personal_use or grant.work_required > facts.threshold("work_required_share"):
        return "work-tool"
    if result.years[0].cash_equivalent >= result.years[0].employer_cost:
        return "tax-neutral"
    return "convert-to-cash"


def forfeits(grant: ComputeGrant, horizon: int) -> bool:
    """Unspent credits are lost on leaving, or kept for less than they last."""
    if grant.on_departure == "cash":
        return False
    return grant.on_departure == "forfeit" or grant.tail_months < credit_life_months(grant, horizon)


def lapses(facts: Facts, grant: ComputeGrant, result: ComputeGrantResult) -> bool:
    """Without rollover, credits expire before their spend window ends or are expected to go partly unspent."""
    if grant.rollover:
        return False
    short = grant.expiry_months != 0 and grant.expiry_months < spend_window_months(grant, facts.horizon)
    return short or result.utilization < facts.threshold("low_utilization")


def _cash_amount(result: ComputeGrantResult, facts: Facts) -> Decimal:
    """Cash for a year of credits (or for a one-time grant): the employer's cost, round, never above the limit."""
    cost = result.years[0].employer_cost
    limit = facts.limit("compute_to_cash_share") * cost
    amount = round_nearest(cost)
    return amount if amount <= limit else round_down(limit)


def _convert_gains(facts: Facts, result: ComputeGrantResult, amount: Decimal) -> tuple[Decimal, Decimal]:
    year1 = amount - result.years[0].cash_equivalent
    if result.cadence == "one-time":
        return cents(year1), cents(amount - result.total.cash_equivalent)
    return cents(year1), cents(amount * Decimal(facts.horizon) / TWELVE - result.total.cash_equivalent)


def _fallback_convert(facts: Facts, result: ComputeGrantResult) -> list[Fallback]:
    amount = _cash_amount(result, facts)
    if amount <= 0 or _convert_gains(facts, result, amount)[0] < ROUND_UNIT:
        return []
    return [Fallback("convert-to-cash", {"amount": amount})]


def _fallback_gross_up(result: ComputeGrantResult) -> list[Fallback]:
    amount = round_nearest(result.years[0].gross_up)
    if amount < ROUND_UNIT:
        return []
    return [Fallback("gross-up", {"tax": cents(result.years[0].tax), "amount": amount})]


def _fallback_working_condition(facts: Facts, grant: ComputeGrant) -> list[Fallback]:
    if not is_us(facts) or grant.tax_treatment != "taxable" or grant.work_required == 0:
        return []
    return [Fallback("working-condition", {"work_share": grant.work_required})]


def _fallback_portability(facts: Facts, grant: ComputeGrant, result: ComputeGrantResult) -> list[Fallback]:
    """Only for credits you may use yourself: work-only credits are worth nothing to you after you leave."""
    found: list[Fallback] = []
    if grant.personal_use and forfeits(grant, facts.horizon):
        found.append(Fallback("tail-or-cash-out", {"tail_months": Decimal(credit_life_months(grant, facts.horizon))}))
    if grant.personal_use and lapses(facts, grant, result):
        found.append(Fallback("rollover", {"expiry_months": Decimal(grant.expiry_months)}))
    return found


MAX_FALLBACKS = 2


def grant_ask(facts: Facts, result: ComputeGrantResult) -> Ask | None:
    """The one ask for this grant, with its fallbacks; None when it would gain less than one round step."""
    grant = facts.offer.compute[result.index]
    year1 = result.years[0]
    if result.total.face_today == 0:
        return None
    chosen = choose(facts, grant, result)
    fallbacks: list[Fallback]
    if chosen == "convert-to-cash":
        amount = _cash_amount(result, facts)
        gain_year1, gain_horizon = _convert_gains(facts, result, amount)
        numbers: dict[str, Decimal | str] = {
            "face": cents(year1.face),
            "cash_equivalent": cents(year1.cash_equivalent),
            "employer_cost": cents(year1.employer_cost),
            "amount": amount,
        }
        fallbacks = _fallback_gross_up(result) + _fallback_portability(facts, grant, result)
    elif chosen == "work-tool":
        if grant.tax_treatment == "excluded" or year1.tax == 0:
            return None
        untaxed = "working-condition" if grant.personal_use else "excluded"
        if grant.tax_treatment == untaxed:
            return None
        relieved = facts.revalue(facts.with_grant(result.index, tax_treatment=untaxed))
        headline = facts.valuation.headline
        gain_year1 = cents(relieved.headline.cash_equivalent_tc_year1 - headline.cash_equivalent_tc_year1)
        gain_horizon = cents(relieved.headline.cash_equivalent_tc_horizon - headline.cash_equivalent_tc_horizon)
        numbers = {
            "work_share": grant.work_required,
            "face": cents(year1.face),
            "tax": cents(year1.tax),
            "in_tc": "yes" if grant.quoted_in_tc else "no",
            "work_only": "no" if grant.personal_use else "yes",
        }
        fallbacks = _fallback_convert(facts, result) + _fallback_gross_up(result)
    else:
        amount = round_nearest(year1.gross_up)
        gain_year1 = amount
        total_gross_up = result.total.gross_up
        gain_horizon = cents(amount * total_gross_up / year1.gross_up) if year1.gross_up > 0 else ZERO
        numbers = {
            "tax": cents(year1.tax),
            "amount": amount,
            "forfeits": "yes" if forfeits(grant, facts.horizon) else "no",
        }
        fallbacks = _fallback_working_condition(facts, grant) + _fallback_portability(facts, grant, result)
        fallbacks = [f for f in fallbacks if f.id != "tail-or-cash-out"]  # the ask itself asks for portability
    if gain_year1 < ROUND_UNIT:
        return None
    return Ask(
        id=chosen,
        scope="compute",
        index=result.index,
        reason="strategy",
        numbers=numbers,
        gain_year1=gain_year1,
        gain_horizon=gain_horizon,
        fallbacks=tuple(fallbacks[:MAX_FALLBACKS]),
    )
