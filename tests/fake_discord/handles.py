"""Handles returned by :meth:`FakeDiscord.deliver`: await the bot's answer to one interaction."""

# ruff: noqa: ASYNC109 - explicit ``timeout=`` arguments are this test API's documented interface.

from __future__ import annotations

import asyncio
import copy
import time
from typing import TYPE_CHECKING

from .models import JSON
from .records import CallbackRecord, MessageRecord, RecordedRequest, Violation

if TYPE_CHECKING:
    from .server import FakeDiscord


class FakeDiscordError(Exception):
    """The fake was misused, or the bot did something the fake cannot continue from."""


class FakeTimeout(FakeDiscordError, TimeoutError):
    """Waiting for the bot timed out; the message says what was (not) observed."""


class InteractionRefused(FakeDiscordError):
    """Discord itself would not have delivered this interaction (command not synced, missing
    ``default_member_permissions``, wrong context...). Deliver with ``forge=True`` to send it anyway."""

    def __init__(self, reason: str, payload: JSON) -> None:
        super().__init__(f"Discord would refuse this interaction: {reason}")
        self.reason = reason
        self.payload = payload


class InteractionHandle:
    """One delivered interaction and everything the bot did with it.

    ``callback`` is the accepted initial response (``None`` until it arrives); ``rejected`` lists
    callbacks the fake answered with an error (double acknowledgement, too late, oversize...).
    """

    def __init__(self, fake: FakeDiscord, payload: JSON, *, forged: bool) -> None:
        self._fake = fake
        self.payload: JSON = payload
        self.id: int = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = int(payload["type"])
        self.forged = forged
        self.delivered_at: float = 0.0
        self.callback: CallbackRecord | None = None
        self.rejected: list[Violation] = []
        self.original_id: int | None = None
        self.followup_ids: list[int] = []
        self._original_edits = 0
        self.edited_at: float | None = None
        """When ``@original`` was last edited (``time.monotonic()``), if ever."""

    def __repr__(self) -> str:
        cb = self.callback.type if self.callback else None
        return f"<InteractionHandle id={self.id} type={self.type} callback={cb} forged={self.forged}>"

    # ------------------------------------------------------------------ facts

    @property
    def original_edits(self) -> int:
        """How many times ``@original`` was edited (PATCH, or a followup filling a deferral)."""
        return self._original_edits

    @original_edits.setter
    def original_edits(self, count: int) -> None:
        self._original_edits = count
        self.edited_at = time.monotonic()

    @property
    def finished_after(self) -> float | None:
        """Seconds from delivery until the reply was complete as the fake received it: the initial response when it
        carried the message (type 4 or 7), else the last edit of ``@original`` (the edit replacing "thinking…")."""
        cb = self.callback
        if cb is None:
            return None
        if cb.type in (4, 7) and (cb.type == 4 or self.original_edits <= 1):
            return cb.elapsed
        return None if self.edited_at is None else self.edited_at - self.delivered_at

    @property
    def user_id(self) -> int:
        """The invoking user's id."""
        user = (self.payload.get("member") or {}).get("user") or self.payload.get("user") or {}
        return int(user["id"])

    @property
    def guild_id(self) -> int | None:
        """The guild the interaction happened in (``None`` in DMs)."""
        gid = self.payload.get("guild_id")
        return int(gid) if gid is not None else None

    @property
    def channel_id(self) -> int:
        """The channel the interaction happened in."""
        return int(self.payload["channel_id"])

    @property
    def acknowledged(self) -> bool:
        """Whether an initial response was accepted."""
        return self.callback is not None

    @property
    def expired(self) -> bool:
        """Whether the 3-second (configurable) window for the initial response has passed unanswered."""
        return self.callback is None and time.monotonic() - self.delivered_at > self._fake.interaction_deadline

    @property
    def original_record(self) -> MessageRecord | None:
        """The ``@original`` message record (response, deferred placeholder or, for components, the
        clicked message)."""
        if self.original_id is None:
            return None
        return self._fake.message_record(self.original_id)

    @property
    def original(self) -> JSON | None:
        """Current state of the ``@original`` message."""
        rec = self.original_record
        return copy.deepcopy(rec.message) if rec is not None else None

    @property
    def followups(self) -> list[JSON]:
        """Followup messages (``POST /webhooks/{app}/{token}``), oldest first. A followup that filled a
        deferred placeholder became ``@original`` and is not listed here."""
        out = []
        for mid in self.followup_ids:
            rec = self._fake.message_record(mid)
            if rec is not None:
                out.append(copy.deepcopy(rec.message))
        return out

    @property
    def messages(self) -> list[JSON]:
        """``@original`` (if it was created by this interaction) followed by the followups."""
        out = []
        rec = self.original_record
        if rec is not None and rec.interaction_id == self.id:
            out.append(copy.deepcopy(rec.message))
        return out + self.followups

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request that used this interaction's id or token."""
        return [r for r in self._fake.requests if self.token in r.path or f"/interactions/{self.id}/" in r.path]

    # ------------------------------------------------------------------ waiting

    async def response(self, timeout: float = 5.0) -> CallbackRecord:
        """Wait for the accepted initial response (type, data, flags, elapsed)."""
        return await self._fake._wait_until(
            lambda: self.callback, timeout, f"the initial response to interaction {self.id}", self._describe
        )

    async def final(self, timeout: float = 10.0, *, settle: float = 0.0) -> JSON:
        """Wait for the final visible message of this interaction and return it.

        That is the callback message (type 4), the updated message (type 7), or, after a deferral
        (type 5/6), ``@original`` once it was edited (or filled by the first followup). With ``settle``
        > 0 it also waits until ``@original`` has not changed for that many seconds.
        """

        def check() -> JSON | None:
            cb = self.callback
            if cb is None:
                return None
            if cb.type in (1, 8, 9):
                raise FakeDiscordError(f"interaction {self.id} was answered with callback type {cb.type}: no message")
            rec = self.original_record
            if rec is None:
                return None
            if rec.deleted:
                raise FakeDiscordError(f"the original response of interaction {self.id} was deleted")
            if rec.loading or (cb.type == 6 and self.original_edits == 0):
                return None
            return copy.deepcopy(rec.message)

        message = await self._fake._wait_until(
            check, timeout, f"the final message of interaction {self.id}", self._describe
        )
        if settle > 0:
            while True:
                before = self.original_edits
                await asyncio.sleep(settle)
                if self.original_edits == before:
                    break
            message = self.original or message
        return message

    async def wait_followups(self, count: int = 1, timeout: float = 10.0) -> list[JSON]:
        """Wait until at least ``count`` followups exist and return them all."""

        def check() -> list[JSON] | None:
            return self.followups if len(self.followup_ids) >= count else None

        return await self._fake._wait_until(check, timeout, f"{count} followup(s) of {self.id}", self._describe)

    async def choices(self, timeout: float = 5.0) -> list[JSON]:
        """For an autocomplete interaction: wait for the type 8 answer and return its choices."""
        cb = await self.response(timeout)
        if cb.type != 8:
            raise FakeDiscordError(f"expected an autocomplete result (type 8), got callback type {cb.type}")
        return list((cb.data or {}).get("choices") or [])

    async def modal(self, timeout: float = 5.0) -> JSON:
        """Wait for a modal (callback type 9) and return its data (custom_id, title, components)."""
        cb = await self.response(timeout)
        if cb.type != 9:
            raise FakeDiscordError(f"expected a modal (type 9), got callback type {cb.type}")
        return copy.deepcopy(cb.data or {})

    def _describe(self) -> str:
        lines = [f"interaction {self.id} (type {self.type}, forged={self.forged})"]
        lines.append(f"  callback: {self.callback.type if self.callback else 'none'}")
        lines.extend(f"  rejected: {v}" for v in self.rejected)
        lines.extend(f"  request: {r}" for r in self.requests)
        rec = self.original_record
        if rec is not None:
            lines.append(f"  @original: flags={rec.flags} edits={self.original_edits} deleted={rec.deleted}")
        return "\n".join(lines)
