"""The price registry and the dated, sourced defaults.

Loaded from ``data/registry.toml`` (or a replacement file). Every entry must carry ``as_of`` and ``source``; the
loader refuses one that does not, so no number in a result is without its date and origin.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from valuation.errors import OfferError, Problem, Reason, show_value
from valuation.tax.tables import TaxTables, default_tax_tables


@dataclass(frozen=True, slots=True)
class Range:
    """An uncertain input: low / base / high. A value given by a person fixes all three."""

    low: Decimal
    base: Decimal
    high: Decimal

    @classmethod
    def fixed(cls, value: Decimal) -> Range:
        return cls(value, value, value)

    def pick(self, scenario: str) -> Decimal:
        if scenario == "low":
            return self.low
        if scenario == "high":
            return self.high
        return self.base


@dataclass(frozen=True, slots=True)
class Sourced:
    """A default with where it came from."""

    value: Range
    as_of: date
    source: str


@dataclass(frozen=True, slots=True)
class ModelPrice:
    id: str
    vendor: str
    name: str
    input: Decimal
    output: Decimal
    input_share: Range
    employer_cost_ratio: Range
    as_of: date
    source: str

    def blended(self, input_share: Decimal) -> Decimal:
        """USD per million tokens at a given share of input tokens."""
        return self.input * input_share + self.output * (1 - input_share)

    def blended_range(self) -> Range:
        # A higher input share is cheaper, so the low price comes from the high input share.
        return Range(
            self.blended(self.input_share.high),
            self.blended(self.input_share.base),
            self.blended(self.input_share.low),
        )


@dataclass(frozen=True, slots=True)
class GpuPrice:
    id: str
    name: str
    hourly: Range
    employer_cost_ratio: Range
    as_of: date
    source: str


@dataclass(frozen=True, slots=True)
class StaleEntry:
    """A registry entry older than the registry's staleness limit on a given day."""

    kind: str  # "model" | "gpu" | "assumption"
    id: str
    as_of: date
    age_days: int


@dataclass(frozen=True, slots=True)
class Registry:
    version: str
    as_of: date
    tax_jurisdiction: str
    models: dict[str, ModelPrice]
    gpus: dict[str, GpuPrice]
    assumptions: dict[str, Sourced]
    stage_discounts: dict[str, Decimal]
    stage_discounts_source: Sourced
    thresholds: dict[str, Sourced]
    limits: dict[str, Sourced]
    # The tax schedules the marginal rate is estimated from (their own dated, sourced file); left out of plain data.
    tax: TaxTables = field(default_factory=default_tax_tables, repr=False, compare=False)

    def threshold(self, name: str) -> Decimal:
        return self.thresholds[name].value.base

    def stale(self, today: date) -> tuple[StaleEntry, ...]:
        """Entries read more than ``stale_after_days`` before ``today`` (the caller's date: the core reads no
        clock), oldest first, then by kind and id."""
        limit = int(self.threshold("stale_after_days"))
        dated: list[tuple[str, str, date]] = [("model", m.id, m.as_of) for m in self.models.values()]
        dated += [("gpu", g.id, g.as_of) for g in self.gpus.values()]
        dated += [("assumption", name, a.as_of) for name, a in self.assumptions.items()]
        old = [StaleEntry(kind, ident, as_of, (today - as_of).days) for kind, ident, as_of in dated]
        return tuple(sorted((e for e in old if e.age_days > limit), key=lambda e: (e.as_of, e.kind, e.id)))

    def limit(self, name: str) -> Decimal:
        return self.limits[name].value.base


REQUIRED_ASSUMPTIONS = (
    "utilization",
    "token_deflation",
    "gpu_deflation",
    "dollar_employer_cost_ratio",
    "tenure_months",
    "usd_rate",
)
REQUIRED_THRESHOLDS = (
    "work_required_share",
    "ask_for_time_days",
    "short_exercise_window_days",
    "low_utilization",
    "quoted_tc_tolerance",
    "back_loaded_year1_share",
    "stale_after_days",
)
REQUIRED_LIMITS = (
    "sign_on_share_of_base",
    "base_raise_share",
    "equity_raise_share",
    "compute_to_cash_share",
)
# Yearly price declines: a negative value is a rise (GPU rents rose in 2026).
SIGNED_ASSUMPTIONS = frozenset({"token_deflation", "gpu_deflation"})
STAGES = ("public", "pre-ipo", "late-stage", "series-b-c", "seed-a")


