"""Charts in replies: drawn in a worker process, never on the event loop, and never in the way of the answer.

A render holds the GIL for about a tenth of a second, so a thread would stall every other interaction for that
long; a small process pool keeps the loop free. The workers start from a fork server that has already imported
matplotlib and the chart code, and one warm-up render runs at start, so the first reply does not pay for either.
A chart that fails, takes longer than :data:`RENDER_TIMEOUT_SECONDS`, or is larger than the interaction's upload
limit is left out; the text answer goes out with a one-line note instead.
"""

from __future__ import annotations

import asyncio
import io
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace
from multiprocessing.context import BaseContext

import discord

from bot.messages import defer_once
from charts import Chart
from prompts import MessagePart, Renderer

log = logging.getLogger(__name__)

RENDER_TIMEOUT_SECONDS = 2.0
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


def _pool(workers: int) -> ProcessPoolExecutor:
    context: BaseContext
    try:
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(["charts.render", "bot.charts"])
        context = server
    except ValueError:  # no fork server on this platform
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class ChartPool:
    """Renders chart specs to PNG bytes in worker processes (created on first use)."""

    def __init__(self, workers: int | None = None, *, executor: Executor | None = None) -> None:
        self.workers = workers or 1  # a render is ~0.1 s; one worker leaves the other core to the event loop
        self._executor = executor

    def _ensure(self) -> Executor:
        if self._executor is None:
            self._executor = _pool(self.workers)
        return self._executor

    def start(self) -> None:
        """Start the workers and render once in each, in the background."""
        executor = self._ensure()
        for _ in range(self.workers):
            executor.submit(warm)

    async def render(self, chart: Chart, *, limit_bytes: int) -> bytes | None:
        """The PNG, or None when it failed, was too slow or is too large to upload."""
        try:
            future = self._ensure().submit(draw, chart)
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
    as the answer will be) goes out before it is drawn."""
    if chart is None:
        return parts, None
    await defer_once(interaction, ephemeral=ephemeral)
    png = await pool.render(chart, limit_bytes=interaction.filesize_limit)
    if png is None:
        return with_note(parts, renderer, locale), None
    return parts, chart_file(png, name, chart.alt)
