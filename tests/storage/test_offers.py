"""Saved offers: encrypted at rest, reachable only by their owner, capped, and expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from storage import MAX_OFFERS_PER_USER, Database, DataCipher, open_database
from storage.crypto import DataKeyError
from storage.tables import saved_offers
from tests.storage.conftest import KEY, FakeClock, database_files
from valuation import OfferError, build_offer, default_registry
from valuation.errors import Reason

pytestmark = pytest.mark.asyncio

OFFER = {"employer": "Zyxwv Robotics", "salary": {"base": "187654"}, "compute": [{"amount": "43219"}]}
MARKERS = (b"187654", b"43219", b"Zyxwv", b"Quokka", b"quokka")


async def stored_tokens(db: Database) -> list[bytes]:
    async with db.reading() as conn:
        rows = await conn.execute(select(saved_offers.c.name_token, saved_offers.c.offer_token))
        return [token for row in rows for token in row]


async def test_saved_offers_hold_no_plaintext_on_disk(db: Database, db_url: str) -> None:
    """After saves, neither the database file nor its WAL contains a figure or the offer's name in plaintext."""
    await db.saved_offers.save(7, "Quokka Offer", OFFER, "2026.11.1")
    await db.saved_offers.save(7, "Second Quokka", OFFER, "2026.11.1")
    raw = database_files(db_url)
    assert len(raw) > 4096  # the files were read, and hold the rows
    for marker in MARKERS:
        assert marker not in raw, marker
    assert (await db.saved_offers.get(7, "quokka offer")) is not None


async def test_stored_blobs_are_fernet_tokens_another_key_cannot_open(db: Database) -> None:
    """Names and contents are Fernet tokens; a different DATA_KEY can't decrypt them; the right one can."""
    await db.saved_offers.save(7, "Quokka Offer", OFFER, "2026.11.1")
    name_token, offer_token = await stored_tokens(db)
    for token in (name_token, offer_token):
        assert token.startswith(b"gAAAA")  # Fernet version byte 0x80, base64url
        with pytest.raises(DataKeyError):
            DataCipher("some-other-key").decrypt(token)
    assert DataCipher(KEY).decrypt(name_token) == b"Quokka Offer"


async def test_a_saved_offer_comes_back_as_the_same_data(db: Database, clock: FakeClock) -> None:
    """A real offer's JSON dump round-trips exactly, with its dates and the registry version that valued it."""
    offer = build_offer({"employer": "Acme", "salary": {"base": "150k"}}, default_registry())
    data = offer.model_dump(mode="json")
    summary = await db.saved_offers.save(7, "  Acme   Corp ", data, "2026.11.1")
    assert summary.name == "Acme Corp" and summary.expires_at == clock.now + timedelta(days=30)
    saved = await db.saved_offers.get(7, "acme corp")
    assert saved is not None
    assert (saved.name, saved.data, saved.registry_version) == ("Acme Corp", data, "2026.11.1")
    assert (saved.created_at, saved.expires_at) == (clock.now, clock.now + timedelta(days=30))


async def test_nobody_reaches_another_persons_offers(db: Database) -> None:
    """User 8 can neither list, get, delete nor export user 7's offer, even by its exact name."""
    await db.saved_offers.save(7, "mine", {"salary": {"base": "1"}}, "v")
    assert await db.saved_offers.list(8) == []
    assert await db.saved_offers.get(8, "mine") is None
    assert await db.saved_offers.delete(8, "mine") is False
    assert (await db.privacy.export(8))["saved_offers"] == []
    await db.saved_offers.save(8, "mine", {"salary": {"base": "2"}}, "v")  # same name, separate offer
    assert [s.name for s in await db.saved_offers.list(7)] == ["mine"]
    theirs = await db.saved_offers.get(7, "mine")
    assert theirs is not None and theirs.data == {"salary": {"base": "1"}}


async def test_several_offers_come_back_in_one_read_in_the_order_asked(db: Database, clock: FakeClock) -> None:
    """get_many answers each name in the order given (any case or spacing): the person's own offer, or None for a
    name they have not saved, another person's name, or an offer past its expiry."""
    await db.saved_offers.save(7, "Acme", {"salary": {"base": "1"}}, "v")
    clock.advance(days=1)
    await db.saved_offers.save(7, "Big  Co", {"salary": {"base": "2"}}, "v")
    await db.saved_offers.save(8, "theirs", {"salary": {"base": "3"}}, "v")
    found = await db.saved_offers.get_many(7, ["big co", "ACME", "nothing", "theirs", "acme"])
    assert [None if f is None else (f.name, f.data) for f in found] == [
        ("Big Co", {"salary": {"base": "2"}}),  # saved with its spacing tidied
        ("Acme", {"salary": {"base": "1"}}),
        None,
        None,
        ("Acme", {"salary": {"base": "1"}}),
    ]
    # {"salary":{"base":"1"}} as stored (sorted keys, no spaces) is 23 bytes.
    assert found[1] is not None and found[1].size == len('{"salary":{"base":"1"}}') == 23
    clock.advance(days=29)  # Acme was saved 30 days ago (the default retention): expired; Big Co has a day left
    assert [f is not None for f in await db.saved_offers.get_many(7, ["acme", "big co"])] == [False, True]


