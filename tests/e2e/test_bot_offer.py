"""The bot end to end: the real process, real HTTP and websocket, a fake Discord on loopback. One bot serves the
module; each test asserts only on what its own interactions produced."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.advice import find_advisor
from tests.fake_discord import InteractionHandle, message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord
from valuation import default_registry

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
EPHEMERAL = 64
MESSAGE_CALLBACKS = (4, 7)  # callback types that carry a message body
ADVISOR_INSTALLED = find_advisor() is not None


def sent_bodies(*handles: InteractionHandle) -> list[dict[str, Any]]:
    """Every message body the bot sent for these interactions: callbacks, webhook edits and followups."""
    bodies = []
    for handle in handles:
        for request in handle.requests:
            body = request.payload
            if request.method not in ("POST", "PATCH") or not isinstance(body, dict):
                continue
            if request.route == "interaction_callback":
                if body.get("type") in MESSAGE_CALLBACKS:
                    bodies.append(body["data"])
            else:
                bodies.append(body)
    return bodies


def button_ids(message: dict[str, Any], *, enabled_only: bool = False) -> list[str]:
    return [
        c["custom_id"]
        for row in message.get("components", [])
        for c in row.get("components", [])
        if not (enabled_only and c.get("disabled"))
    ]


def public_count(fake: FakeDiscord) -> int:
    return len(fake.public_messages())


async def evaluate(fake: FakeDiscord, user: Any = ALICE, **kwargs: Any) -> tuple[InteractionHandle, dict[str, Any]]:
    options = kwargs.pop("options")
    handle = await fake.invoke("offer", subcommand="evaluate", options=options, user=user, **kwargs)
    return handle, await handle.final()


async def test_evaluate_in_a_server_is_private_with_buttons(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """In a server the breakdown is shown only to the asker (its first response already ephemeral, whether the
    reply itself or a "thinking…" placeholder), with buttons."""
    public_before = public_count(shared_fake)
    handle, final = await evaluate(shared_fake, options={"base": "180k", "credits": "50k", "employer": "Acme AI"})
    response = await handle.response()
    assert response.type in (4, 5) and response.ephemeral
    assert final["flags"] & EPHEMERAL
    assert all(message["flags"] & EPHEMERAL for message in handle.messages)
    text = message_text(final)
    assert "Acme AI" in text and "$180,000" in text
    expected = {"result:share", "result:work", "whatif:change"} | ({"result:advice"} if ADVISOR_INSTALLED else set())
    assert set(button_ids(final)) == expected  # the offer has credits: the what-if menu is under it too
    assert public_count(shared_fake) == public_before
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(handle))


async def test_share_posts_a_public_copy_only_for_the_asker(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Another user pressing Share is refused privately and nothing is posted; the asker's press disables the Share
    button on the breakdown and posts a public copy naming them."""
    handle, final = await evaluate(shared_fake, options={"base": "181k"})
    public_before = public_count(shared_fake)
    intruder = await shared_fake.deliver(shared_fake.click(final, "result:share", user=BOB, forge=True), forge=True)
    refusal = await intruder.response()
    assert refusal.ephemeral and "belongs to whoever ran the command" in (refusal.content or "")
    assert public_count(shared_fake) == public_before
    press = await shared_fake.deliver(shared_fake.click(final, "result:share", user=ALICE))
    updated = await press.final()  # the press updates the breakdown it was on
    assert "result:share" not in button_ids(updated, enabled_only=True)
    assert "result:work" in button_ids(updated, enabled_only=True)
    shared = (await press.wait_followups(1))[0]
    assert not shared["flags"] & EPHEMERAL
    assert public_count(shared_fake) == public_before + 1
    assert "$181,000" in message_text(shared) and "Shared by Alice" in message_text(shared)
    original = handle.original
    assert original is not None and "result:share" not in button_ids(original, enabled_only=True)
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(intruder, press))


