"""Rules about compute grants: each fires with hand-worked numbers, and stays silent where it must (thresholds too).

Pinned unless a test says otherwise: 25% tax, 100% utilization, a 12-month horizon, employer cost 50% of face,
a 10k-dollar yearly grant on a 100k base.
"""

from __future__ import annotations

from tests.advisor.helpers import BASE_ONLY, PINNED, REGISTRY, D, only, points, with_compute
from valuation import Assumptions, Layer, build_offer, value_offer
from valuation.advisor import advise


# -- convert-credits-to-cash ----------------------------------------------------------------------------------------
def test_convert_credits_to_cash_range_runs_from_zero_to_employer_cost() -> None:
    """10k taxable, no personal use: cash-equivalent = (0 - 2,500) / 0.75 = -3,333.33; employer cost 5,000.

    The range runs from max(0, -3,333.33) = 0 to 5,000; getting 5,000 is worth 5,000 + 3,333.33 = 8,333.33."""
    point = only(with_compute(), "convert-credits-to-cash")
    assert point.ask == "convert-to-cash"
    assert (point.numbers["from"], point.numbers["to"]) == (D("0"), D("5000"))
    assert point.numbers["cash_equivalent"] == D("-3333.33")
    assert (point.impact_year1, point.impact_horizon) == (D("8333.33"), D("8333.33"))
    assert point.source == "fourth-pillar"


def test_convert_credits_to_cash_says_keep_when_worth_more_than_their_cost() -> None:
    """Personal, not work-required, tax-excluded: cash-equivalent = 10,000 / 0.75 = 13,333.33 > cost 5,000: keep."""
    point = only(
        with_compute(personal_use=True, work_required="0%", tax_treatment="excluded"), "convert-credits-to-cash"
    )
    assert point.ask == "keep-credits"
    assert point.numbers["cash_equivalent"] == D("13333.33")
    assert point.impact_horizon == 0


def test_convert_credits_to_cash_keeps_at_exact_equality() -> None:
    """At 37.5% utilization the cash-equivalent is 10,000 × 0.375 / 0.75 = 5,000 = the employer's cost: keep."""
    grant = with_compute(personal_use=True, work_required="0%", tax_treatment="excluded")
    assert only(grant, "convert-credits-to-cash", utilization="37.5%").ask == "keep-credits"


def test_convert_credits_to_cash_silent_without_credits() -> None:
    """No compute grant, or one worth nothing: nothing to convert."""
    assert points(BASE_ONLY, "convert-credits-to-cash") == []
    assert points(with_compute(amount="0"), "convert-credits-to-cash") == []


# -- require-portability --------------------------------------------------------------------------------------------
PORTABLE = {"amount": "12k", "personal_use": True, "work_required": "0%", "tax_treatment": "excluded"}


def test_require_portability_removes_the_forfeit_on_leaving() -> None:
    """12k a year, all personal, spent evenly over 12 months: leaving after month 1 forfeits 12,000 × 11/12 =
    11,000, the most in any month of either year; a cash-out removes all of it. Ask a 12-month tail."""
    point = only({**BASE_ONLY, "compute": [PORTABLE]}, "require-portability", tenure_months=24)
    assert point.ask == "tail-or-cash-out"
    assert point.numbers["tail_months"] == 12
    assert (point.impact_year1, point.impact_horizon) == (D("11000"), D("11000"))
    assert point.source == "open-guide"


def test_require_portability_asks_for_a_longer_tail() -> None:
    """A 3-month tail: leaving after month 1 still forfeits 12,000 × (11 - 3)/12 = 8,000."""
    grant = {**PORTABLE, "on_departure": "tail", "tail_months": 3}
    point = only({**BASE_ONLY, "compute": [grant]}, "require-portability")
    assert point.ask == "longer-tail"
    assert point.numbers["current_tail_months"] == 3
    assert point.impact_year1 == D("8000")


def test_require_portability_silent_when_grant_pays_out() -> None:
    """Credits that turn into cash on departure forfeit nothing."""
    assert points({**BASE_ONLY, "compute": [{**PORTABLE, "on_departure": "cash"}]}, "require-portability") == []


# -- work-tools-are-not-pay -----------------------------------------------------------------------------------------
def test_work_tools_fire_above_threshold() -> None:
    """60% needed for the job (threshold 50%): 10,000 × 0.6 = 6,000 of the grant is a work tool, not pay."""
    point = only(with_compute(work_required="60%"), "work-tools-are-not-pay")
    assert point.ask == "outside-compensation"
    assert (point.numbers["work_required"], point.numbers["threshold"]) == (D("0.6"), D("0.50"))
    assert point.impact_year1 == D("6000")
    assert point.source == "irs-notice-2011-72"


def test_work_tools_silent_at_threshold() -> None:
    """Exactly 50% work-required is not above the threshold."""
    assert points(with_compute(work_required="50%"), "work-tools-are-not-pay") == []


