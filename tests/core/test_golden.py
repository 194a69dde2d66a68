"""Hand-worked valuations: each docstring carries the arithmetic the figures must match to the cent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from valuation import Valuation, build_offer, default_registry, value_offer

PINNED = {"marginal_tax_rate": "25%", "utilization": "100%"}


def value(data: dict[str, Any], **assumptions: Any) -> Valuation:
    data = {**data, "assumptions": {**PINNED, **assumptions}}
    return value_offer(build_offer(data, default_registry()))


def D(text: str) -> Decimal:
    return Decimal(text)


def cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"))


def test_cash_only() -> None:
    """Base 120k + 10% bonus + 20k sign-on: year 1 = 120,000 + 12,000 + 20,000 = 152,000; year 2 = 132,000;
    advertised and cash-equivalent agree, and nothing is lost by leaving after the clawback."""
    v = value({"salary": {"base": "120k"}, "bonus": {"target": "10%"}, "sign_on": {"amount": "20k"}}, tenure_months=24)
    assert [y.cash_equivalent_tc for y in v.years] == [D("152000"), D("132000")]
    assert [y.advertised_tc for y in v.years] == [D("152000"), D("132000")]
    assert v.headline.gap_year1 == 0
    assert v.leave_at(13).total == 0


def test_rsu_with_one_year_cliff_leaving_at_11_12_13() -> None:
    """480k RSU over 4 years, 1-year cliff, monthly: leave after month 11 → all 480,000 unvested; after 12 →
    480,000 × 36/48 = 360,000; after 13 → 480,000 × 35/48 = 350,000. Year 1 vests 120,000."""
    v = value({"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "480k"}]})
    assert [v.leave_at(m).equity_unvested for m in (11, 12, 13)] == [D("480000"), D("360000"), D("350000")]
    assert v.year(1).equity == D("120000") and v.year(1).equity_advertised == D("120000")


def test_back_loaded_5_15_40_40() -> None:
    """400k on 5/15/40/40: vests 20,000 / 60,000 / 160,000 / 160,000 while advertised says 100,000 a year.
    After month 18 the vested share is (5×12 + 15×6)/1200 = 12.5%, so 350,000 is still unvested."""
    v = value(
        {"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "400k", "schedule": "5/15/40/40"}]}
    )
    assert [y.equity for y in v.years] == [D("20000"), D("60000"), D("160000"), D("160000")]
    assert all(y.equity_advertised == D("100000") for y in v.years)
    assert v.leave_at(18).equity_unvested == D("350000")


def test_prorated_and_full_clawback() -> None:
    """24k sign-on, 12-month clawback. Prorated: after month 3 repay 24,000 × 9/12 = 18,000. Full: 24,000 until
    month 12, then nothing."""
    base = {"salary": {"base": "100k"}}
    prorated = value({**base, "sign_on": {"amount": "24k", "clawback_months": 12, "clawback": "prorated"}})
    full = value({**base, "sign_on": {"amount": "24k", "clawback_months": 12, "clawback": "full"}})
    assert prorated.leave_at(3).sign_on_repayment == D("18000")
    assert full.leave_at(3).sign_on_repayment == D("24000")
    assert full.leave_at(11).sign_on_repayment == D("24000") and full.leave_at(12).sign_on_repayment == 0


def test_dollar_grant_keeps_face_token_grant_deflates() -> None:
    """Yearly 12k dollars vs 1B tokens at $2 per million (face 2,000) with 50% token deflation: the dollar grant
    has face 12,000 every year; the token grant 2,000 in year 1 and 1,000 in year 2. Fully personal, untaxed:
    cash-equivalent = 12,000 / (1 − 25%) = 16,000."""
    grant = {"personal_use": True, "work_required": "0%", "tax_treatment": "excluded"}
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [{"amount": "12k", **grant}, {"tokens": "1B", "model": "gpt-5", "unit_price": "2", **grant}],
        },
        token_deflation="50%",
    )
    dollars, tokens = v.grants
    assert [y.face for y in dollars.years[:2]] == [D("12000"), D("12000")]
    assert [y.face for y in tokens.years[:2]] == [D("2000"), D("1000")]
    assert tokens.years[1].deflation_loss == D("1000")
    assert dollars.years[0].cash_equivalent == D("16000")


def test_work_required_taxable_credits_are_worth_less_than_nothing() -> None:
    """10k a year, 100% needed for work, taxed at fair value: personal value 0, tax 2,500, net −2,500,
    cash-equivalent −2,500 / 0.75 = −3,333.33; the gross-up that would cover the tax is 3,333.33."""
    v = value(
        {"salary": {"base": "100k"}, "compute": [{"amount": "10k", "personal_use": True, "work_required": "100%"}]}
    )
    year = v.grants[0].years[0]
    assert (year.personal_value, year.tax, year.net_benefit) == (0, D("2500"), D("-2500"))
    assert cents(year.cash_equivalent) == D("-3333.33") and cents(year.gross_up) == D("3333.33")
    assert v.year(1).cash_equivalent_tc < v.year(1).cash


def test_working_condition_excludes_the_work_share_from_tax() -> None:
    """10k, 60% work, working-condition: personal = 10,000 × 40% = 4,000; tax = 10,000 × 40% × 25% = 1,000;
    net 3,000; cash-equivalent 3,000 / 0.75 = 4,000."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [
                {"amount": "10k", "personal_use": True, "work_required": "60%", "tax_treatment": "working-condition"}
            ],
        }
    )
    year = v.grants[0].years[0]
    assert (year.personal_value, year.tax, year.net_benefit, year.cash_equivalent) == (
        D("4000"),
        D("1000"),
        D("3000"),
        D("4000"),
    )


