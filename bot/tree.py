"""The command tree: one error path for every command and button, and a gate that closes at shutdown."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import InputError, NoticeError
from bot.messages import notice

if TYPE_CHECKING:
    pass

log = logging.getLogger("fourth_pillar.errors")


class FourthPillarTree(app_commands.CommandTree["FourthPillar"]):  # type: ignore[name-defined]
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        accepting: bool = self.client.accepting
        return accepting

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError | Exception) -> None:
        renderer = self.client.renderer
        locale = interaction.locale.value
        original = getattr(error, "original", None) or error.__cause__
        if isinstance(error, app_commands.TransformerError) and isinstance(original, InputError):
            error = original
        if isinstance(error, app_commands.CommandInvokeError) and isinstance(error.original, InputError | NoticeError):
            error = error.original
        if isinstance(error, InputError):
            await notice(interaction, renderer.error_discord(error.error, locale=locale))
        elif isinstance(error, NoticeError):
            await notice(interaction, renderer.text(f"ui/{error.template_id}", locale=locale, **error.data))
        elif isinstance(error, app_commands.CommandOnCooldown):
            await notice(
                interaction, renderer.text("ui/cooldown", locale=locale, seconds=max(1, round(error.retry_after)))
            )
        elif isinstance(error, app_commands.MissingPermissions):
            await notice(interaction, renderer.text("ui/missing_permission", locale=locale))
        elif isinstance(error, app_commands.CheckFailure):
            await notice(interaction, renderer.text("ui/shutting_down", locale=locale))
        else:
            error_id = secrets.token_hex(4)
            command = interaction.command.qualified_name if interaction.command else "component"
            # The exception type and traceback only: never option values or figures.
            log.error("unexpected error %s in %s: %s", error_id, command, type(error).__name__, exc_info=error)
            try:
                await notice(interaction, renderer.text("ui/unexpected_error", locale=locale, error_id=error_id))
            except discord.HTTPException:
                log.warning("could not report error %s to the user", error_id)
