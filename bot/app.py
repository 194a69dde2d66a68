"""The bot process: settings → resources → client; ``run`` serves, ``sync`` publishes the command tree.

Resources are created here, once, and passed in. Normal starts never sync globally (Discord allows 200 command
creates a day per guild): ``fourth-pillar sync`` does that on purpose; ``DEV_GUILD_ID`` gets a guild copy synced
at start for development.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord
import yarl
from discord.ext import commands
from pydantic import ValidationError

from bot.features import EXTENSIONS
from bot.logs import setup_logging
from bot.messages import NO_MENTIONS
from bot.settings import Settings
from bot.tree import FourthPillarTree
from prompts import Renderer
from valuation import Registry, default_registry

log = logging.getLogger("fourth_pillar")
INTERACTION_TASK_PREFIXES = ("CommandTree-invoker", "discord-ui-view-dispatch-")


def point_at(settings: Settings) -> None:
    """Where discord.py talks to: Discord itself, or a proxy / local emulator."""
    discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class FourthPillar(commands.Bot):
    def __init__(
        self, settings: Settings, renderer: Renderer, registry: Registry, *, sync_dev_guild: bool = True
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.none() | discord.Intents(guilds=True),
            allowed_mentions=NO_MENTIONS,
            tree_cls=FourthPillarTree,
            help_command=None,
        )
        self.settings = settings
        self.renderer = renderer
        self.registry = registry
        self.sync_dev_guild = sync_dev_guild
        self.accepting = True

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_dev_guild and self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development guild", len(synced))

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        log.debug("interaction %s received", interaction.type.name)

    def share_allowed(self, interaction: discord.Interaction) -> bool:
        """Whether the Share button is offered (a server setting comes with storage)."""
        return True

    # -- a clean shutdown ----------------------------------------------------------------------------------------
    @staticmethod
    def interactions_in_flight() -> list[asyncio.Task[object]]:
        """discord.py runs each command and each button press in a task of its own, named for what it runs."""
        return [
            task
            for task in asyncio.all_tasks()
            if not task.done() and task.get_name().startswith(INTERACTION_TASK_PREFIXES)
        ]

    async def drain(self, grace: float) -> None:
        """Stop taking interactions, let those in flight finish (at most ``grace`` seconds), then close."""
        self.accepting = False
        pending = self.interactions_in_flight()
        log.info("stopping: finishing %d interaction(s) in flight", len(pending))
        if pending:
            await asyncio.wait(pending, timeout=grace)
        await self.close()


def load_settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as exc:
        missing = ", ".join(str(e["loc"][0]).upper() for e in exc.errors())
        print(
            f"Settings are missing or invalid: {missing}. Put DISCORD_TOKEN=... in .env (see .env.example).",
            file=sys.stderr,
        )
        return None


async def serve(settings: Settings) -> int:
    point_at(settings)
    bot = FourthPillar(settings, Renderer(), default_registry())
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)

    async def stop_on_signal() -> None:
        await stopping.wait()
        await bot.drain(settings.shutdown_grace_seconds)

    async with bot:
        stopper = asyncio.create_task(stop_on_signal())
        try:
            await bot.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            log.error("Discord refused the token: check DISCORD_TOKEN")
            return 1
        finally:
            if stopping.is_set():
                await stopper  # the drain is what closed the client: let it finish
            else:
                stopper.cancel()
    log.info("stopped")
    return 0


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    point_at(settings)
    bot = FourthPillar(settings, Renderer(), default_registry(), sync_dev_guild=False)
    async with bot:
        await bot.login(settings.discord_token.get_secret_value())  # runs setup_hook: extensions load
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        before = {c.name for c in await bot.tree.fetch_commands(guild=guild)}
        after = {c.name for c in await bot.tree.sync(guild=guild)}
        where = f"guild {guild_id}" if guild_id else "global"
        print(f"Synced {len(after)} commands ({where}).")
        for name in sorted(after - before):
            print(f"  added: /{name}")
        for name in sorted(before - after):
            print(f"  removed: /{name}")
        for name in sorted(after & before):
            print(f"  updated: /{name}")
    return 0


def run() -> int:
    settings = load_settings()
    if settings is None:
        return 2
    setup_logging(settings.log_level)
    return asyncio.run(serve(settings))


def sync(guild_id: int | None) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    setup_logging(settings.log_level)
    return asyncio.run(sync_commands(settings, guild_id))
