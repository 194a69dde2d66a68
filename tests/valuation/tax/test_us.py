"""US marginal rate: federal bracket edges, the Social Security wage base, Medicare, every state present and sourced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from valuation.offer import US_STATES
from valuation.tax.schedules import us_federal, us_state
from valuation.tax.tables import default_tax_tables

US = default_tax_tables().us
D = Decimal


def parts(pay: str, status: str = "single") -> dict[str, Decimal]:
    return {p.id: p.rate for p in us_federal(US, D(pay), status)}


# Taxable income = pay − standard deduction ($16,100 single, $32,200 joint). A bracket's rate starts AT its edge:
# the next dollar at taxable income exactly $12,400 is taxed at 12%.
SINGLE_EDGES = [
    ("12400", "0.10", "0.12"),
    ("50400", "0.12", "0.22"),
    ("105700", "0.22", "0.24"),
    ("201775", "0.24", "0.32"),
    ("256225", "0.32", "0.35"),
    ("640600", "0.35", "0.37"),
]
JOINT_EDGES = [
    ("24800", "0.10", "0.12"),
    ("100800", "0.12", "0.22"),
    ("211400", "0.22", "0.24"),
    ("403550", "0.24", "0.32"),
    ("512450", "0.32", "0.35"),
    ("768700", "0.35", "0.37"),
]


@pytest.mark.parametrize(("edge", "below", "at"), SINGLE_EDGES)
def test_single_federal_bracket_edges(edge: str, below: str, at: str) -> None:
    """One cent of taxable income below each 2026 single edge is the lower rate; at the edge, the higher."""
    pay_at = D(edge) + D("16100")
    assert parts(str(pay_at - D("0.01")))["federal"] == D(below)
    assert parts(str(pay_at))["federal"] == D(at)


@pytest.mark.parametrize(("edge", "below", "at"), JOINT_EDGES)
def test_joint_federal_bracket_edges(edge: str, below: str, at: str) -> None:
    """The same for married filing jointly, with the $32,200 standard deduction."""
    pay_at = D(edge) + D("32200")
    assert parts(str(pay_at - D("0.01")), "married-joint")["federal"] == D(below)
    assert parts(str(pay_at), "married-joint")["federal"] == D(at)


def test_pay_below_the_standard_deduction_is_in_the_ten_percent_bracket() -> None:
    """Taxable income is never negative: $10,000 of pay is read at $0 taxable, the 10% bracket."""
    federal = us_federal(US, D("10000"), "single")[0]
    assert (federal.rate, federal.income) == (D("0.10"), D(0))


def test_social_security_stops_at_the_wage_base() -> None:
    """6.2% on the next dollar while pay is below $184,500; nothing once pay reaches it."""
    assert parts("184499.99")["social_security"] == D("0.062")
    assert parts("184500")["social_security"] == 0
    assert parts("250000")["social_security"] == 0


def test_additional_medicare_starts_at_its_threshold() -> None:
    """Medicare is 1.45% throughout; +0.9% on pay above $200,000 single, $250,000 joint."""
    assert parts("199999.99")["additional_medicare"] == 0 and parts("199999.99")["medicare"] == D("0.0145")
    assert parts("200000")["additional_medicare"] == D("0.009")
    assert parts("249999.99", "married-joint")["additional_medicare"] == 0
    assert parts("250000", "married-joint")["additional_medicare"] == D("0.009")


def test_every_state_and_dc_is_present_dated_and_sourced() -> None:
    """The tables hold exactly the 50 states and DC, each with a name, a tax year, a date and a source."""
    assert set(US.states) == US_STATES and len(US.states) == 51
    for code, state in US.states.items():
        assert state.name and state.dated.source.strip() and state.dated.tax_year in (2025, 2026), code
        assert set(state.brackets) == {"single", "married-joint"}, code


def test_no_tax_states_have_no_state_income_tax() -> None:
    """AK, FL, NV, NH, SD, TN, TX, WA and WY tax no wages (WA's payroll contributions aside)."""
    for code in ("AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY"):
        assert us_state(US.states[code], D("250000"), "single")[0].rate == 0, code


def test_california_at_250k_single() -> None:
    """CA single at $250,000: 9.3% bracket (from $72,724 to $371,479) and SDI 1.3% with no wage cap."""
    got = {p.id: p.rate for p in us_state(US.states["CA"], D("250000"), "single")}
    assert got == {"state": D("0.093"), "sdi": D("0.013")}


def test_california_mental_health_tax_above_one_million() -> None:
    """Above $1,000,000 CA adds the 1% Mental Health Services Tax: 12.3% + 1% = 13.3% single."""
    assert us_state(US.states["CA"], D("1000000"), "single")[0].rate == D("0.133")


def test_capped_state_contributions_stop_at_their_caps() -> None:
    """NJ TDI and FLI stop at $171,100; WA paid leave at $184,500 while WA Cares (0.58%) has no cap."""
    nj_below = {p.id: p.rate for p in us_state(US.states["NJ"], D("171099"), "single")}
    nj_above = {p.id: p.rate for p in us_state(US.states["NJ"], D("171100"), "single")}
    assert (nj_below["sdi"], nj_below["paid_leave"]) == (D("0.0019"), D("0.0023"))
    assert (nj_above["sdi"], nj_above["paid_leave"]) == (0, 0)
    wa = {p.id: p.rate for p in us_state(US.states["WA"], D("250000"), "single")}
    assert wa == {"state": 0, "paid_leave": 0, "long_term_care": D("0.0058")}
