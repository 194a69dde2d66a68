"""Show your work, line by line: each trace as ``label = formula = **value**``, grouped by what it is of.

A view shows dozens of formulas and the file hundreds, so each piece is made once and reused:

- the label (the words for a trace's key, work/label.j2) once per key and locale;
- the formula's words (work/formulas/<id>.j2) once per formula id, locale and number of inputs, as a pattern: the
  template is rendered with numbered holes where its inputs go, and each trace fills the holes with its inputs,
  already formatted. A template's conditions read the exact inputs (``x``); their values are part of the pattern's
  key, so a condition that shows or hides words gets one pattern per outcome;
- each figure once per render (the same figure is often an input of several formulas).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, NamedTuple

import jinja2

from prompts.environment import (
    COUNT_INPUTS,
    PRICE_INPUTS,
    RATE_INPUTS,
    SHARE_INPUTS,
    USD_PRICE_INPUTS,
    figure_text,
    key_parts,
)
from valuation.formulas import Trace
from valuation.result import TABLE_SCOPES, Valuation
from valuation.serialize import exact

MAX_LABELS = 8192
MAX_PATTERNS = 4096
_HOLE = re.compile("\x00(\\d+)\x00")
_LATER = re.compile(
    r"(?:^|\.)(?:months|cost_to_leave|exercise_cash)\["  # month by month
    r"|(?:^|\.)total\."  # a grant's figures summed over the years
    r"|^grants\[\d+\]\.(?:scenarios\.|max_forfeit_on_leaving)"  # its scenarios over the years, its largest month-end loss
    r"|^scenarios\.\w+\.\w+_horizon$"  # a scenario's totals over the years
)
_YEAR = re.compile(r"(?:^|\.)years\[(\d+)\]")


@functools.lru_cache(maxsize=MAX_LABELS)
def in_short_view(key: str) -> bool:
    """Whether a trace belongs in the short view: the headline's, and year 1's (a year's, a grant's or a scenario's
    figures for year 1, the inputs they share). What is month by month or summed over the years is in the file."""
    if key.startswith("headline."):
        return True
    if _LATER.search(key):
        return False
    year = _YEAR.search(key)
    return year is None or year.group(1) == "1"


def unused_assumptions(valuation: Valuation) -> frozenset[str]:
    """Assumptions this offer's figures do not depend on: a price fall for a kind of credit it has none of, what
    credits are worth to you when it has none, the dollar rate of a dollar offer."""
    kinds = {grant.denomination for grant in valuation.grants}
    unused = set()
    if "tokens" not in kinds:
        unused.add("token_deflation")
    if "gpu_hours" not in kinds:
        unused.add("gpu_deflation")
    if not kinds:
        unused.update(("utilization", "employer_cost_ratio"))
    if valuation.currency == "USD":
        unused.add("usd_rate")
    return frozenset(unused)


def _last_name(key: str) -> str:
    """``grants[0].years[1].face`` → ``face``: what a trace's value is (its form follows from it)."""
    return key.rpartition(".")[2].partition("[")[0]


def _kind(name: str) -> str:
    """Which form a figure named ``name`` takes (see :func:`figure_text`): figures of one kind and value look alike."""
    if name in SHARE_INPUTS:
        return "share"
    if name in PRICE_INPUTS:
        return "price"
    if name in USD_PRICE_INPUTS:
        return "usd-price"
    if name in COUNT_INPUTS or name in RATE_INPUTS:
        return "number"
    return "money"


class Line(NamedTuple):
    """One formula as shown: ``label = formula = **value**`` (no formula when it is the value itself)."""

    label: str
    formula: str
    value: str


class _Reads:
    """The exact inputs a formula's template tests in its conditions, noting which ones it read."""

    def __init__(self, inputs: dict[str, Decimal]) -> None:
        self._inputs = inputs
        self.read: list[str] = []

    def __getattr__(self, name: str) -> Decimal:
        if name.startswith("_"):
            raise AttributeError(name)
        self.read.append(name)
        return self._inputs[name]