async def test_show_your_work_is_private_and_only_for_the_asker(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Show your work answers the asker privately with the assumptions, the headline and year 1; its button
    brings the file of every formula (month by month too); another user is refused with the "not yours"
    message, on either button."""
    _, final = await evaluate(shared_fake, options={"base": "150k", "credits": "20k"})
    public_before = public_count(shared_fake)
    intruder = await shared_fake.deliver(shared_fake.click(final, "result:work", user=BOB, forge=True), forge=True)
    refusal = await intruder.response()
    assert refusal.ephemeral and "belongs to whoever ran the command" in (refusal.content or "")
    press = await shared_fake.deliver(shared_fake.click(final, "result:work", user=ALICE))
    work = await press.final()
    text = message_text(work)
    assert work["flags"] & EPHEMERAL and "Assumptions used" in text and "Year 1" in text
    assert "month by month" not in text and work.get("attachments", []) == []
    intruder = await shared_fake.deliver(shared_fake.click(work, "result:file", user=BOB, forge=True), forge=True)
    assert "belongs to whoever ran the command" in ((await intruder.response()).content or "")
    file_press = await shared_fake.deliver(shared_fake.click(work, "result:file", user=ALICE))
    attached = await file_press.final()
    assert attached["flags"] & EPHEMERAL
    assert [a["filename"] for a in attached.get("attachments", [])] == ["work.md"]
    full = shared_fake.attachment_bytes(attached["attachments"][0]).decode()
    assert "Running total, month by month" in full and "Year 2" in full
    assert public_count(shared_fake) == public_before


@pytest.mark.skipif(not ADVISOR_INSTALLED, reason="the advisor is not installed")
async def test_advice_is_private_and_only_for_the_asker(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """The breakdown opens with "Your ask"; Advice answers the asker privately in one message: the email in a code
    block to copy, above the strategy (no file, no second message); another user is refused."""
    _, final = await evaluate(shared_fake, options={"base": "150k", "credits": "100M", "model": "gpt-5"})
    assert "**Your ask: about $" in message_text(final)
    public_before = public_count(shared_fake)
    intruder = await shared_fake.deliver(shared_fake.click(final, "result:advice", user=BOB, forge=True), forge=True)
    assert (await intruder.response()).ephemeral
    press = await shared_fake.deliver(shared_fake.click(final, "result:advice", user=ALICE))
    advice = await press.final()
    assert advice["flags"] & EPHEMERAL
    assert advice.get("attachments", []) == []
    assert "Your ask" in message_text(advice)
    assert advice["content"].count("```") == 2 and "Subject: " in advice["content"]
    await asyncio.sleep(0.2)  # a second message would follow the first at once
    assert press.followups == [] and public_count(shared_fake) == public_before


async def test_evaluate_in_the_bot_dm_is_a_normal_message(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """In the person's own DM with the bot the breakdown is a normal message, without a Share button."""
    handle, final = await evaluate(shared_fake, options={"base": "120k"}, guild_id=None)
    assert not (await handle.response()).ephemeral
    assert not final["flags"] & EPHEMERAL
    assert "$120,000" in message_text(final)
    assert "result:share" not in button_ids(final)


async def test_evaluate_in_someone_elses_dm_is_private(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Used from a DM with someone else (user install, context 2) the breakdown is ephemeral: others read there."""
    handle, final = await evaluate(shared_fake, options={"base": "121k"}, guild_id=None, context=2)
    assert (await handle.response()).ephemeral
    assert final["flags"] & EPHEMERAL and "$121,000" in message_text(final)
    assert "result:share" in button_ids(final)


async def test_garbage_money_gets_a_specific_private_error(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """``base: lots`` is refused ephemerally, naming the option, the value and a good example."""
    handle, final = await evaluate(shared_fake, options={"base": "lots"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL
    assert "base" in text and "lots" in text and "180k" in text
    assert "Traceback" not in text and "went wrong" not in text
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(handle))


async def test_unknown_model_typed_past_autocomplete_is_refused(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """A model id the registry does not know (autocomplete is only a suggestion) is refused by name."""
    _, final = await evaluate(shared_fake, options={"base": "100k", "credits": "5M", "model": "gpt-99"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "model" in text and "99" in text and "went wrong" not in text


async def test_mentions_and_markdown_in_employer_are_neutralised(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """An employer name with @everyone, a user mention and markdown shows literally; no message may mention."""
    employer = "@everyone <@123> **Big** [x](http://e.vil)"
    handle, final = await evaluate(shared_fake, options={"base": "100k", "employer": employer})
    press = await shared_fake.deliver(shared_fake.click(final, "result:share", user=ALICE))
    shared = (await press.wait_followups(1))[0]
    for message in (final, shared):
        text = message_text(message)
        assert "Big" in text
        assert "@everyone" not in text and "<@123>" not in text and "**Big**" not in text and "](http" not in text
    bodies = sent_bodies(handle, press)
    assert bodies and all(body.get("allowed_mentions") == {"parse": []} for body in bodies)


async def test_offer_file_attachment_is_valued_with_overrides(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A TOML offer file with two compute grants is valued; an option beside it overrides its base."""
    toml = (
        b'employer = "FileCo"\n[salary]\nbase = "90k"\n'
        b'[[compute]]\namount = "10k"\n[[compute]]\ntokens = "50M"\nmodel = "gpt-5"\n'
    )
    attachment = shared_fake.add_attachment("offer.toml", toml, "application/toml")
    _, final = await evaluate(shared_fake, options={"offer_file": attachment, "base": "95k"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL
    assert "FileCo" in text and "$95,000" in text and "$90,000" not in text and "#2" in text


async def test_text_beside_an_offer_file_is_read_over_it(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """An offer file and the text option together: the file is valued and the text read over it (the text's base
    replaces the file's; the file's employer stays). The text used to be dropped without a word."""
    toml = b'employer = "FileCo"\n[salary]\nbase = "90k"\n'
    attachment = shared_fake.add_attachment("offer.toml", toml, "application/toml")
    _, final = await evaluate(
        shared_fake, options={"offer_file": attachment, "text": "We offer a $97,000 annual base salary."}
    )
    text = message_text(final)
    assert "FileCo" in text and "$97,000" in text and "$90,000" not in text


async def test_oversized_offer_file_is_refused_without_downloading(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """A file over 64 KB is refused with the limit named, and the bot never downloads it."""
    big = shared_fake.add_attachment("offer.toml", b"#" * (70 * 1024), "application/toml")
    _, final = await evaluate(shared_fake, options={"offer_file": big})
    assert final["flags"] & EPHEMERAL and "64 KB" in message_text(final)
    assert shared_fake.find_requests(path=f"/attachments/{big['id']}/") == []


async def test_offer_file_with_a_bad_value_names_the_field(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A negative base in an offer file is refused, naming the field."""
    bad = shared_fake.add_attachment("offer.toml", b'[salary]\nbase = "-5"\n', "application/toml")
    _, final = await evaluate(shared_fake, options={"offer_file": bad})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "salary" in text and "negative" in text


async def test_model_autocomplete_filters_within_limits(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Autocomplete offers at most 25 registry choices, only those matching what was typed."""
    typed = await shared_fake.deliver(
        shared_fake.autocomplete("offer", subcommand="evaluate", options={"model": "claude"}, focused="model")
    )
    choices = await typed.choices()
    assert 0 < len(choices) <= 25
    assert all("claude" in (c["value"] + c["name"]).lower() for c in choices)
    empty = await shared_fake.deliver(
        shared_fake.autocomplete("tokens", subcommand="value", options={"model": ""}, focused="model")
    )
    everything = await empty.choices()
    assert len(choices) < len(everything) <= 25
    assert {"gpt-5", "h100"} <= {c["value"] for c in everything}


async def test_tokens_value_converts_with_date_and_source(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """/tokens value turns 100M tokens of a model into dollars, with the price date and its source."""
    handle = await shared_fake.invoke("tokens", subcommand="value", options={"amount": "100M", "model": "gpt-5"})
    final = await handle.final()
    text = message_text(final)
    assert "$343.75" in text and "2026-11-01" in text and "llm-prices" in text.lower()
    assert final["flags"] & EPHEMERAL


async def test_a_first_response_does_not_ask_for_the_message_back(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """A reply sent as the first response carries the whole message and does not ask Discord to send it back
    (nothing reads it); the buttons under it still work (a press is answered the same way)."""
    handle = await shared_fake.invoke("tokens", subcommand="value", options={"amount": "100M", "model": "gpt-5"})
    response = await handle.response()
    assert response.type == 4  # small and quick: the reply itself, no "thinking…"
    assert "with_response" not in response.request.query
    assert "$343.75" in message_text(await handle.final())
    _, final = await evaluate(shared_fake, options={"base": "180k", "credits": "50k"})
    press = await shared_fake.deliver(shared_fake.click(final, "result:work", user=ALICE))
    work = await press.final(settle=0.3)
    first = await press.response()
    if first.type == 4:  # answered at once, not deferred
        assert "with_response" not in first.request.query
    assert all(m["flags"] & EPHEMERAL for m in press.messages) and "result:file" in button_ids(work)


async def test_tokens_value_refuses_a_bad_amount(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A token amount that is not a count is refused ephemerally with an example."""
    handle = await shared_fake.invoke("tokens", subcommand="value", options={"amount": "heaps", "model": "gpt-5"})
    final = await handle.final()
    assert final["flags"] & EPHEMERAL and "heaps" in message_text(final) and "100M" in message_text(final)


async def test_help_and_about_answer_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """/help lists the commands and /about gives methodology, sources, the price date, the entries that are stale
    today (the bot passes its date; the registry reads no clock) and disclaimers."""
    help_handle = await shared_fake.invoke("help")
    assert (await help_handle.response()).ephemeral
    help_text = message_text(await help_handle.final())
    for name in ("offer evaluate", "offer save", "offer list", "offer delete", "offer compare", "tokens value"):
        assert f"`/{name}`" in help_text, name
    for name in ("defaults set", "privacy", "config set", "about"):
        assert f"`/{name}`" in help_text, name
    about_handle = await shared_fake.invoke("about")
    about = message_text(await about_handle.final())
    registry = default_registry()
    assert "Sources" in about and registry.as_of.isoformat() in about and "not financial" in about.lower()
    stale = registry.stale(datetime.now(UTC).date())
    assert ("**Stale:**" in about) == bool(stale)
    assert all(f"`{entry.id}`" in about for entry in stale)


async def test_commands_are_published_globally_within_discord_limits(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """``fourth-pillar sync`` published every command globally (none to the guild), each usable in servers, the
    bot's DM and other DMs under guild and user installs — but /config, which is for servers that installed the
    bot; the fake saw no limit violations. The message menu "Evaluate offer (private)" is published beside them."""
    assert shared_fake.violations == []
    commands = shared_fake.global_commands
    names = {"offer", "tokens", "help", "about", "privacy", "config", "defaults", "Evaluate offer (private)"}
    assert {c["name"] for c in commands} == names
    assert shared_fake.guild_commands(DEV_GUILD_ID) == []
    for command in commands:
        if command["name"] == "config":
            assert command["contexts"] == [0] and command["integration_types"] == [0]
        else:
            assert sorted(command["contexts"]) == [0, 1, 2] and sorted(command["integration_types"]) == [0, 1]
        assert len(json.dumps(command)) <= 8000


async def test_debug_log_holds_no_figures_nor_the_token(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """At LOG_LEVEL=DEBUG the log names each command and its duration, but holds none of the offer's figures in
    any formatting, nor the token."""
    _, final = await evaluate(shared_fake, options={"base": "187,654", "credits": "43219", "employer": "Zyx Quux"})
    assert "$187,654" in message_text(final)
    for custom_id in ("result:work", "result:share"):
        press = await shared_fake.deliver(shared_fake.click(final, custom_id, user=ALICE))
        await press.final()
    bad = await shared_fake.invoke("offer", subcommand="evaluate", options={"base": "187654x"}, user=ALICE)
    await bad.final()
    # Each line's time stamp is left out of the search: at 12:34:43,219 the clock itself reads "43,219".
    log = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", "", shared_bot.log_text(), flags=re.MULTILINE)
    assert "/offer evaluate answered in" in log and "button work answered in" in log
    assert "DEBUG" in log  # the level really was DEBUG
    figures = re.compile(
        r"187[\s,.\u00a0\u202f']?654|187(?:[.,]\d+)?\s?[kK]|43[\s,.\u00a0\u202f']?219|43(?:[.,]\d+)?\s?[kK]|Zyx Quux"
    )
    assert figures.findall(log) == [], [line for line in log.splitlines() if figures.search(line)]
    assert shared_fake.token not in log


async def test_a_big_offer_fits_discords_limits(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """An offer file with ten compute grants and two equity grants is answered within Discord's size limits; its
    formulas come as a few pages, and a file holding all of them on request."""
    grants = "".join(f'[[compute]]\namount = "{n}k"\ncadence = "monthly"\n' for n in range(1, 11))
    toml = (
        '[salary]\nbase = "150k"\n[[equity]]\nkind = "rsu"\ngrant_value = "400k"\n'
        '[[equity]]\nkind = "option"\nshares = "10000"\nstrike = "1"\npreferred_price = "5"\n' + grants
    )
    attachment = shared_fake.add_attachment("offer.toml", toml.encode(), "application/toml")
    violations_before = len(shared_fake.violations)
    _, final = await evaluate(shared_fake, options={"offer_file": attachment})
    assert "#10" in message_text(final)
    press = await shared_fake.deliver(shared_fake.click(final, "result:work", user=ALICE))
    work = await press.final(settle=0.3)
    assert 1 <= len(press.followups) <= 2  # pages after the first response (or the deferred placeholder's edit)
    assert all(m["flags"] & EPHEMERAL for m in press.messages)
    file_press = await shared_fake.deliver(shared_fake.click(work, "result:file", user=ALICE))
    attached = await file_press.final()
    assert [a["filename"] for a in attached.get("attachments", [])] == ["work.md"]
    assert len(shared_fake.violations) == violations_before


async def test_work_required_as_a_percentage_is_used(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """``work_required: 60%`` is valued (it always failed: the option path wrote "0.6", which the share parser
    refused)."""
    _, final = await evaluate(
        shared_fake, options={"base": "180k", "credits": "50k", "personal_use": True, "work_required": "60%"}
    )
    text = message_text(final)
    assert "$180,000" in text and "That offer needs a fix" not in text
    _, less_work = await evaluate(
        shared_fake, options={"base": "180k", "credits": "50k", "personal_use": True, "work_required": "10%"}
    )
    assert "$180,000" in message_text(less_work) and message_text(less_work) != text  # the share is used


async def test_a_bare_fraction_for_work_required_gets_both_readings(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """``work_required: 0.6`` is refused with "0.6% or 60%", never "a bare number above 1"."""
    _, final = await evaluate(shared_fake, options={"base": "180k", "credits": "50k", "work_required": "0.6"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "could mean 0.6% or 60%" in text and "above 1" not in text


async def test_a_tail_is_valued_with_tail_months(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """``on_departure: tail`` with ``tail_months: 3`` is valued (without a tail_months option it never could)."""
    _, final = await evaluate(
        shared_fake, options={"base": "180k", "credits": "12k", "on_departure": "tail", "tail_months": 3}
    )
    text = message_text(final)
    assert "$180,000" in text and "tail_months" not in text


async def test_credits_that_look_like_tokens_ask_what_was_meant(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """``credits: 100M`` with no model is never valued as $100,000,000: an ephemeral message asks whether it is
    tokens (add a model) or dollars (write $100M), with examples; ``$100M`` is then refused as over 10× base."""
    _, final = await evaluate(shared_fake, options={"base": "180k", "credits": "100M"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "100,000,000" not in text and "−$" not in text
    assert "`credits`" in text and "model: gpt-5" in text and "$100M" in text
    _, dollars = await evaluate(shared_fake, options={"base": "180k", "credits": "$100M"})
    text = message_text(dollars)
    assert dollars["flags"] & EPHEMERAL and "`credits`" in text and "$1,800,000" in text and "model: gpt-5" in text


async def test_a_euro_mark_in_a_dollar_offer_is_refused(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """``base: €95,000`` with no currency is not read as $95,000: refused naming ``base`` and the currency option;
    with ``currency: EUR`` alone the US tax estimate asks for ``usd_rate`` (never converting euros one to one), and
    with ``usd_rate: 0.92`` it is valued in euros."""
    _, final = await evaluate(shared_fake, options={"base": "€95,000"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "`base`" in text and "currency: EUR" in text
    _, no_rate = await evaluate(shared_fake, options={"base": "€95,000", "currency": "EUR"})
    text = message_text(no_rate)
    assert no_rate["flags"] & EPHEMERAL and "`usd_rate: 0.92`" in text and "/defaults set marginal_tax_rate" in text
    _, euros = await evaluate(shared_fake, options={"base": "€95,000", "currency": "EUR", "usd_rate": "0.92"})
    assert "€95,000" in message_text(euros)
