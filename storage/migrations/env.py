"""Alembic environment.

At run time the caller passes a connection (``storage.database.migrate``: at start and by ``fourth-pillar migrate``).
For writing a new migration, the alembic command works too, on ``DATABASE_URL`` through an async engine:
``DATABASE_URL=sqlite+aiosqlite:///scratch.db alembic -c storage/alembic.ini revision --autogenerate -m "..."``.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.database import DEFAULT_DATABASE_URL, create_engine
from storage.tables import metadata


def run_on(connection: Connection) -> None:
    # render_as_batch: SQLite alters tables by copying them; other databases get plain ALTERs.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    return context.config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


async def run_on_database_url() -> None:
    engine = create_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_on)
            await connection.commit()
    finally:
        await engine.dispose()


given: Connection | None = context.config.attributes.get("connection")
if given is not None:
    run_on(given)
elif context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_on_database_url())
