"""Runs last in this folder: every template in prompts/templates was loaded by some test."""

from __future__ import annotations

from tests.prompts.conftest import SESSION_RENDERER


def test_no_template_is_unused() -> None:
    """Each template file is loaded (rendered, included or imported) by the prompt tests: none is dead wording."""
    unused = set(SESSION_RENDERER.template_names()) - SESSION_RENDERER.rendered
    assert not unused, sorted(unused)
