"""``answer_soon``: work that is quick goes out as the first response with no "thinking…"; work that runs late gets
a defer from a timer while it runs, and whatever answers next finds the placeholder already there."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import discord
import pytest

from bot import messages
from bot.messages import DEFERRING, answer_soon

pytestmark = pytest.mark.asyncio


class FakeResponse:
    """The part of ``InteractionResponse`` answer_soon uses: the defer is recorded, takes ``defer_takes`` seconds,
    and fails when ``defer_fails``."""

    def __init__(self, *, defer_takes: float = 0.0, defer_fails: bool = False) -> None:
        self.defers: list[dict[str, Any]] = []
        self.deferred_done = False
        self._takes = defer_takes
        self._fails = defer_fails

    def is_done(self) -> bool:
        return self.deferred_done

    async def defer(self, *, ephemeral: bool, thinking: bool) -> None:
        self.defers.append({"ephemeral": ephemeral, "thinking": thinking})
        await asyncio.sleep(self._takes)
        if self._fails:
            raise RuntimeError("defer refused")
        self.deferred_done = True


class FakeInteraction:
    def __init__(self, response: FakeResponse, *, age: float = 0.0) -> None:
        self.response = response
        self.extras: dict[str, Any] = {}
        self.created_at = discord.utils.utcnow() - timedelta(seconds=age)


@pytest.fixture(autouse=True)
def short_patience(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "PATIENCE_SECONDS", 0.05)


async def late(value: str, seconds: float, *, fail: bool = False) -> str:
    await asyncio.sleep(seconds)
    if fail:
        raise ValueError("work failed")
    return value


async def test_quick_work_is_answered_without_a_defer() -> None:
    """Work done within the patience returns its result and no "thinking…" is sent, then or later."""
    response = FakeResponse()
    interaction = FakeInteraction(response)
    assert await answer_soon(interaction, late("done", 0.0), ephemeral=True) == "done"  # type: ignore[arg-type]
    await asyncio.sleep(0.1)  # past the patience: the timer was cancelled with the work done
    assert response.defers == []
    assert DEFERRING not in interaction.extras


async def test_late_work_is_deferred_while_it_runs_and_the_defer_lands_first() -> None:
    """Work past the patience gets one defer (thinking, private as asked) while it still runs; answer_soon returns
    only once the defer has landed, so the reply that follows edits the placeholder instead of racing it."""
    response = FakeResponse(defer_takes=0.2)
    interaction = FakeInteraction(response)
    result = await answer_soon(interaction, late("done", 0.1), ephemeral=True)  # type: ignore[arg-type]
    assert result == "done"
    assert response.defers == [{"ephemeral": True, "thinking": True}]
    assert response.deferred_done  # the work finished at 0.1 s, the defer at 0.25 s: it was waited for


async def test_late_work_that_fails_raises_after_the_defer_landed() -> None:
    """A failure of late work reaches the caller (who answers with a notice) only after the placeholder exists."""
    response = FakeResponse(defer_takes=0.2)
    interaction = FakeInteraction(response)
    with pytest.raises(ValueError, match="work failed"):
        await answer_soon(interaction, late("x", 0.1, fail=True), ephemeral=False)  # type: ignore[arg-type]
    assert response.defers == [{"ephemeral": False, "thinking": True}]
    assert response.deferred_done


async def test_an_interaction_that_arrived_late_is_deferred_before_the_work() -> None:
    """With less than the margin left of Discord's 3 s, the defer goes out before any work starts."""
    response = FakeResponse()
    interaction = FakeInteraction(response, age=2.0)
    started_after_defer: list[bool] = []

    async def work() -> str:
        started_after_defer.append(response.deferred_done)
        return "done"

    assert await answer_soon(interaction, work(), ephemeral=True) == "done"  # type: ignore[arg-type]
    assert started_after_defer == [True]


async def test_a_refused_defer_is_raised_and_late_work_still_finishes_first() -> None:
    """When the defer itself fails, the caller hears of it; the work is not abandoned half-way."""
    response = FakeResponse(defer_fails=True)
    interaction = FakeInteraction(response)
    finished: list[str] = []

    async def work() -> str:
        await asyncio.sleep(0.1)
        finished.append("work")
        return "done"

    with pytest.raises(RuntimeError, match="defer refused"):
        await answer_soon(interaction, work(), ephemeral=True)  # type: ignore[arg-type]
    assert finished == ["work"]


async def test_a_defer_the_work_sent_itself_is_not_sent_again() -> None:
    """A defer already sent by the work itself (a chart to draw) is shared: the timer sends no second one."""
    response = FakeResponse()
    interaction = FakeInteraction(response)

    async def work() -> str:
        await messages.defer_once(interaction, ephemeral=True)  # type: ignore[arg-type]
        await asyncio.sleep(0.1)
        return "done"

    assert await answer_soon(interaction, work(), ephemeral=True) == "done"  # type: ignore[arg-type]
    assert len(response.defers) == 1
