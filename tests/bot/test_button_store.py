"""The store behind result buttons: bounded in time, entries and bytes; one public copy per result."""

from __future__ import annotations

from bot.button_store import ENTRY_OVERHEAD_BYTES, MemoryButtonStore, ResultState


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def state(owner: int = 1, size: int = 100) -> ResultState:
    return ResultState(owner, "en-US", b"x" * size, ())


def test_an_entry_expires_after_its_time() -> None:
    """An entry is there until its time is up, then gone (the press gets the "expired" notice)."""
    clock = Clock()
    store = MemoryButtonStore(ttl=60, clock=clock)
    store.put(10, state())
    clock.now += 59.9
    assert store.get(10) == state()
    clock.now += 0.2
    assert store.get(10) is None and len(store) == 0 and store.bytes == 0


def test_the_oldest_entries_go_beyond_the_entry_cap() -> None:
    """With room for two, a third entry drops the first."""
    store = MemoryButtonStore(max_entries=2)
    for message_id in (1, 2, 3):
        store.put(message_id, state(owner=message_id))
    assert store.get(1) is None
    assert store.get(2) == state(owner=2) and store.get(3) == state(owner=3)


def test_the_oldest_entries_go_beyond_the_byte_cap() -> None:
    """Entries count their offer's bytes plus a fixed overhead: a big one pushes out older ones until it fits."""
    per_entry = 100 + ENTRY_OVERHEAD_BYTES
    store = MemoryButtonStore(max_bytes=3 * per_entry)
    for message_id in (1, 2, 3):
        store.put(message_id, state())
    assert store.bytes == 3 * per_entry
    store.put(4, state(size=100 + per_entry))  # two entries' worth: 1 and 2 must go
    assert [store.get(m) is not None for m in (1, 2, 3, 4)] == [False, False, True, True]
    assert store.bytes == 3 * per_entry


def test_share_is_claimed_once_per_result() -> None:
    """The first claim succeeds, the second does not; a result that is not stored cannot be shared."""
    store = MemoryButtonStore()
    store.put(5, state())
    assert store.claim_share(5)
    assert not store.claim_share(5)
    assert not store.claim_share(6)


def test_storing_again_under_the_same_message_replaces_the_entry() -> None:
    """Putting a message id twice keeps one entry and counts its bytes once."""
    store = MemoryButtonStore()
    store.put(7, state(owner=1))
    store.put(7, state(owner=2))
    assert len(store) == 1 and store.get(7) == state(owner=2)
    assert store.bytes == 100 + ENTRY_OVERHEAD_BYTES


def test_replacing_a_shared_result_keeps_it_shared() -> None:
    """A what-if stores the changed offer under the same key: Share, used once, stays used."""
    store = MemoryButtonStore()
    store.put(5, state())
    assert store.claim_share(5)
    store.put(5, state(size=120))
    assert store.get(5) == state(size=120) and store.bytes == 120 + ENTRY_OVERHEAD_BYTES
    assert not store.claim_share(5)
