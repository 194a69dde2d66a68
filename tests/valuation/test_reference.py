"""The fast engine and the reference (formula-table) engine agree on every figure, and the traces explain it."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.strategies import REGISTRY, offers
from valuation import build_offer, value_offer
from valuation.explain import explain_offer

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIGURES = ("headline", "years", "months", "cost_to_leave", "equity", "grants", "scenarios", "assumptions")


@SETTINGS
@given(offers())
def test_fast_engine_equals_the_reference_exactly(data: dict[str, Any]) -> None:
    """Every figure value_offer computes equals, unrounded, the one the formula table computes."""
    offer = build_offer(data, REGISTRY)
    fast = value_offer(offer, REGISTRY, traces=False)
    reference = explain_offer(offer, REGISTRY)
    for name in FIGURES:
        assert getattr(fast, name) == getattr(reference, name), name


@SETTINGS
@given(offers())
def test_traces_are_the_reference_traces_and_match_the_figures(data: dict[str, Any]) -> None:
    """Traces read from a valuation are the reference run's, and each names a figure of the same value."""
    offer = build_offer(data, REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    assert tuple(valuation.traces) == tuple(explain_offer(offer, REGISTRY).traces)
    by_key = {trace.key: trace.value for trace in valuation.traces}
    for year in valuation.years:
        assert by_key[f"years[{year.n}].cash_equivalent_tc"] == year.cash_equivalent_tc
        assert by_key[f"years[{year.n}].advertised_tc"] == year.advertised_tc
    for row in valuation.cost_to_leave:
        assert by_key[f"cost_to_leave[{row.month}].total"] == row.total
    for month in valuation.months:
        assert by_key[f"months[{month.m}].cash_equivalent"] == month.cash_equivalent
    for grant in valuation.grants:
        for name in ("face", "net_benefit", "cash_equivalent", "tax", "gross_up", "employer_cost"):
            assert by_key[f"grants[{grant.index}].total.{name}"] == getattr(grant.total, name)


def test_traces_off_leaves_them_empty() -> None:
    """traces=False gives an empty trace list without running the reference."""
    offer = build_offer({"salary": {"base": "100k"}}, REGISTRY)
    assert len(value_offer(offer, REGISTRY, traces=False).traces) == 0
    assert len(value_offer(offer, REGISTRY).traces) > 0
