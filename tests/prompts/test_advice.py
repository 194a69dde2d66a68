"""Advice in words: "Your ask" first, every id has wording, fallbacks stay out of the email, the email fits a
Discord code block, US tax points only under US tax, and snapshots of representative and corpus offers."""

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
from prompts.parts import CONTENT_MAX
from prompts.renderer import fit_script
from tests.advisor.helpers import corpus_files, corpus_offer
from tests.prompts.conftest import LOCALES, MENTIONS, OFFERS, check_snapshot, dump_parts, evaluate
from tests.strategies import REGISTRY, offers
from valuation import build_offer, value_offer
from valuation.advisor import (
    FALLBACK_IDS,
    SOURCES,
    TERM_IDS,
    WARNING_IDS,
    Advice,
    Fallback,
    Term,
    Warning,
    advise,
)
from valuation.advisor.result import FALLBACK_NUMBERS, TERM_NUMBERS, WARNING_NUMBERS

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
ID_PATTERN = re.compile(r"\b[a-z]+(?:-[a-z0-9]+){1,}\b")
ALLOWED_HYPHENATED = {"sign-on", "working-condition", "tax-free", "gross-up", "cash-out", "one-time", "up-from"}


def _text(parts: list[MessagePart]) -> str:
    return "\n".join(
        [p.content for p in parts] + [f"{e.title}\n{e.description}\n{e.footer}" for p in parts for e in p.embeds]
    )


def _usd(value: Decimal | str) -> str:
    return money(value, "USD", "en-US", cents=False)


