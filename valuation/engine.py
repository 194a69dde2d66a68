"""The valuation: every pillar over the years, three values per compute grant, cost to leave by month.

Pure and deterministic: no clock, no randomness, no I/O. All arithmetic runs in one fixed decimal context.

One implementation. Each figure is computed by its formula in :mod:`valuation.formulas`; when traces are asked for,
the same run records each formula's id and inputs (``self.rec``); when they are not, ``self.rec`` is ``None`` and
every recording site is skipped by one test of it. The month-by-month tables (running total, cost to leave, cash to
keep options) are built only when first read, and the traces only when first read, by a recording run of this
same code.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from typing import TypeVar

from valuation import formulas as f
from valuation.assumptions import AssumptionUsed, Layer, jurisdiction_of, resolve
from valuation.formulas import CONTEXT, ONE, TWELVE, ZERO, Recorder, Trace
from valuation.offer import ComputeGrant, Offer, OptionGrant, RsuGrant
from valuation.registry import Range, Registry, default_registry
from valuation.result import (
    SCENARIOS,
    SCHEMA_VERSION,
    ComputeGrantResult,
    EquityGrantResult,
    ExerciseCash,
    GrantFigures,
    Headline,
    Lazy,
    LeaveCost,
    MonthFigures,
    Notice,
    ScenarioTotals,
    Traces,
    Valuation,
    YearFigures,
)
from valuation.tranches import (
    ScenarioInputs,
    assumed_terms,
    carries,
    forfeits,
    inside_shares,
    landing_months,
    personal_share,
    scenario_inputs,
    treatment,
)
from valuation.vesting import vesting_table

_NO_TRACES = Traces(())


def value_offer(
    offer: Offer, registry: Registry | None = None, layers: Sequence[Layer] = (), *, traces: bool = True
) -> Valuation:
    """Value an offer. ``layers`` carry personal and server defaults.

    With ``traces`` (the default) the result's traces are produced when first read; ``traces=False`` leaves
    them empty.
    """
    registry = registry or default_registry()
    kept_layers = tuple(layers)
    explained = _NO_TRACES
    if traces:
        # The closure keeps only immutable inputs, so the traces explain this valuation whenever they are read.
        explained = Traces(
            lambda: _record(offer, registry, kept_layers),
            lambda: _record(offer, registry, kept_layers, tables=False),
        )
    with localcontext(CONTEXT):
        return _Valuer(offer, registry, kept_layers, None).run(explained)


def value_explained(offer: Offer, registry: Registry | None = None, layers: Sequence[Layer] = ()) -> Valuation:
    """:func:`value_offer` with traces, for a view that shows some at once: the traces outside the month-by-month
    tables (:meth:`Traces.outside_tables`) are recorded by the run that values the offer, so one run does what
    would take two. The tables and the full traces are still built when first read, by runs of their own."""
    registry = registry or default_registry()
    kept_layers = tuple(layers)
    recorder = Recorder()
    traces = Traces(lambda: _record(offer, registry, kept_layers), lambda: recorder.traces)
    with localcontext(CONTEXT):
        valuer = _Valuer(offer, registry, kept_layers, recorder)
        valuation = valuer.run(traces, record_tables=False)
    valuer.rec = None  # the tables, built when read, record nothing into a list already handed over
    return valuation


def _record(offer: Offer, registry: Registry, layers: Sequence[Layer], *, tables: bool = True) -> tuple[Trace, ...]:
    """Every trace, in order: the same valuation run with a recorder (``tables=False``: all but the month-by-month
    tables', which that run does not build)."""
    recorder = Recorder()
    with localcontext(CONTEXT):
        _Valuer(offer, registry, layers, recorder).run(_NO_TRACES, record_tables=tables)
    return tuple(recorder.traces)


# The fields of a compute grant's figures, in GrantFigures order after n and tranches.
_GRANT_FIELDS = (
    "face",
    "face_today",
    "employer_cost",
    "personal_value",
    "tax",
    "net_benefit",
    "cash_equivalent",
    "gross_up",
    "deflation_loss",
    "expected_forfeiture",
)
_ZERO_FIGURES = (ZERO,) * len(_GRANT_FIELDS)
_FACE_TODAY = _GRANT_FIELDS.index("face_today")
_CASH_EQUIVALENT = _GRANT_FIELDS.index("cash_equivalent")
# A schedule's vested, unvested and newly vested share by month (see valuation.vesting.vesting_table).
_Table = tuple[tuple[Decimal, ...], tuple[Decimal, ...], tuple[Decimal, ...]]


@dataclass(slots=True)
class _GrantRun:
    """One compute grant valued in one scenario: ``rows`` holds each year's figures in GrantFigures order."""

    rows: list[tuple[Decimal, ...]]
    counts: list[int]
    total: GrantFigures
    inputs: ScenarioInputs
    unit_price: Decimal

    def tranche_faces(self, units: Decimal, year_count: int) -> list[Decimal]:
        """One whole tranche's face in each year (what leaving mid-tranche loses part of)."""
        price, deflation = self.unit_price, self.inputs.deflation
        return [f.face(ONE, units, price, ONE, deflation, Decimal(n)) for n in range(year_count)]


class _Valuer:
    __slots__ = ("horizon", "layers", "offer", "rec", "registry", "used", "year_count")

    def __init__(self, offer: Offer, registry: Registry, layers: Sequence[Layer], rec: Recorder | None) -> None:
        self.offer = offer
        self.registry = registry
        self.layers = layers
        self.rec = rec
        self.used = resolve(offer, layers, registry)
        self.horizon = int(self._range("tenure_months").base)
        self.year_count = (self.horizon + 11) // 12

    def _range(self, name: str) -> Range:
        value = self.used[name].value
        assert value is not None
        return value

    def months_in_year(self, n: int) -> int:
        return min(12, self.horizon - 12 * (n - 1))

    # -- cash ----------------------------------------------------------------------------------------------------
    def cash_years(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        rec = self.rec
        base_salary = self.offer.salary.base
        bonus = self.offer.bonus
        if bonus is not None and isinstance(bonus.target, tuple):
            share = bonus.target[1]
            target = f.bonus_target(base_salary, share)
            if rec:
                rec.add("bonus.target", "bonus.target", target, base_salary, share)
        else:
            target = self.offer.bonus_yearly
        amount = self.offer.sign_on.amount if self.offer.sign_on else ZERO
        rows = []
        for n in range(1, self.year_count + 1):
            months = Decimal(self.months_in_year(n))
            base = f.salary_year(base_salary, months)
            bonus_year = f.bonus_year(target, months)
            sign_on = f.sign_on_year(amount) if n == 1 else ZERO
            if rec:
                rec.add(f"years[{n}].base", "salary.year", base, base_salary, months)
                rec.add(f"years[{n}].bonus", "bonus.year", bonus_year, target, months)
                if n == 1:
                    rec.add(f"years[{n}].sign_on", "sign_on.year", sign_on, amount)
            rows.append((base, bonus_year, sign_on))
        return rows

    # -- equity --------------------------------------------------------------------------------------------------
    def equity(self) -> tuple[list[EquityGrantResult], list[_Table]]:
        rec = self.rec
        results: list[EquityGrantResult] = []
        tables: list[_Table] = []
        horizon = self.horizon
        for i, grant in enumerate(self.offer.equity):
            underwater = False
            exercise = ZERO
            if isinstance(grant, RsuGrant):
                value = f.rsu_value(grant.grant_value)
                discount = ZERO
                if rec:
                    rec.add(f"equity[{i}].value", "equity.value.rsu", value, grant.grant_value)
            else:
                value = f.option_value(grant.shares, grant.preferred_price, grant.strike)
                discount = self.registry.stage_discounts[grant.stage]
                underwater = grant.strike >= grant.preferred_price
                in_the_money = ZERO if underwater else ONE
                exercise = f.exercise_cash(grant.shares, grant.strike, in_the_money)
                if rec:
                    rec.add(
                        f"equity[{i}].value",
                        "equity.value.option",
                        value,
                        grant.shares,
                        grant.preferred_price,
                        grant.strike,
                    )
                    rec.add(
                        f"equity[{i}].exercise_cash",
                        "equity.exercise_cash",
                        exercise,
                        grant.shares,
                        grant.strike,
                        in_the_money,
                    )
            value_ce = f.discounted(value, discount)
            if rec:
                rec.add(f"equity[{i}].value_cash_equivalent", "equity.value.discounted", value_ce, value, discount)
            vesting_months = grant.years * 12
            grant_years = Decimal(grant.years)
            table = vesting_table(grant.years, grant.cliff_months, grant.schedule, max(horizon, 12))
            tables.append(table)
            fractions = table[0]
            advertised: list[Decimal] = []
            vested: list[Decimal] = []
            for n in range(1, self.year_count + 1):
                start = 12 * (n - 1)
                end = min(12 * n, horizon)
                months = Decimal(max(0, min(end, vesting_months) - start))
                share = fractions[end] - fractions[start]
                year_advertised = f.advertised_year(value, grant_years, months)
                year_vested = f.vested_year(value_ce, share)
                if rec:
                    key = f"equity[{i}].years[{n}]"
                    rec.add(f"{key}.advertised", "equity.advertised.year", year_advertised, value, grant_years, months)
                    rec.add(f"{key}.vested", "equity.vested.year", year_vested, value_ce, share)
                advertised.append(year_advertised)
                vested.append(year_vested)
            results.append(
                EquityGrantResult(
                    index=i,
                    kind=grant.kind,
                    value_advertised=value,
                    value_cash_equivalent=value_ce,
                    discount=discount,
                    years_advertised=tuple(advertised),
                    years_vested=tuple(vested),
                    first_year_share=fractions[12],
                    underwater=underwater,
                    exercise_cash=exercise,
                )
            )
        return results, tables

    # -- compute -------------------------------------------------------------------------------------------------
    def compute_grants(self, i: int, grant: ComputeGrant, landings: list[int]) -> dict[str, _GrantRun]:
        """The grant in each scenario; a scenario whose inputs equal the base's shares the base's figures. Only the
        base scenario's figures are traced, and each scenario's total cash-equivalent."""
        inside = inside_shares(grant, landings, self.horizon, self.year_count)
        base_inputs = scenario_inputs(grant, self.used, self.registry, "base")
        base = self.compute_grant(i, grant, base_inputs, landings, inside, self.rec)
        runs = {"base": base}
        for scenario in ("low", "high"):
            inputs = scenario_inputs(grant, self.used, self.registry, scenario)
            same = inputs.key() == base_inputs.key()
            runs[scenario] = base if same else self.compute_grant(i, grant, inputs, landings, inside, None)
        if self.rec:
            for scenario in SCENARIOS:
                rows = runs[scenario].rows
                self.rec.parts(
                    f"grants[{i}].scenarios.{scenario}.cash_equivalent",
                    "sum",
                    runs[scenario].total.cash_equivalent,
                    {f"year_{n}": row[_CASH_EQUIVALENT] for n, row in enumerate(rows, 1)},
                )
        return runs

    def compute_grant(
        self,
        i: int,
        grant: ComputeGrant,
        inputs: ScenarioInputs,
        landings: list[int],
        inside: list[Decimal],
        rec: Recorder | None,
    ) -> _GrantRun:
        unit_price = inputs.unit_price  # computed by its formula from price_inputs
        if rec and inputs.price_source != "face":
            rec.parts(f"grants[{i}].unit_price", inputs.price_formula, unit_price, inputs.price_inputs)
        ratio = inputs.employer_cost_ratio
        tax_rate = inputs.tax_rate
        utilization = inputs.utilization
        deflation = inputs.deflation
        share = personal_share(grant)
        taxable = inputs.taxable_share
        expires = ZERO if carries(grant) else ONE
        per_year = [0] * self.year_count
        for month in landings:
            per_year[(month - 1) // 12] += 1
        units = grant.units
        kept = ONE - deflation
        rows: list[tuple[Decimal, ...]] = []
        totals: tuple[Decimal, ...] | None = None
        # Untraced, years with the same tranche count, share inside the horizon and no deflation between them have
        # the same figures: compute them once.
        seen: dict[tuple[int, int, Decimal], tuple[Decimal, ...]] = {}
        deflates = kept != ONE
        for n in range(1, self.year_count + 1):
            elapsed = Decimal(n - 1)
            count = per_year[n - 1]
            cache_key = (count, n if deflates else 1, inside[n - 1])
            row = None if rec else (_ZERO_FIGURES if not count else seen.get(cache_key))
            if row is None:
                tranches = Decimal(count)
                face = f.face(tranches, units, unit_price, inside[n - 1], deflation, elapsed)
                today = f.face_today(tranches, units, unit_price, inside[n - 1])
                personal = f.personal_value(face, share, utilization)
                tax = f.compute_tax(face, taxable, tax_rate)
                net = f.net_benefit(personal, tax)
                row = (
                    face,
                    today,
                    f.employer_cost(face, ratio),
                    personal,
                    tax,
                    net,
                    f.cash_equivalent(net, tax_rate),
                    f.gross_up(tax, tax_rate),
                    f.deflation_loss(today, face),
                    f.expected_forfeiture(face, share, utilization, expires),
                )
                seen[cache_key] = row
                if rec:
                    k = f"grants[{i}].years[{n}]"
                    add = rec.add
                    add(
                        f"{k}.face",
                        "compute.face",
                        face,
                        tranches,
                        units,
                        unit_price,
                        inside[n - 1],
                        deflation,
                        elapsed,
                    )
                    add(f"{k}.face_today", "compute.face_today", today, tranches, units, unit_price, inside[n - 1])
                    add(f"{k}.personal_value", "compute.personal_value", personal, face, share, utilization)
                    add(f"{k}.tax", "compute.tax", tax, face, taxable, tax_rate)
                    add(f"{k}.net_benefit", "compute.net_benefit", net, personal, tax)
                    add(f"{k}.employer_cost", "compute.employer_cost", row[2], face, ratio)
                    add(f"{k}.cash_equivalent", "compute.cash_equivalent", row[6], net, tax_rate)
                    add(f"{k}.gross_up", "compute.gross_up", row[7], tax, tax_rate)
                    add(f"{k}.deflation_loss", "compute.deflation_loss", row[8], today, face)
                    add(
                        f"{k}.expected_forfeiture",
                        "compute.expected_forfeiture",
                        row[9],
                        face,
                        share,
                        utilization,
                        expires,
                    )
            rows.append(row)
            # Totals are sums over the years from zero, left to right; adding a zero year changes nothing.
            if count:
                totals = row if totals is None else tuple(map(operator.add, totals, row))
        total = GrantFigures(0, len(landings), *(totals or _ZERO_FIGURES))
        if rec:
            for index, name in enumerate(_GRANT_FIELDS):
                parts = {f"year_{n}": row[index] for n, row in enumerate(rows, 1)}
                rec.parts(f"grants[{i}].total.{name}", "sum", getattr(total, name), parts)
        return _GrantRun(rows, per_year, total, inputs, unit_price)

    # -- whole offer ---------------------------------------------------------------------------------------------
    def run(self, traces: Traces, *, record_tables: bool = True) -> Valuation:
        """The valuation; a recording run records the month-by-month tables too unless ``record_tables`` is False (its
        result is then only for its traces, and its tables are never read)."""
        rec = self.rec
        offer = self.offer
        cash = self.cash_years()
        equity, tables = self.equity()
        landings = [landing_months(g.cadence, self.horizon) for g in offer.compute]
        by_grant = [self.compute_grants(i, g, landings[i]) for i, g in enumerate(offer.compute)]
        runs = {s: [grant_runs[s] for grant_runs in by_grant] for s in SCENARIOS}
        base_runs = runs["base"]
        forfeited = [
            forfeits(
                grant,
                self.horizon,
                landings[i],
                run.tranche_faces(grant.units, self.year_count),
                run.inputs.utilization,
            )
            for i, (grant, run) in enumerate(zip(offer.compute, base_runs, strict=True))
        ]
        quoted = [g.quoted_in_tc for g in offer.compute]

        years: list[YearFigures] = []
        for n in range(1, self.year_count + 1):
            years.append(self._year(n, cash[n - 1], equity, [run.rows[n - 1] for run in base_runs], quoted))

        grants = [self._grant_result(i, g, runs, forfeited[i]) for i, g in enumerate(offer.compute)]
        if rec:
            scenarios = tuple(self._scenario_totals(scenario, years, runs[scenario]) for scenario in SCENARIOS)
        else:
            # A scenario whose every grant run is the base's has the base's totals.
            base_totals = self._scenario_totals("base", years, base_runs)
            scenarios = tuple(
                base_totals
                if scenario == "base"
                else replace(base_totals, scenario=scenario)
                if all(run is base for run, base in zip(runs[scenario], base_runs, strict=True))
                else self._scenario_totals(scenario, years, runs[scenario])
                for scenario in SCENARIOS
            )

        every_month = range(1, self.horizon + 1)

        def months() -> list[MonthFigures]:
            return self._months(equity, tables, base_runs, landings)

        def leave() -> list[LeaveCost]:
            return self._cost_to_leave(equity, tables, forfeited, every_month)

        def leave_some(indices: Sequence[int]) -> list[LeaveCost]:
            return self._cost_to_leave(equity, tables, forfeited, [i + 1 for i in indices])

        def exercise() -> list[ExerciseCash]:
            return self._exercise_cash(equity, tables, every_month)

        def exercise_some(indices: Sequence[int]) -> list[ExerciseCash]:
            return self._exercise_cash(equity, tables, [i + 1 for i in indices])

        if rec and record_tables:  # a recording run records the tables now, in this order
            month_rows: Sequence[MonthFigures] = tuple(months())
            leave_rows: Sequence[LeaveCost] = tuple(leave())
            exercise_rows: Sequence[ExerciseCash] = tuple(exercise())
        else:
            # A reader of a few months (the breakdown's) makes those months alone, by the same code.
            month_rows = _lazy(months)
            leave_rows = _lazy(leave, leave_some, self.horizon)
            exercise_rows = _lazy(exercise, exercise_some, self.horizon)
        headline = self._headline(years, base_runs)
        return Valuation(
            schema_version=SCHEMA_VERSION,
            registry_version=self.registry.version,
            registry_as_of=self.registry.as_of,
            tax_jurisdiction=jurisdiction_of(self.used),
            currency=offer.currency,
            employer=offer.employer,
            horizon_months=self.horizon,
            assumptions=tuple(self._assumptions_out()),
            headline=headline,
            years=tuple(years),
            months=month_rows,
            cost_to_leave=leave_rows,
            exercise_cash=exercise_rows,
            equity=tuple(equity),
            grants=tuple(grants),
            scenarios=scenarios,
            notices=tuple(Notice("option-underwater", e.index) for e in equity if e.underwater),
            traces=traces,
        )

    def _year(
        self,
        n: int,
        cash: tuple[Decimal, Decimal, Decimal],
        equity: list[EquityGrantResult],
        grant_rows: list[tuple[Decimal, ...]],
        quoted: list[bool],
    ) -> YearFigures:
        rec = self.rec
        base, bonus, sign_on = cash
        cash_total = f.total(base, bonus, sign_on)
        eq_adv = f.total(*(e.years_advertised[n - 1] for e in equity))
        eq = f.total(*(e.years_vested[n - 1] for e in equity))
        # Each compute figure of the year: a sum over the grants, in grant order.
        sums = [f.total(*column) for column in zip(*grant_rows, strict=True)] if grant_rows else list(_ZERO_FIGURES)
        in_tc = f.total(*(row[_FACE_TODAY] for row, q in zip(grant_rows, quoted, strict=True) if q))
        compute_ce = sums[_CASH_EQUIVALENT]
        advertised = f.total(cash_total, eq_adv, in_tc)
        cash_eq = f.total(cash_total, eq, compute_ce)
        if rec:
            k = f"years[{n}]"
            rec.parts(f"{k}.cash", "sum", cash_total, {"base": base, "bonus": bonus, "sign_on": sign_on})
            rec.parts(
                f"{k}.equity_advertised",
                "sum",
                eq_adv,
                {f"equity_{e.index}": e.years_advertised[n - 1] for e in equity},
            )
            rec.parts(f"{k}.equity", "sum", eq, {f"equity_{e.index}": e.years_vested[n - 1] for e in equity})
            for name in ("face", "face_today", "employer_cost", "tax", "gross_up", "net_benefit", "cash_equivalent"):
                index = _GRANT_FIELDS.index(name)
                rec.parts(
                    f"{k}.compute_{name}",
                    "sum",
                    sums[index],
                    {f"grant_{i}": row[index] for i, row in enumerate(grant_rows)},
                )
            rec.parts(
                f"{k}.compute_face_today_in_tc",
                "sum",
                in_tc,
                {f"grant_{i}": row[_FACE_TODAY] for i, row in enumerate(grant_rows) if quoted[i]},
            )
            rec.parts(
                f"{k}.advertised_tc",
                "sum",
                advertised,
                {"cash": cash_total, "equity_advertised": eq_adv, "compute_face_today_in_tc": in_tc},
            )
            rec.parts(
                f"{k}.cash_equivalent_tc",
                "sum",
                cash_eq,
                {"cash": cash_total, "equity": eq, "compute_cash_equivalent": compute_ce},
            )
        return YearFigures(
            n=n,
            months=self.months_in_year(n),
            base=base,
            bonus=bonus,
            sign_on=sign_on,
            cash=cash_total,
            equity_advertised=eq_adv,
            equity=eq,
            compute_face=sums[0],
            compute_face_today=sums[_FACE_TODAY],
            compute_employer_cost=sums[2],
            compute_tax=sums[4],
            compute_gross_up=sums[7],
            compute_net_benefit=sums[5],
            compute_cash_equivalent=compute_ce,
            advertised_tc=advertised,
            cash_equivalent_tc=cash_eq,
        )

    def _assumptions_out(self) -> list[AssumptionUsed]:
        return [self.used[name] for name in sorted(self.used)]

    def _grant_result(
        self, i: int, grant: ComputeGrant, runs: dict[str, list[_GrantRun]], forfeited: list[Decimal]
    ) -> ComputeGrantResult:
        base = runs["base"][i]
        price_source = base.inputs.price_source
        if grant.denomination == "tokens" and grant.model:
            as_of = self.registry.models[grant.model].as_of
        elif grant.denomination == "gpu_hours" and grant.gpu:
            as_of = self.registry.gpus[grant.gpu].as_of
        else:
            as_of = None
        largest = f.maximum(*forfeited)
        if self.rec:
            months = {f"month_{m}": value for m, value in enumerate(forfeited, 1)}
            self.rec.parts(f"grants[{i}].max_forfeit_on_leaving", "maximum", largest, months)
        return ComputeGrantResult(
            index=i,
            denomination=grant.denomination,
            units=grant.units,
            resource=grant.model or grant.gpu,
            cadence=grant.cadence,
            unit_price=base.unit_price,
            price_source=price_source,
            price_as_of=as_of if price_source == "registry" else None,
            employer_cost_ratio=base.inputs.employer_cost_ratio,
            personal_share=personal_share(grant),
            taxable_share=base.inputs.taxable_share,
            tax_treatment=treatment(grant, "base"),
            assumed=assumed_terms(grant),
            utilization=base.inputs.utilization,
            on_departure=grant.on_departure,
            years=tuple(GrantFigures(n, base.counts[n - 1], *row) for n, row in enumerate(base.rows, 1)),
            total=base.total,
            scenarios={s: runs[s][i].total for s in SCENARIOS},
            max_forfeit_on_leaving=largest,
        )

    def _scenario_totals(self, scenario: str, years: list[YearFigures], grant_runs: list[_GrantRun]) -> ScenarioTotals:
        """The offer's totals at one scenario's inputs: the years' cash and equity with that scenario's compute."""
        rec = self.rec
        quoted = [grant.quoted_in_tc for grant in self.offer.compute]
        advertised_years: list[Decimal] = []
        cash_eq_years: list[Decimal] = []
        compute_years: list[Decimal] = []
        for year in years:
            rows = [run.rows[year.n - 1] for run in grant_runs]
            in_tc = f.total(*(row[_FACE_TODAY] for row, q in zip(rows, quoted, strict=True) if q))
            if scenario == "base":  # the year's own figures: the same sums, already made
                compute_ce = year.compute_cash_equivalent
                advertised_years.append(year.advertised_tc)
                cash_eq_years.append(year.cash_equivalent_tc)
            else:
                compute_ce = f.total(*(row[_CASH_EQUIVALENT] for row in rows))
                advertised_years.append(f.total(year.cash, year.equity_advertised, in_tc))
                cash_eq_years.append(f.total(year.cash, year.equity, compute_ce))
            compute_years.append(compute_ce)
            if rec and year.n == 1:
                k = f"scenarios.{scenario}"
                rec.parts(
                    f"{k}.advertised_tc_year1",
                    "sum",
                    advertised_years[0],
                    {"cash": year.cash, "equity_advertised": year.equity_advertised, "compute_face_today_in_tc": in_tc},
                )
                rec.parts(
                    f"{k}.cash_equivalent_tc_year1",
                    "sum",
                    cash_eq_years[0],
                    {"cash": year.cash, "equity": year.equity, "compute_cash_equivalent": compute_ce},
                )
        totals = ScenarioTotals(
            scenario,
            advertised_years[0],
            cash_eq_years[0],
            f.total(*advertised_years),
            f.total(*cash_eq_years),
            f.total(*compute_years),
        )
        if rec:
            k = f"scenarios.{scenario}"
            for name, values in (
                ("advertised_tc_horizon", advertised_years),
                ("cash_equivalent_tc_horizon", cash_eq_years),
                ("compute_cash_equivalent_horizon", compute_years),
            ):
                parts = {f"year_{n}": value for n, value in enumerate(values, 1)}
                rec.parts(f"{k}.{name}", "sum", getattr(totals, name), parts)
        return totals

    # -- month by month (built when read) ------------------------------------------------------------------------
    # Each table is built column by column (one column per grant, one entry per month); a month's sum adds the
    # grants' columns in grant order, from zero, as the sum formula does.
    def _months(
        self,
        equity: list[EquityGrantResult],
        tables: list[_Table],
        grant_runs: list[_GrantRun],
        landings: list[list[int]],
    ) -> list[MonthFigures]:
        rec = self.rec
        offer = self.offer
        horizon = self.horizon
        monthly_base = offer.salary.base / TWELVE
        monthly_bonus = offer.bonus_yearly / TWELVE
        sign_on = offer.sign_on.amount if offer.sign_on else ZERO
        equity_columns = [
            [e.value_cash_equivalent * share if share else ZERO for share in table[2][1 : horizon + 1]]
            for e, table in zip(equity, tables, strict=True)
        ]
        compute_columns = []
        for run, months in zip(grant_runs, landings, strict=True):
            # The cash-equivalent of the tranche landing in a month: its year's figure over the year's tranches.
            per_tranche = [
                row[_CASH_EQUIVALENT] / count if count else ZERO
                for row, count in zip(run.rows, run.counts, strict=True)
            ]
            column = [ZERO] * horizon
            for m in months:
                column[m - 1] = per_tranche[(m - 1) // 12]
            compute_columns.append(column)
        equity_by_month = _column_sum(equity_columns, horizon)
        compute_by_month = _column_sum(compute_columns, horizon)
        cumulative = ZERO
        rows: list[MonthFigures] = []
        for m, (equity_month, compute_month) in enumerate(zip(equity_by_month, compute_by_month, strict=True), 1):
            month_sign_on = sign_on if m == 1 else ZERO
            # The sum formula from zero, left to right; zero parts change nothing, so they are skipped.
            value = cumulative + monthly_base
            if monthly_bonus:
                value += monthly_bonus
            if month_sign_on:
                value += month_sign_on
            if equity_month:
                value += equity_month
            if compute_month:
                value += compute_month
            if rec:
                parts = {
                    "previous": cumulative,
                    "base": monthly_base,
                    "bonus": monthly_bonus,
                    "sign_on": month_sign_on,
                    "equity": equity_month,
                    "compute": compute_month,
                }
                rec.parts(f"months[{m}].cash_equivalent", "sum", value, parts)
            cumulative = value
            rows.append(MonthFigures(m, value))
        return rows

    def _cost_to_leave(
        self,
        equity: list[EquityGrantResult],
        tables: list[_Table],
        forfeited: list[list[Decimal]],
        months: Sequence[int],
    ) -> list[LeaveCost]:
        """The cost of leaving after each of ``months`` (every month for the table, or the one a reader asked for)."""
        rec = self.rec
        count = len(months)
        unvested_columns = [
            [e.value_advertised * table[1][m] for m in months] for e, table in zip(equity, tables, strict=True)
        ]
        unvested = _column_sum(unvested_columns, count)
        lost_columns = [[column[m - 1] for m in months] for column in forfeited]
        lost = _column_sum(lost_columns, count)
        sign_on = self.offer.sign_on
        clawback = sign_on.clawback if sign_on is not None else "none"
        amount = sign_on.amount if sign_on is not None else ZERO
        clawback_months = sign_on.clawback_months if sign_on is not None else 0
        repay = {"prorated": f.prorated_repayment, "full": f.full_repayment, "none": f.no_repayment}[clawback]
        length = Decimal(clawback_months)
        # Both clawbacks repay nothing from the clawback's last month on.
        repayment = [repay(amount, length, Decimal(m)) if m < clawback_months else ZERO for m in months]
        totals = [u + r + x for u, r, x in zip(unvested, repayment, lost, strict=True)]
        if rec:
            for j, m in enumerate(months):
                k = f"cost_to_leave[{m}]"
                parts = {f"equity_{e.index}": column[j] for e, column in zip(equity, unvested_columns, strict=True)}
                rec.parts(f"{k}.equity_unvested", "sum", unvested[j], parts)
                rec.add(
                    f"{k}.sign_on_repayment",
                    f"leave.sign_on.{clawback}",
                    repayment[j],
                    amount,
                    length,
                    Decimal(m),
                )
                parts = {f"grant_{i}": column[j] for i, column in enumerate(lost_columns)}
                rec.parts(f"{k}.compute_forfeited", "sum", lost[j], parts)
                parts = {
                    "equity_unvested": unvested[j],
                    "sign_on_repayment": repayment[j],
                    "compute_forfeited": lost[j],
                }
                rec.parts(f"{k}.total", "sum", totals[j], parts)
        return list(map(LeaveCost, months, totals, unvested, repayment, lost))

    def _exercise_cash(
        self, equity: list[EquityGrantResult], tables: list[_Table], months: Sequence[int]
    ) -> list[ExerciseCash]:
        """For each of ``months``, the cash to exercise the options vested by then (underwater options need none)."""
        rec = self.rec
        columns = [
            [f.exercise_cost(grant.shares, table[0][m], grant.strike) for m in months]
            for grant, result, table in zip(self.offer.equity, equity, tables, strict=True)
            if isinstance(grant, OptionGrant) and not result.underwater
        ]
        totals = _column_sum(columns, len(months))
        if rec:
            for j, m in enumerate(months):
                parts = {f"option_{i}": column[j] for i, column in enumerate(columns)}
                rec.parts(f"exercise_cash[{m}].total", "sum", totals[j], parts)
        return list(map(ExerciseCash, months, totals))

    # -- headline ------------------------------------------------------------------------------------------------
    def _headline(self, years: list[YearFigures], grant_runs: list[_GrantRun]) -> Headline:
        rec = self.rec
        first = years[0]
        gap = f.difference(first.advertised_tc, first.cash_equivalent_tc)
        gap_share = f.ratio(gap, first.advertised_tc)
        advertised_total = f.total(*(y.advertised_tc for y in years))
        cash_eq_total = f.total(*(y.cash_equivalent_tc for y in years))
        gap_total = f.difference(advertised_total, cash_eq_total)
        quoted = self.offer.quoted_tc
        difference: Decimal | None = None
        mismatch = False
        if quoted is not None:
            difference = f.difference(quoted, first.advertised_tc)
            tolerance = self.registry.threshold("quoted_tc_tolerance") * first.advertised_tc
            recurring = first.advertised_tc - first.sign_on
            mismatch = abs(difference) > tolerance and abs(quoted - recurring) > tolerance
        locked_parts = {
            f"grant_{i}": run.rows[0][_FACE_TODAY]
            for i, run in enumerate(grant_runs)
            if self.offer.compute[i].quoted_in_tc and self.offer.compute[i].on_departure != "cash"
        }
        locked = f.total(*locked_parts.values())
        locked_share = f.ratio(locked, first.advertised_tc)
        if rec:
            rec.add("headline.gap_year1", "difference", gap, first.advertised_tc, first.cash_equivalent_tc)
            rec.add("headline.gap_share_year1", "ratio", gap_share, gap, first.advertised_tc)
            rec.parts(
                "headline.advertised_tc_horizon",
                "sum",
                advertised_total,
                {f"year_{y.n}": y.advertised_tc for y in years},
            )
            rec.parts(
                "headline.cash_equivalent_tc_horizon",
                "sum",
                cash_eq_total,
                {f"year_{y.n}": y.cash_equivalent_tc for y in years},
            )
            rec.add("headline.gap_horizon", "difference", gap_total, advertised_total, cash_eq_total)
            if quoted is not None and difference is not None:
                rec.add("headline.quoted_tc_difference", "difference", difference, quoted, first.advertised_tc)
            rec.parts("headline.noncash_nonportable_year1", "sum", locked, locked_parts)
            rec.add("headline.noncash_nonportable_share_year1", "ratio", locked_share, locked, first.advertised_tc)
        return Headline(
            advertised_tc_year1=first.advertised_tc,
            cash_equivalent_tc_year1=first.cash_equivalent_tc,
            gap_year1=gap,
            gap_share_year1=gap_share,
            advertised_tc_horizon=advertised_total,
            cash_equivalent_tc_horizon=cash_eq_total,
            gap_horizon=gap_total,
            quoted_tc=quoted,
            quoted_tc_difference=difference,
            quoted_tc_mismatch=mismatch,
            noncash_nonportable_share_year1=locked_share,
        )


T = TypeVar("T")


def _column_sum(columns: Sequence[Sequence[Decimal]], length: int) -> list[Decimal]:
    """Month by month, the sum of the columns from zero in column order (no columns: zeros)."""
    if not columns:
        return [ZERO] * length
    sums = list(columns[0])
    for column in columns[1:]:
        sums = list(map(operator.add, sums, column))
    return sums


def _lazy(
    build: Callable[[], list[T]], some: Callable[[Sequence[int]], list[T]] | None = None, length: int | None = None
) -> Lazy[T]:
    """A table built on first read (or, with ``some``, the rows read by themselves made together), in the core's
    decimal context whoever reads it."""

    def in_context() -> list[T]:
        with localcontext(CONTEXT):
            return build()

    if some is None:
        return Lazy(in_context)

    def some_in_context(indices: Sequence[int]) -> list[T]:
        with localcontext(CONTEXT):
            return some(indices)

    return Lazy(in_context, some=some_in_context, length=length)
