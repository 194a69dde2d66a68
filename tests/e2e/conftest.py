"""End-to-end fixtures: the real bot process (``fourth-pillar run``) against the fake Discord on 127.0.0.1.

Commands are published the way production does it: ``fourth-pillar sync`` (global) first, then ``fourth-pillar
run`` without a development guild. The bot is configured only through environment variables and runs in a fresh
working directory, so no developer ``.env`` leaks in.

``shared_fake`` / ``shared_bot`` serve a whole module (one bot process); tests using them must mark themselves
``pytest.mark.asyncio(loop_scope="module")`` and assert only on what their own interactions produced.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from tests.fake_discord.fixtures import (  # noqa: F401 - fixtures used by the test modules
    BOT_ARGV,
    fake_discord,
    make_fake_discord,
    start_bot,
)
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

CLI = BOT_ARGV[0]
READY_MARKER = "ready in"
# Generous cooldown for shared bots, so many tests by one user don't trip it; a dedicated test checks it.
NO_COOLDOWN = {"EVALUATE_COOLDOWN_USES": "1000"}


def production_env(fake: FakeDiscord, workdir: Path, **extra: str) -> dict[str, str]:
    """What an operator sets: the token, where Discord is, the database and the log level. No DEV_GUILD_ID."""
    env = fake.bot_env(DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bot.db'}", LOG_LEVEL="DEBUG")
    env.update(extra)
    return env


async def run_cli(fake: FakeDiscord, workdir: Path, *args: str, **env: str) -> tuple[int, str]:
    """Run ``fourth-pillar ARGS`` as a subprocess against the fake in ``workdir``; returns (exit code, output)."""
    full_env = {"PATH": os.environ.get("PATH", ""), **production_env(fake, workdir), **env}
    proc = await asyncio.create_subprocess_exec(
        CLI, *args, env=full_env, cwd=workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def start_production_bot(
    fake: FakeDiscord, workdir: Path, log_name: str = "bot.log", env: Mapping[str, str] | None = None
) -> BotProcess:
    """``fourth-pillar sync`` then ``fourth-pillar run``, waiting until the bot logged that it is ready."""
    code, output = await run_cli(fake, workdir, "sync")
    assert code == 0, output
    process = BotProcess(BOT_ARGV, production_env(fake, workdir, **(env or {})), workdir / log_name)
    await process.start()
    try:
        await process.wait_ready(fake, min_syncs=0, log_marker=READY_MARKER)
    except BaseException:
        await process.close()
        raise
    return process


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_fake() -> AsyncIterator[FakeDiscord]:
    """One fake Discord for the whole module."""
    async with make_fake_discord() as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_bot(shared_fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """One production bot process for the whole module, at LOG_LEVEL=DEBUG."""
    process = await start_production_bot(shared_fake, tmp_path_factory.mktemp("bot"), env=NO_COOLDOWN)
    yield process
    await process.close()


class SlowFileHost:
    """A file host on loopback that holds each download until the test releases it: an interaction that is
    certainly still in flight."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requested = asyncio.Event()
        self.release = asyncio.Event()
        self.url = ""

    async def _serve(self, request: web.Request) -> web.Response:
        self.requested.set()
        await self.release.wait()
        return web.Response(body=self.body, headers={"Content-Type": "application/toml"})

    async def __aenter__(self) -> SlowFileHost:
        app = web.Application()
        app.router.add_get("/offer.toml", self._serve)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/offer.toml"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release.set()
        await self._runner.cleanup()


@pytest_asyncio.fixture
async def slow_file_host() -> AsyncIterator[SlowFileHost]:
    async with SlowFileHost(b'employer = "SlowCo"\n[salary]\nbase = "175k"\n') as host:
        yield host
