"""The advice reply: one message whose content is the email in a code block, above the strategy; the email in a
message of its own, and as a file, only when the first message cannot carry it."""

from __future__ import annotations

from bot.advice import READ_AS_ROOM, advice_reply
from prompts import Renderer, within_limits
from prompts.parts import CONTENT_MAX
from tests.prompts.conftest import OFFERS, evaluate


def test_one_message_carries_the_email_above_the_strategy() -> None:
    """The email (in a code block, as content: what a phone's Copy Text copies) shares the first message with the
    strategy's pages, and no file is attached."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    parts, email_file = advice_reply(Renderer(), advice, valuation, "en-US")
    first = parts[0]
    assert email_file is None
    assert first.content.startswith("Your email, ready to copy:\n```\nSubject: ") and first.content.count("```") == 2
    assert first.embeds[0].title == "Your ask" and all(within_limits(p) == [] for p in parts)
    assert first.content.rstrip("`\n").endswith("[your name]")
    assert all(not p.content for p in parts[1:])  # the email is shown once


def test_email_without_room_goes_after_the_strategy_and_as_a_file() -> None:
    """When the first message has no room left for the email, it follows the strategy in its own message (saying it
    is also attached) and its plain text comes back for the file."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    parts, email_file = advice_reply(Renderer(), advice, valuation, "en-US", reserve=CONTENT_MAX)
    *strategy, last = parts
    assert strategy and not strategy[0].content and strategy[0].embeds[0].title == "Your ask"
    assert last.content.startswith("Your email, ready to copy (also attached):\n```\n")
    assert email_file is not None and email_file.startswith("Subject: ")
    assert email_file.strip().splitlines()[-1] in last.content
    assert len(parts) <= 5  # a user-installed app may send only five followups in some servers


def test_reserved_room_stays_free() -> None:
    """With room reserved for a "Read as" line, the email takes at most the rest of the first message."""
    _, valuation, advice = evaluate(OFFERS["negotiating"])
    parts, _ = advice_reply(Renderer(), advice, valuation, "en-US", reserve=READ_AS_ROOM)
    assert len(parts[0].content) <= CONTENT_MAX - READ_AS_ROOM
