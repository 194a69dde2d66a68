"""Server defaults (``/config``) and personal defaults (``/defaults``) end to end, stored in a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from typing import Any

import pytest

from tests.fake_discord import InteractionRefused, message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, OWNER
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def run(
    fake: FakeDiscord, name: str, sub: str, user: Any, guild_id: int | None = DEV_GUILD_ID, **options: Any
) -> str:
    handle = await fake.invoke(name, subcommand=sub, options=options, user=user, guild_id=guild_id)
    response = await handle.response()
    assert response.ephemeral, f"/{name} {sub} must answer privately"
    return message_text(await handle.final())


async def work_text(fake: FakeDiscord, user: Any, guild_id: int | None = DEV_GUILD_ID) -> str:
    """Evaluate a small offer as ``user`` and open Show your work: the assumptions and where each came from."""
    handle = await fake.invoke("offer", subcommand="evaluate", options={"base": "150k"}, user=user, guild_id=guild_id)
    result = await handle.final()
    press = await fake.deliver(fake.click(result, "result:work", user=user))
    return message_text(await press.final())


async def test_a_moderators_default_applies_to_members(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """The owner sets the server's tax rate; a member's next valuation uses it and says it came from the server."""
    saved = await run(shared_fake, "config", "set", OWNER, setting="marginal_tax_rate", value="41%")
    assert "marginal_tax_rate" in saved and "0.41" in saved
    text = await work_text(shared_fake, ALICE)
    assert "41.00%" in text and "this server's defaults" in text


async def test_members_without_manage_server_are_refused(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Discord hides /config from a member; a forged payload reaching the bot is refused by the bot itself and
    changes nothing."""
    with pytest.raises(InteractionRefused):
        await shared_fake.invoke(
            "config", subcommand="set", options={"setting": "utilization", "value": "10%"}, user=BOB
        )
    payload = shared_fake.slash(
        "config", subcommand="set", options={"setting": "utilization", "value": "10%"}, user=BOB, forge=True
    )
    handle = await shared_fake.deliver(payload, forge=True)
    refusal = await handle.response()
    assert refusal.ephemeral and "Manage Server" in message_text(await handle.final())
    shown = await run(shared_fake, "config", "show", OWNER)
    assert "10.00%" not in shown


async def test_personal_defaults_override_server_and_stay_private(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Alice's own tax rate beats the server's for her, while Bob still gets the server's and sees none of hers."""
    await run(shared_fake, "config", "set", OWNER, setting="marginal_tax_rate", value="41%")
    saved = await run(shared_fake, "defaults", "set", ALICE, setting="marginal_tax_rate", value="27%")
    assert "0.27" in saved
    alice = await work_text(shared_fake, ALICE)
    assert "27.00%" in alice and "your personal defaults" in alice
    bob = await work_text(shared_fake, BOB)
    assert "41.00%" in bob and "27.00%" not in bob
    bob_defaults = await run(shared_fake, "defaults", "show", BOB)
    assert "27" not in bob_defaults
    in_dm = await work_text(shared_fake, ALICE, guild_id=None)
    assert "27.00%" in in_dm  # personal defaults follow her into DMs


async def test_config_show_lists_sources_and_the_audit_trail(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """/config show names where each value comes from and the latest change: who, what, old → new."""
    await run(shared_fake, "config", "set", OWNER, setting="utilization", value="55%")
    shown = await run(shared_fake, "config", "show", OWNER)
    assert "set by moderators" in shown and "built-in default" in shown
    assert f"<@{OWNER.id}>" in shown and "`utilization` built-in → 0.55" in shown


async def test_bad_setting_values_get_the_templated_error(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A share over 100% is refused privately, naming the setting and a good example."""
    text = await run(shared_fake, "defaults", "set", ALICE, setting="utilization", value="130%")
    assert "utilization" in text and "130%" in text and "more than 100%" in text


async def headline(fake: FakeDiscord, user: Any, guild_id: int | None) -> str:
    """Evaluate $250k with $20k of credits as ``user`` and return the breakdown's text."""
    options = {"base": "250k", "credits": "20k"}
    handle = await fake.invoke("offer", subcommand="evaluate", options=options, user=user, guild_id=guild_id)
    return message_text(await handle.final())


async def test_a_personal_state_and_filing_status_change_the_estimated_rate(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Bob (in a DM, no rate set anywhere) first sees the no-state estimate and how to add a state; with state CA
    the rate is 44.95% (federal 32% on taxable 233,900 + Medicare 1.45% + 0.9% + CA 9.3% + SDI 1.3%); married
    filing jointly, 36.95% (federal 24% on taxable 217,800)."""
    before = await headline(shared_fake, BOB, None)
    assert "**38.93% marginal rate**" in before and "no state given; add yours with `/defaults set state`" in before
    saved = await run(shared_fake, "defaults", "set", BOB, guild_id=None, setting="state", value="ca")
    assert "state" in saved and "CA" in saved
    assert "**44.95% marginal rate** (California, single)" in await headline(shared_fake, BOB, None)
    await run(shared_fake, "defaults", "set", BOB, guild_id=None, setting="filing_status", value="married-joint")
    joint = await headline(shared_fake, BOB, None)
    assert "**36.95% marginal rate** (California, married filing jointly)" in joint
    shown = await run(shared_fake, "defaults", "show", BOB, guild_id=None)
    assert "CA" in shown and "married-joint" in shown and "estimated from each offer" in shown
    await run(shared_fake, "defaults", "reset", BOB, guild_id=None, setting="state")
    await run(shared_fake, "defaults", "reset", BOB, guild_id=None, setting="filing_status")


async def test_a_servers_default_state_reaches_members(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """With no server rate, a server state of NY gives members 41.20% at $250k single: 32% + 1.45% + 0.9% + NY 6.85%
    (from $215,400); NY paid family leave stops at about $95,350 of pay."""
    await run(shared_fake, "config", "reset", OWNER, setting="marginal_tax_rate")
    await run(shared_fake, "config", "set", OWNER, setting="state", value="NY")
    assert "**41.20% marginal rate** (New York, single)" in await headline(shared_fake, OWNER, DEV_GUILD_ID)
    await run(shared_fake, "config", "reset", OWNER, setting="state")


async def test_a_bad_state_gets_a_clear_private_error(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """state = "XX" is refused privately: it isn't a US state, and "CA" is the example."""
    text = await run(shared_fake, "defaults", "set", ALICE, setting="state", value="XX")
    assert "XX" in text and "isn't a US state" in text and '"CA"' in text
    status = await run(shared_fake, "defaults", "set", ALICE, setting="filing_status", value="joint")
    assert "filing_status" in status and "married" in status and "single" in status


async def test_removing_the_bot_deletes_the_servers_settings(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """GUILD_DELETE (the bot was removed) deletes that server's settings and audit from the database file."""
    await run(shared_fake, "config", "set", OWNER, setting="charts", value="off")
    database = shared_bot.env["DATABASE_URL"].split("///", 1)[1]

    def rows() -> int:
        with closing(sqlite3.connect(database)) as conn, conn:
            count: int = conn.execute(
                "SELECT COUNT(*) FROM guild_settings WHERE guild_id = ?", (DEV_GUILD_ID,)
            ).fetchone()[0]
            return count

    assert rows() > 0
    await shared_fake.remove_guild(DEV_GUILD_ID)
    for _ in range(50):
        if rows() == 0:
            break
        await asyncio.sleep(0.1)
    assert rows() == 0
