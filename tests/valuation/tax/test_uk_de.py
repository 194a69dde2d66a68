"""UK 2026/27 and German 2026 marginal rates on worked examples derived by hand from the official rules."""

from __future__ import annotations

from decimal import Decimal

from valuation.tax.schedules import de, de_tariff, uk
from valuation.tax.tables import default_tax_tables

TABLES = default_tax_tables()
D = Decimal


def uk_parts(pay: str) -> tuple[Decimal, Decimal]:
    income_tax, ni = uk(TABLES.uk, D(pay))
    return income_tax.rate, ni.rate


def test_uk_bands_and_national_insurance() -> None:
    """Below £12,570 nothing; basic 20% + NI 8%; higher 40% + NI 2% from £50,270 (£12,570 + £37,700)."""
    assert uk_parts("12000") == (0, 0)
    assert uk_parts("30000") == (D("0.20"), D("0.08"))
    assert uk_parts("50269") == (D("0.20"), D("0.08"))
    assert uk_parts("50270") == (D("0.40"), D("0.02"))


def test_uk_personal_allowance_taper() -> None:
    """£100,000-£125,140: each £1 also removes 50p of allowance taxed at 40%, so 40% × 1.5 = 60% (+ 2% NI);
    at £125,140 the allowance is gone and taxable pay is £125,140: the additional rate, 45%."""
    assert uk_parts("99999") == (D("0.40"), D("0.02"))
    assert uk_parts("110000") == (D("0.60"), D("0.02"))
    # Taxable pay at £110,000: allowance 12,570 − (110,000 − 100,000) / 2 = 7,570 → 102,430.
    assert uk(TABLES.uk, D("110000"))[0].income == D("102430")
    assert uk_parts("125140") == (D("0.45"), D("0.02"))
    assert uk_parts("200000") == (D("0.45"), D("0.02"))


def test_german_tariff_zones_join_up() -> None:
    """§32a 2026: 14% at the start of zone 2, 23.97% where zone 3 starts, 42% at its end; each zone's tax meets the
    next one's within a cent at the edge (69,878: zone 3 gives 18,212.97, zone 4 gives 0.42 × 69,878 − 11,135.63
    = 18,213.13; 277,825: both give 105,550.87)."""
    schedule = TABLES.de
    assert de_tariff(schedule, D("12348")) == (0, 0)
    assert de_tariff(schedule, D("12348.0001"))[1].quantize(D("0.0001")) == D("0.1400")
    assert de_tariff(schedule, D("17799"))[1].quantize(D("0.0001")) == D("0.2397")
    assert de_tariff(schedule, D("69878"))[1].quantize(D("0.0001")) == D("0.4200")
    zone3_tax = de_tariff(schedule, D("69878"))[0]
    assert abs(zone3_tax - (D("0.42") * 69878 - D("11135.63"))) < D("0.20")
    assert de_tariff(schedule, D("277825"))[0] == D("105550.87")
    assert de_tariff(schedule, D("300000")) == (D("0.45") * 300000 - D("19470.38"), D("0.45"))


def test_german_rate_above_every_ceiling() -> None:
    """€150,000 single: contributions all capped (ceilings €101,400 and €69,750), so taxable income =
    150,000 − 1,266 − (9.3% × 101,400 + 96% × 8.75% × 69,750 + 1.8% × 69,750) = 150,000 − 1,266 − 16,544.7
    = 132,189.3, zone 4 → 42%; income tax 0.42 × 132,189.3 − 11,135.63 = 44,383.88 is far past the phase-in,
    so Soli = 5.5% × 42% = 2.31%. Total 44.31%."""
    got = {p.id: p.rate for p in de(TABLES.de, D("150000"), "single")}
    assert got["income_tax"] == D("0.42") and got["solidarity"] == D("0.0231")
    assert all(got[k] == 0 for k in ("pension", "unemployment", "health", "care"))
    assert sum(got.values()) == D("0.4431")


def test_german_rate_between_the_ceilings() -> None:
    """€90,000 single: pension 9.3% and unemployment 1.3% still due, health and care capped. Taxable income
    90,000 − 1,266 − (8,370 + 5,859 + 1,255.5) = 73,249.5 (zone 4: 42%); the next euro is 9.3% deductible, so
    income tax 42% × (1 − 0.093) = 38.094%; tax 0.42 × 73,249.5 − 11,135.63 = 19,629.16 ≤ €20,350: no Soli.
    Total 38.094 + 9.3 + 1.3 = 48.694%."""
    got = {p.id: p.rate for p in de(TABLES.de, D("90000"), "single")}
    assert got["income_tax"] == D("0.38094") and got["solidarity"] == 0
    assert sum(got.values()) == D("0.48694")


def test_german_splitting_for_married_couples() -> None:
    """€150,000 joint: taxable 132,189.3 split in half = 66,094.65, zone 3: slope = (2 × 173.10 × z + 2,397) / 10,000
    with z = (66,094.65 − 17,799) / 10,000 = 4.829565 → 0.40690 (no deduction on the next euro: all capped);
    tax = 2 × ((173.10 z + 2,397) z + 1,034.87) = 2 × 16,648.8 ≈ 33,298 ≤ €40,700: no Soli."""
    got = {p.id: p.rate for p in de(TABLES.de, D("150000"), "married-joint")}
    z = (D("66094.65") - D("17799")) / 10000
    assert got["income_tax"] == (2 * D("173.10") * z + 2397) / 10000
    assert got["solidarity"] == 0
