"""A cache of people's and servers' stored settings, so an interaction reads them from the database at most once.

Every write of settings in this process invalidates the entry it changed (after its transaction committed), so a
reader in this process never sees an older value than one it wrote. :class:`SettingsCache` is the interface: a
deployment where several processes share one database replaces :class:`LocalSettingsCache` with one that also
hears other processes' writes (a notification channel, or a version column read with each entry); until then one
process per database is what this cache is correct for.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from valuation import Layer

Owner = Literal["user", "guild"]
SettingsKey = tuple[Owner, int]
DEFAULT_CAPACITY = 20_000  # people and servers; an entry is a few hundred bytes


@dataclass(frozen=True, slots=True)
class CachedSettings:
    """One owner's stored settings (name → normalised text, read-only) and the assumption layer they make (None when
    none of them is an assumption), built once per read rather than once per valuation."""

    values: Mapping[str, str]
    layer: Layer | None


@dataclass(frozen=True, slots=True)
class ReadTicket:
    """Taken before a database read; a put with a ticket older than an invalidation of the key is ignored (the read
    may have seen the data from before that write)."""

    key: SettingsKey
    epoch: int


class SettingsCache(Protocol):
    """Stored settings (name → normalised text) by owner."""

    def get(self, key: SettingsKey) -> CachedSettings | None:
        """The cached entry, or None if it must be read from the database."""
        ...

    def ticket(self, key: SettingsKey) -> ReadTicket:
        """Call before reading ``key`` from the database; pass the ticket to :meth:`put`."""
        ...

    def put(self, ticket: ReadTicket, entry: CachedSettings) -> None:
        """Remember what the read found, unless ``key`` was written since the ticket was taken."""
        ...

    def invalidate(self, key: SettingsKey) -> None:
        """``key``'s settings were written (call after the write committed)."""
        ...


class LocalSettingsCache:
    """In-process, least recently used entries dropped beyond ``capacity``."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[SettingsKey, CachedSettings] = OrderedDict()
        # Counts invalidations: a read that began before one may not fill the cache (a single counter rather than
        # one per key, so nothing grows with the number of keys ever written; writes are rare).
        self._epoch = 0

    def get(self, key: SettingsKey) -> CachedSettings | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def ticket(self, key: SettingsKey) -> ReadTicket:
        return ReadTicket(key, self._epoch)

    def put(self, ticket: ReadTicket, entry: CachedSettings) -> None:
        if ticket.epoch != self._epoch:
            return
        self._entries[ticket.key] = entry
        self._entries.move_to_end(ticket.key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def invalidate(self, key: SettingsKey) -> None:
        self._epoch += 1
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
