"""Refusals name the field, the reason and an example of a good value."""

from __future__ import annotations

from typing import Any

import pytest

from valuation import MAX_OFFER_BYTES, OfferError, Problem, Reason, build_assumptions, build_offer, load_offer
from valuation import default_registry as registry

BASE: dict[str, Any] = {"salary": {"base": "100k"}}


def refusal(data: dict[str, Any]) -> OfferError:
    with pytest.raises(OfferError) as caught:
        build_offer(data, registry())
    return caught.value


@pytest.mark.parametrize(
    ("data", "field", "value", "reason", "example"),
    [
        ({"salary": {"base": "-5k"}}, "salary.base", "-5k", Reason.NEGATIVE, '"180k"'),
        ({**BASE, "bonus": {"target": "130%"}}, "bonus.target", "130%", Reason.SHARE_OVER_100, '"15%" or "25k"'),
        (
            {**BASE, "compute": [{"tokens": "1M", "model": "gpt-9"}]},
            "compute[0].model",
            "gpt-9",
            Reason.UNKNOWN_MODEL,
            '"gpt-5" or "gpt-5.5" or "gpt-5.4"',  # nearest: "gpt5" scores 0.75; "gpt55", "gpt54" 0.67, ties by id
        ),
        (
            {**BASE, "compute": [{"gpu_hours": 5, "gpu": "toaster"}]},
            "compute[0].gpu",
            "toaster",
            Reason.UNKNOWN_GPU,
            '"h100"',
        ),
        (
            {**BASE, "equity": [{"kind": "rsu", "grant_value": "100k", "years": 1, "cliff_months": 13}]},
            "equity[0].cliff_months",
            "13",
            Reason.CLIFF_LONGER_THAN_VESTING,
            "12",
        ),
        (
            {**BASE, "currency": "EUR", "compute": [{"amount": "1k"}, {"tokens": "1M", "model": "gpt-5"}]},
            "assumptions.usd_rate",
            "",
            Reason.NEEDS_USD_RATE,
            '"0.92"',
        ),
        ({}, "salary", "", Reason.MISSING, '[salary] base = "180k"'),
        ({**BASE, "currency": "XYZ"}, "currency", "XYZ", Reason.BAD_CURRENCY, '"USD"'),
        (
            {**BASE, "negotiation": {"today": "2027-01-10", "decision_deadline": "2027-01-01"}},
            "negotiation.decision_deadline",
            "2027-01-01",
            Reason.DEADLINE_BEFORE_TODAY,
            '"2027-01-17"',
        ),
        (
            {**BASE, "compute": [{"amount": "1k", "on_departure": "tail"}]},
            "compute[0].tail_months",
            "",
            Reason.TAIL_WITHOUT_MONTHS,
            "6",
        ),
        (
            {**BASE, "compute": [{"amount": "1k", "cadence": "weekly"}]},
            "compute[0].cadence",
            "weekly",
            Reason.NOT_ONE_OF,
            '"yearly"',
        ),
        (
            {**BASE, "equity": [{"kind": "rsu", "grant_value": "1k", "years": 2, "schedule": [50, 40]}]},
            "equity[0].schedule",
            "[50, 40]",
            Reason.SCHEDULE_SUM,
            '"monthly", "quarterly", "5/15/40/40" or [10, 20, 30, 40]',
        ),
        ({**BASE, "salary": {"base": "5B"}}, "salary.base", "5B", Reason.TOO_LARGE, '"180k"'),
    ],
)
def test_each_invalid_case_names_field_value_reason_and_example(
    data: dict[str, Any], field: str, value: str, reason: Reason, example: str
) -> None:
    """The first problem carries the field path, the offending value, the reason code and a good example."""
    first = refusal(data).first
    assert (first.field, first.value, first.reason, first.example) == (field, value, reason, example)


