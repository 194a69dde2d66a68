"""What the advisor returns: ids and numbers only (no sentences), as frozen dataclasses.

The templates in ``prompts/`` turn these ids and numbers into words. Through :func:`valuation.serialize.to_plain`,
money fields become strings with two decimals; ``numbers`` and ``multiplier`` stay exact (every digit), so a
template formats each entry of ``numbers`` by its key (amounts are already whole cents, shares are fractions,
``*_months`` / ``*_days`` are counts, a few entries are id strings).

This module is a contract with the templates: change it only by adding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

ADVICE_SCHEMA_VERSION = 1

Source = Literal["patio11", "haseeb-rules", "open-guide", "irs-pub-15b", "irs-notice-2011-72", "fourth-pillar"]
SOURCES: tuple[Source, ...] = (
    "patio11",
    "haseeb-rules",
    "open-guide",
    "irs-pub-15b",
    "irs-notice-2011-72",
    "fourth-pillar",
)

# What a point is about: the whole offer, one compute grant, one equity grant, or the sign-on bonus.
Scope = Literal["offer", "compute", "equity", "sign_on"]

# Rule ids (``Point.id``), one per rule.
RULE_IDS = (
    "convert-credits-to-cash",
    "require-portability",
    "exclude-credits-from-tc",
    "work-tools-are-not-pay",
    "tax-gross-up",
    "dollar-denomination",
    "expiry-and-rollover",
    "personal-use-and-ip",
    "sign-on-for-back-loading",
    "clawback-proration",
    "exercise-window",
    "equity-zero-test",
    "get-it-in-writing",
    "ask-for-time",
    "counter-on-flexible",
    "use-alternatives",
    "quoted-tc-mismatch",
)

# Ask ids (``Point.ask``): what exactly to ask for. A rule may have more than one variant.
ASK_IDS = (
    "convert-to-cash",  # convert-credits-to-cash: numbers from/to (year 1), from_horizon/to_horizon
    "keep-credits",  # convert-credits-to-cash when the credits are worth more to you than they cost the employer
    "tail-or-cash-out",  # require-portability, grant forfeits on departure
    "longer-tail",  # require-portability, grant has a tail shorter than the credits' life
    "restate-tc-without-credits",  # exclude-credits-from-tc
    "outside-compensation",  # work-tools-are-not-pay
    "gross-up-or-working-condition",  # tax-gross-up
    "dollar-denominated",  # dollar-denomination
    "rollover-or-longer-expiry",  # expiry-and-rollover
    "personal-use-and-ip",  # personal-use-and-ip
    "sign-on-for-year1",  # sign-on-for-back-loading
    "prorated-clawback",  # clawback-proration
    "extended-exercise-window",  # exercise-window
    "equity-at-zero",  # equity-zero-test (a test to run, not a request)
    "terms-in-writing",  # get-it-in-writing
    "more-time",  # ask-for-time
    "raise-sign-on",  # counter-on-flexible
    "match-competing-offer",  # use-alternatives, the competing offer is higher
    "mention-competing-offer",  # use-alternatives, the competing offer is not higher
    "reconcile-quoted-tc",  # quoted-tc-mismatch
)

# The entries of ``Point.numbers`` for each ask (``equity-at-zero`` adds ``floor`` when the offer gives one).
NUMBER_KEYS: dict[str, tuple[str, ...]] = {
    "convert-to-cash": ("from", "to", "from_horizon", "to_horizon", "cash_equivalent", "cash_equivalent_horizon"),
    "keep-credits": ("cash_equivalent", "employer_cost", "cash_equivalent_horizon", "employer_cost_horizon"),
    "tail-or-cash-out": ("tail_months", "current_tail_months", "forfeit_year1", "forfeit_horizon"),
    "longer-tail": ("tail_months", "current_tail_months", "forfeit_year1", "forfeit_horizon"),
    "restate-tc-without-credits": ("advertised_tc", "restated_tc", "credits_in_tc", "credits_in_tc_horizon", "share"),
    "outside-compensation": ("work_required", "threshold", "work_face", "work_face_horizon"),
    "gross-up-or-working-condition": ("taxable_share", "tax", "gross_up", "tax_horizon", "gross_up_horizon"),
    "dollar-denominated": (
        "denomination",
        "units",
        "unit_price",
        "face_today",
        "face_today_horizon",
        "deflation_loss",
        "deflation_loss_horizon",
    ),
    "rollover-or-longer-expiry": (
        "expiry_months",
        "spend_window_months",
        "utilization",
        "threshold",
        "expected_forfeiture",
        "expected_forfeiture_horizon",
    ),
    "personal-use-and-ip": ("personal_share", "personal_value", "personal_value_horizon"),
    "sign-on-for-year1": ("year1_share", "even_share", "threshold", "sign_on"),
    "prorated-clawback": ("amount", "clawback_months", "saved_year1", "saved_horizon"),
    "extended-exercise-window": ("window_days", "threshold", "exercise_cost_year1", "exercise_cost_horizon"),
    "equity-at-zero": ("cash_equivalent_tc", "without_equity", "without_equity_horizon", "clears_floor"),
    "terms-in-writing": ("unstated_count",),
    "more-time": ("days_left", "threshold"),
    "raise-sign-on": ("from", "to", "limit"),
    "match-competing-offer": ("competing_tc", "cash_equivalent_tc", "gap", "gap_horizon"),
    "mention-competing-offer": ("competing_tc", "cash_equivalent_tc", "gap", "gap_horizon"),
    "reconcile-quoted-tc": ("quoted_tc", "computed_tc", "difference"),
}
OPTIONAL_NUMBER_KEYS: dict[str, tuple[str, ...]] = {"equity-at-zero": ("floor",)}

# How to present each entry of ``Point.numbers``: money (whole cents, offer currency), a share (0..1), a count (of
# months, days, terms or units), a unit price (offer currency per token or GPU-hour), or an id.
NumberFormat = Literal["money", "share", "count", "unit_price", "id"]
_MONEY = (
    "from to from_horizon to_horizon cash_equivalent cash_equivalent_horizon employer_cost employer_cost_horizon "
    "forfeit_year1 forfeit_horizon work_face work_face_horizon tax gross_up tax_horizon gross_up_horizon face_today "
    "face_today_horizon deflation_loss deflation_loss_horizon expected_forfeiture expected_forfeiture_horizon "
    "personal_value personal_value_horizon sign_on amount saved_year1 saved_horizon exercise_cost_year1 "
    "exercise_cost_horizon cash_equivalent_tc without_equity without_equity_horizon floor advertised_tc restated_tc "
    "credits_in_tc credits_in_tc_horizon limit competing_tc gap gap_horizon quoted_tc computed_tc difference"
)
_SHARES = "work_required threshold taxable_share utilization personal_share year1_share even_share share"
_COUNTS = (
    "tail_months current_tail_months expiry_months spend_window_months clawback_months window_days days_left "
    "unstated_count units"
)
NUMBER_FORMATS: dict[str, NumberFormat] = {
    **dict.fromkeys(_MONEY.split(), "money"),
    **dict.fromkeys(_SHARES.split(), "share"),
    **dict.fromkeys(_COUNTS.split(), "count"),
    "unit_price": "unit_price",
    "denomination": "id",  # "tokens" | "gpu_hours"
    "clears_floor": "id",  # "yes" | "no" | "no-floor"
}
# Where one key means another kind for one ask: these thresholds are counts of days, not shares.
NUMBER_FORMAT_OVERRIDES: dict[tuple[str, str], NumberFormat] = {
    ("extended-exercise-window", "threshold"): "count",
    ("more-time", "threshold"): "count",
}


def number_format(ask: str, key: str) -> NumberFormat:
    """How to present ``Point.numbers[key]`` of a point with this ask."""
    return NUMBER_FORMAT_OVERRIDES.get((ask, key), NUMBER_FORMATS[key])


# The composer's components, most flexible first (the order it uses them in).
Component = Literal["sign_on", "compute_to_cash", "equity", "base"]
COMPONENTS: tuple[Component, ...] = ("sign_on", "compute_to_cash", "equity", "base")

TargetKind = Literal["year1", "horizon"]
# Where the composer's target came from: given by the person, or the default (the highest of the advertised TC,
# the competing offer and the floor; the last two only for a year-1 target).
TargetSource = Literal["given", "advertised", "competing-offer", "floor"]


@dataclass(frozen=True, slots=True)
class UnstatedTerms:
    """Terms of one grant the offer did not state (field names as in the offer file), so defaults were assumed."""

    scope: Scope
    index: int | None  # grant index in the offer; None for the sign-on
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Point:
    """One piece of advice: which rule fired, what to ask for, with its numbers and what it is worth."""

    id: str  # one of RULE_IDS
    ask: str  # one of ASK_IDS
    rank: int  # 1 = most valuable; by impact_horizon, then impact_year1, then id
    scope: Scope
    index: int | None  # compute or equity grant index in the offer; None for offer-wide points
    numbers: dict[str, Decimal | str]
    impact_year1: Decimal
    impact_horizon: Decimal
    source: Source
    unstated: tuple[UnstatedTerms, ...] = ()  # get-it-in-writing only


@dataclass(frozen=True, slots=True)
class CounterStep:
    """One ask of the counter-offer, with its arithmetic.

    ``asked`` is the amount to ask for: the raise of sign-on, base or an equity grant's value, or the cash to
    take instead of a compute grant's credits (for the target's period). ``effect`` is what it adds to the target
    figure: ``asked * multiplier`` (minus ``current`` for compute_to_cash), rounded half-even to the cent.
    """

    component: Component
    index: int | None  # equity or compute grant index; None for sign-on and base
    current: Decimal  # today's sign-on, base, grant value, or the credits' cash-equivalent for the period
    asked: Decimal  # whole cents
    limit: Decimal  # the most that may be asked (registry [limits]), whole cents
    limit_id: str  # the registry limit that set it
    multiplier: Decimal  # effect per unit asked (exact)
    effect: Decimal  # whole cents
    total_before: Decimal  # whole cents
    total_after: Decimal  # whole cents


@dataclass(frozen=True, slots=True)
class CounterOffer:
    """Asks, most flexible first, each within its limit, that lift the target figure to the target."""

    target_kind: TargetKind
    target_source: TargetSource
    target: Decimal  # whole cents
    start: Decimal  # the offer's figure today, rounded to the cent
    needed: Decimal  # max(0, target - start)
    total: Decimal  # start + every step's effect
    reached: bool  # total == target (or the start already met it)
    shortfall: Decimal  # target - total when not reached, else 0
    steps: tuple[CounterStep, ...]


@dataclass(frozen=True, slots=True)
class Advice:
    schema_version: int
    currency: str
    today: date | None
    horizon_months: int
    points: tuple[Point, ...]  # in rank order
    counter_offer: CounterOffer
