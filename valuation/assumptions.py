"""Which value each assumption takes, and from where.

Precedence: the offer's own ``[assumptions]`` > personal defaults > server defaults > built-in defaults. A value a
person gives fixes that input in all three scenarios; a built-in default keeps its low / base / high range.

The marginal tax rate has no flat built-in default: unless a level gives one, it is estimated from the offer
(year-1 pay, filing status, state, jurisdiction, each taken from the first level that gives it) by
:mod:`valuation.tax`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from valuation.frozen import direct_init
from valuation.offer import Assumptions, Offer
from valuation.registry import Range, Registry
from valuation.tax.estimate import Profile, TaxEstimate, estimate

Level = Literal["offer", "personal", "server", "built-in"]
LEVELS: tuple[Level, ...] = ("offer", "personal", "server", "built-in")

# Assumption name -> the registry default it falls back to (None: per-grant registry entries decide).
DEFAULT_KEYS: dict[str, str | None] = {
    "marginal_tax_rate": None,
    "utilization": "utilization",
    "token_deflation": "token_deflation",
    "gpu_deflation": "gpu_deflation",
    "employer_cost_ratio": None,
    "tenure_months": "tenure_months",
    "usd_rate": "usd_rate",
}


@direct_init
@dataclass(frozen=True, slots=True)
class AssumptionUsed:
    """One assumption as applied: its range, which level set it, and (for built-ins) date and source."""

    name: str
    value: Range | None
    level: Level
    as_of: date | None
    source: str
    # Only for the marginal tax rate: who is taxed where, and the estimate when no level gave a rate.
    profile: Profile | None = None
    estimate: TaxEstimate | None = None


@dataclass(frozen=True, slots=True)
class Layer:
    """A set of overrides from one level (personal or server defaults)."""

    level: Literal["personal", "server"]
    assumptions: Assumptions


def resolve(offer: Offer, layers: Sequence[Layer], registry: Registry) -> dict[str, AssumptionUsed]:
    """Each assumption's value and the level that set it; the marginal tax rate estimated when none is given.

    Raises :class:`~valuation.errors.OfferError` when the rate must be estimated and no schedule applies.
    """
    ordered: list[tuple[Level, Assumptions]] = [("offer", offer.assumptions)]
    ordered += sorted(((layer.level, layer.assumptions) for layer in layers), key=lambda item: LEVELS.index(item[0]))
    used: dict[str, AssumptionUsed] = {}
    for name, default_key in DEFAULT_KEYS.items():
        for level, assumptions in ordered:
            given = getattr(assumptions, name)
            if given is not None:
                used[name] = AssumptionUsed(name, Range.fixed(Decimal(given)), level, None, "")
                break
        else:
            if name == "marginal_tax_rate":
                continue
            if default_key is None:
                used[name] = AssumptionUsed(name, None, "built-in", registry.as_of, "per-grant registry entry")
            else:
                sourced = registry.assumptions[default_key]
                used[name] = AssumptionUsed(name, sourced.value, "built-in", sourced.as_of, sourced.source)
    profile = _profile(ordered)
    given_rate = used.get("marginal_tax_rate")
    if given_rate is not None:
        used["marginal_tax_rate"] = replace(given_rate, profile=profile)
    else:
        usd_rate = used["usd_rate"]
        assert usd_rate.value is not None  # usd_rate always resolves (built-in 1)
        # The built-in 1 is right only for USD offers: pay in another currency reaches the US schedules only
        # through a rate someone gave (converting yen one to one would put a ¥30M salary in the top bracket).
        given = usd_rate.level != "built-in" or offer.currency == "USD"
        estimated = estimate(offer, profile, registry.tax, usd_rate.value.base if given else None)
        latest = max(source.as_of for source in estimated.sources)
        used["marginal_tax_rate"] = AssumptionUsed(
            "marginal_tax_rate", estimated.rate, "built-in", latest, "estimate", profile, estimated
        )
    return used


def _first(ordered: list[tuple[Level, Assumptions]], name: str) -> tuple[str | None, Level]:
    for level, assumptions in ordered:
        given = getattr(assumptions, name)
        if given is not None:
            return str(given), level
    return None, "built-in"


def _profile(ordered: list[tuple[Level, Assumptions]]) -> Profile:
    jurisdiction, jurisdiction_level = _first(ordered, "jurisdiction")
    status, status_level = _first(ordered, "filing_status")
    state, state_level = _first(ordered, "state")
    jurisdiction = jurisdiction or "US"
    if jurisdiction != "US":  # a state means nothing outside the US
        state = None
    return Profile(
        jurisdiction=jurisdiction,
        jurisdiction_level=jurisdiction_level,
        filing_status=status or "single",
        filing_status_level=status_level,
        state=state,
        state_level=state_level if state is not None else None,
    )


def jurisdiction_of(used: dict[str, AssumptionUsed]) -> str:
    """Where the person is taxed: "US", "UK", "DE" or "other" (the advice turns US rules off outside "US")."""
    profile = used["marginal_tax_rate"].profile
    return profile.jurisdiction if profile is not None else "US"
