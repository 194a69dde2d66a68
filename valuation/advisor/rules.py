"""The advisor's rules: each one says when it applies, what to ask for (with numbers), and what that is worth.

A rule is a function registered with :func:`_rule` under its id and source tag. It returns one :class:`Ask` per
thing to ask for (per grant, for grant rules), or nothing when it does not apply. Thresholds come from the
registry's dated, sourced ``[thresholds]``; money in ``numbers`` is rounded to cents, shares stay exact.
Impacts are money over year 1 and over the horizon, rounded to cents so ranking never hinges on a last digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from valuation.advisor.facts import Facts, cents, cents_down, credit_life_months, ratio, spend_window_months
from valuation.advisor.result import CounterOffer, Scope, Source, UnstatedTerms
from valuation.formulas import FORMULAS, ONE, TWELVE, ZERO
from valuation.offer import OptionGrant


@dataclass(frozen=True, slots=True)
class Ask:
    ask: str
    scope: Scope
    index: int | None
    numbers: dict[str, Decimal | str]
    impact_year1: Decimal
    impact_horizon: Decimal
    unstated: tuple[UnstatedTerms, ...] = ()


Finder = Callable[[Facts, CounterOffer], list[Ask]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    source: Source
    find: Finder


RULES: list[Rule] = []


def _rule(rule_id: str, source: Source) -> Callable[[Finder], Finder]:
    def register(find: Finder) -> Finder:
        RULES.append(Rule(rule_id, source, find))
        return find

    return register


def _ask(
    ask: str,
    scope: Scope,
    index: int | None,
    numbers: dict[str, Decimal | str],
    impact_year1: Decimal = ZERO,
    impact_horizon: Decimal = ZERO,
    unstated: tuple[UnstatedTerms, ...] = (),
) -> Ask:
    return Ask(ask, scope, index, numbers, cents(impact_year1), cents(impact_horizon), unstated)


# -- compute grants -------------------------------------------------------------------------------------------------
@_rule("convert-credits-to-cash", "fourth-pillar")
def convert_credits_to_cash(facts: Facts, _: CounterOffer) -> list[Ask]:
    """Every grant with a value: the fair cash range runs from max(0, your cash-equivalent) to the employer's cost.

    When your cash-equivalent already exceeds the employer's cost, the ask is to keep the credits.
    """
    asks = []
    for grant in facts.valuation.grants:
        year1, total = grant.years[0], grant.total
        if total.face_today == 0:
            continue
        if total.cash_equivalent >= total.employer_cost:
            numbers: dict[str, Decimal | str] = {
                "cash_equivalent": cents(year1.cash_equivalent),
                "employer_cost": cents(year1.employer_cost),
                "cash_equivalent_horizon": cents(total.cash_equivalent),
                "employer_cost_horizon": cents(total.employer_cost),
            }
            asks.append(_ask("keep-credits", "compute", grant.index, numbers))
            continue
        numbers = {
            "from": cents(max(ZERO, year1.cash_equivalent)),
            "to": cents(year1.employer_cost),
            "from_horizon": cents(max(ZERO, total.cash_equivalent)),
            "to_horizon": cents(total.employer_cost),
            "cash_equivalent": cents(year1.cash_equivalent),
            "cash_equivalent_horizon": cents(total.cash_equivalent),
        }
        asks.append(
            _ask(
                "convert-to-cash",
                "compute",
                grant.index,
                numbers,
                year1.employer_cost - year1.cash_equivalent,
                total.employer_cost - total.cash_equivalent,
            )
        )
    return asks


@_rule("require-portability", "open-guide")
def require_portability(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant that forfeits on departure, or keeps only a tail: ask for a tail period or a cash-out.

    The term is worth fixing in writing even where the model expects nothing unspent (impact 0). Impact: the most the compute part of cost-to-leave falls, over the months of year 1 and of the horizon, if the
    grant paid out on departure instead.
    """
    asks = []
    for result in facts.valuation.grants:
        grant = facts.offer.compute[result.index]
        if grant.on_departure == "cash":
            continue
        portable = facts.revalue(facts.with_grant(result.index, on_departure="cash", tail_months=0))
        removed = [
            before.compute_forfeited - after.compute_forfeited
            for before, after in zip(facts.valuation.cost_to_leave, portable.cost_to_leave, strict=True)
        ]
        year1 = max(removed[: facts.year1_months], default=ZERO)
        horizon = max(removed, default=ZERO)
        numbers: dict[str, Decimal | str] = {
            "tail_months": Decimal(credit_life_months(grant, facts.horizon)),
            "current_tail_months": Decimal(grant.tail_months),
            "forfeit_year1": cents(year1),
            "forfeit_horizon": cents(horizon),
        }
        ask = "tail-or-cash-out" if grant.on_departure == "forfeit" else "longer-tail"
        asks.append(_ask(ask, "compute", result.index, numbers, year1, horizon))
    return asks


