"""Hand-worked valuations: each docstring carries the arithmetic the figures must match.

Every offer pins the uncertain inputs (tax rate, utilization, deflation, employer-cost ratio, tenure) so the
numbers are exact and the low, base and high scenarios agree.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from valuation import Valuation, build_offer, default_registry, load_offer, value_offer
from valuation.serialize import money

PINNED: dict[str, Any] = {
    "marginal_tax_rate": "25%",
    "utilization": "100%",
    "token_deflation": "50%",
    "gpu_deflation": "30%",
    "employer_cost_ratio": "50%",
    "tenure_months": 48,
}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def value(data: dict[str, Any], **assumptions: Any) -> Valuation:
    """Value plain offer data with the pinned assumptions, any of them replaced by ``assumptions``."""
    return value_offer(build_offer({**data, "assumptions": {**PINNED, **assumptions}}, default_registry()))


def D(text: str) -> Decimal:
    return Decimal(text)


PERSONAL = {"personal_use": True, "work_required": "0%", "tax_treatment": "excluded"}


def test_cash_only_years_months_and_nothing_to_leave() -> None:
    """Base 120,000 + 10% bonus + 20,000 sign-on (no clawback) over 24 months: year 1 = 120,000 + 12,000 + 20,000
    = 152,000; year 2 = 132,000. Month 1 cumulative = 10,000 + 1,000 + 20,000 = 31,000; month 24 = 284,000.
    Advertised equals cash-equivalent and leaving costs nothing."""
    v = value({"salary": {"base": "120k"}, "bonus": {"target": "10%"}, "sign_on": {"amount": "20k"}}, tenure_months=24)
    assert [(y.base, y.bonus, y.sign_on) for y in v.years] == [
        (D("120000"), D("12000"), D("20000")),
        (D("120000"), D("12000"), D("0")),
    ]
    assert [y.cash_equivalent_tc for y in v.years] == [D("152000"), D("132000")]
    assert [y.advertised_tc for y in v.years] == [D("152000"), D("132000")]
    assert v.months[0].cash_equivalent == D("31000") and v.months[-1].cash_equivalent == D("284000")
    assert len(v.months) == 24 and v.headline.gap_year1 == 0
    assert all(row.total == 0 for row in v.cost_to_leave)


def test_bonus_as_amount() -> None:
    """A bonus target of 25,000 is a yearly amount, not a share: year 1 cash = 100,000 + 25,000 = 125,000."""
    v = value({"salary": {"base": "100k"}, "bonus": {"target": "25k"}}, tenure_months=12)
    assert v.year(1).bonus == D("25000") and v.year(1).cash == D("125000")


def test_rsu_with_one_year_cliff_leaving_at_months_11_12_13() -> None:
    """480,000 of RSUs over 4 years, 1-year cliff, monthly: leaving after month 11 loses all 480,000; after 12,
    480,000 × 36/48 = 360,000; after 13, 480,000 × 35/48 = 350,000. Each year vests 120,000 = 480,000 / 4,
    which is also the advertised figure."""
    v = value({"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "480k"}]})
    assert [v.leave_at(m).equity_unvested for m in (11, 12, 13)] == [D("480000"), D("360000"), D("350000")]
    assert [y.equity for y in v.years] == [D("120000")] * 4
    assert [y.equity_advertised for y in v.years] == [D("120000")] * 4
    assert v.leave_at(48).equity_unvested == 0
    assert v.equity[0].first_year_share == D("0.25")


def test_cliff_vests_everything_accrued_at_once() -> None:
    """Month by month, the cliff holds back 11 months of 10,000 and releases 120,000 in month 12: cumulative
    cash-equivalent is base only (5,000 a month) until month 11 = 55,000, then 60,000 + 120,000 = 180,000."""
    v = value({"salary": {"base": "60k"}, "equity": [{"kind": "rsu", "grant_value": "480k"}]})
    assert v.months[10].cash_equivalent == D("55000")
    assert v.months[11].cash_equivalent == D("180000")
    assert v.months[12].cash_equivalent == D("195000")  # + 5,000 base + 10,000 vesting


def test_quarterly_vests_at_quarter_ends() -> None:
    """480,000 quarterly after a 12-month cliff: after month 13 the vested share is 12/48 (unvested 360,000);
    after month 15 it is 15/48 (unvested 330,000)."""
    v = value({"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "480k", "schedule": "quarterly"}]})
    assert [v.leave_at(m).equity_unvested for m in (12, 13, 14, 15)] == [
        D("360000"),
        D("360000"),
        D("360000"),
        D("330000"),
    ]


def test_back_loaded_5_15_40_40() -> None:
    """400,000 on 5/15/40/40 with a 1-year cliff: vests 20,000 / 60,000 / 160,000 / 160,000 while the advertised
    figure is 100,000 a year. After month 18 the vested share is (5 × 12 + 15 × 6) / 1200 = 12.5%, so 350,000 is
    unvested; after month 11 all 400,000; after 12, 380,000."""
    v = value(
        {"salary": {"base": "100k"}, "equity": [{"kind": "rsu", "grant_value": "400k", "schedule": "5/15/40/40"}]}
    )
    assert [y.equity for y in v.years] == [D("20000"), D("60000"), D("160000"), D("160000")]
    assert all(y.equity_advertised == D("100000") for y in v.years)
    assert [v.leave_at(m).equity_unvested for m in (11, 12, 18)] == [D("400000"), D("380000"), D("350000")]


def test_prorated_full_and_no_clawback() -> None:
    """24,000 sign-on with a 12-month clawback. Prorated: leaving after month 3 repays 24,000 × 9/12 = 18,000,
    after month 12 nothing. Full: 24,000 after months 3 and 11, nothing after 12. None: never anything."""
    base = {"salary": {"base": "100k"}}

    def sign_on(kind: str) -> Valuation:
        return value({**base, "sign_on": {"amount": "24k", "clawback_months": 12, "clawback": kind}})

    prorated, full, none = sign_on("prorated"), sign_on("full"), sign_on("none")
    assert [prorated.leave_at(m).sign_on_repayment for m in (1, 3, 11, 12)] == [
        D("22000"),
        D("18000"),
        D("2000"),
        D("0"),
    ]
    assert [full.leave_at(m).sign_on_repayment for m in (1, 3, 11, 12)] == [D("24000")] * 3 + [D("0")]
    assert all(row.sign_on_repayment == 0 for row in none.cost_to_leave)


def test_dollar_grant_keeps_face_token_grant_deflates() -> None:
    """Yearly 12,000 dollars vs 1B tokens at 2 per million (face 2,000) with 50% token deflation: the dollar grant
    has face 12,000 every year; the token grant 2,000, 1,000, 500, 250, so its deflation loss in year 2 is
    2,000 − 1,000 = 1,000. Employer cost at 50%: 6,000 and 1,000 / 500. Fully personal and untaxed, the dollar
    grant's cash-equivalent is 12,000 / (1 − 25%) = 16,000 a year."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [
                {"amount": "12k", **PERSONAL},
                {"tokens": "1B", "model": "gpt-5", "unit_price": "2", **PERSONAL},
            ],
        }
    )
    dollars, tokens = v.grants
    assert [y.face for y in dollars.years] == [D("12000")] * 4
    assert [y.face for y in tokens.years] == [D("2000"), D("1000"), D("500"), D("250")]
    assert [y.face_today for y in tokens.years] == [D("2000")] * 4
    assert tokens.years[1].deflation_loss == D("1000")
    assert [dollars.years[0].employer_cost, tokens.years[0].employer_cost, tokens.years[1].employer_cost] == [
        D("6000"),
        D("1000"),
        D("500"),
    ]
    assert dollars.years[0].cash_equivalent == D("16000")
    assert tokens.total.face == D("3750") and tokens.price_source == "offer"


