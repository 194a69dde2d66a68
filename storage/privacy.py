"""What is stored about a person, their export, and forgetting them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from storage.database import retry_once_when_locked
from storage.tables import personal_defaults, saved_offers, settings_audit, user_preferences

if TYPE_CHECKING:
    from storage.database import Database

FORGOTTEN = "forgotten-user"


@dataclass(frozen=True, slots=True)
class StoredSummary:
    saved_offers: int
    personal_defaults: int
    audit_entries: int
    retention_days: int


class Privacy:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def summary(self, user_id: int) -> StoredSummary:
        async with self.db.reading() as conn:
            offers = (
                await conn.execute(
                    select(func.count()).select_from(saved_offers).where(saved_offers.c.user_id == user_id)
                )
            ).scalar_one()
            defaults = (
                await conn.execute(
                    select(func.count()).select_from(personal_defaults).where(personal_defaults.c.user_id == user_id)
                )
            ).scalar_one()
            audits = (
                await conn.execute(
                    select(func.count()).select_from(settings_audit).where(settings_audit.c.actor == str(user_id))
                )
            ).scalar_one()
        return StoredSummary(offers, defaults, audits, await self.db.saved_offers.retention_days(user_id))

    async def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the person, decrypted, as plain data."""
        offers = []
        for summary in await self.db.saved_offers.list(user_id):
            offer = await self.db.saved_offers.get(user_id, summary.name)
            if offer is not None:
                offers.append(
                    {
                        "name": offer.name,
                        "saved_at": offer.created_at.isoformat(),
                        "expires_at": offer.expires_at.isoformat(),
                        "registry_version": offer.registry_version,
                        "offer": offer.data,
                    }
                )
        async with self.db.reading() as conn:
            audits = await conn.execute(
                select(
                    settings_audit.c.guild_id,
                    settings_audit.c.setting,
                    settings_audit.c.old_value,
                    settings_audit.c.new_value,
                    settings_audit.c.changed_at,
                )
                .where(settings_audit.c.actor == str(user_id))
                .order_by(settings_audit.c.id)
            )
            changes = [
                {"server": str(g), "setting": s, "old": o, "new": n, "at": at.isoformat()} for g, s, o, n, at in audits
            ]
        return {
            "user_id": str(user_id),
            "personal_defaults": await self.db.personal_defaults.stored(user_id),
            "retention_days": await self.db.saved_offers.retention_days(user_id),
            "saved_offers": offers,
            "server_setting_changes": changes,
        }

    async def forget(self, user_id: int) -> None:
        """Delete the person's offers, defaults and preferences; keep audit rows with a placeholder for their id.
        A save of theirs already writing finishes first and is deleted here; one still on its way is dropped."""
        async with self.db.person_lock(user_id):
            self.db.count_forget(user_id)
            await self._forget(user_id)

    @retry_once_when_locked
    async def _forget(self, user_id: int) -> None:
        async with self.db.writing() as conn:
            await conn.execute(delete(saved_offers).where(saved_offers.c.user_id == user_id))
            await conn.execute(delete(personal_defaults).where(personal_defaults.c.user_id == user_id))
            await conn.execute(delete(user_preferences).where(user_preferences.c.user_id == user_id))
            await conn.execute(
                update(settings_audit).where(settings_audit.c.actor == str(user_id)).values(actor=FORGOTTEN)
            )
        self.db.settings_cache.invalidate(("user", user_id))
        self.db.saved_offers.cache.invalidate(user_id)
