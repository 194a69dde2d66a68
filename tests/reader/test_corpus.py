"""The committed corpus (tests/reader/corpus/*.toml): every phrasing reads to the offer data, ignored passages and
unclear kinds written beside it by hand, and every clear one validates and survives a TOML round trip."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reader.corpus_cases import cases
from tests.strategies import REGISTRY
from valuation import OfferError, build_offer, load_offer
from valuation.errors import Reason
from valuation.reader import offer_from_reading, offer_toml, read_offer

CASES = cases()
IDS = [f"{c['file']}:{c['name']}" for c in CASES]


def test_corpus_is_large_enough() -> None:
    """At least 60 phrasings, with names unique so a failure points at one."""
    assert len(CASES) >= 60
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reads_as_written_by_hand(case: dict[str, Any]) -> None:
    """The offer data, ignored passages and unclear kinds are exactly the expected ones."""
    reading = read_offer(case["text"], REGISTRY)
    assert reading.offer == case.get("offer", {})
    assert [p.text for p in reading.ignored] == case["ignored"]
    assert [a.kind.value for a in reading.ambiguous] == case.get("ambiguous", [])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_passages_point_into_the_text(case: dict[str, Any]) -> None:
    """Every understood, ignored and unclear passage is the text at its offsets, and every understood field path
    names a value in the offer data."""
    text = case["text"]
    reading = read_offer(text, REGISTRY)
    for item in (*reading.understood, *reading.ignored, *reading.ambiguous):
        assert text[item.start : item.end] == item.text
    for understood in reading.understood:
        node: Any = reading.offer
        for part in understood.field.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert node is not None


CLEAR = [c for c in CASES if not c.get("ambiguous") and "base" in c.get("offer", {}).get("salary", {})]


@pytest.mark.parametrize("case", CLEAR, ids=[f"{c['file']}:{c['name']}" for c in CLEAR])
def test_toml_round_trip(case: dict[str, Any]) -> None:
    """The printed TOML loads back (valuation.loader) to the same offer the reading validates to."""
    reading = read_offer(case["text"], REGISTRY)
    try:
        offer = offer_from_reading(reading, REGISTRY)
    except OfferError as exc:  # "$20k" of credits in a euro offer: the offer file's own refusal without a usd_rate
        assert exc.first.reason is Reason.DOLLARS_NEED_USD_RATE
        return
    assert load_offer(offer_toml(reading.offer), REGISTRY, "toml") == offer == build_offer(reading.offer, REGISTRY)
