"""Saved offers and privacy end to end: save, list, compare, delete, export, forget — each person only their own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fake_discord import message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, OWNER
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


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
