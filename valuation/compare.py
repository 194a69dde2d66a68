"""Offers side by side: per year and over the same months, in one currency, each against the first.

Totals are only set against each other over the same months: :func:`compare_offers` values every offer over a
common horizon (the months asked for, or else the shortest of the offers' own horizons) and says which it used.
Offers in different currencies are shown in the first offer's currency, converted with the usd_rate each offer
file already gives; an offer whose rate is unknown is refused, naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Literal

from valuation.assumptions import Layer
from valuation.engine import value_offer
from valuation.errors import OfferError, Reason
from valuation.formulas import CONTEXT
from valuation.offer import Offer
from valuation.registry import Registry
from valuation.result import Lazy, Valuation

MIN_OFFERS = 2
MIN_MONTHS, MAX_MONTHS = 1, 120  # the range tenure_months allows
# "same": every offer already covered these months; "shortest": the shortest own horizon was used for all;
# "given": the months asked for.
HorizonBasis = Literal["same", "shortest", "given"]


@dataclass(frozen=True, slots=True)
class ComparedOffer:
    name: str  # how the person knows it: a saved name or a file name
    employer: str | None
    currency: str  # the offer's own currency
    multiplier: Decimal  # comparison-currency units per unit of the offer's currency (1 when they are the same)
    own_horizon_months: int  # the months the offer covers on its own (before the common horizon)
    advertised_tc_years: tuple[Decimal, ...]
    cash_equivalent_tc_years: tuple[Decimal, ...]
    advertised_tc_horizon: Decimal
    cash_equivalent_tc_horizon: Decimal
    compute_cash_equivalent_horizon: Decimal
    cost_to_leave_month12: Decimal
    difference_year1: Decimal  # cash-equivalent TC minus the first offer's
    difference_horizon: Decimal
    # Cumulative through the end of each month, for charts: made when first read (see _by_month).
    cash_equivalent_months: Sequence[Decimal]


@dataclass(frozen=True, slots=True)
class Comparison:
    currency: str
    horizon_months: int
    horizon_basis: HorizonBasis
    offers: tuple[ComparedOffer, ...]
    best_year1: str
    best_horizon: str


def compare_offers(
    named: Sequence[tuple[str, Offer]],
    registry: Registry,
    layers: Sequence[Layer] = (),
    *,
    months: int | None = None,
) -> Comparison:
    """Value each named offer over the same months and compare them. ``months`` sets the common horizon; without
    it the shortest of the offers' own horizons is used for all."""
    _check_count(len(named))
    if months is not None and not MIN_MONTHS <= months <= MAX_MONTHS:
        raise OfferError.single("months", str(months), Reason.OUT_OF_RANGE, "36", f"{MIN_MONTHS}–{MAX_MONTHS}")
    valued = [_valued(name, offer, registry, layers) for name, offer in named]
    own = [v.horizon_months for v in valued]
    common = months if months is not None else min(own)
    basis: HorizonBasis = "given" if months is not None else "same" if len(set(own)) == 1 else "shortest"
    aligned = [
        v if v.horizon_months == common else value_offer(_over(offer, common), registry, layers, traces=False)
        for (_, offer), v in zip(named, valued, strict=True)
    ]
    return compare([(name, v) for (name, _), v in zip(named, aligned, strict=True)], own_horizons=own, basis=basis)


def _valued(name: str, offer: Offer, registry: Registry, layers: Sequence[Layer]) -> Valuation:
    """One offer's valuation; a problem found while valuing it (a tax rate that can't be estimated, say) names
    the offer it is in."""
    try:
        return value_offer(offer, registry, layers, traces=False)
    except OfferError as exc:
        raise exc.within(name) from None


def _over(offer: Offer, months: int) -> Offer:
    """The same offer valued as if it said ``tenure_months = months``."""
    return offer.model_copy(update={"assumptions": offer.assumptions.model_copy(update={"tenure_months": months})})


def _by_month(valuation: Valuation, rate: Decimal) -> Lazy[Decimal]:
    """Cash-equivalent TC through the end of each month, in the comparison's currency. Only a chart reads it, and it
    needs the month-by-month table, which nothing else in a comparison does: made on first read."""
    return Lazy(lambda: [month.cash_equivalent * rate for month in valuation.months])


