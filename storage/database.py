"""The database handle: engine, transactions, migrations at start, the clock, the cipher, and the repositories.

Everything specific to one database dialect lives here (SQLite's pragmas, its BEGIN, and its one-statement reads);
the repositories only ever use :meth:`Database.reading`, :meth:`Database.fetch_all` and :meth:`Database.writing`.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import logging
import weakref
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy import Select, event, text
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from storage.cache import LocalSettingsCache, SettingsCache
from storage.crypto import DataCipher

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a migration has to run: it pulls in every dialect it supports (about a fifth of a
# second), and a database already at the newest migration needs none of it.

Clock = Callable[[], datetime]
MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/fourth-pillar.db"
# An execution option marking a connection that will write: SQLite then takes the write lock up front.
_WRITES = "fourth_pillar_writes"
SQLITE_BUSY_TIMEOUT_MS = 5000
log = logging.getLogger("fourth_pillar.storage")
P = ParamSpec("P")
R = TypeVar("R")


class ForgottenMeanwhile(Exception):
    """The person asked to be forgotten after this write began: it was not made (forget wins)."""


class StorageBusy(Exception):
    """The database stayed locked by other writers through the busy timeout, twice: nothing was written."""


def _locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def retry_once_when_locked(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """A write that found the database locked (after waiting the busy timeout) runs once more; locked again, it
    raises :class:`StorageBusy` so the caller can say "try again". The write is one transaction, so a failed attempt
    left nothing behind."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except OperationalError as exc:
            if not _locked(exc):
                raise
        log.warning("database locked: retrying a write once")
        try:
            return await method(*args, **kwargs)
        except OperationalError as exc:
            if not _locked(exc):
                raise
            raise StorageBusy() from None

    return wrapper


