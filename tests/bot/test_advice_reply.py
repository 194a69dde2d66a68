"""The Advice button's reply: the strategy pages, then the email in a code block to copy, and the email as a file."""

from __future__ import annotations

from bot.advice import advice_reply
from prompts import Renderer, within_limits
from tests.prompts.conftest import OFFERS, evaluate


def test_reply_ends_with_the_email_in_a_code_block() -> None:
    """Pages of strategy first, then one message whose content is the email inside a code block; the file text is
    the same email."""
    _, valuation, advice = evaluate(OFFERS["acme"])
    parts, email = advice_reply(Renderer(), advice, valuation, "en-US")
    *strategy, last = parts
    assert strategy and strategy[0].embeds[0].title == "Your ask"
    assert last.content.count("```") == 2 and all(within_limits(p) == [] for p in parts)
    assert email.startswith("Subject: ") and email.strip().splitlines()[-1] in last.content
    assert len(parts) <= 5  # a user-installed app may send only five followups in some servers
