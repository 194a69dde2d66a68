"""Fourth Pillar's database: server settings with an audit trail, personal defaults, encrypted saved offers.

SQLAlchemy 2 (async). SQLite by default (embedded, zero set-up); the SQL is dialect-neutral so PostgreSQL can
follow. Every query is keyed by the owner (guild or user): nothing is reachable by row id alone. Migrations run at
start (:func:`open_database`) and by ``fourth-pillar migrate``.
"""

from storage.crypto import DataCipher, load_or_create_data_key
from storage.database import Database, open_database
from storage.offers import MAX_OFFERS_PER_USER, SavedOffer, SavedOfferSummary
from storage.settings import PERSONAL_SETTINGS, SERVER_SETTINGS, SettingValue

__all__ = [
    "MAX_OFFERS_PER_USER",
    "PERSONAL_SETTINGS",
    "SERVER_SETTINGS",
    "DataCipher",
    "Database",
    "SavedOffer",
    "SavedOfferSummary",
    "SettingValue",
    "load_or_create_data_key",
    "open_database",
]
