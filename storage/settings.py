"""Server settings (moderators), personal defaults (anyone), and the assumption layers they produce.

Values are validated with the core's own models, stored as normalised text, and every server change is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.cache import CachedSettings, SettingsKey
from storage.crypto import DataKeyError
from storage.database import retry_once_when_locked
from storage.tables import guild_settings, personal_defaults, settings_audit
from valuation import Assumptions, Layer, OfferError, build_assumptions, default_registry
from valuation.errors import Reason
from valuation.offer import CURRENCIES

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger("fourth_pillar.storage")
ASSUMPTION_SETTINGS = ("marginal_tax_rate", "utilization", "token_deflation", "gpu_deflation")
# What the marginal-rate estimate reads: a server may set a default state (a regional server); filing status is
# personal. Stored as text in the same name/value rows, so they need no schema change.
TEXT_SETTINGS = ("state", "filing_status")
SERVER_SETTINGS = ("currency", *ASSUMPTION_SETTINGS, "state", "share_button", "charts")
PERSONAL_SETTINGS = ("currency", *ASSUMPTION_SETTINGS, "state", "filing_status", "tenure_months", "charts")
# Built-in values that are not numbers: the rate is estimated from each offer; no state means a range of states.
ESTIMATED = "estimated"
NO_STATE = "none"
_SWITCHES = {"on": "on", "off": "off", "true": "on", "false": "off", "yes": "on", "no": "off"}
_BUILT_IN_SWITCHES = {"share_button": "on", "charts": "on"}
Source = Literal["server", "personal", "built-in"]


@dataclass(frozen=True, slots=True)
class SettingValue:
    """A setting's effective value (normalised text: shares as fractions, "on"/"off") and where it comes from."""

    name: str
    value: str
    source: Source


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One server-setting change. ``actor``: the user id as text, or "forgotten-user"; ``new_value`` None: reset."""

    actor: str
    setting: str
    old_value: str | None
    new_value: str | None
    changed_at: datetime


def require_known(name: str, allowed: tuple[str, ...]) -> None:
    if name not in allowed:
        raise OfferError.single(name, name, Reason.UNKNOWN_KEY, ", ".join(allowed), ", ".join(allowed))


def normalise(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    """The stored text of a setting, or OfferError (field, value, reason, example) in the core's terms."""
    require_known(name, allowed)
    if name == "currency":
        code = raw.strip().upper()
        if code not in CURRENCIES:
            raise OfferError.single(name, raw, Reason.BAD_CURRENCY, '"USD"')
        return code
    if name in _BUILT_IN_SWITCHES:
        switch = _SWITCHES.get(raw.strip().lower())
        if switch is None:
            raise OfferError.single(name, raw, Reason.NOT_ONE_OF, '"on" or "off"', "on, off")
        return switch
    assumptions = build_assumptions({name: raw}, prefix="")
    value = getattr(assumptions, name)
    if name in TEXT_SETTINGS:
        return str(value)
    return str(value) if isinstance(value, int) else format(Decimal(value).normalize(), "f")


def built_in(name: str) -> str:
    if name == "currency":
        return "USD"
    if name in _BUILT_IN_SWITCHES:
        return _BUILT_IN_SWITCHES[name]
    if name == "marginal_tax_rate":
        return ESTIMATED
    if name == "state":
        return NO_STATE
    if name == "filing_status":
        return "single"
    return format(default_registry().assumptions[name].value.base.normalize(), "f")


def to_assumptions(values: dict[str, str]) -> Assumptions:
    """Stored text back to the core's model: shares are stored as fractions, the horizon as whole months."""
    data: dict[str, object] = {}
    for name, value in values.items():
        if name in ASSUMPTION_SETTINGS:
            # As a percentage, the form the setting was accepted in: a bare negative fraction (a deflation of
            # "-40%", stored as -0.4) is refused as ambiguous, and the owner's every command then failed.
            data[name] = format((Decimal(value) * 100).normalize(), "f") + "%"
        elif name in TEXT_SETTINGS:
            data[name] = value
        elif name == "tenure_months":
            data[name] = int(value)
    return build_assumptions(data, prefix="")


# One statement each, compiled once (see Database.fetch_all).
_PERSONAL_READ = select(personal_defaults.c.name, personal_defaults.c.value_token).where(
    personal_defaults.c.user_id == bindparam("owner_id")
)
_SERVER_READ = select(guild_settings.c.name, guild_settings.c.value).where(
    guild_settings.c.guild_id == bindparam("owner_id")
)


