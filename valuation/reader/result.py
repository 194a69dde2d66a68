"""What the reader returns: the offer data it read (the offer-file shape), and where each part came from.

No sentences: a passage is its text and its place in the input; an ambiguity is a kind id, the fields it concerns
and, where there is a choice, the ids to choose from. Templates in ``prompts/templates/reader`` give them words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Ambiguity(StrEnum):
    """Why a passage was not turned into offer data: each is reported, never guessed."""

    EQUITY_WITHOUT_KIND = "equity_without_kind"  # "400k equity": RSUs or options?
    OPTION_VALUE = "option_value"  # "options worth $50k": options are read from shares, strike and price
    EQUITY_PER_YEAR = "equity_per_year"  # "$100k/yr in RSUs" with no years: how many years?
    EQUITY_SHARE = "equity_share"  # "0.1% equity": a share of the company, not a number of options
    CONFLICTING_VALUES = "conflicting_values"  # two different figures for one field
    TOKENS_WITHOUT_MODEL = "tokens_without_model"
    UNKNOWN_MODEL = "unknown_model"  # a model name the registry does not list
    MODEL_CHOICE = "model_choice"  # "Claude" alone: several registry models fit
    GPU_HOURS_WITHOUT_GPU = "gpu_hours_without_gpu"
    UNKNOWN_GPU = "unknown_gpu"
    SALARY_PER_MONTH = "salary_per_month"  # a monthly salary: 12 or 13 or 14 payments?
    SALARY_PERIOD = "salary_period"  # "6.500 €": too small for a year's salary; a month's?
    VESTING_WITHOUT_GRANT = "vesting_without_grant"  # vesting terms but no grant to apply them to
    RSU_UNITS = "rsu_units"  # "12,000 RSUs" with no value: the offer file needs the grant's value
    RANGE = "range"  # "10-15%", "$180k-$200k": which figure?
    UP_TO = "up_to"  # "up to 10%": a ceiling, not the figure itself
    MIXED_CURRENCIES = "mixed_currencies"  # an amount in a currency the offer file can't mark beside the offer's


@dataclass(frozen=True, slots=True)
class Passage:
    """A piece of the input: its text and where it is (character offsets, end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Understood:
    """A passage read into one field of the offer file, named by its dotted path (``equity.0.grant_value``)."""

    text: str
    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Unclear:
    """A passage that could mean more than one thing, so nothing was read from it."""

    text: str
    kind: Ambiguity
    fields: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()  # registry ids or other choices that fit
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Reading:
    """The offer data (plain values, as an offer file would hold them) and what was understood, ignored, unclear."""

    offer: dict[str, Any] = field(hash=False)
    understood: tuple[Understood, ...]
    ignored: tuple[Passage, ...]
    ambiguous: tuple[Unclear, ...]

    @property
    def empty(self) -> bool:
        return not self.understood

    def as_plain(self) -> dict[str, Any]:
        """The JSON shape of ``fourth-pillar parse --json``."""
        return {
            "offer": self.offer,
            "understood": [{"text": u.text, "field": u.field, "start": u.start, "end": u.end} for u in self.understood],
            "ignored": [{"text": p.text, "start": p.start, "end": p.end} for p in self.ignored],
            "ambiguous": [
                {
                    "text": a.text,
                    "kind": a.kind.value,
                    "fields": list(a.fields),
                    "candidates": list(a.candidates),
                    "start": a.start,
                    "end": a.end,
                }
                for a in self.ambiguous
            ],
        }
