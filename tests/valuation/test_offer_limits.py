"""Hostile offer files: too many grants or schedule entries, deep nesting and huge integers are refused early with
a reason of their own, not a crash or thousands of problems."""

from __future__ import annotations

import json
from typing import Any

import pytest

from valuation import OfferError, Reason, build_offer, parse_offer_data
from valuation import default_registry as registry
from valuation.loader import MAX_DIGITS, MAX_GRANTS, MAX_NESTING, MAX_SCHEDULE_ENTRIES


def refused(action: Any) -> OfferError:
    with pytest.raises(OfferError) as caught:
        action()
    return caught.value


def test_fifteen_thousand_empty_grants_are_one_problem() -> None:
    """15,000 empty compute grants (a 45 KB file) are refused as one "too many" problem naming the limit."""
    text = json.dumps({"salary": {"base": "100k"}, "compute": [{}] * 15_000})
    error = refused(lambda: build_offer(parse_offer_data(text), registry()))
    assert len(error.problems) == 1
    problem = error.first
    assert (problem.field, problem.reason, problem.limit) == ("compute", Reason.TOO_MANY, str(MAX_GRANTS))
    assert problem.value == "15000"  # a count; the words are the template's


def test_equity_grants_are_capped_too() -> None:
    """One grant more than the model allows (10) is refused before validating any of them."""
    data = {"salary": {"base": "100k"}, "equity": [{"kind": "rsu"}] * (MAX_GRANTS + 1)}
    error = refused(lambda: build_offer(data, registry()))
    assert (error.first.field, error.first.reason) == ("equity", Reason.TOO_MANY)


def test_a_long_vesting_schedule_is_refused_before_parsing_its_entries() -> None:
    """A schedule of 5,000 entries (vesting is at most 10 years, one share a year) is one problem at its path."""
    data = {"salary": {"base": "100k"}, "equity": [{"grant_value": "400k", "schedule": ["x"] * 5_000}]}
    error = refused(lambda: build_offer(data, registry()))
    assert len(error.problems) == 1
    assert (error.first.field, error.first.reason, error.first.limit) == (
        "equity[0].schedule",
        Reason.TOO_MANY,
        str(MAX_SCHEDULE_ENTRIES),
    )


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5_000 + "]" * 5_000,  # TOML arrays
        "a = " + "{b = " * 3_000 + "1" + "}" * 3_000,  # TOML inline tables
        "a" + ".a" * 5_000 + " = 1",  # TOML dotted keys: nesting without brackets
        '{"a": ' + "[" * 10_000 + "]" * 10_000 + "}",  # JSON
        "# it's a comment\na = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1),  # a quote in a comment
    ],
    ids=["toml-arrays", "toml-tables", "toml-dotted", "json", "after-a-comment"],
)
def test_deep_nesting_gets_its_own_reason(text: str) -> None:
    """Nesting past the limit is "nested too deep", naming the limit, never a RecursionError."""
    error = refused(lambda: parse_offer_data(text))
    assert (error.first.reason, error.first.limit) == (Reason.NESTED_TOO_DEEP, str(MAX_NESTING))


def test_nesting_an_offer_needs_is_accepted() -> None:
    """A real offer's depth (array of tables holding a schedule list) is well inside the limit."""
    text = '[salary]\nbase = "100k"\n[[equity]]\ngrant_value = "400k"\nschedule = [10, 20, 30, 40]\n'
    assert parse_offer_data(text)["equity"][0]["schedule"] == [10, 20, 30, 40]


@pytest.mark.parametrize(
    "text",
    ["[salary]\nbase = " + "9" * 5_000, '{"salary": {"base": ' + "9" * 5_000 + "}}", "a = " + "9" * (MAX_DIGITS + 1)],
    ids=["toml-5000", "json-5000", "toml-just-over"],
)
def test_a_huge_integer_gets_its_own_reason(text: str) -> None:
    """A 5,000-digit integer (past Python's own conversion limit) or one just past ours is "number too long"."""
    error = refused(lambda: parse_offer_data(text))
    assert (error.first.reason, error.first.limit) == (Reason.NUMBER_TOO_LONG, str(MAX_DIGITS))


def test_a_long_but_allowed_integer_parses() -> None:
    """An integer of exactly the allowed digits is parsed (and left to the offer model to judge)."""
    assert parse_offer_data("a = " + "9" * MAX_DIGITS)["a"] == int("9" * MAX_DIGITS)
