"""Saved offers: opt-in, per user, encrypted (contents and names), expiring after the person's retention period."""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from storage.database import ForgottenMeanwhile, retry_once_when_locked
from storage.tables import personal_defaults, saved_offers, user_preferences
from valuation import OfferError
from valuation.errors import Reason

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from storage.database import Database

MAX_OFFERS_PER_USER = 25
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 365
MAX_NAME_LENGTH = 60


@dataclass(frozen=True, slots=True)
class SavedOfferSummary:
    name: str
    created_at: datetime
    expires_at: datetime
    registry_version: str


@dataclass(frozen=True, slots=True)
class SavedOffer:
    name: str
    data: dict[str, Any]  # the offer as plain data (what an offer file parses to)
    created_at: datetime
    expires_at: datetime
    registry_version: str
    size: int = 0  # bytes of the offer's JSON: small offers are compared on the event loop (bot.cpu)


Lookup = list[SavedOffer | None]  # for each name asked, its offer or None (SavedOffers has a method named list)


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One saved offer as stored: its name and contents still encrypted."""

    id: int
    name_hash: str
    name_token: bytes
    offer_token: bytes
    created_at: datetime
    expires_at: datetime
    registry_version: str

    @property
    def size(self) -> int:
        return len(self.name_token) + len(self.offer_token) + len(self.name_hash) + ROW_OVERHEAD_BYTES


ROW_OVERHEAD_BYTES = 200
ROWS_CACHE_PEOPLE = 2_000
ROWS_CACHE_BYTES = 16 * 1024 * 1024  # a person's 25 offers of 64 KB each could fill 2 MB; most offers are under 1 KB


class StoredRowsCache:
    """Each person's saved offers as stored (names and contents still encrypted, as on disk), so that the offers a
    person names again (autocomplete, compare, advise) cost no database read: through aiosqlite a read is eight
    hand-offs to its thread and back, more CPU than comparing two offers.

    Every write to a person's saved offers in this process drops their entry once it is done, and a read that began
    before a write does not fill the cache (one counter of writes, as in storage/cache.py). Expiry is checked on
    every use against the clock. Bounded in people and bytes; the least recently used go first. Like the settings
    cache, it is correct for one process per database: several processes sharing one would need to hear each other's
    writes (storage/cache.py says how).
    """

    def __init__(self, *, max_people: int = ROWS_CACHE_PEOPLE, max_bytes: int = ROWS_CACHE_BYTES) -> None:
        self.max_people = max_people
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[int, tuple[StoredRow, ...]] = OrderedDict()
        self._epoch = 0

    def get(self, user_id: int) -> tuple[StoredRow, ...] | None:
        rows = self._entries.get(user_id)
        if rows is not None:
            self._entries.move_to_end(user_id)
        return rows

    def ticket(self) -> int:
        """Take before reading from the database; pass to :meth:`put`."""
        return self._epoch

    def put(self, ticket: int, user_id: int, rows: tuple[StoredRow, ...]) -> None:
        if ticket != self._epoch:
            return  # a write happened during the read: what it found may be older than that write
        self.drop(user_id)
        self._entries[user_id] = rows
        self.bytes += sum(row.size for row in rows)
        while self._entries and (len(self._entries) > self.max_people or self.bytes > self.max_bytes):
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= sum(row.size for row in dropped)

    def drop(self, user_id: int) -> None:
        rows = self._entries.pop(user_id, None)
        if rows is not None:
            self.bytes -= sum(row.size for row in rows)

    def invalidate(self, user_id: int | None = None) -> None:
        """The person's saved offers (everyone's, with None) were written: call once the write is done."""
        self._epoch += 1
        if user_id is None:
            self._entries.clear()
            self.bytes = 0
        else:
            self.drop(user_id)

    def __len__(self) -> int:
        return len(self._entries)


# Built once: a person's rows are read with the same statement every time, only the id changes.
_ROWS_OF = select(
    saved_offers.c.id,
    saved_offers.c.name_hash,
    saved_offers.c.name_token,
    saved_offers.c.offer_token,
    saved_offers.c.created_at,
    saved_offers.c.expires_at,
    saved_offers.c.registry_version,
).where(saved_offers.c.user_id == bindparam("user_id"))


class SavedOffers:
    """Every method takes the owner's user id: no row is reachable without it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache = StoredRowsCache()

    @contextlib.asynccontextmanager
    async def _writing(self, user_id: int | None) -> AsyncIterator[AsyncConnection]:
        """A write transaction on saved offers; once it is done (committed or not) the person's cached rows, or
        everyone's with None, are dropped."""
        try:
            async with self.db.writing() as conn:
                yield conn
        finally:
            self.cache.invalidate(user_id)

    async def _rows(self, user_id: int) -> tuple[StoredRow, ...]:
        """The person's saved offers as stored, expired ones included (each use checks expiry)."""
        rows = self.cache.get(user_id)
        if rows is None:
            ticket = self.cache.ticket()
            async with self.db.reading() as conn:
                rows = tuple(StoredRow(*row) for row in await conn.execute(_ROWS_OF, {"user_id": user_id}))
            self.cache.put(ticket, user_id, rows)
        return rows

    async def retention_days(self, user_id: int) -> int:
        async with self.db.reading() as conn:
            days = (
                await conn.execute(
                    select(user_preferences.c.retention_days).where(user_preferences.c.user_id == user_id)
                )
            ).scalar_one_or_none()
        return days if days is not None else DEFAULT_RETENTION_DAYS

    @retry_once_when_locked
    async def set_retention_days(self, user_id: int, days: int) -> None:
        """Applies to offers saved from now on, and moves the expiry of those already saved."""
        if not 1 <= days <= MAX_RETENTION_DAYS:
            raise OfferError.single("retention_days", str(days), Reason.OUT_OF_RANGE, "30", f"1–{MAX_RETENTION_DAYS}")
        async with self._writing(user_id) as conn:
            changed = await conn.execute(
                update(user_preferences).where(user_preferences.c.user_id == user_id).values(retention_days=days)
            )
            if changed.rowcount == 0:
                await conn.execute(insert(user_preferences).values(user_id=user_id, retention_days=days))
            rows = await conn.execute(
                select(saved_offers.c.id, saved_offers.c.created_at).where(saved_offers.c.user_id == user_id)
            )
            # Row by row: date arithmetic in SQL differs between databases.
            for row_id, created_at in list(rows):
                await conn.execute(
                    update(saved_offers)
                    .where(saved_offers.c.user_id == user_id, saved_offers.c.id == row_id)
                    .values(expires_at=created_at + timedelta(days=days))
                )

    @retry_once_when_locked
    async def save(
        self,
        user_id: int,
        name: str,
        data: Mapping[str, Any],
        registry_version: str,
        *,
        begun: int | None = None,
    ) -> SavedOfferSummary:
        """Save (or replace, under the same name) one offer. ``data``: the JSON-ready plain data the offer
        was built from (what an offer file parses to; ``Offer.model_dump`` does not round-trip). Refused with OfferError past the cap or for a bad name.

        ``begun``: :meth:`Database.forget_count` when the save began (before reading the offer); if the person asked
        to be forgotten since, nothing is stored and :class:`ForgottenMeanwhile` is raised."""
        async with self.db.person_lock(user_id):
            if begun is not None and self.db.forget_count(user_id) != begun:
                raise ForgottenMeanwhile()
            return await self._save(user_id, name, data, registry_version)

    async def _save(self, user_id: int, name: str, data: Mapping[str, Any], registry_version: str) -> SavedOfferSummary:
        clean = " ".join(name.split())
        if not clean or len(clean) > MAX_NAME_LENGTH:
            raise OfferError.single(
                "name", name, Reason.TOO_LONG if clean else Reason.MISSING, '"acme"', str(MAX_NAME_LENGTH)
            )
        cipher = self.db.cipher
        name_hashes = cipher.name_hashes(user_id, clean)
        now = self.db.now()
        values = {
            "name_hash": name_hashes[0],
            "name_token": cipher.encrypt(clean.encode()),
            "offer_token": cipher.encrypt(json.dumps(dict(data), sort_keys=True, separators=(",", ":")).encode()),
            "registry_version": registry_version,
            "created_at": now,
        }
        async with self._writing(user_id) as conn:
            days = (
                await conn.execute(
                    select(user_preferences.c.retention_days).where(user_preferences.c.user_id == user_id)
                )
            ).scalar_one_or_none()
            expires = now + timedelta(days=days or DEFAULT_RETENTION_DAYS)
            changed = await conn.execute(
                update(saved_offers)
                .where(saved_offers.c.user_id == user_id, saved_offers.c.name_hash.in_(name_hashes))
                .values(expires_at=expires, **values)
            )
            if changed.rowcount == 0:
                count = (
                    await conn.execute(
                        select(func.count()).select_from(saved_offers).where(saved_offers.c.user_id == user_id)
                    )
                ).scalar_one()
                if count >= MAX_OFFERS_PER_USER:
                    raise OfferError.single(
                        "name", clean, Reason.TOO_MANY, "delete one with /offer delete", str(MAX_OFFERS_PER_USER)
                    )
                await conn.execute(insert(saved_offers).values(user_id=user_id, expires_at=expires, **values))
        return SavedOfferSummary(clean, now, expires, registry_version)

    async def list(self, user_id: int) -> list[SavedOfferSummary]:
        """The person's unexpired offers, oldest first, names decrypted."""
        now = self.db.now()
        summaries = [
            SavedOfferSummary(
                self.db.cipher.decrypt(row.name_token).decode(), row.created_at, row.expires_at, row.registry_version
            )
            for row in await self._rows(user_id)
            if row.expires_at > now
        ]
        return sorted(summaries, key=lambda s: (s.created_at, s.name))

    async def get(self, user_id: int, name: str) -> SavedOffer | None:
        """One of the person's unexpired offers by name (any case or spacing), or None."""
        return (await self.get_many(user_id, [name]))[0]

    async def get_many(self, user_id: int, names: Sequence[str]) -> Lookup:
        """Several of the person's unexpired offers by name (any case or spacing), in one read: for each name, its
        offer or None."""
        cipher = self.db.cipher
        wanted = [cipher.name_hashes(user_id, name) for name in names]
        now = self.db.now()
        by_hash = {row.name_hash: row for row in await self._rows(user_id) if row.expires_at > now}
        opened: dict[int, SavedOffer] = {}  # a name given twice is decrypted once
        found: Lookup = []
        for hashes in wanted:
            row = next((by_hash[h] for h in hashes if h in by_hash), None)  # current key first
            if row is not None and row.id not in opened:
                opened[row.id] = self._opened(row)
            found.append(None if row is None else opened[row.id])
        return found

    def _opened(self, row: StoredRow) -> SavedOffer:
        cipher = self.db.cipher
        offer_json = cipher.decrypt(row.offer_token)
        return SavedOffer(
            name=cipher.decrypt(row.name_token).decode(),
            data=json.loads(offer_json),
            created_at=row.created_at,
            expires_at=row.expires_at,
            registry_version=row.registry_version,
            size=len(offer_json),
        )

    @retry_once_when_locked
    async def delete(self, user_id: int, name: str) -> bool:
        """Delete one of the person's offers by name; False if they have none by that name."""
        async with self._writing(user_id) as conn:
            result = await conn.execute(
                delete(saved_offers).where(
                    saved_offers.c.user_id == user_id,
                    saved_offers.c.name_hash.in_(self.db.cipher.name_hashes(user_id, name)),
                )
            )
        return bool(result.rowcount)

    @retry_once_when_locked
    async def purge_expired(self) -> int:
        """Delete every expired saved offer (the bot runs this periodically). Returns how many went."""
        async with self._writing(None) as conn:
            result = await conn.execute(delete(saved_offers).where(saved_offers.c.expires_at <= self.db.now()))
        return int(result.rowcount or 0)

    async def rotate_data_key(self) -> int:
        """Re-encrypt every saved offer and personal default, and re-hash each offer's name, under the current key,
        after the database was opened with a new ``data_key`` and the replaced one in ``old_data_keys``. Returns how
        many offers were rewritten; afterwards the old key can be dropped. One transaction: a crash leaves
        everything as it was."""
        cipher = self.db.cipher
        async with self._writing(None) as conn:
            defaults = list(
                await conn.execute(
                    select(personal_defaults.c.user_id, personal_defaults.c.name, personal_defaults.c.value_token)
                )
            )
            for user_id, setting, token in defaults:
                await conn.execute(
                    update(personal_defaults)
                    .where(personal_defaults.c.user_id == user_id, personal_defaults.c.name == setting)
                    .values(value_token=cipher.reencrypt(token))
                )
            rows = list(
                await conn.execute(
                    select(
                        saved_offers.c.id, saved_offers.c.user_id, saved_offers.c.name_token, saved_offers.c.offer_token
                    )
                )
            )
            for row_id, user_id, name_token, offer_token in rows:
                name = cipher.decrypt(name_token).decode()
                await conn.execute(
                    update(saved_offers)
                    .where(saved_offers.c.user_id == user_id, saved_offers.c.id == row_id)
                    .values(
                        name_hash=cipher.name_hash(user_id, name),
                        name_token=cipher.reencrypt(name_token),
                        offer_token=cipher.reencrypt(offer_token),
                    )
                )
        return len(rows)
