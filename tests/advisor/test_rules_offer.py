"""Rules about equity, the sign-on and the whole offer: hand-worked numbers, silence where they must not fire."""

from __future__ import annotations

from typing import Any

from tests.advisor.helpers import BASE_ONLY, D, advice_of, only, points, with_compute

OPTIONS = {"kind": "option", "shares": 12000, "strike": "1", "preferred_price": "5"}


def with_equity(**grant: Any) -> dict[str, Any]:
    return {**BASE_ONLY, "equity": [grant]}


# -- sign-on-for-back-loading ---------------------------------------------------------------------------------------
def test_back_loaded_schedule_asks_for_sign_on() -> None:
    """400k RSU vesting 5/15/40/40: year 1 vests 5% (threshold 25%); evening it to 1/4 takes
    400,000 × (0.25 - 0.05) = 80,000 of sign-on."""
    point = only(with_equity(kind="rsu", grant_value="400k", schedule="5/15/40/40"), "sign-on-for-back-loading")
    assert point.ask == "sign-on-for-year1"
    assert (point.numbers["year1_share"], point.numbers["even_share"]) == (D("0.05"), D("0.25"))
    assert point.numbers["sign_on"] == D("80000")
    assert point.impact_year1 == D("80000")
    assert point.source == "patio11"


def test_long_cliff_asks_for_sign_on() -> None:
    """An 18-month cliff vests nothing in year 1: sign-on 400,000 × 1/4 = 100,000."""
    point = only(with_equity(kind="rsu", grant_value="400k", cliff_months=18), "sign-on-for-back-loading")
    assert point.numbers["sign_on"] == D("100000")


def test_even_year1_is_not_back_loaded() -> None:
    """A 1-year cliff on a monthly 4-year grant vests exactly 25% in year 1: at the threshold, no point."""
    assert points(with_equity(kind="rsu", grant_value="400k"), "sign-on-for-back-loading") == []


# -- clawback-proration ---------------------------------------------------------------------------------------------
def test_full_clawback_asks_for_proration() -> None:
    """24k sign-on, full 12-month clawback: leaving after month m < 12 repays 24,000 instead of
    24,000 × (12 - m)/12; the most proration saves is 2,000 × 11 = 22,000 (month 11)."""
    point = only(
        {**BASE_ONLY, "sign_on": {"amount": "24k", "clawback_months": 12, "clawback": "full"}}, "clawback-proration"
    )
    assert point.ask == "prorated-clawback"
    assert (point.impact_year1, point.impact_horizon) == (D("22000"), D("22000"))
    assert point.scope == "sign_on"


def test_prorated_clawback_is_fine() -> None:
    """Already prorated (or no clawback period): nothing to ask."""
    assert points({**BASE_ONLY, "sign_on": {"amount": "24k", "clawback_months": 12}}, "clawback-proration") == []
    assert points({**BASE_ONLY, "sign_on": {"amount": "24k", "clawback": "full"}}, "clawback-proration") == []


# -- exercise-window ------------------------------------------------------------------------------------------------
def test_short_exercise_window_asks_for_extension() -> None:
    """12,000 options at a 1.00 strike, 90-day window: exercising what has vested costs up to
    12,000 × 0.25 × 1 = 3,000 in year 1 and 12,000 by month 48."""
    point = only(with_equity(**OPTIONS), "exercise-window", tenure_months=48)
    assert point.ask == "extended-exercise-window"
    assert point.numbers["window_days"] == 90
    assert (point.impact_year1, point.impact_horizon) == (D("3000"), D("12000"))


def test_exercise_window_longer_than_threshold_is_fine() -> None:
    """91 days is past the 90-day threshold."""
    assert points(with_equity(**OPTIONS, exercise_window_days=91), "exercise-window") == []


# -- equity-zero-test -----------------------------------------------------------------------------------------------
def test_equity_zero_test_clears_floor() -> None:
    """Options worth 12,000 × (5 - 1) = 48,000, halved for series B-C = 24,000, vesting 6,000 in year 1:
    TC 106,000, 100,000 without equity, which meets a 100k floor (and misses 100,000.01)."""
    point = only({**with_equity(**OPTIONS), "negotiation": {"floor": "100k"}}, "equity-zero-test")
    assert point.numbers["without_equity"] == D("100000")
    assert point.numbers["clears_floor"] == "yes"
    assert point.impact_year1 == D("6000")
    higher = only({**with_equity(**OPTIONS), "negotiation": {"floor": "100000.01"}}, "equity-zero-test")
    assert higher.numbers["clears_floor"] == "no"


def test_equity_zero_test_only_for_options() -> None:
    """RSUs alone are not put through the $0 test."""
    assert points(with_equity(kind="rsu", grant_value="100k"), "equity-zero-test") == []


# -- exclude-credits-from-tc ----------------------------------------------------------------------------------------
def test_exclude_credits_from_tc_restates_tc() -> None:
    """100k base + 10k credits counted in TC: restated 100,000; 10,000 / 110,000 = 9.09% is neither cash nor
    portable."""
    point = only(with_compute(), "exclude-credits-from-tc")
    assert (point.numbers["advertised_tc"], point.numbers["restated_tc"]) == (D("110000"), D("100000"))
    assert point.numbers["share"] == D("0.0909")
    assert point.impact_year1 == D("10000")


