"""One formula path: each trace recomputes its figure, every reported figure has a trace, and the month-by-month
tables and traces are built only when read."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import FrozenInstanceError, dataclass, fields
from decimal import Context, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import REGISTRY, offers
from valuation import build_offer, value_explained, value_offer
from valuation.formulas import FORMULAS, Trace
from valuation.frozen import direct_init
from valuation.result import GrantFigures, Headline, Lazy, LeaveCost, ScenarioTotals, Traces, Valuation, YearFigures
from valuation.vesting import vested_fractions, vesting_table

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _expected_keys(v: Valuation) -> dict[str, Decimal]:
    """Every reported money figure of a valuation, by the key its trace must carry."""
    keys: dict[str, Decimal] = {}
    for year in v.years:
        for field in fields(YearFigures):
            if field.name not in ("n", "months") and not (field.name == "sign_on" and year.n > 1):
                keys[f"years[{year.n}].{field.name}"] = getattr(year, field.name)
    for e in v.equity:
        keys[f"equity[{e.index}].value"] = e.value_advertised
        keys[f"equity[{e.index}].value_cash_equivalent"] = e.value_cash_equivalent
        if e.kind == "option":
            keys[f"equity[{e.index}].exercise_cash"] = e.exercise_cash
        for n, (advertised, vested) in enumerate(zip(e.years_advertised, e.years_vested, strict=True), 1):
            keys[f"equity[{e.index}].years[{n}].advertised"] = advertised
            keys[f"equity[{e.index}].years[{n}].vested"] = vested
    for g in v.grants:
        names = [field.name for field in fields(GrantFigures) if field.name not in ("n", "tranches")]
        for year in g.years:
            for name in names:
                keys[f"grants[{g.index}].years[{year.n}].{name}"] = getattr(year, name)
        for name in names:
            keys[f"grants[{g.index}].total.{name}"] = getattr(g.total, name)
        for scenario, figures in g.scenarios.items():
            keys[f"grants[{g.index}].scenarios.{scenario}.cash_equivalent"] = figures.cash_equivalent
        keys[f"grants[{g.index}].max_forfeit_on_leaving"] = g.max_forfeit_on_leaving
        if g.price_source != "face":
            keys[f"grants[{g.index}].unit_price"] = g.unit_price
    for totals in v.scenarios:
        for field in fields(ScenarioTotals):
            if field.name != "scenario":
                keys[f"scenarios.{totals.scenario}.{field.name}"] = getattr(totals, field.name)
    for month in v.months:
        keys[f"months[{month.m}].cash_equivalent"] = month.cash_equivalent
    for row in v.cost_to_leave:
        for field in fields(LeaveCost):
            if field.name != "month":
                keys[f"cost_to_leave[{row.month}].{field.name}"] = getattr(row, field.name)
    for cash in v.exercise_cash:
        keys[f"exercise_cash[{cash.month}].total"] = cash.total
    for field in fields(Headline):
        value = getattr(v.headline, field.name)
        # Year 1's totals are traced as the year's figures; a quoted TC is an input.
        if isinstance(value, Decimal) and field.name not in (
            "advertised_tc_year1",
            "cash_equivalent_tc_year1",
            "quoted_tc",
        ):
            keys[f"headline.{field.name}"] = value
    return keys


@SETTINGS
@given(offers())
def test_every_reported_figure_has_a_trace_that_recomputes_it(data: dict[str, Any]) -> None:
    """Each reported figure (years, equity, grants and their scenarios, scenario totals, every month's running total,
    cost to leave and exercise cash, headline) has a trace under its key whose formula, applied to the trace's
    inputs, gives exactly that figure."""
    valuation = value_offer(build_offer(data, REGISTRY), REGISTRY)
    by_key = {trace.key: trace for trace in valuation.traces}
    assert len(by_key) == len(valuation.traces)  # keys are unique
    for key, figure in _expected_keys(valuation).items():
        trace = by_key[key]
        assert trace.value == figure, key
        assert trace.recompute() == figure, key


@SETTINGS
@given(offers())
def test_traced_and_untraced_runs_give_the_same_figures(data: dict[str, Any]) -> None:
    """The recording run that produces the traces and the plain run give identical figures, unrounded, the
    month-by-month tables included."""
    offer = build_offer(data, REGISTRY)
    plain = value_offer(offer, REGISTRY, traces=False)
    traced = value_offer(offer, REGISTRY)
    by_key = {trace.key: trace.value for trace in traced.traces}
    assert {**by_key, **_expected_keys(plain)} == by_key


@SETTINGS
@given(offers())
def test_traces_outside_the_tables_are_the_same_traces_without_the_tables(data: dict[str, Any]) -> None:
    """The traces a short view reads (recorded by a run that skips the month-by-month tables) are exactly the full
    traces less those of the running total, cost to leave and exercise cash, in the same order; and once the full
    traces are read, the same filtered list comes from them."""
    offer = build_offer(data, REGISTRY)
    short = value_offer(offer, REGISTRY).traces.outside_tables()
    full = value_offer(offer, REGISTRY).traces
    expected = [t for t in full if not t.key.startswith(("months[", "cost_to_leave[", "exercise_cash["))]
    assert list(short) == expected
    assert list(full.outside_tables()) == expected


@SETTINGS
@given(offers())
def test_one_run_valuation_is_the_same_valuation(data: dict[str, Any]) -> None:
    """value_explained (traces outside the tables recorded by the valuing run) gives the valuation value_offer
    gives: every figure, the month-by-month tables built later and the full traces alike, and the same traces
    outside the tables."""
    offer = build_offer(data, REGISTRY)
    explained = value_explained(offer, REGISTRY)
    reference = value_offer(offer, REGISTRY)
    assert explained.traces.outside_tables() == reference.traces.outside_tables()
    assert explained == reference
    assert list(explained.cost_to_leave) == list(reference.cost_to_leave)


def test_traces_outside_the_tables_skip_the_tables_until_they_are_read() -> None:
    """Reading only the traces outside the tables never builds the full traces (their builder is not called)."""
    calls: list[str] = []
    trace = Trace("years[1].base", "sum", (("a", Decimal(1)),), Decimal(1))
    month = Trace("months[1].cash_equivalent", "sum", (("a", Decimal(1)),), Decimal(1))

    def full() -> tuple[Trace, ...]:
        calls.append("full")
        return (trace, month)

    def outside() -> tuple[Trace, ...]:
        calls.append("outside")
        return (trace,)

    traces = Traces(full, outside)
    assert traces.outside_tables() == (trace,) and traces.outside_tables() == (trace,)
    assert calls == ["outside"]
    assert list(traces) == [trace, month] and calls == ["outside", "full"]


def test_formulas_by_name_are_the_engines_functions() -> None:
    """A formula called with named inputs gives what the engine's function gives with the same inputs."""
    inputs = {"face": Decimal(10), "personal_share": Decimal("0.4"), "utilization": Decimal("0.7")}
    assert FORMULAS["compute.personal_value"](inputs) == Decimal("2.8")
    assert FORMULAS["sum"]({"a": Decimal(1), "b": Decimal(2)}) == 3 and FORMULAS["maximum"]({}) == 0