def test_registry_token_price_blends_input_and_output() -> None:
    """100M Claude Sonnet 4.5 tokens at the registry's 75% input blend: (3.00 × 0.75 + 15.00 × 0.25) / 1M =
    0.000006 a token, so the face is 600 in year 1 and, at 50% deflation, 300 in year 2."""
    v = value({"salary": {"base": "100k"}, "compute": [{"tokens": "100M", "model": "claude-sonnet-4.5"}]})
    grant = v.grants[0]
    assert grant.unit_price == D("0.000006") and grant.price_source == "registry"
    assert [y.face for y in grant.years[:2]] == [D("600"), D("300")]


def test_gpu_hours_deflate_like_tokens() -> None:
    """1,000 GPU-hours a year at 2.50 with 30% GPU deflation: face 2,500 then 2,500 × 0.7 = 1,750, then 1,225."""
    v = value({"salary": {"base": "100k"}, "compute": [{"gpu_hours": 1000, "gpu": "h100", "unit_price": "2.50"}]})
    assert [y.face for y in v.grants[0].years[:3]] == [D("2500"), D("1750"), D("1225")]


def test_work_only_taxable_credits_have_negative_cash_equivalent() -> None:
    """10,000 a year of credits, 100% needed for work, taxed at fair market value at 25%: personal value 0,
    tax 2,500, net −2,500, cash-equivalent −2,500 / 0.75 = −3,333.33; gross-up 2,500 / 0.75 = 3,333.33. Year 1
    advertised 110,000 (quoted in TC at face) but worth 100,000 − 3,333.33 = 96,666.67."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [{"amount": "10k", "personal_use": True, "work_required": "100%", "tax_treatment": "taxable"}],
        }
    )
    year = v.grants[0].years[0]
    assert (year.personal_value, year.tax, year.net_benefit) == (D("0"), D("2500"), D("-2500"))
    assert money(year.cash_equivalent) == "-3333.33" and money(year.gross_up) == "3333.33"
    assert v.year(1).advertised_tc == D("110000")
    assert money(v.year(1).cash_equivalent_tc) == "96666.67"


def test_no_personal_use_is_worth_nothing_but_tax() -> None:
    """Without personal use the personal value is 0 whatever the work share: 10,000 taxable at 25% is −2,500 net."""
    grant = {"amount": "10k", "work_required": "0%", "tax_treatment": "taxable"}
    v = value({"salary": {"base": "100k"}, "compute": [grant]})
    assert v.grants[0].years[0].personal_value == 0 and v.grants[0].years[0].net_benefit == D("-2500")


def test_working_condition_without_personal_use_taxes_nothing() -> None:
    """Working-condition treatment taxes only what is yours to use; credits that may not be used personally leave
    nothing taxable: 10,000 with 50% for work, no personal use → tax 0, net 0 (it used to tax 10,000 × 50% × 25% =
    1,250, on credits that cannot be spent on anything of yours)."""
    grant = {"amount": "10k", "work_required": "50%", "tax_treatment": "working-condition"}
    year = value({"salary": {"base": "100k"}, "compute": [grant]}).grants[0].years[0]
    assert (year.tax, year.net_benefit, year.cash_equivalent) == (D("0"), D("0"), D("0"))


def test_unstated_tax_treatment_is_a_range_not_the_worst_case() -> None:
    """12,000 a year, personal use, 50% for work, treatment unstated, 25% tax, full utilization: personal value
    12,000 × 0.5 = 6,000. Low (taxable at fair value): tax 3,000, net 3,000, cash-equivalent 3,000 / 0.75 = 4,000.
    Base (working-condition: only the personal half taxed): tax 1,500, net 4,500 → 6,000. High (excluded): net 6,000
    → 8,000. Over 48 months: 16,000 / 24,000 / 32,000. The result says the treatment was assumed (and which one the
    base applies); a stated treatment is not listed and fixes all three scenarios. The work share is not listed as
    assumed for credits stated to be for work only, where it changes nothing."""
    unstated = {"amount": "12k", "personal_use": True, "work_required": "50%"}
    v = value({"salary": {"base": "100k"}, "compute": [unstated]})
    grant = v.grants[0]
    assert [grant.scenarios[s].cash_equivalent for s in ("low", "base", "high")] == [
        D("16000"),
        D("24000"),
        D("32000"),
    ]
    assert grant.years[0].tax == D("1500") and grant.taxable_share == D("0.5")
    assert grant.tax_treatment == "working-condition"
    assert grant.assumed == ("cadence", "expiry_months", "rollover", "on_departure", "tax_treatment")
    stated = value({"salary": {"base": "100k"}, "compute": [{**unstated, "tax_treatment": "taxable"}]}).grants[0]
    assert [stated.scenarios[s].cash_equivalent for s in ("low", "base", "high")] == [D("16000")] * 3
    assert "tax_treatment" not in stated.assumed and stated.tax_treatment == "taxable"
    work_only = value({"salary": {"base": "100k"}, "compute": [{"amount": "12k", "personal_use": False}]}).grants[0]
    assert "work_required" not in work_only.assumed  # moot: nothing is yours to use


def test_working_condition_tax_excludes_the_work_share() -> None:
    """10,000 with 60% needed for work, working-condition treatment, 25% tax, full utilization: personal =
    10,000 × 0.4 × 1 = 4,000; tax = 10,000 × 0.4 × 0.25 = 1,000; net 3,000; cash-equivalent 3,000 / 0.75 = 4,000;
    gross-up 1,000 / 0.75 = 1,333.33. At 50% utilization personal is 2,000, net 1,000, cash-equivalent 1,333.33."""
    grant = {"amount": "10k", "personal_use": True, "work_required": "60%", "tax_treatment": "working-condition"}
    full = value({"salary": {"base": "100k"}, "compute": [grant]}).grants[0].years[0]
    half = value({"salary": {"base": "100k"}, "compute": [grant]}, utilization="50%").grants[0].years[0]
    assert (full.personal_value, full.tax, full.net_benefit, full.cash_equivalent) == (
        D("4000"),
        D("1000"),
        D("3000"),
        D("4000"),
    )
    assert money(full.gross_up) == "1333.33"
    assert half.personal_value == D("2000") and money(half.cash_equivalent) == "1333.33"


def test_excluded_credits_owe_no_tax() -> None:
    """Excluded credits: tax 0 and gross-up 0; 10,000 with 50% work share at 100% utilization is worth
    5,000 net, 5,000 / 0.75 = 6,666.67 as pre-tax cash."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [{"amount": "10k", "personal_use": True, "work_required": "50%", "tax_treatment": "excluded"}],
        }
    )
    year = v.grants[0].years[0]
    assert year.tax == 0 and year.gross_up == 0 and money(year.cash_equivalent) == "6666.67"