class WorkLines:
    """The lines of Show your work, with what they reuse; one per :class:`~prompts.Renderer`."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._labels: dict[tuple[str, str], str] = {}
        self._templates: dict[str, jinja2.Template] = {}
        # Per formula id: the names of the exact inputs its conditions read (None: they depend on the inputs).
        self._tested: dict[str, tuple[str, ...] | None] = {}
        self._patterns: dict[tuple[Any, ...], str] = {}
        self._modules: dict[tuple[str, str, str, str], Any] = {}

    def groups(self, traces: Iterable[Trace], currency: str, locale: str) -> dict[str, list[Line]]:
        """Lines by group (a year, a grant, an equity grant, a month-by-month table...), groups in the order they
        first appear."""
        figures: dict[tuple[Decimal, str], str] = {}

        def figure(value: Decimal, name: str) -> str:
            key = (value, _kind(name))
            text = figures.get(key)
            if text is None:
                text = figures[key] = figure_text(exact(value), name, currency, locale)
            return text

        groups: dict[str, list[Line]] = {}
        for trace in traces:
            key = trace.key
            scope = key.split(".", 1)[0]
            if scope.startswith(TABLE_SCOPES):  # one section each, not one per month
                scope = scope.split("[", 1)[0]
            texts = [figure(value, name) for name, value in trace.inputs]
            formula, value = self.formula(trace, texts, locale), figure(trace.value, _last_name(key))
            # A sum of one part reads "x = $5.00 = **$5.00**": the formula says nothing the value does not.
            line = Line(self.label(key, locale), "" if formula == value else formula, value)
            groups.setdefault(scope, []).append(line)
        return groups

    def macros(self, name: str, target: str, locale: str, currency: str) -> Any:
        """The macros of a shared template (assumption names and values, tax rate parts) made once per target,
        locale and currency, the only data they read: importing them "with context" made them again on every
        render."""
        key = (name, target, locale, currency)
        module = self._modules.get(key)
        if module is None:
            base = {"target": target, "locale": locale, "currency": currency}
            module = self.env.get_template(name).make_module(base)
            if len(self._modules) < MAX_PATTERNS:
                self._modules[key] = module
        return module

    def label(self, key: str, locale: str) -> str:
        cached = self._labels.get((key, locale))
        if cached is not None:
            return cached
        base = {"target": "text", "locale": locale, "currency": "USD", "parts": key_parts(key)}
        text = self.env.get_template("work/label.j2").render(base).strip()
        label = text[:1].upper() + text[1:]
        if len(self._labels) < MAX_LABELS:  # keys are bounded by the horizon and the grants; locales are few
            self._labels[(key, locale)] = label
        return label

    def template(self, formula: str) -> jinja2.Template:
        """The formula's own template, or the one that shows a formula's id when it has no words."""
        template = self._templates.get(formula)
        if template is None:
            try:
                template = self.env.get_template(f"work/formulas/{formula}.j2")
            except jinja2.TemplateNotFound:
                template = self.env.get_template("work/formulas/_unknown.j2")
            self._templates[formula] = template  # formula ids are the core's fixed set
        return template

    def formula(self, trace: Trace, texts: list[str], locale: str) -> str:
        """The formula's words with ``texts`` (its inputs, formatted, in order) in their places."""
        formula = trace.formula
        tested = self._tested.get(formula, ())
        if tested is not None:
            inputs = dict(trace.inputs)
            # The inputs' names in order are part of the key: a pattern puts each input in its place by position.
            key = (formula, locale, tuple(inputs), *(inputs[name] for name in tested))
            pattern = self._patterns.get(key)
            if pattern is not None:
                return pattern.format(*texts)
        return self._new_pattern(trace, locale).format(*texts)

    def _new_pattern(self, trace: Trace, locale: str) -> str:
        formula = trace.formula
        holes = [f"\x00{n}\x00" for n in range(len(trace.inputs))]
        reads = _Reads(dict(trace.inputs))
        template = self.template(formula)
        data = {
            "i": SimpleNamespace(**{name: hole for (name, _), hole in zip(trace.inputs, holes, strict=True)}),
            "parts": holes,
            "x": reads,
            "id": formula,
            "locale": locale,
        }
        # The template reads only these (no globals): a shared context skips copying them in.
        text = "".join(template.root_render_func(template.new_context(data, shared=True))).strip()
        pattern = _HOLE.sub(r"{\1}", text.replace("{", "{{").replace("}", "}}"))
        tested = tuple(reads.read)
        known = self._tested.setdefault(formula, tested)
        if known != tested:  # its conditions read different inputs for different values: no pattern is kept
            self._tested[formula] = None
        elif len(self._patterns) < MAX_PATTERNS:
            inputs = dict(trace.inputs)
            self._patterns[(formula, locale, tuple(inputs), *(inputs[name] for name in tested))] = pattern
        return pattern
