"""Offers the chart tests draw: representative ones from examples/ and extreme ones written here."""

from __future__ import annotations

from pathlib import Path

from tests.strategies import REGISTRY
from valuation import Offer, Valuation, load_offer, value_offer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# A plain offer whose chart figures are derived by hand in the tests.
SIMPLE = """
employer = "Simple Co"
[salary]
base = "120k"
[sign_on]
amount = "12k"
clawback_months = 12
clawback = "full"
[[equity]]
kind = "rsu"
grant_value = "48k"
years = 4
cliff_months = 12
[assumptions]
marginal_tax_rate = "30%"
tenure_months = 24
"""

EXTREMES = {
    "zero-equity": """
[salary]
base = "150k"
[[compute]]
amount = "20k"
personal_use = true
[assumptions]
marginal_tax_rate = "30%"
""",
    # Ten times base in credits a year (the most an offer may state), fully personal and untaxed: compute dwarfs pay.
    "huge-compute": """
[salary]
base = "100k"
[[compute]]
amount = "1000k"
personal_use = true
work_required = "0%"
tax_treatment = "excluded"
[assumptions]
marginal_tax_rate = "30%"
""",
    # Taxed at list price and usable only for work: a large negative cash-equivalent.
    "negative-compute": """
[salary]
base = "100k"
[[compute]]
amount = "900k"
tax_treatment = "taxable"
[assumptions]
marginal_tax_rate = "45%"
""",
    "one-time-grants": """
[salary]
base = "140k"
[sign_on]
amount = "50k"
[[compute]]
amount = "100k"
cadence = "one-time"
personal_use = true
[[equity]]
kind = "rsu"
grant_value = "200k"
years = 1
cliff_months = 0
[assumptions]
marginal_tax_rate = "30%"
tenure_months = 36
""",
    "all-work": """
[salary]
base = "160k"
[[compute]]
tokens = "500M"
model = "claude-sonnet-4.5"
cadence = "monthly"
personal_use = true
work_required = "100%"
[assumptions]
marginal_tax_rate = "30%"
""",
    "ten-years-short-tail": """
currency = "JPY"
[salary]
base = "12000000"
[bonus]
target = "20%"
[[equity]]
kind = "rsu"
grant_value = "20000000"
years = 4
[assumptions]
marginal_tax_rate = "40%"
tenure_months = 117
""",
}


def offer_of(text: str) -> Offer:
    return load_offer(text, REGISTRY, "toml")


def example(name: str) -> Offer:
    return offer_of((EXAMPLES / name).read_text(encoding="utf-8"))


def valued(offer: Offer) -> Valuation:
    return value_offer(offer, REGISTRY)


def all_offers() -> dict[str, Offer]:
    offers = {name: example(name) for name in sorted(p.name for p in EXAMPLES.glob("*.toml"))}
    offers.update({name: offer_of(text) for name, text in EXTREMES.items()})
    return offers
