"""Properties of the valuation over the shared offer generator (tests/strategies.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields, replace
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import REGISTRY, invalid_offers, offers
from valuation import Offer, OfferError, Reason, Valuation, build_offer, dumps, load_offer, to_plain, value_offer
from valuation.formulas import CONTEXT, FORMULAS
from valuation.result import YearFigures
from valuation.serialize import exact

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPO = Path(__file__).resolve().parents[2]
# Sums of the same parts in a different order agree to far below a cent at 34 significant digits.
NEGLIGIBLE = Decimal("1e-12")


def valued(data: dict[str, Any], *, traces: bool = True) -> Valuation:
    return value_offer(build_offer(data, REGISTRY), REGISTRY, traces=traces)


def with_changed_grants(offer: Offer, **changes: Any) -> Offer:
    """The same offer with the given fields changed on every compute grant."""
    return offer.model_copy(update={"compute": tuple(grant.model_copy(update=changes) for grant in offer.compute)})


# -- determinism ---------------------------------------------------------------------------------------------------


@SETTINGS
@given(offers())
def test_same_input_gives_byte_identical_json(data: dict[str, Any]) -> None:
    """Valuing the same offer twice gives byte-identical JSON."""
    assert dumps(to_plain(valued(data))) == dumps(to_plain(valued(data)))


_VALUE_ALL = """
import json, sys
from valuation import build_offer, default_registry, dumps, to_plain, value_offer
registry = default_registry()
for data in json.load(sys.stdin):
    sys.stdout.write(dumps(to_plain(value_offer(build_offer(data, registry), registry))))
"""


def test_output_is_identical_across_processes_and_hash_seeds() -> None:
    """Generated offers valued in two processes with different PYTHONHASHSEED give the same bytes as in this one."""
    collected: list[dict[str, Any]] = []

    @settings(max_examples=25, deadline=None, database=None)
    @given(offers())
    def collect(data: dict[str, Any]) -> None:
        collected.append(data)

    collect()
    text = json.dumps(collected)
    expected = "".join(dumps(to_plain(valued(data))) for data in json.loads(text))
    outputs = []
    for seed in ("0", "4242"):
        result = subprocess.run(
            [sys.executable, "-c", _VALUE_ALL],
            input=text,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            text=True,
            encoding="utf-8",
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == expected and len(collected) > 1


@SETTINGS
@given(offers())
def test_traces_off_changes_no_figure(data: dict[str, Any]) -> None:
    """Valuing without traces gives the same figures, only without the trace list."""
    with_traces = to_plain(valued(data))
    without = to_plain(valued(data, traces=False))
    assert without["traces"] == [] and {**with_traces, "traces": []} == without


# -- monotonicity ----------------------------------------------------------------------------------------------------


def _totals(v: Valuation) -> list[Decimal]:
    figures = [v.headline.advertised_tc_horizon, v.headline.cash_equivalent_tc_horizon]
    figures += [y.advertised_tc for y in v.years] + [y.cash_equivalent_tc for y in v.years]
    figures += [s.advertised_tc_horizon for s in v.scenarios] + [s.cash_equivalent_tc_horizon for s in v.scenarios]
    return figures + [m.cash_equivalent for m in v.months]


@SETTINGS
@given(offers(), st.integers(1, 100_000))
def test_more_base_never_lowers_a_total(data: dict[str, Any], raise_by: int) -> None:
    """At a given marginal rate, raising base never lowers any year's, month's, scenario's or the horizon's
    advertised or worth figure. (With the rate estimated from pay, a raise that crosses a bracket raises the tax
    on the whole of a taxable grant, which can cost more than a small raise adds.)"""
    data = {**data, "assumptions": {**data.get("assumptions", {}), "marginal_tax_rate": "35%"}}
    offer = build_offer(data, REGISTRY)
    richer = offer.model_copy(update={"salary": offer.salary.model_copy(update={"base": offer.salary.base + raise_by})})
    before, after = _totals(value_offer(offer, REGISTRY)), _totals(value_offer(richer, REGISTRY))
    assert all(a >= b for a, b in zip(after, before, strict=True))


@SETTINGS
@given(offers())
def test_cash_on_departure_never_lowers_worth_nor_raises_cost_to_leave(data: dict[str, Any]) -> None:
    """Turning every grant's departure term to cash keeps every worth figure and never raises any month's cost to
    leave; a tail never costs more than forfeiting."""
    offer = build_offer(data, REGISTRY)
    forfeit = value_offer(with_changed_grants(offer, on_departure="forfeit"), REGISTRY)
    tail = value_offer(with_changed_grants(offer, on_departure="tail", tail_months=3), REGISTRY)
    cash = value_offer(with_changed_grants(offer, on_departure="cash"), REGISTRY)
    assert all(c >= f for c, f in zip(_totals(cash), _totals(forfeit), strict=True))
    for f_row, t_row, c_row in zip(forfeit.cost_to_leave, tail.cost_to_leave, cash.cost_to_leave, strict=True):
        assert c_row.total <= t_row.total <= f_row.total
        assert c_row.compute_forfeited == 0


@SETTINGS
@given(offers())
def test_net_benefit_never_exceeds_face(data: dict[str, Any]) -> None:
    """Every grant-year's (and total's, in every scenario) personal value and net benefit are at most its face;
    its face differs from today's face by exactly the deflation loss (negative when GPU rents rise)."""
    v = valued(data)
    for grant in v.grants:
        for figures in (*grant.years, grant.total, *grant.scenarios.values()):
            assert figures.net_benefit <= figures.personal_value <= figures.face
            assert figures.tax >= 0 and figures.gross_up >= figures.tax
            # Exact for a year, in the engine's 34-digit context; a total sums the years' losses, which differs
            # from the difference of the summed faces by rounding far below a cent.
            with localcontext(CONTEXT):
                difference = figures.face_today - figures.face
            if figures.n:
                assert difference == figures.deflation_loss
            else:
                assert abs(difference - figures.deflation_loss) < NEGLIGIBLE


