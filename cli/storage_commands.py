"""``migrate``: bring the database schema up to date (the bot also does this at every start)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any


def register(subparsers: Any) -> None:
    migrate = subparsers.add_parser(
        "migrate",
        help="apply database migrations (DATABASE_URL from the environment or .env; default SQLite in ./data)",
    )
    migrate.add_argument("--database-url", default=None, help="overrides DATABASE_URL")
    migrate.set_defaults(handler=_migrate)


def _database_url(given: str | None) -> str:
    """The same database the bot uses: the flag, else DATABASE_URL from the environment or .env, else the default."""
    if given:
        return given
    from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: PLC0415

    from storage.database import DEFAULT_DATABASE_URL  # noqa: PLC0415

    class DatabaseSetting(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
        database_url: str = DEFAULT_DATABASE_URL

    return DatabaseSetting().database_url


def _migrate(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - keep the offline CLI light

    from storage.database import create_engine, migrate, schema_revision  # noqa: PLC0415

    url = _database_url(args.database_url)

    async def run() -> tuple[str | None, str | None]:
        engine = create_engine(url)
        try:
            before = await schema_revision(engine)
            await migrate(engine)
            return before, await schema_revision(engine)
        finally:
            await engine.dispose()

    before, after = asyncio.run(run())
    where = make_url(url).render_as_string(hide_password=True)
    if before == after:
        print(f"{where}: schema already at {after}.")
    else:
        print(f"{where}: schema migrated from {before or 'empty'} to {after}.")
    return 0
