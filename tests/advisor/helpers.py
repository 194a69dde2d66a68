"""Building advice from plain offer data with pinned assumptions, so hand-worked figures stay simple."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from valuation import Offer, Valuation, build_offer, default_registry, value_offer
from valuation.advisor import Advice, Point, advise
from valuation.advisor.result import TargetKind

REGISTRY = default_registry()
# 25% tax, every personal credit spent, one year, credits costing the employer half their face.
PINNED = {"marginal_tax_rate": "25%", "utilization": "100%", "tenure_months": 12, "employer_cost_ratio": "50%"}
BASE_ONLY = {"salary": {"base": "100k"}}


def D(text: str | int) -> Decimal:
    return Decimal(text)


def offer_of(data: dict[str, Any], **assumptions: Any) -> Offer:
    return build_offer({**data, "assumptions": {**PINNED, **assumptions}}, REGISTRY)


def advice_of(
    data: dict[str, Any], *, target: Decimal | None = None, kind: TargetKind = "year1", **assumptions: Any
) -> tuple[Offer, Valuation, Advice]:
    offer = offer_of(data, **assumptions)
    valuation = value_offer(offer, REGISTRY)
    return offer, valuation, advise(offer, valuation, REGISTRY, target=target, target_kind=kind)


def points(data: dict[str, Any], rule_id: str, **assumptions: Any) -> list[Point]:
    """The points one rule gave for an offer, in rank order."""
    _, _, advice = advice_of(data, **assumptions)
    return [point for point in advice.points if point.id == rule_id]


def only(data: dict[str, Any], rule_id: str, **assumptions: Any) -> Point:
    found = points(data, rule_id, **assumptions)
    assert len(found) == 1, found
    return found[0]


def with_compute(**grant: Any) -> dict[str, Any]:
    """A 100k base offer with one compute grant (10k dollars a year unless said otherwise)."""
    return {**BASE_ONLY, "compute": [{"amount": "10k", **grant}]}
