"""Saved offers and privacy end to end: save, list, compare, delete, export, forget — each person only their own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import run_cli
from tests.fake_discord import FakeUser, message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, OWNER
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
# People of their own, so what one test saves is never in another test's way.
CAROL = FakeUser(1_310_000_000_000_001_003, "carol", global_name="Carol")
DAVE = FakeUser(1_310_000_000_000_001_004, "dave", global_name="Dave")


async def command(
    fake: FakeDiscord,
    sub: str | None,
    user: Any,
    command_name: str = "offer",
    guild_id: int | None = DEV_GUILD_ID,
    **options: Any,
) -> tuple[bool, str, dict[str, Any]]:
    """Run ``/command_name sub`` with ``options``; returns (ephemeral, text, final message)."""
    handle = await fake.invoke(command_name, subcommand=sub, options=options, user=user, guild_id=guild_id)
    response = await handle.response()
    final = await handle.final()
    return response.ephemeral, message_text(final), final


async def evaluate(fake: FakeDiscord, user: Any, base: str, guild_id: int | None = DEV_GUILD_ID) -> None:
    handle = await fake.invoke(
        "offer", subcommand="evaluate", options={"base": base, "employer": f"Co{base}"}, user=user, guild_id=guild_id
    )
    await handle.final()


async def test_save_list_compare_delete_in_a_server(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """In a server every answer is private: save two evaluated offers, list them, compare them, delete one."""
    await evaluate(shared_fake, ALICE, "150k")
    private, text, _ = await command(shared_fake, "save", ALICE, name="first job")
    assert private and "Saved “first job”" in text
    await evaluate(shared_fake, ALICE, "175k")
    await command(shared_fake, "save", ALICE, name="second job")
    private, listed, _ = await command(shared_fake, "list", ALICE)
    assert private and "first job" in listed and "second job" in listed
    private, compared, _ = await command(shared_fake, "compare", ALICE, first="first job", second="second job")
    assert private and "Co150k" in compared and "Co175k" in compared
    private, deleted, _ = await command(shared_fake, "delete", ALICE, name="first job")
    assert private and "Deleted" in deleted
    _, listed, _ = await command(shared_fake, "list", ALICE)
    assert "first job" not in listed and "second job" in listed
    assert shared_fake.public_messages() == []


async def test_nobody_reaches_another_persons_offers(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Bob sees none of Alice's offers: not in his list, not by name in compare or delete, not in autocomplete."""
    await evaluate(shared_fake, ALICE, "160k")
    await command(shared_fake, "save", ALICE, name="alice secret")
    _, listed, _ = await command(shared_fake, "list", BOB)
    assert "alice secret" not in listed
    _, compared, _ = await command(shared_fake, "compare", BOB, first="alice secret", second="alice secret")
    assert "no saved offer named" in compared and "160" not in compared
    _, deleted, _ = await command(shared_fake, "delete", BOB, name="alice secret")
    assert "no saved offer named" in deleted
    handle = await shared_fake.deliver(
        shared_fake.autocomplete("offer", subcommand="delete", options={"name": "alice"}, focused="name", user=BOB)
    )
    assert await handle.choices() == []
    _, listed, _ = await command(shared_fake, "list", ALICE)
    assert "alice secret" in listed