def test_options_spread_stage_discount_and_exercise_cash_apart_from_leaving() -> None:
    """48,000 options at strike 1, preferred 5, seed-stage: value 48,000 × (5 − 1) = 192,000, advertised 48,000 a
    year; cash-equivalent 192,000 × (1 − 70%) = 57,600, so year 1 vests 14,400. Leaving after month 12 costs the
    unvested 192,000 × 36/48 = 144,000; after month 13, 192,000 × 35/48 = 140,000; after month 11 all 192,000.
    Exercising is not a cost of leaving (the spread already nets the strike): keeping the vested options needs
    48,000 × 12/48 × 1 = 12,000 of cash after month 12 and 13,000 after month 13, reported on its own."""
    option = {"kind": "option", "shares": "48k", "strike": "1", "preferred_price": "5", "stage": "seed-a"}
    v = value({"salary": {"base": "100k"}, "equity": [option]})
    eq = v.equity[0]
    assert (eq.value_advertised, eq.value_cash_equivalent, eq.discount) == (D("192000"), D("57600"), D("0.70"))
    assert v.year(1).equity_advertised == D("48000") and v.year(1).equity == D("14400")
    rows = [v.leave_at(m) for m in (11, 12, 13)]
    assert [(r.equity_unvested, r.total) for r in rows] == [
        (D("192000"), D("192000")),
        (D("144000"), D("144000")),
        (D("140000"), D("140000")),
    ]
    assert [v.exercise_cash[m - 1].total for m in (11, 12, 13)] == [D("0"), D("12000"), D("13000")]
    assert not eq.underwater and eq.exercise_cash == D("48000") and v.notices == ()


