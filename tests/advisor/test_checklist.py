"""Terms to get in writing (only those that apply and are unstated or unfavourable) and warnings (only when they
apply); the competing offer compared with this offer's advertised figure."""

from __future__ import annotations

from typing import Any

from prompts import Renderer
from tests.advisor.helpers import BASE_ONLY, D, advice_of, with_compute
from valuation.advisor import Advice


def terms(advice: Advice) -> list[tuple[str, str, str]]:
    return [(t.id, t.scope, t.status) for t in advice.terms]


def warnings(data: dict[str, Any]) -> list[str]:
    return [w.id for w in advice_of(data)[2].warnings]


def test_work_only_credits_list_only_their_tax_treatment() -> None:
    """Work-only credits: nothing about leaving, expiry, rollover or personal use, only their (unstated) tax."""
    data = with_compute()
    del data["compute"][0]["tax_treatment"]  # left unstated
    _, _, advice = advice_of(data)
    assert terms(advice) == [("tax-treatment", "compute", "unstated")]


def test_personal_credits_list_unfavourable_and_unstated_terms() -> None:
    """Personal credits expiring 6 months into a 12-month window, kept only 3 months after leaving though they
    last 6, no rollover stated: each is listed, the tail as what it is."""
    data = with_compute(
        personal_use=True, on_departure="tail", tail_months=3, expiry_months=6, tax_treatment="excluded"
    )
    _, _, advice = advice_of(data)
    assert terms(advice) == [
        ("portability", "compute", "unfavourable"),
        ("expiry", "compute", "unfavourable"),
        ("rollover", "compute", "unstated"),
        ("personal-use-and-ip", "compute", "unstated"),
    ]
    portability = advice.terms[0].numbers
    # Credit life: the 6-month expiry, shorter than the 12-month spend window.
    assert (portability["tail_months"], portability["current_tail_months"]) == (D(6), D(3))


def test_a_tail_as_long_as_the_credits_last_is_not_listed() -> None:
    """Credits expiring after 1 month, kept 3 months after leaving: nothing is lost on leaving."""
    data = with_compute(personal_use=True, on_departure="tail", tail_months=3, expiry_months=1)
    assert "portability" not in [t.id for t in advice_of(data)[2].terms]


def test_good_stated_terms_are_not_listed() -> None:
    """Cash on departure, never expiring, rolling over, untaxed, vesting and clawback stated: only the IP point."""
    data = {
        **with_compute(
            personal_use=True, on_departure="cash", expiry_months=0, rollover=True, tax_treatment="excluded"
        ),
        "sign_on": {"amount": "10k", "clawback_months": 12, "clawback": "prorated"},
        "equity": [{"kind": "rsu", "grant_value": "100k", "years": 4, "cliff_months": 12, "schedule": "monthly"}],
    }
    _, _, advice = advice_of(data)
    assert terms(advice) == [("personal-use-and-ip", "compute", "unstated")]


def test_equity_and_sign_on_terms() -> None:
    """Options with a stated 90-day window (short) and unstated vesting; a full 24-month clawback."""
    option = {"kind": "option", "shares": 1000, "strike": "1", "preferred_price": "5", "exercise_window_days": 90}
    data = {**BASE_ONLY, "equity": [option], "sign_on": {"amount": "10k", "clawback_months": 24, "clawback": "full"}}
    _, _, advice = advice_of(data)
    assert terms(advice) == [
        ("vesting", "equity", "unstated"),
        ("exercise-window", "equity", "unfavourable"),
        ("clawback", "sign_on", "unfavourable"),
    ]


def test_warnings_fire_only_when_they_apply() -> None:
    """A 7-day deadline warns, an 8-day one doesn't; underwater options and back-loaded RSUs warn."""
    soon = {**BASE_ONLY, "negotiation": {"today": "2027-01-10", "decision_deadline": "2027-01-17"}}
    later = {**BASE_ONLY, "negotiation": {"today": "2027-01-10", "decision_deadline": "2027-01-18"}}
    assert warnings(soon) == ["deadline-close"] and warnings(later) == []
    underwater = {"kind": "option", "shares": 1000, "strike": "5", "preferred_price": "4"}
    assert "underwater-options" in warnings({**BASE_ONLY, "equity": [underwater]})
    back_loaded = {"kind": "rsu", "grant_value": "100k", "schedule": "5/15/40/40"}
    assert warnings({**BASE_ONLY, "equity": [back_loaded]}) == ["back-loaded"]


def test_quoted_tc_warns_only_when_above_the_terms() -> None:
    """Terms add up to 100,000: a quote of 120,000 warns (20,000 above); a quote of 80,000 is good news."""
    above = advice_of({**BASE_ONLY, "quoted_tc": "120k"})[2].warnings
    assert [(w.id, w.numbers["difference"]) for w in above] == [("quoted-tc-above", D(20000))]
    assert warnings({**BASE_ONLY, "quoted_tc": "80k"}) == []


def test_competing_offer_is_compared_with_the_advertised_figure() -> None:
    """Advertised 110,000 (100k + 10k credits), worth 96,666.67 (work-only credits: −2,500 tax / 0.75 =
    −3,333.33): a competing 108,000 is above the worth but not the advertised figure, so the email says only that there is another offer;
    a competing 115,000 is above both and is named."""
    renderer = Renderer()
    for competing, named in (("108k", False), ("115k", True)):
        _, valuation, advice = advice_of({**with_compute(), "negotiation": {"competing_offer_tc": competing}})
        assert advice.competing is not None and advice.competing.above == named
        script = renderer.script_text(advice, valuation)
        assert ("another offer at $" in script) == named
        assert ("$108,000" in script) is False
