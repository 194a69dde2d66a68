"""Every formula the core uses, stated once, by id.

The engine (:mod:`valuation.engine`) computes each reported figure by calling the function below, and, when traces
are asked for, records the formula id and the named inputs it passed; :data:`FORMULAS` calls the same function from
those named inputs, so a trace always recomputes its figure exactly.
"""

from __future__ import annotations

import inspect
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


# -- general -----------------------------------------------------------------------------------------------------
def total(*parts: Decimal) -> Decimal:
    """``sum``: from zero, left to right (the order of the trace's inputs)."""
    return sum(parts, ZERO)


def maximum(*parts: Decimal) -> Decimal:
    """``maximum``: the largest part, zero when there are none."""
    return max(parts, default=ZERO)


def difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    return minuend - subtrahend


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole else ZERO


# -- cash --------------------------------------------------------------------------------------------------------
def salary_year(base_salary: Decimal, months: Decimal) -> Decimal:
    return base_salary * months / TWELVE


def bonus_target(base_salary: Decimal, share: Decimal) -> Decimal:
    return base_salary * share


def bonus_year(bonus_target: Decimal, months: Decimal) -> Decimal:
    return bonus_target * months / TWELVE


def sign_on_year(amount: Decimal) -> Decimal:
    return amount


# -- equity ------------------------------------------------------------------------------------------------------
def rsu_value(grant_value: Decimal) -> Decimal:
    return grant_value


def option_value(shares: Decimal, preferred_price: Decimal, strike: Decimal) -> Decimal:
    return shares * max(ZERO, preferred_price - strike)


def discounted(value: Decimal, discount: Decimal) -> Decimal:
    return value * (ONE - discount)


def advertised_year(value: Decimal, years: Decimal, months: Decimal) -> Decimal:
    return value / years * months / TWELVE


def vested_year(value: Decimal, vested_share: Decimal) -> Decimal:
    return value * vested_share


def exercise_cash(shares: Decimal, strike: Decimal, in_the_money: Decimal) -> Decimal:
    """Cash to exercise a whole option grant; ``in_the_money`` is 0 for options under water (nobody exercises
    them), else 1."""
    return shares * strike * in_the_money


# -- compute -----------------------------------------------------------------------------------------------------
def token_unit_price(input_price: Decimal, output_price: Decimal, input_share: Decimal, usd_rate: Decimal) -> Decimal:
    return (input_price * input_share + output_price * (ONE - input_share)) / MILLION * usd_rate


def gpu_unit_price(hourly: Decimal, usd_rate: Decimal) -> Decimal:
    return hourly * usd_rate


def given_unit_price(unit_price: Decimal) -> Decimal:
    return unit_price


def face_today(tranches: Decimal, units: Decimal, unit_price: Decimal, inside_share: Decimal) -> Decimal:
    return tranches * units * unit_price * inside_share


def face(
    tranches: Decimal,
    units: Decimal,
    unit_price: Decimal,
    inside_share: Decimal,
    deflation: Decimal,
    years_elapsed: Decimal,
) -> Decimal:
    today = face_today(tranches, units, unit_price, inside_share)
    if not years_elapsed:
        return today  # (1 − deflation)^0 = 1
    return today * (ONE - deflation) ** int(years_elapsed)


def employer_cost(face: Decimal, employer_cost_ratio: Decimal) -> Decimal:
    return face * employer_cost_ratio


def personal_value(face: Decimal, personal_share: Decimal, utilization: Decimal) -> Decimal:
    return face * personal_share * utilization


def compute_tax(face: Decimal, taxable_share: Decimal, tax_rate: Decimal) -> Decimal:
    return face * taxable_share * tax_rate


def net_benefit(personal_value: Decimal, tax: Decimal) -> Decimal:
    return personal_value - tax


def cash_equivalent(net_benefit: Decimal, tax_rate: Decimal) -> Decimal:
    return net_benefit / (ONE - tax_rate)


def gross_up(tax: Decimal, tax_rate: Decimal) -> Decimal:
    return tax / (ONE - tax_rate)


def deflation_loss(face_today: Decimal, face: Decimal) -> Decimal:
    return face_today - face


