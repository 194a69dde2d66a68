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


def _database_settings(given: str | None) -> tuple[str, str | None]:
    """The same database and data key the bot uses: the flag, else DATABASE_URL from the environment or .env, else
    the default; DATA_KEY likewise (None: unset)."""
    from pydantic_settings import BaseSettings, SettingsConfigDict  # noqa: PLC0415

    from storage.database import DEFAULT_DATABASE_URL  # noqa: PLC0415

    class DatabaseSetting(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
        database_url: str = DEFAULT_DATABASE_URL
        data_key: str | None = None

    found = DatabaseSetting()
    return given or found.database_url, found.data_key


def _migrate(args: argparse.Namespace) -> int:
    from pathlib import Path  # noqa: PLC0415 - keep the offline CLI light

    from sqlalchemy.engine import make_url  # noqa: PLC0415

    from storage.crypto import DataCipher, DataKeyError, load_or_create_data_key  # noqa: PLC0415
    from storage.database import create_engine, migrate, schema_revision  # noqa: PLC0415

    url, configured_key = _database_settings(args.database_url)
    try:
        # Migrations may encrypt stored rows (personal defaults): the key is found as the bot finds it.
        data_dir = Path(make_url(url).database or ".").expanduser().resolve().parent
        key, _ = load_or_create_data_key(configured_key, url, data_dir)
    except DataKeyError as exc:
        print(f"cannot migrate: {exc}")
        return 2

    async def run() -> tuple[str | None, str | None]:
        engine = create_engine(url)
        try:
            before = await schema_revision(engine)
            await migrate(engine, DataCipher(key))
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
