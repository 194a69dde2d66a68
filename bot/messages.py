"""Rendered parts to discord.py objects, and sends that always carry ``allowed_mentions`` none."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from prompts import EmbedPart, MessagePart

NO_MENTIONS = discord.AllowedMentions.none()


def to_embed(part: EmbedPart) -> discord.Embed:
    embed = discord.Embed(title=part.title, description=part.description or None, color=part.color)
    for field in part.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if part.footer:
        embed.set_footer(text=part.footer)
    return embed


def message_kwargs(part: MessagePart) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"embeds": [to_embed(e) for e in part.embeds], "allowed_mentions": NO_MENTIONS}
    if part.content:
        kwargs["content"] = part.content
    return kwargs


def text_file(name: str, text: str) -> discord.File:
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


def in_server(interaction: discord.Interaction) -> bool:
    """Figures are private in servers (ephemeral); in DMs replies are normal messages."""
    return interaction.guild_id is not None


async def reply(
    interaction: discord.Interaction,
    parts: Sequence[MessagePart],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer with every page: the first as the response (or the edit of a deferred one), the rest as followups.
    The view goes on the first page."""
    first, *rest = parts
    kwargs = message_kwargs(first)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        if file is not None:
            kwargs["attachments"] = [file]
        await interaction.edit_original_response(**kwargs)
    else:
        if file is not None:
            kwargs["file"] = file
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
    for part in rest:
        await interaction.followup.send(ephemeral=ephemeral, **message_kwargs(part))


async def notice(interaction: discord.Interaction, part: MessagePart | str) -> None:
    """An ephemeral message to the person who acted, whether or not the interaction was answered already."""
    kwargs = (
        message_kwargs(part) if isinstance(part, MessagePart) else {"content": part, "allowed_mentions": NO_MENTIONS}
    )
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=True, **kwargs)