def test_unknown_key_lists_the_allowed_keys() -> None:
    """An unknown key, top level or nested, is refused with the keys that table accepts."""
    top = refusal({**BASE, "colour": "blue"}).first
    assert (top.field, top.reason) == ("colour", Reason.UNKNOWN_KEY)
    assert "salary" in top.limit and "compute" in top.limit and top.example == top.limit
    nested = refusal({**BASE, "compute": [{"amount": "1k", "colour": 1}]}).first
    assert nested.field == "compute[0].colour" and "on_departure" in nested.limit


def test_limits_are_carried() -> None:
    """Over-limit and out-of-range refusals carry the limit the templates show."""
    assert refusal({"salary": {"base": "5B"}}).first.limit == "1000000000"
    assert refusal({**BASE, "assumptions": {"tenure_months": 0}}).first.limit == "1"
    assert refusal({**BASE, "assumptions": {"marginal_tax_rate": "99%"}}).first.limit == "99%"


def test_several_problems_are_reported_once_per_field() -> None:
    """An option missing both prices reports both fields; repeated errors on one field are reported once."""
    error = refusal({**BASE, "equity": [{"kind": "option", "shares": "1k"}]})
    assert [p.field for p in error.problems] == ["equity[0].strike", "equity[0].preferred_price"]
    assert all(p.reason is Reason.MISSING for p in error.problems)


def test_wrong_equity_kind_is_named() -> None:
    """An unknown equity kind points at equity[i].kind and lists the kinds."""
    first = refusal({**BASE, "equity": [{"kind": "phantom"}]}).first
    assert (first.field, first.value, first.reason) == ("equity[0].kind", "phantom", Reason.NOT_ONE_OF)
    assert "rsu" in first.limit and "option" in first.limit


def test_file_level_refusals() -> None:
    """Bad TOML, bad JSON, a non-table document, binary data and oversize files are refused with OfferError."""
    cases: list[tuple[str | bytes, Reason]] = [
        ("[salary\nbase = 1", Reason.INVALID_TOML),
        ('{"salary": ', Reason.INVALID_JSON),
        ("[1, 2]", Reason.INVALID_TOML),
        (b"\xff\xfe\x00junk", Reason.NOT_TEXT),
        (b"x" * (MAX_OFFER_BYTES + 1), Reason.FILE_TOO_LARGE),
        ("#" * (MAX_OFFER_BYTES + 1), Reason.FILE_TOO_LARGE),
    ]
    for text, reason in cases:
        with pytest.raises(OfferError) as caught:
            load_offer(text, registry())
        assert caught.value.first.reason is reason and caught.value.first.field == "offer_file"


def test_json_and_toml_give_the_same_offer() -> None:
    """The same offer as TOML and as JSON validates to equal offers."""
    toml = '[salary]\nbase = "180k"\n[bonus]\ntarget = "15%"\n[[compute]]\ntokens = "100M"\nmodel = "gpt-5"\n'
    json = '{"salary": {"base": "180k"}, "bonus": {"target": "15%"}, "compute": [{"tokens": "100M", "model": "gpt-5"}]}'
    assert load_offer(toml, registry()) == load_offer(json, registry())


def test_assumption_layers_are_validated_with_a_prefix() -> None:
    """Personal or server defaults are refused with the layer's name in the field path."""
    with pytest.raises(OfferError) as caught:
        build_assumptions({"utilization": "150%"}, prefix="defaults")
    assert caught.value.first.field == "defaults.utilization"
    assert caught.value.first.reason is Reason.SHARE_OVER_100


def test_problem_as_dict_and_message() -> None:
    """A problem serialises to plain strings, and the error's message names the first field and reason only."""
    error = OfferError([Problem("salary.base", "-5k", Reason.NEGATIVE, '"180k"')])
    assert error.first.as_dict() == {
        "field": "salary.base",
        "value": "-5k",
        "reason": "negative",
        "example": '"180k"',
        "limit": "",
        "source": "",
        "currency": "",
    }
    assert str(error) == "salary.base: negative"
    with pytest.raises(ValueError, match="at least one problem"):
        OfferError([])
