"""The fake Discord: an aiohttp REST API plus a websocket gateway on 127.0.0.1.

The unmodified discord.py client (in the bot subprocess) talks to it over loopback; tests drive it in-process::

    async with FakeDiscord(guilds=[FakeGuild(GUILD_ID, "Dev", owner_id=OWNER.id)]) as fake:
        ...  # start the bot with DISCORD_API_BASE=fake.api_base, DISCORD_GATEWAY_URL=fake.gateway_url
        await fake.wait_for_identify()
        handle = await fake.deliver(fake.slash("ping", user=ALICE))
        message = await handle.final()

See :class:`FakeDiscord` for the API, :mod:`tests.fake_discord.builders` for interaction payloads.
"""

# ruff: noqa: ASYNC109 - explicit ``timeout=`` arguments are this test API's documented interface.

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import time
import uuid
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web

from .builders import DEFAULT_GUILD, InteractionBuilders
from .handles import FakeDiscordError, FakeTimeout, InteractionHandle, InteractionRefused
from .limits import (
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    FLAG_SUPPRESS_NOTIFICATIONS,
    MAX_FILES,
    FieldError,
    invalid_form_body,
    is_empty_message,
    validate_autocomplete,
    validate_commands,
    validate_message,
    validate_modal,
)
from .models import JSON, FakeGuild, FakeUser, Perm, iso_now, snowflake
from .records import (
    CallbackRecord,
    FilePart,
    GatewayConnection,
    MessageRecord,
    RecordedRequest,
    Violation,
)

T = TypeVar("T")

DEFAULT_APPLICATION_ID = 1_300_000_000_000_000_001
DEFAULT_BOT_USER_ID = 1_300_000_000_000_000_001
DEFAULT_TOKEN = "fake-discord-token"
API_PREFIX = "/api/v10"
HEARTBEAT_ACK_DELAY = 0.03  # seconds: a short network round trip

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)
"""GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT."""

#: Initial-response types Discord accepts per interaction type.
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    1: frozenset({1}),
    2: frozenset({4, 5, 9, 12}),
    3: frozenset({4, 5, 6, 7, 9, 12}),
    4: frozenset({8}),
    5: frozenset({4, 5, 6, 7}),
}

Reply = tuple[int, Any]
Handler = Callable[[web.Request, RecordedRequest], Awaitable[Reply | web.StreamResponse]]


def _json_response(status: int, body: Any) -> web.Response:
    """A response whose Content-Type is exactly ``application/json`` (discord.py requires that)."""
    if body is None or status == 204:
        return web.Response(status=204)
    return web.Response(status=status, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def _fault_response(status: int) -> web.Response:
    """An injected failure. A 429 carries ``Via`` (else discord.py takes it for a Cloudflare ban) and a short
    ``retry_after``; no rate-limit headers, which discord.py accepts."""
    if status == 429:
        body: JSON = {"message": "You are being rate limited.", "retry_after": 0.05, "global": False, "code": 0}
        headers = {"Content-Type": "application/json", "Via": "1.1 google", "Retry-After": "1"}
    else:
        body, headers = {"message": f"{status}: injected", "code": 0}, {"Content-Type": "application/json"}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)


def _error(code: int, message: str) -> JSON:
    return {"code": code, "message": message}


@dataclass
class CommandSync:
    """One ``PUT .../commands`` bulk overwrite (``guild_id`` ``None`` for global)."""

    guild_id: int | None
    request: RecordedRequest
    accepted: bool
    commands: list[JSON] = field(default_factory=list)


@dataclass
class _Session:
    id: str
    shard: tuple[int, int]
    seq: int = 0
    events: list[JSON] = field(default_factory=list)
    conn: GatewayConnection | None = None
    invalid: bool = False