# -- tax-gross-up ---------------------------------------------------------------------------------------------------
def test_tax_gross_up_for_a_taxable_grant() -> None:
    """Taxable at face: tax = 10,000 × 25% = 2,500; gross-up = 2,500 / 0.75 = 3,333.33."""
    point = only(with_compute(), "tax-gross-up")
    assert point.ask == "gross-up-or-working-condition"
    assert (point.numbers["tax"], point.numbers["gross_up"]) == (D("2500"), D("3333.33"))
    assert point.impact_horizon == D("3333.33")
    assert point.source == "irs-pub-15b"


def test_tax_gross_up_silent_without_tax() -> None:
    """Excluded, or a working-condition grant fully needed for work: no tax, no gross-up to ask for."""
    assert points(with_compute(tax_treatment="excluded"), "tax-gross-up") == []
    assert points(with_compute(tax_treatment="working-condition", work_required="100%"), "tax-gross-up") == []


# -- dollar-denomination --------------------------------------------------------------------------------------------
def test_dollar_denomination_for_tokens() -> None:
    """100M tokens at $10/M = 1,000 a year; at 50% deflation year 2 is worth 500: the loss a dollar grant avoids
    is 0 in year 1 and 500 over two years."""
    grant = {"tokens": "100M", "model": "claude-sonnet-4.5", "unit_price": "10"}
    point = only({**BASE_ONLY, "compute": [grant]}, "dollar-denomination", tenure_months=24, token_deflation="50%")
    assert point.numbers["denomination"] == "tokens"
    assert point.numbers["face_today"] == D("1000")
    assert (point.impact_year1, point.impact_horizon) == (D("0"), D("500"))


def test_dollar_denomination_silent_for_dollars() -> None:
    """A grant already in dollars keeps its face value."""
    assert points(with_compute(), "dollar-denomination") == []


# -- expiry-and-rollover --------------------------------------------------------------------------------------------
PERSONAL = {"personal_use": True, "work_required": "0%"}


def test_expiry_and_rollover_with_low_utilization() -> None:
    """Half of 10k spent, no rollover: expected forfeiture = 10,000 × 1 × (1 - 0.5) = 5,000."""
    point = only(with_compute(**PERSONAL), "expiry-and-rollover", utilization="50%")
    assert point.ask == "rollover-or-longer-expiry"
    assert point.numbers["utilization"] == D("0.5")
    assert (point.impact_year1, point.impact_horizon) == (D("5000"), D("5000"))


def test_expiry_and_rollover_with_expiry_shorter_than_the_year() -> None:
    """A yearly grant expiring after 6 months fires even at full use (spend window 12 months)."""
    point = only(with_compute(expiry_months=6, **PERSONAL), "expiry-and-rollover")
    assert (point.numbers["expiry_months"], point.numbers["spend_window_months"]) == (D(6), D(12))


def test_expiry_and_rollover_silent_at_threshold_or_with_rollover() -> None:
    """80% utilization is not below the threshold; rollover keeps unspent credits."""
    assert points(with_compute(**PERSONAL), "expiry-and-rollover", utilization="80%") == []
    assert points(with_compute(rollover=True, **PERSONAL), "expiry-and-rollover", utilization="50%") == []


# -- personal-use-and-ip --------------------------------------------------------------------------------------------
def test_personal_use_and_ip_worth_the_personal_half() -> None:
    """Half the grant is personal once allowed: 10,000 × 0.5 × 1 = 5,000, as cash 5,000 / 0.75 = 6,666.67."""
    point = only(with_compute(), "personal-use-and-ip")
    assert point.numbers["personal_share"] == D("0.5")
    assert point.numbers["personal_value"] == D("5000")
    assert point.impact_year1 == D("6666.67")


def test_personal_use_and_ip_silent_when_allowed() -> None:
    """Personal use already granted: nothing to ask."""
    assert points(with_compute(personal_use=True), "personal-use-and-ip") == []


def test_require_portability_uses_the_assumption_layers_the_valuation_used() -> None:
    """Utilization 50% from a person's defaults (not the offer), two such grants: leaving after month 1 forfeits
    12,000 × 0.5 × 11/12 = 5,500 of each; cashing out one removes 5,500 only if the other is re-valued at 50% too."""
    data = {**BASE_ONLY, "compute": [PORTABLE, PORTABLE]}
    offer = build_offer({**data, "assumptions": {**PINNED, "utilization": None}}, REGISTRY)
    layer = Layer("personal", Assumptions(utilization=D("0.5")))
    valuation = value_offer(offer, REGISTRY, [layer])
    advice = advise(offer, valuation, REGISTRY)
    found = [p.impact_year1 for p in advice.points if p.id == "require-portability"]
    assert found == [D("5500"), D("5500")]
