"""``/offer advise`` end to end: the advisor's strategy for an offer given as text, options or a saved name, toward a
target, with the email in a code block in the same message; private in servers, refusals specific and private."""

from __future__ import annotations

import pytest

from tests.e2e.test_bot_offer import ADVISOR_INSTALLED, EPHEMERAL, evaluate, public_count, sent_bodies
from tests.fake_discord import InteractionHandle, message_text
from tests.fake_discord.fixtures import ALICE
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.skipif(not ADVISOR_INSTALLED, reason="the advisor is not installed"),
]


async def advise(fake: FakeDiscord, options: dict[str, object], **kw: object) -> InteractionHandle:
    return await fake.invoke("offer", subcommand="advise", options=options, user=ALICE, **kw)


async def test_text_with_a_target_gets_the_strategy_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Text plus target 250k in a server: one ephemeral message opening with "Read as", then the email in a code
    block, and the strategy aiming at the target; nothing public, no mentions."""
    public_before = public_count(shared_fake)
    handle = await advise(shared_fake, {"text": "180k base, 15% bonus, 50k API credits a year", "target": "250k"})
    first = await handle.final()
    assert (await handle.response()).ephemeral and first["flags"] & EPHEMERAL
    text = message_text(first)
    assert str(first.get("content")).startswith("Read as: base salary $180,000 · bonus 15%")
    # Year 1 as offered: base 180,000 + bonus 15% × 180,000 = 27,000 → 207,000 (the credits: no personal use and no
    # stated work share, so the advisor counts none of them); the target is 250,000, so the gap is 43,000.
    assert "$207,000" in text and "$250,000" in text and "$43,000" in text
    assert [a["filename"] for a in first.get("attachments", [])] == ["where-the-money-is.png"]
    assert first["content"].count("```") == 2 and "\nSubject: " in first["content"]
    assert public_count(shared_fake) == public_before
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(handle))


async def test_options_without_a_target(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """base and credits as options, no target: the strategy still comes, with its email."""
    handle = await advise(shared_fake, {"base": "160k", "credits": "100M", "model": "gpt-5"})
    first = await handle.final()
    assert first["flags"] & EPHEMERAL and "Your ask" in message_text(first)
    assert "Read as" not in str(first.get("content"))
    assert "Subject: " in first["content"]


async def test_a_saved_offer_by_name(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """An offer saved under a name is advised on by that name."""
    await evaluate(shared_fake, options={"base": "171k"})
    saved = await shared_fake.invoke("offer", subcommand="save", options={"name": "acme"}, user=ALICE)
    assert "acme" in message_text(await saved.final())
    first = await (await advise(shared_fake, {"name": "acme", "target": "200k"})).final()
    assert first["flags"] & EPHEMERAL and "$171,000" in message_text(first) and "$200,000" in message_text(first)


async def test_in_the_bot_dm_it_is_a_normal_message(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """In the person's own DM with the bot the strategy is a normal message."""
    first = await (await advise(shared_fake, {"base": "150k"}, guild_id=None)).final()
    assert not first["flags"] & EPHEMERAL and "Your ask" in message_text(first)


async def test_refusals_are_specific_and_private(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A bad target names the option and the value; no offer at all names the base and the ways to give one; an
    unknown saved name is named."""
    bad = await (await advise(shared_fake, {"base": "150k", "target": "lots"})).final()
    assert bad["flags"] & EPHEMERAL and "`target`" in message_text(bad) and "lots" in message_text(bad)
    nothing = await (await advise(shared_fake, {"target": "250k"})).final()
    text = message_text(nothing)
    assert nothing["flags"] & EPHEMERAL and "base" in text and "saved offer" in text and "went wrong" not in text
    missing = await (await advise(shared_fake, {"name": "nosuch"})).final()
    assert missing["flags"] & EPHEMERAL and "nosuch" in message_text(missing)
