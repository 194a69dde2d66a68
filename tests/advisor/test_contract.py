"""The contract with the templates: every point's ids, numbers keys and number formats are the declared ones."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from tests.advisor.helpers import REGISTRY
from tests.strategies import valid_offers
from valuation import Offer, to_plain, value_offer
from valuation.advisor import (
    ASK_IDS,
    NUMBER_FORMATS,
    NUMBER_KEYS,
    OPTIONAL_NUMBER_KEYS,
    RULE_IDS,
    advise,
    number_format,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offer=valid_offers())
def test_points_carry_only_declared_ids_and_numbers(offer: Offer) -> None:
    """Any offer: ids and asks are declared, numbers have exactly their ask's keys, money is whole cents, shares
    and counts are Decimals, ids are strings; and the whole advice serialises."""
    valuation = value_offer(offer, REGISTRY, traces=False)
    advice = advise(offer, valuation, REGISTRY)
    assert any(point.id == "get-it-in-writing" for point in advice.points)
    for point in advice.points:
        assert point.id in RULE_IDS
        assert point.ask in ASK_IDS
        keys = set(point.numbers)
        required = set(NUMBER_KEYS[point.ask])
        assert required <= keys <= required | set(OPTIONAL_NUMBER_KEYS.get(point.ask, ()))
        for key, value in point.numbers.items():
            kind = number_format(point.ask, key)
            if kind == "id":
                assert isinstance(value, str)
                continue
            assert isinstance(value, Decimal)
            if kind == "money":
                assert value == value.quantize(Decimal("0.01"))
        assert point.impact_year1 == point.impact_year1.quantize(Decimal("0.01"))
    to_plain(advice)


def test_every_ask_has_declared_numbers() -> None:
    """Each ask id has its numbers declared, and every declared key has a format."""
    assert set(NUMBER_KEYS) == set(ASK_IDS)
    declared = {key for keys in NUMBER_KEYS.values() for key in keys}
    declared |= {key for keys in OPTIONAL_NUMBER_KEYS.values() for key in keys}
    assert declared == set(NUMBER_FORMATS)