class _Reader:
    """Collects every problem in a registry file before refusing it."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, value: object, example: str) -> None:
        self.problems.append(Problem(field, show_value(value), Reason.BAD_REGISTRY, example))

    def decimal(self, field: str, raw: object, *, signed: bool = False) -> Decimal:
        """A finite number; negative only where ``signed`` (a price change may be a rise)."""
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            self.fail(field, raw, '"0.55"')
            return Decimal(0)
        if not number.is_finite() or (number < 0 and not signed):
            self.fail(field, raw, '"0.55"')
            return Decimal(0)
        return number

    def range(self, field: str, raw: object, *, signed: bool = False) -> Range:
        if isinstance(raw, dict):
            if "value" in raw:
                value = self.decimal(f"{field}.value", raw["value"], signed=signed)
                return Range.fixed(value)
            if "low" in raw and "high" in raw:
                low = self.decimal(f"{field}.low", raw["low"], signed=signed)
                high = self.decimal(f"{field}.high", raw["high"], signed=signed)
                base = self.decimal(f"{field}.base", raw["base"], signed=signed) if "base" in raw else (low + high) / 2
                if not low <= base <= high:
                    self.fail(field, raw, 'low = "0.40", high = "0.70"')
                return Range(low, base, high)
        if isinstance(raw, str | int | float):
            return Range.fixed(self.decimal(field, raw, signed=signed))
        self.fail(field, raw, 'low = "0.40", high = "0.70"')
        return Range.fixed(Decimal(0))

    def dated(self, field: str, entry: dict[str, Any], fallback: dict[str, Any] | None = None) -> tuple[date, str]:
        as_of_raw = entry.get("as_of", (fallback or {}).get("as_of"))
        source = entry.get("source", (fallback or {}).get("source"))
        as_of = date(1970, 1, 1)
        if isinstance(as_of_raw, date):
            as_of = as_of_raw
        elif isinstance(as_of_raw, str):
            try:
                as_of = date.fromisoformat(as_of_raw)
            except ValueError:
                self.fail(f"{field}.as_of", as_of_raw, '"2026-11-01"')
        else:
            self.fail(f"{field}.as_of", as_of_raw, '"2026-11-01"')
        if not isinstance(source, str) or not source.strip():
            self.fail(f"{field}.source", source, '"simonw/llm-prices data files"')
            source = ""
        return as_of, source

    def sourced(self, field: str, entry: object, *, signed: bool = False) -> Sourced:
        if not isinstance(entry, dict):
            self.fail(field, entry, 'value = "0.30", as_of = "2026-11-01", source = "..."')
            return Sourced(Range.fixed(Decimal(0)), date(1970, 1, 1), "")
        as_of, source = self.dated(field, entry)
        return Sourced(self.range(field, entry, signed=signed), as_of, source)


def parse_registry(text: str) -> Registry:
    """Build a registry from TOML text; raise :class:`OfferError` listing every bad or undated entry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OfferError.single("prices", str(exc), Reason.INVALID_TOML, 'version = "2026.11.1"') from None
    reader = _Reader()
    model_defaults = raw.get("defaults_for_models", {})
    share_default = model_defaults.get("input_share", {})
    ratio_default = model_defaults.get("employer_cost_ratio", {})
    models: dict[str, ModelPrice] = {}
    for i, entry in enumerate(raw.get("models", [])):
        field = f"models[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            reader.fail(field, entry, 'id = "gpt-5"')
            continue
        as_of, source = reader.dated(field, entry)
        share_raw = entry.get("input_share", share_default)
        ratio_raw = entry.get("employer_cost_ratio", ratio_default)
        if not entry.get("input_share"):
            reader.dated("defaults_for_models.input_share", share_raw)
        if not entry.get("employer_cost_ratio"):
            reader.dated("defaults_for_models.employer_cost_ratio", ratio_raw)
        models[entry["id"]] = ModelPrice(
            id=entry["id"],
            vendor=str(entry.get("vendor", "")),
            name=str(entry.get("name", entry["id"])),
            input=reader.decimal(f"{field}.input", entry.get("input")),
            output=reader.decimal(f"{field}.output", entry.get("output")),
            input_share=reader.range(f"{field}.input_share", share_raw),
            employer_cost_ratio=reader.range(f"{field}.employer_cost_ratio", ratio_raw),
            as_of=as_of,
            source=source,
        )
    gpus: dict[str, GpuPrice] = {}
    for i, entry in enumerate(raw.get("gpus", [])):
        field = f"gpus[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            reader.fail(field, entry, 'id = "h100"')
            continue
        as_of, source = reader.dated(field, entry)
        gpus[entry["id"]] = GpuPrice(
            id=entry["id"],
            name=str(entry.get("name", entry["id"])),
            hourly=reader.range(f"{field}.hourly", entry.get("hourly")),
            employer_cost_ratio=reader.range(f"{field}.employer_cost_ratio", entry.get("employer_cost_ratio")),
            as_of=as_of,
            source=source,
        )
    sections: dict[str, dict[str, Sourced]] = {}
    for section, required in (
        ("assumptions", REQUIRED_ASSUMPTIONS),
        ("thresholds", REQUIRED_THRESHOLDS),
        ("limits", REQUIRED_LIMITS),
    ):
        table = raw.get(section, {})
        sections[section] = {
            name: reader.sourced(f"{section}.{name}", entry, signed=name in SIGNED_ASSUMPTIONS)
            for name, entry in table.items()
        }
        for name in required:
            if name not in table:
                reader.fail(f"{section}.{name}", "", 'value = "0.30", as_of = "2026-11-01", source = "..."')
    stage_raw = raw.get("stage_discounts", {})
    stage_as_of, stage_source = reader.dated("stage_discounts", stage_raw)
    stage_discounts = {name: reader.decimal(f"stage_discounts.{name}", stage_raw.get(name)) for name in STAGES}
    registry_as_of, _ = reader.dated("registry", {"as_of": raw.get("as_of"), "source": "registry"})
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        reader.fail("version", version, '"2026.11.1"')
        version = ""
    if not models:
        reader.fail("models", "", '[[models]] id = "gpt-5" ...')
    if reader.problems:
        raise OfferError(reader.problems)
    return Registry(
        version=version,
        as_of=registry_as_of,
        tax_jurisdiction=str(raw.get("tax_jurisdiction", "US")),
        models=models,
        gpus=gpus,
        assumptions=sections["assumptions"],
        stage_discounts=stage_discounts,
        stage_discounts_source=Sourced(Range.fixed(Decimal(0)), stage_as_of, stage_source),
        thresholds=sections["thresholds"],
        limits=sections["limits"],
    )


@functools.cache
def default_registry() -> Registry:
    """The registry shipped with the package (read once; it is immutable)."""
    text = resources.files("valuation").joinpath("data/registry.toml").read_text(encoding="utf-8")
    return parse_registry(text)