def test_underwater_options_are_worth_nothing_and_need_no_exercise_cash() -> None:
    """Strike 5 above preferred 3: value max(0, 3 − 5) × shares = 0. Nobody exercises an option under water, so
    keeping them needs no cash (not 24,000 × 5 = 120,000 after month 24) and leaving costs nothing; the grant is
    flagged under water. At strike = preferred (3 = 3) the spread is 0 and it is flagged too."""
    option = {"kind": "option", "shares": "48k", "strike": "5", "preferred_price": "3", "stage": "public"}
    v = value({"salary": {"base": "100k"}, "equity": [option, {**option, "strike": "3"}]})
    assert v.equity[0].value_advertised == 0 and v.year(1).equity == 0
    assert v.exercise_cash[23].total == 0 and v.leave_at(24).total == 0
    assert [(e.underwater, e.exercise_cash) for e in v.equity] == [(True, D("0")), (True, D("0"))]
    assert [(n.id, n.index) for n in v.notices] == [("option-underwater", 0), ("option-underwater", 1)]


def test_forfeit_tail_and_cash_in_cost_to_leave() -> None:
    """A yearly 12,000 tranche expiring after 12 months, fully personal, spent evenly (1,000 a month). Forfeit:
    leaving after month 1 loses 11,000, after 11 loses 1,000, after 12 nothing (the next tranche lands in 13,
    after which 11,000 again). A 3-month tail spends three more months: after month 1 loses 11,000 − 3,000 =
    8,000, after month 8 loses 1,000, after month 9 nothing. Cash on departure forfeits nothing."""

    def leaving(**terms: Any) -> list[Decimal]:
        grant = {"amount": "12k", "cadence": "yearly", "expiry_months": 12, **PERSONAL, **terms}
        v = value({"salary": {"base": "100k"}, "compute": [grant]}, tenure_months=24)
        return [v.leave_at(m).compute_forfeited for m in (1, 8, 9, 11, 12, 13)]

    assert leaving(on_departure="forfeit") == [D(x) for x in ("11000", "4000", "3000", "1000", "0", "11000")]
    assert leaving(on_departure="tail", tail_months=3) == [D(x) for x in ("8000", "1000", "0", "0", "0", "8000")]
    assert leaving(on_departure="cash") == [D("0")] * 6


