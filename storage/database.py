"""The database handle: engine, migrations at start, the clock, the cipher, and the repositories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.crypto import DataCipher

Clock = Callable[[], datetime]
MIGRATIONS = Path(__file__).with_name("migrations")


def utc_now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite only: WAL for concurrent readers, secure_delete so removed offers leave no bytes behind, foreign keys,
    and a busy timeout so two writers wait instead of failing."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "secure_delete=ON",
        "foreign_keys=ON",
        "busy_timeout=5000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (in one transaction)."""

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)


class Database:
    """One per process; created by :func:`open_database` and passed to whatever needs storage."""

    def __init__(self, engine: AsyncEngine, cipher: DataCipher, clock: Clock = utc_now) -> None:
        from storage.offers import SavedOffers  # noqa: PLC0415 - the repositories import this module's types
        from storage.privacy import Privacy  # noqa: PLC0415
        from storage.settings import PersonalDefaults, ServerSettings  # noqa: PLC0415

        self.engine = engine
        self.cipher = cipher
        self.clock = clock
        self.server_settings = ServerSettings(self)
        self.personal_defaults = PersonalDefaults(self)
        self.saved_offers = SavedOffers(self)
        self.privacy = Privacy(self)

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the clock must return an aware UTC datetime")
        return moment.astimezone(UTC)

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str, *, data_key: str, clock: Clock = utc_now, migrate_schema: bool = True) -> Database:
    """Connect, apply migrations, and return the handle."""
    engine = create_engine(url)
    if migrate_schema:
        await migrate(engine)
    return Database(engine, DataCipher(data_key), clock)
