"""``advise``: one negotiation strategy for one valuation, as ids and numbers."""

from __future__ import annotations

from decimal import Decimal, localcontext

from valuation.advisor.checklist import terms, warnings
from valuation.advisor.composer import compose
from valuation.advisor.facts import Facts, cents
from valuation.advisor.result import (
    ADVICE_SCHEMA_VERSION,
    SOURCES,
    Advice,
    Ask,
    Competing,
    Source,
    TargetKind,
    Term,
    Warning,
)
from valuation.advisor.strategy import grant_ask, is_us
from valuation.formulas import CONTEXT
from valuation.offer import Offer
from valuation.registry import Registry
from valuation.result import Valuation


def _competing(facts: Facts) -> Competing | None:
    """Like for like: the competing offer's stated figure against this offer's stated (advertised) figure."""
    competing = facts.offer.negotiation.competing_offer_tc
    if competing is None:
        return None
    advertised = cents(facts.valuation.headline.advertised_tc_year1)
    return Competing(cents(competing), advertised, competing > advertised)


def _sources(
    facts: Facts, asks: tuple[Ask, ...], found_terms: tuple[Term, ...], found: tuple[Warning, ...]
) -> tuple[Source, ...]:
    used: set[Source] = {"patio11"}
    if facts.offer.negotiation.competing_offer_tc is not None or any(w.id == "deadline-close" for w in found):
        used.add("haseeb-rules")
    if facts.offer.equity or any(f.id == "tail-or-cash-out" for a in asks for f in a.fallbacks):
        used.add("open-guide")
    if facts.offer.compute:
        used.add("fourth-pillar")
        taxed = any(t.id == "tax-treatment" for t in found_terms) or any(a.scope == "compute" for a in asks)
        if is_us(facts) and taxed:
            used.add("irs-pub-15b")
        if is_us(facts) and any(a.id == "work-tool" for a in asks):
            used.add("irs-notice-2011-72")
    return tuple(source for source in SOURCES if source in used)


def advise(
    offer: Offer,
    valuation: Valuation,
    registry: Registry,
    *,
    target: Decimal | None = None,
    target_kind: TargetKind = "year1",
) -> Advice:
    """The verdict, the anchor and at most three asks (with fallbacks), terms to get in writing, and warnings.

    ``valuation`` must be ``value_offer(offer, registry, ...)``; pure and deterministic like the valuation.
    """
    facts = Facts(offer, valuation, registry)
    with localcontext(CONTEXT):
        strategy_asks = [ask for result in valuation.grants if (ask := grant_ask(facts, result)) is not None]
        judged, anchor, asks, reserve = compose(facts, strategy_asks, target, target_kind)
        found_terms = terms(facts)
        found = warnings(facts)
    return Advice(
        schema_version=ADVICE_SCHEMA_VERSION,
        currency=valuation.currency,
        today=offer.negotiation.today,
        horizon_months=valuation.horizon_months,
        tax_jurisdiction=valuation.tax_jurisdiction,
        verdict=judged,
        anchor=anchor,
        asks=asks,
        reserve=reserve,
        terms=found_terms,
        warnings=found,
        competing=_competing(facts),
        sources=_sources(facts, asks, found_terms, found),
    )
