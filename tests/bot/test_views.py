"""The result buttons' layout views: sent but never kept by discord.py, so they neither pile up nor, on timing
out, unregister the one handler that answers every press."""

from __future__ import annotations

import pytest

from bot.views import ResultButton, file_view, result_view
from prompts import Renderer


@pytest.mark.asyncio
async def test_result_buttons_are_laid_out_by_a_stopped_view() -> None:
    """The breakdown's view is finished before it is sent (discord.py stores only unfinished views) and still
    carries each offered button with its fixed custom id and its label."""
    renderer = Renderer()
    view = result_view(renderer, "en-US", share_offered=True, advice_offered=False)
    assert view.is_finished()
    rows = view.to_components()
    buttons = [(c["custom_id"], c["label"]) for row in rows for c in row["components"]]
    assert buttons == [("result:share", "Share"), ("result:work", "Show your work")]
    assert file_view(renderer, "en-US").is_finished()


def test_one_handler_answers_every_result_button() -> None:
    """The dynamic item's pattern matches each result button id, and nothing else."""
    pattern = ResultButton.__discord_ui_compiled_template__
    for action in ("share", "work", "advice", "file"):
        assert pattern.fullmatch(f"result:{action}")
    assert not pattern.fullmatch("privacy:export")
    assert not pattern.fullmatch("result:work:extra")