def _with_uncertain_tax(data: dict[str, Any]) -> dict[str, Any]:
    """The offer with no rate given, so the rate is estimated with no state known: a low / base / high range
    (no-tax state, median state, highest state), and the scenarios also choose a rate."""
    assumptions = {k: v for k, v in data.get("assumptions", {}).items() if k != "marginal_tax_rate"}
    return {**data, "assumptions": assumptions}


@SETTINGS
@given(offers(), st.booleans())
def test_scenarios_contain_the_base(data: dict[str, Any], uncertain_tax: bool) -> None:
    """Low is the worse figure and high the better one, with base between them: for every grant's cash-equivalent
    (also grants worth less than nothing) and for the offer's year-1 and horizon worth; base is the reported
    figures. Compared to 20 decimal places: two figures that are equal in exact arithmetic but reached through
    different tax rates ((face − face × t) / (1 − t) is the face for any t) can differ in their 34th digit."""
    if uncertain_tax:
        data = _with_uncertain_tax(data)
    v = value_offer(build_offer(data, REGISTRY), REGISTRY, traces=False)
    assert [s.scenario for s in v.scenarios] == ["low", "base", "high"]
    for grant in v.grants:
        low, base, high = (grant.scenarios[s] for s in ("low", "base", "high"))
        assert base == grant.total
        assert _fine(low.cash_equivalent) <= _fine(base.cash_equivalent) <= _fine(high.cash_equivalent)
        if grant.denomination == "dollars":
            assert low.face == base.face == high.face
    low_totals, base_totals, high_totals = v.scenarios
    for name in ("cash_equivalent_tc_year1", "cash_equivalent_tc_horizon", "compute_cash_equivalent_horizon"):
        assert (
            _fine(getattr(low_totals, name)) <= _fine(getattr(base_totals, name)) <= _fine(getattr(high_totals, name))
        )


def _fine(value: Decimal) -> Decimal:
    """``value`` to 20 decimal places, far below any figure shown and far above the core's last digit."""
    with localcontext() as context:
        context.prec = 80  # room for every digit before the point too
        return value.quantize(Decimal("1e-20"))


# -- parts sum to totals ------------------------------------------------------------------------------------------


@SETTINGS
@given(offers())
def test_parts_sum_to_totals(data: dict[str, Any]) -> None:
    """Years, grants, cost to leave and the headline each equal the sum of their parts, before any rounding."""
    v = valued(data)
    offer = build_offer(data, REGISTRY)
    with localcontext(CONTEXT):  # the engine's arithmetic: 34 digits, whatever the caller's context
        _check_parts(v, offer)


