"""What-if under a breakdown end to end: a preset change re-renders the same message in place with the new figures,
changes stack and the result buttons follow them, and only the asker can use it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_bot_offer import EPHEMERAL, evaluate, public_count, sent_bodies
from tests.fake_discord import message_text
from tests.fake_discord.fixtures import ALICE, BOB
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
SELECT = "whatif:change"
# 180k base and 50k of credits a year that may be used personally, 60% of them for assigned work: 40% is personal.
OFFER = {"base": "180k", "credits": "50k", "personal_use": True, "work_required": "60%"}


def select_of(message: dict[str, Any]) -> dict[str, Any]:
    found = [c for row in message.get("components", []) for c in row["components"] if c.get("custom_id") == SELECT]
    assert len(found) == 1, "one what-if menu"
    return found[0]


async def test_a_change_re_renders_in_place_and_changes_stack(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Spending 90% of the personal credits, then a 30% work share, each edit the same private message with the
    figure derived by hand; Show your work follows the changed offer; nothing is public."""
    public_before = public_count(shared_fake)
    handle, breakdown = await evaluate(shared_fake, options=OFFER)
    menu = select_of(breakdown)
    assert len(menu["options"]) <= 25 and all(len(o["label"]) <= 100 for o in menu["options"])
    # Built-in utilization 70%: year-1 personal value 50,000 × 40% × 70% = 14,000.
    assert "personal value $14,000" in message_text(breakdown)

    press = await shared_fake.deliver(shared_fake.select(breakdown, SELECT, ["util:90"], user=ALICE))
    assert (await press.response()).type == 7  # the breakdown itself is updated, no new message
    changed = await press.final()
    assert changed["id"] == breakdown["id"] and changed["flags"] & EPHEMERAL
    # 50,000 × 40% × 90% = 18,000
    assert "personal value $18,000" in message_text(changed)
    assert "personal value $14,000" not in message_text(changed)
    assert select_of(changed) and {"result:work"} <= {
        c["custom_id"] for r in changed["components"] for c in r["components"]
    }

    again = await shared_fake.deliver(shared_fake.select(changed, SELECT, ["work:30"], user=ALICE))
    stacked = await again.final()
    # The 90% stays and 70% is now personal: 50,000 × 70% × 90% = 31,500.
    assert stacked["id"] == breakdown["id"] and "personal value $31,500" in message_text(stacked)

    work = await shared_fake.deliver(shared_fake.click(stacked, "result:work", user=ALICE))
    shown = message_text(await work.final())  # Show your work follows the changed offer
    assert "Share of personal credits you would spend**: 90.00%" in shown
    assert "× 70.00% yours to use × 90.00% spent = **$31,500.00**" in shown
    assert public_count(shared_fake) == public_before
    bodies = sent_bodies(handle, press, again)
    assert bodies and all(body.get("allowed_mentions") == {"parse": []} for body in bodies)


async def test_each_preset_changes_the_figures(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Every preset (utilization, work share, price decline, tenure, tax treatment) re-renders the breakdown with
    different figures: on 2B GPT-5 tokens a year, whose worth depends on how fast token prices fall."""
    tokens = {**OFFER, "credits": "2B", "model": "gpt-5"}
    _, breakdown = await evaluate(shared_fake, options=tokens)
    for option in select_of(breakdown)["options"]:
        _, fresh = await evaluate(shared_fake, options=tokens)  # each preset alone, on its own breakdown
        press = await shared_fake.deliver(shared_fake.select(fresh, SELECT, [option["value"]], user=ALICE))
        assert message_text(await press.final()) != message_text(fresh), option["value"]


async def test_someone_else_cannot_change_it(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Another person's choice gets the private not-yours notice and leaves the breakdown as it was."""
    handle, breakdown = await evaluate(shared_fake, options=OFFER)
    forged = shared_fake.select(breakdown, SELECT, ["util:90"], user=BOB, forge=True)
    intruder = await shared_fake.deliver(forged, forge=True)
    refusal = await intruder.response()
    assert refusal.ephemeral and "belongs to whoever ran the command" in (refusal.content or "")
    assert handle.original is not None and "personal value $14,000" in message_text(handle.original)


async def test_offers_without_compute_get_no_menu(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A salary-only breakdown has nothing for the menu to change: it is not offered."""
    _, breakdown = await evaluate(shared_fake, options={"base": "150k"})
    assert SELECT not in [c["custom_id"] for r in breakdown.get("components", []) for c in r["components"]]
