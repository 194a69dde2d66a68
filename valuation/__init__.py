"""Fourth Pillar's deterministic valuation core.

Same input, byte-identical output: ``Decimal`` money, no clock, no randomness, no I/O, no sentences. Callers parse
an offer (:func:`load_offer` / :func:`build_offer`), value it (:func:`value_offer`), and hand the plain result to
the templates in ``prompts/``.
"""

from valuation.assumptions import AssumptionUsed, Layer
from valuation.compare import Comparison, compare, compare_offers
from valuation.engine import value_explained, value_offer
from valuation.errors import OfferError, Problem, Reason
from valuation.loader import MAX_OFFER_BYTES, build_assumptions, build_offer, load_offer, parse_offer_data
from valuation.offer import Assumptions, ComputeGrant, Offer, OptionGrant, RsuGrant
from valuation.registry import Registry, default_registry, parse_registry
from valuation.result import Traces, Valuation
from valuation.serialize import dumps, to_plain
from valuation.tokens import Conversion, convert

__all__ = [
    "MAX_OFFER_BYTES",
    "AssumptionUsed",
    "Assumptions",
    "Comparison",
    "ComputeGrant",
    "Conversion",
    "Layer",
    "Offer",
    "OfferError",
    "OptionGrant",
    "Problem",
    "Reason",
    "Registry",
    "RsuGrant",
    "Traces",
    "Valuation",
    "build_assumptions",
    "build_offer",
    "compare",
    "compare_offers",
    "convert",
    "default_registry",
    "dumps",
    "load_offer",
    "parse_offer_data",
    "parse_registry",
    "to_plain",
    "value_explained",
    "value_offer",
]
