"""The schema: migrations from empty, matching the models, SQLite's settings, timestamps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, text

from storage import Database, open_database
from storage.database import schema_revision
from storage.tables import guild_settings, metadata
from tests.storage.conftest import KEY

pytestmark = pytest.mark.asyncio


async def test_migrations_build_the_schema_the_code_expects(db: Database) -> None:
    """From an empty file, migrations create every table, and the schema matches the models exactly."""
    async with db.reading() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
    assert {"guild_settings", "settings_audit", "personal_defaults", "user_preferences", "saved_offers"} <= tables
    assert diff == []


async def test_opening_creates_the_data_directory(tmp_path: Path) -> None:
    """A database in a directory that doesn't exist yet: the directory is made on first start."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'deeper' / 'fp.db'}"
    database = await open_database(url, data_key=KEY)
    await database.close()
    assert (tmp_path / "new" / "deeper" / "fp.db").is_file()


async def test_migrations_are_idempotent(db_url: str) -> None:
    """Opening the database again re-applies nothing and keeps the data."""
    first = await open_database(db_url, data_key=KEY)
    await first.server_settings.set(1, 9, "utilization", "60%")
    await first.close()
    second = await open_database(db_url, data_key=KEY)
    assert (await second.server_settings.stored(1)) == {"utilization": "0.6"}
    assert await schema_revision(second.engine) == "0002"
    await second.close()


async def test_sqlite_runs_in_wal_mode_with_secure_delete_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    """Every connection gets the SQLite settings durability and privacy depend on."""
    async with db.reading() as conn:
        settings = {
            pragma: (await conn.execute(text(f"PRAGMA {pragma}"))).scalar()
            for pragma in ("journal_mode", "secure_delete", "foreign_keys", "busy_timeout")
        }
    assert settings == {"journal_mode": "wal", "secure_delete": 1, "foreign_keys": 1, "busy_timeout": 5000}


async def test_timestamps_come_back_in_utc_and_naive_ones_are_refused(db: Database) -> None:
    """Stored moments read back timezone-aware in UTC; a naive datetime never reaches the database."""
    await db.server_settings.set(1, 5, "charts", "off")
    (entry,) = await db.server_settings.audit(1)
    assert entry.changed_at == db.now() and entry.changed_at.utcoffset() is not None
    with pytest.raises(Exception, match="timezone-aware"):
        async with db.writing() as conn:
            await conn.execute(
                insert(guild_settings).values(guild_id=2, name="charts", value="on", updated_at=datetime(2027, 1, 1))  # noqa: DTZ001
            )