def test_rollover_carries_the_unspent_rest_into_cost_to_leave() -> None:
    """12,000 a year, fully personal, 50% utilization: 6,000 is spent evenly over each tranche's 12 months and
    6,000 is left. Without rollover it expires (expected forfeiture 6,000 a year) and leaving after month 12 costs
    nothing; with rollover it carries: after month 12 leaving loses the 6,000 carried, after month 13 the new
    tranche's unspent 5,500 plus 6,000 = 11,500, after month 24 12,000, after month 36 18,000."""
    grant = {"amount": "12k", "cadence": "yearly", "expiry_months": 12, **PERSONAL}
    offer = {"salary": {"base": "100k"}}
    expiring = value({**offer, "compute": [grant]}, utilization="50%", tenure_months=36)
    rolling = value({**offer, "compute": [{**grant, "rollover": True}]}, utilization="50%", tenure_months=36)
    assert expiring.grants[0].years[0].expected_forfeiture == D("6000")
    assert rolling.grants[0].years[0].expected_forfeiture == 0
    assert expiring.leave_at(12).compute_forfeited == 0
    assert [rolling.leave_at(m).compute_forfeited for m in (1, 12, 13, 24, 36)] == [
        D("5500"),
        D("6000"),
        D("11500"),
        D("12000"),
        D("18000"),
    ]
    assert rolling.grants[0].max_forfeit_on_leaving == D("18000")


def test_rollover_with_a_tail_still_loses_the_rolled_over_balance() -> None:
    """The issue's repro: 12,000 a year, rollover, 3-month tail, fully personal, 50% utilization, 36 months. Each
    tranche's spendable 6,000 is spent at 500 a month over its 12 months; the other 6,000 rolls over, and your pace
    never spends it, so the tail cannot save it. After month 12: the rolled 6,000. After month 13: 6,000 rolled +
    the new tranche's 5,500 unspent less 3 tail months × 500 = 4,000 → 10,000. After 24: 12,000; after 36: 18,000.
    (Before, the balance counted only with on_departure = "forfeit": 0 / 4,000 / 0 / 0.)"""
    grant = {"amount": "12k", "rollover": True, "on_departure": "tail", "tail_months": 3, **PERSONAL}
    v = value({"salary": {"base": "100k"}, "compute": [grant]}, utilization="50%", tenure_months=36)
    assert [v.leave_at(m).compute_forfeited for m in (12, 13, 24, 36)] == [
        D("6000"),
        D("10000"),
        D("12000"),
        D("18000"),
    ]


def test_credits_that_never_expire_are_not_expected_to_expire() -> None:
    """expiry_months = 0 (never expires), no rollover, 12,000 a year fully personal at 50% utilization: the unspent
    6,000 a year stays in the account, so expected forfeiture is 0 (it used to show 6,000 a year); like a rolled-over
    balance it is lost on leaving: after month 12, 6,000; after month 13, 6,000 + 5,500 = 11,500."""
    grant = {"amount": "12k", "expiry_months": 0, **PERSONAL}
    v = value({"salary": {"base": "100k"}, "compute": [grant]}, utilization="50%", tenure_months=24)
    assert [y.expected_forfeiture for y in v.grants[0].years] == [D("0"), D("0")]
    assert [v.leave_at(m).compute_forfeited for m in (12, 13)] == [D("6000"), D("11500")]