async def test_deleting_by_name_removes_only_that_offer(db: Database) -> None:
    """Delete takes a name in any case; the other offers stay; deleting again reports nothing deleted."""
    await db.saved_offers.save(7, "Acme", {}, "v")
    await db.saved_offers.save(7, "Globex", {}, "v")
    assert await db.saved_offers.delete(7, "ACME") is True
    assert await db.saved_offers.delete(7, "acme") is False
    assert [s.name for s in await db.saved_offers.list(7)] == ["Globex"]


async def test_same_name_replaces_and_the_cap_is_enforced(db: Database) -> None:
    """Saving under an existing name (any case) replaces it; past the per-user cap, saving is refused."""
    await db.saved_offers.save(7, "Acme", {"v": 1}, "v")
    await db.saved_offers.save(7, "ACME", {"v": 2}, "v")
    assert [s.name for s in await db.saved_offers.list(7)] == ["ACME"]
    for n in range(MAX_OFFERS_PER_USER - 1):
        await db.saved_offers.save(7, f"offer {n}", {}, "v")
    with pytest.raises(OfferError) as caught:
        await db.saved_offers.save(7, "one too many", {}, "v")
    assert caught.value.first.reason is Reason.TOO_MANY
    await db.saved_offers.save(7, "acme", {"v": 3}, "v")  # replacing is still allowed at the cap
    assert len(await db.saved_offers.list(7)) == MAX_OFFERS_PER_USER


@pytest.mark.parametrize(("name", "reason"), [("   ", Reason.MISSING), ("x" * 61, Reason.TOO_LONG)])
async def test_bad_names_are_refused(db: Database, name: str, reason: Reason) -> None:
    """An empty or over-long name is an OfferError; nothing is saved."""
    with pytest.raises(OfferError) as caught:
        await db.saved_offers.save(7, name, {}, "v")
    assert caught.value.first.reason is reason
    assert await db.saved_offers.list(7) == []


async def test_retention_purge_with_an_injected_clock(db: Database, clock: FakeClock) -> None:
    """Offers expire after the person's retention period and the purge deletes them; a longer period keeps them."""
    await db.saved_offers.save(7, "short", {}, "v")
    await db.saved_offers.set_retention_days(8, 90)
    await db.saved_offers.save(8, "long", {}, "v")
    clock.advance(days=30)
    assert await db.saved_offers.list(7) == []  # expired offers are not shown even before the purge
    assert await db.saved_offers.get(7, "short") is None
    assert await db.saved_offers.purge_expired() == 1
    assert await db.saved_offers.purge_expired() == 0
    assert [s.name for s in await db.saved_offers.list(8)] == ["long"]
    clock.advance(days=60)
    assert await db.saved_offers.purge_expired() == 1


async def test_changing_retention_moves_the_expiry_of_saved_offers(db: Database, clock: FakeClock) -> None:
    """A shorter or longer retention applies to offers already saved, counted from when each was saved."""
    await db.saved_offers.save(7, "a", {}, "v")
    clock.advance(days=5)
    await db.saved_offers.set_retention_days(7, 7)
    (summary,) = await db.saved_offers.list(7)
    assert summary.expires_at == summary.created_at + timedelta(days=7)
    assert await db.saved_offers.retention_days(7) == 7
    clock.advance(days=2)
    assert await db.saved_offers.purge_expired() == 1


@pytest.mark.parametrize("days", [0, 366, -1])
async def test_retention_outside_one_day_to_a_year_is_refused(db: Database, days: int) -> None:
    """Retention is the person's choice between 1 and 365 days."""
    with pytest.raises(OfferError) as caught:
        await db.saved_offers.set_retention_days(7, days)
    assert caught.value.first.reason is Reason.OUT_OF_RANGE
    assert await db.saved_offers.retention_days(7) == 30


async def test_deleted_offers_leave_no_bytes_behind(db: Database, db_url: str) -> None:
    """secure_delete: once an offer is deleted and the WAL is checkpointed, not even its ciphertext remains."""
    await db.saved_offers.save(7, "Quokka Offer", OFFER, "v")
    tokens = await stored_tokens(db)
    await db.saved_offers.delete(7, "Quokka Offer")
    async with db.reading() as conn:
        await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    raw = database_files(db_url)
    for token in tokens:
        assert token[:40] not in raw


async def test_rotating_the_data_key_keeps_every_offer_readable(db_url: str, clock: FakeClock) -> None:
    """Opened with a new key and the old one, offers are still found by name; after rotation the old key can go."""
    old = await open_database(db_url, data_key="old-key", clock=clock)
    await old.saved_offers.save(7, "Acme", OFFER, "v")
    await old.close()
    new_key = Fernet.generate_key().decode()
    both = await open_database(db_url, data_key=new_key, old_data_keys=["old-key"], clock=clock)
    assert (await both.saved_offers.get(7, "acme")) is not None
    assert await both.saved_offers.rotate_data_key() == 1
    await both.close()
    new_only = await open_database(db_url, data_key=new_key, clock=clock)
    saved = await new_only.saved_offers.get(7, "ACME")
    assert saved is not None and saved.data == OFFER
    for token in await stored_tokens(new_only):
        with pytest.raises(DataKeyError):
            DataCipher("old-key").decrypt(token)
    await new_only.close()
