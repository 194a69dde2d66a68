"""Charts in replies: drawn in a worker process, never on the event loop, and never in the way of the answer.

A render holds the GIL for 15-20 ms, so a thread would stall every other interaction for that long; a small process
pool keeps the loop free. The workers start from a fork server that has already imported matplotlib and the chart
code, and warm-up renders run at start, so the first reply does not pay for either.

A chart is left out, and the text answer goes out with a one-line note instead, when it fails, is larger than the
interaction's upload limit, is not back within :data:`RENDER_TIMEOUT_SECONDS`, or would not even start in time:
when the charts already waiting would keep the workers busy for more than :data:`QUEUE_BUDGET_SECONDS` (at the time
per chart measured so far), the chart is not queued at all, so a burst answers at once with text instead of
every reply waiting behind the queue. That answer needs no "thinking…" first.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import replace
from multiprocessing.context import BaseContext

import discord

from bot.messages import defer_once
from charts import Chart
from prompts import MessagePart, Renderer

log = logging.getLogger(__name__)

RENDER_TIMEOUT_SECONDS = 1.0  # a chart not back by then is left out
QUEUE_BUDGET_SECONDS = 0.4  # a chart is queued only if the charts ahead of it should be drawn within this
FIRST_ESTIMATE_SECONDS = 0.05  # a chart's share of the workers' time until one is measured (a render: 15-20 ms)
ESTIMATE_WEIGHT = 0.2  # of each new measurement in the running estimate
MONEY_CHART_NAME = "where-the-money-is.png"  # attachment:// names: ASCII letters, digits, "_-." only
COMPARE_CHART_NAME = "offers-compared.png"


def draw(chart: Chart) -> bytes:
    """In a worker: the chart as PNG bytes (this process never imports matplotlib)."""
    from charts.render import render  # noqa: PLC0415 -- preloaded by the fork server

    data: bytes = render(chart)
    return data


def warm() -> int:
    """In a worker: one small render, so fonts and caches are loaded before the first reply."""
    from charts.render import warm as warm_up  # noqa: PLC0415

    return warm_up()


WORKER_NICENESS = 10  # below the bot's own process: the event loop answers first, charts use what is left


def _lower_priority() -> None:
    """In a new worker: yield the CPU to the bot's event loop whenever both want it."""
    # No nice on this platform, or not allowed: the same priority then.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICENESS)


def _pool(workers: int) -> ProcessPoolExecutor:
    context: BaseContext
    try:
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["charts.render", "bot.charts"])
        context = server
    except ValueError:  # no fork server on this platform
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_lower_priority)


def default_workers() -> int:
    """Two workers where there are two cores or more: a render is CPU-bound and the event loop needs little."""
    return min(2, os.cpu_count() or 1)


class ChartPool:
    """Renders chart specs to PNG bytes in worker processes (created on first use), refusing charts that could not
    be drawn in time."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        executor: Executor | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workers = workers or default_workers()
        self._executor = executor
        self._clock = clock
        self.waiting = 0  # charts submitted and not yet drawn (or failed)
        # Seconds of the workers' time per chart, as measured from submission to result: it counts the pickling,
        # the trip to the worker and back and the CPU the worker did not get on a busy machine, not only the render.
        self.estimate = FIRST_ESTIMATE_SECONDS
        self._lock = threading.Lock()  # a process pool calls back from its own thread

    def _ensure(self) -> Executor:
        if self._executor is None:
            self._executor = _pool(self.workers)
        return self._executor

    def prepare(self) -> None:
        """Make the pool now (no process starts yet), so every later caller, from any thread, uses this one."""
        self._ensure()

    def start(self) -> None:
        """Start the workers and render once in each, in the background."""
        executor = self._ensure()
        for _ in range(self.workers):
            executor.submit(warm)

    def expected_wait(self) -> float:
        """Seconds until a chart submitted now would be drawn, at the measured render time."""
        return (self.waiting + 1) * self.estimate / self.workers

    def submit(self, chart: Chart) -> Future[bytes] | None:
        """Queue the chart, or None (nothing queued) when it would not be drawn within :data:`QUEUE_BUDGET_SECONDS`
        or the pool cannot take it."""
        if self.expected_wait() > QUEUE_BUDGET_SECONDS:
            log.info("chart left out: %d charts already waiting", self.waiting)
            return None
        try:
            future = self._ensure().submit(draw, chart)
        except Exception:
            log.exception("chart left out: the workers could not take it")
            return None
        with self._lock:
            ahead = self.waiting
            self.waiting += 1
        submitted = self._clock()
        future.add_done_callback(lambda done: self._done(done, submitted, ahead))
        return future

    def _done(self, future: Future[bytes], submitted: float, ahead: int) -> None:
        """One chart back: with ``ahead`` charts before it on ``workers`` workers, its wait was (ahead + 1) / workers
        charts' worth of the workers' time, which gives one measurement of a chart's share."""
        drawn = not future.cancelled() and future.exception() is None
        share = (self._clock() - submitted) * self.workers / (ahead + 1)
        with self._lock:
            self.waiting -= 1
            if drawn:
                self.estimate += ESTIMATE_WEIGHT * (share - self.estimate)

    async def result(self, future: Future[bytes], *, limit_bytes: int) -> bytes | None:
        """The submitted chart's PNG, or None when it failed, was too slow or is too large to upload."""
        try:
            png = await asyncio.wait_for(asyncio.wrap_future(future), RENDER_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("chart left out: slower than %.1f s", RENDER_TIMEOUT_SECONDS)
            return None
        except Exception:
            log.exception("chart left out: rendering failed")
            return None
        if len(png) > limit_bytes:
            log.warning("chart left out: %d bytes over the upload limit", len(png))
            return None
        return png

    async def render(self, chart: Chart, *, limit_bytes: int) -> bytes | None:
        """Submit and wait: the PNG, or None when the chart was left out."""
        future = self.submit(chart)
        return None if future is None else await self.result(future, limit_bytes=limit_bytes)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def chart_file(png: bytes, name: str, alt: str) -> discord.File:
    return discord.File(io.BytesIO(png), filename=name, description=alt[:1024])


def with_note(parts: list[MessagePart], renderer: Renderer, locale: str) -> list[MessagePart]:
    """The answer without its chart: the first page says so in one line."""
    note = renderer.text("charts/unavailable", locale=locale)
    first, *rest = parts
    content = f"{note}\n{first.content}" if first.content else note
    return [replace(first, content=content), *rest]


async def chart_or_note(
    pool: ChartPool,
    renderer: Renderer,
    chart: Chart | None,
    parts: list[MessagePart],
    *,
    name: str,
    locale: str,
    interaction: discord.Interaction,
    ephemeral: bool,
) -> tuple[list[MessagePart], discord.File | None]:
    """The pages and the chart to attach: no chart asked for, the pages alone; a chart left out, the pages with the
    note. A chart takes longer than Discord's first-response budget allows under load, so "thinking…" (``ephemeral``
    as the answer will be) goes out before it is drawn; a chart refused at once (too many waiting) needs none."""
    if chart is None:
        return parts, None
    pending = pool.submit(chart)
    if pending is None:
        return with_note(parts, renderer, locale), None
    await defer_once(interaction, ephemeral=ephemeral)
    png = await pool.result(pending, limit_bytes=interaction.filesize_limit)
    if png is None:
        return with_note(parts, renderer, locale), None
    return parts, chart_file(png, name, chart.alt)
