"""One renderer for the whole template test session, so a final check can list templates never rendered."""

from __future__ import annotations

import pytest

from prompts import Renderer

SESSION_RENDERER = Renderer()


@pytest.fixture
def renderer() -> Renderer:
    return SESSION_RENDERER
