"""Charts in /offer evaluate, compare and advise end to end: the real bot draws in its worker processes and attaches
the PNG inside the embed; a server that switched charts off gets the text alone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake_discord import message_text
from tests.fake_discord.fixtures import ALICE, DEV_GUILD_ID, OWNER
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
EPHEMERAL = 64
CHART = "where-the-money-is.png"


async def evaluate(fake: FakeDiscord, **options: Any) -> dict[str, Any]:
    handle = await fake.invoke("offer", subcommand="evaluate", options=options, user=ALICE, guild_id=DEV_GUILD_ID)
    return await handle.final()


async def test_evaluate_attaches_the_chart_inside_the_embed(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """The private breakdown carries one PNG, referenced by its first embed as attachment://, with alt text."""
    final = await evaluate(shared_fake, base="180k", credits="50k", employer="Acme AI")
    assert final["flags"] & EPHEMERAL
    attachments = final.get("attachments", [])
    assert [a["filename"] for a in attachments] == [CHART]
    assert final["embeds"][0]["image"]["url"] == f"attachment://{CHART}"
    assert attachments[0]["description"].startswith("Bar chart, per year: what the offer advertises")
    png = shared_fake.attachment_bytes(attachments[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 512 * 1024
    assert "$180,000" in message_text(final)


async def test_a_server_with_charts_off_gets_the_text_alone(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """After the owner sets charts off, the breakdown comes without an attachment or an embed image."""
    setting = await shared_fake.invoke(
        "config", subcommand="set", options={"setting": "charts", "value": "off"}, user=OWNER, guild_id=DEV_GUILD_ID
    )
    await setting.final()
    final = await evaluate(shared_fake, base="150k")
    assert final.get("attachments", []) == []
    assert "image" not in final["embeds"][0]
    assert "$150,000" in message_text(final)
    reset = await shared_fake.invoke(
        "config", subcommand="reset", options={"setting": "charts"}, user=OWNER, guild_id=DEV_GUILD_ID
    )
    await reset.final()
    again = await evaluate(shared_fake, base="151k")
    assert [a["filename"] for a in again.get("attachments", [])] == [CHART]


async def test_compare_attaches_the_comparison_chart(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """/offer compare of two saved offers carries the comparison chart inside its first embed."""
    for base, name in (("140k", "job a"), ("160k", "job b")):
        await evaluate(shared_fake, base=base)
        saved = await shared_fake.invoke(
            "offer", subcommand="save", options={"name": name}, user=ALICE, guild_id=DEV_GUILD_ID
        )
        await saved.final()
    handle = await shared_fake.invoke(
        "offer", subcommand="compare", options={"first": "job a", "second": "job b"}, user=ALICE, guild_id=DEV_GUILD_ID
    )
    final = await handle.final()
    assert final["flags"] & EPHEMERAL
    assert [a["filename"] for a in final.get("attachments", [])] == ["offers-compared.png"]
    assert final["embeds"][0]["image"]["url"] == "attachment://offers-compared.png"
    assert final["attachments"][0]["description"].startswith("Bar and line chart comparing 2 offers")


async def test_a_persons_own_charts_setting_wins_over_the_servers(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """With charts off for herself Alice gets the text alone; with them on she gets the chart even where the server
    switched charts off."""

    async def defaults(sub: str, **options: Any) -> None:
        handle = await shared_fake.invoke(
            "defaults", subcommand=sub, options=options, user=ALICE, guild_id=DEV_GUILD_ID
        )
        await handle.final()

    async def config(sub: str, **options: Any) -> None:
        handle = await shared_fake.invoke("config", subcommand=sub, options=options, user=OWNER, guild_id=DEV_GUILD_ID)
        await handle.final()

    await defaults("set", setting="charts", value="off")
    final = await evaluate(shared_fake, base="152k")
    assert final.get("attachments", []) == [] and "$152,000" in message_text(final)
    await config("set", setting="charts", value="off")
    await defaults("set", setting="charts", value="on")
    final = await evaluate(shared_fake, base="153k")
    assert [a["filename"] for a in final.get("attachments", [])] == [CHART]
    await defaults("reset", setting="charts")
    await config("reset", setting="charts")


async def test_the_forms_breakdown_carries_the_chart(shared_fake: FakeDiscord, shared_bot: BotProcess) -> None:
    """Page one of /offer form answers as evaluate does: the private breakdown with the chart inside its embed."""
    from tests.e2e.test_bot_form import open_form, submit  # noqa: PLC0415 - the form's own helpers

    form, _ = await open_form(shared_fake, guild_id=DEV_GUILD_ID)
    _, final = await submit(shared_fake, form, {"form:base": "163k", "form:credits": "24k"})
    assert final["flags"] & EPHEMERAL
    assert [a["filename"] for a in final.get("attachments", [])] == [CHART]
    assert final["embeds"][0]["image"]["url"] == f"attachment://{CHART}"
    assert "$163,000" in message_text(final)


async def test_the_message_menus_private_breakdown_carries_the_chart(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """Someone's posted offer valued with the message menu: the chart comes with the private answer, never a
    public message."""
    from tests.e2e.test_bot_message_menu import use_menu  # noqa: PLC0415
    from tests.e2e.test_bot_text import EMAIL  # noqa: PLC0415

    public_before = len(shared_fake.public_messages())
    _, final = await use_menu(shared_fake, EMAIL, guild_id=DEV_GUILD_ID)
    assert final["flags"] & EPHEMERAL
    assert [a["filename"] for a in final.get("attachments", [])] == [CHART]
    assert final["embeds"][0]["image"]["url"] == f"attachment://{CHART}"
    assert len(shared_fake.public_messages()) == public_before


async def test_advise_attaches_the_money_chart_beside_the_email(
    shared_fake: FakeDiscord, shared_bot: BotProcess
) -> None:
    """/offer advise carries 'where the money is' inside its first embed, its one attachment (the email is the
    message's content); with Alice's charts off, no attachment."""

    async def advise(base: str) -> dict[str, Any]:
        handle = await shared_fake.invoke(
            "offer", subcommand="advise", options={"base": base, "credits": "50k"}, user=ALICE, guild_id=DEV_GUILD_ID
        )
        return await handle.final()

    final = await advise("170k")
    assert final["flags"] & EPHEMERAL
    attachments = final.get("attachments", [])
    assert [a["filename"] for a in attachments] == [CHART] and "Subject: " in final["content"]
    assert final["embeds"][0]["image"]["url"] == f"attachment://{CHART}"
    assert attachments[0]["description"].startswith("Bar chart, per year: what the offer advertises")
    assert shared_fake.attachment_bytes(attachments[0]).startswith(b"\x89PNG\r\n\x1a\n")
    setting = await shared_fake.invoke(
        "defaults", subcommand="set", options={"setting": "charts", "value": "off"}, user=ALICE, guild_id=DEV_GUILD_ID
    )
    await setting.final()
    final = await advise("171k")
    assert final.get("attachments", []) == [] and "Subject: " in final["content"]
    assert "image" not in final["embeds"][0]
    reset = await shared_fake.invoke(
        "defaults", subcommand="reset", options={"setting": "charts"}, user=ALICE, guild_id=DEV_GUILD_ID
    )
    await reset.final()
