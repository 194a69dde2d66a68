"""The bot as a process: publishing commands, development-guild sync, settings errors, the per-user cooldown, and a
clean stop on SIGTERM. Each test starts its own fake Discord and bot."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI, SlowFileHost, production_env, run_cli, start_production_bot
from tests.fake_discord import message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, StartBot
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]
EPHEMERAL = 64
COMMAND_NAMES = ("about", "config", "defaults", "help", "offer", "privacy", "tokens")


async def wait_for_log(bot: BotProcess, marker: str) -> None:
    """Wait (at most 10 s) until ``marker`` appears in the bot's log."""
    async with asyncio.timeout(10):
        while marker not in bot.log_text():  # noqa: ASYNC110 - another process writes the file: nothing to await
            await asyncio.sleep(0.05)


async def test_sigterm_lets_an_interaction_in_flight_finish(
    fake_discord: FakeDiscord, tmp_path: Path, slow_file_host: SlowFileHost
) -> None:
    """SIGTERM while an evaluation waits on its offer file: new commands are turned away politely, the one in
    flight still gets its answer, and the process exits 0 without a traceback."""
    bot = await start_production_bot(fake_discord, tmp_path)
    try:
        attachment = fake_discord.add_attachment("offer.toml", slow_file_host.body, "application/toml")
        attachment["url"] = attachment["proxy_url"] = slow_file_host.url
        in_flight = await fake_discord.invoke(
            "offer", subcommand="evaluate", options={"offer_file": attachment}, user=ALICE
        )
        await asyncio.wait_for(slow_file_host.requested.wait(), timeout=10)
        os.kill(bot.pid, signal.SIGTERM)
        await wait_for_log(bot, "finishing 1 interaction(s) in flight")
        late = await fake_discord.invoke("help", user=BOB)
        refusal = await late.final()
        assert refusal["flags"] & EPHEMERAL and "restarting" in message_text(refusal)
        slow_file_host.release.set()
        answer = await in_flight.final()
        assert "SlowCo" in message_text(answer) and "$175,000" in message_text(answer)
        assert await bot.wait_exit(timeout=15) == 0
        assert "Traceback" not in bot.log_text()
    finally:
        await bot.close()


async def test_sigterm_stops_waiting_after_the_grace_period(
    fake_discord: FakeDiscord, tmp_path: Path, slow_file_host: SlowFileHost
) -> None:
    """An interaction that outlasts SHUTDOWN_GRACE_SECONDS is cancelled, its "thinking…" placeholder first replaced
    by the private "restarting, try again" notice; the process still exits 0, cleanly."""
    bot = await start_production_bot(fake_discord, tmp_path, env={"SHUTDOWN_GRACE_SECONDS": "0.5"})
    try:
        attachment = fake_discord.add_attachment("offer.toml", slow_file_host.body, "application/toml")
        attachment["url"] = attachment["proxy_url"] = slow_file_host.url
        cut_off = await fake_discord.invoke(
            "offer", subcommand="evaluate", options={"offer_file": attachment}, user=ALICE
        )
        await asyncio.wait_for(slow_file_host.requested.wait(), timeout=10)
        assert (await cut_off.response()).type == 5  # deferred: "thinking…" shows
        assert await bot.terminate(signal.SIGTERM, timeout=10) == 0
        notice = await cut_off.final()
        assert notice["flags"] & EPHEMERAL and "restarting. Try again" in message_text(notice)
        log = bot.log_text()
        assert "1 interaction(s) did not finish" in log and "Traceback" not in log
    finally:
        await bot.close()


async def test_dev_guild_gets_its_commands_at_start_and_nothing_global(
    fake_discord: FakeDiscord, start_bot: StartBot
) -> None:
    """With DEV_GUILD_ID set, a start copies the commands to that guild and syncs it, and never syncs globally."""
    await start_bot()
    assert sorted(c["name"] for c in fake_discord.guild_commands(DEV_GUILD_ID)) == list(COMMAND_NAMES)
    assert fake_discord.global_commands == []
    assert fake_discord.violations == []


async def test_evaluate_cooldown_is_per_user(fake_discord: FakeDiscord, start_bot: StartBot) -> None:
    """Past the allowed uses a person is told to wait (privately), while someone else can still evaluate."""
    await start_bot(env={"EVALUATE_COOLDOWN_USES": "1", "EVALUATE_COOLDOWN_SECONDS": "600"})
    first = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "100k"}, user=ALICE)
    assert "$100,000" in message_text(await first.final())
    second = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "100k"}, user=ALICE)
    refusal = await second.final()
    assert refusal["flags"] & EPHEMERAL and "try again in" in message_text(refusal)
    other = await fake_discord.invoke("offer", subcommand="evaluate", options={"base": "100k"}, user=BOB)
    assert "$100,000" in message_text(await other.final())


async def test_sync_publishes_and_reports_what_changed(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """``fourth-pillar sync`` adds every command globally the first time and reports them unchanged the second;
    ``--guild`` publishes to one server instead."""
    code, first = await run_cli(fake_discord, tmp_path, "sync")
    assert code == 0, first
    assert f"Synced {len(COMMAND_NAMES)} commands globally." in first
    assert all(f"added:     /{name}" in first for name in COMMAND_NAMES)
    code, second = await run_cli(fake_discord, tmp_path, "sync")
    assert code == 0 and all(f"unchanged: /{name}" in second for name in COMMAND_NAMES), second
    code, guild = await run_cli(fake_discord, tmp_path, "sync", "--guild", str(DEV_GUILD_ID))
    assert code == 0 and f"to server {DEV_GUILD_ID}" in guild, guild
    assert sorted(c["name"] for c in fake_discord.guild_commands(DEV_GUILD_ID)) == list(COMMAND_NAMES)
    assert fake_discord.token not in first + second + guild


async def test_a_wrong_token_fails_cleanly_without_echoing_it(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A token Discord refuses makes ``sync`` exit 1 with a hint, never printing the token."""
    code, output = await run_cli(fake_discord, tmp_path, "sync", DISCORD_TOKEN="not-the-token")
    assert code == 1 and "DISCORD_TOKEN" in output and "not-the-token" not in output


async def test_run_without_a_token_says_which_setting_is_missing(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """Without DISCORD_TOKEN the bot exits 2 naming the setting, before connecting anywhere."""
    env = {k: v for k, v in production_env(fake_discord, tmp_path).items() if k != "DISCORD_TOKEN"}
    env["PATH"] = os.environ.get("PATH", "")
    proc = await asyncio.create_subprocess_exec(
        CLI, "run", env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2 and "DISCORD_TOKEN" in out.decode()
    assert fake_discord.requests == []