def test_traces_off_leaves_them_empty() -> None:
    """traces=False gives an empty trace list; with traces they are there when read."""
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


def test_the_fast_constructor_keeps_a_dataclasss_defaults_and_order() -> None:
    """With defaults and a default factory: the same parameters, in the same order, as the dataclass's own
    ``__init__``; a factory is called for every instance (nothing shared); a missing argument is refused."""

    @direct_init
    @dataclass(frozen=True, slots=True)
    class Row:
        name: str
        amount: Decimal = Decimal(0)
        notes: list[str] = dataclasses.field(default_factory=list)

    assert Row("a") == Row(name="a", amount=Decimal(0), notes=[])
    assert Row("a", Decimal(2)).amount == Decimal(2) and Row("a", notes=["x"]).notes == ["x"]
    first, second = Row("a"), Row("b")
    assert first.notes is not second.notes
    with pytest.raises(TypeError):
        Row()  # type: ignore[call-arg]
    with pytest.raises(FrozenInstanceError):
        first.name = "b"  # type: ignore[misc]
    assert Row.__init__.__qualname__.endswith("Row.__init__")


def test_the_fast_constructor_refuses_what_it_would_skip() -> None:
    """A ``__post_init__`` or a keyword-only field would be silently skipped or reordered: refused instead."""
    with pytest.raises(AssertionError):

        @direct_init
        @dataclass(frozen=True, slots=True)
        class Checked:
            amount: Decimal

            def __post_init__(self) -> None:
                raise ValueError

    with pytest.raises(AssertionError):

        @direct_init
        @dataclass(frozen=True, slots=True, kw_only=True)
        class Keywords:
            amount: Decimal


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
    vesting_table.cache_clear()
    fresh = value_offer(offer, REGISTRY, traces=False)
    assert valuation.cost_to_leave == fresh.cost_to_leave and valuation.months == fresh.months