def test_options_with_stage_discount_and_exercise_cost() -> None:
    """10,000 options, strike 1, preferred 5, seed-a (70% off): value 40,000, cash-equivalent 12,000; year 1
    vests 3,000 (advertised 10,000). After month 12: 30,000 unvested + exercising 2,500 vested at 1 = 32,500."""
    v = value(
        {
            "salary": {"base": "100k"},
            "equity": [{"kind": "option", "shares": 10000, "strike": "1", "preferred_price": "5", "stage": "seed-a"}],
        }
    )
    assert v.equity[0].value_advertised == D("40000") and v.equity[0].value_cash_equivalent == D("12000")
    assert v.year(1).equity == D("3000") and v.year(1).equity_advertised == D("10000")
    leave = v.leave_at(12)
    assert (leave.equity_unvested, leave.option_exercise_cost, leave.total) == (D("30000"), D("2500"), D("32500"))


def test_rollover_tail_and_cash_in_cost_to_leave() -> None:
    """12k yearly, expiring after 12 months, fully personal, 50% spent. Forfeit with rollover: after month 6 the
    unspent 6,000 × 6/12 = 3,000 is lost; after 12, the rolled-over 6,000; after 18, 3,000 + 6,000 = 9,000.
    A 3-month tail loses only what can't be spent in time: 6,000 × (6 − 3)/12 = 1,500. Cash loses nothing."""
    grant = {"amount": "12k", "personal_use": True, "work_required": "0%", "expiry_months": 12}
    base = {"salary": {"base": "100k"}}
    rolled = value({**base, "compute": [{**grant, "rollover": True}]}, utilization="50%")
    assert [rolled.leave_at(m).compute_forfeited for m in (6, 12, 18)] == [D("3000"), D("6000"), D("9000")]
    tail = value({**base, "compute": [{**grant, "on_departure": "tail", "tail_months": 3}]}, utilization="50%")
    assert tail.leave_at(6).compute_forfeited == D("1500")
    cash = value({**base, "compute": [{**grant, "on_departure": "cash"}]}, utilization="50%")
    assert all(c.compute_forfeited == 0 for c in cash.cost_to_leave)


def test_a_30_month_horizon_prorates_the_last_year() -> None:
    """Tenure 30 months: three years, the last of 6 months, so base 120k gives 120,000, 120,000, 60,000, and the
    month-by-month curve ends at 300,000."""
    v = value({"salary": {"base": "120k"}}, tenure_months=30)
    assert [(y.months, y.base) for y in v.years] == [(12, D("120000")), (12, D("120000")), (6, D("60000"))]
    assert len(v.months) == 30 and v.months[-1].cash_equivalent == D("300000")
