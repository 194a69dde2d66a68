"""The schema, as SQLAlchemy tables. Portable types only: no dialect-specific SQL anywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC. Refuses naive datetimes on the way in; SQLite keeps no offset, so values read back naive
    are UTC by construction and get their timezone back here (PostgreSQL's timestamptz needs no help)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(40), primary_key=True),
    Column("value", String(64), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

settings_audit = Table(
    "settings_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False, index=True),
    Column("actor", String(32), nullable=False, index=True),  # a user id, or a placeholder after forget-me
    Column("setting", String(40), nullable=False),
    Column("old_value", String(64), nullable=True),
    Column("new_value", String(64), nullable=True),
    Column("changed_at", UtcDateTime(), nullable=False),
)

personal_defaults = Table(
    "personal_defaults",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(40), primary_key=True),
    Column("value_token", LargeBinary, nullable=False),  # the value, encrypted like saved offers
    Column("updated_at", UtcDateTime(), nullable=False),
)

user_preferences = Table(
    "user_preferences",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("retention_days", Integer, nullable=False),
)

saved_offers = Table(
    "saved_offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, nullable=False, index=True),
    Column("name_hash", String(64), nullable=False),  # keyed hash of the normalised name: lookup and uniqueness
    Column("name_token", LargeBinary, nullable=False),  # the name, encrypted
    Column("offer_token", LargeBinary, nullable=False),  # the offer data, encrypted
    Column("registry_version", String(32), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False, index=True),
    UniqueConstraint("user_id", "name_hash", name="uq_saved_offers_user_name"),
)
