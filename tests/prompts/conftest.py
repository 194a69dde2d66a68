"""Shared pieces of the prompt tests: one renderer for the session (so a final check can list templates never
loaded), three representative offers, snapshot files, and a readable dump of Discord parts."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from prompts import MessagePart, Renderer
from tests.strategies import REGISTRY
from valuation import Offer, Valuation, load_offer, value_offer
from valuation.advisor import Advice, advise

SESSION_RENDERER = Renderer()
SNAPSHOTS = Path(__file__).with_name("snapshots")
LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP"]
# A mention or markdown that would act in Discord: what user text must never produce.
MENTIONS = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")

# A big-company offer with two compute grants and a quoted TC that doesn't add up.
ACME = """
employer = "Acme AI"
quoted_tc = "450k"
[salary]
base = "180k"
[bonus]
target = "15%"
[sign_on]
amount = "30k"
clawback_months = 12
[[equity]]
kind = "rsu"
grant_value = "400k"
[[compute]]
amount = "50k"
personal_use = true
work_required = "60%"
tax_treatment = "taxable"
[[compute]]
tokens = "100M"
model = "claude-opus-4.5"
cadence = "monthly"
[assumptions]
marginal_tax_rate = "32%"
"""
# A seed-stage offer: back-loaded options and GPU-hours with a short tail.
STARTUP = """
employer = "Tiny Seed"
[salary]
base = "140k"
[[equity]]
kind = "option"
shares = 20000
strike = "0.50"
preferred_price = "4"
stage = "seed-a"
schedule = [10, 20, 30, 40]
[[compute]]
gpu_hours = 2000
gpu = "h100"
on_departure = "tail"
tail_months = 3
[assumptions]
tenure_months = 30
"""
# An offer under negotiation: a deadline in three days, a competing offer, a floor, a full clawback, and an
# employer name full of Discord markup.
NEGOTIATING = """
employer = "Big Co <@123> **bold** @everyone"
[salary]
base = "200k"
[bonus]
target = "10%"
[sign_on]
amount = "20k"
clawback_months = 24
clawback = "full"
[[equity]]
kind = "rsu"
grant_value = "300k"
[[compute]]
amount = "10k"
personal_use = true
work_required = "0%"
tax_treatment = "excluded"
on_departure = "tail"
tail_months = 3
rollover = true
[[compute]]
amount = "5k"
cadence = "monthly"
on_departure = "cash"
personal_use = true
work_required = "10%"
rollover = true
[negotiation]
today = "2026-11-20"
decision_deadline = "2026-11-23"
floor = "250k"
competing_offer_tc = "420k"
"""
OFFERS = {"acme": ACME, "startup": STARTUP, "negotiating": NEGOTIATING}


class Evaluated(NamedTuple):
    offer: Offer
    valuation: Valuation
    advice: Advice


def evaluate(text: str) -> Evaluated:
    offer = load_offer(text, REGISTRY)
    valuation = value_offer(offer, REGISTRY)
    return Evaluated(offer, valuation, advise(offer, valuation, REGISTRY))


def dump_parts(parts: list[MessagePart]) -> str:
    """Discord parts as readable text: message and embed boundaries marked, every piece of text in order."""
    lines: list[str] = []
    for number, message in enumerate(parts, start=1):
        lines.append(f"=== message {number}")
        if message.content:
            lines.append(f"[content] {message.content}")
        for embed in message.embeds:
            lines.append(f"--- embed: {embed.title}")
            if embed.description:
                lines.append(embed.description)
            for field in embed.fields:
                lines.append(f"[field] {field.name}: {field.value}")
            if embed.footer:
                lines.append(f"[footer] {embed.footer}")
    return "\n".join(lines) + "\n"


def check_snapshot(name: str, text: str) -> None:
    """Compare with the reviewed file; UPDATE_SNAPSHOTS=1 rewrites it (read the diff before committing)."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; rerun with UPDATE_SNAPSHOTS=1 after review"


@pytest.fixture
def renderer() -> Renderer:
    return SESSION_RENDERER
