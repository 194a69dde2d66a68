"""The negotiation advisor, found once at start and passed to the commands that offer an Advice button; and what
the Advice button replies with.

The advisor is part of the core (``valuation.advisor.advise(offer, valuation, registry) -> Advice``). An install
without it still values offers; the Advice button is simply not offered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import discord

from bot.messages import text_file
from prompts import MessagePart, Renderer
from valuation import Offer, Registry, Valuation

Advise = Callable[[Offer, Valuation, Registry], Any]

ADVISOR_MODULE = "valuation.advisor"
READ_AS_ROOM = 500
"""Characters of a reply's first message kept above the email for the "Read as: …" line of an offer given as text
(the line is shortened to fit; an email that would leave less goes in a message of its own)."""


def find_advisor(module_name: str = ADVISOR_MODULE) -> Advise | None:
    """The advisor's ``advise`` function, or None when the module (or the function) is not there."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
    advise: Advise | None = getattr(module, "advise", None)
    return advise


def advice_reply(
    renderer: Renderer, advice: Any, valuation: Valuation, locale: str, *, reserve: int = 0
) -> tuple[list[MessagePart], str | None]:
    """The email in a code block to copy, above the strategy's pages; and the email as a file's text when the
    message could not carry it whole (None otherwise). ``reserve``: room kept above the email for a line such as
    "Read as: …". See :meth:`prompts.Renderer.advice_reply`."""
    return renderer.advice_reply(advice, valuation, locale=locale, reserve=reserve)


def email_file(text: str | None) -> discord.File | None:
    """The email as ``email.md``, when there is one to attach."""
    return None if text is None else text_file("email.md", text)
