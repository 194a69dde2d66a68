"""What every rule and the composer read: the offer, its valuation, the registry, and figures derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from valuation.engine import value_offer
from valuation.formulas import ZERO
from valuation.offer import Assumptions, ComputeGrant, Offer, OptionGrant, RsuGrant
from valuation.registry import Registry
from valuation.result import Valuation
from valuation.vesting import vested_fractions

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round half-even to whole cents, as presented."""
    return value.quantize(CENT, ROUND_HALF_EVEN) + 0


# Amounts asked are figures people use: whole thousands, or whole five-thousands above fifty thousand. Below ten
# thousand (a small salary, or a large currency unit) a thousand is more than the 10% a counter moves, so hundreds.
ROUND_UNIT = Decimal(1000)
ROUND_UNIT_LARGE = Decimal(5000)
ROUND_UNIT_SMALL = Decimal(100)
LARGE_AMOUNT = Decimal(50000)
SMALL_AMOUNT = Decimal(10000)


def round_unit(amount: Decimal) -> Decimal:
    """The step an amount of this size is asked in."""
    if amount > LARGE_AMOUNT:
        return ROUND_UNIT_LARGE
    return ROUND_UNIT if amount >= SMALL_AMOUNT else ROUND_UNIT_SMALL


def _to_unit(amount: Decimal, rounding: str) -> Decimal:
    unit = round_unit(amount)
    return (amount / unit).quantize(Decimal(1), rounding) * unit + 0


def round_nearest(amount: Decimal) -> Decimal:
    """The nearest round figure (halves up)."""
    return _to_unit(amount, ROUND_HALF_UP)


def round_up(amount: Decimal) -> Decimal:
    """The round figure at or above ``amount`` (an ask sized to reach a target never falls short of it)."""
    return _to_unit(amount, ROUND_CEILING)


def round_down(amount: Decimal) -> Decimal:
    """The round figure at or below ``amount`` (a limit rounded this way is never exceeded)."""
    return _to_unit(amount, ROUND_FLOOR)


def spend_window_months(grant: ComputeGrant, horizon: int) -> int:
    """How long the cadence gives to spend one tranche before the next lands (a one-time grant: the horizon)."""
    return {"monthly": 1, "yearly": 12}.get(grant.cadence, horizon)


def credit_life_months(grant: ComputeGrant, horizon: int) -> int:
    """How long one tranche stays spendable: the shorter of the spend window and the expiry (0 = none)."""
    window = spend_window_months(grant, horizon)
    return min(window, grant.expiry_months) if grant.expiry_months else window


@dataclass(frozen=True, slots=True)
class Facts:
    offer: Offer
    valuation: Valuation
    registry: Registry

    @property
    def horizon(self) -> int:
        return self.valuation.horizon_months

    @property
    def year1_months(self) -> int:
        return min(12, self.horizon)

    def threshold(self, name: str) -> Decimal:
        return self.registry.threshold(name)

    def limit(self, name: str) -> Decimal:
        return self.registry.limit(name)

    def vested_share(self, grant: RsuGrant | OptionGrant, month: int) -> Decimal:
        """Share of an equity grant vested by the end of ``month`` (the same schedule the engine uses)."""
        return vested_fractions(grant, max(month, 12))[month]

    def bonus_share(self) -> Decimal:
        """The bonus as a share of base when it is one (a base raise then raises it too), else 0."""
        bonus = self.offer.bonus
        if bonus is not None and isinstance(bonus.target, tuple):
            return bonus.target[1]
        return ZERO

    def revalue(self, offer: Offer) -> Valuation:
        """Value a changed offer with exactly the assumptions this valuation used (its layers included)."""
        fixed: dict[str, object] = {}
        for used in self.valuation.assumptions:
            if used.level != "built-in" and used.value is not None:
                base = used.value.base
                fixed[used.name] = int(base) if used.name == "tenure_months" else base
            if used.profile is not None:  # who is taxed where, so an estimated rate is estimated the same way
                fixed.update(
                    jurisdiction=used.profile.jurisdiction,
                    filing_status=used.profile.filing_status,
                    state=used.profile.state,
                )
        assumptions: Assumptions = offer.assumptions.model_copy(update=fixed)
        return value_offer(offer.model_copy(update={"assumptions": assumptions}), self.registry, traces=False)

    def with_grant(self, index: int, **changes: object) -> Offer:
        """The offer with one compute grant's terms changed."""
        grants = list(self.offer.compute)
        grants[index] = grants[index].model_copy(update=changes)
        return self.offer.model_copy(update={"compute": tuple(grants)})
