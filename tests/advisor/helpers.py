"""Building advice from plain offer data with pinned assumptions, so hand-worked figures stay simple; and the
committed corpus of realistic offers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from valuation import Offer, Valuation, build_offer, default_registry, load_offer, value_offer
from valuation.advisor import Advice, Ask, advise
from valuation.advisor.result import TargetKind

REGISTRY = default_registry()
# 25% tax, every personal credit spent, one year, credits costing the employer half their face.
PINNED = {"marginal_tax_rate": "25%", "utilization": "100%", "tenure_months": 12, "employer_cost_ratio": "50%"}
BASE_ONLY = {"salary": {"base": "100k"}}
CORPUS = Path(__file__).with_name("corpus")


def D(text: str | int) -> Decimal:
    return Decimal(text)


def offer_of(data: dict[str, Any], **assumptions: Any) -> Offer:
    return build_offer({**data, "assumptions": {**PINNED, **assumptions}}, REGISTRY)


def advice_of(
    data: dict[str, Any], *, target: Decimal | None = None, kind: TargetKind = "year1", **assumptions: Any
) -> tuple[Offer, Valuation, Advice]:
    offer = offer_of(data, **assumptions)
    valuation = value_offer(offer, REGISTRY)
    return offer, valuation, advise(offer, valuation, REGISTRY, target=target, target_kind=kind)


def asks_of(data: dict[str, Any], **assumptions: Any) -> dict[str, Ask]:
    """The primary asks by id (tests use offers with at most one ask of each id)."""
    _, _, advice = advice_of(data, **assumptions)
    return {ask.id: ask for ask in advice.asks}


def with_compute(**grant: Any) -> dict[str, Any]:
    """A 100k base offer with one compute grant (10k dollars a year, stated taxable, unless said otherwise)."""
    return {**BASE_ONLY, "compute": [{"amount": "10k", "tax_treatment": "taxable", **grant}]}


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.toml"))


def corpus_offer(path: Path) -> tuple[Offer, Valuation, Advice]:
    offer = load_offer(path.read_text(encoding="utf-8"), REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    return offer, valuation, advise(offer, valuation, REGISTRY)
