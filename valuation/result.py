"""What a valuation returns: ids and numbers only (no sentences), as frozen dataclasses.

Money is unrounded ``Decimal``; :mod:`valuation.serialize` rounds half-even to cents at output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar, overload

from valuation.assumptions import AssumptionUsed
from valuation.formulas import Trace
from valuation.frozen import direct_init as _direct_init

SCHEMA_VERSION = 2
SCENARIOS = ("low", "base", "high")


T = TypeVar("T")


class Lazy(Sequence[T]):
    """A sequence produced on first read.

    Most callers (the advisor's what-ifs, comparisons, the headline) never read a valuation's month-by-month tables
    or its traces, so the engine defers them: ``Lazy(build)`` calls ``build`` once, on first use, and keeps what it
    returns. ``Lazy(items)`` holds ready items. With ``some`` and ``length``, items read by their (non-negative) index
    before the whole is read are made alone (a breakdown reads five months of a table of forty-eight):
    ``some(indices)`` must return what ``[build()[i] for i in indices]`` would.
    """

    __slots__ = ("_build", "_items", "_length", "_made", "_some")

    def __init__(
        self,
        source: Iterable[T] | Callable[[], Iterable[T]],
        *,
        some: Callable[[Sequence[int]], list[T]] | None = None,
        length: int | None = None,
    ) -> None:
        if callable(source):
            self._build: Callable[[], Iterable[T]] | None = source
            self._items: tuple[T, ...] = ()
        else:
            self._build = None
            self._items = tuple(source)
        self._some = some if length is not None else None
        self._length = length
        self._made: dict[int, T] | None = None

    def _all(self) -> tuple[T, ...]:
        if self._build is not None:
            self._items = tuple(self._build())
            self._build = self._some = self._made = None
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if self._some is not None and type(index) is int and 0 <= index < (self._length or 0):
            return self.pick((index,))[0]
        return self._all()[index]

    def pick(self, indices: Sequence[int]) -> list[T]:
        """The items at ``indices``; before the whole is built, those not made yet are made together, alone."""
        some = self._some
        if some is None or not all(type(i) is int and 0 <= i < (self._length or 0) for i in indices):
            items = self._all()
            return [items[i] for i in indices]
        made = self._made
        if made is None:
            made = self._made = {}
        missing = [i for i in dict.fromkeys(indices) if i not in made]
        if missing:
            made.update(zip(missing, some(missing), strict=True))
        return [made[i] for i in indices]

    def __len__(self) -> int:
        if self._build is not None and self._length is not None:
            return self._length
        return len(self._all())

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lazy):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(…)" if self._build is not None else f"{name}({len(self._items)} items)"


def _pick(rows: Sequence[T], months: Sequence[int]) -> list[T]:
    indices = [month - 1 for month in months]
    return rows.pick(indices) if isinstance(rows, Lazy) else [rows[i] for i in indices]


TABLE_SCOPES = ("months[", "cost_to_leave[", "exercise_cash[")
"""Key prefixes of the month-by-month tables' traces (running total, cost to leave, cash to keep options)."""


class Traces(Lazy[Trace]):
    """A valuation's traces (see :class:`Lazy`); ``Traces(())`` is empty.

    The month-by-month tables hold most of them (several hundred over four years) and a short view reads none:
    :meth:`outside_tables` gives the others, from ``outside_tables`` (a recording run that skips the tables) when
    the whole sequence has not been read yet.
    """

    __slots__ = ("_outside", "_outside_build")

    def __init__(
        self,
        source: Iterable[Trace] | Callable[[], Iterable[Trace]],
        outside_tables: Callable[[], Iterable[Trace]] | None = None,
    ) -> None:
        super().__init__(source)
        self._outside_build = outside_tables
        self._outside: tuple[Trace, ...] | None = None

    def outside_tables(self) -> tuple[Trace, ...]:
        """Every trace not of a month-by-month table, in order; built once."""
        if self._outside is None:
            if self._build is None or self._outside_build is None:
                self._outside = tuple(t for t in self._all() if not t.key.startswith(TABLE_SCOPES))
            else:
                self._outside = tuple(self._outside_build())
            self._outside_build = None
        return self._outside


@_direct_init
@dataclass(frozen=True, slots=True)
class YearFigures:
    n: int
    months: int
    base: Decimal
    bonus: Decimal
    sign_on: Decimal
    cash: Decimal
    equity_advertised: Decimal
    equity: Decimal
    compute_face: Decimal
    compute_face_today: Decimal
    compute_employer_cost: Decimal
    compute_tax: Decimal
    compute_gross_up: Decimal
    compute_net_benefit: Decimal
    compute_cash_equivalent: Decimal
    advertised_tc: Decimal
    cash_equivalent_tc: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class GrantFigures:
    """One compute grant's figures over one year (``n``) or over the horizon (``n == 0``)."""

    n: int
    tranches: int
    face: Decimal
    face_today: Decimal
    employer_cost: Decimal
    personal_value: Decimal
    tax: Decimal
    net_benefit: Decimal
    cash_equivalent: Decimal
    gross_up: Decimal
    deflation_loss: Decimal
    expected_forfeiture: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class ComputeGrantResult:
    index: int
    denomination: str  # "dollars" | "tokens" | "gpu_hours"
    units: Decimal
    resource: str | None  # model or GPU id
    cadence: str
    unit_price: Decimal  # offer currency per unit (per token, per GPU-hour; 1 for dollars)
    price_source: str  # "registry" | "offer" | "face"
    price_as_of: date | None
    employer_cost_ratio: Decimal
    personal_share: Decimal
    taxable_share: Decimal
    tax_treatment: str  # the treatment the base scenario applies
    assumed: tuple[str, ...]  # value-changing terms left unstated (ids from valuation.tranches.VALUE_TERMS)
    utilization: Decimal
    on_departure: str
    years: tuple[GrantFigures, ...]
    total: GrantFigures
    scenarios: dict[str, GrantFigures]
    max_forfeit_on_leaving: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class EquityGrantResult:
    index: int
    kind: str
    value_advertised: Decimal
    value_cash_equivalent: Decimal
    discount: Decimal
    years_advertised: tuple[Decimal, ...]
    years_vested: tuple[Decimal, ...]
    first_year_share: Decimal  # share of the grant that vests in year 1
    underwater: bool  # options whose strike is at or above the preferred price: worth 0, not worth exercising
    exercise_cash: Decimal  # cash to exercise the whole grant (shares × strike); 0 for RSUs and underwater options


@_direct_init
@dataclass(frozen=True, slots=True)
class LeaveCost:
    month: int
    total: Decimal
    equity_unvested: Decimal
    sign_on_repayment: Decimal
    compute_forfeited: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class ExerciseCash:
    """Cash needed to keep the options vested by the end of ``month`` if you leave then (not a cost of leaving:
    you may let them lapse). Underwater options need none."""

    month: int
    total: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader must know about a part of the offer, as an id: ``index`` is the grant's position."""

    id: str  # "option-underwater"
    index: int


@_direct_init
@dataclass(frozen=True, slots=True)
class MonthFigures:
    m: int
    cash_equivalent: Decimal  # cumulative through the end of month m


@_direct_init
@dataclass(frozen=True, slots=True)
class ScenarioTotals:
    scenario: str
    advertised_tc_year1: Decimal
    cash_equivalent_tc_year1: Decimal
    advertised_tc_horizon: Decimal
    cash_equivalent_tc_horizon: Decimal
    compute_cash_equivalent_horizon: Decimal


@_direct_init
@dataclass(frozen=True, slots=True)
class Headline:
    advertised_tc_year1: Decimal
    cash_equivalent_tc_year1: Decimal
    gap_year1: Decimal
    gap_share_year1: Decimal
    advertised_tc_horizon: Decimal
    cash_equivalent_tc_horizon: Decimal
    gap_horizon: Decimal
    quoted_tc: Decimal | None
    quoted_tc_difference: Decimal | None
    quoted_tc_mismatch: bool
    noncash_nonportable_share_year1: Decimal  # share of advertised year-1 TC that is compute, not cash, not portable


@_direct_init
@dataclass(frozen=True, slots=True)
class Valuation:
    schema_version: int
    registry_version: str
    registry_as_of: date
    tax_jurisdiction: str
    currency: str
    employer: str | None
    horizon_months: int
    assumptions: tuple[AssumptionUsed, ...]
    headline: Headline
    years: tuple[YearFigures, ...]
    # Month by month: built on first read (see Lazy).
    months: Sequence[MonthFigures]
    cost_to_leave: Sequence[LeaveCost]
    exercise_cash: Sequence[ExerciseCash]
    equity: tuple[EquityGrantResult, ...]
    grants: tuple[ComputeGrantResult, ...]
    scenarios: tuple[ScenarioTotals, ...]
    notices: tuple[Notice, ...]
    traces: Traces  # produced on first read; see Traces

    def year(self, n: int) -> YearFigures:
        return self.years[n - 1]

    def leave_at(self, month: int) -> LeaveCost:
        return self.cost_to_leave[month - 1]

    def leave_after(self, months: Sequence[int]) -> list[LeaveCost]:
        """The cost of leaving after each of ``months`` (made together when the table is not built)."""
        return _pick(self.cost_to_leave, months)

    def exercise_after(self, months: Sequence[int]) -> list[ExerciseCash]:
        """The cash to keep the options vested by each of ``months`` (made together when the table is not built)."""
        return _pick(self.exercise_cash, months)
