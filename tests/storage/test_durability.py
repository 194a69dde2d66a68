"""Writes under pressure: concurrent writers on separate engines, and a writer killed before it commits."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from storage import Database, open_database
from tests.storage.conftest import KEY

pytestmark = pytest.mark.asyncio
REPO = Path(__file__).resolve().parents[2]


async def test_two_engines_writing_at_once_both_land(db_url: str, db: Database) -> None:
    """Two engines (separate connection pools) change the same server setting, save offers and defaults at once:
    no "database is locked", nothing lost, and the audit trail is one unbroken chain of old → new values."""
    other = await open_database(db_url, data_key=KEY, migrate_schema=False)
    try:
        writers = [db, other]
        writes: list[Coroutine[Any, Any, object]] = [
            writers[n % 2].server_settings.set(1, n, "utilization", f"{n + 10}%") for n in range(30)
        ]
        writes += [writers[u % 2].personal_defaults.set(u, "marginal_tax_rate", "30%") for u in range(20)]
        writes += [writers[n % 2].saved_offers.save(7, f"offer {n}", {"n": n}, "v") for n in range(20)]
        await asyncio.gather(*writes)
        trail = list(reversed(await db.server_settings.audit(1, limit=100)))
        assert len(trail) == 30
        assert [entry.old_value for entry in trail[1:]] == [entry.new_value for entry in trail[:-1]]
        assert (await other.server_settings.stored(1))["utilization"] == trail[-1].new_value
        assert [await other.personal_defaults.stored(u) for u in range(20)] == [{"marginal_tax_rate": "0.3"}] * 20
        assert len(await other.saved_offers.list(7)) == 20
    finally:
        await other.close()


KILLED_WRITER = """
import asyncio, sys
from sqlalchemy import update
from storage import open_database
from storage.tables import guild_settings

async def main():
    db = await open_database(sys.argv[1], data_key="k", migrate_schema=False)
    async with db.writing() as conn:
        await conn.execute(update(guild_settings).values(value="0.99"))
        print("written", flush=True)
        await asyncio.sleep(60)  # killed here, before the commit

asyncio.run(main())
"""


async def test_a_process_killed_mid_write_leaves_the_old_value(db_url: str, db: Database) -> None:
    """A writer SIGKILLed inside its transaction leaves the committed value untouched, and the database writable."""
    await db.server_settings.set(1, 100, "utilization", "60%")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        KILLED_WRITER,
        db_url,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    assert await asyncio.wait_for(proc.stdout.readline(), timeout=20) == b"written\n"
    proc.send_signal(signal.SIGKILL)
    await asyncio.wait_for(proc.wait(), timeout=10)
    assert await db.server_settings.stored(1) == {"utilization": "0.6"}
    await db.server_settings.set(1, 100, "utilization", "65%")  # the dead writer's lock is gone
    assert await db.server_settings.stored(1) == {"utilization": "0.65"}
