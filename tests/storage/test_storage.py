"""Storage against a real SQLite file: migrations, settings with audit, layers, encryption, isolation, retention."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import inspect, select

from storage import Database, DataCipher, load_or_create_data_key, open_database
from storage.crypto import DataKeyError
from storage.privacy import FORGOTTEN
from storage.tables import metadata, saved_offers
from tests.storage.conftest import KEY, FakeClock
from valuation import OfferError, build_offer, default_registry, value_offer
from valuation.errors import Reason

pytestmark = pytest.mark.asyncio
REPO = Path(__file__).resolve().parents[2]


async def test_migrations_build_the_schema_the_code_expects(db: Database) -> None:
    """From an empty file, migrations create every table, and the schema matches the models exactly."""
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), metadata))
    assert {"guild_settings", "settings_audit", "personal_defaults", "user_preferences", "saved_offers"} <= tables
    assert diff == []


async def test_migrations_are_idempotent(db_url: str) -> None:
    """Opening the database again re-applies nothing and keeps the data."""
    first = await open_database(db_url, data_key=KEY)
    await first.server_settings.set(1, 9, "utilization", "60%")
    await first.close()
    second = await open_database(db_url, data_key=KEY)
    assert (await second.server_settings.stored(1)) == {"utilization": "0.6"}
    await second.close()


async def test_server_settings_show_source_and_keep_an_audit_trail(db: Database, clock: FakeClock) -> None:
    """Set, change and reset a setting: values show their source, and each change is audited old → new."""
    await db.server_settings.set(1, 100, "marginal_tax_rate", "32%")
    clock.advance(minutes=1)
    await db.server_settings.set(1, 101, "marginal_tax_rate", "35%")
    values = {s.name: (s.value, s.source) for s in await db.server_settings.get(1)}
    assert values["marginal_tax_rate"] == ("0.35", "server")
    assert values["utilization"] == ("0.7", "built-in") and values["share_button"] == ("on", "built-in")
    assert await db.server_settings.reset(1, 102, "marginal_tax_rate") == ["marginal_tax_rate"]
    trail = [(e.actor, e.setting, e.old_value, e.new_value) for e in await db.server_settings.audit(1)]
    assert trail == [
        ("102", "marginal_tax_rate", "0.35", None),
        ("101", "marginal_tax_rate", "0.32", "0.35"),
        ("100", "marginal_tax_rate", None, "0.32"),
    ]


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("utilization", "130%", Reason.SHARE_OVER_100),
        ("currency", "XYZ", Reason.BAD_CURRENCY),
        ("share_button", "maybe", Reason.NOT_ONE_OF),
        ("colour", "blue", Reason.UNKNOWN_KEY),
        ("marginal_tax_rate", "lots", Reason.NOT_A_SHARE),
    ],
)
async def test_bad_setting_values_are_refused_and_nothing_is_written(
    db: Database, name: str, value: str, reason: Reason
) -> None:
    """Invalid values raise the core's OfferError with a reason, and leave no setting and no audit entry."""
    with pytest.raises(OfferError) as caught:
        await db.server_settings.set(1, 100, name, value)
    assert caught.value.first.reason is reason
    assert await db.server_settings.stored(1) == {} and await db.server_settings.audit(1) == []


async def test_personal_defaults_override_server_defaults(db: Database) -> None:
    """A valuation with the produced layers takes the personal value over the server's, and says so."""
    await db.server_settings.set(1, 100, "marginal_tax_rate", "40%")
    await db.server_settings.set(1, 100, "utilization", "60%")
    await db.personal_defaults.set(7, "marginal_tax_rate", "25%")
    layers = await db.personal_defaults.layers_for(user_id=7, guild_id=1)
    offer = build_offer({"salary": {"base": "100k"}}, default_registry())
    used = {a.name: a for a in value_offer(offer, layers=layers).assumptions}
    assert (used["marginal_tax_rate"].level, used["marginal_tax_rate"].value.base) == ("personal", Decimal("0.25"))
    assert (used["utilization"].level, used["utilization"].value.base) == ("server", Decimal("0.6"))
    other = await db.personal_defaults.layers_for(user_id=8, guild_id=1)
    assert [layer.level for layer in other] == ["server"]  # another person sees none of user 7's defaults


async def test_two_engines_writing_at_once_both_land(db_url: str, db: Database) -> None:
    """Two connections writing concurrently (WAL, busy timeout) both succeed; nothing is lost."""
    other = await open_database(db_url, data_key=KEY, migrate_schema=False)
    writes = [db.server_settings.set(1, 1, "utilization", f"{n}%") for n in range(10, 30)]
    writes += [other.personal_defaults.set(u, "marginal_tax_rate", "30%") for u in range(20)]
    await asyncio.gather(*writes)
    assert len(await db.server_settings.audit(1, limit=100)) == 20
    stored = [await db.personal_defaults.stored(u) for u in range(20)]
    assert stored == [{"marginal_tax_rate": "0.3"}] * 20
    await other.close()


KILLED_WRITER = """
import asyncio, sys, os
from sqlalchemy import update
from storage import open_database
from storage.tables import guild_settings

async def main():
    db = await open_database(sys.argv[1], data_key="k", migrate_schema=False)
    async with db.engine.begin() as conn:
        await conn.execute(update(guild_settings).values(value="0.99"))
        print("written", flush=True)
        await asyncio.sleep(60)  # killed here, before the commit

asyncio.run(main())
"""


