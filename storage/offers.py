"""Saved offers: opt-in, per user, encrypted (contents and names), expiring after the person's retention period."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from storage.database import ForgottenMeanwhile, retry_once_when_locked
from storage.tables import personal_defaults, saved_offers, user_preferences
from valuation import OfferError
from valuation.errors import Reason

if TYPE_CHECKING:
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

# Built once: a lookup by name hashes is the same statement every time, only its values change.
_BY_NAME_HASHES = select(saved_offers).where(
    saved_offers.c.user_id == bindparam("user_id"),
    saved_offers.c.name_hash.in_(bindparam("hashes", expanding=True)),
    saved_offers.c.expires_at > bindparam("now"),
)


class SavedOffers:
    """Every method takes the owner's user id: no row is reachable without it."""

    def __init__(self, db: Database) -> None:
        self.db = db

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
        async with self.db.writing() as conn:
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
        async with self.db.writing() as conn:
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
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(
                    saved_offers.c.name_token,
                    saved_offers.c.created_at,
                    saved_offers.c.expires_at,
                    saved_offers.c.registry_version,
                ).where(saved_offers.c.user_id == user_id, saved_offers.c.expires_at > self.db.now())
            )
            summaries = [
                SavedOfferSummary(self.db.cipher.decrypt(token).decode(), created, expires, version)
                for token, created, expires, version in rows
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
        params = {"user_id": user_id, "hashes": [h for hashes in wanted for h in hashes], "now": self.db.now()}
        async with self.db.reading() as conn:
            rows = (await conn.execute(_BY_NAME_HASHES, params)).all()
        by_hash = {row.name_hash: row for row in rows}
        opened: dict[int, SavedOffer] = {}  # a name given twice is decrypted once
        found: Lookup = []
        for hashes in wanted:
            row = next((by_hash[h] for h in hashes if h in by_hash), None)  # current key first
            if row is not None and row.id not in opened:
                opened[row.id] = self._opened(row)
            found.append(None if row is None else opened[row.id])
        return found

    def _opened(self, row: Any) -> SavedOffer:
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
        async with self.db.writing() as conn:
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
        async with self.db.writing() as conn:
            result = await conn.execute(delete(saved_offers).where(saved_offers.c.expires_at <= self.db.now()))
        return int(result.rowcount or 0)

    async def rotate_data_key(self) -> int:
        """Re-encrypt every saved offer and personal default, and re-hash each offer's name, under the current key,
        after the database was opened with a new ``data_key`` and the replaced one in ``old_data_keys``. Returns how
        many offers were rewritten; afterwards the old key can be dropped. One transaction: a crash leaves
        everything as it was."""
        cipher = self.db.cipher
        async with self.db.writing() as conn:
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
