"""The price registry: every entry dated and sourced, or the whole file is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from valuation import OfferError, Reason, default_registry, parse_registry
from valuation.registry import REQUIRED_ASSUMPTIONS, REQUIRED_LIMITS, REQUIRED_THRESHOLDS, Range

TEXT = resources.files("valuation").joinpath("data/registry.toml").read_text(encoding="utf-8")


def refused_fields(text: str) -> list[str]:
    with pytest.raises(OfferError) as caught:
        parse_registry(text)
    assert all(p.reason in (Reason.BAD_REGISTRY, Reason.INVALID_TOML) for p in caught.value.problems)
    return [p.field for p in caught.value.problems]


def test_built_in_registry_is_dated_and_sourced() -> None:
    """Every model, GPU, assumption, threshold and limit in the shipped registry has a date and a source."""
    registry = default_registry()
    assert registry.as_of == date(2026, 12, 1) and registry.version and registry.tax_jurisdiction == "US"
    dated: list[tuple[date, str]] = [(m.as_of, m.source) for m in registry.models.values()]
    dated += [(g.as_of, g.source) for g in registry.gpus.values()]
    assert all(as_of > date(2020, 1, 1) and source.strip() for as_of, source in dated)
    for section, required in (
        (registry.assumptions, REQUIRED_ASSUMPTIONS),
        (registry.thresholds, REQUIRED_THRESHOLDS),
        (registry.limits, REQUIRED_LIMITS),
    ):
        assert set(required) <= set(section)
        assert all(s.as_of > date(2020, 1, 1) and s.source.strip() for s in section.values())
    assert registry.stage_discounts_source.source and registry.stage_discounts["seed-a"] == Decimal("0.70")


def test_ranges_are_ordered_and_midpoint_fills_a_missing_base() -> None:
    """Every range has low ≤ base ≤ high; an employer-cost range without base takes its midpoint."""
    registry = default_registry()
    ranges: list[Range] = [s.value for s in registry.assumptions.values()]
    ranges += [g.hourly for g in registry.gpus.values()] + [m.employer_cost_ratio for m in registry.models.values()]
    assert all(r.low <= r.base <= r.high for r in ranges)
    assert registry.models["gpt-5"].employer_cost_ratio == Range(Decimal("0.40"), Decimal("0.55"), Decimal("0.70"))


def test_an_undated_model_is_refused() -> None:
    """Removing one model's as_of refuses the file and names that entry."""
    text = TEXT.replace(
        'id = "gpt-5"\nvendor = "OpenAI"\nname = "GPT-5"\ninput = "1.25"\noutput = "10.00"\nas_of = "2026-11-01"\n',
        'id = "gpt-5"\nvendor = "OpenAI"\nname = "GPT-5"\ninput = "1.25"\noutput = "10.00"\n',
        1,
    )
    assert text != TEXT
    assert refused_fields(text) == ["models[3].as_of"]


def test_an_unsourced_assumption_is_refused() -> None:
    """An assumption whose source is blank is refused, naming it."""
    marker = 'source = "Fourth Pillar default: a typical four-year vesting horizon"'
    assert marker in TEXT
    assert refused_fields(TEXT.replace(marker, 'source = " "')) == ["assumptions.tenure_months.source"]


def test_a_missing_required_default_and_a_bad_date_are_both_reported() -> None:
    """Every problem in a file is listed at once: a missing threshold and an unreadable date."""
    text = TEXT.replace("[thresholds.ask_for_time_days]", "[thresholds.renamed]").replace(
        'as_of = "2026-05-01"', 'as_of = "last spring"', 1
    )
    fields = refused_fields(text)
    assert "thresholds.ask_for_time_days" in fields and "gpus[0].as_of" in fields


def test_bad_numbers_inverted_ranges_and_bad_toml_are_refused() -> None:
    """Negative prices, a range whose base is outside low–high, and broken TOML are refused."""
    assert refused_fields(TEXT.replace('input = "3.00"', 'input = "-3"', 1)) == ["models[1].input"]
    inverted = TEXT.replace('low = "0.50"\nbase = "0.70"\nhigh = "0.90"', 'low = "0.50"\nbase = "0.95"\nhigh = "0.90"')
    assert refused_fields(inverted) == ["assumptions.utilization"]
    assert refused_fields("version = ") == ["prices"]
    assert "models" in refused_fields('version = "1"\nas_of = "2026-01-01"\n')


def test_a_replacement_registry_prices_offers() -> None:
    """A parsed replacement file with a changed price is the one used."""
    registry = parse_registry(TEXT.replace('input = "1.25"\noutput = "10.00"', 'input = "2.00"\noutput = "10.00"', 1))
    assert registry.models["gpt-5"].input == Decimal("2.00")
    assert default_registry().models["gpt-5"].input == Decimal("1.25")


def test_stale_entries_are_those_older_than_the_limit_on_the_given_day() -> None:
    """With a 120-day limit, on 2026-12-01 an entry read 2026-08-03 (120 days) is fresh and one read 2026-08-02
    (121 days) is stale; the registry reads no clock, the caller's date decides."""
    stale_text = TEXT.replace('as_of = "2026-08-05"', 'as_of = "2026-08-02"', 1).replace(
        'as_of = "2026-08-05"', 'as_of = "2026-08-03"', 1
    )
    registry = parse_registry(stale_text)
    found = {(e.id, e.age_days) for e in registry.stale(date(2026, 12, 1))}
    assert ("claude-opus-4.6", 121) in found and ("claude-opus-4.7", 120) not in found
    assert registry.stale(date(2026, 3, 1)) == ()


def test_price_declines_may_be_negative_but_other_figures_may_not() -> None:
    """gpu_deflation and token_deflation accept a negative value (a price rise); utilization does not."""
    rising = TEXT.replace('[assumptions.gpu_deflation]\nlow = "-0.10"', '[assumptions.gpu_deflation]\nlow = "-0.30"')
    assert rising != TEXT and parse_registry(rising).assumptions["gpu_deflation"].value.low == Decimal("-0.30")
    negative_use = TEXT.replace('[assumptions.utilization]\nlow = "0.50"', '[assumptions.utilization]\nlow = "-0.50"')
    assert negative_use != TEXT and refused_fields(negative_use) == ["assumptions.utilization.low"]


def test_the_flat_withholding_rate_is_gone() -> None:
    """The registry has no marginal_tax_rate default: the rate is estimated from the offer."""
    assert "marginal_tax_rate" not in default_registry().assumptions
    assert "29.65" not in TEXT
