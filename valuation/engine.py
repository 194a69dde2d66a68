"""The valuation: every pillar over the years, three values per compute grant, cost to leave by month.

Pure and deterministic: no clock, no randomness, no I/O. All arithmetic runs in one fixed decimal context.

Each figure here is the formula of the same name in :data:`valuation.formulas.FORMULAS`, written out inline with
its operations in the same order, so it equals, digit for digit, what :func:`valuation.explain.explain_offer`
computes through the formula table. That reference run also records the traces; it happens only when someone
reads :attr:`Valuation.traces`, which keeps valuations that nobody explains (the advisor's what-ifs, comparisons,
the headline) cheap. The tests hold the two paths to identical figures.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from valuation.assumptions import AssumptionUsed, Layer, resolve
from valuation.explain import explain_offer
from valuation.formulas import CONTEXT, ONE, TWELVE, ZERO
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
    carries,
    forfeits,
    inside_shares,
    landing_months,
    personal_share,
    scenario_inputs,
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
    explained = _NO_TRACES
    if traces:
        # The closure keeps only immutable inputs (the layers copied now), so the traces explain this valuation
        # whenever they are read.
        kept_layers = tuple(layers)
        explained = Traces(lambda: tuple(explain_offer(offer, registry, kept_layers).traces))
    with localcontext(CONTEXT):
        return _Valuer(offer, registry, layers).run(explained)


def _sum(values: Sequence[Decimal]) -> Decimal:
    """The ``sum`` formula: from zero, left to right."""
    total = ZERO
    for value in values:
        total += value
    return total


_ZERO_FIGURES_FIELDS = 10
_ZERO_FIGURES = (ZERO,) * _ZERO_FIGURES_FIELDS
_FACE_TODAY = 1  # positions in a year's figures (GrantFigures order after n and tranches)
_CASH_EQUIVALENT = 6
# A schedule's vested, unvested and newly vested share by month (see valuation.vesting.vesting_table).
_Table = tuple[tuple[Decimal, ...], tuple[Decimal, ...], tuple[Decimal, ...]]


@dataclass(slots=True)
class _GrantRun:
    """One compute grant valued in one scenario: ``rows`` holds each year's figures in GrantFigures order;
    ``years`` has them as GrantFigures, built for the base scenario only (the others report totals)."""

    rows: list[tuple[Decimal, ...]]
    counts: list[int]
    years: list[GrantFigures]
    total: GrantFigures
    unit_price: Decimal
    ratio: Decimal
    utilization: Decimal
    taxable_share: Decimal
    price_source: str
    tranche_faces: list[Decimal]
    forfeited_by_month: list[Decimal]


class _Valuer:
    __slots__ = ("horizon", "offer", "registry", "used", "year_count")

    def __init__(self, offer: Offer, registry: Registry, layers: Sequence[Layer]) -> None:
        self.offer = offer
        self.registry = registry
        self.used = resolve(offer.assumptions, layers, registry)
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
        base_salary = self.offer.salary.base
        bonus = self.offer.bonus
        if bonus is not None and isinstance(bonus.target, tuple):
            bonus_target = base_salary * bonus.target[1]
        else:
            bonus_target = self.offer.bonus_yearly
        sign_on = self.offer.sign_on.amount if self.offer.sign_on else ZERO
        rows = []
        for n in range(1, self.year_count + 1):
            months = Decimal(self.months_in_year(n))
            rows.append(
                (
                    base_salary * months / TWELVE,
                    bonus_target * months / TWELVE,
                    sign_on if n == 1 else ZERO,
                )
            )
        return rows

    # -- equity --------------------------------------------------------------------------------------------------
    def equity(self) -> tuple[list[EquityGrantResult], list[_Table]]:
        results: list[EquityGrantResult] = []
        tables: list[_Table] = []
        horizon = self.horizon
        for i, grant in enumerate(self.offer.equity):
            underwater = False
            exercise_cash = ZERO
            if isinstance(grant, RsuGrant):
                value = grant.grant_value
                discount = ZERO
            else:
                value = grant.shares * max(ZERO, grant.preferred_price - grant.strike)
                discount = self.registry.stage_discounts[grant.stage]
                underwater = grant.strike >= grant.preferred_price
                exercise_cash = ZERO if underwater else grant.shares * grant.strike
            value_ce = value * (ONE - discount)
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
                advertised.append(value / grant_years * months / TWELVE)
                vested.append(value_ce * (fractions[end] - fractions[start]))
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
                    exercise_cash=exercise_cash,
                )
            )
        return results, tables

    # -- compute -------------------------------------------------------------------------------------------------
    def compute_grants(self, grant: ComputeGrant, landings: list[int]) -> dict[str, _GrantRun]:
        """The grant in each scenario; a scenario whose inputs equal the base's shares the base's figures."""
        inside = inside_shares(grant, landings, self.horizon, self.year_count)
        base_inputs = scenario_inputs(grant, self.used, self.registry, "base")
        base = self.compute_grant(grant, base_inputs, landings, inside)
        base.years = [
            GrantFigures(n, count, *row) for n, (count, row) in enumerate(zip(base.counts, base.rows, strict=True), 1)
        ]
        runs = {"base": base}
        for scenario in ("low", "high"):
            inputs = scenario_inputs(grant, self.used, self.registry, scenario)
            runs[scenario] = (
                base if inputs.key() == base_inputs.key() else self.compute_grant(grant, inputs, landings, inside)
            )
        return runs

    def compute_grant(
        self, grant: ComputeGrant, inputs: ScenarioInputs, landings: list[int], inside: list[Decimal]
    ) -> _GrantRun:
        unit_price = inputs.unit_price
        ratio = inputs.employer_cost_ratio
        tax_rate = inputs.tax_rate
        utilization = inputs.utilization
        deflation = inputs.deflation
        share = personal_share(grant)
        taxable_share = inputs.taxable_share
        expires = ZERO if carries(grant) else ONE
        per_year = [0] * self.year_count
        for month in landings:
            per_year[(month - 1) // 12] += 1
        units = grant.units
        kept = ONE - deflation
        untaxed = ONE - tax_rate
        unspent = ONE - utilization
        rows: list[tuple[Decimal, ...]] = []
        totals: tuple[Decimal, ...] | None = None
        deflates = kept != ONE
        # Years with the same tranche count and no deflation between them have the same figures.
        seen: dict[tuple[int, int, Decimal], tuple[Decimal, ...]] = {}
        tranche_faces: list[Decimal] = []
        for n in range(1, self.year_count + 1):
            tranche_face = units * unit_price * kept ** (n - 1) if n > 1 and deflates else units * unit_price
            tranche_faces.append(tranche_face)
            count = per_year[n - 1]
            if not count:  # no tranche lands this year: every figure is zero
                rows.append(_ZERO_FIGURES)
                continue
            key = (count, n if deflates else 1, inside[n - 1])
            row = seen.get(key)
            if row is not None:
                rows.append(row)
                totals = row if totals is None else tuple(map(operator.add, totals, row))
                continue
            face_today = Decimal(count) * units * unit_price * inside[n - 1]
            # The face formula is face_today × (1 − deflation)^(n − 1); a power of one leaves face_today as is.
            face = face_today * kept ** (n - 1) if n > 1 and deflates else face_today
            personal = face * share * utilization
            tax = face * taxable_share * tax_rate
            net = personal - tax
            row = (
                face,
                face_today,
                face * ratio,
                personal,
                tax,
                net,
                net / untaxed,
                tax / untaxed,
                face_today - face,
                face * share * unspent * expires,
            )
            seen[key] = row
            rows.append(row)
            # Totals are sums over the years from zero; adding a zero year changes nothing.
            totals = row if totals is None else tuple(map(operator.add, totals, row))
        total = GrantFigures(0, len(landings), *(totals or _ZERO_FIGURES))
        return _GrantRun(
            rows,
            per_year,
            [],
            total,
            unit_price,
            ratio,
            utilization,
            taxable_share,
            inputs.price_source,
            tranche_faces,
            [],
        )

    # -- whole offer ---------------------------------------------------------------------------------------------
    def run(self, traces: Traces) -> Valuation:
        offer = self.offer
        cash = self.cash_years()
        equity, tables = self.equity()
        landings = [landing_months(g.cadence, self.horizon) for g in offer.compute]
        by_grant = [self.compute_grants(g, landings[i]) for i, g in enumerate(offer.compute)]
        runs = {s: [grant_runs[s] for grant_runs in by_grant] for s in SCENARIOS}
        base_runs = runs["base"]
        for i, grant in enumerate(offer.compute):
            run = base_runs[i]
            run.forfeited_by_month = forfeits(grant, self.horizon, landings[i], run.tranche_faces, run.utilization)
        in_tc_flags = [g.quoted_in_tc for g in offer.compute]

        years: list[YearFigures] = []
        for n in range(1, self.year_count + 1):
            base, bonus, sign_on = cash[n - 1]
            cash_total = ZERO + base + bonus + sign_on
            eq_adv = _sum([e.years_advertised[n - 1] for e in equity])
            eq = _sum([e.years_vested[n - 1] for e in equity])
            grant_years = [r.years[n - 1] for r in base_runs]
            face = face_today = employer_cost = tax = gross_up = net = cash_eq_compute = in_tc = ZERO
            for g, in_tc_flag in zip(grant_years, in_tc_flags, strict=True):
                face += g.face
                face_today += g.face_today
                employer_cost += g.employer_cost
                tax += g.tax
                gross_up += g.gross_up
                net += g.net_benefit
                cash_eq_compute += g.cash_equivalent
                if in_tc_flag:
                    in_tc += g.face_today
            years.append(
                YearFigures(
                    n=n,
                    months=self.months_in_year(n),
                    base=base,
                    bonus=bonus,
                    sign_on=sign_on,
                    cash=cash_total,
                    equity_advertised=eq_adv,
                    equity=eq,
                    compute_face=face,
                    compute_face_today=face_today,
                    compute_employer_cost=employer_cost,
                    compute_tax=tax,
                    compute_gross_up=gross_up,
                    compute_net_benefit=net,
                    compute_cash_equivalent=cash_eq_compute,
                    advertised_tc=ZERO + cash_total + eq_adv + in_tc,
                    cash_equivalent_tc=ZERO + cash_total + eq + cash_eq_compute,
                )
            )

        grants = [self._grant_result(i, g, runs) for i, g in enumerate(offer.compute)]
        scenarios = tuple(self._scenario_totals(s, years, runs[s]) for s in SCENARIOS)
        months = self._months(equity, tables, base_runs, landings)
        leave = self._cost_to_leave(equity, tables, base_runs)
        exercise = self._exercise_cash(equity, tables)
        headline = self._headline(years, base_runs)
        return Valuation(
            schema_version=SCHEMA_VERSION,
            registry_version=self.registry.version,
            registry_as_of=self.registry.as_of,
            tax_jurisdiction=self.registry.tax_jurisdiction,
            currency=offer.currency,
            employer=offer.employer,
            horizon_months=self.horizon,
            assumptions=tuple(self._assumptions_out()),
            headline=headline,
            years=tuple(years),
            months=tuple(months),
            cost_to_leave=tuple(leave),
            exercise_cash=tuple(exercise),
            equity=tuple(equity),
            grants=tuple(grants),
            scenarios=scenarios,
            notices=tuple(Notice("option-underwater", e.index) for e in equity if e.underwater),
            traces=traces,
        )

    def _assumptions_out(self) -> list[AssumptionUsed]:
        return [self.used[name] for name in sorted(self.used)]

    def _grant_result(self, i: int, grant: ComputeGrant, runs: dict[str, list[_GrantRun]]) -> ComputeGrantResult:
        base = runs["base"][i]
        price_source = base.price_source
        if grant.denomination == "tokens" and grant.model:
            as_of = self.registry.models[grant.model].as_of
        elif grant.denomination == "gpu_hours" and grant.gpu:
            as_of = self.registry.gpus[grant.gpu].as_of
        else:
            as_of = None
        return ComputeGrantResult(
            index=i,
            denomination=grant.denomination,
            units=grant.units,
            resource=grant.model or grant.gpu,
            cadence=grant.cadence,
            unit_price=base.unit_price,
            price_source=price_source,
            price_as_of=as_of if price_source == "registry" else None,
            employer_cost_ratio=base.ratio,
            personal_share=personal_share(grant),
            taxable_share=base.taxable_share,
            utilization=base.utilization,
            on_departure=grant.on_departure,
            years=tuple(base.years),
            total=base.total,
            scenarios={s: runs[s][i].total for s in SCENARIOS},
            max_forfeit_on_leaving=max(base.forfeited_by_month, default=ZERO),
        )

    def _scenario_totals(self, scenario: str, years: list[YearFigures], grant_runs: list[_GrantRun]) -> ScenarioTotals:
        advertised_year1 = ZERO
        cash_eq_year1 = ZERO
        advertised_total = ZERO
        cash_eq_total = ZERO
        compute_total = ZERO
        in_tc_flags = [grant.quoted_in_tc for grant in self.offer.compute]
        for year in years:
            n = year.n
            in_tc = compute_ce = ZERO
            for run, in_tc_flag in zip(grant_runs, in_tc_flags, strict=True):
                row = run.rows[n - 1]
                compute_ce += row[_CASH_EQUIVALENT]
                if in_tc_flag:
                    in_tc += row[_FACE_TODAY]
            advertised = year.cash + year.equity_advertised + in_tc
            cash_eq = year.cash + year.equity + compute_ce
            if n == 1:
                advertised_year1, cash_eq_year1 = advertised, cash_eq
            advertised_total += advertised
            cash_eq_total += cash_eq
            compute_total += compute_ce
        return ScenarioTotals(scenario, advertised_year1, cash_eq_year1, advertised_total, cash_eq_total, compute_total)

    def _months(
        self,
        equity: list[EquityGrantResult],
        tables: list[_Table],
        grant_runs: list[_GrantRun],
        landings: list[list[int]],
    ) -> list[MonthFigures]:
        offer = self.offer
        horizon = self.horizon
        monthly_base = offer.salary.base / TWELVE
        monthly_bonus = offer.bonus_yearly / TWELVE
        sign_on = offer.sign_on.amount if offer.sign_on else ZERO
        # What each month adds beyond base and bonus: equity as it vests, compute as tranches land. Like the
        # reference, each is a sum from zero in grant order (column by column here); zero terms change no sum.
        equity_by_month = [ZERO] * horizon
        for e, table in zip(equity, tables, strict=True):
            value = e.value_cash_equivalent
            equity_by_month = [
                total + value * share if share else total
                for total, share in zip(equity_by_month, table[2][1 : horizon + 1], strict=True)
            ]
        compute_by_month = [ZERO] * horizon
        for run, months in zip(grant_runs, landings, strict=True):
            per_tranche = [y.cash_equivalent / y.tranches if y.tranches else ZERO for y in run.years]
            for m in months:
                compute_by_month[m - 1] += per_tranche[(m - 1) // 12]
        cumulative = ZERO
        values: list[Decimal] = []
        for equity_month, compute_month in zip(equity_by_month, compute_by_month, strict=True):
            # The reference adds previous, base, bonus, sign-on, equity and compute, in that order.
            cumulative = cumulative + monthly_base
            if monthly_bonus:
                cumulative += monthly_bonus
            if not values:
                cumulative += sign_on
            if equity_month:
                cumulative += equity_month
            if compute_month:
                cumulative += compute_month
            values.append(cumulative)
        return list(map(MonthFigures, range(1, horizon + 1), values))

    def _cost_to_leave(
        self, equity: list[EquityGrantResult], tables: list[_Table], grant_runs: list[_GrantRun]
    ) -> list[LeaveCost]:
        offer = self.offer
        horizon = self.horizon
        months = range(1, horizon + 1)
        zeros = [ZERO] * horizon
        # Column by column; each part is a sum from zero in grant order, like the reference.
        unvested = zeros
        for e, table in zip(equity, tables, strict=True):
            value = e.value_advertised
            unvested = [total + value * remaining for total, remaining in zip(unvested, table[1][1:], strict=False)]
        forfeited = zeros
        for run in grant_runs:
            if any(run.forfeited_by_month):
                forfeited = list(map(operator.add, forfeited, run.forfeited_by_month))
        repayment = zeros
        sign_on = offer.sign_on
        if sign_on is not None and sign_on.clawback_months and sign_on.clawback != "none":
            amount = sign_on.amount
            clawback_months = Decimal(sign_on.clawback_months)
            repayment = [
                (
                    amount * max(ZERO, clawback_months - m) / clawback_months
                    if sign_on.clawback == "prorated"
                    else amount
                )
                if m < sign_on.clawback_months
                else ZERO
                for m in months
            ]
        # The reference sums unvested, repayment and forfeited from zero; zero parts change no total.
        total = [u + r if r else u for u, r in zip(unvested, repayment, strict=True)]
        total = [t + f if f else t for t, f in zip(total, forfeited, strict=True)]
        return list(map(LeaveCost, months, total, unvested, repayment, forfeited))

    def _exercise_cash(self, equity: list[EquityGrantResult], tables: list[_Table]) -> list[ExerciseCash]:
        """Per month, the cash to exercise the options vested by then (underwater options need none)."""
        horizon = self.horizon
        exercise = [ZERO] * horizon
        for grant, result, table in zip(self.offer.equity, equity, tables, strict=True):
            if isinstance(grant, OptionGrant) and not result.underwater:
                shares, strike = grant.shares, grant.strike
                exercise = [
                    total + shares * vested * strike for total, vested in zip(exercise, table[0][1:], strict=False)
                ]
        return list(map(ExerciseCash, range(1, horizon + 1), exercise))

    def _headline(self, years: list[YearFigures], grant_runs: list[_GrantRun]) -> Headline:
        first = years[0]
        gap = first.advertised_tc - first.cash_equivalent_tc
        gap_share = gap / first.advertised_tc if first.advertised_tc else ZERO
        advertised_total = _sum([y.advertised_tc for y in years])
        cash_eq_total = _sum([y.cash_equivalent_tc for y in years])
        quoted = self.offer.quoted_tc
        difference: Decimal | None = None
        mismatch = False
        if quoted is not None:
            difference = quoted - first.advertised_tc
            tolerance = self.registry.threshold("quoted_tc_tolerance") * first.advertised_tc
            recurring = first.advertised_tc - first.sign_on
            mismatch = abs(difference) > tolerance and abs(quoted - recurring) > tolerance
        locked = _sum(
            [
                r.years[0].face_today
                for i, r in enumerate(grant_runs)
                if self.offer.compute[i].quoted_in_tc and self.offer.compute[i].on_departure != "cash"
            ]
        )
        return Headline(
            advertised_tc_year1=first.advertised_tc,
            cash_equivalent_tc_year1=first.cash_equivalent_tc,
            gap_year1=gap,
            gap_share_year1=gap_share,
            advertised_tc_horizon=advertised_total,
            cash_equivalent_tc_horizon=cash_eq_total,
            gap_horizon=advertised_total - cash_eq_total,
            quoted_tc=quoted,
            quoted_tc_difference=difference,
            quoted_tc_mismatch=mismatch,
            noncash_nonportable_share_year1=locked / first.advertised_tc if first.advertised_tc else ZERO,
        )
