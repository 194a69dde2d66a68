"""``/offer evaluate text:`` and a ``.txt`` attachment end to end: the offer as written is read, valued, and the
reply opens with "Read as: …"; unclear text gets a specific private refusal. Nothing public is ever sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_bot_offer import EPHEMERAL, button_ids, evaluate, public_count, sent_bodies
from tests.fake_discord import message_text
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

EMAIL = """Hi Sam,

We're thrilled to offer you the role at Acme AI!
- $185,000 annual base salary
- RSUs valued at $400,000 vesting over four years (25% after the first year, then quarterly)
- $2,000/month in API credits, personal use allowed
- 100M tokens/month of Claude Sonnet 4.5

Best,
Jordan @everyone <@123>
"""


def first_content(final: dict[str, Any]) -> str:
    return str(final.get("content") or "")


async def test_text_in_a_server_is_read_and_valued_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A pasted recruiter email is valued ephemerally with buttons; the reply opens with what was read."""
    public_before = public_count(shared_fake)
    handle, final = await evaluate(shared_fake, options={"text": EMAIL})
    assert final["flags"] & EPHEMERAL
    content = first_content(final)
    assert content.startswith("Read as: base salary $185,000 · equity grant #1: value $400,000")
    assert "tokens 100,000,000, how often monthly" in content
    assert "$185,000" in message_text(final)
    assert "result:work" in button_ids(final)
    assert public_count(shared_fake) == public_before
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(handle))


async def test_options_override_the_text(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """base: beside the text replaces the base the text gave, as it does for an offer file."""
    _, final = await evaluate(shared_fake, options={"text": "180k base, 15% bonus", "base": "200k"})
    text = message_text(final)
    assert "$200,000" in text and "$180,000" not in message_text({"embeds": final.get("embeds", [])})


async def test_txt_attachment_in_the_bot_dm(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A .txt attachment is read as the offer as written (here in the bot's DM: a normal message)."""
    attachment = shared_fake.add_attachment("offer.txt", EMAIL.encode(), "text/plain; charset=utf-8")
    _, final = await evaluate(shared_fake, options={"offer_file": attachment}, guild_id=None)
    assert not final["flags"] & EPHEMERAL
    assert first_content(final).startswith("Read as: base salary $185,000")


async def test_unclear_text_gets_a_specific_private_refusal(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """ "400k equity" is refused privately, naming the passage and asking RSUs or options; nothing is valued."""
    public_before = public_count(shared_fake)
    handle, final = await evaluate(shared_fake, options={"text": "180k base, 400k equity"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL
    assert "400k equity" in text and "RSUs or stock options" in text
    assert "went wrong" not in text and "result:work" not in button_ids(final)
    assert public_count(shared_fake) == public_before
    assert all(body.get("allowed_mentions") == {"parse": []} for body in sent_bodies(handle))


async def test_text_with_nothing_to_read_says_what_it_looks_for(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Text with no offer in it is refused with what the reader looks for."""
    _, final = await evaluate(shared_fake, options={"text": "thanks, talk soon!"})
    assert final["flags"] & EPHEMERAL
    assert "couldn't find an offer" in message_text(final)


async def test_text_without_a_base_names_it(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Compute alone, with no base in the text or the options: the base is named as missing."""
    _, final = await evaluate(shared_fake, options={"text": "50k API credits a year"})
    text = message_text(final)
    assert final["flags"] & EPHEMERAL and "base" in text and "185,000 base salary" in text