def test_exclude_credits_silent_when_not_counted() -> None:
    """Credits left out of the quoted TC need no restating."""
    assert points(with_compute(quoted_in_tc=False), "exclude-credits-from-tc") == []


# -- get-it-in-writing ----------------------------------------------------------------------------------------------
def test_get_it_in_writing_lists_unstated_terms() -> None:
    """A grant stating expiry and rollover leaves the other six terms unstated; options leave the schedule and
    window unstated; a sign-on without a clawback leaves both clawback terms."""
    data = {
        **with_compute(expiry_months=12, rollover=False),
        "equity": [{**OPTIONS, "years": 4}],
        "sign_on": {"amount": "5k"},
    }
    point = only(data, "get-it-in-writing")
    unstated = {(entry.scope, entry.index): entry.terms for entry in point.unstated}
    assert unstated[("compute", 0)] == (
        "cadence",
        "on_departure",
        "personal_use",
        "work_required",
        "tax_treatment",
        "quoted_in_tc",
    )
    assert unstated[("equity", 0)] == ("cliff_months", "schedule", "exercise_window_days")
    assert unstated[("sign_on", None)] == ("clawback_months", "clawback")
    assert point.numbers["unstated_count"] == 11


def test_get_it_in_writing_always_fires() -> None:
    """Even a salary-only offer gets the point, with nothing unstated."""
    point = only(BASE_ONLY, "get-it-in-writing")
    assert point.unstated == ()
    assert point.numbers["unstated_count"] == 0


# -- ask-for-time ---------------------------------------------------------------------------------------------------
def test_ask_for_time_at_threshold() -> None:
    """A deadline 7 days away (threshold 7) is exploding: ask for time."""
    data = {**BASE_ONLY, "negotiation": {"today": "2026-11-20", "decision_deadline": "2026-11-27"}}
    point = only(data, "ask-for-time")
    assert point.numbers == {"days_left": D(7), "threshold": D("7")}
    assert point.source == "haseeb-rules"


def test_ask_for_time_silent_past_threshold_or_without_dates() -> None:
    """8 days is enough; without today or a deadline there is nothing to judge."""
    data = {**BASE_ONLY, "negotiation": {"today": "2026-11-20", "decision_deadline": "2026-11-28"}}
    assert points(data, "ask-for-time") == []
    assert points({**BASE_ONLY, "negotiation": {"decision_deadline": "2026-11-28"}}, "ask-for-time") == []


# -- counter-on-flexible --------------------------------------------------------------------------------------------
def test_counter_on_flexible_runs_to_the_sign_on_limit() -> None:
    """10k sign-on on a 100k base, limit 25%: room to 25,000 (the offer already meets its default target)."""
    point = only({**BASE_ONLY, "sign_on": {"amount": "10k"}}, "counter-on-flexible")
    assert (point.numbers["from"], point.numbers["to"]) == (D("10000"), D("25000"))
    assert point.impact_year1 == D("15000")


def test_counter_on_flexible_follows_the_counter_offer() -> None:
    """Target 120,000 from 110,000: the composer asks 10,000 more sign-on, so the point runs 10,000 → 20,000."""
    _, _, advice = advice_of({**BASE_ONLY, "sign_on": {"amount": "10k"}}, target=D("120000"))
    point = next(p for p in advice.points if p.id == "counter-on-flexible")
    assert point.numbers["to"] == D("20000")


def test_counter_on_flexible_silent_at_the_limit() -> None:
    """A sign-on already at 25% of base leaves no room."""
    assert points({**BASE_ONLY, "sign_on": {"amount": "25k"}}, "counter-on-flexible") == []


# -- use-alternatives -----------------------------------------------------------------------------------------------
def test_use_alternatives_with_a_higher_offer() -> None:
    """A 120k competing offer against 100,000 cash-equivalent: a 20,000 gap."""
    point = only({**BASE_ONLY, "negotiation": {"competing_offer_tc": "120k"}}, "use-alternatives")
    assert point.ask == "match-competing-offer"
    assert point.numbers["gap"] == D("20000")
    assert (point.impact_year1, point.impact_horizon) == (D("20000"), D("20000"))


def test_use_alternatives_with_a_lower_offer() -> None:
    """A lower competing offer is still a lever, worth nothing in dollars."""
    point = only({**BASE_ONLY, "negotiation": {"competing_offer_tc": "90k"}}, "use-alternatives")
    assert point.ask == "mention-competing-offer"
    assert point.impact_horizon == 0
    assert points(BASE_ONLY, "use-alternatives") == []


# -- quoted-tc-mismatch ---------------------------------------------------------------------------------------------
def test_quoted_tc_mismatch() -> None:
    """Quoted 110k against a computed 100,000: 10,000 apart, beyond the 1% tolerance."""
    point = only({**BASE_ONLY, "quoted_tc": "110k"}, "quoted-tc-mismatch")
    assert point.numbers["difference"] == D("10000")
    assert point.impact_year1 == D("10000")


def test_quoted_tc_within_tolerance() -> None:
    """Quoted 100.5k is within 1% of 100,000, and 101k is exactly 1% off: not beyond the tolerance."""
    assert points({**BASE_ONLY, "quoted_tc": "100.5k"}, "quoted-tc-mismatch") == []
    assert points({**BASE_ONLY, "quoted_tc": "101k"}, "quoted-tc-mismatch") == []
