"""The schema, as SQLAlchemy tables. Portable types only: no dialect-specific SQL anywhere."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

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
    Column("updated_at", DateTime(timezone=True), nullable=False),
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
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

personal_defaults = Table(
    "personal_defaults",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(40), primary_key=True),
    Column("value", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
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
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("user_id", "name_hash", name="uq_saved_offers_user_name"),
)
