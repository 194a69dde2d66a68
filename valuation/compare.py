"""Offers side by side: per year and over the horizon, each against the first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from valuation.errors import OfferError, Reason
from valuation.result import Valuation


@dataclass(frozen=True, slots=True)
class ComparedOffer:
    name: str
    employer: str | None
    advertised_tc_years: tuple[Decimal, ...]
    cash_equivalent_tc_years: tuple[Decimal, ...]
    advertised_tc_horizon: Decimal
    cash_equivalent_tc_horizon: Decimal
    compute_cash_equivalent_horizon: Decimal
    cost_to_leave_month12: Decimal
    difference_year1: Decimal  # cash-equivalent TC minus the first offer's
    difference_horizon: Decimal


@dataclass(frozen=True, slots=True)
class Comparison:
    currency: str
    horizon_months: int
    offers: tuple[ComparedOffer, ...]
    best_year1: str
    best_horizon: str


def compare(named: Sequence[tuple[str, Valuation]]) -> Comparison:
    """Compare two or more valued offers. They must share a currency (convert first) and a horizon."""
    if len(named) < 2:
        raise OfferError.single("offers", str(len(named)), Reason.TOO_MANY, "two or three offers", "2")
    first = named[0][1]
    for name, valuation in named[1:]:
        if valuation.currency != first.currency:
            raise OfferError.single(
                f"{name}.currency",
                valuation.currency,
                Reason.CURRENCY_MISMATCH,
                first.currency,
                first.currency,
            )
    offers = []
    for name, valuation in named:
        month12 = valuation.leave_at(min(12, valuation.horizon_months)).total
        offers.append(
            ComparedOffer(
                name=name,
                employer=valuation.employer,
                advertised_tc_years=tuple(y.advertised_tc for y in valuation.years),
                cash_equivalent_tc_years=tuple(y.cash_equivalent_tc for y in valuation.years),
                advertised_tc_horizon=valuation.headline.advertised_tc_horizon,
                cash_equivalent_tc_horizon=valuation.headline.cash_equivalent_tc_horizon,
                compute_cash_equivalent_horizon=sum((y.compute_cash_equivalent for y in valuation.years), Decimal(0)),
                cost_to_leave_month12=month12,
                difference_year1=valuation.headline.cash_equivalent_tc_year1 - first.headline.cash_equivalent_tc_year1,
                difference_horizon=valuation.headline.cash_equivalent_tc_horizon
                - first.headline.cash_equivalent_tc_horizon,
            )
        )
    # Ties go to the earlier offer, so the answer never depends on anything but the order given.
    best_year1 = max(offers, key=lambda o: (o.cash_equivalent_tc_years[0], -offers.index(o))).name
    best_horizon = max(offers, key=lambda o: (o.cash_equivalent_tc_horizon, -offers.index(o))).name
    return Comparison(first.currency, first.horizon_months, tuple(offers), best_year1, best_horizon)
