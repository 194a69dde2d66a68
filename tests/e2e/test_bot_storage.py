"""Storage-backed behaviour end to end, beyond the settings and saved-offer modules: Forget me can be cancelled and
only its owner confirms it; retention is each person's own; a default currency reaches offers that name none; the
server's Share switch removes the button."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import run_cli, start_production_bot
from tests.fake_discord import FakeUser, message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, OWNER, make_fake_discord
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
CAROL = FakeUser(1_310_000_000_000_001_013, "carol", global_name="Carol")
DAVE = FakeUser(1_310_000_000_000_001_014, "dave", global_name="Dave")


async def run(
    fake: FakeDiscord,
    user: FakeUser,
    command: str,
    sub: str | None = None,
    guild_id: int | None = DEV_GUILD_ID,
    **options: Any,
) -> dict[str, Any]:
    """``/command sub`` (in the server unless ``guild_id`` is None); returns the final message."""
    handle = await fake.invoke(command, subcommand=sub, options=options, user=user, guild_id=guild_id)
    final: dict[str, Any] = await handle.final()
    return final


async def test_forget_me_can_be_cancelled_and_only_by_its_owner(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Another person cannot confirm someone's Forget me; Cancel deletes nothing."""
    await run(shared_fake, CAROL, "offer", "evaluate", base="133k", employer="KeepCo")
    await run(shared_fake, CAROL, "offer", "save", name="keep me")
    page = await run(shared_fake, CAROL, "privacy")
    ask = await shared_fake.deliver(shared_fake.click(page, "privacy:forget", user=CAROL))
    confirm_message = await ask.final()
    intruder = await shared_fake.deliver(
        shared_fake.click(confirm_message, "forget:confirm", user=BOB, forge=True), forge=True
    )
    assert "belongs to whoever ran the command" in message_text(await intruder.final())
    cancelled = await shared_fake.deliver(shared_fake.click(confirm_message, "forget:cancel", user=CAROL))
    assert "Nothing was deleted" in message_text(await cancelled.final())
    assert "keep me" in message_text(await run(shared_fake, CAROL, "offer", "list"))


async def test_retention_is_chosen_per_person(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """/privacy retention_days sets how long that person's saved offers are kept; /privacy then shows it to them
    and to nobody else."""
    answer = await run(shared_fake, DAVE, "privacy", retention_days=45)
    assert answer["flags"] & 64 and "45 days" in message_text(answer)
    assert "**45 days**" in message_text(await run(shared_fake, DAVE, "privacy"))
    assert "**45 days**" not in message_text(await run(shared_fake, BOB, "privacy"))


def button_ids(message: dict[str, Any]) -> set[str]:
    return {c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])}


async def test_a_personal_default_currency_reaches_offers_that_name_none(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Dave's default currency EUR values his offers in euros, in a DM too; Bob's stay in dollars. (Dave also sets
    his own tax rate: euros reach the US schedules the rate is otherwise estimated from only through a usd_rate.)"""
    await run(shared_fake, DAVE, "defaults", "set", guild_id=None, setting="currency", value="EUR")
    await run(shared_fake, DAVE, "defaults", "set", guild_id=None, setting="marginal_tax_rate", value="42%")
    dave = message_text(await run(shared_fake, DAVE, "offer", "evaluate", guild_id=None, base="100k"))
    assert "€100,000" in dave and "$100,000" not in dave
    bob = message_text(await run(shared_fake, BOB, "offer", "evaluate", base="100k"))
    assert "$100,000" in bob and "€" not in bob


async def test_the_servers_share_switch_removes_the_share_button(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """With Share turned off by a moderator a member's result offers no Share button; reset brings it back."""
    await run(shared_fake, OWNER, "config", "set", setting="share_button", value="off")
    without = await run(shared_fake, ALICE, "offer", "evaluate", base="120k")
    assert "result:work" in button_ids(without) and "result:share" not in button_ids(without)
    await run(shared_fake, OWNER, "config", "reset", setting="share_button")
    again = await run(shared_fake, ALICE, "offer", "evaluate", base="120k")
    assert "result:share" in button_ids(again)


async def test_an_offer_file_with_toml_dates_is_saved_and_compared(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """TOML dates (a negotiation deadline) are kept as ISO text: the file saves, and compares against another."""
    toml = (
        b'employer = "DateCo"\n[salary]\nbase = "140k"\n'
        b"[negotiation]\ntoday = 2027-01-10\ndecision_deadline = 2027-01-17\n"
    )
    dated = shared_fake.add_attachment("dated.toml", toml, "text/plain")
    saved = message_text(await run(shared_fake, ALICE, "offer", "save", name="dated", offer_file=dated))
    assert "Saved “dated”" in saved
    other = shared_fake.add_attachment("other.toml", b'employer = "PlainCo"\n[salary]\nbase = "130k"\n', "text/plain")
    compared = message_text(await run(shared_fake, ALICE, "offer", "compare", first="dated", offer_file=other))
    assert "DateCo" in compared and "PlainCo" in compared


@pytest.mark.parametrize(
    ("database_url", "reason"),
    [
        ("not a database", "not a database URL"),
        ("postgresql+asyncpg://fp:hunter2secret@127.0.0.1:9/fp", "driver"),
        ("sqlite+aiosqlite:///{tmp}/a-file/fp.db", "could not be opened"),
    ],
)
async def test_a_database_that_cannot_be_opened_stops_the_start_cleanly(
    shared_fake: FakeDiscord, tmp_path: Path, database_url: str, reason: str
) -> None:
    """A bad, unsupported or unreachable DATABASE_URL exits 2 with a one-line reason, no traceback, no password."""
    (tmp_path / "a-file").write_text("not a folder")
    url = database_url.format(tmp=tmp_path)
    code, output = await run_cli(shared_fake, tmp_path, "run", DATABASE_URL=url, DATA_KEY="a-configured-key")
    assert code == 2 and reason in output
    assert "Traceback" not in output and "hunter2secret" not in output


async def test_a_changed_data_key_is_explained_and_changes_nothing(tmp_path: Path) -> None:
    """Restarted with another DATA_KEY, the bot cannot open earlier saved offers: list and compare say so (a
    templated notice, not an error id), and delete removes nothing."""
    async with make_fake_discord() as fake:
        first = await start_production_bot(fake, tmp_path, "first.log", env={"DATA_KEY": "the-first-key"})
        try:
            await run(fake, CAROL, "offer", "evaluate", base="150k", employer="KeyCo")
            assert "Saved" in message_text(await run(fake, CAROL, "offer", "save", name="keyed"))
        finally:
            await first.close()
        second = await start_production_bot(fake, tmp_path, "second.log", env={"DATA_KEY": "another-key"})
        try:
            listed = message_text(await run(fake, CAROL, "offer", "list"))
            compared = message_text(await run(fake, CAROL, "offer", "compare", first="keyed", second="keyed"))
            deleted = message_text(await run(fake, CAROL, "offer", "delete", name="keyed"))
        finally:
            await second.close()
        for text in (listed, compared, deleted):
            assert "can’t be opened right now" in text and "150" not in text
    with closing(sqlite3.connect(tmp_path / "bot.db")) as conn, conn:
        assert conn.execute("SELECT COUNT(*) FROM saved_offers").fetchone()[0] == 1