def expected_forfeiture(face: Decimal, personal_share: Decimal, utilization: Decimal, expires: Decimal) -> Decimal:
    return face * personal_share * (ONE - utilization) * expires


# -- leaving -----------------------------------------------------------------------------------------------------
def prorated_repayment(amount: Decimal, clawback_months: Decimal, month: Decimal) -> Decimal:
    if clawback_months == 0:
        return ZERO
    return amount * max(ZERO, clawback_months - month) / clawback_months


def full_repayment(amount: Decimal, clawback_months: Decimal, month: Decimal) -> Decimal:
    return amount if month < clawback_months else ZERO


def no_repayment(amount: Decimal, clawback_months: Decimal, month: Decimal) -> Decimal:
    return ZERO


def unvested(value: Decimal, vested_share: Decimal) -> Decimal:
    return value * (ONE - vested_share)


def exercise_cost(shares: Decimal, vested_share: Decimal, strike: Decimal) -> Decimal:
    return shares * vested_share * strike


Formula = Callable[..., Decimal]

# Formula id -> the function. Sums and maxima take any number of named parts; the others take exactly the named
# inputs of their parameters.
BY_ID: dict[str, Formula] = {
    "sum": total,
    "maximum": maximum,
    "difference": difference,
    "ratio": ratio,
    "salary.year": salary_year,
    "bonus.target": bonus_target,
    "bonus.year": bonus_year,
    "sign_on.year": sign_on_year,
    "equity.value.rsu": rsu_value,
    "equity.value.option": option_value,
    "equity.value.discounted": discounted,
    "equity.advertised.year": advertised_year,
    "equity.vested.year": vested_year,
    "equity.exercise_cash": exercise_cash,
    "compute.unit_price.tokens": token_unit_price,
    "compute.unit_price.gpu": gpu_unit_price,
    "compute.unit_price.given": given_unit_price,
    "compute.face": face,
    "compute.face_today": face_today,
    "compute.employer_cost": employer_cost,
    "compute.personal_value": personal_value,
    "compute.tax": compute_tax,
    "compute.net_benefit": net_benefit,
    "compute.cash_equivalent": cash_equivalent,
    "compute.gross_up": gross_up,
    "compute.deflation_loss": deflation_loss,
    "compute.expected_forfeiture": expected_forfeiture,
    "leave.sign_on.prorated": prorated_repayment,
    "leave.sign_on.full": full_repayment,
    "leave.sign_on.none": no_repayment,
    "leave.equity_unvested": unvested,
    "leave.exercise_cost": exercise_cost,
}
VARIADIC = frozenset({"sum", "maximum"})
# Each fixed formula's input names, in the order the function takes them (a trace records them in this order).
PARAMETERS: dict[str, tuple[str, ...]] = {
    formula: tuple(inspect.signature(function).parameters)
    for formula, function in BY_ID.items()
    if formula not in VARIADIC
}


def _by_name(formula: str) -> Callable[[Inputs], Decimal]:
    function = BY_ID[formula]
    if formula in VARIADIC:
        return lambda inputs: function(*inputs.values())
    return lambda inputs: function(**inputs)


# Formula id -> a function of the named inputs (what a trace carries).
FORMULAS: dict[str, Callable[[Inputs], Decimal]] = {formula: _by_name(formula) for formula in BY_ID}


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


class Recorder:
    """Collects traces while the engine values an offer with traces on. With traces off the engine holds ``None``
    instead, and every recording site is skipped by one test of that attribute."""

    __slots__ = ("traces",)

    def __init__(self) -> None:
        self.traces: list[Trace] = []

    def add(self, key: str, formula: str, value: Decimal, *inputs: Decimal) -> None:
        """A fixed formula's figure with its inputs in the function's parameter order."""
        self.traces.append(Trace(key, formula, tuple(zip(PARAMETERS[formula], inputs, strict=True)), value))

    def parts(self, key: str, formula: str, value: Decimal, parts: Mapping[str, Decimal]) -> None:
        """A sum's (or maximum's) figure with its named parts, in order."""
        self.traces.append(Trace(key, formula, tuple(parts.items()), value))
