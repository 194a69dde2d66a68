"""What the buttons under a breakdown need to answer a press: the offer's plain inputs, the locale and the assumption
layers it was valued with (about a kilobyte), keyed by the id of the interaction whose reply carries the buttons
(Discord names it in every press, as the message's ``interaction_metadata``; known before the reply is sent, so the
entry is there before anyone can press).

A press recomputes the valuation from these (well under a millisecond), so nothing else — not the valuation, not
the interaction — is kept per reply. The store is bounded in entries, in bytes and in time; a press on a message
whose entry is gone (expired, evicted, or the process restarted) gets the "expired" notice. :class:`ButtonStore`
is the interface: a deployment with several processes can keep entries in the database instead (the offer is
already JSON; the layers would be stored as the settings text they were built from).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from valuation import Layer

RESULT_TTL_SECONDS = 14 * 60
RESULT_MAX_ENTRIES = 20_000
RESULT_MAX_BYTES = 32 * 1024 * 1024  # offer JSON, summed: a 64 KB offer file cannot crowd out everyone else alone
ENTRY_OVERHEAD_BYTES = 300  # the entry and its bookkeeping, beside the offer's JSON


@dataclass(frozen=True, slots=True)
class ResultState:
    """One breakdown's buttons: whose they are, and what recomputes the valuation behind them."""

    owner_id: int
    locale: str
    offer_json: bytes
    layers: Sequence[Layer]
    # False when the figures are someone else's (read from a message they posted): Share must never post them,
    # whatever press arrives.
    shareable: bool = True

    @property
    def size(self) -> int:
        return len(self.offer_json) + ENTRY_OVERHEAD_BYTES


class ButtonStore(Protocol):
    def put(self, key: int, state: ResultState) -> None: ...

    def get(self, key: int) -> ResultState | None:
        """The state behind the buttons of ``key``'s reply, or None when it expired or was never kept here."""
        ...

    def claim_share(self, key: int) -> bool:
        """True the first time only: one public copy per result, however fast Share is pressed twice."""
        ...


class MemoryButtonStore:
    """In this process's memory: oldest entries go first when a cap is reached."""

    def __init__(
        self,
        *,
        ttl: float = RESULT_TTL_SECONDS,
        max_entries: int = RESULT_MAX_ENTRIES,
        max_bytes: int = RESULT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._entries: OrderedDict[int, tuple[float, ResultState]] = OrderedDict()
        self._shared: set[int] = set()
        self.bytes = 0

    def put(self, key: int, state: ResultState) -> None:
        shared = key in self._shared  # a what-if replaces the state of a result that may have been shared already
        self._drop(key)
        self._entries[key] = (self.clock(), state)
        self.bytes += state.size
        if shared:
            self._shared.add(key)
        self._expire()
        while self._entries and (len(self._entries) > self.max_entries or self.bytes > self.max_bytes):
            self._drop(next(iter(self._entries)))

    def get(self, key: int) -> ResultState | None:
        self._expire()
        entry = self._entries.get(key)
        return entry[1] if entry is not None else None

    def claim_share(self, key: int) -> bool:
        if key not in self._entries or key in self._shared:
            return False
        self._shared.add(key)
        return True

    def __len__(self) -> int:
        return len(self._entries)

    def _expire(self) -> None:
        """Entries are in insertion order, so the expired ones are at the front."""
        cutoff = self.clock() - self.ttl
        while self._entries:
            oldest = next(iter(self._entries))
            if self._entries[oldest][0] > cutoff:
                break
            self._drop(oldest)

    def _drop(self, key: int) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry[1].size
        self._shared.discard(key)
