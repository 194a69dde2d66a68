"""The bot process: settings → resources → client; ``run`` serves, ``sync`` publishes the command tree.

Resources are created here, once, and passed in. Normal starts never sync globally (Discord allows 200 command
creates a day per guild): ``fourth-pillar sync`` does that on purpose; ``DEV_GUILD_ID`` gets a guild copy synced
at start for development.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl
from discord.ext import commands
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.advice import Advise, find_advisor
from bot.button_store import ButtonStore, MemoryButtonStore
from bot.charts import ChartPool
from bot.features import EXTENSIONS
from bot.logs import setup_logging
from bot.messages import NO_MENTIONS, notice
from bot.preferences import (
    AssumptionLayers,
    ChartPolicy,
    ChartsOn,
    NoAssumptionLayers,
    SharingAllowed,
    SharingPolicy,
)
from bot.recent import RecentOffers
from bot.settings import Settings
from bot.storage_bridge import StoredPreferences
from bot.timing import log_answered
from bot.tree import FourthPillarTree
from bot.views import ResultButton, has_handler
from prompts import Renderer
from storage import Database, load_or_create_data_key, open_database
from storage.crypto import DataKeyError
from valuation import Registry, default_registry

log = logging.getLogger("fourth_pillar")
# Exit codes, one meaning each (README, "Exit codes"). 1 is also what Python exits with on an unexpected error.
EXIT_STOPPED = 0
EXIT_UNEXPECTED = 1
EXIT_SETTINGS = 2  # settings, DATA_KEY or the database unusable
EXIT_UNREACHABLE = 3  # Discord could not be reached, or kept failing
EXIT_TOKEN_REFUSED = 4  # Discord refused DISCORD_TOKEN
# discord.py runs each command and each button press in a task of its own, named for what it runs.
INTERACTION_TASK_PREFIXES = ("CommandTree-invoker", "discord-ui-view-dispatch-", "discord-ui-dynamic-item-")
PURGE_INTERVAL_SECONDS = 3600
YOUNG_COLLECTION_AFTER = 10_000
"""Allocations (less deallocations) before the garbage collector scans its youngest generation (Python: 700)."""


def point_at(settings: Settings) -> None:
    """Where discord.py talks to: Discord itself, or a proxy / local emulator. Must run before connecting."""
    discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


@dataclass(frozen=True, slots=True)
class Resources:
    """Everything the commands use, created once by :func:`create_resources` and handed to the bot."""

    renderer: Renderer
    registry: Registry
    assumption_layers: AssumptionLayers
    sharing: SharingPolicy
    advise: Advise | None
    database: Database | None = None
    chart_policy: ChartPolicy = field(default_factory=ChartsOn)


def create_resources(renderer: Renderer | None = None) -> Resources:
    """Resources without a database: for ``sync``, which runs no command."""
    return Resources(
        renderer=renderer or Renderer(),
        registry=default_registry(),
        assumption_layers=NoAssumptionLayers(),
        sharing=SharingAllowed(),
        advise=find_advisor(),
    )


def data_key_for(settings: Settings) -> tuple[str, bool]:
    """DATA_KEY, or (SQLite only) a key kept in a 0600 file beside the database; and whether it was generated."""
    url = settings.database_url
    data_dir = Path(make_url(url).database or ".").expanduser().resolve().parent
    configured = settings.data_key.get_secret_value() if settings.data_key else None
    return load_or_create_data_key(configured, url, data_dir)


async def open_resources(settings: Settings) -> Resources:
    """Resources for serving: the database (migrated at start) backs defaults, sharing and saved offers."""
    url = settings.database_url
    key, generated = data_key_for(settings)
    if generated:
        log.warning("no DATA_KEY set: generated one beside the database (keep it: saved offers need it)")
    database = await open_database(url, data_key=key, busy_timeout_ms=settings.database_busy_timeout_ms)
    preferences = StoredPreferences(database)
    # Every template compiled now (from the bytecode kept since the last start when there is one): no reply pays
    # for compiling a template, and replies arriving together never compile the same one twice.
    base = create_resources(Renderer(bytecode_cache=Renderer.user_bytecode_cache()).compile_all())
    return Resources(
        base.renderer, base.registry, preferences, preferences, base.advise, database, chart_policy=preferences
    )


class FourthPillar(commands.Bot):
    """A thin client: features load as extensions from :data:`bot.features.EXTENSIONS`."""

    def __init__(self, settings: Settings, resources: Resources, *, sync_dev_guild: bool = True) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            allowed_mentions=NO_MENTIONS,
            tree_cls=FourthPillarTree,
            help_command=None,
        )
        self.settings = settings
        self.renderer = resources.renderer
        self.registry = resources.registry
        self.assumption_layers = resources.assumption_layers
        self.sharing = resources.sharing
        self.advise = resources.advise
        self.chart_policy = resources.chart_policy
        self.chart_pool = ChartPool()
        self._database = resources.database
        self._purge_task: asyncio.Task[None] | None = None
        self._chart_start: asyncio.Task[None] | None = None
        self._side_tasks: set[asyncio.Task[None]] = set()  # expired presses being answered (kept until done)
        self.recent_offers = RecentOffers()
        self.button_store: ButtonStore = MemoryButtonStore()
        # The result buttons and menu under a breakdown, by locale and which are offered (see bot/breakdown.py).
        self.breakdown_views: dict[tuple[str, bool, bool, bool], discord.ui.View] = {}
        self.sync_dev_guild = sync_dev_guild
        self.accepting = True
        # The interaction each running command or press serves, by its task: told "restarting" if cut off at shutdown.
        self.in_flight: dict[asyncio.Task[Any], discord.Interaction] = {}

    def track(self, interaction: discord.Interaction) -> None:
        """Remember the interaction the current task serves, until the task ends."""
        task = asyncio.current_task()
        if task is None or task in self.in_flight:
            return
        self.in_flight[task] = interaction
        task.add_done_callback(lambda done: self.in_flight.pop(done, None))

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("this process runs without a database")
        return self._database

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(ResultButton)
        if self._database is not None:
            self._purge_task = asyncio.create_task(self._purge_expired_offers(), name="purge-expired-offers")
        if self.sync_dev_guild and self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development guild", len(synced))
        # Start-up's loading is done: what it made (modules, templates, the command tree) lives as long as the
        # process, so it is moved out of the garbage collector's view, and its collections scan only what
        # interactions create rather than some hundred thousand objects that never die. The collector was off while
        # those were made (`fourth-pillar run` turns it off first); it is on from here, before connecting, so a long
        # wait for Discord collects its garbage as usual. Its youngest generation is collected after
        # YOUNG_COLLECTION_AFTER allocations rather than Python's 700: at 700 it ran about once per eight evaluates,
        # rescanning the interactions in flight each time (4% of the bot's CPU under load), for a few objects of
        # garbage per interaction (discord.py's interaction and its response refer to each other).
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])
        gc.enable()

    async def on_ready(self) -> None:
        if self._chart_start is None:
            # The chart workers' fork server imports matplotlib (a second or more of CPU): started once connected,
            # so it does not compete with connecting, and in a thread, as it waits for that import. A chart asked
            # for before they are warm still gets them (the pool starts on first use).
            self.chart_pool.prepare()  # on the loop, so a chart asked for meanwhile uses the same pool
            self._chart_start = asyncio.create_task(asyncio.to_thread(self.chart_pool.start), name="start-charts")
        log.info("ready in %d servers", len(self.guilds))

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """discord.py runs each ``on_<event>`` handler in a task of its own. Two events come with every interaction
        and need no task here: a command's completion is logged at once (name and duration), and an interaction
        gets a task only when it is a press nothing in this process answers (see :meth:`answer_expired`)."""
        if event_name == "app_command_completion":
            interaction, command = args
            log_answered(log, "/" + command.qualified_name, interaction)
        elif event_name == "interaction":
            interaction = args[0]
            if interaction.type is discord.InteractionType.component and not has_handler(self, interaction):
                task = asyncio.create_task(self.answer_expired(interaction), name="answer-expired-press")
                self._side_tasks.add(task)
                task.add_done_callback(self._side_tasks.discard)
        super().dispatch(event_name, *args, **kwargs)

    async def answer_expired(self, interaction: discord.Interaction) -> None:
        """A press nothing in this process listens for (its view timed out, or it came before a restart) gets the
        "expired" notice instead of "This interaction failed"."""
        log.info("button refused: expired")
        try:
            await notice(interaction, self.renderer.text("ui/expired", locale=interaction.locale.value))
        except Exception as exc:  # nothing awaits this task: its failure ends here, by kind only
            log.warning("button refused: the expired notice failed (%s)", type(exc).__name__)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server: its settings and their history are deleted."""
        if self._database is not None:
            await self._database.server_settings.delete_guild(guild.id)
            log.info("server removed: its settings were deleted")

    async def _purge_expired_offers(self) -> None:
        while True:
            try:
                purged = await self.database.saved_offers.purge_expired()
                if purged:
                    log.info("purged %d expired saved offer(s)", purged)
            except Exception:
                log.exception("purging expired saved offers failed; will retry")
            await asyncio.sleep(PURGE_INTERVAL_SECONDS)

    async def close(self) -> None:
        if self._purge_task is not None:
            self._purge_task.cancel()
            # Wait for it to finish cancelling, so no purge runs against a closing database.
            await asyncio.gather(self._purge_task, return_exceptions=True)
        await super().close()
        if self._chart_start is not None:  # let the workers finish starting before they are shut down
            await asyncio.gather(self._chart_start, return_exceptions=True)
        self.chart_pool.close()
        if self._database is not None:
            await self._database.close()

    # -- a clean shutdown ----------------------------------------------------------------------------------------
    @staticmethod
    def interactions_in_flight() -> list[asyncio.Task[Any]]:
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
            _, unfinished = await asyncio.wait(pending, timeout=grace)
            if unfinished:
                # Cancelled rather than left to fail against a closed connection, and each person told to try again
                # (their "thinking…" placeholder would otherwise stay forever).
                log.warning("stopping: %d interaction(s) did not finish in %.0f s", len(unfinished), grace)
                cut_off = [self.in_flight[task] for task in unfinished if task in self.in_flight]
                for task in unfinished:
                    task.cancel()
                await asyncio.gather(*unfinished, return_exceptions=True)
                await asyncio.gather(*(self._tell_restarting(i) for i in cut_off), return_exceptions=True)
        await self.close()

    async def _tell_restarting(self, interaction: discord.Interaction) -> None:
        try:
            await notice(interaction, self.renderer.text("ui/shutting_down", locale=interaction.locale.value))
        except discord.HTTPException:
            log.warning("stopping: could not tell a cut-off interaction to try again")


