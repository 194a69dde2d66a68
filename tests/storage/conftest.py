"""Storage tests run against a real SQLite file in a temporary directory (no in-memory shortcut)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from storage import Database, open_database

KEY = "test-data-key-one"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def database_files(url: str) -> bytes:
    """Every byte SQLite keeps for the database at ``url``: the file, its WAL and shared-memory index."""
    path = Path(url.split("///", 1)[1])
    return b"".join(part.read_bytes() for part in sorted(path.parent.glob(path.name + "*")))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'fp.db'}"


@pytest_asyncio.fixture
async def db(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    database = await open_database(db_url, data_key=KEY, clock=clock)
    yield database
    await database.close()
