"""Migrations outside the bot: ``fourth-pillar migrate``, and the same migrations rendered for PostgreSQL."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command

from cli.main import main as cli_main
from storage.database import alembic_config


def test_the_migrate_command_brings_an_empty_database_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command creates the schema, and a second run reports it already current."""
    path = tmp_path / "cli" / "fp.db"
    url = f"sqlite+aiosqlite:///{path}"
    assert cli_main(["migrate", "--database-url", url]) == 0
    assert cli_main(["migrate", "--database-url", url]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.endswith("schema migrated from empty to 0002.") and second.endswith("schema already at 0002.")
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]


def test_the_migrate_command_reads_database_url_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the flag, DATABASE_URL (as the bot reads it) names the database to migrate."""
    path = tmp_path / "env" / "fp.db"
    monkeypatch.chdir(tmp_path)  # no developer's .env in the way
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert cli_main(["migrate"]) == 0
    assert path.is_file()


def test_migrations_render_for_postgresql_with_portable_types() -> None:
    """The migrations need nothing SQLite-only: rendered for PostgreSQL, blobs are BYTEA and moments carry a zone."""
    output = io.StringIO()
    config = alembic_config()
    config.output_buffer = output
    config.set_main_option("sqlalchemy.url", "postgresql+asyncpg://fourth-pillar@localhost/fourth_pillar")
    command.upgrade(config, "head", sql=True)
    sql = output.getvalue()
    assert "CREATE TABLE saved_offers" in sql and "offer_token BYTEA NOT NULL" in sql
    assert "expires_at TIMESTAMP WITH TIME ZONE NOT NULL" in sql
    assert "PRAGMA" not in sql.upper()
