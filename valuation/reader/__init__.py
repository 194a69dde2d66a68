"""A deterministic reader of offers written in plain English: recruiter emails, one-line summaries, posts.

No model, no network, no clock, no randomness: patterns and the price registry. :func:`read_offer` returns the offer
data in the offer-file shape with what it understood (passage and dotted field path), what it ignored and what it
found ambiguous; :func:`offer_from_reading` turns a reading into a validated offer or one :class:`OfferError` that
says what is missing or unclear. Ambiguity is reported, never guessed.
"""

from __future__ import annotations

import re

from valuation.errors import OfferError, Problem, Reason, show_value
from valuation.loader import build_offer
from valuation.offer import Offer
from valuation.reader.extract import read
from valuation.reader.names import Names
from valuation.reader.result import Ambiguity, Passage, Reading, Unclear, Understood
from valuation.reader.toml import offer_toml
from valuation.registry import Registry

# Discord's cap on one text option; a pasted email is far shorter.
MAX_TEXT_CHARS = 6000
# What a refusal suggests writing instead.
EXAMPLE = '"$185,000 base, 15% bonus, $400k RSUs over 4 years, 50k API credits a year"'

__all__ = [
    "MAX_TEXT_CHARS",
    "Ambiguity",
    "Passage",
    "Reading",
    "Unclear",
    "Understood",
    "offer_from_reading",
    "offer_toml",
    "read_offer",
]


def read_offer(text: str, registry: Registry) -> Reading:
    """Read ``text``. Never raises for text up to MAX_TEXT_CHARS; longer text is refused with an OfferError."""
    if len(text) > MAX_TEXT_CHARS:
        raise OfferError.single(
            "text", f"{len(text)} characters", Reason.TOO_LONG, "the offer's figures alone", str(MAX_TEXT_CHARS)
        )
    return read(text, registry, Names(registry))


def _unclear_problem(unclear: Unclear) -> Problem:
    field = unclear.fields[0] if unclear.fields else "text"
    return Problem(
        re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", field),  # equity.0.years → equity[0].years, as errors name fields
        show_value(unclear.text),
        Reason.UNCLEAR_TEXT,
        ", ".join(unclear.candidates),
        unclear.kind.value,
    )


def offer_from_reading(reading: Reading, registry: Registry) -> Offer:
    """The validated offer a reading stands for; an OfferError when nothing was read, something was unclear, the
    base salary is missing, or the figures read are refused by the offer file's own checks."""
    if reading.empty and not reading.ambiguous:
        raise OfferError.single("text", "", Reason.NOTHING_READ, EXAMPLE)
    if reading.ambiguous:
        raise OfferError([_unclear_problem(u) for u in reading.ambiguous])
    if "base" not in reading.offer.get("salary", {}):
        raise OfferError.single("salary.base", "", Reason.MISSING, '"$185,000 base salary"')
    return build_offer(reading.offer, registry)