@pytest.mark.parametrize("name", sorted(OFFERS))
def test_advice_matches_reviewed_snapshots(renderer: Renderer, name: str) -> None:
    """Advice (text, and the Discord reply with the email's code block), and the email match their reviewed
    snapshots."""
    _, valuation, advice = evaluate(OFFERS[name])
    check_snapshot(f"{name}.advice.md", renderer.advice_text(advice, valuation, locale="en-US"))
    parts, email_file = renderer.advice_reply(advice, valuation, locale="en-US")
    assert email_file is None  # every representative email fits the first message
    check_snapshot(f"{name}.advice.discord.txt", dump_parts(parts))
    check_snapshot(f"{name}.script.txt", renderer.script_text(advice, valuation, locale="en-US"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_advice_matches_reviewed_snapshot(renderer: Renderer, path: Path) -> None:
    """Each corpus offer's advice and email, as a job seeker reads them, match the reviewed snapshot."""
    _, valuation, advice = corpus_offer(path)
    text = renderer.advice_text(advice, valuation) + "\n----- email -----\n" + renderer.script_text(advice, valuation)
    check_snapshot(f"corpus/{path.stem}.txt", text)


def test_advise_and_breakdown_open_with_your_ask(renderer: Renderer) -> None:
    """Advice opens with "Your ask"; the breakdown shows it under the headline's first lines, and only when given."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    anchor = _usd(advice.anchor.amount)
    text = renderer.advice_text(advice, valuation)
    assert text.startswith("## Your ask\n") and f"**Your ask: about {anchor}**" in text.split("\n\n")[0]
    breakdown = renderer.breakdown_text(valuation, advice=advice).split("\n")
    assert any(line.startswith(f"**Your ask: about {anchor}**") for line in breakdown[:6])
    assert "Your ask" not in renderer.breakdown_text(valuation)


def test_below_floor_verdict_leads_with_the_gap(renderer: Renderer) -> None:
    """An offer worth less than the floor opens with how far below it is: floor 330k, worth 187k -> 143k under."""
    data = {"salary": {"base": "170k"}, "bonus": {"target": "10%"}, "negotiation": {"floor": "330k"}}
    offer = build_offer(data, REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    advice = advise(offer, valuation, REGISTRY)
    first = renderer.advice_text(advice, valuation).split("\n")[1]
    # Worth: 170,000 + 10% bonus 17,000 = 187,000; 330,000 - 187,000 = 143,000.
    assert first.startswith("**Below your floor:**") and "$143,000 under your $330,000 floor" in first


def _with(advice: Advice, **changes: Any) -> Advice:
    return dataclasses.replace(advice, **changes)


def _numbers(keys: tuple[str, ...]) -> dict[str, Decimal | str]:
    ids = {"denomination": "tokens", "in_tc": "yes", "forfeits": "yes", "work_only": "no"}
    return {key: ids.get(key, Decimal("3")) for key in keys}


def test_every_fallback_term_warning_and_source_has_wording(renderer: Renderer) -> None:
    """Each fallback, term, warning and source id renders in words, never as its id."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    ask = next(a for a in (*advice.asks, *advice.reserve) if a.scope == "compute")
    for fallback_id in FALLBACK_IDS:
        fallback = Fallback(fallback_id, _numbers(FALLBACK_NUMBERS[fallback_id]))
        changed = _with(advice, asks=(dataclasses.replace(ask, fallbacks=(fallback,)),))
        section = renderer.advice_text(changed, valuation).split("## If they say no")[1].split("##")[0]
        words = section
        for term in ("sign-on", "cash-out", "gross-up", "working-condition fringe"):  # words, not ids
            words = words.replace(term, "")
        assert fallback_id not in words
    for term_id in TERM_IDS:
        for status in ("unstated", "unfavourable"):
            term = Term(term_id, "compute", 0, status, _numbers(TERM_NUMBERS[term_id]))  # type: ignore[arg-type]
            section = renderer.advice_text(_with(advice, terms=(term,)), valuation).split("## Get in writing")[1]
            line = section.strip().splitlines()[0]
            assert line.startswith("☐ ") and len(line) > 40
            assert "-" not in term_id or term_id not in line  # one-word ids are plain words
    for warning_id in WARNING_IDS:
        scope = "equity" if warning_id in ("underwater-options", "back-loaded") else "offer"
        warning = Warning(warning_id, scope, 0, _numbers(WARNING_NUMBERS[warning_id]))  # type: ignore[arg-type]
        section = renderer.advice_text(_with(advice, warnings=(warning,)), valuation).split("## Watch out")[1]
        assert section.strip().startswith("- ") and warning_id not in section.split("##")[0]
    text = renderer.advice_text(_with(advice, sources=SOURCES), valuation)
    sources = next(line for line in text.splitlines() if line.startswith("Sources: "))
    assert sources.count(";") == len(SOURCES) - 1 and not any(s in sources for s in SOURCES if "-" in s)


def test_one_sources_line_at_the_end(renderer: Renderer) -> None:
    """Advice names its sources once, on one line after every point (before the disclaimer)."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    lines = renderer.advice_text(advice, valuation).rstrip().splitlines()
    assert sum(line.startswith("Sources: ") for line in lines) == 1
    assert lines[-3].startswith("Sources: ") and lines[-1].startswith("Estimates, not financial")


def test_email_has_anchor_asks_and_close_but_no_fallbacks(renderer: Renderer) -> None:
    """The email: subject, greeting, the anchor, the asks numbered, a polite close; fallbacks and asks held in
    reserve stay out of it."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    script = renderer.script_text(advice, valuation)
    assert script.startswith("Subject: ") and "Hi [name]," in script and script.rstrip().endswith("[your name]")
    assert f"about {_usd(advice.anchor.amount)}" in script
    assert "**" not in script and not re.search(r"^#", script, re.MULTILINE)
    assert "grateful for the offer" in script
    kept = [*(f.numbers for a in (*advice.asks, *advice.reserve) for f in a.fallbacks)]
    kept += [a.numbers for a in advice.reserve]
    assert kept, "the representative offer should have fallbacks to keep out of the email"
    for numbers in kept:
        amount = numbers.get("amount")
        if amount is not None and all(Decimal(a.numbers.get("amount", 0)) != Decimal(amount) for a in advice.asks):
            assert _usd(amount) not in script


def test_email_keeps_employer_markup_as_plain_text(renderer: Renderer) -> None:
    """An employer name with mentions and markdown appears in the email file as typed (an email is not Discord)."""
    _, valuation, advice = evaluate(OFFERS["negotiating"])
    assert "Big Co <@123> **bold** @everyone" in renderer.script_text(advice, valuation)


def test_email_in_discord_is_a_copyable_code_block(renderer: Renderer) -> None:
    """In Discord the email is message content inside one code block, which an employer name cannot close."""
    _, valuation, advice = evaluate(OFFERS["negotiating"].replace("Big Co", "Big ``` Co"))
    part = renderer.advice_reply(advice, valuation)[0][0]
    assert part.content.count("```") == 2 and within_limits(part) == []
    body = part.content.split("```", 2)[1]
    assert body.lstrip("\n").startswith("Subject: ") and not MENTIONS.search(part.content)


def test_email_without_room_in_the_first_message_follows_as_a_file(renderer: Renderer) -> None:
    """With no room left in the first message, the email follows the strategy in its own message, saying it is also
    attached, and the plain email comes back as the file's text."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    parts, email_file = renderer.advice_reply(advice, valuation, reserve=CONTENT_MAX)
    assert not parts[0].content and parts[-1].content.startswith("Your email, ready to copy (also attached):")
    assert email_file == renderer.script_text(advice, valuation)


def test_long_email_moves_to_an_embed_then_to_the_file() -> None:
    """An email over the message limit goes in an embed; one over the embed limit points to the attached file."""
    short = "Your email:\n```\n" + "x" * 1900 + "\n```"
    assert fit_script(short, "see file") == MessagePart(content=short)
    longer = "Your email:\n```\n" + "x" * 3000 + "\n```"
    part = fit_script(longer, "see file")
    assert within_limits(part) == [] and part.embeds[0].title == "Your email:"
    assert part.embeds[0].description.startswith("```") and part.embeds[0].description.endswith("```")
    huge = "Your email:\n```\n" + "x" * 5000 + "\n```"
    assert fit_script(huge, "see file") == MessagePart(content="see file")


def test_us_tax_points_only_under_us_tax(renderer: Renderer) -> None:
    """Under another tax jurisdiction no IRS rule or source appears, and the tax point says the rules are unknown."""
    offer, valuation, _ = evaluate(OFFERS["acme"])
    german = dataclasses.replace(valuation, tax_jurisdiction="DE")
    advice = advise(offer, german, REGISTRY)
    assert not {"irs-pub-15b", "irs-notice-2011-72"} & set(advice.sources)
    text = renderer.advice_text(advice, german) + renderer.script_text(advice, german)
    assert "IRS" not in text and "working-condition" not in text
    assert "in Germany" in text


@SETTINGS
@given(offers(), st.sampled_from(LOCALES))
def test_any_offer_advice_renders_within_discord_limits(renderer: Renderer, data: dict[str, Any], locale: str) -> None:
    """For any offer, advice renders (text, Discord, email) without error and every Discord part fits."""
    data = {**data, "employer": "@everyone <@1> **x** ```"}
    offer = build_offer(data, REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    advice = advise(offer, valuation, REGISTRY)
    parts = renderer.advice_reply(advice, valuation, locale=locale)[0]
    assert parts and all(within_limits(p) == [] for p in parts)
    assert not MENTIONS.search(_text(parts))
    assert renderer.advice_text(advice, valuation, locale=locale)
    assert renderer.script_text(advice, valuation, locale=locale).startswith("Subject: ")
    words = renderer.advice_text(advice, valuation, locale=locale)
    leaked = set(ID_PATTERN.findall(words)) & {a.id for a in advice.asks}
    assert not leaked - ALLOWED_HYPHENATED


def test_a_counter_on_a_near_enough_offer_says_why_it_asks_for_base(renderer: Renderer) -> None:
    """100k base and $500 of work-only credits (a 0.5% gap): the advice asks for the usual base counter and says the
    offer is within the estimates' margin of what it advertises, never that it "already reaches" it, and asks for no
    $500 sign-on."""
    from tests.advisor.helpers import advice_of  # noqa: PLC0415

    _, valuation, advice = advice_of(
        {"salary": {"base": "100k"}, "compute": [{"amount": "500", "personal_use": False}]}
    )
    text = renderer.advice_text(advice, valuation)
    assert "within these estimates' margin of what it advertises" in text
    assert "already reaches" not in text and "sign-on bonus of $500" not in text
    assert "A base salary of $110,000" in text
