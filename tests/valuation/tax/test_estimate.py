"""The rate estimated from an offer: year-1 pay, levels, unknown state, jurisdictions, and the headline line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from prompts import Renderer
from valuation import Layer, OfferError, Reason, build_offer, default_registry, value_offer
from valuation.advisor.facts import Facts
from valuation.assumptions import AssumptionUsed
from valuation.offer import Assumptions
from valuation.result import Valuation

REGISTRY = default_registry()
D = Decimal


def offer(**assumptions: Any) -> dict[str, Any]:
    return {
        "salary": {"base": "250k"},
        "compute": [{"amount": "20k", "personal_use": True}],
        "assumptions": assumptions,
    }


def valued(data: dict[str, Any], layers: tuple[Layer, ...] = ()) -> Valuation:
    return value_offer(build_offer(data, REGISTRY), REGISTRY, layers, traces=False)


def rate(v: Valuation) -> AssumptionUsed:
    return next(a for a in v.assumptions if a.name == "marginal_tax_rate")


def test_texas_california_and_no_state_at_250k_single() -> None:
    """$250k single: federal 32% (taxable 233,900) + Medicare 1.45% + 0.9% (SS stopped at $184,500) = 34.35% in
    Texas; + CA 9.3% + SDI 1.3% = 44.95% in California; no state: low 34.35% (a no-tax state), high 44.95%
    (California is the highest at this pay), base the median state (West Virginia's 4.58% → 38.93%)."""
    assert rate(valued(offer(state="TX"))).value.base == D("0.3435")
    assert rate(valued(offer(state="CA"))).value.base == D("0.4495")
    unknown = rate(valued(offer()))
    assert unknown.value is not None and unknown.estimate is not None
    assert (unknown.value.low, unknown.value.base, unknown.value.high) == (D("0.3435"), D("0.3893"), D("0.4495"))
    assert (unknown.estimate.low_state, unknown.estimate.median_state, unknown.estimate.high_state) == (
        "AK",
        "WV",
        "CA",
    )


def test_married_joint_in_california() -> None:
    """$250k joint in CA: taxable 217,800 → 24%; Additional Medicare from $250,000 applies (+0.9%); CA joint 9.3%
    (from $145,448) + SDI 1.3%: 24 + 1.45 + 0.9 + 9.3 + 1.3 = 36.95%."""
    assert rate(valued(offer(state="ca", filing_status="married-joint"))).value.base == D("0.3695")


def test_year1_pay_counts_bonus_sign_on_and_rsus_vesting_in_year_one() -> None:
    """Base 150k + 10% bonus 15k + sign-on 20k + 400k RSUs over 4 years with a 1-year cliff (25% = 100k vests at
    month 12) = 285k; options are left out."""
    data = offer(state="TX")
    data["salary"] = {"base": "150k"}
    data.update(bonus={"target": "10%"}, sign_on={"amount": "20k"})
    data["equity"] = [
        {"kind": "rsu", "grant_value": "400k"},
        {"kind": "option", "shares": "10k", "strike": "1", "preferred_price": "5"},
    ]
    estimate = rate(valued(data)).estimate
    assert estimate is not None and estimate.pay == D("285000")


def test_a_given_rate_overrides_the_estimate_at_any_level() -> None:
    """A personal 30% rate wins over the estimate even when the offer names a state; the profile is kept."""
    used = rate(valued(offer(state="CA"), (Layer("personal", Assumptions(marginal_tax_rate=D("0.30"))),)))
    assert used.value is not None and used.value.base == D("0.30") and used.estimate is None
    assert used.level == "personal" and used.profile is not None and used.profile.state == "CA"


def test_state_comes_from_the_first_level_that_gives_it() -> None:
    """A server's default state applies when neither the offer nor the person names one; a personal one wins."""
    server = Layer("server", Assumptions(state="NY"))
    personal = Layer("personal", Assumptions(state="TX"))
    assert rate(valued(offer(), (server,))).estimate.state == "NY"  # type: ignore[union-attr]
    both = rate(valued(offer(), (server, personal))).estimate
    assert both is not None and both.state == "TX" and both.state_level == "personal"


def test_uk_and_germany_use_their_own_schedules_whatever_the_currency_name() -> None:
    """jurisdiction decides the schedule: £110k in the UK → 62%; a USD offer in the UK is refused (no conversion
    to pounds); the US stays the default for a GBP offer (converted with usd_rate)."""
    uk = offer(jurisdiction="UK")
    uk.update(currency="GBP", salary={"base": "110k"})
    v = valued(uk)
    assert rate(v).value.base == D("0.62") and v.tax_jurisdiction == "UK"  # type: ignore[union-attr]
    with pytest.raises(OfferError) as caught:
        valued(offer(jurisdiction="UK"))
    assert caught.value.first.reason is Reason.NEEDS_TAX_RATE
    gbp_us = offer(state="TX", usd_rate="0.80")
    gbp_us.update(currency="GBP", salary={"base": "200k"})
    # £200k / 0.80 = $250k → 34.35% in Texas.
    assert rate(valued(gbp_us)).value.base == D("0.3435")  # type: ignore[union-attr]


def test_other_jurisdiction_needs_a_rate_and_marks_the_valuation() -> None:
    """jurisdiction = "other" without marginal_tax_rate is refused naming that field; with one, the valuation
    carries "other" so the advice can turn US rules off."""
    with pytest.raises(OfferError) as caught:
        build_offer(offer(jurisdiction="other"), REGISTRY)
    assert caught.value.first.reason is Reason.NEEDS_TAX_RATE
    assert caught.value.first.field == "assumptions.marginal_tax_rate"
    v = valued(offer(jurisdiction="other", marginal_tax_rate="30%"))
    assert v.tax_jurisdiction == "other" and rate(v).value.base == D("0.30")  # type: ignore[union-attr]


def test_an_unknown_state_is_refused_with_an_example() -> None:
    """state = "XX" is refused as not a US state, with "CA" as the example."""
    with pytest.raises(OfferError) as caught:
        build_offer(offer(state="XX"), REGISTRY)
    problem = caught.value.first
    assert (problem.field, problem.reason, problem.example) == ("assumptions.state", Reason.UNKNOWN_STATE, '"CA"')


def test_negative_deflation_is_a_price_rise() -> None:
    """gpu_deflation = "-20%" is accepted: 100 H100 hours at $3 rise to 3 × 1.2 = $3.60 an hour in year 2."""
    data = {
        "salary": {"base": "200k"},
        "compute": [{"gpu_hours": "100", "gpu": "h100", "unit_price": "3"}],
        "assumptions": {"gpu_deflation": "-20%", "tenure_months": 24, "state": "TX"},
    }
    v = value_offer(build_offer(data, REGISTRY), REGISTRY, traces=False)
    assert [y.face for y in v.grants[0].years] == [D("300"), D("360.0")]


def test_headline_says_which_rate_and_how_to_change_it() -> None:
    """No state: the headline names the estimated base rate and its range, and says to add a state (/defaults in
    the bot, [assumptions] in the CLI); with a state given it names it."""
    renderer = Renderer()
    unknown = valued(offer())
    text = renderer.breakdown_text(unknown)
    assert "estimated **38.93% marginal rate** (range 34.35% in Alaska to 44.95% in California)" in text
    assert "no state given; add yours with `state` in [assumptions]" in text
    discord = "".join(p.embeds[0].description or "" for p in renderer.breakdown_discord(unknown) if p.embeds)
    assert "add yours with `/defaults set state`" in discord
    assert "**44.95% marginal rate** (California, single)" in renderer.breakdown_text(valued(offer(state="CA")))


def test_show_your_work_states_each_part() -> None:
    """The work lists the federal bracket with its edge, Social Security above the wage base, both Medicare parts,
    the state and its SDI."""
    text = Renderer().work_text(valued(offer(state="CA")))
    for line in (
        "Federal income tax: 32.00% (bracket from $201,775 of taxable income $233,900",
        "Social Security: 0.00% (pay is above the $184,500 wage cap)",
        "Medicare: 1.45%",
        "Additional Medicare Tax: 0.90% (pay is above $200,000)",
        "California income tax: 9.30% (bracket from $72,724)",
        "State disability insurance: 1.30%",
    ):
        assert line in text, line


def test_the_advisors_what_ifs_keep_the_state_from_personal_defaults() -> None:
    """A what-if valuation keeps the person's state and filing status from their defaults: the same offer revalued
    is estimated at CA married-joint's 36.95%, not the no-state 38.93%."""
    built = build_offer(offer(), REGISTRY)
    layer = Layer("personal", Assumptions(state="CA", filing_status="married-joint"))
    v = value_offer(built, REGISTRY, (layer,), traces=False)
    assert rate(v).value.base == D("0.3695")  # type: ignore[union-attr]
    again = Facts(built, v, REGISTRY).revalue(built)
    assert rate(again).value.base == D("0.3695")  # type: ignore[union-attr]


def test_headline_names_the_uk_schedule_and_a_given_rate() -> None:
    """UK £110k: "62.00% marginal rate (UK 2026/27, …)" and how to change it; a rate from the offer file is named
    as such."""
    uk = offer(jurisdiction="UK")
    uk.update(currency="GBP", salary={"base": "110k"})
    text = Renderer().breakdown_text(valued(uk))
    assert "**62.00% marginal rate** (UK 2026/27, England, Wales and Northern Ireland bands)" in text
    assert "change it with `jurisdiction` or `marginal_tax_rate` in [assumptions]" in text
    given = Renderer().breakdown_text(valued(offer(marginal_tax_rate="30%")))
    assert "Tax figures use the **30.00% marginal rate** from your offer file." in given


def test_a_non_usd_offer_taxed_in_the_us_without_a_usd_rate_is_refused_not_converted_one_to_one() -> None:
    """A yen offer taxed in the US (the default) with no usd_rate asks for a rate instead of reading ¥27M as $27M
    (which would put it in the 37% bracket); with usd_rate = 150 the same pay is $180,000: in Texas 24% federal
    (taxable $180,000 − $16,100 = $163,900, inside the 24% bracket) + 6.2% Social Security (below the $184,500
    wage base) + 1.45% Medicare = 31.65%."""
    yen = {"currency": "JPY", "salary": {"base": "¥27,000,000"}, "assumptions": {"state": "TX"}}
    with pytest.raises(OfferError) as caught:
        valued(yen)
    problem = caught.value.first
    assert (problem.field, problem.reason, problem.example) == (
        "assumptions.usd_rate",
        Reason.PAY_NEEDS_USD_RATE,
        '"150"',
    )
    yen["assumptions"] = {"state": "TX", "usd_rate": "150"}
    assert rate(valued(yen)).value.base == D("0.3165")  # type: ignore[union-attr]


def test_the_remembered_state_ranking_gives_what_a_cold_one_gives() -> None:
    """The no-state range is remembered per stretch of pay between two states' edges: a valuation after others at
    equal-but-differently written pay (250k, 250000.00) serialises byte for byte as one run with nothing remembered,
    and the range is the hand-derived one above (34.35% in Alaska to 44.95% in California, West Virginia's 38.93% in
    the middle)."""
    from valuation import to_plain  # noqa: PLC0415
    from valuation.tax import estimate as module  # noqa: PLC0415

    written = {"salary": {"base": "250000.00"}, "compute": [{"amount": "20k", "personal_use": True}]}
    module._ranges.clear()
    cold = to_plain(valued(written))
    valued(offer())  # 250k: the same pay, written differently
    warm = to_plain(valued(written))
    assert warm == cold
    unknown = rate(valued(written))
    assert unknown.value is not None
    assert (unknown.value.low, unknown.value.base, unknown.value.high) == (D("0.3435"), D("0.3893"), D("0.4495"))


def test_the_state_range_remembered_per_stretch_of_pay_is_the_one_computed_afresh() -> None:
    """Every state's part changes only where pay reaches one of its bracket edges or wage caps. At each edge, a cent
    below it and halfway to the next (both filing statuses), the remembered range (warmed by every other pay first,
    so each lookup can hit an entry another pay made) equals the fifty-one states ranked afresh at that pay; and the
    range does change somewhere, so the stretches are not all one."""
    from valuation.tax import estimate as module  # noqa: PLC0415
    from valuation.tax.schedules import us_state  # noqa: PLC0415

    us = REGISTRY.tax.us
    for status in ("single", "married-joint"):
        edges = module.state_edges(us, status)
        assert list(edges) == sorted(set(edges)) and len(edges) > 50
        pays = [D(0), D("1e7")]
        for edge, after in zip(edges, [*edges[1:], edges[-1] * 2], strict=True):
            pays += [edge, edge - D("0.01"), (edge + after) / 2]
        for pay in pays:
            module._state_range(us, pay, status)
        seen = set()
        for pay in reversed(pays):
            ranked = sorted((module._total(us_state(s, pay, status)), code) for code, s in us.states.items())
            fresh = (ranked[0], ranked[len(ranked) // 2], ranked[-1])
            assert module._state_range(us, pay, status) == fresh, (status, pay)
            seen.add(fresh)
        assert len(seen) > 10
