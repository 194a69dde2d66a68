"""Building the offer-file data from ``/offer evaluate`` options, alone and over an offer file."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bot.offer_input import EvaluateOptions, by_option_names, json_ready, offer_data
from valuation import OfferError, Reason, RsuGrant, build_offer, default_registry, parse_offer_data

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
        base="180000",
        bonus="15%",
        sign_on="30000",
        equity="400000",
        equity_years=5,
        credits="50k",
        credits_cadence="monthly",
        on_departure="cash",
        work_required="60%",
        personal_use=True,
        tax_treatment="taxable",
        expiry_months=6,
        employer="Acme AI",
        quoted_tc="450000",
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
                "work_required": "60%",  # the share's own form: "0.6" was refused by the share parser
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
    options = EvaluateOptions(base="180000", equity="400000", credits="50k", bonus="15%")
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
    options = EvaluateOptions(base="1", credits="100M", model=model)
    assert offer_data(options, REGISTRY)["compute"] == [expected]


def test_without_base_or_a_file_base_is_missing() -> None:
    """Without ``base`` and without an offer file the error names ``base``."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(credits="50k"), REGISTRY)
    assert caught.value.first.field == "base"


def test_grant_options_without_credits_or_a_file_grant_ask_for_credits() -> None:
    """Grant terms with no grant to apply them to name the missing ``credits``."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="1", personal_use=True), REGISTRY)
    assert caught.value.first.field == "credits"


def test_options_override_the_offer_files_fields() -> None:
    """Options beside a file replace its base, its first compute grant's denomination and terms, and set an RSU
    grant beside its option grant; everything else in the file stays."""
    file_data = parse_offer_data(TWO_GRANT_FILE)
    options = EvaluateOptions(base="95000", credits="20M", model="claude-haiku-4.5", personal_use=True, equity="100000")
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
    data = offer_data(EvaluateOptions(base="100000"), REGISTRY, {"salary": "lots"})
    assert data["salary"] == {"base": "100000"}


def test_offer_data_is_made_json_ready_without_changing_the_offer() -> None:
    """A TOML file's dates and floats and the options' decimals survive a JSON round trip and build the same offer
    (saved offers are stored as JSON)."""
    registry = default_registry()
    raw = (
        b'employer = "DateCo"\n[salary]\nbase = 150000.5\n[assumptions]\nmarginal_tax_rate = 0.31\n'
        b"[negotiation]\ntoday = 2027-01-10\ndecision_deadline = 2027-01-17\n"
    )
    data = offer_data(EvaluateOptions(sign_on="20000"), registry, parse_offer_data(raw))
    with pytest.raises(TypeError):
        json.dumps(data)
    stored = json.loads(json.dumps(json_ready(data)))
    assert stored["negotiation"]["decision_deadline"] == "2027-01-17"
    assert build_offer(stored, registry) == build_offer(data, registry)


def test_work_required_60_percent_builds_an_offer_that_values_it_at_60_percent() -> None:
    """``work_required: 60%`` reaches the offer as the share 0.6 (the option path used to write "0.6", which the
    share parser refuses, so the option could never work)."""
    options = EvaluateOptions(base="180k", credits="50k", work_required="60%")
    assert build_offer(offer_data(options, REGISTRY), REGISTRY).compute[0].work_required == Decimal("0.6")


def test_tail_months_sets_a_tail() -> None:
    """``tail_months: 3`` alone means a 3-month tail; beside ``on_departure: tail`` too. The tail option could
    never work without it (a tail needs tail_months above 0)."""
    for departure in (None, "tail"):
        options = EvaluateOptions(base="180k", credits="12k", on_departure=departure, tail_months=3)
        grant = build_offer(offer_data(options, REGISTRY), REGISTRY).compute[0]
        assert (grant.on_departure, grant.tail_months) == ("tail", 3)


def test_tail_months_beside_another_departure_is_refused() -> None:
    """``on_departure: forfeit`` with ``tail_months: 3`` contradicts itself: refused naming tail_months."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="1k", credits="1k", on_departure="forfeit", tail_months=3), REGISTRY)
    problem = caught.value.first
    assert (problem.field, problem.reason, problem.limit) == ("tail_months", Reason.TAIL_MONTHS_WITHOUT_TAIL, "forfeit")


