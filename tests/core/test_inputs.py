"""Parsing of amounts, shares and counts; the registry's refusal of undated entries; error problems; CLI output."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from cli.main import main
from valuation import OfferError, compare, convert, default_registry, load_offer, parse_registry, value_offer
from valuation.errors import Reason
from valuation.parsing import ParseError, parse_amount, parse_count, parse_share

REGISTRY = default_registry()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (180000, "180000"),
        ("180k", "180000"),
        ("$1.2M", "1200000"),
        ("95,000", "95000"),
        ("€50k", "50000"),
        (0.5, "0.5"),
    ],
)
def test_amounts_in_the_forms_people_write(text: object, expected: str) -> None:
    """180000, "180k", "$1.2M", "95,000" and "€50k" all parse to the same kind of Decimal."""
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5k", Reason.NEGATIVE),
        ("lots", Reason.NOT_AN_AMOUNT),
        ("2B", Reason.TOO_LARGE),
        (True, Reason.NOT_AN_AMOUNT),
        ("1,00", Reason.NOT_AN_AMOUNT),
    ],
)
def test_bad_amounts_say_why(text: object, reason: Reason) -> None:
    """Negative, garbage, absurd and ambiguous amounts are refused with their reason."""
    with pytest.raises(ParseError) as caught:
        parse_amount(text)
    assert caught.value.reason is reason


def test_shares_and_counts() -> None:
    """ "15%" and 0.15 are the same share; "130%" and a bare 15 are refused; "100M" tokens is 10^8."""
    assert parse_share("15%") == parse_share(0.15) == Decimal("0.15")
    for bad, reason in (("130%", Reason.SHARE_OVER_100), (15, Reason.NOT_A_SHARE), ("x%", Reason.NOT_A_SHARE)):
        with pytest.raises(ParseError) as caught:
            parse_share(bad)
        assert caught.value.reason is reason
    assert parse_count("100M") == Decimal(100_000_000) and parse_count("2.5B") == Decimal(2_500_000_000)


@pytest.mark.parametrize(
    ("toml", "field", "reason"),
    [
        ('[salary]\nbase = "-5"', "salary.base", Reason.NEGATIVE),
        ('colour = "blue"\n[salary]\nbase = 1', "colour", Reason.UNKNOWN_KEY),
        ('[salary]\nbase = 1\n[[compute]]\ntokens = "1M"\nmodel = "nope"', "compute[0].model", Reason.UNKNOWN_MODEL),
        ('[salary]\nbase = 1\n[bonus]\ntarget = "130%"', "bonus.target", Reason.SHARE_OVER_100),
        (
            '[salary]\nbase = 1\n[[equity]]\nkind = "rsu"\ngrant_value = 1\nyears = 1\ncliff_months = 13',
            "equity[0].cliff_months",
            Reason.CLIFF_LONGER_THAN_VESTING,
        ),
        (
            'currency = "EUR"\n[salary]\nbase = 1\n[[compute]]\ntokens = "1M"\nmodel = "gpt-5"',
            "assumptions.usd_rate",
            Reason.NEEDS_USD_RATE,
        ),
        (
            '[salary]\nbase = 1\n[[compute]]\namount = 1\ntokens = "1M"\nmodel = "gpt-5"',
            "compute[0].tokens",
            Reason.ONE_DENOMINATION,
        ),
        ("[salary\n", "offer_file", Reason.INVALID_TOML),
    ],
)
def test_invalid_offers_name_field_value_reason_and_example(toml: str, field: str, reason: Reason) -> None:
    """Each invalid case raises OfferError naming the field path, the reason and a good example."""
    with pytest.raises(OfferError) as caught:
        load_offer(toml, REGISTRY)
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.reason is reason
    assert problem.example


def test_registry_refuses_entries_without_date_or_source() -> None:
    """A price entry missing as_of or source is refused at load, naming the entry."""
    text = resources.files("valuation").joinpath("data/registry.toml").read_text()
    undated = text.replace('as_of = "2026-11-01"\nsource = "simonw/llm-prices data files"', 'source = "x"', 1)
    with pytest.raises(OfferError) as caught:
        parse_registry(undated)
    assert any(p.field == "models[0].as_of" for p in caught.value.problems)
    unsourced = text.replace('source = "simonw/llm-prices data files"', 'source = ""', 1)
    with pytest.raises(OfferError):
        parse_registry(unsourced)


def test_comparing_offers_in_two_currencies_is_refused() -> None:
    """Offers in different currencies can't be compared without converting one first."""
    usd = value_offer(load_offer('[salary]\nbase = "100k"', REGISTRY))
    eur = value_offer(load_offer('currency = "EUR"\n[salary]\nbase = "100k"', REGISTRY))
    with pytest.raises(OfferError) as caught:
        compare([("a", usd), ("b", eur)])
    assert caught.value.first.reason is Reason.CURRENCY_MISMATCH


def test_tokens_convert_both_ways() -> None:
    """100M GPT-5 tokens at the base 75% input blend cost 1.25×0.75 + 10×0.25 = 3.4375 per million → $343.75;
    $500 of H100 at the 3.495 midpoint is 143.06 GPU-hours."""
    assert convert("100M", "gpt-5", REGISTRY).dollars.base == Decimal("343.75")
    hours = convert("$500", "h100", REGISTRY).units.base
    assert Decimal("143.06") < hours < Decimal("143.07")


def test_cli_value_json_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`value --json` prints schema_version, registry date, years, months, cost_to_leave, grants and traces."""
    offer = tmp_path / "o.toml"
    offer.write_text('[salary]\nbase = "180k"\n[[compute]]\namount = "50k"\n')
    assert main(["value", str(offer), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 1 and data["registry_as_of"] == "2026-11-01"
    year = data["years"][0]
    for key in (
        "n",
        "base",
        "bonus",
        "sign_on",
        "cash",
        "equity_advertised",
        "equity",
        "compute_face",
        "compute_employer_cost",
        "compute_net_benefit",
        "compute_cash_equivalent",
        "advertised_tc",
        "cash_equivalent_tc",
    ):
        assert key in year
    assert year["base"] == "180000.00"
    assert len(data["months"]) == 48 and len(data["cost_to_leave"]) == 48
    assert set(data["grants"][0]["scenarios"]) == {"low", "base", "high"} and data["traces"]


def test_cli_bad_input_is_one_line_per_problem_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad offer file prints a clear line on stderr (field, value, example), exits 2, and never a traceback."""
    offer = tmp_path / "o.toml"
    offer.write_text('[salary]\nbase = "lots"\n')
    assert main(["value", str(offer)]) == 2
    err = capsys.readouterr().err
    assert "salary → base" in err and "lots" in err and "180k" in err and "Traceback" not in err
    assert main(["value", str(tmp_path / "missing.toml")]) == 2
