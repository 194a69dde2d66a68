"""The dated, sourced tax schedules the marginal-rate estimate reads (``data/tax2026.toml``).

Every schedule carries ``as_of``, ``source`` and ``tax_year``; the loader refuses one without them, so no part of
an estimated rate is without its date and origin.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Literal

from valuation.errors import OfferError, Problem, Reason, show_value

FilingStatus = Literal["single", "married-joint"]
FILING_STATUSES: tuple[FilingStatus, ...] = ("single", "married-joint")
Bracket = tuple[Decimal, Decimal]  # (lower edge, rate on income above it)


@dataclass(frozen=True, slots=True)
class Dated:
    """Where a schedule's figures come from."""

    tax_year: int
    as_of: date
    source: str


@dataclass(frozen=True, slots=True)
class Payroll:
    """An employee payroll contribution on wages: its rate and the wage cap above which it stops (None: no cap)."""

    id: str
    rate: Decimal
    wage_cap: Decimal | None


@dataclass(frozen=True, slots=True)
class StateSchedule:
    code: str
    name: str
    brackets: Mapping[str, tuple[Bracket, ...]]  # by filing status; empty for a state without a tax on wages
    payroll: tuple[Payroll, ...]
    dated: Dated


@dataclass(frozen=True, slots=True)
class UsSchedule:
    currency: str
    brackets: Mapping[str, tuple[Bracket, ...]]
    standard_deduction: Mapping[str, Decimal]
    federal: Dated
    ss_rate: Decimal
    ss_wage_base: Decimal
    social_security: Dated
    medicare_rate: Decimal
    additional_medicare_rate: Decimal
    additional_medicare_threshold: Mapping[str, Decimal]
    medicare: Dated
    states: Mapping[str, StateSchedule]


@dataclass(frozen=True, slots=True)
class UkSchedule:
    currency: str
    personal_allowance: Decimal
    taper_threshold: Decimal
    taper_rate: Decimal
    brackets: tuple[Bracket, ...]
    ni_primary_threshold: Decimal
    ni_upper_earnings_limit: Decimal
    ni_main_rate: Decimal
    ni_upper_rate: Decimal
    dated: Dated


@dataclass(frozen=True, slots=True)
class Contribution:
    rate: Decimal
    ceiling: Decimal


@dataclass(frozen=True, slots=True)
class DeSchedule:
    currency: str
    basic_allowance: Decimal
    zone2_end: Decimal
    zone3_end: Decimal
    zone4_end: Decimal
    zone2: tuple[Decimal, Decimal]
    zone3: tuple[Decimal, Decimal, Decimal]
    zone4: tuple[Decimal, Decimal]
    zone5: tuple[Decimal, Decimal]
    lump_sums: Decimal
    soli_exemption: Mapping[str, Decimal]
    soli_rate: Decimal
    soli_phase_in_rate: Decimal
    pension: Contribution
    unemployment: Contribution
    health: Contribution
    care: Contribution
    health_deductible_share: Decimal
    dated: Dated


@dataclass(frozen=True, slots=True)
class TaxTables:
    version: str
    as_of: date
    us: UsSchedule
    uk: UkSchedule
    de: DeSchedule


