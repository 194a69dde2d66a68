"""Forget me against a save of the same person: whichever order they arrive in, nothing the person saved before
asking to be forgotten survives, and a save that began before the forget is dropped, saying so."""

from __future__ import annotations

import asyncio

import pytest

from storage import Database, ForgottenMeanwhile

pytestmark = pytest.mark.asyncio
USER, OTHER = 42, 43
OFFER = {"salary": {"base": "100k"}}


async def test_a_save_begun_before_forget_me_is_dropped(db: Database) -> None:
    """Begun (mark taken), then Forget me, then the write: ForgottenMeanwhile, and nothing is stored."""
    begun = db.forget_count(USER)
    await db.privacy.forget(USER)
    with pytest.raises(ForgottenMeanwhile):
        await db.saved_offers.save(USER, "acme", OFFER, "r1", begun=begun)
    assert await db.saved_offers.list(USER) == []


async def test_a_save_begun_after_forget_me_is_kept(db: Database) -> None:
    """Forget me, then a new save from scratch: it is a new request and is stored."""
    await db.privacy.forget(USER)
    await db.saved_offers.save(USER, "acme", OFFER, "r1", begun=db.forget_count(USER))
    assert [s.name for s in await db.saved_offers.list(USER)] == ["acme"]


async def test_someone_elses_forget_does_not_drop_a_save(db: Database) -> None:
    """Another person's Forget me leaves this person's save in flight alone."""
    begun = db.forget_count(USER)
    await db.privacy.forget(OTHER)
    await db.saved_offers.save(USER, "acme", OFFER, "r1", begun=begun)
    assert len(await db.saved_offers.list(USER)) == 1


async def test_a_save_writing_when_forget_arrives_is_deleted_by_it(db: Database) -> None:
    """A save already holding the person's lock finishes; the forget waiting behind it deletes what it wrote."""
    lock = db.person_lock(USER)
    await lock.acquire()  # stands for a save mid-write
    forget = asyncio.create_task(db.privacy.forget(USER))
    await asyncio.sleep(0)
    assert not forget.done()  # waits its turn
    await db.saved_offers._save(USER, "acme", OFFER, "r1")  # the write the held lock stands for
    lock.release()
    await forget
    assert await db.saved_offers.list(USER) == []
