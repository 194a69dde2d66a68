"""The fast engine and the reference (formula-table) engine agree on every figure, and the traces explain it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import FrozenInstanceError
from decimal import Context, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import REGISTRY, offers
from valuation import build_offer, value_offer
from valuation.explain import explain_offer
from valuation.formulas import Trace
from valuation.result import LeaveCost, Traces
from valuation.vesting import vested_fractions, vesting_table

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


def test_traces_are_built_once_on_first_read() -> None:
    """A Traces sequence calls its builder only when first read, and only once."""
    calls: list[int] = []
    trace = Trace("x", "sum", (("a", Decimal(1)),), Decimal(1))

    def build() -> tuple[Trace, ...]:
        calls.append(1)
        return (trace,)

    traces = Traces(build)
    assert calls == []
    assert list(traces) == [trace] and traces[0] is trace and len(traces) == 1
    assert calls == [1]
    assert traces == (trace,) and traces == Traces((trace,))


def test_result_rows_stay_frozen() -> None:
    """Rows built by the fast constructor are still frozen dataclasses that compare by value."""
    row = LeaveCost(1, Decimal(3), Decimal(1), Decimal(1), Decimal(1))
    with pytest.raises(FrozenInstanceError):
        row.total = Decimal(0)  # type: ignore[misc]
    assert row == LeaveCost(
        month=1,
        total=Decimal(3),
        equity_unvested=Decimal(1),
        sign_on_repayment=Decimal(1),
        compute_forfeited=Decimal(1),
    )


def test_vesting_tables_do_not_depend_on_the_callers_decimal_context() -> None:
    """Vesting shares first asked for under a 5-digit caller context (as the advisor may) are still computed to
    34 digits, so the figures built from them are the reference's."""
    data = {
        "salary": {"base": "100k"},
        "equity": [{"kind": "rsu", "grant_value": "100k", "years": 3, "cliff_months": 7}],
    }
    offer = build_offer(data, REGISTRY)
    vesting_table.cache_clear()
    with localcontext(Context(prec=5)):
        seven_of_36 = vested_fractions(offer.equity[0], 36)[7]
    assert seven_of_36 == Decimal("0.1944444444444444444444444444444444")  # 34 digits, not 5
    valuation = value_offer(offer, REGISTRY, traces=False)
    reference = explain_offer(offer, REGISTRY)
    assert valuation.cost_to_leave == reference.cost_to_leave and valuation.months == reference.months


def test_bench_runs_and_reports_against_its_baseline() -> None:
    """`python -m bench` prints the baseline, the valuation rate as a ratio of it, and peak memory."""
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--seconds", "0.02"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "baseline: parse + validate" in result.stdout
    assert "× baseline" in result.stdout and "peak memory" in result.stdout
