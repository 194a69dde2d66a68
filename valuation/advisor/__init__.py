"""The negotiation advisor: from a valuation to ranked asks and a counter-offer, as ids and numbers.

``advise(offer, valuation, registry, target=None, target_kind="year1")`` runs every rule in
:mod:`valuation.advisor.rules` (thresholds from the registry's ``[thresholds]``) and the composer in
:mod:`valuation.advisor.composer` (limits from ``[limits]``). Pure and deterministic, like the valuation; the
templates in ``prompts/`` turn the result (:mod:`valuation.advisor.result`) into words.
"""

from valuation.advisor.core import advise
from valuation.advisor.result import (
    ADVICE_SCHEMA_VERSION,
    ASK_IDS,
    COMPONENTS,
    NUMBER_FORMAT_OVERRIDES,
    NUMBER_FORMATS,
    NUMBER_KEYS,
    OPTIONAL_NUMBER_KEYS,
    RULE_IDS,
    SOURCES,
    Advice,
    CounterOffer,
    CounterStep,
    Point,
    UnstatedTerms,
    number_format,
)

__all__ = [
    "ADVICE_SCHEMA_VERSION",
    "ASK_IDS",
    "COMPONENTS",
    "NUMBER_FORMATS",
    "NUMBER_FORMAT_OVERRIDES",
    "NUMBER_KEYS",
    "OPTIONAL_NUMBER_KEYS",
    "RULE_IDS",
    "SOURCES",
    "Advice",
    "CounterOffer",
    "CounterStep",
    "Point",
    "UnstatedTerms",
    "advise",
    "number_format",
]
