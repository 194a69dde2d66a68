"""The bot under strain, each test with its own fake Discord and bot process: a locked database, Share pressed twice
at once, Forget me racing a save, and SIGTERM with work still running."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import SlowFileHost, start_production_bot
from tests.fake_discord import FakeUser, message_text
from tests.fake_discord.fixtures import ALICE, BOB
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]
EPHEMERAL = 64


async def test_a_locked_database_gets_try_again(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """While another writer holds the database's lock, /defaults set and a confirmed Forget me wait, retry once, and
    then tell the person privately to try again (not "something went wrong"); once the lock is gone the same command
    saves."""
    bot = await start_production_bot(fake_discord, tmp_path, env={"DATABASE_BUSY_TIMEOUT_MS": "100"})
    try:
        other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        options = {"setting": "utilization", "value": "40%"}
        handle = await fake_discord.invoke("defaults", subcommand="set", options=options, user=ALICE)
        refusal = await handle.final()
        assert refusal["flags"] & EPHEMERAL
        assert "Try again in a few seconds" in message_text(refusal), message_text(refusal)
        # Forget me, confirmed while the lock is held: acknowledged at once, then told privately to try again.
        page = await (await fake_discord.invoke("privacy", user=ALICE)).final()
        forget = await fake_discord.deliver(fake_discord.click(page, "privacy:forget", user=ALICE))
        confirm = await fake_discord.deliver(fake_discord.click(await forget.final(), "forget:confirm", user=ALICE))
        assert (await confirm.response()).type == 6  # deferred update: within the deadline, before any write
        (busy,) = await confirm.wait_followups(1)
        assert busy["flags"] & EPHEMERAL and "Try again in a few seconds" in message_text(busy)
        other.execute("ROLLBACK")
        other.close()
        handle = await fake_discord.invoke("defaults", subcommand="set", options=options, user=ALICE)
        assert "0.4" in message_text(await handle.final())
        assert "Traceback" not in bot.log_text()
    finally:
        await bot.close()


async def test_share_pressed_twice_at_once_posts_one_copy(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """Two presses of Share on one breakdown, delivered together before either is answered: both get an answer,
    and exactly one public copy is posted."""
    bot = await start_production_bot(fake_discord, tmp_path)
    try:
        handle = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "182k"}, user=ALICE)
        breakdown = await handle.final()
        public_before = len(fake_discord.public_messages())
        presses = await asyncio.gather(
            fake_discord.deliver(fake_discord.click(breakdown, "result:share", user=ALICE)),
            fake_discord.deliver(fake_discord.click(breakdown, "result:share", user=ALICE)),
        )
        finals = [message_text(await press.final()) for press in presses]
        refused = [i for i, text in enumerate(finals) if "Posted a public copy" in text]
        assert len(refused) == 1, finals  # the other press is the one that shares
        await presses[1 - refused[0]].wait_followups(1)
        copies = [m for m in fake_discord.public_messages() if "$182,000" in message_text(m)]
        assert len(copies) == 1 and len(fake_discord.public_messages()) == public_before + 1
        assert "Traceback" not in bot.log_text()
    finally:
        await bot.close()


async def test_forget_me_wins_over_a_save_in_flight(
    fake_discord: FakeDiscord, tmp_path: Path, slow_file_host: SlowFileHost
) -> None:
    """/offer save waits on its offer file; meanwhile the person confirms Forget me. When the file arrives the save
    answers, privately, that nothing was kept, and the person has no saved offer."""
    bot = await start_production_bot(fake_discord, tmp_path)
    try:
        attachment = fake_discord.add_attachment("offer.toml", slow_file_host.body, "application/toml")
        attachment["url"] = attachment["proxy_url"] = slow_file_host.url
        save = await fake_discord.invoke(
            "offer", subcommand="save", options={"name": "slowco", "offer_file": attachment}, user=ALICE
        )
        await asyncio.wait_for(slow_file_host.requested.wait(), timeout=10)
        page = await (await fake_discord.invoke("privacy", user=ALICE)).final()
        forget = await fake_discord.deliver(fake_discord.click(page, "privacy:forget", user=ALICE))
        confirm = await fake_discord.deliver(fake_discord.click(await forget.final(), "forget:confirm", user=ALICE))
        assert "deleted" in message_text(await confirm.final())
        slow_file_host.release.set()
        answer = await save.final()
        assert answer["flags"] & EPHEMERAL and "Nothing was kept" in message_text(answer), message_text(answer)
        listed = await (await fake_discord.invoke("offer", subcommand="list", user=ALICE)).final()
        assert "You have no saved offers" in message_text(listed)
    finally:
        await bot.close()


async def test_a_hostile_offer_file_is_refused_early_and_saves_are_rate_limited(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """A 45 KB JSON offer holding 15,000 empty compute grants sent to /offer save is refused privately as one
    problem ("at most 10"), and a person sending it again past the per-person limit is told to wait; /offer compare
    has its own limit, and someone else is unaffected."""
    bot = await start_production_bot(
        fake_discord, tmp_path, env={"EVALUATE_COOLDOWN_USES": "2", "EVALUATE_COOLDOWN_SECONDS": "600"}
    )
    try:
        body = json.dumps({"salary": {"base": "100k"}, "compute": [{}] * 15_000}).encode()
        assert 40_000 < len(body) < 64 * 1024

        async def save(user: FakeUser) -> str:
            attachment = fake_discord.add_attachment("offer.json", body, "application/json")
            options = {"name": "hostile", "offer_file": attachment}
            final = await (await fake_discord.invoke("offer", subcommand="save", options=options, user=user)).final()
            assert final["flags"] & EPHEMERAL
            return message_text(final)

        for _ in range(2):
            refusal = await save(ALICE)
            assert "too many entries" in refusal and "(15000; at most 10)" in refusal
            assert "compute grant #2" not in refusal  # one problem, not fifteen thousand
        assert "try again in" in await save(ALICE)
        assert "too many entries" in await save(BOB)
        compare = await fake_discord.invoke("offer", subcommand="compare", options={"first": "a"}, user=ALICE)
        assert "try again in" not in message_text(await compare.final())
        assert "Traceback" not in bot.log_text()
    finally:
        await bot.close()
