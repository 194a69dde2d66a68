"""The reference valuation: every figure computed through :data:`valuation.formulas.FORMULAS`, each with a trace.

This is the readable statement of the method: one formula id and its named inputs per reported figure.
:func:`valuation.engine.value_offer` computes the same figures with plain arithmetic for speed and calls
:func:`explain_offer` only when someone reads the traces; the tests hold the two to exactly the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from valuation.assumptions import AssumptionUsed, Layer, resolve
from valuation.formulas import CONTEXT, ONE, TWELVE, ZERO, Tracer
from valuation.offer import ComputeGrant, Offer, OptionGrant, RsuGrant
from valuation.registry import Range, Registry
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
    carries,
    forfeits,
    inside_shares,
    landing_months,
    personal_share,
    scenario_inputs,
)
from valuation.vesting import vested_fractions

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


def explain_offer(offer: Offer, registry: Registry, layers: Sequence[Layer] = ()) -> Valuation:
    """Value an offer through the formula table, recording a trace for every reported figure."""
    with localcontext(CONTEXT):
        return _Valuer(offer, registry, layers, True).run()


@dataclass(slots=True)
class _GrantRun:
    """One compute grant valued in one scenario."""

    years: list[GrantFigures]
    total: GrantFigures
    unit_price: Decimal
    ratio: Decimal
    utilization: Decimal
    taxable_share: Decimal
    price_source: str
    forfeited_by_month: list[Decimal]


class _Valuer:
    def __init__(self, offer: Offer, registry: Registry, layers: Sequence[Layer], traces: bool) -> None:
        self.offer = offer
        self.registry = registry
        self.used = resolve(offer.assumptions, layers, registry)
        self.trace = Tracer(traces)
        self.quiet = Tracer(False)
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
        t = self.trace
        base_salary = self.offer.salary.base
        bonus = self.offer.bonus
        if bonus is not None and isinstance(bonus.target, tuple):
            bonus_target = t("bonus.target", "bonus.target", base_salary=base_salary, share=bonus.target[1])
        else:
            bonus_target = self.offer.bonus_yearly
        sign_on = self.offer.sign_on.amount if self.offer.sign_on else ZERO
        rows = []
        for n in range(1, self.year_count + 1):
            months = Decimal(self.months_in_year(n))
            base = t(f"years[{n}].base", "salary.year", base_salary=base_salary, months=months)
            bonus_year = t(f"years[{n}].bonus", "bonus.year", bonus_target=bonus_target, months=months)
            sign = t(f"years[{n}].sign_on", "sign_on.year", amount=sign_on) if n == 1 else ZERO
            rows.append((base, bonus_year, sign))
        return rows

    # -- equity --------------------------------------------------------------------------------------------------
    def equity(self) -> tuple[list[EquityGrantResult], list[list[Decimal]]]:
        t = self.trace
        results: list[EquityGrantResult] = []
        fractions_all: list[list[Decimal]] = []
        for i, grant in enumerate(self.offer.equity):
            underwater = False
            exercise_cash = ZERO
            if isinstance(grant, RsuGrant):
                value = t(f"equity[{i}].value", "equity.value.rsu", grant_value=grant.grant_value)
                discount = ZERO
            else:
                underwater = grant.strike >= grant.preferred_price
                exercise_cash = ZERO if underwater else grant.shares * grant.strike
                value = t(
                    f"equity[{i}].value",
                    "equity.value.option",
                    shares=grant.shares,
                    preferred_price=grant.preferred_price,
                    strike=grant.strike,
                )
                discount = self.registry.stage_discounts[grant.stage]
            value_ce = t(
                f"equity[{i}].value_cash_equivalent",
                "equity.value.discounted",
                value=value,
                discount=discount,
            )
            vesting_months = grant.years * 12
            fractions = vested_fractions(grant, max(self.horizon, 12))
            fractions_all.append(fractions)
            advertised: list[Decimal] = []
            vested: list[Decimal] = []
            for n in range(1, self.year_count + 1):
                start = 12 * (n - 1)
                end = min(12 * n, self.horizon)
                months = Decimal(max(0, min(end, vesting_months) - start))
                advertised.append(
                    t(
                        f"equity[{i}].years[{n}].advertised",
                        "equity.advertised.year",
                        value=value,
                        years=Decimal(grant.years),
                        months=months,
                    )
                )
                vested.append(
                    t(
                        f"equity[{i}].years[{n}].vested",
                        "equity.vested.year",
                        value=value_ce,
                        vested_share=fractions[end] - fractions[start],
                    )
                )
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
        return results, fractions_all

    # -- compute -------------------------------------------------------------------------------------------------
    def compute_grant(self, i: int, grant: ComputeGrant, scenario: str) -> _GrantRun:
        t = self.trace if scenario == "base" else self.quiet
        inputs = scenario_inputs(grant, self.used, self.registry, scenario)
        if inputs.price_source == "face":
            unit_price = inputs.unit_price
        else:
            unit_price = t(f"grants[{i}].unit_price", inputs.price_formula, **inputs.price_inputs)
        ratio = inputs.employer_cost_ratio
        tax_rate = inputs.tax_rate
        utilization = inputs.utilization
        deflation = inputs.deflation
        share = personal_share(grant)
        taxable_share = inputs.taxable_share
        expires = ZERO if carries(grant) else ONE
        landings = landing_months(grant.cadence, self.horizon)
        inside = inside_shares(grant, landings, self.horizon, self.year_count)
        per_year = [0] * self.year_count
        for month in landings:
            per_year[(month - 1) // 12] += 1
        years: list[GrantFigures] = []
        for n in range(1, self.year_count + 1):
            k = f"grants[{i}].years[{n}]"
            tranches = Decimal(per_year[n - 1])
            face = t(
                f"{k}.face",
                "compute.face",
                tranches=tranches,
                units=grant.units,
                unit_price=unit_price,
                inside_share=inside[n - 1],
                deflation=deflation,
                years_elapsed=Decimal(n - 1),
            )
            face_today = t(
                f"{k}.face_today",
                "compute.face_today",
                tranches=tranches,
                units=grant.units,
                unit_price=unit_price,
                inside_share=inside[n - 1],
            )
            personal = t(
                f"{k}.personal_value",
                "compute.personal_value",
                face=face,
                personal_share=share,
                utilization=utilization,
            )
            tax = t(f"{k}.tax", "compute.tax", face=face, taxable_share=taxable_share, tax_rate=tax_rate)
            net = t(f"{k}.net_benefit", "compute.net_benefit", personal_value=personal, tax=tax)
            years.append(
                GrantFigures(
                    n=n,
                    tranches=per_year[n - 1],
                    face=face,
                    face_today=face_today,
                    employer_cost=t(
                        f"{k}.employer_cost", "compute.employer_cost", face=face, employer_cost_ratio=ratio
                    ),
                    personal_value=personal,
                    tax=tax,
                    net_benefit=net,
                    cash_equivalent=t(
                        f"{k}.cash_equivalent", "compute.cash_equivalent", net_benefit=net, tax_rate=tax_rate
                    ),
                    gross_up=t(f"{k}.gross_up", "compute.gross_up", tax=tax, tax_rate=tax_rate),
                    deflation_loss=t(f"{k}.deflation_loss", "compute.deflation_loss", face_today=face_today, face=face),
                    expected_forfeiture=t(
                        f"{k}.expected_forfeiture",
                        "compute.expected_forfeiture",
                        face=face,
                        personal_share=share,
                        utilization=utilization,
                        expires=expires,
                    ),
                )
            )
        totals = {
            name: t(f"grants[{i}].total.{name}", "sum", **{f"year_{y.n}": getattr(y, name) for y in years})
            for name in _GRANT_FIELDS
        }
        total = GrantFigures(n=0, tranches=len(landings), **totals)
        forfeited: list[Decimal] = []
        if scenario == "base":
            kept = ONE - deflation
            tranche_faces = [grant.units * unit_price * kept ** (n - 1) for n in range(1, self.year_count + 1)]
            forfeited = forfeits(grant, self.horizon, landings, tranche_faces, utilization)
        return _GrantRun(years, total, unit_price, ratio, utilization, taxable_share, inputs.price_source, forfeited)

    # -- whole offer ---------------------------------------------------------------------------------------------
    def run(self) -> Valuation:
        t = self.trace
        offer = self.offer
        cash = self.cash_years()
        equity, fractions = self.equity()
        runs = {s: [self.compute_grant(i, g, s) for i, g in enumerate(offer.compute)] for s in SCENARIOS}
        base_runs = runs["base"]

        years: list[YearFigures] = []
        for n in range(1, self.year_count + 1):
            k = f"years[{n}]"
            base, bonus, sign_on = cash[n - 1]
            cash_total = t(f"{k}.cash", "sum", base=base, bonus=bonus, sign_on=sign_on)
            eq_adv = t(
                f"{k}.equity_advertised",
                "sum",
                **{f"equity_{e.index}": e.years_advertised[n - 1] for e in equity},
            )
            eq = t(f"{k}.equity", "sum", **{f"equity_{e.index}": e.years_vested[n - 1] for e in equity})
            grant_years = [(i, r.years[n - 1]) for i, r in enumerate(base_runs)]
            sums = {
                name: t(f"{k}.compute_{name}", "sum", **{f"grant_{i}": getattr(g, name) for i, g in grant_years})
                for name in (
                    "face",
                    "face_today",
                    "employer_cost",
                    "tax",
                    "gross_up",
                    "net_benefit",
                    "cash_equivalent",
                )
            }
            in_tc = t(
                f"{k}.compute_face_today_in_tc",
                "sum",
                **{f"grant_{i}": g.face_today for i, g in grant_years if offer.compute[i].quoted_in_tc},
            )
            advertised = t(
                f"{k}.advertised_tc",
                "sum",
                cash=cash_total,
                equity_advertised=eq_adv,
                compute_face_today_in_tc=in_tc,
            )
            cash_eq = t(
                f"{k}.cash_equivalent_tc",
                "sum",
                cash=cash_total,
                equity=eq,
                compute_cash_equivalent=sums["cash_equivalent"],
            )
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
                    compute_face=sums["face"],
                    compute_face_today=sums["face_today"],
                    compute_employer_cost=sums["employer_cost"],
                    compute_tax=sums["tax"],
                    compute_gross_up=sums["gross_up"],
                    compute_net_benefit=sums["net_benefit"],
                    compute_cash_equivalent=sums["cash_equivalent"],
                    advertised_tc=advertised,
                    cash_equivalent_tc=cash_eq,
                )
            )

        grants = [self._grant_result(i, g, runs) for i, g in enumerate(offer.compute)]
        scenarios = tuple(self._scenario_totals(s, years, equity, runs[s]) for s in SCENARIOS)
        months = self._months(equity, fractions, base_runs)
        leave = self._cost_to_leave(equity, fractions, base_runs)
        exercise = self._exercise_cash(equity, fractions)
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
            traces=Traces(tuple(t.traces)),
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

    def _scenario_totals(
        self,
        scenario: str,
        years: list[YearFigures],
        equity: list[EquityGrantResult],
        grant_runs: list[_GrantRun],
    ) -> ScenarioTotals:
        advertised_year1 = ZERO
        cash_eq_year1 = ZERO
        advertised_total = ZERO
        cash_eq_total = ZERO
        compute_total = ZERO
        for year in years:
            n = year.n
            in_tc = sum(
                (r.years[n - 1].face_today for i, r in enumerate(grant_runs) if self.offer.compute[i].quoted_in_tc),
                ZERO,
            )
            compute_ce = sum((r.years[n - 1].cash_equivalent for r in grant_runs), ZERO)
            advertised = year.cash + year.equity_advertised + in_tc
            cash_eq = year.cash + year.equity + compute_ce
            if n == 1:
                advertised_year1, cash_eq_year1 = advertised, cash_eq
            advertised_total += advertised
            cash_eq_total += cash_eq
            compute_total += compute_ce
        return ScenarioTotals(scenario, advertised_year1, cash_eq_year1, advertised_total, cash_eq_total, compute_total)

    def _months(
        self, equity: list[EquityGrantResult], fractions: list[list[Decimal]], grant_runs: list[_GrantRun]
    ) -> list[MonthFigures]:
        t = self.trace
        offer = self.offer
        monthly_base = offer.salary.base / TWELVE
        monthly_bonus = offer.bonus_yearly / TWELVE
        sign_on = offer.sign_on.amount if offer.sign_on else ZERO
        landing = [set(landing_months(g.cadence, self.horizon)) for g in offer.compute]
        cumulative = ZERO
        months: list[MonthFigures] = []
        for m in range(1, self.horizon + 1):
            equity_month = sum(
                (e.value_cash_equivalent * (f[m] - f[m - 1]) for e, f in zip(equity, fractions, strict=True)),
                ZERO,
            )
            compute_month = ZERO
            for i, run in enumerate(grant_runs):
                if m in landing[i]:
                    year = run.years[(m - 1) // 12]
                    compute_month += year.cash_equivalent / year.tranches
            cumulative = t(
                f"months[{m}].cash_equivalent",
                "sum",
                previous=cumulative,
                base=monthly_base,
                bonus=monthly_bonus,
                sign_on=sign_on if m == 1 else ZERO,
                equity=equity_month,
                compute=compute_month,
            )
            months.append(MonthFigures(m, cumulative))
        return months

    def _cost_to_leave(
        self, equity: list[EquityGrantResult], fractions: list[list[Decimal]], grant_runs: list[_GrantRun]
    ) -> list[LeaveCost]:
        t = self.trace
        offer = self.offer
        sign_on = offer.sign_on
        rows: list[LeaveCost] = []
        for m in range(1, self.horizon + 1):
            k = f"cost_to_leave[{m}]"
            unvested = t(
                f"{k}.equity_unvested",
                "sum",
                **{
                    f"equity_{e.index}": e.value_advertised * (ONE - f[m])
                    for e, f in zip(equity, fractions, strict=True)
                },
            )
            if sign_on is not None:
                repayment = t(
                    f"{k}.sign_on_repayment",
                    f"leave.sign_on.{sign_on.clawback}",
                    amount=sign_on.amount,
                    clawback_months=Decimal(sign_on.clawback_months),
                    month=Decimal(m),
                )
            else:
                repayment = ZERO
            forfeited = t(
                f"{k}.compute_forfeited",
                "sum",
                **{f"grant_{i}": r.forfeited_by_month[m - 1] for i, r in enumerate(grant_runs)},
            )
            total = t(
                f"{k}.total",
                "sum",
                equity_unvested=unvested,
                sign_on_repayment=repayment,
                compute_forfeited=forfeited,
            )
            rows.append(LeaveCost(m, total, unvested, repayment, forfeited))
        return rows

    def _exercise_cash(self, equity: list[EquityGrantResult], fractions: list[list[Decimal]]) -> list[ExerciseCash]:
        t = self.trace
        options = [
            (g, f)
            for g, e, f in zip(self.offer.equity, equity, fractions, strict=True)
            if isinstance(g, OptionGrant) and not e.underwater
        ]
        return [
            ExerciseCash(
                m,
                t(
                    f"exercise_cash[{m}].total",
                    "sum",
                    **{f"option_{j}": g.shares * f[m] * g.strike for j, (g, f) in enumerate(options)},
                ),
            )
            for m in range(1, self.horizon + 1)
        ]

    def _headline(self, years: list[YearFigures], grant_runs: list[_GrantRun]) -> Headline:
        t = self.trace
        first = years[0]
        gap = t(
            "headline.gap_year1",
            "difference",
            minuend=first.advertised_tc,
            subtrahend=first.cash_equivalent_tc,
        )
        gap_share = t("headline.gap_share_year1", "ratio", part=gap, whole=first.advertised_tc)
        advertised_total = t("headline.advertised_tc_horizon", "sum", **{f"year_{y.n}": y.advertised_tc for y in years})
        cash_eq_total = t(
            "headline.cash_equivalent_tc_horizon",
            "sum",
            **{f"year_{y.n}": y.cash_equivalent_tc for y in years},
        )
        gap_total = t("headline.gap_horizon", "difference", minuend=advertised_total, subtrahend=cash_eq_total)
        quoted = self.offer.quoted_tc
        difference: Decimal | None = None
        mismatch = False
        if quoted is not None:
            difference = t(
                "headline.quoted_tc_difference", "difference", minuend=quoted, subtrahend=first.advertised_tc
            )
            tolerance = self.registry.threshold("quoted_tc_tolerance") * first.advertised_tc
            recurring = first.advertised_tc - first.sign_on
            mismatch = abs(difference) > tolerance and abs(quoted - recurring) > tolerance
        locked = t(
            "headline.noncash_nonportable_year1",
            "sum",
            **{
                f"grant_{i}": r.years[0].face_today
                for i, r in enumerate(grant_runs)
                if self.offer.compute[i].quoted_in_tc and self.offer.compute[i].on_departure != "cash"
            },
        )
        locked_share = t("headline.noncash_nonportable_share_year1", "ratio", part=locked, whole=first.advertised_tc)
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