def load_settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as exc:
        names = ", ".join(sorted({str(e["loc"][0]).upper() for e in exc.errors() if e["loc"]}))
        print(f"Settings are missing or invalid: {names}. See .env.example.", file=sys.stderr)
        if "DISCORD_TOKEN" in names:
            print(
                "DISCORD_TOKEN: the bot's token from the Discord Developer Portal (Bot → Reset Token).", file=sys.stderr
            )
        return None


class GatewayUnreachable(Exception):
    """Discord's gateway (the websocket) could not be reached at start; ``__cause__`` says why."""


def discord_trouble(exc: BaseException, settings: Settings, doing: str) -> str | None:
    """One line saying what failed while ``doing`` something with Discord and what to check, or None if ``exc`` is
    not a failure to reach or use Discord."""
    setting, url = "DISCORD_API_BASE", settings.discord_api_base
    if isinstance(exc, GatewayUnreachable):
        setting, url = "DISCORD_GATEWAY_URL", settings.discord_gateway_url
        doing = f"{doing}: Discord's gateway"
        exc = exc.__cause__ or exc
    address = yarl.URL(url)
    where = f"{address.host}:{address.port}" if address.port not in (None, 80, 443) else str(address.host)
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, socket.gaierror):
            return (
                f"cannot {doing}: the name {address.host} could not be resolved; check the network and DNS "
                f"(and {setting}, if set)"
            )
        return (
            f"cannot {doing}: could not connect to Discord at {where} ({_reason(exc.os_error)}); "
            f"check the network, any firewall or proxy (and {setting}, if set)"
        )
    if isinstance(exc, aiohttp.WSServerHandshakeError):
        return f"cannot {doing}: {where} did not accept a websocket (HTTP {exc.status}); check {setting}, if set"
    if isinstance(exc, aiohttp.ClientError | TimeoutError):
        return f"cannot {doing}: the connection to Discord at {where} failed ({type(exc).__name__}); check the network"
    if isinstance(exc, discord.DiscordServerError):
        what = "publishing the commands" if exc.response.url.path.endswith("/commands") else "a request"
        # "cannot publish the commands: ... to publishing the commands" says it twice; "cannot start" needs it.
        to_what = "" if doing.startswith("publish") else f" to {what}"
        return (
            f"cannot {doing}: Discord kept answering HTTP {exc.status}{to_what} (trouble on Discord's side); "
            "see https://discordstatus.com and try again later"
        )
    if isinstance(exc, discord.HTTPException) and not isinstance(exc, discord.LoginFailure):
        return f"cannot {doing}: Discord refused a request with HTTP {exc.status} (error code {exc.code})"
    return None


