"""``/offer evaluate`` end to end: the real bot process, real HTTP and websocket, a fake Discord on loopback."""

from __future__ import annotations

import json
import re
import signal

import pytest

from tests.fake_discord import InteractionRefused, message_text  # noqa: F401
from tests.fake_discord.fixtures import ALICE, BOB
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]
EPHEMERAL = 64


def _bodies(fake: FakeDiscord, method: str, pattern: str) -> list[dict]:
    return [r.json for r in fake.find_requests(method=method, path_regex=pattern) if isinstance(r.json, dict)]


def _all_sent_bodies(fake: FakeDiscord) -> list[dict]:
    """Every message body the bot sent: callbacks' data, webhook edits and followups, channel messages."""
    bodies = []
    for request in fake.requests:
        body = request.json
        if request.method in ("POST", "PATCH") and isinstance(body, dict):
            if "/callback" in request.path and isinstance(body.get("data"), dict) and body.get("type") in (4, 7):
                bodies.append(body["data"])
            elif "/webhooks/" in request.path or "/messages" in request.path:
                bodies.append(body)
    return bodies


def _button_ids(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def test_evaluate_in_a_server_is_ephemeral_with_buttons(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """In a server the breakdown is deferred and answered ephemerally, with Share and Show-your-work buttons."""
    handle = await fake_discord.invoke(
        "offer", subcommand="evaluate", options={"base": "180k", "credits": "50k", "employer": "Acme AI"}, user=ALICE
    )
    response = await handle.response()
    assert response.type == 5 and response.ephemeral  # deferred, ephemeral
    final = await handle.final()
    assert final["flags"] & EPHEMERAL
    text = message_text(final)
    assert "Acme AI" in text and "$180,000" in text
    assert {"result:share", "result:work"} <= set(_button_ids(final))
    assert fake_discord.public_messages() == []


async def test_share_posts_a_public_copy_only_for_the_asker(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """Another user pressing Share gets a private refusal and nothing is posted; the asker's press posts a copy."""
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "181k"}, user=ALICE)
    final = await handle.final()
    intruder = await fake_discord.deliver(fake_discord.click(final, "result:share", user=BOB, forge=True), forge=True)
    refusal = await intruder.response()
    assert refusal.ephemeral and "belongs to whoever ran the command" in (refusal.content or "")
    assert fake_discord.public_messages() == []
    press = await fake_discord.deliver(fake_discord.click(final, "result:share", user=ALICE))
    shared = await press.response()
    assert not shared.ephemeral
    public = fake_discord.public_messages()
    assert len(public) == 1 and "$181,000" in message_text(public[0]) and "Alice" in message_text(public[0])


async def test_show_your_work_is_private_and_only_for_the_asker(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """Show your work answers the asker privately with the formulas (and a file); others are refused."""
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "150k"}, user=ALICE)
    final = await handle.final()
    intruder = await fake_discord.deliver(fake_discord.click(final, "result:work", user=BOB, forge=True), forge=True)
    assert (await intruder.response()).ephemeral
    press = await fake_discord.deliver(fake_discord.click(final, "result:work", user=ALICE))
    answer = await press.response()
    assert answer.ephemeral and "Assumptions used" in message_text(await press.final())
    assert fake_discord.public_messages() == []


async def test_evaluate_in_a_dm_is_a_normal_message(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """In the bot's DM the breakdown is a normal (not ephemeral) message."""
    handle = await fake_discord.invoke(
        "offer", subcommand="evaluate", options={"base": "120k"}, user=ALICE, guild_id=None
    )
    response = await handle.response()
    assert not response.ephemeral
    assert "$120,000" in message_text(await handle.final())


async def test_garbage_money_gets_a_specific_private_error(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """``base: lots`` is refused ephemerally, naming the option, the value and a good example."""
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "lots"}, user=ALICE)
    final = await handle.final()
    text = message_text(final)
    assert final["flags"] & EPHEMERAL
    assert "base" in text and "lots" in text and "180k" in text
    assert "Traceback" not in text