def _check_parts(v: Valuation, offer: Offer) -> None:
    assert len(v.months) == len(v.cost_to_leave) == v.horizon_months
    assert sum(y.months for y in v.years) == v.horizon_months
    for y in v.years:
        i = y.n - 1
        assert y.cash == y.base + y.bonus + y.sign_on
        assert y.equity == sum((e.years_vested[i] for e in v.equity), Decimal(0))
        assert y.equity_advertised == sum((e.years_advertised[i] for e in v.equity), Decimal(0))
        for name in ("face", "face_today", "employer_cost", "tax", "gross_up", "net_benefit", "cash_equivalent"):
            assert getattr(y, f"compute_{name}") == sum((getattr(g.years[i], name) for g in v.grants), Decimal(0))
        quoted = sum(
            (g.years[i].face_today for g, c in zip(v.grants, offer.compute, strict=True) if c.quoted_in_tc),
            Decimal(0),
        )
        assert y.advertised_tc == y.cash + y.equity_advertised + quoted
        assert y.cash_equivalent_tc == y.cash + y.equity + y.compute_cash_equivalent
    assert v.headline.advertised_tc_horizon == sum((y.advertised_tc for y in v.years), Decimal(0))
    assert v.headline.cash_equivalent_tc_horizon == sum((y.cash_equivalent_tc for y in v.years), Decimal(0))
    assert v.headline.gap_year1 == v.years[0].advertised_tc - v.years[0].cash_equivalent_tc
    assert abs(v.months[-1].cash_equivalent - v.headline.cash_equivalent_tc_horizon) < NEGLIGIBLE
    for row in v.cost_to_leave:
        parts = row.equity_unvested + row.sign_on_repayment + row.compute_forfeited
        assert row.total == parts and min(row.equity_unvested, row.sign_on_repayment, row.compute_forfeited) >= 0
    for grant in v.grants:
        assert grant.total.tranches == sum(y.tranches for y in grant.years)
        for field in fields(grant.total):
            if field.name not in ("n", "tranches"):
                parts_sum = sum((getattr(y, field.name) for y in grant.years), Decimal(0))
                assert getattr(grant.total, field.name) == parts_sum
    for equity, grant_in in zip(v.equity, offer.equity, strict=True):
        horizon_share = min(Decimal(v.horizon_months), Decimal(grant_in.years * 12)) / (grant_in.years * 12)
        advertised = sum(equity.years_advertised, Decimal(0))
        assert abs(advertised - equity.value_advertised * horizon_share) < NEGLIGIBLE
        # Each year's vesting is the value times that year's share, rounded at the 34th digit, so the years may
        # exceed the value by a rounding unit; never by anything a cent could show.
        assert sum(equity.years_vested, Decimal(0)) <= equity.value_cash_equivalent + NEGLIGIBLE


@SETTINGS
@given(offers())
def test_base_scenario_totals_match_the_years(data: dict[str, Any]) -> None:
    """The base scenario's totals are the year figures' totals."""
    v = valued(data)
    base = v.scenarios[1]
    assert base.advertised_tc_horizon == v.headline.advertised_tc_horizon
    assert base.cash_equivalent_tc_horizon == v.headline.cash_equivalent_tc_horizon
    assert base.cash_equivalent_tc_year1 == v.headline.cash_equivalent_tc_year1


# -- traces ------------------------------------------------------------------------------------------------------------


_YEAR_FIELDS = [f.name for f in fields(YearFigures) if f.name not in ("n", "months")]


@SETTINGS
@given(offers())
def test_every_trace_recomputes_and_every_figure_has_one(data: dict[str, Any]) -> None:
    """Each trace recomputes its value exactly, also from its JSON form; every year, grant-year and
    cost-to-leave figure is the value of a trace with its key."""
    v = valued(data)
    for trace in v.traces:
        assert trace.recompute() == trace.value
    with localcontext(CONTEXT):  # a reader recomputing from JSON uses the engine's 34-digit context
        for plain in to_plain(v)["traces"]:
            inputs = {name: Decimal(text) for name, text in plain["inputs"].items()}
            assert FORMULAS[plain["formula"]](inputs) == Decimal(plain["value"])
    by_key = {trace.key: trace.value for trace in v.traces}
    assert len(by_key) == len(v.traces)  # keys are unique
    for y in v.years:
        for name in _YEAR_FIELDS:
            if name == "sign_on" and y.n > 1:
                continue
            assert by_key[f"years[{y.n}].{name}"] == getattr(y, name)
    for i, grant in enumerate(v.grants):
        for gy in grant.years:
            for name in ("face", "employer_cost", "personal_value", "tax", "net_benefit", "cash_equivalent"):
                assert by_key[f"grants[{i}].years[{gy.n}].{name}"] == getattr(gy, name)
    for row in v.cost_to_leave:
        assert by_key[f"cost_to_leave[{row.month}].total"] == row.total
        assert by_key[f"cost_to_leave[{row.month}].compute_forfeited"] == row.compute_forfeited
    assert by_key["headline.gap_year1"] == v.headline.gap_year1


