"""The benchmark's floor: the same discord.py client set up as the real bot, whose one command does nothing.

Same ``commands.Bot`` options as :class:`bot.app.FourthPillar` (guilds intent only, no mentions, a command tree,
no help command), the same logging at the same level, pointed at the fake Discord the same way. ``/noop`` answers
with one short ephemeral message, which is the least any command can do. Configured by DISCORD_TOKEN,
DISCORD_API_BASE, DISCORD_GATEWAY_URL and LOG_LEVEL; exits 0 on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import discord
import yarl
from discord.ext import commands

from bot.logs import setup_logging

log = logging.getLogger("noop_bot")
NOOP_COMMAND = {"name": "noop", "description": "Does nothing", "type": 1}
"""The command as Discord stores it (the benchmark seeds it into the fake instead of syncing at start)."""


class NoopBot(commands.Bot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )

        @self.tree.command(name="noop", description="Does nothing")
        async def noop(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok", ephemeral=True)

    async def on_ready(self) -> None:
        log.info("ready in %d servers", len(self.guilds))


async def serve() -> int:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    bot = NoopBot()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(os.environ["DISCORD_TOKEN"])
    return 0


def main() -> int:
    setup_logging(os.environ.get("LOG_LEVEL", "INFO"))
    return asyncio.run(serve())


if __name__ == "__main__":
    raise SystemExit(main())
