"""A database locked by another writer: a write waits the busy timeout, is retried once, and only then is refused
with StorageBusy (nothing written); a lock released in between lets the retry through."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from storage import Database, StorageBusy, open_database
from tests.storage.conftest import KEY, FakeClock

pytestmark = pytest.mark.asyncio
USER = 42


def file_of(url: str) -> Path:
    return Path(url.split("///", 1)[1])


@pytest_asyncio.fixture
async def impatient(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    """A database whose writes wait only 20 ms for another writer's lock."""
    database = await open_database(db_url, data_key=KEY, clock=clock, busy_timeout_ms=20)
    yield database
    await database.close()


@pytest.fixture
def other_writer(impatient: Database, db_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's connection holding SQLite's write lock until the test releases it."""
    conn = sqlite3.connect(file_of(db_url), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


class ReleaseOnRetry(logging.Handler):
    """Lets the other writer go the moment the first attempt has failed and the retry is announced."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retrying a write once" in record.getMessage():
            self.retries += 1
            self.conn.execute("ROLLBACK")


async def test_a_lock_held_throughout_is_refused_as_busy(impatient: Database, other_writer: sqlite3.Connection) -> None:
    """Locked through both attempts: StorageBusy, and the default was not saved."""
    with pytest.raises(StorageBusy):
        await impatient.personal_defaults.set(USER, "utilization", "50%")
    other_writer.execute("ROLLBACK")
    assert await impatient.personal_defaults.stored(USER) == {}


async def test_every_write_kind_is_refused_as_busy(impatient: Database, other_writer: sqlite3.Connection) -> None:
    """Server settings, saved offers and forget-me raise StorageBusy too, not the driver's OperationalError."""
    with pytest.raises(StorageBusy):
        await impatient.server_settings.set(7, USER, "utilization", "50%")
    with pytest.raises(StorageBusy):
        await impatient.saved_offers.save(USER, "acme", {"salary": {"base": "100k"}}, "r1")
    with pytest.raises(StorageBusy):
        await impatient.privacy.forget(USER)


async def test_a_lock_released_before_the_retry_lets_the_write_through(
    impatient: Database, other_writer: sqlite3.Connection
) -> None:
    """The first attempt fails on the lock; the other writer finishes; the one retry saves the default."""
    handler = ReleaseOnRetry(other_writer)
    logger = logging.getLogger("fourth_pillar.storage")
    logger.addHandler(handler)
    try:
        saved = await impatient.personal_defaults.set(USER, "utilization", "50%")
    finally:
        logger.removeHandler(handler)
    assert handler.retries == 1
    assert saved.value == "0.5" and await impatient.personal_defaults.stored(USER) == {"utilization": "0.5"}
