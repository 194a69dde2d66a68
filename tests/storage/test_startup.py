"""Start-up of an existing database: it is recognised as current without alembic, which is then not imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from storage import open_database
from storage.database import alembic_config, at_newest_migration, create_engine, head_revisions

KEY = "test-data-key-one"
ROOT = Path(__file__).resolve().parents[2]


def test_head_revisions_agree_with_alembic() -> None:
    """The newest migrations read from the migration files are the heads alembic itself finds."""
    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_head_revisions_skip_assignments_that_are_not_literals(tmp_path: Path) -> None:
    """A migration may assign a table helper (``t = sa.table(...)``) at the top: only the revision ids are read,
    so such a line neither crashes start-up nor hides the head (b revises a, so b is the head)."""
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (tmp_path / "b.py").write_text(
        'import sqlalchemy as sa\nrevision = "b"\ndown_revision = "a"\nsettings = sa.table("settings")\n',
        encoding="utf-8",
    )
    assert head_revisions(tmp_path) == frozenset({"b"})


@pytest.mark.asyncio
async def test_a_new_database_is_not_current_until_migrated(db_url: str) -> None:
    """An empty database has no recorded migration; after opening (which migrates) it is current."""
    engine = create_engine(db_url)
    try:
        assert not await at_newest_migration(engine)
    finally:
        await engine.dispose()
    database = await open_database(db_url, data_key=KEY)
    try:
        assert await at_newest_migration(database.engine)
    finally:
        await database.close()


@pytest.mark.asyncio
async def test_opening_a_current_database_does_not_import_alembic(db_url: str) -> None:
    """A second start on a migrated database reads its revision with plain SQL: alembic is never imported."""
    database = await open_database(db_url, data_key=KEY)
    await database.close()
    script = (
        "import asyncio, sys\n"
        "from storage import open_database\n"
        "async def main():\n"
        f"    db = await open_database({db_url!r}, data_key={KEY!r})\n"
        "    await db.close()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(  # noqa: ASYNC221 - a fresh interpreter is the point; nothing else runs meanwhile
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
