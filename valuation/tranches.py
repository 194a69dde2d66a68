"""When compute tranches land, how long each lasts, which inputs a scenario takes, and what leaving forfeits.

A tranche's personal part is spent evenly over its *life*: until it expires or the next tranche lands, whichever
is sooner (a one-time grant that never expires: until the end of the horizon). Only the part of a life inside the
horizon counts. What a tranche leaves unspent expires at the end of its life, or carries forward when the grant
rolls over or never expires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from valuation.assumptions import AssumptionUsed
from valuation.formulas import FORMULAS, ONE, ZERO
from valuation.frozen import direct_init
from valuation.offer import ComputeGrant
from valuation.registry import Range, Registry


def landing_months(cadence: str, horizon: int) -> list[int]:
    if cadence == "one-time":
        return [1]
    step = 1 if cadence == "monthly" else 12
    return list(range(1, horizon + 1, step))


def life_limit(grant: ComputeGrant) -> int:
    """The months a tranche lives, or 0 when only the horizon ends it (a one-time grant that never expires)."""
    gap = {"monthly": 1, "yearly": 12}.get(grant.cadence, 0)
    expiry = grant.expiry_months
    if gap and expiry:
        return min(gap, expiry)
    return gap or expiry


def life_months(grant: ComputeGrant, landing: int, horizon: int) -> int:
    """Months a tranche landing in ``landing`` is spent over."""
    return life_limit(grant) or horizon - landing + 1


def carries(grant: ComputeGrant) -> bool:
    """Whether a tranche's unspent rest stays yours (rollover, or credits that never expire) instead of expiring."""
    return grant.rollover or grant.expiry_months == 0


def personal_share(grant: ComputeGrant) -> Decimal:
    return ONE - grant.work_required if grant.personal_use else ZERO


# An unstated tax treatment is an uncertainty, not the worst case: each scenario takes one treatment.
UNSTATED_TREATMENT = {"low": "taxable", "base": "working-condition", "high": "excluded"}
# The grant terms that change a grant's value; those an offer leaves unstated are reported as assumed.
VALUE_TERMS = ("cadence", "expiry_months", "rollover", "on_departure", "personal_use", "work_required", "tax_treatment")


def treatment(grant: ComputeGrant, scenario: str) -> str:
    """The tax treatment a scenario applies: the stated one, or for an unstated one low taxable, base
    working-condition, high excluded."""
    return grant.tax_treatment or UNSTATED_TREATMENT[scenario]


def taxable_share(grant: ComputeGrant, scenario: str = "base") -> Decimal:
    """The share of the face that is taxed. Working-condition treatment taxes only what is yours to use: the
    personal share, which is 0 when the credits may not be used personally."""
    kind = treatment(grant, scenario)
    if kind == "taxable":
        return ONE
    if kind == "working-condition":
        return personal_share(grant)
    return ZERO


def assumed_terms(grant: ComputeGrant) -> tuple[str, ...]:
    """The value-changing terms the offer left to their defaults, in VALUE_TERMS order. The work share changes
    nothing on credits stated to be for work only, so it is not listed for them."""
    stated = grant.model_fields_set
    moot = {"work_required"} if "personal_use" in stated and not grant.personal_use else set()
    return tuple(term for term in VALUE_TERMS if term not in stated and term not in moot)