async def test_save_and_list_in_a_dm(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """In the bot's DM, saving and listing work and answer with normal messages."""
    await evaluate(shared_fake, BOB, "99k", guild_id=None)
    private, text, _ = await command(shared_fake, "save", BOB, guild_id=None, name="dm offer")
    assert "Saved" in text
    private, listed, _ = await command(shared_fake, "list", BOB, guild_id=None)
    assert not private and "dm offer" in listed
    await evaluate(shared_fake, BOB, "101k", guild_id=None)
    await command(shared_fake, "save", BOB, guild_id=None, name="dm other")
    private, compared, _ = await command(
        shared_fake, "compare", BOB, guild_id=None, first="dm offer", second="dm other"
    )
    assert not private and "Co99k" in compared and "Co101k" in compared
    _, deleted, _ = await command(shared_fake, "delete", BOB, guild_id=None, name="dm offer")
    assert "Deleted" in deleted
    _, listed, _ = await command(shared_fake, "list", BOB, guild_id=None)
    assert "dm offer" not in listed and "dm other" in listed


async def test_nothing_to_save_without_an_evaluation(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Saving before any evaluation explains what to do instead of failing silently."""
    _, text, _ = await command(shared_fake, "save", OWNER, name="nothing")
    assert "/offer evaluate" in text


async def test_privacy_export_and_forget_me(shared_fake: FakeDiscord, shared_bot: BotProcess, tmp_path: Path) -> None:
    """/privacy shows what is stored; Export sends a JSON file with the saved offer; Forget me (confirmed) deletes
    it, and another person cannot press those buttons."""
    await evaluate(shared_fake, ALICE, "181k")
    await command(shared_fake, "save", ALICE, name="to export")
    private, text, page = await command(shared_fake, None, ALICE, command_name="privacy")
    assert private and "Saved offers:" in text and "30 days" in text
    intruder = await shared_fake.deliver(shared_fake.click(page, "privacy:export", user=BOB, forge=True), forge=True)
    assert "belongs to whoever ran the command" in message_text(await intruder.final())
    export = await shared_fake.deliver(shared_fake.click(page, "privacy:export", user=ALICE))
    await export.final()
    files = [f for r in export.requests for f in getattr(r, "files", [])]
    data = json.loads(files[0].data) if files else None
    assert data is not None and any(o["name"] == "to export" for o in data["saved_offers"])
    forget = await shared_fake.deliver(shared_fake.click(page, "privacy:forget", user=ALICE))
    confirm_message = await forget.final()
    done = await shared_fake.deliver(shared_fake.click(confirm_message, "forget:confirm", user=ALICE))
    assert "deleted" in message_text(await done.final())
    _, listed, _ = await command(shared_fake, "list", ALICE)
    assert "You have no saved offers" in listed


async def test_compare_a_saved_offer_with_an_offer_file(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """An offer file takes the place of a saved offer in a comparison, labelled by its file name with the employer
    beside it; one in euros is converted with the usd_rate it already gives (120,000 / 0.8 = $150,000 a year);
    one without a rate is refused naming the file whole; one offer alone needs a second."""
    await evaluate(shared_fake, CAROL, "140k")
    await command(shared_fake, "save", CAROL, name="saved one")
    usd = shared_fake.add_attachment("fileco.toml", b'employer = "FileCo"\n[salary]\nbase = "120k"\n', "text/plain")
    private, compared, _ = await command(shared_fake, "compare", CAROL, first="saved one", offer_file=usd)
    assert private and "**saved one** · Co140k" in compared and "**fileco.toml** · FileCo" in compared
    eur = shared_fake.add_attachment(
        "euroco.toml",
        b'employer = "EuroCo"\ncurrency = "EUR"\n[salary]\nbase = "120k"\n[assumptions]\nusd_rate = "0.8"\n',
        "text/plain",
    )
    private, converted, _ = await command(shared_fake, "compare", CAROL, first="saved one", offer_file=eur)
    assert private and "euroco.toml is in EUR" in converted
    assert "Year 1: worth $150,000 (advertised $150,000)" in converted
    no_rate = shared_fake.add_attachment("04-euro.toml", b'currency = "EUR"\n[salary]\nbase = "120k"\n', "text/plain")
    _, refused, _ = await command(shared_fake, "compare", CAROL, first="saved one", offer_file=no_rate)
    assert "04-euro.toml" in refused and "usd_rate" in refused and "04 →" not in refused
    _, alone, _ = await command(shared_fake, "compare", CAROL, first="saved one")
    assert "at least two offers" in alone and "too many" not in alone


async def test_compare_over_the_same_months_reads_on_a_phone(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A 24-month file beside a saved offer (48 months by default) is compared over 24 months, and says so; every
    line outside the prose fits a phone (one block per offer, no wide table); ``months: 12`` sets the horizon."""
    await evaluate(shared_fake, DAVE, "100k")
    await command(shared_fake, "save", DAVE, name="mine")
    short = shared_fake.add_attachment(
        "short.toml", b'[salary]\nbase = "120k"\n[assumptions]\ntenure_months = 24\n', "text/plain"
    )
    _, compared, _ = await command(shared_fake, "compare", DAVE, first="mine", offer_file=short)
    assert "Compared over **24 months**, the shortest horizon" in compared
    # 120k - 100k = 20,000 a year, 40,000 over 24 months
    assert "vs mine: +$20,000 in year 1, +$40,000 over 24 months" in compared
    assert "```" not in compared
    again = shared_fake.add_attachment(
        "short.toml", b'[salary]\nbase = "120k"\n[assumptions]\ntenure_months = 24\n', "text/plain"
    )
    _, yearly, _ = await command(shared_fake, "compare", DAVE, first="mine", offer_file=again, months=12)
    assert "Compared over **12 months**, as asked" in yearly and "+$20,000 over 12 months" in yearly


async def test_database_file_holds_no_plaintext_after_a_save(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """After a save, neither the SQLite file nor its write-ahead log contains the offer's name, employer or figure."""
    handle = await shared_fake.invoke(
        "offer",
        subcommand="evaluate",
        options={"base": "187654", "employer": "Zyxwvut Labs"},
        user=DAVE,
        guild_id=DEV_GUILD_ID,
    )
    await handle.final()
    _, text, _ = await command(shared_fake, "save", DAVE, name="Qwertyuiop plan")
    assert "Saved" in text
    workdir = shared_bot.log_path.parent
    raw = b"".join(path.read_bytes() for path in workdir.glob("bot.db*"))
    assert len(raw) > 0
    for marker in (b"Zyxwvut", b"Qwertyuiop", b"187654", b"187,654"):
        assert marker not in raw, marker


async def test_generated_data_key_is_announced_but_never_logged(shared_bot: BotProcess) -> None:
    """Without DATA_KEY the bot generates one beside the SQLite file (mode 0600) and warns, without the key."""
    key_files = [p for p in shared_bot.log_path.parent.iterdir() if p.name.endswith(".key")]
    assert len(key_files) == 1 and key_files[0].stat().st_mode & 0o077 == 0
    key = key_files[0].read_text().strip()
    log = shared_bot.log_text()
    assert "no DATA_KEY set" in log and key not in log


async def test_other_databases_need_a_data_key(shared_fake: FakeDiscord, tmp_path: Path) -> None:
    """With a non-SQLite DATABASE_URL and no DATA_KEY the bot refuses to start: exit 2 with a clear reason."""
    code, output = await run_cli(shared_fake, tmp_path, "run", DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:9/x")
    assert code == 2 and "DATA_KEY must be set" in output
