"""Ranking: by horizon impact, then year-1 impact, then id; the same points whatever order grants are listed in."""

from __future__ import annotations

from typing import Any

from tests.advisor.helpers import advice_of
from valuation import to_plain
from valuation.advisor import RULE_IDS, SOURCES, Advice

COMPUTE: list[dict[str, Any]] = [
    {"amount": "50k", "cadence": "yearly"},
    {
        "tokens": "100M",
        "model": "claude-sonnet-4.5",
        "cadence": "monthly",
        "personal_use": True,
        "work_required": "60%",
    },
    {"gpu_hours": 500, "gpu": "h100", "on_departure": "tail", "tail_months": 2, "expiry_months": 6},
]
EQUITY: list[dict[str, Any]] = [
    {"kind": "option", "shares": 10000, "strike": "2", "preferred_price": "10"},
    {"kind": "rsu", "grant_value": "200k", "schedule": "5/15/40/40"},
]
OFFER: dict[str, Any] = {
    "quoted_tc": "400k",
    "salary": {"base": "200k"},
    "bonus": {"target": "15%"},
    "sign_on": {"amount": "20k", "clawback_months": 12, "clawback": "full"},
    "negotiation": {"today": "2026-11-20", "decision_deadline": "2026-11-25", "competing_offer_tc": "320k"},
}


def _advice(compute: list[dict[str, Any]], equity: list[dict[str, Any]]) -> Advice:
    _, _, advice = advice_of({**OFFER, "compute": compute, "equity": equity}, tenure_months=48, utilization="70%")
    return advice


def _without_positions(advice: Advice) -> list[dict[str, Any]]:
    """The points as plain data minus where each grant sits in the offer (and unstated terms sorted)."""
    plain: list[dict[str, Any]] = to_plain(advice)["points"]
    for point in plain:
        point.pop("index")
        point["unstated"] = sorted((entry["scope"], entry["terms"]) for entry in point["unstated"])
    return plain


def test_points_are_ranked_by_horizon_then_year1_then_id() -> None:
    """Ranks run 1..n and each point sorts no later than the next by (-horizon, -year 1, id)."""
    advice = _advice(COMPUTE, EQUITY)
    assert [p.rank for p in advice.points] == list(range(1, len(advice.points) + 1))
    keys = [(-p.impact_horizon, -p.impact_year1, p.id) for p in advice.points]
    assert keys == sorted(keys)
    assert {p.id for p in advice.points} <= set(RULE_IDS)
    assert {p.source for p in advice.points} <= set(SOURCES)


def test_ranking_is_the_same_whatever_order_grants_are_listed_in() -> None:
    """Grants listed in reverse give the same points, numbers and ranks (only the grant positions differ)."""
    forward = _advice(COMPUTE, EQUITY)
    backward = _advice(COMPUTE[::-1], EQUITY[::-1])
    assert _without_positions(forward) == _without_positions(backward)
    assert forward.counter_offer.total == backward.counter_offer.total


def test_advice_is_deterministic() -> None:
    """The same offer twice gives byte-identical plain data."""
    assert to_plain(_advice(COMPUTE, EQUITY)) == to_plain(_advice(COMPUTE, EQUITY))