async def test_a_process_killed_mid_write_leaves_the_old_value(db_url: str, db: Database) -> None:
    """A writer SIGKILLed inside its transaction leaves the committed value untouched."""
    await db.server_settings.set(1, 100, "utilization", "60%")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        KILLED_WRITER,
        db_url,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    assert await asyncio.wait_for(proc.stdout.readline(), timeout=20) == b"written\n"
    proc.send_signal(signal.SIGKILL)
    await asyncio.wait_for(proc.wait(), timeout=10)
    assert await db.server_settings.stored(1) == {"utilization": "0.6"}


async def test_saved_offers_hold_no_plaintext_on_disk(db: Database, db_url: str) -> None:
    """After saves, neither the database file nor its WAL contains a figure or the offer's name in plaintext;
    blobs are Fernet tokens that another key cannot open."""
    data = {"employer": "Zyxwv Robotics", "salary": {"base": "187654"}, "compute": [{"amount": "43219"}]}
    await db.saved_offers.save(7, "Quokka Offer", data, "2026.11.1")
    await db.saved_offers.save(7, "Second Quokka", data, "2026.11.1")
    path = Path(db_url.split("///", 1)[1])
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for marker in (b"187654", b"43219", b"Zyxwv", b"Quokka", b"quokka"):
        assert marker not in raw, marker
    async with db.engine.connect() as conn:
        token = (await conn.execute(select(saved_offers.c.offer_token))).scalars().first()
    assert token is not None and token.startswith(b"gAAAA")
    with pytest.raises(DataKeyError):
        DataCipher("some-other-key").decrypt(token)
    assert (await db.saved_offers.get(7, "quokka offer")).data == data  # type: ignore[union-attr]


async def test_nobody_reaches_another_persons_offers(db: Database) -> None:
    """User 8 can neither list, get, nor delete user 7's offer, even by its exact name."""
    await db.saved_offers.save(7, "mine", {"salary": {"base": "1"}}, "v")
    assert await db.saved_offers.list(8) == []
    assert await db.saved_offers.get(8, "mine") is None
    assert await db.saved_offers.delete(8, "mine") is False
    assert [s.name for s in await db.saved_offers.list(7)] == ["mine"]
    assert (await db.privacy.export(8))["saved_offers"] == []


async def test_same_name_replaces_and_the_cap_is_enforced(db: Database) -> None:
    """Saving under an existing name (any case) replaces it; past the per-user cap, saving is refused."""
    await db.saved_offers.save(7, "Acme", {"v": 1}, "v")
    await db.saved_offers.save(7, "ACME", {"v": 2}, "v")
    assert [(s.name) for s in await db.saved_offers.list(7)] == ["ACME"]
    for n in range(24):
        await db.saved_offers.save(7, f"offer {n}", {}, "v")
    with pytest.raises(OfferError) as caught:
        await db.saved_offers.save(7, "one too many", {}, "v")
    assert caught.value.first.reason is Reason.TOO_MANY


async def test_retention_purge_with_an_injected_clock(db: Database, clock: FakeClock) -> None:
    """Offers expire after the person's retention period and the purge deletes them; a longer period keeps them."""
    await db.saved_offers.save(7, "short", {}, "v")
    await db.saved_offers.set_retention_days(8, 90)
    await db.saved_offers.save(8, "long", {}, "v")
    clock.advance(days=31)
    assert await db.saved_offers.list(7) == []  # expired offers are not shown even before the purge
    assert await db.saved_offers.purge_expired() == 1
    assert [s.name for s in await db.saved_offers.list(8)] == ["long"]
    with pytest.raises(OfferError):
        await db.saved_offers.set_retention_days(8, 1000)


async def test_forget_me_leaves_only_placeholders(db: Database) -> None:
    """Forget-me deletes offers, defaults and preferences, and swaps the id in audit entries for a placeholder."""
    await db.saved_offers.save(7, "mine", {"salary": {"base": "1"}}, "v")
    await db.saved_offers.set_retention_days(7, 60)
    await db.personal_defaults.set(7, "utilization", "50%")
    await db.server_settings.set(1, 7, "charts", "off")
    assert (await db.privacy.summary(7)).audit_entries == 1
    await db.privacy.forget(7)
    export = await db.privacy.export(7)
    assert export["saved_offers"] == [] and export["personal_defaults"] == {} and export["server_setting_changes"] == []
    assert export["retention_days"] == 30
    assert [e.actor for e in await db.server_settings.audit(1)] == [FORGOTTEN]


async def test_removing_a_guild_deletes_its_settings_and_history(db: Database) -> None:
    """When the bot leaves a server, that server's settings and audit go; other servers keep theirs."""
    await db.server_settings.set(1, 100, "charts", "off")
    await db.server_settings.set(2, 100, "charts", "off")
    await db.server_settings.delete_guild(1)
    assert await db.server_settings.stored(1) == {} and await db.server_settings.audit(1) == []
    assert await db.server_settings.stored(2) == {"charts": "off"}
    assert await db.server_settings.share_allowed(1) is True


async def test_data_key_generated_only_for_sqlite_with_private_permissions(tmp_path: Path) -> None:
    """Without DATA_KEY a SQLite deployment gets a generated key in a 0600 file (reused later); other databases
    must be given one; a configured key always wins."""
    key, generated = load_or_create_data_key(None, "sqlite+aiosqlite:///x.db", tmp_path)
    assert generated and (tmp_path / "data.key").stat().st_mode & 0o777 == 0o600
    assert Fernet(key.encode())  # a valid Fernet key
    assert load_or_create_data_key(None, "sqlite+aiosqlite:///x.db", tmp_path) == (key, False)
    with pytest.raises(DataKeyError):
        load_or_create_data_key(None, "postgresql+asyncpg://db/fp", tmp_path)
    assert load_or_create_data_key("given", "postgresql+asyncpg://db/fp", tmp_path) == ("given", False)
