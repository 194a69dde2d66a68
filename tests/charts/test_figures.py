"""What each chart shows: the core's figures, unchanged, and the words from the templates."""

from __future__ import annotations

from decimal import Decimal

from charts import compare_chart, leave_chart, money_chart
from charts.figures import lead_changes
from tests.charts.conftest import SIMPLE, example, offer_of, valued
from tests.strategies import REGISTRY
from valuation import compare_offers


def _stack(chart_stacks, key):  # type: ignore[no-untyped-def]
    return next(s for s in chart_stacks if s.key == key)


def test_money_chart_figures_by_hand() -> None:
    """Simple Co: base 120k, sign-on 12k in year 1, a 48k RSU over 4 years (12k a year), no compute, 24 months."""
    chart = money_chart(valued(offer_of(SIMPLE)))
    worth = {s.key: s.values for s in chart.worth}
    assert worth["salary"] == (Decimal(120000), Decimal(120000))
    assert worth["sign_on"] == (Decimal(12000), Decimal(0))
    # Cliff at 12: the first 12 months vest together at month 12, so 12 × 1,000 in year 1, another 12,000 in year 2.
    assert worth["equity"] == (Decimal(12000), Decimal(12000))
    assert worth["compute"] == (Decimal(0), Decimal(0))
    # 120,000 + 12,000 + 12,000 = 144,000 in year 1; 120,000 + 12,000 = 132,000 in year 2. No compute: no gap.
    assert chart.worth_totals == (Decimal(144000), Decimal(132000))
    assert chart.advertised_totals == (Decimal(144000), Decimal(132000))
    assert chart.year_labels == ("Year 1", "Year 2")
    assert chart.gap_label == "worth what it says"
    assert chart.title == "Simple Co: where the money is"


def test_money_chart_gap_is_the_headline_figure() -> None:
    """The labelled gap is the headline's year-1 gap in the offer's money: Acme's $387,000 − $334,059 = $52,941."""
    chart = money_chart(valued(example("acme-ai.toml")))
    assert chart.gap_label == "$52,941 less (13.7%)"
    assert "$52,941 less (13.7%)" in chart.alt


def test_leave_chart_figures_and_marks_by_hand() -> None:
    """Leaving Simple Co after month 11 loses the whole 48k grant and repays the whole 12k sign-on (full clawback,
    12 months): 60,000; after month 12 the cliff has vested 12k and the sign-on is kept: 36,000. Cliff and clawback
    end are both marked at month 12."""
    offer = offer_of(SIMPLE)
    chart = leave_chart(valued(offer), offer)
    equity = _stack(chart.losses, "equity_unvested").values
    repaid = _stack(chart.losses, "sign_on_repayment").values
    assert len(equity) == 24
    assert (equity[10], repaid[10]) == (Decimal(48000), Decimal(12000))
    assert (equity[11], repaid[11]) == (Decimal(36000), Decimal(0))
    assert [(m.month, m.label) for m in chart.markers] == [(12, "cliff: month 12"), (12, "sign-on kept: month 12")]
    # Every month 1–11 loses 60,000: the first of them is named.
    assert chart.subtitle == "Most: $60,000 if you leave after month 1"


def test_lead_changes_by_hand() -> None:
    """The lead changes where the other offer passes the first; a tie in between changes nothing by itself."""
    d = [Decimal(v) for v in (5, 5, 5, 5, 5)]
    assert lead_changes(d, [Decimal(v) for v in (1, 5, 6, 7, 8)]) == [3]  # behind, tie, ahead from month 3
    assert lead_changes(d, [Decimal(v) for v in (6, 4, 6, 4, 5)]) == [2, 3, 4]
    assert lead_changes(d, [Decimal(v) for v in (1, 2, 3, 4, 5)]) == []
    assert lead_changes(d, d) == []


A = """
[salary]
base = "120k"
[sign_on]
amount = "60k"
[assumptions]
marginal_tax_rate = "30%"
tenure_months = 24
"""
B = """
[salary]
base = "180k"
[assumptions]
marginal_tax_rate = "30%"
tenure_months = 24
"""


def test_compare_chart_marks_the_crossover_month() -> None:
    """A pays 10k a month plus 60k in month 1, B 15k a month: by month m A has 10k·m + 60k, B 15k·m; they tie at
    month 12 and B leads from month 13."""
    comparison = compare_offers([("a.toml", offer_of(A)), ("b.toml", offer_of(B))], REGISTRY)
    chart = compare_chart(comparison)
    assert chart.months[0][11] == chart.months[1][11] == Decimal(180000)
    assert [m.month for m in chart.markers] == [13]
    assert chart.note == "Lead changes: month 13, b.toml ahead"
    assert chart.names == ("a.toml", "b.toml")
    assert chart.years == (
        (Decimal(180000), Decimal(120000)),  # 120,000 + 60,000 sign-on; then 120,000
        (Decimal(180000), Decimal(180000)),
    )
    assert "The lead changes at month 13." in chart.alt
