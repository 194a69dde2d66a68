"""Advice: every ask and source has wording, the counter-offer's every outcome reads right, the email script
carries the numbers, Discord parts fit, and snapshots of representative offers."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompts import MessagePart, Renderer, within_limits
from prompts.formatting import money
from tests.prompts.conftest import LOCALES, MENTIONS, OFFERS, check_snapshot, dump_parts, evaluate
from tests.strategies import REGISTRY, offers
from valuation import build_offer, value_offer
from valuation.advisor import ASK_IDS, SOURCES, advise

ASK_TEMPLATES = Path(__file__).parents[2] / "prompts" / "templates" / "advice" / "asks"
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _text(parts: list[MessagePart]) -> str:
    return "\n".join(
        [p.content for p in parts] + [f"{e.title}\n{e.description}\n{e.footer}" for p in parts for e in p.embeds]
    )


@pytest.mark.parametrize("name", sorted(OFFERS))
def test_advice_matches_reviewed_snapshots(renderer: Renderer, name: str) -> None:
    """Advice (text and Discord) and the email script of each representative offer match their snapshots."""
    _, valuation, advice = evaluate(OFFERS[name])
    check_snapshot(f"{name}.advice.md", renderer.advice_text(advice, valuation, locale="en-US"))
    check_snapshot(f"{name}.advice.discord.txt", dump_parts(renderer.advice_discord(advice, valuation, locale="en-US")))
    check_snapshot(f"{name}.script.txt", renderer.script_text(advice, valuation, locale="en-US"))


def test_every_ask_has_wording_and_no_stray_templates() -> None:
    """Each advisor ask id has its own template, and every ask template belongs to a known ask id."""
    files = {path.stem for path in ASK_TEMPLATES.glob("*.j2")}
    assert files == set(ASK_IDS)


def test_every_ask_fires_on_some_representative_offer(renderer: Renderer) -> None:
    """Across the representative offers (and the competing offer below this one) every ask id is rendered."""
    texts = [OFFERS[name] for name in OFFERS] + [OFFERS["negotiating"].replace('"420k"', '"100k"')]
    seen: set[str] = set()
    for text in texts:
        _, valuation, advice = evaluate(text)
        seen |= {point.ask for point in advice.points}
        assert renderer.advice_text(advice, valuation) and renderer.script_text(advice, valuation)
    assert seen == set(ASK_IDS)


def test_every_source_has_wording(renderer: Renderer) -> None:
    """Every source tag an advice point can carry is named in words, never as its tag."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    for source in SOURCES:
        point = dataclasses.replace(advice.points[0], source=source)
        changed = dataclasses.replace(advice, points=(point,))
        text = renderer.advice_text(changed, valuation)
        assert f"Source: {source}." not in text and "Source: " in text


def test_points_show_ask_reason_and_numbers(renderer: Renderer) -> None:
    """Each point shows its ask in bold with its rank, then the reason with the point's own figures."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    text = renderer.advice_text(advice, valuation, locale="en-US")
    restate = next(p for p in advice.points if p.ask == "restate-tc-without-credits")
    assert f"**{restate.rank}. Ask for total compensation stated without the credits**" in text
    for key in ("advertised_tc", "restated_tc", "credits_in_tc"):
        assert money(restate.numbers[key], "USD", "en-US", cents=False) in text


def test_counter_offer_reads_right_when_reached_short_or_already_met(renderer: Renderer) -> None:
    """The counter-offer says when it reaches the target, how far short it stays, or that no counter is needed."""
    offer, valuation, _ = evaluate(OFFERS["acme"])
    reached = advise(offer, valuation, REGISTRY)
    short = advise(offer, valuation, REGISTRY, target=Decimal(5_000_000))
    met = advise(offer, valuation, REGISTRY, target=Decimal(1000))
    over_horizon = advise(offer, valuation, REGISTRY, target=Decimal(1_400_000), target_kind="horizon")
    assert "Together these reach the target" in renderer.advice_text(reached, valuation)
    short_text = renderer.advice_text(short, valuation)
    assert (
        not short.counter_offer.reached
        and money(short.counter_offer.shortfall, "USD", "en-US", cents=False) in short_text
    )
    assert "already reaches the target" in renderer.advice_text(met, valuation)
    assert "over the 48 months" in renderer.advice_text(over_horizon, valuation)


def test_script_is_plain_polite_and_carries_the_counter_offer(renderer: Renderer) -> None:
    """The email has a subject, a greeting, each counter-offer amount, a sign-off, and no Markdown."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    script = renderer.script_text(advice, valuation, locale="en-US")
    assert script.startswith("Subject: ") and "Hi [name]," in script and script.rstrip().endswith("[your name]")
    assert "**" not in script and not re.search(r"^#", script, re.MULTILINE)
    for step in advice.counter_offer.steps:
        assert money(step.asked, "USD", "en-US", cents=False) in script


def test_script_keeps_employer_markup_as_plain_text(renderer: Renderer) -> None:
    """An employer name with mentions and markdown appears in the script as typed (an email is not Discord)."""
    _, valuation, advice = evaluate(OFFERS["negotiating"])
    assert "Big Co <@123> **bold** @everyone" in renderer.script_text(advice, valuation)


@SETTINGS
@given(offers(), st.sampled_from(LOCALES))
def test_any_offer_advice_renders_within_discord_limits(renderer: Renderer, data: dict[str, Any], locale: str) -> None:
    """For any offer, advice renders (text, Discord, script) without error and every Discord part fits."""
    data = {**data, "employer": "@everyone <@1> **x**"}
    offer = build_offer(data, REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    advice = advise(offer, valuation, REGISTRY)
    parts = renderer.advice_discord(advice, valuation, locale=locale)
    assert parts and all(within_limits(p) == [] for p in parts)
    assert not MENTIONS.search(_text(parts))
    assert renderer.advice_text(advice, valuation, locale=locale)
    assert renderer.script_text(advice, valuation, locale=locale).startswith("Subject: ")
