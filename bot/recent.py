"""Each person's most recently evaluated offer, briefly, so ``/offer save`` can save it without a re-upload.

In memory only, bounded in size and time: nothing of it reaches the database unless the person saves it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

RECENT_TTL_SECONDS = 15 * 60
RECENT_MAX_PEOPLE = 1000


class RecentOffers:
    def __init__(
        self,
        ttl: float = RECENT_TTL_SECONDS,
        capacity: int = RECENT_MAX_PEOPLE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self.clock = clock
        self._entries: OrderedDict[int, tuple[float, dict[str, Any]]] = OrderedDict()

    def remember(self, user_id: int, data: dict[str, Any]) -> None:
        self._entries.pop(user_id, None)
        self._entries[user_id] = (self.clock(), data)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def last(self, user_id: int) -> dict[str, Any] | None:
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        stamp, data = entry
        if self.clock() - stamp > self.ttl:
            del self._entries[user_id]
            return None
        return data

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)