GATEWAY_CHECK_SECONDS = 15


async def reach_gateway(url: str) -> None:
    """Open and close one websocket to the gateway before connecting for real: discord.py (2.7.1) retries a first
    connection that failed as if resuming a session it never had, and crashes with a traceback instead of saying
    the gateway is unreachable."""
    try:
        async with asyncio.timeout(GATEWAY_CHECK_SECONDS), aiohttp.ClientSession() as session:
            socket_ = await session.ws_connect(str(yarl.URL(url).with_query(v=10, encoding="json")))
            await socket_.close()
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise GatewayUnreachable() from exc


def _reason(error: OSError) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return error.strerror or type(error).__name__


async def serve(settings: Settings) -> int:
    point_at(settings)
    try:
        resources = await open_resources(settings)
    except DataKeyError as exc:
        log.error("cannot start: %s", exc)
        return EXIT_SETTINGS
    # The exception texts may quote DATABASE_URL, password included: only their kind is logged.
    except ArgumentError:
        log.error("cannot start: DATABASE_URL is not a database URL this bot can use")
        return EXIT_SETTINGS
    except ImportError:
        log.error("cannot start: the database driver DATABASE_URL names is not installed")
        return EXIT_SETTINGS
    except (SQLAlchemyError, OSError) as exc:
        log.error("cannot start: the database could not be opened (%s); check DATABASE_URL", type(exc).__name__)
        return EXIT_SETTINGS
    bot = FourthPillar(settings, resources)
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
            await bot.login(settings.discord_token.get_secret_value())
            await reach_gateway(settings.discord_gateway_url)
            await bot.connect()
        except discord.LoginFailure:
            log.error("Discord refused the token: check DISCORD_TOKEN")
            return EXIT_TOKEN_REFUSED
        except (aiohttp.ClientError, TimeoutError, discord.HTTPException, GatewayUnreachable) as exc:
            line = discord_trouble(exc, settings, "start")
            if line is None:
                raise
            log.error("%s", line)
            return EXIT_UNREACHABLE
        finally:
            if stopping.is_set():
                await stopper  # the drain is what closed the client: let it finish
            else:
                stopper.cancel()
    log.info("stopped")
    return EXIT_STOPPED