def utc_now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, ConnectionPoolEntry], None]:
    def on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        """WAL so readers never block the writer; secure_delete so deleted rows leave no bytes behind; foreign
        keys; a busy timeout so a second writer waits instead of failing."""
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "secure_delete=ON",
            "foreign_keys=ON",
            f"busy_timeout={int(busy_timeout_ms)}",
            "synchronous=NORMAL",  # durable across process crashes in WAL mode; only a power cut may lose the last commit
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Connection) -> None:
    """The driver's own transaction handling is switched off (it skips BEGIN before SELECT and DDL); we emit BEGIN.

    A writing transaction begins IMMEDIATE: it takes the write lock first, waiting up to the busy timeout, so a
    read-then-write (old value for the audit, count for the cap) can never be invalidated by another writer.
    """
    writes = connection.get_execution_options().get(_WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_engine(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> AsyncEngine:
    """An engine for ``url``; for a SQLite file, its directory is created on first start."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"isolation_level": None})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas(busy_timeout_ms))
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def alembic_config(connection: Connection | None = None, cipher: DataCipher | None = None) -> Config:
    """Alembic's configuration, built in code: no alembic.ini is needed at run time. ``cipher``: for migrations
    that encrypt existing rows."""
    from alembic.config import Config  # noqa: PLC0415 - see the note on imports above

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["cipher"] = cipher
    return config


def _writer(engine: AsyncEngine) -> AsyncEngine:
    return engine.execution_options(**{_WRITES: True})


async def schema_revision(engine: AsyncEngine) -> str | None:
    """The migration the database is at (None for an empty database)."""

    def current(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 - see the note on imports above

        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(current)


def head_revisions(versions: Path = MIGRATIONS / "versions") -> frozenset[str]:
    """The newest migrations: those no other migration revises (read from the migration files' assignments)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in versions.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            name = node.targets[0].id
            if name not in ("revision", "down_revision"):
                continue  # other assignments (a table made with sa.table(...)) need not be literals
            value = ast.literal_eval(node.value)
            if name == "revision":
                revisions.add(value)
            elif name == "down_revision" and value is not None:
                revised.update([value] if isinstance(value, str) else value)
    return frozenset(revisions - revised)


async def at_newest_migration(engine: AsyncEngine) -> bool:
    """Whether the database already records the newest migration(s), read with plain SQL (no alembic)."""
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current = {row[0] for row in rows}
    except DBAPIError:  # no alembic_version table yet: a new database
        return False
    return bool(current) and current == head_revisions()


async def migrate(engine: AsyncEngine, cipher: DataCipher | None = None) -> None:
    """Bring the schema up to the newest migration, in one transaction (two processes starting at once take turns:
    the second finds the schema already current). A database already there is only read. ``cipher``: the data key,
    for migrations that encrypt rows already stored (they refuse to run on stored rows without it)."""
    if await at_newest_migration(engine):
        return

    def upgrade(connection: Connection) -> None:
        from alembic import command  # noqa: PLC0415 - see the note on imports above

        command.upgrade(alembic_config(connection, cipher), "head")

    async with _writer(engine).begin() as connection:
        await connection.run_sync(upgrade)


class SqliteReader:
    """A connection of the SQLite driver's own, for reads of one statement (a person's or a server's settings, read
    once per process and then cached): the whole read is one hand-off to the driver's thread. Through the pool, the
    same read takes eight (check out, BEGIN, a cursor, execute, fetch, close, a cursor for BEGIN's, ROLLBACK),
    each a thread wake-up on both sides, which cost more than the command it served. In autocommit, each
    statement reads the last committed data, so a reader never sees less than a write this process committed; the
    connection is read-only (``query_only``) and opened on first use."""

    def __init__(self, path: str, busy_timeout_ms: int, dialect: Dialect) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.dialect = dialect
        self._connection: Any = None
        self._opening = asyncio.Lock()
        self._compiled: dict[Any, tuple[str, tuple[str, ...]]] = {}

    async def fetch_all(self, query: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        found = self._compiled.get(query)
        if found is None:
            compiled = query.compile(dialect=self.dialect)
            found = self._compiled[query] = (compiled.string, tuple(compiled.positiontup or ()))
        sql, names = found
        connection = self._connection or await self._open()
        rows = await connection.execute_fetchall(sql, [params[name] for name in names])
        return [tuple(row) for row in rows]

    async def _open(self) -> Any:
        import aiosqlite  # noqa: PLC0415 - only SQLite databases use it

        async with self._opening:
            if self._connection is None:
                connection = await aiosqlite.connect(self.path, isolation_level=None)
                try:
                    await connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
                    await connection.execute("PRAGMA query_only=ON")
                except BaseException:
                    await connection.close()
                    raise
                self._connection = connection
        return self._connection

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()


def sqlite_reader(engine: AsyncEngine, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> SqliteReader | None:
    """A :class:`SqliteReader` for an engine on a SQLite file; None for another database, or one in memory (which a
    second connection would not see)."""
    url = engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return SqliteReader(str(Path(database).expanduser()), busy_timeout_ms, engine.dialect)


class Database:
    """One per process; created by :func:`open_database` and passed to whatever needs storage.

    Repositories: ``server_settings``, ``personal_defaults``, ``saved_offers``, ``privacy``. Settings are read
    through ``settings_cache`` (see storage/cache.py), which every settings write in this process invalidates.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        cipher: DataCipher,
        clock: Clock = utc_now,
        settings_cache: SettingsCache | None = None,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    ) -> None:
        from storage.offers import SavedOffers  # noqa: PLC0415 - the repositories import this module's types
        from storage.privacy import Privacy  # noqa: PLC0415
        from storage.settings import PersonalDefaults, ServerSettings  # noqa: PLC0415

        self.engine = engine
        self._write_engine = _writer(engine)
        self.cipher = cipher
        self.clock = clock
        self.settings_cache: SettingsCache = settings_cache if settings_cache is not None else LocalSettingsCache()
        self._reader = sqlite_reader(engine, busy_timeout_ms)
        self.server_settings = ServerSettings(self)
        self.personal_defaults = PersonalDefaults(self)
        self.saved_offers = SavedOffers(self)
        self.privacy = Privacy(self)
        # Per person: a lock that orders their saves and their forget-me, and how many forget-mes there were.
        self._person_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._forgets: dict[int, int] = {}

    def person_lock(self, user_id: int) -> asyncio.Lock:
        """The lock a person's saves and forget-me take in turn (in this process; one process serves a person's
        interactions, since Discord delivers each interaction once)."""
        lock = self._person_locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._person_locks[user_id] = lock
        return lock

    def forget_count(self, user_id: int) -> int:
        """A mark to take when a write for the person begins: if it has changed when the write is made, the person
        asked to be forgotten in between, and the write is dropped (see :class:`ForgottenMeanwhile`)."""
        return self._forgets.get(user_id, 0)

    def count_forget(self, user_id: int) -> None:
        self._forgets[user_id] = self._forgets.get(user_id, 0) + 1

    def reading(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for reads: one consistent snapshot, never blocking a writer."""
        return self.engine.connect()

    async def fetch_all(self, query: Select[Any], /, **params: Any) -> list[tuple[Any, ...]]:
        """The rows of one SELECT whose values are bound by name (``bindparam("user_id")``), as tuples: on a SQLite
        file through :class:`SqliteReader` (one hand-off to the driver's thread), elsewhere through the pool. For
        reads of one statement on hot paths; values come back as the driver gives them (text, integers, bytes)."""
        if self._reader is not None:
            return await self._reader.fetch_all(query, params)
        async with self.reading() as connection:
            return [tuple(row) for row in await connection.execute(query, params)]

    def writing(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A transaction that commits on success and rolls back on any error (or leaves the old data if the
        process dies first). For the repositories: don't call a repository method inside one, since on SQLite it
        would wait for the write lock this transaction holds."""
        return self._write_engine.begin()

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the clock must return an aware UTC datetime")
        return moment.astimezone(UTC)

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
        await self.engine.dispose()


async def open_database(
    url: str,
    *,
    data_key: str,
    old_data_keys: Sequence[str] = (),
    clock: Clock = utc_now,
    migrate_schema: bool = True,
    settings_cache: SettingsCache | None = None,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
) -> Database:
    """Connect, apply migrations, and return the handle. ``busy_timeout_ms``: how long a write waits for another
    writer's lock (SQLite) before it is retried once and then refused with :class:`StorageBusy`.

    ``old_data_keys``: keys that were replaced, still accepted for reading until
    :meth:`~storage.offers.SavedOffers.rotate_data_key` has re-encrypted everything with ``data_key``.
    """
    cipher = DataCipher(data_key, *old_data_keys)
    engine = create_engine(url, busy_timeout_ms)
    try:
        if migrate_schema:
            await migrate(engine, cipher)
    except BaseException:
        await engine.dispose()
        raise
    return Database(engine, cipher, clock, settings_cache, busy_timeout_ms)