async def test_mentions_and_markdown_in_employer_are_neutralised(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """An employer name with @everyone, a user mention and markdown shows literally; no message may mention."""
    employer = "@everyone <@123> **Big** [x](http://e.vil)"
    handle = await fake_discord.invoke(
        "offer", subcommand="evaluate", options={"base": "100k", "employer": employer}, user=ALICE
    )
    text = message_text(await handle.final())
    assert "@everyone" not in text and "<@123>" not in text and "**Big**" not in text and "](http" not in text
    for body in _all_sent_bodies(fake_discord):
        assert body.get("allowed_mentions") == {"parse": []}, body


async def test_offer_file_attachment_is_valued(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """A TOML offer file with two compute grants is valued; an option beside it overrides its base."""
    toml = b'employer = "FileCo"\n[salary]\nbase = "90k"\n[[compute]]\namount = "10k"\n[[compute]]\ntokens = "50M"\nmodel = "gpt-5"\n'
    attachment = fake_discord.add_attachment("offer.toml", toml, "application/toml")
    handle = await fake_discord.invoke(
        "offer", subcommand="evaluate", options={"offer_file": attachment, "base": "95k"}, user=ALICE
    )
    text = message_text(await handle.final())
    assert "FileCo" in text and "$95,000" in text and "#2" in text


async def test_oversized_and_invalid_offer_files_are_refused(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """A file over 64 KB is refused before download with the limit named; a bad value names its field."""
    big = fake_discord.add_attachment("offer.toml", b"#" * (70 * 1024), "application/toml")
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"offer_file": big}, user=ALICE)
    text = message_text(await handle.final())
    assert "64 KB" in text
    bad = fake_discord.add_attachment("offer.toml", b'[salary]\nbase = "-5"\n', "application/toml")
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"offer_file": bad}, user=ALICE)
    text = message_text(await handle.final())
    assert "salary" in text and "negative" in text


async def test_model_autocomplete_filters_within_limits(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """Autocomplete offers at most 25 registry choices matching what was typed."""
    handle = await fake_discord.deliver(
        fake_discord.autocomplete(
            "offer", subcommand="evaluate", options={"base": "1", "model": "claude"}, focused="model"
        )
    )
    choices = await handle.choices()
    assert 0 < len(choices) <= 25
    assert all("claude" in c["value"] for c in choices)


async def test_tokens_value_and_info_commands(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """/tokens value converts with the price date; /help, /about and /privacy answer privately."""
    handle = await fake_discord.invoke("tokens", subcommand="value", options={"amount": "100M", "model": "gpt-5"})
    text = message_text(await handle.final())
    assert "$343.75" in text and "2026-11-01" in text
    for name, marker in (("help", "/offer evaluate"), ("about", "Sources"), ("privacy", "Share")):
        handle = await fake_discord.invoke(name)
        response = await handle.response()
        assert response.ephemeral and marker in message_text(await handle.final())


async def test_debug_log_holds_no_figures_or_token(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """At LOG_LEVEL=DEBUG the log names the command but holds none of the offer's figures, nor the token."""
    handle = await fake_discord.invoke(
        "offer", subcommand="evaluate", options={"base": "187654", "credits": "43219"}, user=ALICE
    )
    await handle.final()
    press = await fake_discord.deliver(fake_discord.click(await handle.final(), "result:work", user=ALICE))
    await press.final()
    log = bot.log_text()
    assert "offer evaluate answered" in log
    for marker in ("187654", "187,654", "187.654", "187k", "187,65", "43219", "43,219", "43.219", "43k"):
        assert marker not in log, marker
    assert fake_discord.token not in log


async def test_sigterm_lets_an_interaction_in_flight_finish(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """SIGTERM right after an interaction arrives: it still gets its answer, then the process exits 0."""
    handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "175k"}, user=ALICE)
    await handle.response()
    code = await bot.terminate(signal.SIGTERM, timeout=15)
    assert "$175,000" in message_text(await handle.final())
    assert code == 0
    assert not re.search(r"Traceback", bot.log_text())


async def test_synced_commands_respect_discord_limits(fake_discord: FakeDiscord, bot: BotProcess) -> None:
    """The synced payload fits Discord's schema limits and every command runs in servers, DMs and private channels
    with guild and user installs."""
    assert fake_discord.violations == []
    commands = fake_discord.global_commands
    assert {c["name"] for c in commands} == {"offer", "tokens", "help", "about", "privacy"}
    for command in commands:
        assert sorted(command["contexts"]) == [0, 1, 2] and sorted(command["integration_types"]) == [0, 1]
        assert len(json.dumps(command)) <= 8000
        for option in command.get("options", []):
            assert 1 <= len(option["description"]) <= 100
            assert len(option.get("options", [])) <= 25
