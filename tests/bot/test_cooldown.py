"""The per-person cooldown: its limit per person, its window, and buckets that go once their window is over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from discord import app_commands

from bot.cooldown import PerUserCooldown


@dataclass
class User:
    id: int


@dataclass
class Interaction:
    """The two things the cooldown reads from an interaction."""

    user: User
    created_at: datetime


def use(cooldown: PerUserCooldown, user_id: int, at: float) -> None:
    interaction: Any = Interaction(User(user_id), datetime.fromtimestamp(at, UTC))
    cooldown.check(interaction)


def test_each_person_has_their_own_limit() -> None:
    """Two uses per 30 s: the third use within the window is refused with the time left, another person is not."""
    cooldown = PerUserCooldown(lambda _: (2, 30.0))
    use(cooldown, 1, 1000.0)
    use(cooldown, 1, 1001.0)
    with pytest.raises(app_commands.CommandOnCooldown) as refused:
        use(cooldown, 1, 1010.0)
    # The window opened at 1000 s and lasts 30 s: 1030 − 1010 = 20 s left.
    assert refused.value.retry_after == pytest.approx(20.0)
    use(cooldown, 2, 1010.0)


def test_a_new_window_opens_after_the_last() -> None:
    """Once the window has passed the person may use the command again."""
    cooldown = PerUserCooldown(lambda _: (1, 30.0))
    use(cooldown, 1, 1000.0)
    with pytest.raises(app_commands.CommandOnCooldown):
        use(cooldown, 1, 1029.0)  # still inside the window
    use(cooldown, 1, 1030.5)


def test_idle_people_are_dropped_without_a_sweep() -> None:
    """Buckets whose window is over go as later uses arrive: a thousand people once, then one more person an hour
    later, leaves one bucket."""
    cooldown = PerUserCooldown(lambda _: (5, 30.0))
    for person in range(1000):
        use(cooldown, person, 1000.0 + person / 100)
    assert len(cooldown) == 1000
    use(cooldown, 5000, 4600.0)
    assert len(cooldown) == 1


def test_a_person_using_it_again_stays_while_others_expire() -> None:
    """A bucket used recently is kept even when an older one, used before it, has expired."""
    cooldown = PerUserCooldown(lambda _: (5, 30.0))
    use(cooldown, 1, 1000.0)
    use(cooldown, 2, 1010.0)
    use(cooldown, 1, 1020.0)  # 1 is now the most recent
    use(cooldown, 3, 1045.0)  # 2 (last used 1010) expired at 1040; 1 (last used 1020) lives until 1050
    assert len(cooldown) == 3 - 1
