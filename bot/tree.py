"""The command tree: one error path for every command and button, per-command timing, and a gate that closes at
shutdown."""

from __future__ import annotations

import logging
import secrets
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import InputError, NoticeError
from bot.messages import notice
from bot.timing import STARTED
from storage import StorageBusy

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.commands")


def command_name(interaction: discord.Interaction) -> str:
    """What ran, for logs: the command's qualified name, or the kind of component. Never option values."""
    if interaction.command is not None:
        return "/" + interaction.command.qualified_name
    return interaction.type.name


def user_error(error: BaseException) -> InputError | NoticeError | None:
    """The user-caused error inside discord.py's wrappers (TransformerError, CommandInvokeError), if any. A database
    that stayed locked is answered like one: a notice to try again."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, InputError | NoticeError):
            return current
        if isinstance(current, StorageBusy):
            return NoticeError("database_busy")
        seen.add(id(current))
        current = getattr(current, "original", None) or current.__cause__
    return None


class FourthPillarTree(app_commands.CommandTree["FourthPillar"]):
    async def interaction_check(self, interaction: discord.Interaction[FourthPillar]) -> bool:
        interaction.extras[STARTED] = time.monotonic()
        if log.isEnabledFor(logging.DEBUG):  # finding the command's name walks the tree: not for nothing
            log.debug("%s received", command_name(interaction))
        if self.client.accepting:
            self.client.track(interaction)
            return True
        # discord.py drops an interaction this check refuses without a word: answer it here.
        if interaction.type is discord.InteractionType.application_command:
            renderer = self.client.renderer
            await notice(interaction, renderer.text("ui/shutting_down", locale=interaction.locale.value))
        return False

    async def on_error(
        self, interaction: discord.Interaction[FourthPillar], error: app_commands.AppCommandError | Exception
    ) -> None:
        await report_error(self.client, interaction, error)


async def report_error(client: FourthPillar, interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the person what went wrong, ephemerally. User errors are rendered from templates; anything else is
    logged (type and traceback only: exception messages can carry values) under an id the person is given. If even
    the explanation fails, the person still gets the generic answer rather than silence."""
    try:
        await _report(client, interaction, error)
    except discord.HTTPException:
        log.warning("%s: could not send the error answer", command_name(interaction))
    except Exception as failure:
        await _unexpected(client, interaction, failure)


async def _unexpected(client: FourthPillar, interaction: discord.Interaction, error: BaseException) -> None:
    error_id = secrets.token_hex(4)
    log.error("%s failed: unexpected error %s", command_name(interaction), error_id, exc_info=error)
    try:
        text = client.renderer.text("ui/unexpected_error", locale=interaction.locale.value, error_id=error_id)
        await notice(interaction, text)
    except discord.HTTPException:
        log.warning("could not report error %s to the user", error_id)


async def _report(client: FourthPillar, interaction: discord.Interaction, error: BaseException) -> None:
    renderer = client.renderer
    locale = interaction.locale.value
    name = command_name(interaction)
    found = user_error(error)
    if isinstance(found, InputError):
        log.info("%s refused: %s", name, found.error.first.reason.value)
        await notice(interaction, renderer.error_discord(found.error, locale=locale))
    elif isinstance(found, NoticeError):
        log.info("%s refused: %s", name, found.template_id)
        await notice(interaction, renderer.text(f"ui/{found.template_id}", locale=locale, **found.data))
    elif isinstance(error, app_commands.CommandOnCooldown):
        log.info("%s refused: cooldown", name)
        seconds = max(1, round(error.retry_after))
        await notice(interaction, renderer.text("ui/cooldown", locale=locale, seconds=seconds))
    elif isinstance(error, app_commands.MissingPermissions):
        log.info("%s refused: missing permission", name)
        await notice(interaction, renderer.text("ui/missing_permission", locale=locale))
    elif isinstance(error, app_commands.NoPrivateMessage):
        log.info("%s refused: not in a server", name)
        await notice(interaction, renderer.text("ui/command_guild_only", locale=locale))
    elif isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch) or _no_target(
        interaction
    ):
        # A payload Discord's own client would not send: an option of the wrong type, or an outdated command.
        # Or a context-menu entry used on a message or user the payload does not carry.
        log.info("%s refused: malformed options", name)
        await notice(interaction, renderer.text("ui/malformed_options", locale=locale))
    else:
        await _unexpected(client, interaction, error)


def _no_target(interaction: discord.Interaction) -> bool:
    """A context-menu payload whose target is missing from its resolved items (Discord always sends it)."""
    data: Any = interaction.data or {}
    if interaction.type is not discord.InteractionType.application_command or data.get("type") not in (2, 3):
        return False
    resolved, target = data.get("resolved") or {}, str(data.get("target_id"))
    return not any(isinstance(resolved.get(kind), dict) and target in resolved[kind] for kind in ("messages", "users"))
