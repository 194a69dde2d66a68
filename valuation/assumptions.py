"""Which value each assumption takes, and from where.

Precedence: the offer's own ``[assumptions]`` > personal defaults > server defaults > built-in defaults. A value a
person gives fixes that input in all three scenarios; a built-in default keeps its low / base / high range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from valuation.offer import Assumptions
from valuation.registry import Range, Registry

Level = Literal["offer", "personal", "server", "built-in"]
LEVELS: tuple[Level, ...] = ("offer", "personal", "server", "built-in")

# Assumption name -> the registry default it falls back to (None: per-grant registry entries decide).
DEFAULT_KEYS: dict[str, str | None] = {
    "marginal_tax_rate": "marginal_tax_rate",
    "utilization": "utilization",
    "token_deflation": "token_deflation",
    "gpu_deflation": "gpu_deflation",
    "employer_cost_ratio": None,
    "tenure_months": "tenure_months",
    "usd_rate": "usd_rate",
}


@dataclass(frozen=True, slots=True)
class AssumptionUsed:
    """One assumption as applied: its range, which level set it, and (for built-ins) date and source."""

    name: str
    value: Range | None
    level: Level
    as_of: date | None
    source: str


@dataclass(frozen=True, slots=True)
class Layer:
    """A set of overrides from one level (personal or server defaults)."""

    level: Literal["personal", "server"]
    assumptions: Assumptions


def resolve(offer_assumptions: Assumptions, layers: Sequence[Layer], registry: Registry) -> dict[str, AssumptionUsed]:
    ordered: list[tuple[Level, Assumptions]] = [("offer", offer_assumptions)]
    ordered += sorted(((layer.level, layer.assumptions) for layer in layers), key=lambda item: LEVELS.index(item[0]))
    used: dict[str, AssumptionUsed] = {}
    for name, default_key in DEFAULT_KEYS.items():
        for level, assumptions in ordered:
            given = getattr(assumptions, name)
            if given is not None:
                used[name] = AssumptionUsed(name, Range.fixed(Decimal(given)), level, None, "")
                break
        else:
            if default_key is None:
                used[name] = AssumptionUsed(name, None, "built-in", registry.as_of, "per-grant registry entry")
            else:
                sourced = registry.assumptions[default_key]
                used[name] = AssumptionUsed(name, sourced.value, "built-in", sourced.as_of, sourced.source)
    return used
