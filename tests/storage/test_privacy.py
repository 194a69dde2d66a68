"""What is kept about a person: their export, and forgetting them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage import Database
from storage.privacy import FORGOTTEN
from storage.tables import metadata, settings_audit
from tests.storage.conftest import FakeClock

pytestmark = pytest.mark.asyncio


async def test_export_holds_everything_about_the_person_decrypted(db: Database, clock: FakeClock) -> None:
    """The export is plain JSON-ready data: defaults, retention, decrypted offers, and only the audit entries the
    person authored."""
    await db.personal_defaults.set(7, "utilization", "50%")
    await db.saved_offers.set_retention_days(7, 60)
    await db.saved_offers.save(7, "Acme", {"salary": {"base": "123456"}}, "2026.11.1")
    await db.server_settings.set(1, 7, "charts", "off")
    await db.server_settings.set(1, 8, "charts", "on")  # someone else's change
    export = await db.privacy.export(7)
    assert json.loads(json.dumps(export)) == export
    assert export["user_id"] == "7" and export["personal_defaults"] == {"utilization": "0.5"}
    assert export["retention_days"] == 60
    assert export["saved_offers"] == [
        {
            "name": "Acme",
            "saved_at": clock.now.isoformat(),
            "expires_at": clock.now.replace(month=3, day=11).isoformat(),
            "registry_version": "2026.11.1",
            "offer": {"salary": {"base": "123456"}},
        }
    ]
    assert [(c["server"], c["setting"], c["old"], c["new"]) for c in export["server_setting_changes"]] == [
        ("1", "charts", None, "off")
    ]
    summary = await db.privacy.summary(7)
    assert (summary.saved_offers, summary.personal_defaults, summary.audit_entries) == (1, 1, 1)


async def test_forget_me_leaves_only_placeholders(db: Database) -> None:
    """Forget-me deletes offers, defaults and preferences, and swaps the id in audit entries for a placeholder;
    no row anywhere still carries the person's id."""
    await db.saved_offers.save(7, "mine", {"salary": {"base": "1"}}, "v")
    await db.saved_offers.set_retention_days(7, 60)
    await db.personal_defaults.set(7, "utilization", "50%")
    await db.server_settings.set(1, 7, "charts", "off")
    await db.server_settings.set(1, 8, "charts", "on")
    await db.saved_offers.save(8, "theirs", {}, "v")
    await db.privacy.forget(7)
    export = await db.privacy.export(7)
    assert export["saved_offers"] == [] and export["personal_defaults"] == {} and export["server_setting_changes"] == []
    assert export["retention_days"] == 30
    assert [e.actor for e in await db.server_settings.audit(1)] == ["8", FORGOTTEN]
    async with db.reading() as conn:
        for table in metadata.sorted_tables:
            for row in await conn.execute(select(table)):
                assert 7 not in tuple(row) and "7" not in tuple(row), (table.name, row)
        actors = (await conn.execute(select(settings_audit.c.actor))).scalars().all()
    assert sorted(actors) == ["8", FORGOTTEN]
    assert [s.name for s in await db.saved_offers.list(8)] == ["theirs"]
    assert (await db.privacy.summary(7)).saved_offers == 0
