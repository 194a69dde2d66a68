"""Every formula the core uses, by id. The reference valuation (:mod:`valuation.explain`) computes each reported
figure through this table and records a trace naming the formula and its inputs, so a trace always recomputes its
figure exactly; the engine (:mod:`valuation.engine`) writes the same formulas out inline, in the same order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from valuation.frozen import direct_init

# The one decimal context all valuation arithmetic runs in (and traces recompute in): results never depend on
# a caller's context.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)
MILLION = Decimal(1_000_000)

Inputs = Mapping[str, Decimal]


def _sum(i: Inputs) -> Decimal:
    return sum(i.values(), ZERO)


def _option_value(i: Inputs) -> Decimal:
    return i["shares"] * max(ZERO, i["preferred_price"] - i["strike"])


def _token_unit_price(i: Inputs) -> Decimal:
    share = i["input_share"]
    return (i["input_price"] * share + i["output_price"] * (ONE - share)) / MILLION * i["usd_rate"]


def _face(i: Inputs) -> Decimal:
    today = i["tranches"] * i["units"] * i["unit_price"] * i["inside_share"]
    return today * (ONE - i["deflation"]) ** int(i["years_elapsed"])


def _prorated_repayment(i: Inputs) -> Decimal:
    months = i["clawback_months"]
    if months == 0:
        return ZERO
    return i["amount"] * max(ZERO, months - i["month"]) / months


def _full_repayment(i: Inputs) -> Decimal:
    return i["amount"] if i["month"] < i["clawback_months"] else ZERO


def _ratio(i: Inputs) -> Decimal:
    return i["part"] / i["whole"] if i["whole"] else ZERO


FORMULAS: dict[str, Callable[[Inputs], Decimal]] = {
    "sum": _sum,
    "difference": lambda i: i["minuend"] - i["subtrahend"],
    "ratio": _ratio,
    "salary.year": lambda i: i["base_salary"] * i["months"] / TWELVE,
    "bonus.target": lambda i: i["base_salary"] * i["share"],
    "bonus.year": lambda i: i["bonus_target"] * i["months"] / TWELVE,
    "sign_on.year": lambda i: i["amount"],
    "equity.value.rsu": lambda i: i["grant_value"],
    "equity.value.option": _option_value,
    "equity.value.discounted": lambda i: i["value"] * (ONE - i["discount"]),
    "equity.advertised.year": lambda i: i["value"] / i["years"] * i["months"] / TWELVE,
    "equity.vested.year": lambda i: i["value"] * i["vested_share"],
    "compute.unit_price.tokens": _token_unit_price,
    "compute.unit_price.gpu": lambda i: i["hourly"] * i["usd_rate"],
    "compute.unit_price.given": lambda i: i["unit_price"],
    "compute.face": _face,
    "compute.face_today": lambda i: i["tranches"] * i["units"] * i["unit_price"] * i["inside_share"],
    "compute.employer_cost": lambda i: i["face"] * i["employer_cost_ratio"],
    "compute.personal_value": lambda i: i["face"] * i["personal_share"] * i["utilization"],
    "compute.tax": lambda i: i["face"] * i["taxable_share"] * i["tax_rate"],
    "compute.net_benefit": lambda i: i["personal_value"] - i["tax"],
    "compute.cash_equivalent": lambda i: i["net_benefit"] / (ONE - i["tax_rate"]),
    "compute.gross_up": lambda i: i["tax"] / (ONE - i["tax_rate"]),
    "compute.deflation_loss": lambda i: i["face_today"] - i["face"],
    "compute.expected_forfeiture": lambda i: i["face"] * i["personal_share"] * (ONE - i["utilization"]) * i["expires"],
    "leave.sign_on.prorated": _prorated_repayment,
    "leave.sign_on.full": _full_repayment,
    "leave.sign_on.none": lambda i: ZERO,
    "leave.equity_unvested": lambda i: i["value"] * (ONE - i["vested_share"]),
    "leave.exercise_cost": lambda i: i["shares"] * i["vested_share"] * i["strike"],
}


@direct_init
@dataclass(frozen=True, slots=True)
class Trace:
    """How one reported figure was computed: ``FORMULAS[formula](inputs) == value``."""

    key: str
    formula: str
    inputs: tuple[tuple[str, Decimal], ...]
    value: Decimal

    def recompute(self) -> Decimal:
        with localcontext(CONTEXT):
            return FORMULAS[self.formula](dict(self.inputs))


class Tracer:
    """Computes figures through :data:`FORMULAS` and, when enabled, records a trace for each."""

    __slots__ = ("enabled", "traces")

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.traces: list[Trace] = []

    def __call__(self, key: str, formula: str, **inputs: Decimal) -> Decimal:
        value = FORMULAS[formula](inputs)
        if self.enabled:
            self.traces.append(Trace(key, formula, tuple(inputs.items()), value))
        return value
