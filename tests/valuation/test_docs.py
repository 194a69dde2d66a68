"""docs/methodology.md states the registry's defaults as they are."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from valuation import Registry

# Whitespace collapsed, so a figure wrapped across lines still matches.
DOC = " ".join((Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text(encoding="utf-8").split())


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number != number.to_integral() else f"{number:.2f}"


def test_every_model_price_is_in_the_methodology(builtin_registry: Registry) -> None:
    """Each model's name and input / output list price appear in the methodology as in the registry."""
    for model in builtin_registry.models.values():
        assert f"{model.name} {model.input:.2f} / {model.output:.2f}" in DOC, model.id


def test_every_default_date_and_the_registry_version_are_in_the_methodology(builtin_registry: Registry) -> None:
    """The registry version and each built-in assumption's date appear in the methodology."""
    assert f"registry version {builtin_registry.version}" in DOC
    for name, sourced in builtin_registry.assumptions.items():
        assert sourced.as_of.isoformat() in DOC, name


def test_ranges_in_the_methodology_match_the_registry(builtin_registry: Registry) -> None:
    """Utilization, token and GPU deflation ranges are written as the registry's low / base / high."""
    for name in ("utilization", "token_deflation", "gpu_deflation"):
        value = builtin_registry.assumptions[name].value
        written = " / ".join(f"{part * 100:.0f}%" for part in (value.low, value.base, value.high))
        assert written in DOC, name
    # The flat default rate is gone: the methodology points to the estimate instead.
    assert "marginal_tax_rate" not in builtin_registry.assumptions
    assert "| marginal tax rate | estimated from the offer" in DOC
    discounts = builtin_registry.stage_discounts
    assert f"seed–A {discounts['seed-a'] * 100:.0f}%" in DOC and f"pre-IPO {discounts['pre-ipo'] * 100:.0f}%" in DOC
