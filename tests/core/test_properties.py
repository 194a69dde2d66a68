"""Properties of the valuation over the shared offer generator."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import REGISTRY, invalid_offers, offers
from valuation import OfferError, build_offer, dumps, load_offer, to_plain, value_offer
from valuation.formulas import CONTEXT

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPO = Path(__file__).resolve().parents[2]


def valued(data: dict[str, Any]) -> Any:
    return value_offer(build_offer(data, REGISTRY))


@SETTINGS
@given(offers())
def test_same_input_gives_byte_identical_json(data: dict[str, Any]) -> None:
    """Valuing the same offer twice gives byte-identical JSON."""
    assert dumps(to_plain(valued(data))) == dumps(to_plain(valued(data)))


def test_output_is_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED print the same bytes for the same offer file."""
    offer = tmp_path / "offer.toml"
    offer.write_text(
        'employer = "Acme"\n[salary]\nbase = "180k"\n[bonus]\ntarget = "15%"\n[[equity]]\nkind = "rsu"\n'
        'grant_value = "400k"\n[[compute]]\ntokens = "100M"\nmodel = "gpt-5"\ncadence = "monthly"\n'
        '[[compute]]\ngpu_hours = 500\ngpu = "h100"\npersonal_use = true\n'
    )
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "cli", "value", str(offer), "--json"],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000


@SETTINGS
@given(offers(), st.integers(1, 100_000))
def test_more_base_never_lowers_a_total(data: dict[str, Any], raise_by: int) -> None:
    """Raising base never lowers any year's advertised or cash-equivalent total."""
    before = valued(data)
    richer = {**data, "salary": {"base": str(build_offer(data, REGISTRY).salary.base + raise_by)}}
    after = valued(richer)
    for old, new in zip(before.years, after.years, strict=True):
        assert new.advertised_tc >= old.advertised_tc and new.cash_equivalent_tc >= old.cash_equivalent_tc


@SETTINGS
@given(offers())
def test_cash_on_departure_never_hurts(data: dict[str, Any]) -> None:
    """Turning every grant's forfeiture into cash-out never lowers cash-equivalent nor raises cost to leave."""
    before = valued(data)
    cashed = {**data, "compute": [{**g, "on_departure": "cash"} for g in data.get("compute", [])]}
    after = valued(cashed)
    assert after.headline.cash_equivalent_tc_horizon >= before.headline.cash_equivalent_tc_horizon
    for old, new in zip(before.cost_to_leave, after.cost_to_leave, strict=True):
        assert new.total <= old.total


@SETTINGS
@given(offers())
def test_net_benefit_never_exceeds_face(data: dict[str, Any]) -> None:
    """No grant's net benefit exceeds its face value, in any year or scenario."""
    v = valued(data)
    for grant in v.grants:
        for figures in (*grant.years, *grant.scenarios.values()):
            assert figures.net_benefit <= figures.face


@SETTINGS
@given(offers())
def test_parts_sum_to_totals(data: dict[str, Any]) -> None:
    """Years, cost to leave and grant totals are the exact sums of their parts (before rounding), in the core's
    decimal context."""
    v = valued(data)
    with localcontext(CONTEXT):
        _check_sums(v)


def _check_sums(v: Any) -> None:
    for y in v.years:
        assert y.cash == y.base + y.bonus + y.sign_on
        assert y.cash_equivalent_tc == y.cash + y.equity + y.compute_cash_equivalent
    for c in v.cost_to_leave:
        assert c.total == c.equity_unvested + c.sign_on_repayment + c.compute_forfeited + c.option_exercise_cost
    for grant in v.grants:
        assert grant.total.face == sum((y.face for y in grant.years), Decimal(0))
        assert grant.total.cash_equivalent == sum((y.cash_equivalent for y in grant.years), Decimal(0))
    assert v.headline.cash_equivalent_tc_horizon == sum((y.cash_equivalent_tc for y in v.years), Decimal(0))


@SETTINGS
@given(offers())
def test_every_trace_recomputes_its_figure(data: dict[str, Any]) -> None:
    """Each trace's formula applied to its inputs gives exactly the figure it explains."""
    v = valued(data)
    assert v.traces
    for trace in v.traces:
        assert trace.recompute() == trace.value, trace.key


@SETTINGS
@given(offers())
def test_base_scenario_lies_between_low_and_high_face(data: dict[str, Any]) -> None:
    """Low, base and high scenarios are ordered on what they vary: a grant's face value."""
    v = valued(data)
    for grant in v.grants:
        assert grant.scenarios["low"].face <= grant.scenarios["base"].face <= grant.scenarios["high"].face


@SETTINGS
@given(invalid_offers())
def test_invalid_offers_raise_only_offer_error(data: dict[str, Any]) -> None:
    """Broken offers are refused with OfferError, carrying at least one problem."""
    try:
        build_offer(data, REGISTRY)
    except OfferError as exc:
        assert exc.problems and all(p.field and p.example for p in exc.problems if p.reason.value != "unknown_key")
    else:
        raise AssertionError("accepted an invalid offer")


@SETTINGS
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_text_never_raises_anything_but_offer_error(text: str | bytes) -> None:
    """Whatever text or bytes arrive as an offer file, the only failure is OfferError."""
    with contextlib.suppress(OfferError):
        load_offer(text, REGISTRY)