# -- only OfferError -------------------------------------------------------------------------------------------------


@SETTINGS
@given(invalid_offers())
def test_invalid_offers_raise_only_offer_error_with_problems(data: dict[str, Any]) -> None:
    """Every broken offer is refused with OfferError whose problems each name a field, a reason and an example."""
    try:
        build_offer(data, REGISTRY)
    except OfferError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.field and problem.reason and problem.example
    else:
        raise AssertionError(f"accepted a broken offer: {data!r}")


@SETTINGS
@given(invalid_offers())
def test_invalid_offers_as_json_text_raise_only_offer_error(data: dict[str, Any]) -> None:
    """The same broken offers written as JSON text are refused by load_offer with OfferError."""
    try:
        text = json.dumps(data, allow_nan=True)
    except TypeError:  # a few breakages are not JSON at all
        return
    try:
        load_offer(text, REGISTRY)
    except OfferError:
        return
    raise AssertionError(f"accepted a broken offer: {text}")


_junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def _accepts_or_refuses(load: Any) -> None:
    """Calls ``load``; anything refused must be an OfferError; an accepted offer must value without error, except
    that a tax rate which can only be estimated at valuation (a person's defaults may still give the rate or the
    usd_rate) is refused there, as an OfferError naming that reason."""
    try:
        offer = load()
    except OfferError as exc:
        assert exc.problems
        return
    try:
        value_offer(offer, REGISTRY, traces=False)
    except OfferError as exc:
        assert {p.reason for p in exc.problems} <= {Reason.NEEDS_TAX_RATE, Reason.PAY_NEEDS_USD_RATE}


@SETTINGS
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_random_text_into_load_offer_raises_only_offer_error(text: str | bytes) -> None:
    """Any text or bytes into load_offer give an offer that values, or OfferError; never another exception."""
    _accepts_or_refuses(lambda: load_offer(text, REGISTRY))


@SETTINGS
@given(_junk)
def test_random_data_into_build_offer_raises_only_offer_error(data: Any) -> None:
    """Arbitrary nested data into build_offer gives an offer that values, or OfferError."""
    _accepts_or_refuses(lambda: build_offer(data, REGISTRY))


@st.composite
def _offer_with_one_junk_leaf(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(offers())
    tables = [key for key, value in data.items() if isinstance(value, dict)]
    table = draw(st.sampled_from(tables))
    keys = sorted(data[table]) or ["x"]
    data[table] = {**data[table], draw(st.sampled_from(keys)): draw(_junk)}
    grants = [g for g in data["compute"] + data["equity"] if isinstance(g, dict)]
    if grants:
        grant = draw(st.sampled_from(grants))
        grant[draw(st.sampled_from(sorted(grant)))] = draw(_junk)
    return data


@SETTINGS
@given(_offer_with_one_junk_leaf())
def test_one_junk_field_raises_only_offer_error(data: dict[str, Any]) -> None:
    """A valid offer with junk in one field values or is refused with OfferError, nothing else."""
    _accepts_or_refuses(lambda: build_offer(data, REGISTRY))


def test_replace_keeps_a_dataclass_result_immutable() -> None:
    """Results are frozen: a caller changes a figure only by making a new result."""
    v = valued({"salary": {"base": "100k"}})
    year = replace(v.years[0], base=Decimal(1))
    assert year.base == 1 and v.years[0].base == Decimal(100000)


def test_exact_text_keeps_all_34_digits_whatever_the_callers_context() -> None:
    """A figure with 34 significant digits is written with all of them, so a 7,393.4999… horizon total is shown as
    7,393 (rounded once, half-even), never first cut to 28 digits (7,393.5) and then shown as 7,394."""
    figure = Decimal("7393.499999999999999999999999999999")
    assert exact(figure) == "7393.499999999999999999999999999999"
    assert exact(Decimal("120000.00")) == "120000" and exact(Decimal("-0")) == "0"
