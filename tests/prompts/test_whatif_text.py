"""The words of the what-if menu fit Discord's select limits."""

from __future__ import annotations

from bot.features.whatif import CHANGES
from prompts import Renderer


def test_labels_fit_a_select(renderer: Renderer) -> None:
    """At most 25 options, each label 1–100 characters, the placeholder at most 150."""
    assert len(CHANGES) <= 25
    for change in CHANGES:
        assert 1 <= len(renderer.text("whatif/text", key=change).strip()) <= 100, change
    assert len(renderer.text("whatif/text", key="placeholder").strip()) <= 150
