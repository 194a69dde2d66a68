"""``/offer form`` end to end: a modal of pay prefilled from the person's last offer, the breakdown as evaluate
gives it, and a button to a second modal of compute terms over that offer; private in servers, refusals specific."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_bot_offer import EPHEMERAL, button_ids, evaluate, public_count, sent_bodies
from tests.fake_discord import InteractionHandle, message_text
from tests.fake_discord.fixtures import ALICE, BOB
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
LABEL, TEXT_INPUT, SELECT = 18, 4, 3


def inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The modal's inputs by custom_id, each with the label it sits in."""
    out = {}
    for comp in modal.get("components", []):
        assert comp["type"] == LABEL, "every input sits in a labelled component"
        out[comp["component"]["custom_id"]] = {**comp["component"], "label": comp["label"]}
    return out


async def open_form(fake: FakeDiscord, **kw: Any) -> tuple[InteractionHandle, dict[str, Any]]:
    handle = await fake.invoke("offer", subcommand="form", user=ALICE, **kw)
    return handle, await handle.modal()


async def submit(fake: FakeDiscord, source: InteractionHandle, values: dict[str, Any]) -> tuple[InteractionHandle, Any]:
    handle = await fake.deliver(fake.submit_modal(source, values))
    return handle, await handle.final()


async def test_both_pages_round_trip_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Page one (five labelled money inputs, base required) gives the breakdown with result buttons and "Compute
    terms…"; page two (cadence, work share, personal use, departure, expiry) revalues the same offer with them."""
    public_before = public_count(shared_fake)
    form, modal = await open_form(shared_fake)
    fields = inputs(modal)
    assert list(fields) == ["form:base", "form:bonus", "form:sign_on", "form:equity", "form:credits"]
    assert len(modal["title"]) <= 45 and all(len(f["label"]) <= 45 for f in fields.values())
    assert fields["form:base"]["required"] is True and all(f["type"] == TEXT_INPUT for f in fields.values())
    values = {"form:base": "161k", "form:bonus": "10%", "form:credits": "24k"}
    first, breakdown = await submit(shared_fake, form, values)
    assert breakdown["flags"] & EPHEMERAL
    assert "$161,000" in message_text(breakdown)
    assert {"result:work", "form:compute"} <= set(button_ids(breakdown))

    press = await shared_fake.deliver(shared_fake.click(breakdown, "form:compute", user=ALICE))
    page_two = await press.modal()
    terms = inputs(page_two)
    assert list(terms) == [
        "form:cadence",
        "form:work_required",
        "form:personal_use",
        "form:on_departure",
        "form:expiry_months",
    ]
    assert terms["form:cadence"]["type"] == SELECT and len(page_two["title"]) <= 45
    second, revalued = await submit(
        shared_fake,
        press,
        {
            "form:cadence": ["monthly"],
            "form:work_required": "50%",
            "form:personal_use": ["yes"],
            "form:on_departure": ["cash"],
            "form:expiry_months": "0",
        },
    )
    assert revalued["flags"] & EPHEMERAL and "$161,000" in message_text(revalued)
    assert message_text(revalued) != message_text(breakdown)  # the terms changed what the credits are worth
    assert public_count(shared_fake) == public_before
    bodies = sent_bodies(form, first, press, second)
    assert bodies and all(body.get("allowed_mentions") == {"parse": []} for body in bodies)


async def test_page_one_is_prefilled_from_the_last_offer(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """After evaluating base 172k, bonus 12%, sign-on 20k, equity 300k and credits 30k, the form opens with them."""
    await evaluate(
        shared_fake,
        options={"base": "172k", "bonus": "12%", "sign_on": "20k", "equity": "300k", "credits": "30k"},
        user=BOB,
    )
    handle = await shared_fake.invoke("offer", subcommand="form", user=BOB)
    fields = inputs(await handle.modal())
    prefilled = {k: f.get("value") for k, f in fields.items()}
    assert prefilled == {
        "form:base": "172k",
        "form:bonus": "12%",
        "form:sign_on": "20k",
        "form:equity": "300k",
        "form:credits": "30k",
    }


async def test_bad_money_on_page_one_is_refused_privately(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """ "lots" as the base is refused ephemerally, naming the field and the value."""
    form, _ = await open_form(shared_fake)
    _, refusal = await submit(shared_fake, form, {"form:base": "lots"})
    text = message_text(refusal)
    assert refusal["flags"] & EPHEMERAL and "base" in text and "lots" in text and "went wrong" not in text


async def test_page_two_without_credits_asks_for_them(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Compute terms over an offer with no credits: refused privately, naming the credits."""
    form, _ = await open_form(shared_fake)
    _, breakdown = await submit(shared_fake, form, {"form:base": "150k", "form:credits": ""})
    press = await shared_fake.deliver(shared_fake.click(breakdown, "form:compute", user=ALICE))
    await press.modal()
    _, refusal = await submit(shared_fake, press, {"form:work_required": "50%"})
    assert refusal["flags"] & EPHEMERAL and "credits" in message_text(refusal)


async def test_someone_else_cannot_open_page_two(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """A forged press of "Compute terms…" by another person gets the not-yours notice, no modal."""
    form, _ = await open_form(shared_fake)
    _, breakdown = await submit(shared_fake, form, {"form:base": "150k"})
    press = await shared_fake.deliver(shared_fake.click(breakdown, "form:compute", user=BOB, forge=True), forge=True)
    answer = await press.final()
    assert answer["flags"] & EPHEMERAL and "belongs to whoever ran the command" in message_text(answer)


async def test_edit_under_read_as_opens_the_form_with_what_was_read(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Edit under a "Read as" breakdown opens page one prefilled with the figures read; changing the base and
    clearing a misread sign-on revalues the offer, keeping what the form does not show (the credits' cadence)."""
    text = "180k base, 15% bonus, 30k signing bonus, 50k API credits a month"
    _, final = await evaluate(shared_fake, options={"text": text})
    assert "Read as" in str(final.get("content")) and "form:edit" in button_ids(final)
    press = await shared_fake.deliver(shared_fake.click(final, "form:edit", user=ALICE))
    fields = inputs(await press.modal())
    prefilled = {k: f.get("value") for k, f in fields.items()}
    assert prefilled == {
        "form:base": "180000",
        "form:bonus": "15%",
        "form:sign_on": "30000",
        "form:equity": None,
        "form:credits": "50000",
    }
    _, fixed = await submit(shared_fake, press, {"form:base": "190k", "form:sign_on": ""})
    fixed_text = message_text(fixed)
    assert fixed["flags"] & EPHEMERAL and "$190,000" in fixed_text
    assert "$30,000" not in fixed_text and "$180,000" not in fixed_text
    # Still monthly credits, as read: advertised year 1 = base 190,000 + bonus 15% × 190,000 = 28,500
    # + credits 50,000 × 12 months = 600,000 → 818,500 (no sign-on any more).
    assert "$818,500" in fixed_text


async def test_options_alone_get_no_edit_button(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Without text there is no "Read as" line, so no Edit button."""
    _, final = await evaluate(shared_fake, options={"base": "150k"})
    assert "form:edit" not in button_ids(final)
