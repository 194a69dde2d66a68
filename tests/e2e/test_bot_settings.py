"""Server defaults (``/config``) and personal defaults (``/defaults``) end to end, stored in a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
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


async def test_removing_the_bot_deletes_the_servers_settings(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """GUILD_DELETE (the bot was removed) deletes that server's settings and audit from the database file."""
    await run(shared_fake, "config", "set", OWNER, setting="charts", value="off")
    database = shared_bot.env["DATABASE_URL"].split("///", 1)[1]

    def rows() -> int:
        with sqlite3.connect(database) as conn:
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
