"""Every word on a chart comes from a template in prompts/templates/charts: each top-level ``set`` there is read here."""

from __future__ import annotations

from typing import Any

from prompts import Renderer

_RENDERER: Renderer | None = None


def default_renderer() -> Renderer:
    """One renderer per process (its jinja2 environment is built once)."""
    global _RENDERER  # noqa: PLW0603 -- a lazily built, never-replaced process singleton
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def chart_words(renderer: Renderer, name: str, *, locale: str, currency: str, **data: Any) -> Any:
    """The template ``charts/<name>.j2`` as a module: its ``set`` variables and macros as attributes."""
    template = renderer.env.get_template(f"charts/{name}.j2")
    return template.make_module({"target": "text", "locale": locale, "currency": currency, **data})


def written(renderer: Renderer, path: str, alt: str, *, locale: str) -> str:
    """The line the CLI prints after writing a chart."""
    return renderer.text("charts/written", locale=locale, target="text", path=path, alt=alt)