class FakeDiscord(InteractionBuilders):
    """A fake Discord API + gateway for end-to-end tests of a discord.py bot.

    Args:
        application_id: The application (and by default bot user) id.
        bot_user_id: The bot user's id.
        bot_name: The bot user's username.
        token: The only bot token the fake accepts (REST ``Authorization: Bot <token>``, IDENTIFY).
        guilds: Servers the bot is in; each is sent as GUILD_CREATE after READY.
        users: Users to know up front (``GET /users/{id}``); users seen in payloads are added automatically.
        interaction_deadline: Seconds the bot has for the initial response (Discord: 3).
        token_lifetime: Seconds an interaction token serves edits/followups (Discord: 900).
        heartbeat_interval_ms: Sent in HELLO.
        privileged_intents: Privileged intent bits "enabled in the developer portal"; IDENTIFY asking for
            others is closed with 4014 like Discord does.
        attachment_size_limit: Per-file upload limit in bytes (413 above it).
        recommended_shards: ``shards`` in ``GET /gateway/bot``.
        default_user: The user interaction builders use when a test names none.
    """

    def __init__(
        self,
        *,
        application_id: int = DEFAULT_APPLICATION_ID,
        bot_user_id: int | None = None,
        bot_name: str = "Fourth Pillar",
        token: str = DEFAULT_TOKEN,
        guilds: Iterable[FakeGuild] = (),
        users: Iterable[FakeUser] = (),
        interaction_deadline: float = 3.0,
        token_lifetime: float = 900.0,
        heartbeat_interval_ms: int = 41_250,
        privileged_intents: int = 0,
        attachment_size_limit: int = 10 * 1024 * 1024,
        recommended_shards: int = 1,
        default_user: FakeUser | None = None,
    ) -> None:
        self.application_id = application_id
        self.bot_user = FakeUser(bot_user_id or application_id, bot_name, bot=True)
        self.token = token
        self.guilds: dict[int, FakeGuild] = {g.id: g for g in guilds}
        self.users: dict[int, FakeUser] = {u.id: u for u in users}
        self.default_user = default_user or FakeUser(1_300_000_000_000_000_100, "tester")
        self.users.setdefault(self.default_user.id, self.default_user)
        self.interaction_deadline = interaction_deadline
        self.token_lifetime = token_lifetime
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self._acks: set[asyncio.Task[None]] = set()
        self.privileged_intents = privileged_intents
        self.attachment_size_limit = attachment_size_limit
        self.recommended_shards = recommended_shards

        self.requests: list[RecordedRequest] = []
        """Every REST request, in arrival order."""
        self.unknown_requests: list[RecordedRequest] = []
        """Requests to routes the fake does not implement (answered 404)."""
        self.violations: list[Violation] = []
        """Requests Discord would have rejected (answered 400/404/413 like Discord)."""
        self.gateway_connections: list[GatewayConnection] = []
        self.command_syncs: list[CommandSync] = []
        self.failing_routes: dict[str, int] = {}
        """Route name (``put_global_commands``, ...) → the server-error status the fake answers it with, as Discord
        does when it has trouble (set by a test)."""
        self.log_source: Callable[[], str] | None = None
        self.faults: dict[str, deque[tuple[int, str]]] = {}
        """(status, path part) to answer instead of the real response, per route name, oldest first (see
        :meth:`inject`)."""
        self.injected: Counter[int] = Counter()
        """How many injected faults were served, by status."""
        """Optional callable returning the bot's log; its tail is added to timeout errors."""

        self._commands: dict[int | None, dict[tuple[int, str], JSON]] = {}
        self._command_creates: Counter[int | None] = Counter()
        self._interactions: dict[int, InteractionHandle] = {}
        self._by_token: dict[str, InteractionHandle] = {}
        self._messages: dict[int, MessageRecord] = {}
        self._dm_channels: dict[int, int] = {}
        self._dm_recipients: dict[int, FakeUser] = {}
        self._attachments: dict[int, tuple[str, bytes, str]] = {}
        self._sessions: dict[str, _Session] = {}
        self._sockets: dict[int, web.WebSocketResponse] = {}
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ================================================================== lifecycle

    async def start(self, port: int = 0) -> FakeDiscord:
        """Bind 127.0.0.1 (a free port unless given) and start serving."""
        if self._runner is not None:
            raise FakeDiscordError("already started")
        self._changed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self._port = int(sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Close every gateway connection (code 1001) and stop the server."""
        for ws in list(self._sockets.values()):
            with contextlib.suppress(Exception):
                await ws.close(code=1001, message=b"fake discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._port is None:
            raise FakeDiscordError("not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE`` / ``DISCORD_API_BASE``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` / ``DISCORD_GATEWAY_URL``."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    def bot_env(self, **extra: str) -> dict[str, str]:
        """``DISCORD_TOKEN``/``DISCORD_API_BASE``/``DISCORD_GATEWAY_URL`` for the bot process, plus ``extra``."""
        return {
            "DISCORD_TOKEN": self.token,
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
            **extra,
        }

    # ================================================================== waiting

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(
        self,
        predicate: Callable[[], T | None],
        timeout: float,
        what: str,
        describe: Callable[[], str] | None = None,
    ) -> T:
        """Wait until ``predicate()`` returns something other than ``None`` and return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeTimeout(self._timeout_message(timeout, what, describe))
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.25))

    def _timeout_message(self, timeout: float, what: str, describe: Callable[[], str] | None) -> str:
        parts = [f"timed out after {timeout:.1f}s waiting for {what}"]
        if describe is not None:
            parts.append(describe())
        parts.append(f"gateway: connected={self.connected} identified={self.identified}")
        parts.extend(f"violation: {v}" for v in self.violations[-5:])
        parts.extend(f"unknown route: {r}" for r in self.unknown_requests[-5:])
        if self.log_source is not None:
            with contextlib.suppress(Exception):
                tail = self.log_source().splitlines()[-40:]
                parts.append("bot log tail:\n" + "\n".join(tail))
        return "\n".join(parts)

    async def wait_for_identify(self, timeout: float = 10.0, *, count: int = 1) -> GatewayConnection:
        """Wait until the bot has IDENTIFYed ``count`` times in total and READY was sent; return the latest."""

        def check() -> GatewayConnection | None:
            done = [c for c in self.gateway_connections if c.identify is not None and c.session_id is not None]
            return done[-1] if len(done) >= count else None

        return await self._wait_until(check, timeout, f"IDENTIFY #{count}")

    async def wait_for_resume(self, timeout: float = 10.0) -> GatewayConnection:
        """Wait until the bot has successfully RESUMEd a session."""

        def check() -> GatewayConnection | None:
            return next((c for c in reversed(self.gateway_connections) if c.resume and c.session_id), None)

        return await self._wait_until(check, timeout, "a RESUME")

    async def wait_for_disconnect(self, timeout: float = 10.0) -> GatewayConnection:
        """Wait until the bot has no open gateway connection (after having had one); return the last one."""

        def check() -> GatewayConnection | None:
            if not self.gateway_connections or self.connected:
                return None
            return self.gateway_connections[-1]

        return await self._wait_until(check, timeout, "the bot to disconnect from the gateway")

    async def wait_for_request(
        self, method: str | None = None, path: str | None = None, *, timeout: float = 5.0, after: int = 0
    ) -> RecordedRequest:
        """Wait for a REST request matching ``method`` and the ``path`` regex (``re.search``), skipping the
        first ``after`` recorded requests."""

        def check() -> RecordedRequest | None:
            return next(iter(self.find_requests(method, path, start=after)), None)

        return await self._wait_until(check, timeout, f"a request {method or '*'} {path or '*'}")

    async def wait_for_command_sync(self, timeout: float = 10.0, *, count: int = 1) -> CommandSync:
        """Wait until ``count`` accepted command syncs happened; return the latest."""

        def check() -> CommandSync | None:
            ok = [s for s in self.command_syncs if s.accepted]
            return ok[-1] if len(ok) >= count else None

        return await self._wait_until(check, timeout, f"{count} command sync(s)")

    async def wait_for_message(
        self,
        predicate: Callable[[JSON], bool] | None = None,
        *,
        channel_id: int | None = None,
        timeout: float = 5.0,
        new_only: bool = True,
    ) -> JSON:
        """Wait for a message the bot creates (any kind) matching ``predicate``/``channel_id``.

        With ``new_only`` (default) only messages created after this call count.
        """
        seen = set(self._messages) if new_only else set()

        def check() -> JSON | None:
            for mid, rec in self._messages.items():
                if mid in seen or rec.deleted:
                    continue
                if channel_id is not None and rec.channel_id != channel_id:
                    continue
                if predicate is None or predicate(rec.message):
                    return copy.deepcopy(rec.message)
            return None

        return await self._wait_until(check, timeout, "a new bot message")

    # ================================================================== queries

    @property
    def connected(self) -> bool:
        """Whether the bot has an open gateway connection."""
        return any(c.open for c in self.gateway_connections)

    @property
    def identified(self) -> bool:
        """Whether the bot has an open connection with a READY (or RESUMED) session."""
        return any(c.ready for c in self.gateway_connections)

    @property
    def identify_count(self) -> int:
        """How many IDENTIFYs the fake accepted."""
        return sum(1 for c in self.gateway_connections if c.identify is not None and c.session_id is not None)

    def find_requests(
        self, method: str | None = None, path: str | None = None, *, start: int = 0
    ) -> list[RecordedRequest]:
        """Recorded requests by method and ``path`` regex (``re.search`` on the full path)."""
        pattern = re.compile(path) if path is not None else None
        return [
            r
            for r in self.requests[start:]
            if (method is None or r.method == method.upper()) and (pattern is None or pattern.search(r.path))
        ]

    def assert_clean(self, *, allow: Iterable[str] = ()) -> None:
        """Raise ``AssertionError`` listing unknown routes and violations (except kinds in ``allow``)."""
        allowed = set(allow)
        problems = [f"unknown route: {r.method} {r.path}" for r in self.unknown_requests]
        problems += [str(v) for v in self.violations if v.kind not in allowed]
        if problems:
            raise AssertionError("fake Discord saw problems:\n" + "\n".join(problems))

    @property
    def global_commands(self) -> list[JSON]:
        """The synced global commands (as Discord stores them: with ids, versions...)."""
        return [copy.deepcopy(c) for c in self._commands.get(None, {}).values()]

    def guild_commands(self, guild_id: int) -> list[JSON]:
        """The synced commands of one guild."""
        return [copy.deepcopy(c) for c in self._commands.get(guild_id, {}).values()]

    def find_command(self, name: str, *, guild_id: int | None = None, type: int = 1) -> JSON | None:
        """The synced command ``name`` a user in ``guild_id`` (``None``: a DM) would see: the guild's own
        command first, then the global one."""
        if guild_id is not None:
            cmd = self._commands.get(guild_id, {}).get((type, name))
            if cmd is not None:
                return cmd
        return self._commands.get(None, {}).get((type, name))

    def command_creates(self, guild_id: int | None = None) -> int:
        """How many commands were newly created in a scope (Discord allows 200 per guild per day)."""
        return self._command_creates[guild_id]

    def set_commands(self, commands: Sequence[JSON], *, guild_id: int | None = None) -> list[JSON]:
        """Pre-seed synced commands (as if an earlier deployment had synced them)."""
        errors = validate_commands(list(commands))
        if errors:
            raise FakeDiscordError("invalid commands: " + "; ".join(str(e) for e in errors))
        return self._store_commands(list(commands), guild_id)

    def message_record(self, message_id: int) -> MessageRecord | None:
        """The record (current message, history, kind, deleted) of a bot message."""
        return self._messages.get(int(message_id))

    @property
    def message_records(self) -> list[MessageRecord]:
        """Every message the bot created, oldest first (deleted ones included)."""
        return list(self._messages.values())

    def get_message(self, message_id: int) -> JSON | None:
        """Current state of a bot message."""
        rec = self._messages.get(int(message_id))
        return copy.deepcopy(rec.message) if rec is not None else None

    def sent_messages(
        self,
        *,
        ephemeral: bool | None = None,
        channel_id: int | None = None,
        kind: str | None = None,
        include_deleted: bool = False,
    ) -> list[JSON]:
        """Bot messages filtered by visibility, channel and kind (``response``/``followup``/``channel``).
        Deferred placeholders that were never filled are excluded."""
        out = []
        for rec in self._messages.values():
            if (rec.deleted and not include_deleted) or rec.loading:
                continue
            if ephemeral is not None and rec.ephemeral != ephemeral:
                continue
            if channel_id is not None and rec.channel_id != channel_id:
                continue
            if kind is not None and rec.kind != kind:
                continue
            out.append(copy.deepcopy(rec.message))
        return out

    def public_messages(self) -> list[JSON]:
        """Every message everyone in the channel can see (not ephemeral)."""
        return self.sent_messages(ephemeral=False)

    def ephemeral_messages(self) -> list[JSON]:
        """Every ephemeral message (flags & 64)."""
        return self.sent_messages(ephemeral=True)

    def messages_in_channel(self, channel_id: int, *, include_interactions: bool = False) -> list[JSON]:
        """Messages the bot posted in a channel via ``POST /channels/{id}/messages`` (optionally also
        interaction responses/followups there)."""
        return self.sent_messages(channel_id=channel_id, kind=None if include_interactions else "channel")

    def dm_channel_id(self, user: FakeUser | int) -> int | None:
        """The DM channel id with a user, if one exists."""
        return self._dm_channels.get(user.id if isinstance(user, FakeUser) else int(user))

    def dm_messages(self, user: FakeUser | int) -> list[JSON]:
        """Messages the bot sent in its DM with a user (any kind)."""
        cid = self.dm_channel_id(user)
        return [] if cid is None else self.sent_messages(channel_id=cid)

    def interaction(self, interaction_id: int) -> InteractionHandle | None:
        """The handle of a delivered interaction."""
        return self._interactions.get(int(interaction_id))

    # ================================================================== attachments

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        width: int | None = None,
        height: int | None = None,
        description: str | None = None,
    ) -> JSON:
        """Host a file on the fake CDN and return the attachment object for ``resolved.attachments``
        (``url``/``proxy_url`` point at the fake). Pass it as an option value to :meth:`slash`."""
        att_id = snowflake()
        self._attachments[att_id] = (filename, bytes(data), content_type)
        return self._attachment_object(att_id, filename, len(data), content_type, width, height, description)

    def attachment_bytes(self, attachment: JSON | int) -> bytes:
        """Bytes of a hosted attachment: one added by a test or uploaded by the bot."""
        att_id = int(attachment["id"]) if isinstance(attachment, dict) else int(attachment)
        return self._attachments[att_id][1]

    def _attachment_object(
        self,
        att_id: int,
        filename: str,
        size: int,
        content_type: str,
        width: int | None = None,
        height: int | None = None,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> JSON:
        url = f"{self.base_url}/attachments/{att_id}/{filename}"
        data: JSON = {
            "id": str(att_id),
            "filename": filename,
            "size": size,
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": ephemeral,
        }
        if width is not None and height is not None:
            data["width"], data["height"] = width, height
        if description is not None:
            data["description"] = description
        return data

    # ================================================================== gateway API

    async def dispatch(self, event: str, data: JSON, *, guild_id: int | None = None) -> int:
        """Send a dispatch (op 0) event to the session(s) of the shard owning ``guild_id`` (all sessions when
        ``None``); return how many sessions got it live."""
        sent = 0
        for session in list(self._sessions.values()):
            if session.invalid:
                continue
            if guild_id is not None and not self._on_shard(session, guild_id):
                continue
            if await self._dispatch_to(session, event, data):
                sent += 1
        return sent

    async def add_guild(self, guild: FakeGuild) -> None:
        """The bot joins a server: GUILD_CREATE (``on_guild_join``)."""
        self.guilds[guild.id] = guild
        await self.dispatch("GUILD_CREATE", guild.to_dict(bot_user=self.bot_user, unavailable=None), guild_id=guild.id)

    async def remove_guild(self, guild_id: int) -> None:
        """The bot is removed from a server: GUILD_DELETE (``on_guild_remove``)."""
        self.guilds.pop(guild_id, None)
        await self.dispatch("GUILD_DELETE", {"id": str(guild_id)}, guild_id=guild_id)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT on every open connection (the client should reconnect and RESUME)."""
        for conn in self.gateway_connections:
            if conn.open:
                await self._send(conn, {"op": 7, "d": None, "s": None, "t": None})

    async def invalidate_sessions(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION on every open connection."""
        for session in self._sessions.values():
            if not resumable:
                session.invalid = True
        for conn in self.gateway_connections:
            if conn.open:
                await self._send(conn, {"op": 9, "d": resumable, "s": None, "t": None})

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket from the server side (the client should RESUME)."""
        for conn in self.gateway_connections:
            if conn.open:
                await self._close(conn, code, "dropped by test")

    def inject(self, route: str, *statuses: int, only: str = "") -> None:
        """Answer the next requests to ``route`` (a route name such as ``"interaction_callback"``) whose path
        contains ``only`` (an interaction's token, say; any request when empty) with these statuses, one each,
        before serving it normally again: 429 (a short per-route limit, as Discord sends it through Cloudflare)
        or a 5xx."""
        self.faults.setdefault(route, deque()).extend((status, only) for status in statuses)

    # ================================================================== interactions

    def check_gating(self, payload: JSON) -> str | None:
        """Why Discord would refuse to deliver this command/autocomplete interaction, or ``None``.

        Applies what Discord (not discord.py) enforces: the command must be synced in the scope,
        the subcommand must exist, the interaction ``context`` must be in the command's ``contexts``
        (global commands; guild commands only in their guild), and in guilds the member must hold the
        command's ``default_member_permissions`` (owner and Administrator always pass).
        """
        if int(payload.get("type", 0)) not in (2, 4):
            return None
        data = payload.get("data") or {}
        name = data.get("name")
        ctype = int(data.get("type") or 1)
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") is not None else None
        context = int(payload.get("context", 0 if guild_id is not None else 1))
        scope = int(data["guild_id"]) if data.get("guild_id") is not None else None
        cmd = self._commands.get(scope, {}).get((ctype, str(name)))
        where = f"guild {scope}" if scope is not None else "global"
        if cmd is None:
            return f"command /{name} is not synced ({where})"
        if str(data.get("id")) != str(cmd["id"]):
            return f"command id {data.get('id')} does not match the synced /{name} ({cmd['id']})"
        if scope is not None and scope != guild_id:
            return f"/{name} is a command of guild {scope}, used in {guild_id or 'a DM'}"
        missing = self._missing_subcommand(cmd, data)
        if missing:
            return missing
        if scope is None:
            installs = cmd.get("integration_types") or [0]
            contexts = cmd.get("contexts")
            if contexts is None:
                contexts = [0, 1, 2]
                if cmd.get("dm_permission") is False:
                    contexts = [0]
            if context == 2 and 1 not in installs:
                return f"/{name} is not user-installable, so it cannot be used in private channels (context 2)"
            if context not in contexts:
                return f"/{name} does not allow interaction context {context} (contexts={contexts})"
        if guild_id is not None:
            required = cmd.get("default_member_permissions")
            if required is not None:
                need = int(required)
                member = payload.get("member") or {}
                have = int(member.get("permissions") or 0)
                guild = self.guilds.get(guild_id)
                owner = guild is not None and str(guild.owner_id) == str((member.get("user") or {}).get("id"))
                admin = bool(have & Perm.ADMINISTRATOR) or owner
                if not admin and (need == 0 or have & need != need):
                    return f"/{name} requires default_member_permissions={need:#x}, member has permissions={have:#x}"
        return None

    @staticmethod
    def _missing_subcommand(cmd: JSON, data: JSON) -> str | None:
        defs = cmd.get("options") or []
        given = data.get("options") or []
        while any(d.get("type") in (1, 2) for d in defs):
            chosen = next((o for o in given if o.get("type") in (1, 2)), None)
            if chosen is None:
                return f"/{cmd['name']} needs a subcommand"
            match = next((d for d in defs if d.get("name") == chosen.get("name")), None)
            if match is None or match.get("type") != chosen.get("type"):
                return f"/{cmd['name']} has no subcommand {chosen.get('name')!r}"
            defs = match.get("options") or []
            given = chosen.get("options") or []
        return None

    async def deliver(self, payload: JSON, *, forge: bool = False, connect_timeout: float = 5.0) -> InteractionHandle:
        """Send an INTERACTION_CREATE to the bot and return its handle.

        Unless ``forge`` is true, Discord's gating (:meth:`check_gating`) applies first and a refused
        interaction raises :class:`InteractionRefused` without reaching the bot. ``forge=True`` delivers the
        payload as a forged or admin-overridden one would arrive. Waits up to ``connect_timeout`` for an
        identified session on the right shard (DMs: shard 0).
        """
        if not forge:
            reason = self.check_gating(payload)
            if reason is not None:
                raise InteractionRefused(reason, payload)
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") is not None else None
        session = await self._wait_until(
            lambda: self._live_session(guild_id), connect_timeout, "an identified gateway session"
        )
        handle = InteractionHandle(self, payload, forged=forge)
        self._interactions[handle.id] = handle
        self._by_token[handle.token] = handle
        handle.delivered_at = time.monotonic()
        # A socket closing under the send leaves the event queued on the session, as on Discord: a RESUME replays
        # it, and if none comes the handle shows the interaction unanswered.
        await self._dispatch_to(session, "INTERACTION_CREATE", payload)
        self._notify()
        return handle

    async def invoke(self, name: str, *, forge: bool = False, **kwargs: Any) -> InteractionHandle:
        """Build a slash command with :meth:`slash` and :meth:`deliver` it (``forge`` applies to both)."""
        return await self.deliver(self.slash(name, forge=forge, **kwargs), forge=forge)

    # ================================================================== builder hooks

    def _lookup_command(self, name: str, guild_id: int | None, type: int) -> JSON | None:
        return self.find_command(name, guild_id=guild_id, type=type)

    def _remember_user(self, user: FakeUser) -> None:
        self.users.setdefault(user.id, user)

    def _dm_channel_for(self, user: FakeUser) -> int:
        cid = self._dm_channels.get(user.id)
        if cid is None:
            cid = snowflake()
            self._dm_channels[user.id] = cid
            self._dm_recipients[cid] = user
        self._remember_user(user)
        return cid

    def _dm_recipient(self, channel_id: int) -> FakeUser | None:
        return self._dm_recipients.get(channel_id)

    def _stored_attachment(self, attachment_id: int) -> JSON | None:
        stored = self._attachments.get(attachment_id)
        if stored is None:
            return None
        filename, data, content_type = stored
        return self._attachment_object(attachment_id, filename, len(data), content_type)

    # ================================================================== routing

    def _add_routes(self, app: web.Application) -> None:
        api = API_PREFIX
        table: list[tuple[str, str, str, Handler, bool]] = [
            ("GET", "/users/@me", "get_me", self._get_me, True),
            ("GET", "/users/{user_id}", "get_user", self._get_user, True),
            ("GET", "/oauth2/applications/@me", "get_application", self._get_application, True),
            ("GET", "/applications/@me", "get_application", self._get_application, True),
            ("GET", "/gateway", "get_gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", "get_gateway_bot", self._get_gateway_bot, True),
            ("GET", "/applications/{app}/commands", "get_global_commands", self._get_commands, True),
            ("PUT", "/applications/{app}/commands", "put_global_commands", self._put_commands, True),
            ("GET", "/applications/{app}/guilds/{guild}/commands", "get_guild_commands", self._get_commands, True),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", "put_guild_commands", self._put_commands, True),
            ("POST", "/interactions/{iid}/{token}/callback", "interaction_callback", self._callback, False),
            ("GET", "/webhooks/{app}/{token}/messages/{mid}", "get_webhook_message", self._webhook_get, False),
            ("PATCH", "/webhooks/{app}/{token}/messages/{mid}", "edit_webhook_message", self._webhook_edit, False),
            ("DELETE", "/webhooks/{app}/{token}/messages/{mid}", "delete_webhook_message", self._webhook_delete, False),
            ("POST", "/webhooks/{app}/{token}", "followup", self._followup, False),
            ("POST", "/users/@me/channels", "create_dm", self._create_dm, True),
            ("DELETE", "/users/@me/guilds/{guild}", "leave_guild", self._leave_guild, True),
            ("GET", "/guilds/{guild}", "get_guild", self._get_guild, True),
            ("GET", "/channels/{cid}", "get_channel", self._get_channel, True),
            ("POST", "/channels/{cid}/messages", "create_message", self._create_message, True),
            ("GET", "/channels/{cid}/messages/{mid}", "get_message", self._get_channel_message, True),
            ("PATCH", "/channels/{cid}/messages/{mid}", "edit_message", self._edit_channel_message, True),
            ("DELETE", "/channels/{cid}/messages/{mid}", "delete_message", self._delete_channel_message, True),
        ]
        for method, path, name, handler, auth in table:
            app.router.add_route(method, api + path, self._wrap(name, handler, auth))
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{aid}/{filename}", self._wrap("attachment", self._get_attachment, False))
        app.router.add_route("*", "/{tail:.*}", self._wrap(None, self._unknown, False))

    def _wrap(self, name: str | None, handler: Handler, auth: bool) -> Callable[[web.Request], Awaitable[Any]]:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            rec = await self._record(request, name)
            queued = self.faults.get(name or "", deque())
            fault = next((f for f in queued if f[1] in request.path), None)
            if fault is not None:
                queued.remove(fault)
                status = fault[0]
                self.injected[status] += 1
                rec.status = status
                self._notify()
                return _fault_response(status)
            if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                result: Reply | web.StreamResponse = (401, {"message": "401: Unauthorized", "code": 0})
            elif name in self.failing_routes:
                result = (self.failing_routes[name], {"message": "Service Unavailable", "code": 0})
            else:
                try:
                    result = await handler(request, rec)
                except _Reject as reject:
                    result = (reject.status, reject.body)
            if isinstance(result, web.StreamResponse):
                rec.status = result.status
                response = result
            else:
                rec.status, rec.response = result
                response = _json_response(*result)
            self._notify()
            return response

        return wrapped

    async def _record(self, request: web.Request, name: str | None) -> RecordedRequest:
        rec = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            at=time.monotonic(),
            route=name,
        )
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read(decode=False)
                pname = part.name or ""
                filename = part.filename
                if filename is not None:
                    ptype = part.headers.get("Content-Type", "application/octet-stream")
                    rec.files.append(FilePart(pname, filename, ptype, bytes(data)))
                else:
                    rec.form[pname] = bytes(data).decode()
        elif request.can_read_body:
            body = await request.read()
            if body:
                try:
                    rec.json = json.loads(body)
                except ValueError:
                    rec.form["_raw"] = body.decode(errors="replace")
        self.requests.append(rec)
        return rec

    def _violation(
        self, kind: str, rec: RecordedRequest, status: int, body: JSON, errors: Sequence[FieldError] = ()
    ) -> _Reject:
        violation = Violation(kind, rec, status, body, list(errors))
        self.violations.append(violation)
        handle = next((h for token, h in self._by_token.items() if token in rec.path), None)
        if handle is not None:
            handle.rejected.append(violation)
        return _Reject(status, body)

    # ================================================================== REST: basics

    async def _unknown(self, request: web.Request, rec: RecordedRequest) -> Reply:
        self.unknown_requests.append(rec)
        return 404, {"message": "404: Not Found", "code": 0}

    def _me(self) -> JSON:
        return {**self.bot_user.to_dict(), "bot": True, "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def _get_me(self, request: web.Request, rec: RecordedRequest) -> Reply:
        return 200, self._me()

    async def _get_user(self, request: web.Request, rec: RecordedRequest) -> Reply:
        uid = int(request.match_info["user_id"])
        if uid == self.bot_user.id:
            return 200, self._me()
        user = self.users.get(uid)
        if user is None:
            return 404, _error(10013, "Unknown User")
        return 200, user.to_dict()

    async def _get_application(self, request: web.Request, rec: RecordedRequest) -> Reply:
        owner = next(iter(self.guilds.values())).owner_id if self.guilds else self.default_user.id
        owner_user = self.users.get(owner) or FakeUser(owner, "owner")
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": owner_user.to_dict(),
            "team": None,
            "bot": self._me(),
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, request: web.Request, rec: RecordedRequest) -> Reply:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, request: web.Request, rec: RecordedRequest) -> Reply:
        return 200, {
            "url": self.gateway_url,
            "shards": self.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
        }

    async def _get_attachment(self, request: web.Request, rec: RecordedRequest) -> Reply | web.StreamResponse:
        stored = self._attachments.get(int(request.match_info["aid"]))
        if stored is None:
            return 404, _error(0, "404: Not Found")
        _, data, content_type = stored
        return web.Response(status=200, body=data, headers={"Content-Type": content_type})

    async def _get_guild(self, request: web.Request, rec: RecordedRequest) -> Reply:
        guild = self.guilds.get(int(request.match_info["guild"]))
        if guild is None:
            return 404, _error(10004, "Unknown Guild")
        data = guild.to_dict(bot_user=self.bot_user, unavailable=None)
        for key in ("channels", "members", "threads", "voice_states", "presences"):
            data.pop(key, None)
        return 200, data

    async def _leave_guild(self, request: web.Request, rec: RecordedRequest) -> Reply:
        gid = int(request.match_info["guild"])
        if gid not in self.guilds:
            return 404, _error(10004, "Unknown Guild")
        await self.remove_guild(gid)
        return 204, None

    # ================================================================== REST: commands

    def _check_app(self, request: web.Request) -> None:
        if request.match_info.get("app") != str(self.application_id):
            raise _Reject(404, _error(10002, "Unknown Application"))

    async def _get_commands(self, request: web.Request, rec: RecordedRequest) -> Reply:
        self._check_app(request)
        guild = request.match_info.get("guild")
        scope = int(guild) if guild is not None else None
        return 200, [copy.deepcopy(c) for c in self._commands.get(scope, {}).values()]

    async def _put_commands(self, request: web.Request, rec: RecordedRequest) -> Reply:
        self._check_app(request)
        guild = request.match_info.get("guild")
        scope = int(guild) if guild is not None else None
        if scope is not None and scope not in self.guilds:
            raise self._violation("commands", rec, 403, _error(50001, "Missing Access"))
        body = rec.json
        errors = validate_commands(body)
        if errors:
            self.command_syncs.append(CommandSync(scope, rec, accepted=False))
            raise self._violation("commands", rec, 400, invalid_form_body(errors), errors)
        stored = self._store_commands(body, scope)
        self.command_syncs.append(CommandSync(scope, rec, accepted=True, commands=copy.deepcopy(stored)))
        return 200, stored

    def _store_commands(self, commands: list[JSON], scope: int | None) -> list[JSON]:
        old = self._commands.get(scope, {})
        new: dict[tuple[int, str], JSON] = {}
        for cmd in commands:
            ctype = int(cmd.get("type") or 1)
            key = (ctype, str(cmd["name"]))
            previous = old.get(key)
            if previous is None:
                self._command_creates[scope] += 1
            perms = cmd.get("default_member_permissions")
            obj: JSON = {
                "id": previous["id"] if previous else str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
                "type": ctype,
                "name": cmd["name"],
                "name_localizations": cmd.get("name_localizations"),
                "description": cmd.get("description", ""),
                "description_localizations": cmd.get("description_localizations"),
                "default_member_permissions": str(perms) if perms is not None else None,
                "dm_permission": cmd.get("dm_permission", True),
                "contexts": cmd.get("contexts") if scope is None else None,
                "integration_types": (cmd.get("integration_types") or [0]) if scope is None else [0],
                "nsfw": bool(cmd.get("nsfw", False)),
            }
            if cmd.get("options"):
                obj["options"] = copy.deepcopy(cmd["options"])
            if scope is not None:
                obj["guild_id"] = str(scope)
            if previous is not None and {k: v for k, v in previous.items() if k != "version"} == {
                k: v for k, v in obj.items() if k != "version"
            }:
                obj["version"] = previous["version"]
            new[key] = obj
        self._commands[scope] = new
        return [copy.deepcopy(c) for c in new.values()]

    # ================================================================== REST: interactions

    async def _callback(self, request: web.Request, rec: RecordedRequest) -> Reply:
        iid = int(request.match_info["iid"])
        handle = self._interactions.get(iid)
        if handle is None or handle.token != request.match_info["token"]:
            raise self._violation("token", rec, 404, _error(10062, "Unknown interaction"))
        if handle.callback is not None:
            raise self._violation(
                "already_acknowledged", rec, 400, _error(40060, "Interaction has already been acknowledged.")
            )
        elapsed = time.monotonic() - handle.delivered_at
        if elapsed > self.interaction_deadline:
            raise self._violation("deadline", rec, 404, _error(10062, "Unknown interaction"))
        body = rec.payload
        if not isinstance(body, dict) or "type" not in body:
            raise self._violation(
                "callback",
                rec,
                400,
                invalid_form_body([FieldError(("type",), "BASE_TYPE_REQUIRED", "This field is required")]),
            )
        rtype = int(body["type"])
        data = body.get("data")
        if rtype not in ALLOWED_CALLBACKS.get(handle.type, frozenset()):
            err = FieldError(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Invalid response type {rtype} for interaction type {handle.type}",
            )
            raise self._violation("response_type", rec, 400, invalid_form_body([err]), [err])
        if rtype in (4, 7) or (rtype == 5 and data):
            errors = validate_message(data or {})
            if errors:
                raise self._violation("callback", rec, 400, invalid_form_body(errors, ("data",)), errors)
            self._check_files(rec)
            if rtype == 4 and is_empty_message(data or {}, files=len(rec.files)):
                raise self._violation("empty_message", rec, 400, _error(50006, "Cannot send an empty message"))
        elif rtype == 8:
            errors = validate_autocomplete(data or {})
            if errors:
                raise self._violation("callback", rec, 400, invalid_form_body(errors, ("data",)), errors)
        elif rtype == 9:
            errors = validate_modal(data or {})
            if errors:
                raise self._violation("callback", rec, 400, invalid_form_body(errors, ("data",)), errors)

        handle.callback = CallbackRecord(rtype, copy.deepcopy(data), elapsed, rec)
        message: JSON | None = None
        if rtype == 4:
            message = self._new_interaction_message(handle, data or {}, rec.files, kind="response")
            handle.original_id = int(message["id"])
        elif rtype == 5:
            flags = FLAG_LOADING | (int((data or {}).get("flags") or 0) & FLAG_EPHEMERAL)
            message = self._new_interaction_message(handle, {"content": "", "flags": flags}, [], kind="response")
            handle.original_id = int(message["id"])
        elif rtype in (6, 7):
            source = (handle.payload.get("message") or {}).get("id")
            src_rec = self._messages.get(int(source)) if source is not None else None
            if src_rec is None:
                raise self._violation("callback", rec, 400, _error(10008, "Unknown Message"))
            handle.original_id = src_rec.id
            if rtype == 7:
                message = self._apply_edit(src_rec, data or {}, rec.files)
                handle.original_edits += 1
        original = self._messages.get(handle.original_id) if handle.original_id else None
        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        result: JSON = {
            "interaction": {
                "id": str(handle.id),
                "type": handle.type,
                "activity_instance_id": None,
                "response_message_id": str(original.id) if original and rtype in (4, 5, 7) else None,
                "response_message_loading": rtype == 5,
                "response_message_ephemeral": bool(original and original.ephemeral and rtype in (4, 5)),
            },
            "resource": {"type": rtype},
        }
        if message is not None:
            result["resource"]["message"] = message
        return 200, result

    def _handle_for_webhook(self, request: web.Request, rec: RecordedRequest) -> InteractionHandle:
        if request.match_info.get("app") != str(self.application_id):
            raise self._violation("token", rec, 404, _error(10015, "Unknown Webhook"))
        handle = self._by_token.get(request.match_info["token"])
        if handle is None or handle.callback is None:
            raise self._violation("token", rec, 404, _error(10015, "Unknown Webhook"))
        if time.monotonic() - handle.delivered_at > self.token_lifetime:
            raise self._violation("token", rec, 401, _error(50027, "Invalid Webhook Token"))
        return handle

    def _webhook_message(self, handle: InteractionHandle, mid: str, rec: RecordedRequest) -> MessageRecord:
        if mid == "@original":
            msg = self._messages.get(handle.original_id) if handle.original_id else None
        else:
            allowed = {handle.original_id, *handle.followup_ids}
            msg = self._messages.get(int(mid)) if mid.isdigit() and int(mid) in allowed else None
        if msg is None or msg.deleted:
            raise self._violation("token", rec, 404, _error(10008, "Unknown Message"))
        return msg

    async def _webhook_get(self, request: web.Request, rec: RecordedRequest) -> Reply:
        handle = self._handle_for_webhook(request, rec)
        return 200, copy.deepcopy(self._webhook_message(handle, request.match_info["mid"], rec).message)

    async def _webhook_edit(self, request: web.Request, rec: RecordedRequest) -> Reply:
        handle = self._handle_for_webhook(request, rec)
        msg = self._webhook_message(handle, request.match_info["mid"], rec)
        data = rec.payload or {}
        errors = validate_message(data)
        if errors:
            raise self._violation("message", rec, 400, invalid_form_body(errors), errors)
        self._check_files(rec)
        updated = self._apply_edit(msg, data, rec.files)
        if msg.id == handle.original_id:
            handle.original_edits += 1
        return 200, updated

    async def _webhook_delete(self, request: web.Request, rec: RecordedRequest) -> Reply:
        handle = self._handle_for_webhook(request, rec)
        msg = self._webhook_message(handle, request.match_info["mid"], rec)
        msg.deleted = True
        return 204, None

    async def _followup(self, request: web.Request, rec: RecordedRequest) -> Reply:
        handle = self._handle_for_webhook(request, rec)
        data = rec.payload or {}
        errors = validate_message(data)
        if errors:
            raise self._violation("message", rec, 400, invalid_form_body(errors), errors)
        self._check_files(rec)
        if is_empty_message(data, files=len(rec.files)):
            raise self._violation("empty_message", rec, 400, _error(50006, "Cannot send an empty message"))
        original = self._messages.get(handle.original_id) if handle.original_id else None
        if original is not None and original.loading and original.interaction_id == handle.id:
            # Discord: the first followup after a deferral replaces the "thinking" placeholder.
            updated = self._apply_edit(original, data, rec.files)
            handle.original_edits += 1
            return 200, updated
        message = self._new_interaction_message(handle, data, rec.files, kind="followup")
        handle.followup_ids.append(int(message["id"]))
        return 200, message

    # ================================================================== REST: channels and DMs

    def _channel_scope(self, channel_id: int) -> tuple[JSON, int | None] | None:
        for guild in self.guilds.values():
            channel = guild.channel(channel_id)
            if channel is not None:
                return channel.to_dict(guild.id), guild.id
        recipient = self._dm_recipients.get(channel_id)
        if recipient is not None:
            return self._dm_channel_object(channel_id, recipient), None
        return None

    def _dm_channel_object(self, channel_id: int, recipient: FakeUser) -> JSON:
        return {
            "id": str(channel_id),
            "type": 1,
            "last_message_id": None,
            "flags": 0,
            "recipients": [recipient.to_dict()],
        }

    async def _create_dm(self, request: web.Request, rec: RecordedRequest) -> Reply:
        body = rec.json or {}
        uid = int(body.get("recipient_id", 0))
        user = self.users.get(uid)
        if user is None:
            raise self._violation("message", rec, 400, _error(50033, "Invalid Recipient(s)"))
        return 200, self._dm_channel_object(self._dm_channel_for(user), user)

    async def _get_channel(self, request: web.Request, rec: RecordedRequest) -> Reply:
        scope = self._channel_scope(int(request.match_info["cid"]))
        if scope is None:
            return 404, _error(10003, "Unknown Channel")
        return 200, scope[0]

    async def _create_message(self, request: web.Request, rec: RecordedRequest) -> Reply:
        cid = int(request.match_info["cid"])
        scope = self._channel_scope(cid)
        if scope is None:
            return 404, _error(10003, "Unknown Channel")
        data = rec.payload or {}
        errors = validate_message(data)
        if errors:
            raise self._violation("message", rec, 400, invalid_form_body(errors), errors)
        self._check_files(rec)
        if is_empty_message(data, files=len(rec.files)):
            raise self._violation("empty_message", rec, 400, _error(50006, "Cannot send an empty message"))
        flags = int(data.get("flags") or 0) & (FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2)
        message = self._build_message(data, rec.files, channel_id=cid, flags=flags, msg_type=0)
        self._messages[int(message["id"])] = MessageRecord(
            message, "channel", cid, scope[1], None, history=[copy.deepcopy(message)]
        )
        return 200, copy.deepcopy(message)

    def _channel_message(self, request: web.Request) -> MessageRecord:
        cid, mid = int(request.match_info["cid"]), int(request.match_info["mid"])
        msg = self._messages.get(mid)
        if msg is None or msg.deleted or msg.channel_id != cid or msg.ephemeral:
            raise _Reject(404, _error(10008, "Unknown Message"))
        return msg

    async def _get_channel_message(self, request: web.Request, rec: RecordedRequest) -> Reply:
        return 200, copy.deepcopy(self._channel_message(request).message)

    async def _edit_channel_message(self, request: web.Request, rec: RecordedRequest) -> Reply:
        msg = self._channel_message(request)
        data = rec.payload or {}
        errors = validate_message(data)
        if errors:
            raise self._violation("message", rec, 400, invalid_form_body(errors), errors)
        self._check_files(rec)
        return 200, self._apply_edit(msg, data, rec.files)

    async def _delete_channel_message(self, request: web.Request, rec: RecordedRequest) -> Reply:
        self._channel_message(request).deleted = True
        return 204, None

    # ================================================================== messages

    def _check_files(self, rec: RecordedRequest) -> None:
        if len(rec.files) > MAX_FILES:
            err = FieldError(("files",), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
            raise self._violation("files", rec, 400, invalid_form_body([err]), [err])
        for part in rec.files:
            if len(part.data) > self.attachment_size_limit:
                raise self._violation("files", rec, 413, _error(40005, "Request entity too large"))

    def _new_interaction_message(
        self, handle: InteractionHandle, data: JSON, files: list[FilePart], *, kind: str
    ) -> JSON:
        keep = FLAG_EPHEMERAL | FLAG_LOADING | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
        flags = int(data.get("flags") or 0) & keep
        msg_type = 20 if handle.type == 2 and kind == "response" else 0
        message = self._build_message(data, files, channel_id=handle.channel_id, flags=flags, msg_type=msg_type)
        message["webhook_id"] = str(self.application_id)
        message["application_id"] = str(self.application_id)
        user = (handle.payload.get("member") or {}).get("user") or handle.payload.get("user")
        metadata: JSON = {
            "id": str(handle.id),
            "type": handle.type,
            "user": user,
            "authorizing_integration_owners": handle.payload.get("authorizing_integration_owners", {}),
        }
        if handle.type == 2:
            metadata["name"] = (handle.payload.get("data") or {}).get("name")
            metadata["command_type"] = 1
        if kind == "followup" and handle.original_id is not None:
            metadata["original_response_message_id"] = str(handle.original_id)
        message["interaction_metadata"] = metadata
        self._messages[int(message["id"])] = MessageRecord(
            message, kind, handle.channel_id, handle.guild_id, handle.id, history=[copy.deepcopy(message)]
        )
        return copy.deepcopy(message)

    def _build_message(self, data: JSON, files: list[FilePart], *, channel_id: int, flags: int, msg_type: int) -> JSON:
        return {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "type": msg_type,
            "author": {**self.bot_user.to_dict(), "bot": True},
            "content": data.get("content") or "",
            "embeds": [self._normalize_embed(e) for e in data.get("embeds") or []],
            "components": copy.deepcopy(data.get("components") or []),
            "attachments": self._make_attachments(data, files, [], ephemeral=bool(flags & FLAG_EPHEMERAL)),
            "flags": flags,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "pinned": False,
            "sticker_items": [],
            "nonce": data.get("nonce"),
        }

    @staticmethod
    def _normalize_embed(embed: JSON) -> JSON:
        out = copy.deepcopy(embed)
        out.setdefault("type", "rich")
        return out

    def _make_attachments(
        self, data: JSON, files: list[FilePart], existing: list[JSON], *, ephemeral: bool
    ) -> list[JSON]:
        by_index: dict[int, FilePart] = {}
        for i, part in enumerate(files):
            m = re.fullmatch(r"files\[(\d+)\]", part.field)
            by_index[int(m.group(1)) if m else i] = part
        entries = data.get("attachments")
        result: list[JSON] = []
        if entries is None:
            result.extend(existing)
            entries = [{"id": i} for i in sorted(by_index)]
        for entry in entries:
            try:
                ref = int(entry.get("id"))
            except (TypeError, ValueError):
                continue
            if ref in by_index:
                part = by_index.pop(ref)
                filename = entry.get("filename") or part.filename
                att_id = snowflake()
                self._attachments[att_id] = (filename, part.data, part.content_type)
                result.append(
                    self._attachment_object(
                        att_id,
                        filename,
                        len(part.data),
                        part.content_type,
                        description=entry.get("description"),
                        ephemeral=ephemeral,
                    )
                )
            else:
                kept = next((a for a in existing if int(a["id"]) == ref), None)
                if kept is not None:
                    result.append(kept)
        for part in by_index.values():
            att_id = snowflake()
            self._attachments[att_id] = (part.filename, part.data, part.content_type)
            result.append(
                self._attachment_object(att_id, part.filename, len(part.data), part.content_type, ephemeral=ephemeral)
            )
        return result

    def _apply_edit(self, rec: MessageRecord, data: JSON, files: list[FilePart]) -> JSON:
        msg = rec.message
        was_loading = rec.loading
        if "content" in data:
            msg["content"] = data["content"] or ""
        if "embeds" in data:
            msg["embeds"] = [self._normalize_embed(e) for e in data["embeds"] or []]
        if "components" in data:
            msg["components"] = copy.deepcopy(data["components"] or [])
        if "attachments" in data or files:
            msg["attachments"] = self._make_attachments(
                data, files, msg.get("attachments") or [], ephemeral=rec.ephemeral
            )
        flags = int(msg.get("flags") or 0) & ~FLAG_LOADING
        if "flags" in data and data["flags"] is not None:
            new = int(data["flags"])
            flags = (flags & ~FLAG_SUPPRESS_EMBEDS) | (new & FLAG_SUPPRESS_EMBEDS) | (new & FLAG_COMPONENTS_V2)
        msg["flags"] = flags
        if not was_loading:
            msg["edited_timestamp"] = iso_now()
        rec.history.append(copy.deepcopy(msg))
        return copy.deepcopy(msg)

    # ================================================================== gateway

    def _on_shard(self, session: _Session, guild_id: int | None) -> bool:
        shard_id, count = session.shard
        target = 0 if guild_id is None else (guild_id >> 22) % max(count, 1)
        return shard_id == target

    def _live_session(self, guild_id: int | None) -> _Session | None:
        live = [
            s
            for s in self._sessions.values()
            if not s.invalid and s.conn is not None and s.conn.open and self._on_shard(s, guild_id)
        ]
        return live[-1] if live else None

    async def _send_later(self, conn: GatewayConnection, payload: JSON, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._send(conn, payload)

    async def _send(self, conn: GatewayConnection, payload: JSON) -> bool:
        ws = self._sockets.get(conn.id)
        if ws is None or ws.closed or not conn.open:
            return False
        try:
            await ws.send_str(json.dumps(payload))
        except (ConnectionError, RuntimeError):
            return False
        conn.sent.append(payload)
        return True

    async def _close(self, conn: GatewayConnection, code: int, reason: str) -> None:
        ws = self._sockets.get(conn.id)
        conn.closed_by_server = True
        conn.close_code = code
        if ws is not None and not ws.closed:
            await ws.close(code=code, message=reason.encode())

    async def _dispatch_to(self, session: _Session, event: str, data: JSON) -> bool:
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(payload)
        if session.conn is None:
            return False
        return await self._send(session.conn, payload)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = GatewayConnection(
            id=len(self.gateway_connections) + 1, opened_at=time.monotonic(), query=dict(request.query)
        )
        self.gateway_connections.append(conn)
        self._sockets[conn.id] = ws
        self._notify()
        try:
            await self._send(
                conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None}
            )
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await self._close(conn, 4002, "Decode error")
                    break
                conn.received.append(payload)
                await self._on_op(conn, payload)
                self._notify()
                if ws.closed:
                    break
        finally:
            conn.closed_at = time.monotonic()
            if conn.close_code is None:
                conn.close_code = ws.close_code
            self._sockets.pop(conn.id, None)
            for session in self._sessions.values():
                if session.conn is conn:
                    session.conn = None
            self._notify()
        return ws

    async def _on_op(self, conn: GatewayConnection, payload: JSON) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            conn.heartbeats += 1
            # Acknowledged after a network's round trip, not at once: discord.py (2.7.1) stamps a heartbeat as sent
            # only after its keep-alive thread hears the send completed, and an ack on loopback can arrive before
            # that, which it reports as "Can't keep up, websocket is 41.3s behind" (a whole interval).
            ack = {"op": 11, "d": None, "s": None, "t": None}
            task = asyncio.get_running_loop().create_task(self._send_later(conn, ack, HEARTBEAT_ACK_DELAY))
            self._acks.add(task)  # held until sent (a task nothing refers to may be collected)
            task.add_done_callback(self._acks.discard)
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op in (3, 4, 8, 31):
            if conn.session_id is None:
                await self._close(conn, 4003, "Not authenticated.")
            elif op == 8:
                session = self._sessions[conn.session_id]
                await self._dispatch_to(
                    session,
                    "GUILD_MEMBERS_CHUNK",
                    {
                        "guild_id": str((data or {}).get("guild_id")),
                        "members": [],
                        "chunk_index": 0,
                        "chunk_count": 1,
                        "not_found": [],
                        "nonce": (data or {}).get("nonce"),
                    },
                )
        else:
            await self._close(conn, 4001, "Unknown opcode.")

    async def _identify(self, conn: GatewayConnection, data: JSON) -> None:
        if conn.session_id is not None or conn.identify is not None:
            await self._close(conn, 4005, "Already authenticated.")
            return
        conn.identify = data
        if data.get("token") != self.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~self.privileged_intents:
            await self._close(conn, 4014, "Disallowed intent(s).")
            return
        raw_shard = data.get("shard") or [0, 1]
        shard = (int(raw_shard[0]), int(raw_shard[1]))
        if not 0 <= shard[0] < shard[1]:
            await self._close(conn, 4010, "Invalid shard.")
            return
        session = _Session(id=uuid.uuid4().hex, shard=shard, conn=conn)
        self._sessions[session.id] = session
        conn.session_id = session.id
        conn.shard = shard
        guilds = [g for g in self.guilds.values() if self._on_shard(session, g.id)]
        ready = {
            "v": 10,
            "user": self._me(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "shard": list(shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "user_settings": {},
            "auth": {},
        }
        await self._dispatch_to(session, "READY", ready)
        for guild in guilds:
            await self._dispatch_to(session, "GUILD_CREATE", guild.to_dict(bot_user=self.bot_user, unavailable=False))

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        conn.resume = data
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or session.invalid or data.get("token") != self.token:
            await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        old = session.conn
        session.conn = conn
        conn.session_id = session.id
        conn.shard = session.shard
        if old is not None and old is not conn and old.open:
            await self._close(old, 4000, "Session resumed elsewhere")
        seq = int(data.get("seq") or 0)
        for event in [e for e in session.events if e["s"] > seq]:
            await self._send(conn, event)
        await self._dispatch_to(session, "RESUMED", {})


class _Reject(Exception):
    """Internal: abort a handler with an error response."""

    def __init__(self, status: int, body: JSON) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


__all__ = [
    "DEFAULT_GUILD",
    "CommandSync",
    "FakeDiscord",
    "FakeDiscordError",
    "FakeTimeout",
    "InteractionHandle",
    "InteractionRefused",
]
