"""The bot's chart pool leaves a chart out, rather than the answer, when drawing fails, the PNG is too large or the
charts already waiting would not leave it time to be drawn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from bot.charts import ChartPool, chart_or_note, draw, with_note
from charts import money_chart
from prompts import EmbedPart, MessagePart, Renderer
from tests.charts.conftest import example, valued


class InlineExecutor(Executor):
    """Runs each job at once in the caller (a fake of the worker processes)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def _failing(*_: Any) -> bytes:
    raise RuntimeError("no fonts")


CHART = money_chart(valued(example("acme-ai.toml")))


@pytest.mark.asyncio
async def test_a_drawn_chart_within_the_limit_comes_back() -> None:
    """Within the upload limit the PNG is returned as drawn."""
    pool = ChartPool(executor=InlineExecutor())
    png = await pool.render(CHART, limit_bytes=10 * 1024 * 1024)
    assert png == draw(CHART)


@pytest.mark.asyncio
async def test_a_chart_over_the_upload_limit_is_left_out() -> None:
    """A PNG larger than the interaction's limit is not sent."""
    pool = ChartPool(executor=InlineExecutor())
    assert await pool.render(CHART, limit_bytes=1000) is None


@pytest.mark.asyncio
async def test_a_failing_render_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while drawing gives no chart, not an error reply."""
    monkeypatch.setattr("bot.charts.draw", _failing)
    pool = ChartPool(executor=InlineExecutor())
    assert await pool.render(CHART, limit_bytes=10 * 1024 * 1024) is None


def test_the_note_goes_first_on_the_first_page() -> None:
    """Without its chart the answer opens with one line saying so; the pages are otherwise unchanged."""
    parts = [MessagePart(embeds=(EmbedPart(title="A"),)), MessagePart(content="later")]
    noted = with_note(parts, Renderer(), "en-US")
    assert noted[0].content == "The chart couldn't be drawn this time; every figure is in the text below."
    assert noted[0].embeds == parts[0].embeds and noted[1] == parts[1]


class HeldExecutor(Executor):
    """Takes jobs and finishes none until told to (a fake of busy worker processes)."""

    def __init__(self) -> None:
        self.held: list[Future[Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.held.append(future)
        return future

    def finish(self, seconds: float) -> None:
        """The oldest job is done: a PNG, drawn in ``seconds``."""
        self.held.pop(0).set_result((b"\x89PNG", seconds))


def _held_pool(monkeypatch: pytest.MonkeyPatch, workers: int) -> tuple[ChartPool, HeldExecutor]:
    monkeypatch.setattr("bot.charts.QUEUE_BUDGET_SECONDS", 0.5)
    executor = HeldExecutor()
    pool = ChartPool(workers, executor=executor)
    pool.estimate = 0.125  # a render takes 1/8 s (exact in binary, so the sums below are exact)
    return pool, executor


def test_charts_past_the_queue_budget_are_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one worker, 1/8 s a render and a 1/2 s budget, four charts queue and the fifth is refused without being
    submitted; once one is drawn, another fits."""
    pool, executor = _held_pool(monkeypatch, workers=1)
    # The n-th chart (n - 1 waiting) is drawn after n × 1/8 s: n = 4 gives 1/2 s (within), n = 5 gives 5/8 s (over).
    assert all(pool.submit(CHART) is not None for _ in range(4))
    assert pool.submit(CHART) is None
    assert len(executor.held) == 4 and pool.waiting == 4
    executor.finish(0.125)
    assert pool.waiting == 3
    assert pool.submit(CHART) is not None


def test_two_workers_take_twice_the_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers the same budget holds eight charts: the n-th is drawn after n × 1/8 s / 2."""
    pool, executor = _held_pool(monkeypatch, workers=2)
    assert all(pool.submit(CHART) is not None for _ in range(8))  # n = 8: 8/16 s = 1/2 s
    assert pool.submit(CHART) is None  # n = 9: 9/16 s
    assert len(executor.held) == 8


def test_the_render_time_estimate_follows_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each measured render moves the estimate a fifth of the way: 1/8 s and a 0.3 s render give
    0.125 + 0.2 × (0.3 − 0.125) = 0.16 s; a failed render leaves it alone."""
    pool, executor = _held_pool(monkeypatch, workers=1)
    pool.submit(CHART)
    pool.submit(CHART)
    executor.finish(0.3)
    assert pool.estimate == pytest.approx(0.16)
    executor.held.pop(0).set_exception(RuntimeError("no fonts"))
    assert pool.estimate == pytest.approx(0.16) and pool.waiting == 0


class FakeResponse:
    def __init__(self) -> None:
        self.deferred = 0

    def is_done(self) -> bool:
        return self.deferred > 0

    async def defer(self, *, ephemeral: bool, thinking: bool) -> None:
        self.deferred += 1


class FakeInteraction:
    """What chart_or_note reads of an interaction."""

    def __init__(self) -> None:
        self.extras: dict[str, Any] = {}
        self.response = FakeResponse()
        self.filesize_limit = 10 * 1024 * 1024


@pytest.mark.asyncio
async def test_a_refused_chart_answers_with_the_note_and_no_thinking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart refused because the queue is full gives the pages with the note at once, without "thinking…"; a
    chart that is queued defers first."""
    pool, executor = _held_pool(monkeypatch, workers=1)
    for _ in range(4):
        pool.submit(CHART)
    parts = [MessagePart(embeds=(EmbedPart(title="A"),))]
    interaction: Any = FakeInteraction()
    noted, image = await chart_or_note(
        pool, Renderer(), CHART, parts, name="c.png", locale="en-US", interaction=interaction, ephemeral=True
    )
    assert image is None and noted == with_note(parts, Renderer(), "en-US")
    assert interaction.response.deferred == 0
    executor.finish(0.125)
    executor.finish(0.125)
    pending = asyncio.ensure_future(
        chart_or_note(
            pool, Renderer(), CHART, parts, name="c.png", locale="en-US", interaction=interaction, ephemeral=True
        )
    )
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert interaction.response.deferred == 1
    while executor.held:
        executor.finish(0.125)
    kept, image = await pending
    assert kept == parts and image is not None and image.filename == "c.png"
