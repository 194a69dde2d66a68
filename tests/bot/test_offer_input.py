"""Building the offer-file data from ``/offer evaluate`` options, alone and over an offer file."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bot.offer_input import EvaluateOptions, json_ready, offer_data
from valuation import OfferError, RsuGrant, build_offer, default_registry, parse_offer_data

REGISTRY = default_registry()

TWO_GRANT_FILE = b"""
employer = "FileCo"
[salary]
base = "90k"
[bonus]
target = "10%"
[[equity]]
kind = "option"
shares = "1000"
strike = "1"
preferred_price = "5"
[[compute]]
amount = "10k"
cadence = "monthly"
[[compute]]
tokens = "50M"
model = "gpt-5"
"""


def test_options_alone_become_the_plain_offer_data() -> None:
    """Every option lands under the key an offer file uses, money as exact text."""
    options = EvaluateOptions(
        base=Decimal("180000"),
        bonus="15%",
        sign_on=Decimal("30000"),
        equity=Decimal("400000"),
        equity_years=5,
        credits="50k",
        credits_cadence="monthly",
        on_departure="cash",
        work_required=Decimal("0.6"),
        personal_use=True,
        tax_treatment="taxable",
        expiry_months=6,
        employer="Acme AI",
        quoted_tc=Decimal("450000"),
    )
    assert offer_data(options, REGISTRY) == {
        "salary": {"base": "180000"},
        "bonus": {"target": "15%"},
        "sign_on": {"amount": "30000"},
        "equity": [{"kind": "rsu", "grant_value": "400000", "years": 5}],
        "compute": [
            {
                "amount": "50k",
                "cadence": "monthly",
                "on_departure": "cash",
                "work_required": "0.6",
                "personal_use": True,
                "tax_treatment": "taxable",
                "expiry_months": 6,
            }
        ],
        "employer": "Acme AI",
        "quoted_tc": "450000",
    }


def test_the_built_data_passes_the_offer_files_validation() -> None:
    """The same data validates through ``build_offer``: equity defaults to 4 years with a 1-year cliff."""
    options = EvaluateOptions(base=Decimal("180000"), equity=Decimal("400000"), credits="50k", bonus="15%")
    offer = build_offer(offer_data(options, REGISTRY), REGISTRY)
    assert offer.salary.base == Decimal("180000")
    grant = offer.equity[0]
    assert isinstance(grant, RsuGrant) and grant.years == 4 and grant.cliff_months == 12
    assert offer.compute[0].amount == Decimal("50000")


@pytest.mark.parametrize(
    ("model", "expected"),
    [("gpt-5", {"tokens": "100M", "model": "gpt-5"}), ("h100", {"gpu_hours": "100M", "gpu": "h100"})],
)
def test_credits_with_a_model_count_tokens_and_with_a_gpu_count_hours(model: str, expected: dict[str, str]) -> None:
    """``credits`` is money alone, a token count with a model, GPU-hours with a GPU id."""
    options = EvaluateOptions(base=Decimal("1"), credits="100M", model=model)
    assert offer_data(options, REGISTRY)["compute"] == [expected]


def test_without_base_or_a_file_base_is_missing() -> None:
    """Without ``base`` and without an offer file the error names ``base``."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(credits="50k"), REGISTRY)
    assert caught.value.first.field == "base"


def test_grant_options_without_credits_or_a_file_grant_ask_for_credits() -> None:
    """Grant terms with no grant to apply them to name the missing ``credits``."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base=Decimal("1"), personal_use=True), REGISTRY)
    assert caught.value.first.field == "credits"


def test_options_override_the_offer_files_fields() -> None:
    """Options beside a file replace its base, its first compute grant's denomination and terms, and set an RSU
    grant beside its option grant; everything else in the file stays."""
    file_data = parse_offer_data(TWO_GRANT_FILE)
    options = EvaluateOptions(
        base=Decimal("95000"), credits="20M", model="claude-haiku-4.5", personal_use=True, equity=Decimal("100000")
    )
    data = offer_data(options, REGISTRY, file_data)
    assert data["employer"] == "FileCo"
    assert data["salary"] == {"base": "95000"}
    assert data["bonus"] == {"target": "10%"}
    assert data["compute"][0] == {
        "tokens": "20M",
        "model": "claude-haiku-4.5",
        "cadence": "monthly",
        "personal_use": True,
    }
    assert data["compute"][1] == {"tokens": "50M", "model": "gpt-5"}
    assert [g["kind"] for g in data["equity"]] == ["rsu", "option"]
    offer = build_offer(data, REGISTRY)
    assert offer.salary.base == Decimal("95000") and len(offer.compute) == 2
    assert file_data["salary"] == {"base": "90k"}  # the parsed file is not modified


def test_equity_years_override_the_files_rsu_grant() -> None:
    """``equity_years`` changes the file's first RSU grant and keeps its value."""
    file_data = {"salary": {"base": "1"}, "equity": [{"kind": "rsu", "grant_value": "200k", "years": 4}]}
    data = offer_data(EvaluateOptions(equity_years=3), REGISTRY, file_data)
    assert data["equity"] == [{"kind": "rsu", "grant_value": "200k", "years": 3}]


def test_a_malformed_file_table_is_replaced_by_the_option() -> None:
    """A file whose ``salary`` is not a table still takes ``base`` from the option instead of crashing."""
    data = offer_data(EvaluateOptions(base=Decimal("100000")), REGISTRY, {"salary": "lots"})
    assert data["salary"] == {"base": "100000"}


def test_offer_data_is_made_json_ready_without_changing_the_offer() -> None:
    """A TOML file's dates and floats and the options' decimals survive a JSON round trip and build the same offer
    (saved offers are stored as JSON)."""
    registry = default_registry()
    raw = (
        b'employer = "DateCo"\n[salary]\nbase = 150000.5\n[assumptions]\nmarginal_tax_rate = 0.31\n'
        b"[negotiation]\ntoday = 2027-01-10\ndecision_deadline = 2027-01-17\n"
    )
    data = offer_data(EvaluateOptions(sign_on=Decimal("20000")), registry, parse_offer_data(raw))
    with pytest.raises(TypeError):
        json.dumps(data)
    stored = json.loads(json.dumps(json_ready(data)))
    assert stored["negotiation"]["decision_deadline"] == "2027-01-17"
    assert build_offer(stored, registry) == build_offer(data, registry)
