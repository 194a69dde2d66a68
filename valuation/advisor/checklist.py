"""Terms to get in writing, and warnings: only what applies to this offer.

A term is listed when the offer left it unstated (a default was assumed) or states it unfavourably. Terms about
spending credits after leaving, rollover, expiry and personal use apply only to credits you may use yourself: credits
for work only are worth nothing to you beyond the job, whatever those terms say.
"""

from __future__ import annotations

from decimal import Decimal

from valuation.advisor.facts import Facts, cents, credit_life_months, spend_window_months
from valuation.advisor.result import Term, TermId, TermStatus, Warning
from valuation.advisor.strategy import forfeits, lapses
from valuation.formulas import ONE
from valuation.offer import OptionGrant


def _status(stated: bool, unfavourable: bool) -> TermStatus | None:
    if not stated:
        return "unstated"
    return "unfavourable" if unfavourable else None


def terms(facts: Facts) -> tuple[Term, ...]:
    found: list[Term] = []

    def add(term: TermId, scope: str, index: int | None, status: TermStatus | None, **numbers: Decimal | str) -> None:
        if status is not None:
            found.append(Term(term, scope, index, status, dict(numbers)))  # type: ignore[arg-type]

    for result in facts.valuation.grants:
        grant = facts.offer.compute[result.index]
        stated = grant.model_fields_set
        i = result.index
        add("tax-treatment", "compute", i, _status("tax_treatment" in stated, grant.tax_treatment == "taxable"))
        if grant.personal_use:
            life = Decimal(credit_life_months(grant, facts.horizon))
            add(
                "portability",
                "compute",
                i,
                _status("on_departure" in stated, forfeits(grant, facts.horizon)),
                tail_months=life,
                current_tail_months=Decimal(grant.tail_months if grant.on_departure == "tail" else 0),
            )
            window = spend_window_months(grant, facts.horizon)
            short = grant.expiry_months != 0 and grant.expiry_months < window
            add(
                "expiry",
                "compute",
                i,
                _status("expiry_months" in stated, short),
                expiry_months=Decimal(grant.expiry_months),
                spend_window_months=Decimal(window),
            )
            add("rollover", "compute", i, _status("rollover" in stated, lapses(facts, grant, result)))
            add("personal-use-and-ip", "compute", i, "unstated")
        if result.denomination != "dollars":
            add("denomination", "compute", i, "unfavourable", denomination=result.denomination)
    threshold = facts.threshold("short_exercise_window_days")
    for index, equity in enumerate(facts.offer.equity):
        stated = equity.model_fields_set
        vesting_stated = {"years", "cliff_months", "schedule"} <= stated
        add("vesting", "equity", index, _status(vesting_stated, False))
        if isinstance(equity, OptionGrant):
            add(
                "exercise-window",
                "equity",
                index,
                _status("exercise_window_days" in stated, equity.exercise_window_days <= threshold),
                window_days=Decimal(equity.exercise_window_days),
            )
    sign_on = facts.offer.sign_on
    if sign_on is not None and sign_on.amount > 0:
        stated = sign_on.model_fields_set
        add(
            "clawback",
            "sign_on",
            None,
            _status(
                {"clawback", "clawback_months"} <= stated, sign_on.clawback == "full" and sign_on.clawback_months > 0
            ),
            clawback_months=Decimal(sign_on.clawback_months),
        )
    return tuple(found)


def warnings(facts: Facts) -> tuple[Warning, ...]:
    found: list[Warning] = []
    for result in facts.valuation.equity:
        equity = facts.offer.equity[result.index]
        if result.underwater and isinstance(equity, OptionGrant):
            numbers: dict[str, Decimal | str] = {
                "strike": cents(equity.strike),
                "preferred_price": cents(equity.preferred_price),
            }
            found.append(Warning("underwater-options", "equity", result.index, numbers))
    threshold = facts.threshold("back_loaded_year1_share")
    for result in facts.valuation.equity:
        grant = facts.offer.equity[result.index]
        if result.first_year_share < threshold and result.value_advertised > 0:
            numbers = {"year1_share": result.first_year_share, "even_share": ONE / Decimal(grant.years)}
            found.append(Warning("back-loaded", "equity", result.index, numbers))
    headline = facts.valuation.headline
    difference = headline.quoted_tc_difference
    if headline.quoted_tc_mismatch and headline.quoted_tc is not None and difference is not None and difference > 0:
        numbers = {
            "quoted_tc": cents(headline.quoted_tc),
            "computed_tc": cents(headline.advertised_tc_year1),
            "difference": cents(difference),
        }
        found.append(Warning("quoted-tc-above", "offer", None, numbers))
    negotiation = facts.offer.negotiation
    if negotiation.today is not None and negotiation.decision_deadline is not None:
        days_left = (negotiation.decision_deadline - negotiation.today).days
        if days_left <= facts.threshold("ask_for_time_days"):
            found.append(Warning("deadline-close", "offer", None, {"days_left": Decimal(days_left)}))
    return tuple(found)
