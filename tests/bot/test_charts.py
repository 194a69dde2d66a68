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

    def finish(self) -> None:
        """The oldest job is done: a PNG."""
        self.held.pop(0).set_result(b"\x89PNG")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _held_pool(monkeypatch: pytest.MonkeyPatch, workers: int) -> tuple[ChartPool, HeldExecutor, Clock]:
    monkeypatch.setattr("bot.charts.QUEUE_BUDGET_SECONDS", 0.5)
    executor, clock = HeldExecutor(), Clock()
    pool = ChartPool(workers, executor=executor, clock=clock)
    pool.estimate = 0.125  # a chart takes 1/8 s of a worker (exact in binary, so the sums below are exact)
    return pool, executor, clock


def test_charts_past_the_queue_budget_are_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one worker, 1/8 s a render and a 1/2 s budget, four charts queue and the fifth is refused without being
    submitted; once one is drawn, another fits."""
    pool, executor, _ = _held_pool(monkeypatch, workers=1)
    # The n-th chart (n - 1 waiting) is drawn after n × 1/8 s: n = 4 gives 1/2 s (within), n = 5 gives 5/8 s (over).
    assert all(pool.submit(CHART) is not None for _ in range(4))
    assert pool.submit(CHART) is None
    assert len(executor.held) == 4 and pool.waiting == 4
    executor.finish()
    assert pool.waiting == 3
    assert pool.submit(CHART) is not None


def test_two_workers_take_twice_the_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers the same budget holds eight charts: the n-th is drawn after n × 1/8 s / 2."""
    pool, executor, _ = _held_pool(monkeypatch, workers=2)
    assert all(pool.submit(CHART) is not None for _ in range(8))  # n = 8: 8/16 s = 1/2 s
    assert pool.submit(CHART) is None  # n = 9: 9/16 s
    assert len(executor.held) == 8


def test_the_estimate_follows_the_measured_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chart back moves the estimate a fifth of the way to what its wait says a chart costs: with one worker,
    the first chart (none ahead) back after 0.3 s says 0.3 s, so 0.125 + 0.2 × (0.3 − 0.125) = 0.16; the second
    (one ahead) back at 0.5 s says 0.5 / 2 = 0.25, so 0.16 + 0.2 × (0.25 − 0.16) = 0.178; a failed one says nothing."""
    pool, executor, clock = _held_pool(monkeypatch, workers=1)
    for _ in range(3):
        pool.submit(CHART)
    clock.now = 0.3
    executor.finish()
    assert pool.estimate == pytest.approx(0.16)
    clock.now = 0.5
    executor.finish()
    assert pool.estimate == pytest.approx(0.178)
    executor.held.pop(0).set_exception(RuntimeError("no fonts"))
    assert pool.estimate == pytest.approx(0.178) and pool.waiting == 0


def test_two_workers_halve_a_measured_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers, a chart with three ahead back after 0.5 s waited for two charts' worth of each worker:
    0.5 × 2 / 4 = 0.25 s a chart, so the estimate becomes 0.125 + 0.2 × (0.25 − 0.125) = 0.15."""
    pool, executor, clock = _held_pool(monkeypatch, workers=2)
    for _ in range(4):
        pool.submit(CHART)
    for _ in range(3):
        executor.held.pop(0).cancel()  # the three ahead, taken back: no measurement
    clock.now = 0.5
    executor.finish()
    assert pool.estimate == pytest.approx(0.15)


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
    pool, executor, _ = _held_pool(monkeypatch, workers=1)
    for _ in range(4):
        pool.submit(CHART)
    parts = [MessagePart(embeds=(EmbedPart(title="A"),))]
    interaction: Any = FakeInteraction()
    noted, image = await chart_or_note(
        pool, Renderer(), CHART, parts, name="c.png", locale="en-US", interaction=interaction, ephemeral=True
    )
    assert image is None and noted == with_note(parts, Renderer(), "en-US")
    assert interaction.response.deferred == 0
    executor.finish()
    executor.finish()
    pending = asyncio.ensure_future(
        chart_or_note(
            pool, Renderer(), CHART, parts, name="c.png", locale="en-US", interaction=interaction, ephemeral=True
        )
    )
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert interaction.response.deferred == 1
    while executor.held:
        executor.finish()
    kept, image = await pending
    assert kept == parts and image is not None and image.filename == "c.png"
