"""The bot's chart pool leaves a chart out, rather than the answer, when drawing fails or the PNG is too large."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from bot.charts import ChartPool, draw, with_note
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
