"""``advise``: run every rule and the composer over one valuation, and rank the points."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

from valuation.advisor.composer import compose
from valuation.advisor.facts import Facts
from valuation.advisor.result import ADVICE_SCHEMA_VERSION, Advice, Point, TargetKind
from valuation.advisor.rules import RULES, Ask, Rule
from valuation.formulas import CONTEXT
from valuation.offer import Offer
from valuation.registry import Registry
from valuation.result import Valuation


def _order(point: Point) -> tuple[object, ...]:
    """Horizon impact, then year-1 impact (both descending), then id; the rest only breaks exact ties.

    The tie-breakers use what a point says before where it sits (its grant index comes last), so grants listed
    in another order give the same points in the same order.
    """
    numbers = tuple(sorted((key, str(value)) for key, value in point.numbers.items()))
    return (-point.impact_horizon, -point.impact_year1, point.id, point.ask, point.scope, numbers, point.index or 0)


def _point(rule: Rule, ask: Ask) -> Point:
    return Point(
        id=rule.id,
        ask=ask.ask,
        rank=0,
        scope=ask.scope,
        index=ask.index,
        numbers=ask.numbers,
        impact_year1=ask.impact_year1,
        impact_horizon=ask.impact_horizon,
        source=rule.source,
        unstated=ask.unstated,
    )


def advise(
    offer: Offer,
    valuation: Valuation,
    registry: Registry,
    *,
    target: Decimal | None = None,
    target_kind: TargetKind = "year1",
) -> Advice:
    """What to ask for, ranked, and a counter-offer reaching ``target`` (default: see ``compose``).

    ``valuation`` must be ``value_offer(offer, registry, ...)``; pure and deterministic like the valuation.
    """
    facts = Facts(offer, valuation, registry)
    with localcontext(CONTEXT):
        counter = compose(facts, target, target_kind)
        points = [_point(rule, ask) for rule in RULES for ask in rule.find(facts, counter)]
    ranked = tuple(replace(point, rank=rank) for rank, point in enumerate(sorted(points, key=_order), start=1))
    return Advice(
        schema_version=ADVICE_SCHEMA_VERSION,
        currency=valuation.currency,
        today=offer.negotiation.today,
        horizon_months=valuation.horizon_months,
        points=ranked,
        counter_offer=counter,
    )
