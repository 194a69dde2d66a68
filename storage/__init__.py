"""Fourth Pillar's database: server settings with an audit trail, personal defaults, encrypted saved offers.

SQLAlchemy 2 (async). SQLite by default (embedded, zero set-up); the SQL is dialect-neutral so PostgreSQL can
follow. Every query is keyed by the owner (guild or user): nothing is reachable by row id alone. Migrations run at
start (:func:`open_database`) and by ``fourth-pillar migrate``.
"""

from storage.cache import CachedSettings, LocalSettingsCache, SettingsCache
from storage.crypto import DataCipher, DataKeyError, load_or_create_data_key
from storage.database import (
    DEFAULT_DATABASE_URL,
    Clock,
    Database,
    ForgottenMeanwhile,
    StorageBusy,
    migrate,
    open_database,
)
from storage.offers import (
    DEFAULT_RETENTION_DAYS,
    MAX_NAME_LENGTH,
    MAX_OFFERS_PER_USER,
    MAX_RETENTION_DAYS,
    SavedOffer,
    SavedOfferSummary,
)
from storage.privacy import FORGOTTEN, StoredSummary
from storage.settings import PERSONAL_SETTINGS, SERVER_SETTINGS, AuditEntry, SettingValue

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DEFAULT_RETENTION_DAYS",
    "FORGOTTEN",
    "MAX_NAME_LENGTH",
    "MAX_OFFERS_PER_USER",
    "MAX_RETENTION_DAYS",
    "PERSONAL_SETTINGS",
    "SERVER_SETTINGS",
    "AuditEntry",
    "CachedSettings",
    "Clock",
    "DataCipher",
    "DataKeyError",
    "Database",
    "ForgottenMeanwhile",
    "LocalSettingsCache",
    "SavedOffer",
    "SavedOfferSummary",
    "SettingValue",
    "SettingsCache",
    "StorageBusy",
    "StoredSummary",
    "load_or_create_data_key",
    "migrate",
    "open_database",
]