def test_month_tables_are_built_on_first_read_in_the_cores_context() -> None:
    """The month-by-month tables are built when first read, once, and to 34 digits even when read under a
    caller's 5-digit context."""
    data = {"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "100k", "years": 3}]}
    valuation = value_offer(build_offer(data, REGISTRY), REGISTRY, traces=False)
    assert isinstance(valuation.months, Lazy) and repr(valuation.months) == "Lazy(…)"
    with localcontext(Context(prec=5)):
        month = valuation.months[0]
    assert month.cash_equivalent == Decimal("8333.333333333333333333333333333333")  # 100,000 / 12 to 34 digits
    assert repr(valuation.months) == "Lazy(48 items)" and valuation.months[0] is month


@SETTINGS
@given(offers())
def test_a_month_read_alone_is_that_month_of_the_whole_table(data: dict[str, Any]) -> None:
    """Reading a few months of the cost of leaving and the exercise cash (one by one, or together as the breakdown
    does) makes those months alone, and without building the tables; each is exactly that month's row of the table
    built in full, for the first, last and middle months and the breakdown's, read under a caller's 5-digit context."""
    offer = build_offer(data, REGISTRY)
    alone = value_offer(offer, REGISTRY, traces=False)
    whole = value_offer(offer, REGISTRY, traces=False)
    horizon = alone.horizon_months
    months = sorted({1, horizon // 2 or 1, horizon, *(m for m in (11, 12, 13, 24) if m <= horizon)})
    with localcontext(Context(prec=5)):
        read = [(alone.leave_at(m), alone.exercise_cash[m - 1]) for m in months]
        together = list(zip(alone.leave_after([*months, 1]), alone.exercise_after([*months, 1]), strict=True))
    assert repr(alone.cost_to_leave) == "Lazy(…)" and repr(alone.exercise_cash) == "Lazy(…)"
    assert len(alone.cost_to_leave) == horizon and repr(alone.cost_to_leave) == "Lazy(…)"
    leave, exercise = list(whole.cost_to_leave), list(whole.exercise_cash)  # the tables built in full
    assert [row.month for row in leave] == list(range(1, horizon + 1))
    assert read == [(leave[m - 1], exercise[m - 1]) for m in months]
    assert together == [*read, read[0]]
    fresh = value_offer(offer, REGISTRY, traces=False)
    assert fresh.leave_after(months) == [leave[m - 1] for m in months]  # made together, in one go
    assert list(alone.cost_to_leave) == leave  # built in full after the single reads, the same


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