async def cached(db: Database, key: SettingsKey) -> CachedSettings:
    """An owner's stored settings through the process's settings cache: one database read until a write."""
    cache = db.settings_cache
    entry = cache.get(key)
    if entry is not None:
        return entry
    ticket = cache.ticket(key)
    owner, owner_id = key
    if owner == "user":
        values = _decrypted(db, await db.fetch_all(_PERSONAL_READ, owner_id=owner_id))
    else:
        values = {name: value for name, value in await db.fetch_all(_SERVER_READ, owner_id=owner_id)}
    level: Literal["personal", "server"] = "personal" if owner == "user" else "server"
    entry = CachedSettings(MappingProxyType(values), Layer(level, to_assumptions(values)) if values else None)
    cache.put(ticket, entry)
    return entry


def _decrypted(db: Database, rows: list[Any]) -> dict[str, str]:
    """A person's defaults, decrypted. One that no key opens (DATA_KEY was changed without rotating) is left out, so
    the built-in value applies, rather than failing every valuation of theirs."""
    values: dict[str, str] = {}
    for name, token in rows:
        try:
            values[name] = db.cipher.decrypt(token).decode()
        except DataKeyError:
            log.warning("a personal default can't be opened with DATA_KEY: was the key changed?")
    return values


class ServerSettings:
    """Per-server settings. Callers must have checked the actor may manage the server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored(self, guild_id: int) -> dict[str, str]:
        return dict((await cached(self.db, ("guild", guild_id))).values)

    async def get(self, guild_id: int) -> list[SettingValue]:
        stored = await self.stored(guild_id)
        return [
            SettingValue(name, stored[name], "server")
            if name in stored
            else SettingValue(name, built_in(name), "built-in")
            for name in SERVER_SETTINGS
        ]

    @retry_once_when_locked
    async def set(self, guild_id: int, actor_id: int, name: str, raw: str) -> SettingValue:
        value = normalise(name, raw, SERVER_SETTINGS)
        now = self.db.now()
        # A concurrent first write of the same setting (possible where the database doesn't serialise writers the
        # way SQLite does): retry once, as an update.
        for attempt in range(2):
            try:
                async with self.db.writing() as conn:
                    old = (
                        await conn.execute(
                            select(guild_settings.c.value)
                            .where(guild_settings.c.guild_id == guild_id, guild_settings.c.name == name)
                            .with_for_update()
                        )
                    ).scalar_one_or_none()
                    if old is None:
                        await conn.execute(
                            insert(guild_settings).values(guild_id=guild_id, name=name, value=value, updated_at=now)
                        )
                    else:
                        await conn.execute(
                            update(guild_settings)
                            .where(guild_settings.c.guild_id == guild_id, guild_settings.c.name == name)
                            .values(value=value, updated_at=now)
                        )
                    await conn.execute(
                        insert(settings_audit).values(
                            guild_id=guild_id,
                            actor=str(actor_id),
                            setting=name,
                            old_value=old,
                            new_value=value,
                            changed_at=now,
                        )
                    )
                break
            except IntegrityError:
                if attempt:
                    raise
            finally:
                self.db.settings_cache.invalidate(("guild", guild_id))
        return SettingValue(name, value, "server")

    @retry_once_when_locked
    async def reset(self, guild_id: int, actor_id: int, name: str | None = None) -> list[str]:
        """Back to built-in: one setting, or all. Returns the names that had a server value."""
        if name is not None:
            require_known(name, SERVER_SETTINGS)
        now = self.db.now()
        async with self.db.writing() as conn:
            query = (
                select(guild_settings.c.name, guild_settings.c.value)
                .where(guild_settings.c.guild_id == guild_id)
                .order_by(guild_settings.c.name)
                .with_for_update()
            )
            if name is not None:
                query = query.where(guild_settings.c.name == name)
            rows = list(await conn.execute(query))
            for setting, old in rows:
                await conn.execute(
                    insert(settings_audit).values(
                        guild_id=guild_id,
                        actor=str(actor_id),
                        setting=setting,
                        old_value=old,
                        new_value=None,
                        changed_at=now,
                    )
                )
            removal = delete(guild_settings).where(guild_settings.c.guild_id == guild_id)
            if name is not None:
                removal = removal.where(guild_settings.c.name == name)
            await conn.execute(removal)
        self.db.settings_cache.invalidate(("guild", guild_id))
        return [setting for setting, _ in rows]

    async def audit(self, guild_id: int, limit: int = 10) -> list[AuditEntry]:
        async with self.db.reading() as conn:
            rows = await conn.execute(
                select(
                    settings_audit.c.actor,
                    settings_audit.c.setting,
                    settings_audit.c.old_value,
                    settings_audit.c.new_value,
                    settings_audit.c.changed_at,
                )
                .where(settings_audit.c.guild_id == guild_id)
                .order_by(settings_audit.c.id.desc())
                .limit(limit)
            )
            return [AuditEntry(actor, setting, old, new, at) for actor, setting, old, new, at in rows]

    @retry_once_when_locked
    async def delete_guild(self, guild_id: int) -> None:
        """The bot left the server: its settings and their history go."""
        async with self.db.writing() as conn:
            await conn.execute(delete(guild_settings).where(guild_settings.c.guild_id == guild_id))
            await conn.execute(delete(settings_audit).where(settings_audit.c.guild_id == guild_id))
        self.db.settings_cache.invalidate(("guild", guild_id))

    async def share_allowed(self, guild_id: int | None) -> bool:
        """Whether the Share button is offered (always, outside a server)."""
        return await self._switch(guild_id, "share_button")

    async def charts_enabled(self, guild_id: int | None) -> bool:
        """Whether charts are drawn (always, outside a server)."""
        return await self._switch(guild_id, "charts")

    async def _switch(self, guild_id: int | None, name: str) -> bool:
        if guild_id is None:
            return _BUILT_IN_SWITCHES[name] == "on"
        values = (await cached(self.db, ("guild", guild_id))).values
        return values.get(name, _BUILT_IN_SWITCHES[name]) == "on"


class PersonalDefaults:
    """A person's own defaults, usable anywhere; only ever read or written by that person."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored(self, user_id: int) -> dict[str, str]:
        return dict((await cached(self.db, ("user", user_id))).values)

    async def get(self, user_id: int) -> list[SettingValue]:
        stored = await self.stored(user_id)
        return [
            SettingValue(n, stored[n], "personal") if n in stored else SettingValue(n, built_in(n), "built-in")
            for n in PERSONAL_SETTINGS
        ]

    @retry_once_when_locked
    async def set(self, user_id: int, name: str, raw: str) -> SettingValue:
        value = normalise(name, raw, PERSONAL_SETTINGS)
        now = self.db.now()
        token = self.db.cipher.encrypt(value.encode())
        async with self.db.writing() as conn:
            changed = await conn.execute(
                update(personal_defaults)
                .where(personal_defaults.c.user_id == user_id, personal_defaults.c.name == name)
                .values(value_token=token, updated_at=now)
            )
            if changed.rowcount == 0:
                await conn.execute(
                    insert(personal_defaults).values(user_id=user_id, name=name, value_token=token, updated_at=now)
                )
        self.db.settings_cache.invalidate(("user", user_id))
        return SettingValue(name, value, "personal")

    @retry_once_when_locked
    async def reset(self, user_id: int, name: str | None = None) -> None:
        if name is not None:
            require_known(name, PERSONAL_SETTINGS)
        async with self.db.writing() as conn:
            removal = delete(personal_defaults).where(personal_defaults.c.user_id == user_id)
            if name is not None:
                removal = removal.where(personal_defaults.c.name == name)
            await conn.execute(removal)
        self.db.settings_cache.invalidate(("user", user_id))

    async def charts_choice(self, user_id: int) -> bool | None:
        """The person's own charts switch, or None when they never set it (the server's then applies)."""
        value = (await cached(self.db, ("user", user_id))).values.get("charts")
        return None if value is None else value == "on"

    async def layers_for(self, *, user_id: int, guild_id: int | None) -> list[Layer]:
        """Personal then server assumption overrides for one person's valuation."""
        entries = [await cached(self.db, ("user", user_id))]
        if guild_id is not None:
            entries.append(await cached(self.db, ("guild", guild_id)))
        return [entry.layer for entry in entries if entry.layer is not None]

    async def default_currency(self, *, user_id: int, guild_id: int | None) -> str | None:
        """The currency for an offer that names none: personal, then server; None means the offer's own default."""
        personal = (await cached(self.db, ("user", user_id))).values
        if "currency" in personal:
            return personal["currency"]
        if guild_id is not None:
            return (await cached(self.db, ("guild", guild_id))).values.get("currency")
        return None
