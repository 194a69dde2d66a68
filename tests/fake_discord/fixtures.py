"""Pytest fixtures for end-to-end tests. Import them into a conftest::

    # tests/e2e/conftest.py
    from tests.fake_discord.fixtures import bot, fake_discord, start_bot  # noqa: F401

``fake_discord`` is a started :class:`FakeDiscord` with one guild (:data:`DEV_GUILD_ID`, owned by
:data:`OWNER`); ``start_bot`` starts bot subprocesses against it (and stops them at teardown); ``bot`` is the
production bot (``.venv/bin/fourth-pillar run``), started and ready.
"""

# ruff: noqa: ASYNC109 - explicit ``timeout=`` arguments are this test API's documented interface.

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest_asyncio

from .harness import BotProcess
from .models import FakeGuild, FakeRole, FakeUser, Perm
from .server import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]
BOT_ARGV = [str(REPO_ROOT / ".venv" / "bin" / "fourth-pillar"), "run"]
"""The production command line."""
DEMO_BOT_ARGV = [sys.executable, str(Path(__file__).with_name("_demo_bot.py"))]
"""The self-test's tiny discord.py bot."""

APPLICATION_ID = 1_310_000_000_000_000_001
DEV_GUILD_ID = 1_310_000_000_000_000_100
MODERATOR_ROLE_ID = 1_310_000_000_000_000_200
OWNER = FakeUser(1_310_000_000_000_001_000, "owner", global_name="Guild Owner")
ALICE = FakeUser(1_310_000_000_000_001_001, "alice", global_name="Alice")
BOB = FakeUser(1_310_000_000_000_001_002, "bob", global_name="Bob")
MODERATOR_ROLE = FakeRole(MODERATOR_ROLE_ID, "Moderator", permissions=Perm.MANAGE_GUILD, position=1)

StartBot = Callable[..., Awaitable[BotProcess]]


def make_fake_discord(**kwargs: Any) -> FakeDiscord:
    """A (not yet started) fake with the dev guild and the standard users; ``kwargs`` override."""
    kwargs.setdefault("application_id", APPLICATION_ID)
    kwargs.setdefault(
        "guilds", [FakeGuild(DEV_GUILD_ID, "Fourth Pillar Dev", owner_id=OWNER.id, roles=[MODERATOR_ROLE])]
    )
    kwargs.setdefault("users", [OWNER, ALICE, BOB])
    kwargs.setdefault("default_user", ALICE)
    return FakeDiscord(**kwargs)


def bot_env(fake: FakeDiscord, workdir: Path, **extra: str) -> dict[str, str]:
    """The production bot's configuration pointing at ``fake``, with a fresh SQLite database in
    ``workdir``; ``extra`` adds or overrides variables."""
    env = fake.bot_env(
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bot.db'}",
        LOG_LEVEL="DEBUG",
        DEV_GUILD_ID=str(DEV_GUILD_ID),
    )
    env.update(extra)
    return env


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord (see :func:`make_fake_discord`)."""
    async with make_fake_discord() as fake:
        yield fake


@pytest_asyncio.fixture
async def start_bot(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[StartBot]:
    """A function starting a bot process against ``fake_discord``:
    ``await start_bot(argv=None, env=None, wait=True, min_syncs=1, timeout=20)``.

    ``argv`` defaults to the production command; ``env`` entries override :func:`bot_env`. The log goes to
    ``tmp_path/bot-N.log``. Every process still running at teardown is terminated.
    """
    processes: list[BotProcess] = []

    async def _start(
        argv: Sequence[str] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        wait: bool = True,
        min_syncs: int = 1,
        timeout: float = 20.0,
    ) -> BotProcess:
        full_env = bot_env(fake_discord, tmp_path)
        full_env.update(env or {})
        proc = BotProcess(argv or BOT_ARGV, full_env, tmp_path / f"bot-{len(processes) + 1}.log")
        processes.append(proc)
        await proc.start()
        if wait:
            await proc.wait_ready(fake_discord, timeout=timeout, min_syncs=min_syncs)
        return proc

    yield _start
    for proc in processes:
        await proc.close()


@pytest_asyncio.fixture
async def bot(start_bot: StartBot) -> BotProcess:
    """The production bot, started against ``fake_discord`` and ready (identified, commands synced)."""
    return await start_bot()


__all__ = [
    "ALICE",
    "APPLICATION_ID",
    "BOB",
    "BOT_ARGV",
    "DEMO_BOT_ARGV",
    "DEV_GUILD_ID",
    "MODERATOR_ROLE",
    "MODERATOR_ROLE_ID",
    "OWNER",
    "StartBot",
    "bot",
    "bot_env",
    "fake_discord",
    "make_fake_discord",
    "start_bot",
]
