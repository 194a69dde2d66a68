"""The words on charts (titles, legends, marks, alt text) come from prompts/templates/charts."""

from __future__ import annotations

from charts import compare_chart, leave_chart, money_chart
from charts.words import written
from tests.prompts.conftest import SESSION_RENDERER
from tests.strategies import REGISTRY
from valuation import compare_offers, load_offer, value_offer

OFFER = """
employer = "Acme AI"
[salary]
base = "100k"
[sign_on]
amount = "10k"
clawback_months = 6
[[equity]]
kind = "rsu"
grant_value = "40k"
[assumptions]
marginal_tax_rate = "30%"
"""


def test_chart_words_in_the_readers_locale() -> None:
    """Money on a chart uses the reader's locale like the text does; marks and alt text name the months."""
    offer = load_offer(OFFER, REGISTRY, "toml")
    valuation = value_offer(offer, REGISTRY)
    chart = money_chart(valuation, locale="de-DE", renderer=SESSION_RENDERER)
    # 48 months of 100,000/12 + 10,000 sign-on + 40,000 equity = 450,000, in German grouping.
    assert (
        chart.subtitle == "Over 48 months: advertised 450.000\u00a0$, worth 450.000\u00a0$ to you"
    )  # Babel: no-break space
    leave = leave_chart(valuation, offer, locale="en-US", renderer=SESSION_RENDERER)
    assert [m.label for m in leave.markers] == ["sign-on kept: month 6", "cliff: month 12"]
    assert leave.alt.endswith("Cliff at month 12. Sign-on is yours to keep from month 6.")
    comparison = compare_offers([("one", offer), ("two", offer)], REGISTRY)
    both = compare_chart(comparison, renderer=SESSION_RENDERER)
    assert both.note == "" and both.alt.endswith("The lead never changes.")
    assert SESSION_RENDERER.text("charts/unavailable", locale="en-US").startswith("The chart couldn't be drawn")
    line = written(SESSION_RENDERER, "x.png", chart.alt, locale="en-US")
    assert line.startswith("Chart written to x.png: Bar chart")
