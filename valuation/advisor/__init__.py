"""The negotiation advisor: from a valuation to ranked asks and a counter-offer, as ids and numbers."""

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
