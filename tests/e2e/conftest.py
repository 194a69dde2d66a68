"""End-to-end fixtures: the real bot process (``fourth-pillar run``) against the fake Discord on 127.0.0.1.

Commands are published the way production does it: ``fourth-pillar sync`` first (global), then ``run`` with
``DEV_GUILD_ID`` set, which syncs a copy to the development guild at start.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.fake_discord.fixtures import BOT_ARGV, bot_env, fake_discord, start_bot  # noqa: F401
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

CLI = BOT_ARGV[0]


async def run_cli(fake: FakeDiscord, workdir: Path, *args: str, **env: str) -> tuple[int, str]:
    """Run ``fourth-pillar ARGS`` as a subprocess against the fake; returns (exit code, output)."""
    full_env = {"PATH": os.environ.get("PATH", ""), **bot_env(fake, workdir), **env}
    proc = await asyncio.create_subprocess_exec(
        CLI, *args, env=full_env, cwd=workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


@pytest_asyncio.fixture
async def bot(fake_discord: FakeDiscord, start_bot, tmp_path: Path) -> AsyncIterator[BotProcess]:  # noqa: F811
    """The production bot, its commands synced globally by ``fourth-pillar sync`` and ready."""
    code, output = await run_cli(fake_discord, tmp_path, "sync")
    assert code == 0, output
    yield await start_bot()