def _check_count(count: int) -> None:
    if count < MIN_OFFERS:
        raise OfferError.single("offers", str(count), Reason.TOO_FEW, "two offers", str(MIN_OFFERS))


def _usd_rate(name: str, valuation: Valuation) -> Decimal | None:
    """Offer-currency units per US dollar: 1 for a USD offer, the rate the offer (or a person's defaults) gives
    otherwise, None when only the built-in placeholder is there."""
    if valuation.currency == "USD":
        return Decimal(1)
    used = next((a for a in valuation.assumptions if a.name == "usd_rate"), None)
    if used is None or used.level == "built-in" or used.value is None:
        return None
    return used.value.base


def _rates(named: Sequence[tuple[str, Valuation]]) -> list[Decimal]:
    """For each offer, the factor from its currency into the first offer's."""
    first_name, first = named[0]
    if all(v.currency == first.currency for _, v in named):
        return [Decimal(1)] * len(named)
    needed = [(first_name, first)] + [(n, v) for n, v in named[1:] if v.currency != first.currency]
    for name, valuation in needed:
        if _usd_rate(name, valuation) is None:
            other = next(v.currency for _, v in named if v.currency != valuation.currency)
            raise OfferError.single(
                "assumptions.usd_rate", valuation.currency, Reason.CURRENCY_MISMATCH, '"0.92"', other, source=name
            )
    first_rate = _usd_rate(first_name, first)
    assert first_rate is not None
    with localcontext(CONTEXT):
        return [
            Decimal(1) if v.currency == first.currency else first_rate / (_usd_rate(n, v) or Decimal(1))
            for n, v in named
        ]


def compare(
    named: Sequence[tuple[str, Valuation]],
    *,
    own_horizons: Sequence[int] | None = None,
    basis: HorizonBasis = "same",
) -> Comparison:
    """Compare valued offers that cover the same months (:func:`compare_offers` makes sure they do). Figures are
    in the first offer's currency."""
    _check_count(len(named))
    first = named[0][1]
    for name, valuation in named[1:]:
        if valuation.horizon_months != first.horizon_months:
            raise OfferError.single(
                "horizon_months",
                str(valuation.horizon_months),
                Reason.HORIZON_MISMATCH,
                str(first.horizon_months),
                str(first.horizon_months),
                source=name,
            )
    rates = _rates(named)
    horizons = list(own_horizons) if own_horizons is not None else [v.horizon_months for _, v in named]
    year1 = [v.headline.cash_equivalent_tc_year1 * r for (_, v), r in zip(named, rates, strict=True)]
    totals = [v.headline.cash_equivalent_tc_horizon * r for (_, v), r in zip(named, rates, strict=True)]
    offers = []
    for index, ((name, valuation), rate) in enumerate(zip(named, rates, strict=True)):
        month12 = valuation.leave_at(min(12, valuation.horizon_months)).total
        offers.append(
            ComparedOffer(
                name=name,
                employer=valuation.employer,
                currency=valuation.currency,
                multiplier=rate,
                own_horizon_months=horizons[index],
                advertised_tc_years=tuple(y.advertised_tc * rate for y in valuation.years),
                cash_equivalent_tc_years=tuple(y.cash_equivalent_tc * rate for y in valuation.years),
                advertised_tc_horizon=valuation.headline.advertised_tc_horizon * rate,
                cash_equivalent_tc_horizon=totals[index],
                compute_cash_equivalent_horizon=sum(
                    (y.compute_cash_equivalent * rate for y in valuation.years), Decimal(0)
                ),
                cost_to_leave_month12=month12 * rate,
                difference_year1=year1[index] - year1[0],
                difference_horizon=totals[index] - totals[0],
                cash_equivalent_months=_by_month(valuation, rate),
            )
        )
    # Ties go to the earlier offer, so the answer never depends on anything but the order given.
    best_year1 = max(range(len(offers)), key=lambda i: (year1[i], -i))
    best_horizon = max(range(len(offers)), key=lambda i: (totals[i], -i))
    return Comparison(
        first.currency, first.horizon_months, basis, tuple(offers), offers[best_year1].name, offers[best_horizon].name
    )
