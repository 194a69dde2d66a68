"""Quick versions of the reliability scenarios (``make soak`` runs the full ones and prints a table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import scenarios
from tests.reliability.scenarios import Row

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]


def assert_clean(row: Row) -> None:
    assert row.interactions > 0, row
    assert row.ok, "\n".join([f"{row.scenario}: {row}", *row.problems])


async def test_fuzz_every_command(tmp_path: Path) -> None:
    """600 generated hostile interactions over every command and offer file: each answered in time, none with a
    traceback or internal text, mentions disabled, figures in servers only in ephemeral messages."""
    assert_clean(await scenarios.fuzz(tmp_path, 600))


async def test_help_is_not_stalled_by_huge_offer_files(tmp_path: Path) -> None:
    """Three people sending the heaviest offer files: another person's /help presses all answered within 3 s."""
    assert_clean(await scenarios.stall(tmp_path, attackers=3, rounds=6, presses=15))


async def test_kill_9_keeps_every_acknowledged_write(tmp_path: Path) -> None:
    """SIGKILL during a burst of /defaults set: after a restart each acknowledged value is there."""
    assert_clean(await scenarios.kill_during_writes(tmp_path, writers=8, writes=8))


async def test_gateway_close_and_resume_mid_burst(tmp_path: Path) -> None:
    """A burst across two connection drops and a reconnect request, the session resumed: all answered."""
    assert_clean(await scenarios.resume_mid_burst(tmp_path, count=150, drops=3))  # a run without a RESUME fails


async def test_rest_429_and_500(tmp_path: Path) -> None:
    """429s and 5xx on the interaction routes: every interaction still answered within its deadline."""
    assert_clean(await scenarios.rest_faults(tmp_path, count=24))


async def test_sigterm_with_work_in_flight(tmp_path: Path) -> None:
    """SIGTERM with three evaluations in flight past the grace period: each ends with an answer or the notice."""
    assert_clean(await scenarios.sigterm_in_flight(tmp_path, in_flight=3))


async def test_every_button_after_a_restart(tmp_path: Path) -> None:
    """Every button on a breakdown from before a restart gets the private "expired" notice."""
    assert_clean(await scenarios.buttons_after_restart(tmp_path, messages=1))