def test_range_contains_the_base_for_a_grant_worth_less_than_nothing() -> None:
    """1B tokens at 2 per million a year (2,000), 20% personal (80% for work), taxable at 25%, utilization and token
    deflation left to their ranges (50/70/90%, 0/50/90%), 48 months. Faces over the years: at 0% deflation
    2,000 × 4 = 8,000; at 50%, 2,000 + 1,000 + 500 + 250 = 3,750; at 90%, 2,000 + 200 + 20 + 2 = 2,222.
    Cash-equivalent per face = (0.2 × u − 0.25) / 0.75: −0.2 at u 50%, −0.14667 at 70%, −0.09333 at 90%, always
    negative, so a bigger face is worse. Base: 3,750 × −0.146667 = −550.00. Low (the worse figure): u 50% and the
    bigger face, 8,000 × −0.2 = −1,600.00. High: u 90% and the smaller face, 2,222 × −0.09333 = −207.39. (Picking
    the low face for low would give a range that leaves out its own base.) Year 1 (face 2,000): −400.00 / −293.33 /
    −186.67, so year-1 worth is 99,600.00 / 99,706.67 / 99,813.33. (The token-deflation range was 30/60/90% before
    it became the fall in the cost of a capability, from 0.)"""
    grant = {
        "tokens": "1B",
        "model": "gpt-5",
        "unit_price": "2",
        "personal_use": True,
        "work_required": "80%",
        "tax_treatment": "taxable",
    }
    v = value_offer(
        build_offer(
            {
                "salary": {"base": "100k"},
                "compute": [grant],
                "assumptions": {"marginal_tax_rate": "25%", "tenure_months": 48},
            },
            default_registry(),
        )
    )
    totals = [money(v.grants[0].scenarios[s].cash_equivalent) for s in ("low", "base", "high")]
    assert totals == ["-1600.00", "-550.00", "-207.39"]
    assert [money(s.cash_equivalent_tc_year1) for s in v.scenarios] == ["99600.00", "99706.67", "99813.33"]


def test_monthly_and_one_time_tranches() -> None:
    """Monthly 1,000 lands every month: 12 tranches and face 12,000 a year; a one-time 50,000 lands in month 1
    only. Leaving the one-time grant (no expiry, 48-month horizon) after month 12 loses 50,000 × 36/48 = 37,500."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [
                {"amount": "1k", "cadence": "monthly", **PERSONAL},
                {"amount": "50k", "cadence": "one-time", "expiry_months": 0, **PERSONAL},
            ],
        }
    )
    monthly, once = v.grants
    assert [(y.tranches, y.face) for y in monthly.years] == [(12, D("12000"))] * 4
    assert [y.face for y in once.years] == [D("50000"), D("0"), D("0"), D("0")]
    assert v.leave_at(12).compute_forfeited == D("37500")


def test_thirty_month_horizon_prorates_the_last_year() -> None:
    """30 months: years of 12, 12 and 6 months. Base 120,000 → 120,000, 120,000, 60,000. 480,000 RSUs over 4 years
    advertise 120,000, 120,000 and 480,000 / 4 × 6/12 = 60,000 and vest the same; a yearly 12,000 grant lands in
    months 1, 13 and 25, but the last tranche lives 12 months of which 6 are inside the horizon, so it counts
    12,000 × 6/12 = 6,000 (this test used to expect a full 12,000: value past the horizon, which the definition
    excludes). Leaving after month 30 leaves 480,000 × 18/48 = 180,000 unvested and the 6,000 the last tranche
    had left to spend."""
    v = value(
        {
            "salary": {"base": "120k"},
            "equity": [{"kind": "rsu", "grant_value": "480k"}],
            "compute": [{"amount": "12k", **PERSONAL}],
        },
        tenure_months=30,
    )
    assert v.horizon_months == 30 and [y.months for y in v.years] == [12, 12, 6]
    assert [y.base for y in v.years] == [D("120000"), D("120000"), D("60000")]
    assert [y.equity_advertised for y in v.years] == [D("120000"), D("120000"), D("60000")]
    assert [y.equity for y in v.years] == [D("120000"), D("120000"), D("60000")]
    assert [y.compute_face for y in v.years] == [D("12000"), D("12000"), D("6000")]
    assert [y.compute_face_today for y in v.years] == [D("12000"), D("12000"), D("6000")]
    assert len(v.months) == 30 and len(v.cost_to_leave) == 30
    assert v.leave_at(30).equity_unvested == D("180000") and v.leave_at(30).compute_forfeited == D("6000")
    assert v.months[-1].cash_equivalent == v.headline.cash_equivalent_tc_horizon


def test_one_time_grant_expiring_after_the_horizon_counts_what_is_spent_inside_it() -> None:
    """A one-time 50,000 expiring after 60 months is spent evenly over 60 months; a 48-month horizon holds 48 of
    them, so it counts 50,000 × 48/60 = 40,000 (face, personal value and, fully personal at 25% tax untaxed,
    cash-equivalent 40,000 / 0.75 = 53,333.33). Leaving after month 48 forfeits the other 10,000."""
    v = value(
        {
            "salary": {"base": "100k"},
            "compute": [{"amount": "50k", "cadence": "one-time", "expiry_months": 60, **PERSONAL}],
        }
    )
    year1 = v.grants[0].years[0]
    assert (year1.face, year1.personal_value) == (D("40000"), D("40000"))
    assert money(v.grants[0].total.cash_equivalent) == "53333.33"
    assert v.leave_at(48).compute_forfeited == D("10000")


def test_advertised_counts_compute_at_todays_face_only_when_quoted() -> None:
    """Advertised TC counts a compute grant at today's face when quoted in TC: 1B tokens at 2 per million (2,000)
    add 2,000 to every year's advertised TC even as the face deflates to 1,000 in year 2; unquoted, nothing."""
    grant = {"tokens": "1B", "model": "gpt-5", "unit_price": "2"}
    quoted = value({"salary": {"base": "100k"}, "compute": [{**grant, "quoted_in_tc": True}]})
    unquoted = value({"salary": {"base": "100k"}, "compute": [{**grant, "quoted_in_tc": False}]})
    assert [y.advertised_tc for y in quoted.years[:2]] == [D("102000")] * 2
    assert [y.advertised_tc for y in unquoted.years[:2]] == [D("100000")] * 2


