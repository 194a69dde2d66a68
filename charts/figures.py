"""What each chart shows, taken from a valuation or a comparison: the figures as the core computed them (Decimal)
and the words from templates. Nothing here computes money; the renderer turns figures into geometry only.

The specs are small frozen dataclasses of strings, ints and Decimals, so they pickle to a worker process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from charts import palette
from charts.words import chart_words, default_renderer
from prompts import Renderer
from valuation import Comparison, Valuation
from valuation.offer import Offer


@dataclass(frozen=True, slots=True)
class Stack:
    """One stacked series: its key (a pillar or a loss), legend label, colour, and one figure per bar."""

    key: str
    label: str
    colour: str
    hatched: bool
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class MoneyChart:
    """Where the money is: per year, the advertised bar and the worth bar, each stacked by pillar."""

    currency: str
    locale: str
    title: str
    subtitle: str
    axis: str
    year_labels: tuple[str, ...]
    advertised_label: str
    worth_label: str
    pairs_label: str  # under the axis instead of per-bar words when there are too many years for them
    advertised: tuple[Stack, ...]  # the last stack (compute) reaches up to advertised_totals
    advertised_totals: tuple[Decimal, ...]
    worth: tuple[Stack, ...]
    worth_totals: tuple[Decimal, ...]
    gap_label: str  # year 1's gap, from the headline
    gap_year1: Decimal
    alt: str


@dataclass(frozen=True, slots=True)
class Marker:
    month: int
    label: str


@dataclass(frozen=True, slots=True)
class LeaveChart:
    """Cost to leave: per month, stacked by what you lose, with the cliff(s) and the clawback end marked."""

    currency: str
    locale: str
    title: str
    subtitle: str
    axis_x: str
    axis_y: str
    losses: tuple[Stack, ...]
    markers: tuple[Marker, ...]
    alt: str


@dataclass(frozen=True, slots=True)
class CompareChart:
    """Offers side by side: worth per year (bars) and cumulative by month (lines), the lead changes marked."""

    currency: str
    locale: str
    title: str
    subtitle: str
    per_year_label: str
    cumulative_label: str
    axis_x: str
    year_labels: tuple[str, ...]
    names: tuple[str, ...]
    colours: tuple[str, ...]
    years: tuple[tuple[Decimal, ...], ...]  # per offer
    months: tuple[tuple[Decimal, ...], ...]  # per offer, cumulative
    markers: tuple[Marker, ...]
    note: str  # who leads after each change ("" when the lead never changes)
    alt: str


Chart = MoneyChart | LeaveChart | CompareChart

_PILLARS = ("salary", "bonus", "sign_on", "equity", "compute")


def money_chart(valuation: Valuation, *, locale: str = "en-US", renderer: Renderer | None = None) -> MoneyChart:
    words = chart_words(
        renderer or default_renderer(), "money", locale=locale, currency=valuation.currency, v=valuation
    )
    years = valuation.years
    worth_figures = {
        "salary": [y.base for y in years],
        "bonus": [y.bonus for y in years],
        "sign_on": [y.sign_on for y in years],
        "equity": [y.equity for y in years],
        "compute": [y.compute_cash_equivalent for y in years],
    }
    # The advertised bar: compute counts as the employer quoted it (only grants quoted in TC, at today's list price),
    # which the valuation gives as the rest of advertised_tc; the renderer draws it up to that total.
    advertised_figures = {**worth_figures, "equity": [y.equity_advertised for y in years], "compute": []}

    def stacks(figures: dict[str, list[Decimal]]) -> tuple[Stack, ...]:
        return tuple(
            Stack(
                key,
                str(getattr(words, key)),
                palette.PILLARS[key],
                key in palette.HATCHED,
                tuple(figures[key]),
            )
            for key in _PILLARS
        )

    return MoneyChart(
        currency=valuation.currency,
        locale=locale,
        title=str(words.title),
        subtitle=str(words.subtitle),
        axis=str(words.axis),
        year_labels=tuple(str(words.year(y.n, y.months)) for y in years),
        advertised_label=str(words.advertised),
        worth_label=str(words.worth),
        pairs_label=str(words.pairs),
        advertised=stacks(advertised_figures),
        advertised_totals=tuple(y.advertised_tc for y in years),
        worth=stacks(worth_figures),
        worth_totals=tuple(y.cash_equivalent_tc for y in years),
        gap_label=str(words.gap),
        gap_year1=valuation.headline.gap_year1,
        alt=str(words.alt),
    )


def _clawback_end(offer: Offer, horizon: int) -> int | None:
    sign_on = offer.sign_on
    if sign_on is None or sign_on.clawback == "none" or sign_on.amount == 0 or sign_on.clawback_months == 0:
        return None
    return sign_on.clawback_months if sign_on.clawback_months <= horizon else None


def leave_chart(
    valuation: Valuation, offer: Offer, *, locale: str = "en-US", renderer: Renderer | None = None
) -> LeaveChart:
    """The offer gives the terms to mark (cliff, clawback length); the valuation gives every figure."""
    horizon = valuation.horizon_months
    rows = list(valuation.cost_to_leave)
    peak = max(rows, key=lambda row: (row.total, -row.month))  # the first month of the largest loss
    cliffs = sorted({grant.cliff_months for grant in offer.equity if 0 < grant.cliff_months <= horizon})
    clawback_end = _clawback_end(offer, horizon)
    words = chart_words(
        renderer or default_renderer(),
        "leave",
        locale=locale,
        currency=valuation.currency,
        v=valuation,
        peak=peak,
        last=rows[-1],
        cliffs=cliffs,
        clawback_end=clawback_end,
    )
    losses = tuple(
        Stack(key, str(getattr(words, key)), colour, key in palette.HATCHED, tuple(getattr(r, key) for r in rows))
        for key, colour in palette.LOSSES.items()
    )
    markers = [Marker(month, str(words.cliff(month))) for month in cliffs]
    if clawback_end is not None:
        markers.append(Marker(clawback_end, str(words.clawback(clawback_end))))
    return LeaveChart(
        currency=valuation.currency,
        locale=locale,
        title=str(words.title),
        subtitle=str(words.subtitle),
        axis_x=str(words.axis_x),
        axis_y=str(words.axis_y),
        losses=losses,
        markers=tuple(sorted(markers, key=lambda m: m.month)),
        alt=str(words.alt),
    )


def lead_changes(first: Sequence[Decimal], other: Sequence[Decimal]) -> list[int]:
    """The months (1-based) at whose end ``other`` and ``first`` swap places: the leader differs from the last month
    one of them led. Ties lead no one."""
    changes = []
    leader = 0
    for month, (a, b) in enumerate(zip(first, other, strict=True), start=1):
        now = (b > a) - (b < a)
        if now != 0:
            if leader not in (0, now):
                changes.append(month)
            leader = now
    return changes


def compare_chart(comparison: Comparison, *, locale: str = "en-US", renderer: Renderer | None = None) -> CompareChart:
    offers = comparison.offers
    first = offers[0]
    crossings: list[tuple[int, str]] = []
    for other in offers[1:]:
        for month in lead_changes(first.cash_equivalent_months, other.cash_equivalent_months):
            # Who leads after the change: the other offer if it is now above the first.
            ahead = (
                other if other.cash_equivalent_months[month - 1] > first.cash_equivalent_months[month - 1] else first
            )
            crossings.append((month, ahead.name))
    crossings.sort()
    words = chart_words(
        renderer or default_renderer(),
        "compare",
        locale=locale,
        currency=comparison.currency,
        c=comparison,
        crossovers=[month for month, _ in crossings],
        crossings=crossings,
    )
    years = len(first.cash_equivalent_tc_years)
    return CompareChart(
        currency=comparison.currency,
        locale=locale,
        title=str(words.title),
        subtitle=str(words.subtitle),
        per_year_label=str(words.per_year),
        cumulative_label=str(words.cumulative),
        axis_x=str(words.axis_x),
        year_labels=tuple(str(words.year(n)) for n in range(1, years + 1)),
        names=tuple(str(words.name(o.name)) for o in offers),
        colours=tuple(palette.OFFERS[i % len(palette.OFFERS)] for i in range(len(offers))),
        years=tuple(o.cash_equivalent_tc_years for o in offers),
        months=tuple(tuple(o.cash_equivalent_months) for o in offers),
        markers=tuple(Marker(month, str(words.crossover(month))) for month, _ in crossings),
        note=str(words.note),
        alt=str(words.alt),
    )
