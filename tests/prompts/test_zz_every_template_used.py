"""Runs last in this folder: every template in prompts/templates was rendered by some test."""

from __future__ import annotations

from tests.templates.conftest import SESSION_RENDERER


def test_no_template_is_unused() -> None:
    """Each template file is rendered at least once by the template tests (an unused one is dead wording)."""
    unused = set(SESSION_RENDERER.template_names()) - SESSION_RENDERER.rendered
    # Included and imported templates are rendered through their parents.
    unused -= {"shared/grant_label.j2", "errors/_field.j2", "work/formulas.j2"}
    assert not unused, sorted(unused)
