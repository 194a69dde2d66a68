"""The in-memory memory of each person's last evaluated offer, and where the bot's data key comes from."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.app import data_key_for
from bot.recent import RecentOffers
from storage.crypto import DataKeyError
from tests.bot.conftest import make_settings


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_recent_offer_is_kept_per_person_until_it_expires() -> None:
    """Each person gets back only their own last offer, and nothing once the time-to-live has passed."""
    clock = FakeClock()
    recent = RecentOffers(ttl=60, capacity=10, clock=clock)
    recent.remember(1, {"employer": "A"})
    recent.remember(2, {"employer": "B"})
    recent.remember(1, {"employer": "A2"})
    assert recent.last(1) == {"employer": "A2"} and recent.last(2) == {"employer": "B"}
    assert recent.last(3) is None
    clock.now += 61
    assert recent.last(1) is None and recent.last(2) is None


def test_recent_offers_drop_the_least_recently_evaluated_beyond_capacity() -> None:
    """The memory is bounded: past its capacity the person who evaluated longest ago is forgotten first."""
    recent = RecentOffers(ttl=60, capacity=2, clock=FakeClock())
    recent.remember(1, {"n": 1})
    recent.remember(2, {"n": 2})
    recent.remember(1, {"n": 11})  # 1 is now the most recent
    recent.remember(3, {"n": 3})
    assert recent.last(2) is None and recent.last(1) == {"n": 11} and recent.last(3) == {"n": 3}


def test_forget_removes_a_persons_recent_offer() -> None:
    """Forget me also clears the offer kept in memory."""
    recent = RecentOffers(clock=FakeClock())
    recent.remember(7, {"n": 7})
    recent.forget(7)
    recent.forget(8)  # nobody there: no error
    assert recent.last(7) is None


def test_sqlite_data_key_is_generated_beside_the_database_once(tmp_path: Path) -> None:
    """Without DATA_KEY a SQLite database gets a private key file in its own folder, reused at the next start."""
    settings = make_settings(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db' / 'fp.db'}")
    key, generated = data_key_for(settings)
    again, generated_again = data_key_for(settings)
    key_files = list((tmp_path / "db").iterdir())
    assert generated and not generated_again and key == again
    assert len(key_files) == 1 and stat.S_IMODE(key_files[0].stat().st_mode) == 0o600


def test_configured_data_key_wins_and_other_databases_require_one(tmp_path: Path) -> None:
    """DATA_KEY is used as given; a non-SQLite database without it is refused rather than given a local key."""
    url = "postgresql+asyncpg://fp@db.internal/fp"
    assert data_key_for(make_settings(DATABASE_URL=url, DATA_KEY="configured")) == ("configured", False)
    with pytest.raises(DataKeyError, match="DATA_KEY"):
        data_key_for(make_settings(DATABASE_URL=url))
