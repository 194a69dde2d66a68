"""The first response's JSON, written directly from rendered parts, is what discord.py would have sent for the same
message: the same embeds, components, flags and (no) mentions."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord
import pytest
from discord.webhook.async_ import interaction_message_response_params

from bot.app import create_resources
from bot.features.offer import value_and_render
from bot.messages import NO_MENTIONS, keep_layout, respond, response_payload, to_embed
from bot.offer_input import EvaluateOptions
from bot.views import file_view, result_view
from prompts import EmbedField, EmbedPart, MessagePart


@pytest.fixture(scope="module")
def breakdown() -> MessagePart:
    resources = create_resources()
    bot = SimpleNamespace(registry=resources.registry, renderer=resources.renderer, advise=resources.advise)
    options = EvaluateOptions(base="185000", bonus="15%", credits="100M", model="claude-sonnet-4.5")
    _, _, parts, _ = value_and_render(bot, options, None, [], "de")  # type: ignore[arg-type]
    return parts[0]


def discord_py_payload(part: MessagePart, *, ephemeral: bool, view: discord.ui.View | None = None) -> dict[str, Any]:
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.channel_message.value,
        content=part.content if part.content else discord.utils.MISSING,
        embeds=[to_embed(e) for e in part.embeds],
        view=view if view is not None else discord.utils.MISSING,
        flags=discord.MessageFlags(ephemeral=True) if ephemeral else discord.utils.MISSING,
        allowed_mentions=NO_MENTIONS,
        previous_allowed_mentions=NO_MENTIONS,
    )
    assert params.payload is not None
    return params.payload


SMALL_PARTS = [
    MessagePart(embeds=(EmbedPart(title="Only a title"),)),
    MessagePart(content="Just words, no embed"),
    MessagePart(
        content="Both",
        embeds=(
            EmbedPart(
                title="T",
                description="D",
                fields=(EmbedField("a", "1", inline=True), EmbedField("b", "2")),
                footer="F",
                color=0,
            ),
        ),
    ),
]


@pytest.mark.parametrize("part", SMALL_PARTS)
@pytest.mark.parametrize("ephemeral", [True, False])
def test_small_messages_match_discord_py(part: MessagePart, ephemeral: bool) -> None:
    """Title only, content only, every embed piece (a zero colour too): the same JSON as discord.py's."""
    ours = response_payload(ephemeral=ephemeral, content=part.content, embeds=part.embeds, view=None)
    assert ours == discord_py_payload(part, ephemeral=ephemeral)


def test_a_breakdown_with_its_buttons_matches_discord_py(breakdown: MessagePart) -> None:
    """A real breakdown (four embeds, German figures) under its buttons: the same JSON as discord.py's, both for a
    view laid out on the spot and for one whose layout was kept."""
    assert len(breakdown.embeds) == 4
    view = result_view(create_resources().renderer, "de", share_offered=True, advice_offered=True)
    expected = discord_py_payload(breakdown, ephemeral=True, view=view)
    assert response_payload(ephemeral=True, content=breakdown.content, embeds=breakdown.embeds, view=view) == expected
    kept = keep_layout(view)
    assert response_payload(ephemeral=True, content=breakdown.content, embeds=breakdown.embeds, view=kept) == expected
    assert [c["custom_id"] for row in expected["data"]["components"] for c in row["components"]][:2] == [
        "result:share",
        "result:work",
    ]


def test_a_kept_layout_is_only_that_views() -> None:
    """A layout kept for one view is not sent under another."""
    renderer = create_resources().renderer
    kept = keep_layout(result_view(renderer, "en-US", share_offered=False, advice_offered=False))
    other = file_view(renderer, "en-US")
    part = MessagePart(content="x")
    assert response_payload(ephemeral=True, content="x", embeds=(), view=other) == discord_py_payload(
        part, ephemeral=True, view=other
    )
    assert response_payload(ephemeral=True, content="x", embeds=(), view=kept) == discord_py_payload(
        part, ephemeral=True, view=kept
    )


@pytest.mark.asyncio
async def test_a_live_view_is_refused_before_anything_is_sent() -> None:
    """discord.py keeps a live view by the id of the message Discord sends back, which ``respond`` does not ask
    for: such a view is refused (a programming error), and the interaction is left unanswered for the caller."""

    class Response:
        def is_done(self) -> bool:
            return False

    interaction = SimpleNamespace(response=Response())
    live = discord.ui.View(timeout=None)
    with pytest.raises(ValueError, match="detached views only"):
        await respond(interaction, ephemeral=True, content="x", view=live)  # type: ignore[arg-type]
