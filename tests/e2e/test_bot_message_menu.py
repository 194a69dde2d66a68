"""The message context menu "Evaluate offer (private)" end to end: someone's posted offer is read and valued for the
person who used the menu only — in a server, in the bot's DM and in a DM with someone else. The poster's figures
never appear in a public message because of it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_bot_offer import EPHEMERAL, button_ids, sent_bodies
from tests.e2e.test_bot_text import EMAIL
from tests.fake_discord import InteractionHandle, message_text
from tests.fake_discord.fixtures import ALICE, BOB
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.models import FakeUser, iso_now, snowflake
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

MENU = "Evaluate offer (private)"
MESSAGE_COMMAND = 3


def posted(author: FakeUser, content: str, channel_id: str) -> dict[str, Any]:
    """A message as Discord resolves it for a message command."""
    return {
        "id": str(snowflake()),
        "channel_id": channel_id,
        "author": author.to_dict(),
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }


def menu_payload(
    fake: FakeDiscord, content: str, *, user: FakeUser = ALICE, author: FakeUser = BOB, resolved: bool = True, **kw: Any
) -> dict[str, Any]:
    command = fake.find_command(MENU, type=MESSAGE_COMMAND)
    assert command is not None, "the menu entry was not published"
    payload = fake.interaction_payload(type=2, data={}, user=user, **kw)
    message = posted(author, content, payload["channel_id"])
    data: dict[str, Any] = {"id": command["id"], "name": MENU, "type": MESSAGE_COMMAND, "target_id": message["id"]}
    data["resolved"] = {"messages": {message["id"]: message}} if resolved else {}
    payload["data"] = data
    return payload


async def use_menu(fake: FakeDiscord, content: str, **kw: Any) -> tuple[InteractionHandle, dict[str, Any]]:
    handle = await fake.deliver(menu_payload(fake, content, **kw))
    return handle, await handle.final()


def figures_in_public(fake: FakeDiscord, *figures: str) -> list[str]:
    return [f for m in fake.public_messages() for f in figures if f in message_text(m)]


async def test_the_entry_is_published_for_every_context_and_install(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """The menu entry is a message command allowed in servers, the bot's DM and other DMs, under both installs."""
    command = shared_fake.find_command(MENU, type=MESSAGE_COMMAND)
    assert command is not None
    assert sorted(command["contexts"]) == [0, 1, 2] and sorted(command["integration_types"]) == [0, 1]


async def test_in_a_server_only_the_user_sees_the_posters_figures(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Bob's posted email, valued for Alice: ephemeral from the first response, read as written, no Share button,
    no public message carries a figure, and nothing sent may mention anyone."""
    public_before = len(shared_fake.public_messages())
    handle, final = await use_menu(shared_fake, EMAIL)
    assert (await handle.response()).ephemeral and final["flags"] & EPHEMERAL
    assert str(final.get("content")).startswith("Read as: base salary $185,000")
    assert "$185,000" in message_text(final)
    assert "result:work" in button_ids(final) and "result:share" not in button_ids(final)
    assert len(shared_fake.public_messages()) == public_before
    assert figures_in_public(shared_fake, "185,000", "400,000") == []
    bodies = sent_bodies(handle)
    assert bodies and all(body.get("allowed_mentions") == {"parse": []} for body in bodies)


async def test_the_buttons_stay_private_and_the_posters_own_press_is_refused(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Show your work on the menu's answer is ephemeral for Alice; a forged press by Bob (the poster: he cannot see
    Alice's ephemeral answer) is refused."""
    _, final = await use_menu(shared_fake, "My offer: 151k base, 10% bonus")
    public_before = len(shared_fake.public_messages())
    bob = await shared_fake.deliver(shared_fake.click(final, "result:work", user=BOB, forge=True), forge=True)
    refusal = await bob.final()
    assert refusal["flags"] & EPHEMERAL and "belongs to whoever ran the command" in message_text(refusal)
    assert "151,000" not in message_text(refusal)
    alice = await shared_fake.deliver(shared_fake.click(final, "result:work", user=ALICE))
    work = await alice.final()
    assert work["flags"] & EPHEMERAL
    assert len(shared_fake.public_messages()) == public_before
    assert figures_in_public(shared_fake, "151,000") == []


async def test_a_what_if_on_the_menus_answer_stays_private_and_offers_no_share(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Bob posted 150k base and 30k of credits a year for personal use; Alice values it with the menu and picks
    "spend 90%": her private answer is edited in place, still without Share, and no public message carries a figure.
    With no work share stated, half the credits are taken as needed for work: year 1's personal value is
    30,000 × 50% × 70% spent = 10,500, and 30,000 × 50% × 90% = 13,500 after the change."""
    from tests.e2e.test_bot_whatif import SELECT, select_of  # noqa: PLC0415

    public_before = len(shared_fake.public_messages())
    _, final = await use_menu(shared_fake, "150k base salary and $30,000 a year of API credits for personal use")
    assert "personal value $10,500" in message_text(final)
    assert select_of(final) and "result:share" not in button_ids(final)
    press = await shared_fake.deliver(shared_fake.select(final, SELECT, ["util:90"], user=ALICE))
    changed = await press.final()
    assert changed["id"] == final["id"] and changed["flags"] & EPHEMERAL
    assert "personal value $13,500" in message_text(changed) and "result:share" not in button_ids(changed)
    assert len(shared_fake.public_messages()) == public_before


@pytest.mark.parametrize("context", [1, 2])
async def test_in_a_dm_the_answer_is_ephemeral(shared_fake: FakeDiscord, shared_bot: BotProcess, context: int) -> None:
    """In the bot's DM (context 1) and in a DM with someone else (context 2, user install) the answer is ephemeral
    and public messages carry none of the figures."""
    handle, final = await use_menu(shared_fake, "152k base salary, 20k sign-on", guild_id=None, context=context)
    assert (await handle.response()).ephemeral and final["flags"] & EPHEMERAL
    assert "$152,000" in message_text(final) and "result:share" not in button_ids(final)
    assert figures_in_public(shared_fake, "152,000") == []


async def test_a_message_without_an_offer_gets_the_readers_message(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """An empty message and small talk are refused privately with what the reader looks for."""
    for content in ("", "congrats on the new job!!"):
        _, final = await use_menu(shared_fake, content)
        assert final["flags"] & EPHEMERAL
        assert "couldn't find an offer" in message_text(final), content
        assert "result:work" not in button_ids(final)


async def test_unclear_text_is_named_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """ "400k equity" with no kind is refused privately, quoting the passage; nothing is valued or posted."""
    public_before = len(shared_fake.public_messages())
    _, final = await use_menu(shared_fake, "180k base, 400k equity")
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "400k equity" in text and "RSUs or stock options" in text
    assert len(shared_fake.public_messages()) == public_before


async def test_a_text_without_a_base_does_not_suggest_an_option(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Compute alone: the base is named as missing, with an example in words (the menu has no base option)."""
    _, final = await use_menu(shared_fake, "50k API credits a year")
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "185,000 base salary" in text and "base: 185k" not in text


async def test_a_payload_without_its_message_gets_a_specific_refusal(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """A forged payload whose target message is not resolved is refused as malformed, ephemerally."""
    handle = await shared_fake.deliver(menu_payload(shared_fake, "180k base", resolved=False), forge=True)
    final = await handle.final()
    assert final["flags"] & EPHEMERAL and "can't read" in message_text(final)
