"""``migrate``: bring the database schema up to date (the bot also does this at every start)."""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/fourth-pillar.db"


def register(subparsers: Any) -> None:
    migrate = subparsers.add_parser(
        "migrate", help="apply database migrations (DATABASE_URL, default SQLite in ./data)"
    )
    migrate.add_argument("--database-url", default=None, help="overrides DATABASE_URL")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    from storage.database import create_engine, migrate  # noqa: PLC0415 - keep the offline CLI light

    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL

    async def run() -> None:
        engine = create_engine(url)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    print("Database schema is up to date.")
    return 0
