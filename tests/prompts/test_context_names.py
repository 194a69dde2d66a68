"""The formatting filters read the reply's currency, locale and target from the data a template is rendered with,
not from the template's own variables: so no template may set one of those names (it would be silently ignored)."""

from __future__ import annotations

from jinja2 import nodes

from prompts import Renderer

READ_BY_FILTERS = {"currency", "locale", "target"}


def assigned_names(tree: nodes.Node) -> set[str]:
    """Every name a template binds: ``set``, ``for`` targets, ``with``, macro and call-block parameters."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for macro in tree.find_all((nodes.Macro, nodes.CallBlock)):
        names |= {arg.name for arg in macro.args}
    return names


def test_no_template_sets_a_name_the_filters_read() -> None:
    """Across every template, none of ``currency``, ``locale``, ``target`` is assigned."""
    renderer = Renderer()
    env = renderer.env
    offending = {}
    names = renderer.template_names()
    assert len(names) > 50
    for name in names:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        found = assigned_names(env.parse(source)) & READ_BY_FILTERS
        if found:
            offending[name] = found
    assert offending == {}


def test_the_check_finds_an_assignment() -> None:
    """The scan sees a ``set``, a loop variable and a macro parameter (so the test above can fail)."""
    env = Renderer().env
    source = "{% set currency = 'EUR' %}{% for locale in xs %}{% endfor %}{% macro m(target) %}{% endmacro %}"
    assert assigned_names(env.parse(source)) >= READ_BY_FILTERS
