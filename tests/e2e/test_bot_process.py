"""The bot as a process: publishing commands, development-guild sync, settings errors, the per-user cooldown, and a
clean stop on SIGTERM. Each test starts its own fake Discord and bot."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

import pytest

from tests.e2e.conftest import CLI, SlowFileHost, production_env, run_cli, start_production_bot
from tests.fake_discord import message_text
from tests.fake_discord.fixtures import ALICE, BOB, DEV_GUILD_ID, StartBot
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]
EPHEMERAL = 64
MENU = "Evaluate offer (private)"
COMMAND_NAMES = (MENU, "about", "config", "defaults", "help", "offer", "privacy", "tokens")  # sorted: capitals first


def label(name: str) -> str:
    """How ``sync`` names a command in its report."""
    return f"{name} (message menu)" if name == MENU else f"/{name}"


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
    assert all(f"added:     {label(name)}" in first for name in COMMAND_NAMES)
    code, second = await run_cli(fake_discord, tmp_path, "sync")
    assert code == 0 and all(f"unchanged: {label(name)}" in second for name in COMMAND_NAMES), second
    code, guild = await run_cli(fake_discord, tmp_path, "sync", "--guild", str(DEV_GUILD_ID))
    assert code == 0 and f"to server {DEV_GUILD_ID}" in guild, guild
    assert sorted(c["name"] for c in fake_discord.guild_commands(DEV_GUILD_ID)) == list(COMMAND_NAMES)
    assert fake_discord.token not in first + second + guild


async def test_a_wrong_token_fails_cleanly_without_echoing_it(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A token Discord refuses makes ``sync`` and ``run`` exit 4 (the refused-token code; it was 1, which Python also
    uses for any crash) with a hint, never printing the token."""
    for command in ("sync", "run"):
        code, output = await run_cli(fake_discord, tmp_path, command, DISCORD_TOKEN="not-the-token")
        assert code == 4 and "DISCORD_TOKEN" in output and "not-the-token" not in output, output
        assert "Traceback" not in output


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if " ERROR " in line]


async def test_an_empty_token_is_refused_before_connecting(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """``DISCORD_TOKEN=`` (what copying .env.example gives) or blanks: exit 2 naming the setting, no request sent."""
    for token in ("", "   "):
        for command in ("run", "sync"):
            code, output = await run_cli(fake_discord, tmp_path, command, DISCORD_TOKEN=token)
            assert code == 2 and "DISCORD_TOKEN" in output and "Traceback" not in output, output
    assert fake_discord.requests == []


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("command", ["run", "sync"])
async def test_discord_refusing_connections_is_one_line_and_exit_3(
    fake_discord: FakeDiscord, tmp_path: Path, command: str
) -> None:
    """Nothing listening where Discord should be: one error line naming the address and what to check, exit 3."""
    port = closed_port()
    code, output = await run_cli(fake_discord, tmp_path, command, DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10")
    assert code == 3 and "Traceback" not in output, output
    (line,) = error_lines(output)
    assert f"could not connect to Discord at 127.0.0.1:{port}" in line and "DISCORD_API_BASE" in line


async def test_the_gateway_refusing_connections_is_one_line_and_exit_3(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """REST answers but nothing listens where the gateway should be: one line naming the gateway and
    DISCORD_GATEWAY_URL, exit 3 (discord.py alone crashed here with a traceback)."""
    port = closed_port()
    code, output = await run_cli(fake_discord, tmp_path, "run", DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway")
    assert code == 3 and "Traceback" not in output, output
    (line,) = error_lines(output)
    assert "gateway" in line and f"127.0.0.1:{port}" in line and "DISCORD_GATEWAY_URL" in line


async def test_discord_name_not_resolving_is_one_line_and_exit_3(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A host name that does not resolve (the reserved .invalid domain): one line saying so, exit 3."""
    code, output = await run_cli(fake_discord, tmp_path, "run", DISCORD_API_BASE="http://discord.invalid/api/v10")
    assert code == 3 and "Traceback" not in output, output
    (line,) = error_lines(output)
    assert "discord.invalid could not be resolved" in line and "DNS" in line


async def test_a_command_sync_discord_keeps_failing_is_one_line_and_exit_3(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    """Discord answering the command publish with a server error (503; discord.py itself retries a 500 five times
    first): ``sync``, and ``run`` with DEV_GUILD_ID, each print one line pointing at Discord's status, exit 3."""
    fake_discord.failing_routes["put_global_commands"] = 503
    code, output = await run_cli(fake_discord, tmp_path, "sync")
    assert code == 3 and "Traceback" not in output, output
    (line,) = error_lines(output)
    assert "cannot publish the commands: Discord kept answering HTTP 503 (" in line and "discordstatus.com" in line
    fake_discord.failing_routes["put_guild_commands"] = 503
    code, output = await run_cli(fake_discord, tmp_path, "run", DEV_GUILD_ID=str(DEV_GUILD_ID))
    assert code == 3 and "Traceback" not in output, output
    assert "HTTP 503 to publishing the commands" in error_lines(output)[0]


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
