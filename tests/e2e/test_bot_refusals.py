"""Malformed and forged payloads end to end: each gets a specific, ephemeral answer (never silence or the generic
"something went wrong"), and nothing is stored for a server that did not install the bot."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.fake_discord import Perm, message_text
from tests.fake_discord.fixtures import ALICE, DEV_GUILD_ID, OWNER
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
EPHEMERAL = 64
GENERIC = "went wrong"
OTHER_GUILD = 1_310_000_000_000_009_999  # a server that never installed the bot


async def forged(fake: FakeDiscord, payload: dict[str, Any]) -> str:
    """Deliver a forged payload; its answer must be ephemeral and not the generic error. Returns the text."""
    handle = await fake.deliver(payload, forge=True)
    final = await handle.final()
    text = message_text(final).replace("\\", "")  # Markdown escapes removed: the words as the person reads them
    assert final["flags"] & EPHEMERAL, text
    assert GENERIC not in text, text
    return text


def retype(payload: dict[str, Any], option: str, otype: int, value: Any) -> dict[str, Any]:
    """The payload with one option's type and value replaced, as a hand-made request could send it."""
    for sub in payload["data"]["options"]:
        for opt in sub.get("options", []):
            if opt["name"] == option:
                opt.update(type=otype, value=value)
    return payload


def database(bot: BotProcess) -> Path:
    url = bot.env["DATABASE_URL"]
    return Path(url.split(":///", 1)[1])


async def test_defaults_set_with_a_number_for_the_setting(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /defaults set whose setting is a number (integer option type) is told which settings exist."""
    payload = shared_fake.slash(
        "defaults", subcommand="set", options={"setting": "utilization", "value": "50%"}, user=ALICE, forge=True
    )
    text = await forged(shared_fake, retype(payload, "setting", 4, 5))
    assert "utilization" in text and "marginal_tax_rate" in text


async def test_defaults_set_with_a_numeric_name(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /defaults set whose setting is the text "5" is told which settings exist."""
    payload = shared_fake.slash(
        "defaults", subcommand="set", options={"setting": "5", "value": "50%"}, user=ALICE, forge=True
    )
    text = await forged(shared_fake, payload)
    assert "utilization" in text


async def test_config_reset_of_an_unknown_setting(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /config reset setting:nosuch from the owner names the settings there are."""
    payload = shared_fake.slash("config", subcommand="reset", options={"setting": "nosuch"}, user=OWNER, forge=True)
    text = await forged(shared_fake, payload)
    assert "nosuch" in text and "share_button" in text


async def test_value_of_the_wrong_type(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /defaults set whose value is a boolean instead of text gets a specific answer."""
    payload = shared_fake.slash(
        "defaults", subcommand="set", options={"setting": "utilization", "value": "50%"}, user=ALICE, forge=True
    )
    text = await forged(shared_fake, retype(payload, "value", 5, True))
    assert "`value` has the wrong kind of value" in text


async def test_user_install_in_a_server_without_the_bot_writes_no_server_settings(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """/config set arriving through a user install in a server that never installed the bot, from a member with
    Manage Server, is refused and writes no row for that server."""
    payload = shared_fake.slash(
        "config",
        subcommand="set",
        options={"setting": "utilization", "value": "10%"},
        user=ALICE,
        guild_id=OTHER_GUILD,
        permissions=int(Perm.MANAGE_GUILD),
        forge=True,
    )
    payload["authorizing_integration_owners"] = {"1": str(ALICE.id)}
    text = await forged(shared_fake, payload)
    assert "only for servers that added" in text
    with closing(sqlite3.connect(database(shared_bot))) as conn, conn:
        rows = conn.execute("SELECT count(*) FROM guild_settings WHERE guild_id = ?", (OTHER_GUILD,)).fetchone()
        audits = conn.execute("SELECT count(*) FROM settings_audit WHERE guild_id = ?", (OTHER_GUILD,)).fetchone()
    assert rows == (0,) and audits == (0,)


async def test_the_installed_server_still_takes_settings(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """The same /config set in the server that installed the bot, by its owner, is saved."""
    handle = await shared_fake.invoke(
        "config", subcommand="set", options={"setting": "utilization", "value": "60%"}, user=OWNER
    )
    assert "0.6" in message_text(await handle.final())
    assert DEV_GUILD_ID in shared_fake.guilds


async def test_a_number_option_sent_as_text(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /offer evaluate whose equity_years (a whole number) arrives as text is told the options can't be
    read, not "something went wrong"."""
    payload = shared_fake.slash(
        "offer", subcommand="evaluate", options={"base": "100k", "equity": "50k", "equity_years": 4}, forge=True
    )
    text = await forged(shared_fake, retype(payload, "equity_years", 3, "four"))
    assert "years" in text and "four" in text


async def test_an_attachment_missing_from_the_payload(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged /offer save naming an attachment id the payload does not carry is told the options can't be read."""
    payload = shared_fake.slash("offer", subcommand="save", options={"name": "x"}, forge=True)
    payload["data"]["options"][0]["options"].append({"name": "offer_file", "type": 11, "value": "123"})
    text = await forged(shared_fake, payload)
    assert "options Fourth Pillar can't read" in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[salary]\nbase = " + b"9" * 5_000 + b"\n", "number longer than 40 digits"),
        (b"x = " + b"[" * 5_000 + b"]" * 5_000 + b"\n", "more than 8 levels deep"),
    ],
    ids=["5000-digit-integer", "deep-nesting"],
)
async def test_a_hostile_offer_file_gets_a_parse_error_naming_the_problem(
    shared_fake: FakeDiscord, shared_bot: BotProcess, body: bytes, expected: str
) -> None:
    """A 5,000-digit integer or 5,000 levels of nesting in an offer file is refused privately with the problem
    named, not "something went wrong"."""
    attachment = shared_fake.add_attachment("offer.toml", body, "application/toml")
    handle = await shared_fake.invoke("offer", subcommand="evaluate", options={"offer_file": attachment}, user=ALICE)
    final = await handle.final()
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and expected in text and GENERIC not in text, text