def test_the_readme_offer() -> None:
    """examples/acme-ai.toml: advertised year 1 = 180,000 + 27,000 + 30,000 + 100,000 + 50,000 = 387,000. The
    credits: personal 50,000 × 0.4 × 0.7 = 14,000, tax 50,000 × 32% = 16,000, net −2,000, cash-equivalent
    −2,000 / 0.68 = −2,941.18; so year 1 is worth 337,000 − 2,941.18 = 334,058.82. Leaving after month 11 costs
    400,000 unvested + 30,000 × 1/12 = 2,500 repayment + 50,000 × 0.4 × 0.7 × 1/12 = 1,166.67 of credits."""
    v = value_offer(load_offer((EXAMPLES / "acme-ai.toml").read_text(encoding="utf-8"), default_registry()))
    assert v.headline.advertised_tc_year1 == D("387000")
    assert money(v.headline.cash_equivalent_tc_year1) == "334058.82"
    assert v.headline.quoted_tc == D("450000") and v.headline.quoted_tc_mismatch
    leave = v.leave_at(11)
    assert (leave.equity_unvested, leave.sign_on_repayment) == (D("400000"), D("2500"))
    assert money(leave.compute_forfeited) == "1166.67"


def test_given_values_fix_all_three_scenarios_defaults_spread_them() -> None:
    """With every uncertain input pinned, low = base = high. Left to the built-in utilization range (50/70/90%),
    12,000 of fully personal untaxed credits at 25% tax are worth 6,000 / 8,400 / 10,800 net, i.e. 8,000 /
    11,200 / 14,400 as pre-tax cash; the low scenario takes the end that lowers the grant's value."""
    grant = {"amount": "12k", **PERSONAL}
    pinned = value({"salary": {"base": "100k"}, "compute": [grant]})
    spread = value_offer(
        build_offer(
            {"salary": {"base": "100k"}, "compute": [grant], "assumptions": {"marginal_tax_rate": "25%"}},
            default_registry(),
        )
    )
    assert len({s.cash_equivalent_tc_horizon for s in pinned.scenarios}) == 1
    assert [s.scenario for s in spread.scenarios] == ["low", "base", "high"]
    year1 = [spread.grants[0].scenarios[s].cash_equivalent / 4 for s in ("low", "base", "high")]
    assert year1 == [D("8000"), D("11200"), D("14400")]
    assert [s.compute_cash_equivalent_horizon for s in spread.scenarios] == [D("32000"), D("44800"), D("57600")]
