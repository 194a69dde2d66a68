"""The negotiation advisor: from a valuation to one negotiation strategy, as ids and numbers.

``advise(offer, valuation, registry, target=None, target_kind="year1")`` chooses one strategy per compute grant
(:mod:`valuation.advisor.strategy`), sizes the flexible components to an anchor (:mod:`valuation.advisor.composer`)
and lists the terms to get in writing and the warnings (:mod:`valuation.advisor.checklist`). Pure and deterministic,
like the valuation; the templates in ``prompts/`` turn the result (:mod:`valuation.advisor.result`) into words.
"""

from valuation.advisor.core import advise
from valuation.advisor.result import (
    ADVICE_SCHEMA_VERSION,
    ASK_IDS,
    ASK_NUMBERS,
    FALLBACK_IDS,
    FALLBACK_NUMBERS,
    NUMBER_FORMATS,
    SOURCES,
    TERM_IDS,
    TERM_NUMBERS,
    WARNING_IDS,
    WARNING_NUMBERS,
    Advice,
    Anchor,
    Ask,
    Competing,
    Fallback,
    Term,
    Verdict,
    Warning,
    number_format,
)

__all__ = [
    "ADVICE_SCHEMA_VERSION",
    "ASK_IDS",
    "ASK_NUMBERS",
    "FALLBACK_IDS",
    "FALLBACK_NUMBERS",
    "NUMBER_FORMATS",
    "SOURCES",
    "TERM_IDS",
    "TERM_NUMBERS",
    "WARNING_IDS",
    "WARNING_NUMBERS",
    "Advice",
    "Anchor",
    "Ask",
    "Competing",
    "Fallback",
    "Term",
    "Verdict",
    "Warning",
    "advise",
    "number_format",
]