class _Reader:
    """Collects every problem in a tax file before refusing it."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, value: object, example: str) -> None:
        self.problems.append(Problem(f"tax.{field}", show_value(value), Reason.BAD_REGISTRY, example))

    def table(self, field: str, raw: object) -> dict[str, Any]:
        if isinstance(raw, dict):
            return raw
        self.fail(field, raw, '[us.federal] tax_year = 2026, as_of = "2026-12-01", source = "..."')
        return {}

    def number(self, field: str, raw: object) -> Decimal:
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if raw is None or isinstance(raw, bool) or not value.is_finite() or value < 0:
            self.fail(field, raw, '"0.35"')
            return Decimal(0)
        return value

    def by_status(self, field: str, raw: object) -> dict[str, Decimal]:
        table = self.table(field, raw)
        return {status: self.number(f"{field}.{status}", table.get(status)) for status in FILING_STATUSES}

    def brackets(self, field: str, raw: object) -> tuple[Bracket, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(field, raw, '[["0", "0.10"], ["12400", "0.12"]]')
            return ()
        out: list[Bracket] = []
        for i, pair in enumerate(raw):
            if not isinstance(pair, list) or len(pair) != 2:
                self.fail(f"{field}[{i}]", pair, '["12400", "0.12"]')
                continue
            out.append((self.number(f"{field}[{i}]", pair[0]), self.number(f"{field}[{i}]", pair[1])))
        edges = [edge for edge, _ in out]
        if out and (edges[0] != 0 or edges != sorted(set(edges))):
            self.fail(field, raw, 'edges rising from "0": [["0", "0.10"], ["12400", "0.12"]]')
        return tuple(out)

    def status_brackets(self, field: str, raw: object) -> dict[str, tuple[Bracket, ...]]:
        table = self.table(field, raw)
        return {status: self.brackets(f"{field}.{status}", table.get(status)) for status in FILING_STATUSES}

    def dated(self, field: str, raw: dict[str, Any]) -> Dated:
        as_of_raw, source, year = raw.get("as_of"), raw.get("source"), raw.get("tax_year")
        as_of = date(1970, 1, 1)
        if isinstance(as_of_raw, date):
            as_of = as_of_raw
        else:
            try:
                as_of = date.fromisoformat(str(as_of_raw))
            except ValueError:
                self.fail(f"{field}.as_of", as_of_raw, '"2026-12-01"')
        if not isinstance(source, str) or not source.strip():
            self.fail(f"{field}.source", source, '"IRS Rev. Proc. 2025-32"')
            source = ""
        if not isinstance(year, int) or isinstance(year, bool):
            self.fail(f"{field}.tax_year", year, "2026")
            year = 0
        return Dated(year, as_of, source)

    def payroll(self, field: str, raw: object) -> tuple[Payroll, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(field, raw, '[{ id = "sdi", rate = "0.013" }]')
            return ()
        out = []
        for i, entry in enumerate(raw):
            item = self.table(f"{field}[{i}]", entry)
            ident = item.get("id")
            if not isinstance(ident, str) or not ident:
                self.fail(f"{field}[{i}].id", ident, '"sdi"')
                continue
            cap = item.get("wage_cap")
            out.append(
                Payroll(
                    ident,
                    self.number(f"{field}[{i}].rate", item.get("rate")),
                    None if cap is None else self.number(f"{field}[{i}].wage_cap", cap),
                )
            )
        return tuple(out)

    def state(self, code: str, raw: object) -> StateSchedule:
        field = f"us.states.{code}"
        table = self.table(field, raw)
        if table.get("none") is True:
            brackets: dict[str, tuple[Bracket, ...]] = {status: () for status in FILING_STATUSES}
        elif "rate" in table:
            flat = ((Decimal(0), self.number(f"{field}.rate", table["rate"])),)
            brackets = {status: flat for status in FILING_STATUSES}
        else:
            brackets = self.status_brackets(f"{field}.brackets", table.get("brackets"))
        name = table.get("name")
        if not isinstance(name, str) or not name:
            self.fail(f"{field}.name", name, '"California"')
            name = code
        return StateSchedule(
            code, name, brackets, self.payroll(f"{field}.payroll", table.get("payroll")), self.dated(field, table)
        )


def parse_tax_tables(text: str) -> TaxTables:
    """Build the tax tables from TOML text; raise :class:`OfferError` listing every bad or undated entry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OfferError.single("tax", str(exc), Reason.INVALID_TOML, 'version = "2026.12.1"') from None
    r = _Reader()
    us = r.table("us", raw.get("us"))
    federal = r.table("us.federal", us.get("federal"))
    ss = r.table("us.social_security", us.get("social_security"))
    medicare = r.table("us.medicare", us.get("medicare"))
    states_raw = r.table("us.states", us.get("states"))
    us_schedule = UsSchedule(
        currency=str(us.get("currency", "USD")),
        brackets=r.status_brackets("us.federal.brackets", federal.get("brackets")),
        standard_deduction=r.by_status("us.federal.standard_deduction", federal.get("standard_deduction")),
        federal=r.dated("us.federal", federal),
        ss_rate=r.number("us.social_security.rate", ss.get("rate")),
        ss_wage_base=r.number("us.social_security.wage_base", ss.get("wage_base")),
        social_security=r.dated("us.social_security", ss),
        medicare_rate=r.number("us.medicare.rate", medicare.get("rate")),
        additional_medicare_rate=r.number("us.medicare.additional_rate", medicare.get("additional_rate")),
        additional_medicare_threshold=r.by_status(
            "us.medicare.additional_threshold", medicare.get("additional_threshold")
        ),
        medicare=r.dated("us.medicare", medicare),
        states={code: r.state(code, entry) for code, entry in sorted(states_raw.items())},
    )
    uk = r.table("uk", raw.get("uk"))
    uk_schedule = UkSchedule(
        currency=str(uk.get("currency", "GBP")),
        personal_allowance=r.number("uk.personal_allowance", uk.get("personal_allowance")),
        taper_threshold=r.number("uk.taper_threshold", uk.get("taper_threshold")),
        taper_rate=r.number("uk.taper_rate", uk.get("taper_rate")),
        brackets=r.brackets("uk.brackets", uk.get("brackets")),
        ni_primary_threshold=r.number("uk.ni_primary_threshold", uk.get("ni_primary_threshold")),
        ni_upper_earnings_limit=r.number("uk.ni_upper_earnings_limit", uk.get("ni_upper_earnings_limit")),
        ni_main_rate=r.number("uk.ni_main_rate", uk.get("ni_main_rate")),
        ni_upper_rate=r.number("uk.ni_upper_rate", uk.get("ni_upper_rate")),
        dated=r.dated("uk", uk),
    )
    de = r.table("de", raw.get("de"))

    def numbers(field: str, count: int) -> tuple[Decimal, ...]:
        values = de.get(field)
        if not isinstance(values, list) or len(values) != count:
            r.fail(f"de.{field}", values, '["0.42", "11135.63"]')
            return (Decimal(0),) * count
        return tuple(r.number(f"de.{field}[{i}]", v) for i, v in enumerate(values))

    def contribution(field: str) -> Contribution:
        table = r.table(f"de.{field}", de.get(field))
        return Contribution(
            r.number(f"de.{field}.rate", table.get("rate")), r.number(f"de.{field}.ceiling", table.get("ceiling"))
        )

    zone2, zone3, zone4, zone5 = numbers("zone2", 2), numbers("zone3", 3), numbers("zone4", 2), numbers("zone5", 2)
    de_schedule = DeSchedule(
        currency=str(de.get("currency", "EUR")),
        basic_allowance=r.number("de.basic_allowance", de.get("basic_allowance")),
        zone2_end=r.number("de.zone2_end", de.get("zone2_end")),
        zone3_end=r.number("de.zone3_end", de.get("zone3_end")),
        zone4_end=r.number("de.zone4_end", de.get("zone4_end")),
        zone2=(zone2[0], zone2[1]),
        zone3=(zone3[0], zone3[1], zone3[2]),
        zone4=(zone4[0], zone4[1]),
        zone5=(zone5[0], zone5[1]),
        lump_sums=r.number("de.lump_sums", de.get("lump_sums")),
        soli_exemption=r.by_status("de.soli_exemption", de.get("soli_exemption")),
        soli_rate=r.number("de.soli_rate", de.get("soli_rate")),
        soli_phase_in_rate=r.number("de.soli_phase_in_rate", de.get("soli_phase_in_rate")),
        pension=contribution("pension"),
        unemployment=contribution("unemployment"),
        health=contribution("health"),
        care=contribution("care"),
        health_deductible_share=r.number("de.health_deductible_share", de.get("health_deductible_share")),
        dated=r.dated("de", de),
    )
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        r.fail("version", version, '"2026.12.1"')
        version = ""
    as_of = r.dated("file", {"as_of": raw.get("as_of"), "source": "tax file", "tax_year": 0}).as_of
    if r.problems:
        raise OfferError(r.problems)
    return TaxTables(version, as_of, us_schedule, uk_schedule, de_schedule)


@functools.cache
def default_tax_tables() -> TaxTables:
    """The tax tables shipped with the package (read once; they are immutable)."""
    text = resources.files("valuation").joinpath("data/tax2026.toml").read_text(encoding="utf-8")
    return parse_tax_tables(text)