def describe_changes(before: Iterable[dict[str, Any]], after: Iterable[dict[str, Any]]) -> list[str]:
    """Lines saying which commands a sync added, changed, removed or left as they were."""
    old = {_label(c): _comparable(c) for c in before}
    new = {_label(c): _comparable(c) for c in after}
    lines = [f"  added:     {name}" for name in sorted(new.keys() - old.keys())]
    lines += [f"  changed:   {name}" for name in sorted(new.keys() & old.keys()) if new[name] != old[name]]
    lines += [f"  removed:   {name}" for name in sorted(old.keys() - new.keys())]
    lines += [f"  unchanged: {name}" for name in sorted(new.keys() & old.keys()) if new[name] == old[name]]
    return lines


def _label(command: dict[str, Any]) -> str:
    """``/name`` for a slash command; a context-menu entry by its name and kind (it is not typed)."""
    kind = int(command.get("type") or 1)
    return f"/{command['name']}" if kind == 1 else f"{command['name']} ({'message' if kind == 3 else 'user'} menu)"


# What Discord assigns rather than what the bot declares.
_ASSIGNED_FIELDS = frozenset({"id", "application_id", "guild_id", "version", "dm_permission", "nsfw"})


def _comparable(command: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in command.items() if key not in _ASSIGNED_FIELDS and value is not None}


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    point_at(settings)
    bot = FourthPillar(settings, create_resources(), sync_dev_guild=False)
    async with bot:
        await bot.login(settings.discord_token.get_secret_value())  # runs setup_hook: extensions load
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        before: list[dict[str, Any]] = [dict(c.to_dict()) for c in await bot.tree.fetch_commands(guild=guild)]
        after: list[dict[str, Any]] = [dict(c.to_dict()) for c in await bot.tree.sync(guild=guild)]
        where = f"to server {guild_id}" if guild_id else "globally"
        print(f"Synced {len(after)} commands {where}.")
        for line in describe_changes(before, after):
            print(line)
    return EXIT_STOPPED


def run() -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_SETTINGS
    setup_logging(settings.log_level)
    return asyncio.run(serve(settings))


def sync(guild_id: int | None) -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_SETTINGS
    setup_logging(settings.log_level)
    try:
        return asyncio.run(sync_commands(settings, guild_id))
    except discord.LoginFailure:
        log.error("Discord refused the token: check DISCORD_TOKEN")
        return EXIT_TOKEN_REFUSED
    except (aiohttp.ClientError, TimeoutError, discord.HTTPException) as exc:
        line = discord_trouble(exc, settings, "publish the commands")
        if line is None:
            raise
        log.error("%s", line)
        return EXIT_UNREACHABLE
