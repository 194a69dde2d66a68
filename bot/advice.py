"""The negotiation advisor, found once at start and passed to the commands that offer an Advice button; and what
the Advice button replies with.

The advisor is part of the core (``valuation.advisor.advise(offer, valuation, registry) -> Advice``). An install
without it still values offers; the Advice button is simply not offered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from prompts import MessagePart, Renderer
from valuation import Offer, Registry, Valuation

Advise = Callable[[Offer, Valuation, Registry], Any]

ADVISOR_MODULE = "valuation.advisor"


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


def advice_reply(renderer: Renderer, advice: Any, valuation: Valuation, locale: str) -> tuple[list[MessagePart], str]:
    """The strategy pages, then the email in a code block to copy; and the email as a file's text."""
    parts = renderer.advice_discord(advice, valuation, locale=locale)
    parts.append(renderer.script_discord(advice, valuation, locale=locale))
    return parts, renderer.script_text(advice, valuation, locale=locale)