@pytest.mark.parametrize("credits", ["100M", "2.5B", "1t", "3 mm"])
def test_credits_with_a_count_suffix_and_no_model_ask_what_was_meant(credits: str) -> None:
    """``credits: 100M`` with no model is refused (tokens or dollars?) instead of being valued as $100,000,000."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="180k", credits=credits), REGISTRY)
    assert (caught.value.first.field, caught.value.first.reason) == ("credits", Reason.CREDITS_WITHOUT_MODEL)


def test_credits_in_dollars_are_still_money() -> None:
    """``50k`` and ``$1.2M`` (a mark says dollars) are amounts; ``$100M`` on a 180k base is still refused as
    implausible (over 10 × 180k), by the offer's own rule, naming the ``credits`` option."""
    assert offer_data(EvaluateOptions(base="180k", credits="50k"), REGISTRY)["compute"] == [{"amount": "50k"}]
    assert offer_data(EvaluateOptions(base="180k", credits="$1.2M"), REGISTRY)["compute"] == [{"amount": "$1.2M"}]
    options = EvaluateOptions(base="180k", credits="$100M")
    with pytest.raises(OfferError) as caught:
        build_offer(offer_data(options, REGISTRY), REGISTRY)
    renamed = by_option_names(caught.value, options).first
    assert (renamed.field, renamed.reason, renamed.limit) == ("credits", Reason.IMPLAUSIBLE_CREDITS, "1800000")


def test_option_names_only_for_values_an_option_set() -> None:
    """A refusal in a value an option set names the option; one in the file's own values keeps its path."""
    options = EvaluateOptions(base="€95k")
    with pytest.raises(OfferError) as caught:
        build_offer(offer_data(options, REGISTRY, {"sign_on": {"amount": "£5k"}}), REGISTRY)
    fields = [p.field for p in by_option_names(caught.value, options).problems]
    assert fields == ["base", "sign_on.amount"]


def test_currency_and_usd_rate_options_convert_dollar_marks() -> None:
    """``currency: JPY``, ``usd_rate: 150``: ``credits: $50k`` is ¥7,500,000 (50,000 × 150) and the base stays
    in yen."""
    options = EvaluateOptions(base="15M", credits="$50k", currency="JPY", usd_rate="150")
    offer = build_offer(offer_data(options, REGISTRY), REGISTRY)
    assert (offer.currency, offer.salary.base, offer.compute[0].amount) == (
        "JPY",
        Decimal(15_000_000),
        Decimal(7_500_000),
    )


def test_a_small_count_with_a_model_asks_whether_it_is_dollars() -> None:
    """``credits: 50k model: gpt-5`` would be 50,000 tokens (about 17 cents at 3.4375 per million): asked about,
    not valued; 1M tokens and GPU-hour counts of any size are taken as counts."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="180k", credits="50k", model="gpt-5"), REGISTRY)
    problem = caught.value.first
    assert (problem.field, problem.reason, problem.example, problem.limit) == (
        "credits",
        Reason.FEW_TOKENS,
        "gpt-5",
        "1000000",
    )
    assert offer_data(EvaluateOptions(base="1k", credits="1M", model="gpt-5"), REGISTRY)["compute"][0]["tokens"] == "1M"
    assert (
        offer_data(EvaluateOptions(base="1k", credits="50", model="h100"), REGISTRY)["compute"][0]["gpu_hours"] == "50"
    )


def test_money_with_a_model_asks_which_was_meant() -> None:
    """``credits: $50k model: gpt-5``: money and a model contradict each other; refused naming credits (it was
    refused as "not a count")."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="180k", credits="$50k", model="gpt-5"), REGISTRY)
    assert (caught.value.first.field, caught.value.first.reason) == ("credits", Reason.DOLLAR_CREDITS_WITH_MODEL)


def test_equity_years_without_an_rsu_grant_asks_for_equity() -> None:
    """``equity_years`` with no ``equity`` and no RSU grant in a file names the missing ``equity`` option (it used
    to fail on an unnamed grant's grant_value)."""
    with pytest.raises(OfferError) as caught:
        offer_data(EvaluateOptions(base="180k", equity_years=3), REGISTRY)
    assert (caught.value.first.field, caught.value.first.reason) == ("equity", Reason.MISSING)