@_rule("work-tools-are-not-pay", "irs-notice-2011-72")
def work_tools_are_not_pay(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant mostly needed for the job (work_required above the threshold): it is a cost of doing business.

    Ask that it sit outside compensation and outside any learning budget. Impact: the work part of its face value.
    """
    threshold = facts.threshold("work_required_share")
    asks = []
    for result in facts.valuation.grants:
        grant = facts.offer.compute[result.index]
        if grant.work_required <= threshold:
            continue
        year1 = result.years[0].face * grant.work_required
        horizon = result.total.face * grant.work_required
        numbers: dict[str, Decimal | str] = {
            "work_required": grant.work_required,
            "threshold": threshold,
            "work_face": cents(year1),
            "work_face_horizon": cents(horizon),
        }
        asks.append(_ask("outside-compensation", "compute", result.index, numbers, year1, horizon))
    return asks


@_rule("tax-gross-up", "irs-pub-15b")
def tax_gross_up(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant taxed at fair market value: ask for a gross-up, or for working-condition treatment in writing."""
    asks = []
    for result in facts.valuation.grants:
        if result.total.tax <= 0:
            continue
        year1, total = result.years[0], result.total
        numbers: dict[str, Decimal | str] = {
            "taxable_share": result.taxable_share,
            "tax": cents(year1.tax),
            "gross_up": cents(year1.gross_up),
            "tax_horizon": cents(total.tax),
            "gross_up_horizon": cents(total.gross_up),
        }
        asks.append(
            _ask("gross-up-or-working-condition", "compute", result.index, numbers, year1.gross_up, total.gross_up)
        )
    return asks


@_rule("dollar-denomination", "fourth-pillar")
def dollar_denomination(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant in tokens or GPU-hours: ask for dollars. Impact: the deflation loss a dollar grant would avoid."""
    asks = []
    for result in facts.valuation.grants:
        if result.denomination == "dollars":
            continue
        year1, total = result.years[0], result.total
        numbers: dict[str, Decimal | str] = {
            "denomination": result.denomination,
            "units": result.units,
            "unit_price": result.unit_price,
            "face_today": cents(year1.face_today),
            "face_today_horizon": cents(total.face_today),
            "deflation_loss": cents(year1.deflation_loss),
            "deflation_loss_horizon": cents(total.deflation_loss),
        }
        asks.append(
            _ask(
                "dollar-denominated",
                "compute",
                result.index,
                numbers,
                year1.deflation_loss,
                total.deflation_loss,
            )
        )
    return asks


@_rule("expiry-and-rollover", "fourth-pillar")
def expiry_and_rollover(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant without rollover whose expiry is shorter than its spend window, or whose utilization is low.

    Ask for rollover or an expiry as long as the spend window. Impact: the expected forfeiture.
    """
    threshold = facts.threshold("low_utilization")
    asks = []
    for result in facts.valuation.grants:
        grant = facts.offer.compute[result.index]
        window = spend_window_months(grant, facts.horizon)
        short_expiry = grant.expiry_months != 0 and grant.expiry_months < window
        low_use = result.utilization < threshold
        if grant.rollover or not (short_expiry or low_use):
            continue
        year1, total = result.years[0], result.total
        numbers: dict[str, Decimal | str] = {
            "expiry_months": Decimal(grant.expiry_months),
            "spend_window_months": Decimal(window),
            "utilization": result.utilization,
            "threshold": threshold,
            "expected_forfeiture": cents(year1.expected_forfeiture),
            "expected_forfeiture_horizon": cents(total.expected_forfeiture),
        }
        asks.append(
            _ask(
                "rollover-or-longer-expiry",
                "compute",
                result.index,
                numbers,
                year1.expected_forfeiture,
                total.expected_forfeiture,
            )
        )
    return asks


@_rule("personal-use-and-ip", "fourth-pillar")
def personal_use_and_ip(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A grant with no personal use: ask for it, and for written confirmation that side-project IP stays yours.

    Impact: the cash-equivalent personal use adds, face * (1 - work_required) * utilization / (1 - tax rate); the
    tax does not change (it follows the tax treatment, not personal use).
    """
    divisor = ONE - facts.tax_rate
    asks = []
    for result in facts.valuation.grants:
        grant = facts.offer.compute[result.index]
        if grant.personal_use:
            continue
        personal_share = ONE - grant.work_required
        year1 = result.years[0].face * personal_share * result.utilization
        horizon = result.total.face * personal_share * result.utilization
        numbers: dict[str, Decimal | str] = {
            "personal_share": personal_share,
            "personal_value": cents(year1),
            "personal_value_horizon": cents(horizon),
        }
        asks.append(_ask("personal-use-and-ip", "compute", result.index, numbers, year1 / divisor, horizon / divisor))
    return asks


# -- equity and sign-on ---------------------------------------------------------------------------------------------
@_rule("sign-on-for-back-loading", "patio11")
def sign_on_for_back_loading(facts: Facts, _: CounterOffer) -> list[Ask]:
    """An equity grant vesting less than the threshold share in year 1 (a long cliff or back-loaded schedule).

    Ask for sign-on cash that evens year 1 out: cash-equivalent value * (1 / years - year-1 share).
    """
    threshold = facts.threshold("back_loaded_year1_share")
    asks = []
    for result in facts.valuation.equity:
        grant = facts.offer.equity[result.index]
        year1_share = result.first_year_share
        if year1_share >= threshold:
            continue
        even_share = ONE / Decimal(grant.years)
        amount = cents(result.value_cash_equivalent * (even_share - year1_share))
        if amount <= 0:
            continue
        numbers: dict[str, Decimal | str] = {
            "year1_share": year1_share,
            "even_share": even_share,
            "threshold": threshold,
            "sign_on": amount,
        }
        asks.append(_ask("sign-on-for-year1", "equity", result.index, numbers, amount, amount))
    return asks


@_rule("clawback-proration", "open-guide")
def clawback_proration(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A sign-on with a full clawback: ask for proration. Impact: the most it cuts the repayment on leaving."""
    sign_on = facts.offer.sign_on
    if sign_on is None or sign_on.clawback != "full" or sign_on.clawback_months == 0 or sign_on.amount == 0:
        return []
    inputs = {"amount": sign_on.amount, "clawback_months": Decimal(sign_on.clawback_months)}
    saved = [
        FORMULAS["leave.sign_on.full"]({**inputs, "month": Decimal(m)})
        - FORMULAS["leave.sign_on.prorated"]({**inputs, "month": Decimal(m)})
        for m in range(1, facts.horizon + 1)
    ]
    year1 = max(saved[: facts.year1_months], default=ZERO)
    horizon = max(saved, default=ZERO)
    numbers: dict[str, Decimal | str] = {
        "amount": cents(sign_on.amount),
        "clawback_months": Decimal(sign_on.clawback_months),
        "saved_year1": cents(year1),
        "saved_horizon": cents(horizon),
    }
    return [_ask("prorated-clawback", "sign_on", None, numbers, year1, horizon)]


@_rule("exercise-window", "open-guide")
def exercise_window(facts: Facts, _: CounterOffer) -> list[Ask]:
    """Options whose post-departure exercise window is at most the threshold: ask for an extended window.

    Impact: the most cash exercising the vested options would take on leaving, which a short window forces.
    """
    threshold = facts.threshold("short_exercise_window_days")
    asks = []
    for index, grant in enumerate(facts.offer.equity):
        if not isinstance(grant, OptionGrant) or grant.exercise_window_days > threshold:
            continue
        costs = [
            FORMULAS["leave.exercise_cost"](
                {"shares": grant.shares, "vested_share": facts.vested_share(grant, m), "strike": grant.strike}
            )
            for m in range(1, facts.horizon + 1)
        ]
        year1 = max(costs[: facts.year1_months], default=ZERO)
        horizon = max(costs, default=ZERO)
        numbers: dict[str, Decimal | str] = {
            "window_days": Decimal(grant.exercise_window_days),
            "threshold": threshold,
            "exercise_cost_year1": cents(year1),
            "exercise_cost_horizon": cents(horizon),
        }
        asks.append(_ask("extended-exercise-window", "equity", index, numbers, year1, horizon))
    return asks


@_rule("equity-zero-test", "open-guide")
def equity_zero_test(facts: Facts, _: CounterOffer) -> list[Ask]:
    """Options in the offer: the offer with all equity at $0, and whether year 1 then still clears the floor.

    Impact: the equity at stake (its cash-equivalent vesting over year 1 and over the horizon).
    """
    if not any(isinstance(grant, OptionGrant) for grant in facts.offer.equity):
        return []
    headline = facts.valuation.headline
    equity_year1 = facts.valuation.years[0].equity
    equity_horizon = sum((year.equity for year in facts.valuation.years), ZERO)
    without_year1 = headline.cash_equivalent_tc_year1 - equity_year1
    floor = facts.offer.negotiation.floor
    numbers: dict[str, Decimal | str] = {
        "cash_equivalent_tc": cents(headline.cash_equivalent_tc_year1),
        "without_equity": cents(without_year1),
        "without_equity_horizon": cents(headline.cash_equivalent_tc_horizon - equity_horizon),
        "clears_floor": "no-floor" if floor is None else "yes" if without_year1 >= floor else "no",
    }
    if floor is not None:
        numbers["floor"] = cents(floor)
    return [_ask("equity-at-zero", "offer", None, numbers, equity_year1, equity_horizon)]


# -- the whole offer ------------------------------------------------------------------------------------------------
@_rule("exclude-credits-from-tc", "fourth-pillar")
def exclude_credits_from_tc(facts: Facts, _: CounterOffer) -> list[Ask]:
    """Compute counted in the advertised TC: restate TC without it, with the share that is not cash and not portable.

    Impact: the credits' face value counted in TC (what the restatement takes out).
    """
    in_tc = [result for result in facts.valuation.grants if facts.offer.compute[result.index].quoted_in_tc]
    year1 = sum((result.years[0].face_today for result in in_tc), ZERO)
    horizon = sum((result.total.face_today for result in in_tc), ZERO)
    if horizon == 0:
        return []
    headline = facts.valuation.headline
    numbers: dict[str, Decimal | str] = {
        "advertised_tc": cents(headline.advertised_tc_year1),
        "restated_tc": cents(headline.advertised_tc_year1 - year1),
        "credits_in_tc": cents(year1),
        "credits_in_tc_horizon": cents(horizon),
        "share": ratio(headline.noncash_nonportable_share_year1),
    }
    return [_ask("restate-tc-without-credits", "offer", None, numbers, year1, horizon)]


_COMPUTE_TERMS = (
    "cadence",
    "expiry_months",
    "rollover",
    "on_departure",
    "personal_use",
    "work_required",
    "tax_treatment",
    "quoted_in_tc",
)
_EQUITY_TERMS = ("years", "cliff_months", "schedule")
_OPTION_TERMS = ("exercise_window_days",)
_SIGN_ON_TERMS = ("clawback_months", "clawback")


@_rule("get-it-in-writing", "patio11")
def get_it_in_writing(facts: Facts, _: CounterOffer) -> list[Ask]:
    """Always: get every term in writing, listing the terms each grant left unstated (their defaults were assumed)."""
    unstated: list[UnstatedTerms] = []
    for index, grant in enumerate(facts.offer.compute):
        terms = tuple(term for term in _COMPUTE_TERMS if term not in grant.model_fields_set)
        if terms:
            unstated.append(UnstatedTerms("compute", index, terms))
    for index, equity in enumerate(facts.offer.equity):
        names = _EQUITY_TERMS + (_OPTION_TERMS if isinstance(equity, OptionGrant) else ())
        terms = tuple(term for term in names if term not in equity.model_fields_set)
        if terms:
            unstated.append(UnstatedTerms("equity", index, terms))
    sign_on = facts.offer.sign_on
    if sign_on is not None:
        terms = tuple(term for term in _SIGN_ON_TERMS if term not in sign_on.model_fields_set)
        if terms:
            unstated.append(UnstatedTerms("sign_on", None, terms))
    count = sum(len(entry.terms) for entry in unstated)
    numbers: dict[str, Decimal | str] = {"unstated_count": Decimal(count)}
    return [_ask("terms-in-writing", "offer", None, numbers, unstated=tuple(unstated))]


@_rule("ask-for-time", "haseeb-rules")
def ask_for_time(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A decision deadline within the threshold of today (inclusive): ask for more time."""
    negotiation = facts.offer.negotiation
    if negotiation.today is None or negotiation.decision_deadline is None:
        return []
    days_left = (negotiation.decision_deadline - negotiation.today).days
    threshold = facts.threshold("ask_for_time_days")
    if days_left > threshold:
        return []
    numbers: dict[str, Decimal | str] = {"days_left": Decimal(days_left), "threshold": threshold}
    return [_ask("more-time", "offer", None, numbers)]


@_rule("counter-on-flexible", "patio11")
def counter_on_flexible(facts: Facts, counter: CounterOffer) -> list[Ask]:
    """Room left in the one-time sign-on (below its limit): counter there first.

    The ask runs to the counter-offer's sign-on step when it has one, else to the limit.
    """
    current = facts.offer.sign_on.amount if facts.offer.sign_on else ZERO
    limit = cents_down(facts.limit("sign_on_share_of_base") * facts.offer.salary.base)
    if limit <= current:
        return []
    asked = next((step.asked for step in counter.steps if step.component == "sign_on"), limit - current)
    numbers: dict[str, Decimal | str] = {
        "from": cents(current),
        "to": cents(current + asked),
        "limit": limit,
    }
    return [_ask("raise-sign-on", "sign_on", None, numbers, asked, asked)]


@_rule("use-alternatives", "haseeb-rules")
def use_alternatives(facts: Facts, _: CounterOffer) -> list[Ask]:
    """A competing offer's TC is known: ask to match it. Impact: the gap to your cash-equivalent TC.

    The competing TC is a yearly figure; over the horizon it counts horizon / 12 times.
    """
    competing = facts.offer.negotiation.competing_offer_tc
    if competing is None:
        return []
    headline = facts.valuation.headline
    gap_year1 = competing - headline.cash_equivalent_tc_year1
    gap_horizon = competing * Decimal(facts.horizon) / TWELVE - headline.cash_equivalent_tc_horizon
    numbers: dict[str, Decimal | str] = {
        "competing_tc": cents(competing),
        "cash_equivalent_tc": cents(headline.cash_equivalent_tc_year1),
        "gap": cents(gap_year1),
        "gap_horizon": cents(gap_horizon),
    }
    ask = "match-competing-offer" if gap_year1 > 0 else "mention-competing-offer"
    return [_ask(ask, "offer", None, numbers, max(ZERO, gap_year1), max(ZERO, gap_horizon))]


@_rule("quoted-tc-mismatch", "fourth-pillar")
def quoted_tc_mismatch(facts: Facts, _: CounterOffer) -> list[Ask]:
    """The quoted TC differs from the computed advertised TC (beyond the tolerance): ask them to reconcile it.

    Impact: the size of the difference (a yearly figure, the same over the horizon: it is one statement).
    """
    headline = facts.valuation.headline
    if not headline.quoted_tc_mismatch or headline.quoted_tc is None or headline.quoted_tc_difference is None:
        return []
    difference = headline.quoted_tc_difference
    numbers: dict[str, Decimal | str] = {
        "quoted_tc": cents(headline.quoted_tc),
        "computed_tc": cents(headline.advertised_tc_year1),
        "difference": cents(difference),
    }
    return [_ask("reconcile-quoted-tc", "offer", None, numbers, abs(difference), abs(difference))]