def inside_shares(grant: ComputeGrant, landings: list[int], horizon: int, year_count: int) -> list[Decimal]:
    """Per year: the share of its tranches' lives that falls inside the horizon (1 unless a life runs past it).

    Every tranche landing in one year has the same life inside the horizon (monthly tranches live one month; yearly
    and one-time grants land once a year), so one share per year describes them all.
    """
    shares = [ONE] * year_count
    limit = life_limit(grant)
    for landing in landings:
        life = limit or horizon - landing + 1
        inside = min(life, horizon - landing + 1)
        if inside < life:
            shares[(landing - 1) // 12] = Decimal(inside) / Decimal(life)
    return shares


@direct_init
@dataclass(frozen=True, slots=True)
class ScenarioInputs:
    """What one scenario takes for one grant. ``price_inputs`` recompute ``unit_price`` through ``price_formula``."""

    unit_price: Decimal
    price_source: str  # "registry" | "offer" | "face"
    price_formula: str
    price_inputs: Mapping[str, Decimal]
    employer_cost_ratio: Decimal
    tax_rate: Decimal
    utilization: Decimal
    deflation: Decimal
    taxable_share: Decimal

    def key(self) -> tuple[Decimal, ...]:
        return (
            self.unit_price,
            self.employer_cost_ratio,
            self.tax_rate,
            self.utilization,
            self.deflation,
            self.taxable_share,
        )


def _opposite(scenario: str) -> str:
    return {"low": "high", "high": "low"}.get(scenario, scenario)


def _range(used: Mapping[str, AssumptionUsed], name: str) -> Range:
    value = used[name].value
    assert value is not None
    return value


def scenario_inputs(
    grant: ComputeGrant, used: Mapping[str, AssumptionUsed], registry: Registry, scenario: str
) -> ScenarioInputs:
    """The inputs of ``scenario`` for ``grant``: base takes the middle of every range; low takes each uncertain
    input at the end that lowers this grant's cash-equivalent, high at the end that raises it.

    Per tranche, cash-equivalent = face × k with k = (personal share × utilization − taxable share × rate) / (1 − rate).
    k rises with utilization and falls with the taxable share; it rises with the rate exactly when personal share ×
    utilization ≥ taxable share. So the scenario first takes the ends of those inputs that move k its way, then the
    face: when k ≥ 0 a lower face lowers the value, when k < 0 (a grant worth less than nothing) a higher face does.
    Every figure of every year then lies between low and high, and base between them.
    """
    p = personal_share(grant)
    s = taxable_share(grant, scenario)
    utilization = _range(used, "utilization").pick(scenario)
    tax_range = _range(used, "marginal_tax_rate")
    if scenario == "base":
        tax_rate = tax_range.base
        face_end = "base"
    else:
        rises_with_rate = p * utilization - s >= 0
        tax_rate = tax_range.pick(scenario if rises_with_rate else _opposite(scenario))
        k_not_negative = p * utilization - s * tax_rate >= 0
        face_end = scenario if k_not_negative else _opposite(scenario)
    # A lower face: the low price and the high deflation.
    if grant.denomination == "tokens":
        deflation = _range(used, "token_deflation").pick(_opposite(face_end))
    elif grant.denomination == "gpu_hours":
        deflation = _range(used, "gpu_deflation").pick(_opposite(face_end))
    else:
        deflation = ZERO
    usd_rate = _range(used, "usd_rate").pick(face_end)
    override = used["employer_cost_ratio"].value
    formula = "compute.unit_price.given"
    inputs: dict[str, Decimal]
    if grant.denomination == "dollars":
        ratio = override or registry.assumptions["dollar_employer_cost_ratio"].value
        source, inputs, formula = "face", {"unit_price": ONE}, "compute.unit_price.given"
    elif grant.denomination == "tokens":
        assert grant.model is not None
        model = registry.models[grant.model]
        ratio = override or model.employer_cost_ratio
        if grant.unit_price is not None:
            source, inputs = "offer", {"unit_price": grant.unit_price / 1_000_000}
        else:
            # A higher input share is cheaper: the lower face takes the high end of the share.
            source, formula = "registry", "compute.unit_price.tokens"
            inputs = {
                "input_price": model.input,
                "output_price": model.output,
                "input_share": model.input_share.pick(_opposite(face_end)),
                "usd_rate": usd_rate,
            }
    else:
        assert grant.gpu is not None
        gpu = registry.gpus[grant.gpu]
        ratio = override or gpu.employer_cost_ratio
        if grant.unit_price is not None:
            source, inputs = "offer", {"unit_price": grant.unit_price}
        else:
            source, formula = "registry", "compute.unit_price.gpu"
            inputs = {"hourly": gpu.hourly.pick(face_end), "usd_rate": usd_rate}
    return ScenarioInputs(
        unit_price=FORMULAS[formula](inputs),
        price_source=source,
        price_formula=formula,
        price_inputs=inputs,
        employer_cost_ratio=ratio.pick(scenario),
        tax_rate=tax_rate,
        utilization=utilization,
        deflation=deflation,
        taxable_share=s,
    )


def forfeits(
    grant: ComputeGrant,
    horizon: int,
    landings: list[int],
    tranche_faces: list[Decimal],
    utilization: Decimal,
) -> list[Decimal]:
    """What leaving at the end of each month forfeits of this grant (index m-1 for month m).

    ``tranche_faces`` holds one whole tranche's face for each year. Leaving with ``r`` of ``L`` months of a tranche's
    life left forfeits ``r / L`` of its spendable part (personal share × utilization); a tail of T months spends T
    more of them, so only ``(r − T) / L`` is lost. The unspent rest of each ended tranche that carries (rollover or
    no expiry) is a balance that your pace never spends: leaving loses it, with or without a tail. Cash on departure
    loses nothing.
    """
    forfeited = [ZERO] * horizon
    share = personal_share(grant)
    if grant.on_departure == "cash" or not share:
        return forfeited
    tail = grant.tail_months if grant.on_departure == "tail" else 0
    keeps = carries(grant)
    carried_in = [ZERO] * (horizon + 1)
    not_spent = ONE - utilization
    limit = life_limit(grant)
    for landing in landings:
        face = tranche_faces[(landing - 1) // 12]
        life = limit or horizon - landing + 1
        last = min(life, horizon - landing + 2)
        spendable = face * share * utilization
        if spendable:
            for elapsed in range(1, last):
                remaining = life - elapsed
                if remaining > tail:
                    forfeited[landing + elapsed - 2] += spendable * (remaining - tail) / life
        end = landing + life - 1
        if keeps and end <= horizon:
            carried_in[end] += face * share * not_spent
    if keeps:
        balance = ZERO
        for month in range(1, horizon + 1):
            balance += carried_in[month]
            forfeited[month - 1] += balance
    return forfeited
