"""How long each command and button took, for the log: names and durations only, never values."""

from __future__ import annotations

import logging
import time

import discord

STARTED = "fourth_pillar.started"  # interaction.extras key: monotonic time the bot began handling it


def elapsed_ms(interaction: discord.Interaction) -> float:
    started: float = interaction.extras.get(STARTED, time.monotonic())
    return (time.monotonic() - started) * 1000


def log_answered(log: logging.Logger, what: str, interaction: discord.Interaction) -> None:
    log.info("%s answered in %.0f ms", what, elapsed_ms(interaction))
