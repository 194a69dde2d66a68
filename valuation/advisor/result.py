"""What the advisor returns: ids and numbers only (no sentences), as frozen dataclasses.

The advice is one negotiation strategy: a verdict, one anchor figure, at most three primary asks (each with its
fallbacks for when the employer says no), terms to get in writing, warnings, the competing offer compared like for
like, and the sources behind it. The templates in ``prompts/`` turn these ids and numbers into words; every entry of
a ``numbers`` dict is formatted by its key (see :data:`NUMBER_FORMATS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, get_args

from valuation.frozen import direct_init

ADVICE_SCHEMA_VERSION = 2

Source = Literal["patio11", "haseeb-rules", "open-guide", "irs-pub-15b", "irs-notice-2011-72", "fourth-pillar"]
SOURCES: tuple[Source, ...] = get_args(Source)

# What an ask, a term or a warning is about: the whole offer, one compute grant, one equity grant, the sign-on or
# the base salary.
Scope = Literal["offer", "compute", "equity", "sign_on", "base"]

VerdictKind = Literal["below-floor", "negotiate", "strong"]
TargetKind = Literal["year1", "horizon"]
# Where the anchor's target came from: given by the person; the default (the highest of the advertised TC, the
# competing offer and the floor; the last two only for a year-1 target); or, when the offer already reaches that,
# the usual counter (a base raise at its limit).
TargetSource = Literal["given", "advertised", "competing-offer", "floor", "usual-counter"]

# Primary asks. The first three close the gap to the anchor (the composer sizes them); the last three are the one
# strategy chosen for a compute grant.
AskId = Literal["sign-on", "equity-raise", "base-raise", "convert-to-cash", "work-tool", "tax-neutral"]
ASK_IDS: tuple[AskId, ...] = get_args(AskId)
# Why an ask is made, beside closing the gap.
Reason = Literal["gap", "back-loaded", "usual-counter", "near-target", "strategy"]

# What to ask for instead when a primary ask is refused (shown apart from the email).
FallbackId = Literal["convert-to-cash", "gross-up", "working-condition", "tail-or-cash-out", "rollover", "sign-on"]
FALLBACK_IDS: tuple[FallbackId, ...] = get_args(FallbackId)

# Terms to get in writing: only those that apply to the offer and are unstated or unfavourable.
TermId = Literal[
    "portability",
    "tax-treatment",
    "expiry",
    "rollover",
    "personal-use-and-ip",
    "denomination",
    "clawback",
    "exercise-window",
    "vesting",
]
TERM_IDS: tuple[TermId, ...] = get_args(TermId)
TermStatus = Literal["unstated", "unfavourable"]

WarningId = Literal["underwater-options", "back-loaded", "quoted-tc-above", "deadline-close"]
WARNING_IDS: tuple[WarningId, ...] = get_args(WarningId)

# The entries of each ``numbers`` dict, by id.
ASK_NUMBERS: dict[str, tuple[str, ...]] = {
    "sign-on": ("current", "amount"),
    "equity-raise": ("current", "amount"),
    "base-raise": ("current", "amount"),
    "convert-to-cash": ("face", "cash_equivalent", "employer_cost", "amount"),
    "work-tool": ("work_share", "face", "tax", "in_tc", "work_only"),
    "tax-neutral": ("tax", "amount", "forfeits"),
}
FALLBACK_NUMBERS: dict[str, tuple[str, ...]] = {
    "convert-to-cash": ("amount",),
    "gross-up": ("tax", "amount"),
    "working-condition": ("work_share",),
    "tail-or-cash-out": ("tail_months",),
    "rollover": ("expiry_months",),
    "sign-on": ("amount",),
}
TERM_NUMBERS: dict[str, tuple[str, ...]] = {
    "portability": ("tail_months", "current_tail_months"),
    "tax-treatment": (),
    "expiry": ("expiry_months", "spend_window_months"),
    "rollover": (),
    "personal-use-and-ip": (),
    "denomination": ("denomination",),
    "clawback": ("clawback_months",),
    "exercise-window": ("window_days",),
    "vesting": (),
}
WARNING_NUMBERS: dict[str, tuple[str, ...]] = {
    "underwater-options": ("strike", "preferred_price"),
    "back-loaded": ("year1_share", "even_share"),
    "quoted-tc-above": ("quoted_tc", "computed_tc", "difference"),
    "deadline-close": ("days_left",),
}

NumberFormat = Literal["money", "share", "count", "id"]
_MONEY = "current amount face cash_equivalent employer_cost tax strike preferred_price quoted_tc computed_tc difference"
NUMBER_FORMATS: dict[str, NumberFormat] = {
    **dict.fromkeys(_MONEY.split(), "money"),
    **dict.fromkeys(["work_share", "year1_share", "even_share"], "share"),
    **dict.fromkeys(
        [
            "tail_months",
            "current_tail_months",
            "expiry_months",
            "spend_window_months",
            "clawback_months",
            "window_days",
            "days_left",
        ],
        "count",
    ),
    "in_tc": "id",  # "yes" | "no"
    "work_only": "id",  # "yes" | "no": the credits may be used only for work
    "forfeits": "id",  # "yes" | "no": unspent credits are lost on leaving
    "denomination": "id",  # "tokens" | "gpu_hours"
}


def number_format(key: str) -> NumberFormat:
    """How to present an entry of any ``numbers`` dict."""
    return NUMBER_FORMATS[key]


@dataclass(frozen=True, slots=True)
class Fallback:
    """What to ask for instead if the primary ask is refused."""

    id: FallbackId
    numbers: dict[str, Decimal | str]


@direct_init
@dataclass(frozen=True, slots=True)
class Ask:
    """One primary ask. ``amount`` (in ``numbers``) is the one round figure asked for its component.

    ``gain_year1`` is what it adds to the year-1 cash-equivalent TC if granted (the "at stake" of every ask);
    ``gain_horizon`` the same over the horizon.
    """

    id: AskId
    scope: Scope
    index: int | None  # compute or equity grant index; None for sign-on and base
    reason: Reason
    numbers: dict[str, Decimal | str]
    gain_year1: Decimal  # whole cents
    gain_horizon: Decimal  # whole cents
    fallbacks: tuple[Fallback, ...] = ()


@direct_init
@dataclass(frozen=True, slots=True)
class Term:
    """A term to get in writing, because the offer left it unstated or states it unfavourably."""

    id: TermId
    scope: Scope
    index: int | None
    status: TermStatus
    numbers: dict[str, Decimal | str]


@dataclass(frozen=True, slots=True)
class Warning:
    id: WarningId
    scope: Scope
    index: int | None
    numbers: dict[str, Decimal | str]


@dataclass(frozen=True, slots=True)
class Verdict:
    """``below-floor`` (year-1 worth under the floor, by ``floor_gap``), ``strong`` (at or above the target and the
    floor as it stands), else ``negotiate``."""

    kind: VerdictKind
    worth: Decimal  # the offer's cash-equivalent TC for the target's period, whole cents
    worth_year1: Decimal  # whole cents
    floor: Decimal | None
    floor_gap: Decimal  # floor - year-1 worth when below the floor, else 0
    target: Decimal  # what the offer was measured against (given or default), whole cents
    target_source: TargetSource  # never "usual-counter"


@dataclass(frozen=True, slots=True)
class Competing:
    """The competing offer's figure against this offer's advertised figure (both as employers state them)."""

    competing_tc: Decimal
    advertised_tc: Decimal  # this offer's advertised year-1 TC
    above: bool  # competing_tc > advertised_tc: only then may its figure be named to the employer


@direct_init
@dataclass(frozen=True, slots=True)
class Anchor:
    """The counter-offer: the primary asks together lift the offer's worth from ``start`` to ``total``."""

    target_kind: TargetKind
    target_source: TargetSource
    target: Decimal  # whole cents
    start: Decimal  # the offer's worth today (cents)
    total: Decimal  # start + every primary ask's gain for the period (cents)
    amount: Decimal  # total as a round figure (the one anchor number)
    reached: bool  # total >= target
    shortfall: Decimal  # target - total when not reached, else 0


@direct_init
@dataclass(frozen=True, slots=True)
class Advice:
    schema_version: int
    currency: str
    today: date | None
    horizon_months: int
    tax_jurisdiction: str
    verdict: Verdict
    anchor: Anchor
    asks: tuple[Ask, ...]  # at most three, largest year-1 gain first
    reserve: tuple[Ask, ...]  # compute-grant asks that lost their place to larger ones: for when they say no
    terms: tuple[Term, ...]
    warnings: tuple[Warning, ...]
    competing: Competing | None
    sources: tuple[Source, ...]
