"""Renderings: the same plain data to plain text (CLI) or Discord parts (bot).

Each rendering is a list of section templates. A section template's first line is its title, the rest its
Markdown body. The text target joins sections under headings; the Discord target pages them into embeds within
Discord's limits. Templates read the core's results as they are (frozen dataclasses of exact Decimals: a breakdown
reads a few dozen of a valuation's figures, and converting the rest to plain data first cost more than rendering),
or plain data (``valuation.to_plain``) where a view is built from several results; plus a few presentation choices.
Every figure is rounded once, half-even, by the filter that shows it.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

import jinja2

from prompts.environment import RecordingLoader, build_environment, key_parts
from prompts.parts import (
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    ERROR_COLOR,
    EmbedPart,
    MessagePart,
    Section,
    paginate,
)
from prompts.work import WorkLines, in_short_view, unused_assumptions
from valuation import AssumptionUsed, Comparison, Conversion, OfferError, Registry, Valuation, to_plain
from valuation.advisor.result import Advice
from valuation.compare import ComparedOffer
from valuation.formulas import Trace

Target = Literal["text", "discord"]


def exact_plain(result: object) -> Any:
    """Plain data with every digit kept, so each figure is rounded once, half-even, by the filter that shows it
    (rounding to cents first and then to whole units could round 2.4999 to 3)."""
    return to_plain(result, keep_exact=True)


HIGHLIGHT_MONTHS = (11, 12, 13, 24)
MAX_FIXED_TEXTS = 4096
# An email too long for message content goes in one embed, a little under its description limit.
_SCRIPT_EMBED_MAX = EMBED_DESCRIPTION_MAX - 96


def fit_script(block: str, attached_note: str) -> MessagePart:
    """A titled code block as message content when it fits, else as an embed (title, then the block), else the note
    that the email is in the attached file."""
    if len(block) <= CONTENT_MAX:
        return MessagePart(content=block)
    title, _, body = block.partition("\n")
    if len(body) <= _SCRIPT_EMBED_MAX:
        return MessagePart(embeds=(EmbedPart(title=title.strip(), description=body),))
    return MessagePart(content=attached_note)


MAX_PROBLEMS_SHOWN = 20
_COMPARED_FIELDS = tuple(f.name for f in dataclasses.fields(ComparedOffer) if f.name != "cash_equivalent_months")


_NOTHING: Mapping[str, Any] = MappingProxyType({})


class RenderingData(Mapping[str, Any]):
    """The data of the reply being rendered in this thread or task, read like a dict: the context of templates made
    once and used by every reply (the advice phrases)."""

    def __init__(self) -> None:
        self._current: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar("rendering", default=_NOTHING)

    @contextlib.contextmanager
    def holding(self, data: dict[str, Any]) -> Iterator[None]:
        token = self._current.set(data)
        try:
            yield
        finally:
            self._current.reset(token)

    def __getitem__(self, key: str) -> Any:
        return self._current.get()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._current.get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._current.get())

    def __len__(self) -> int:
        return len(self._current.get())


def assumed_terms(valuation: Valuation) -> list[tuple[tuple[str, ...], list[int]]]:
    """The compute grants whose terms the offer left unstated, grouped by the same terms: each group's terms (as
    the grants' ``assumed`` lists them) and its grants' numbers (from 1), in the order the groups first appear."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for grant in valuation.grants:
        if grant.assumed:
            groups.setdefault(tuple(grant.assumed), []).append(grant.index + 1)
    return list(groups.items())


class Renderer:
    """Holds the one jinja2 Environment; create one per process and pass it where words are needed."""

    def __init__(self, *, bytecode_cache: jinja2.BytecodeCache | None = None) -> None:
        self.env: jinja2.Environment = build_environment(bytecode_cache)
        self._fixed_texts: dict[tuple[str, str, str], str] = {}
        self._rendering = RenderingData()
        self._phrases_made: Any = None
        self._phrases_lock = threading.Lock()
        self.work_lines = WorkLines(self.env)

    @staticmethod
    def user_bytecode_cache() -> jinja2.BytecodeCache | None:
        """Compiled templates kept between runs in jinja2's private per-user directory (None if there is none)."""
        try:
            return jinja2.FileSystemBytecodeCache()
        except (OSError, RuntimeError):
            return None

    def compile_all(self) -> Renderer:
        """Compile every template now (a server does this at start), so no reply pays for compiling one and replies
        arriving together never compile the same template twice."""
        for name in self.template_names():
            self.env.get_template(name)
        return self

    @property
    def rendered(self) -> frozenset[str]:
        """Names of every template loaded so far, directly or through include/import (tests find unused ones)."""
        loader = self.env.loader
        return frozenset(loader.loaded) if isinstance(loader, RecordingLoader) else frozenset()

    # -- plumbing ------------------------------------------------------------------------------------------------
    def _render(self, name: str, data: dict[str, Any]) -> str:
        with self._rendering.holding(data):
            return self.env.get_template(name).render(**data).strip()

    def _shared(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` with the environment's globals, for :meth:`_render_shared`."""
        return {**self.env.globals, **data}

    def _render_shared(self, name: str, context: dict[str, Any]) -> str:
        """As :meth:`_render`, from a context made once by :meth:`_shared`: jinja's ``render`` copies the data and
        merges the globals into it on every call, and a reply that renders a dozen templates from the same data need
        not. Templates only read the context (what they set stays in their own)."""
        template = self.env.get_template(name)
        # The context as ``template.new_context(context, shared=True)`` makes it, without listing the template's
        # globals (which only an import of a template with globals of its own would read; none has any).
        env = self.env
        made = env.context_class(env, context, template.name, template.blocks)
        with self._rendering.holding(context):
            return env.concat(template.root_render_func(made)).strip()

    def _phrases_module(self) -> Any:
        """The shared advice phrases (advice/_macros.j2), for ``data["phrases"]``. Jinja's macros read the names they
        use when called, from the context they were made in: here one context for the life of the renderer, whose
        data is that of the template being rendered in this thread or task (:class:`RenderingData`, held by
        :meth:`_render` and :meth:`_render_shared`). Made per reply instead, a module costs its making, and its macros
        and their context keep each other: a cycle only the garbage collector frees, holding the valuation and the
        advice (some two hundred objects a reply) until it runs."""
        module = self._phrases_made
        if module is None:
            with self._phrases_lock:
                if self._phrases_made is None:
                    template = self.env.get_template("advice/_macros.j2")
                    self._phrases_made = template.make_module(self._rendering, shared=True)  # type: ignore[arg-type]
                module = self._phrases_made
        return module

    def _sections(self, names: Iterable[str], data: dict[str, Any], *, shared: bool = False) -> list[Section]:
        """Each template's first line as the section title, the rest its body; templates that render nothing are left
        out. ``shared``: ``data`` was made by :meth:`_shared`."""
        render = self._render_shared if shared else self._render
        sections = []
        for name in names:
            text = render(name, data)
            if not text:
                continue
            title, _, body = text.partition("\n")
            sections.append(Section(title.strip(), body.strip("\n")))
        return sections

    def _text(self, sections: list[Section], data: dict[str, Any]) -> str:
        blocks = [f"## {s.title}\n{s.body}" if s.body else f"## {s.title}" for s in sections]
        footer = self._render("shared/footer.j2", data)
        return "\n\n".join([*blocks, footer]).strip() + "\n"

    def _discord(self, sections: list[Section], data: dict[str, Any], *, color: int | None = None) -> list[MessagePart]:
        footer = self._render("shared/footer.j2", data)
        if color is None:
            return paginate(sections, footer=footer)
        return paginate(sections, footer=footer, color=color)

    @staticmethod
    def _base(target: Target, locale: str, currency: str = "USD") -> dict[str, Any]:
        return {"target": target, "locale": locale, "currency": currency}

    # -- breakdown -----------------------------------------------------------------------------------------------
    @staticmethod
    def _tax_assumption(valuation: Valuation) -> AssumptionUsed | None:
        """The marginal tax rate as the valuation resolved it (the headline names it)."""
        for assumption in valuation.assumptions:
            if assumption.name == "marginal_tax_rate":
                return assumption
        return None

    def _breakdown_data(
        self, valuation: Valuation, target: Target, locale: str, advice: Advice | None = None
    ) -> dict[str, Any]:
        data = self._shared(self._base(target, locale, valuation.currency))
        horizon = valuation.horizon_months
        months = sorted({m for m in (*HIGHLIGHT_MONTHS, horizon) if m <= horizon})
        exercise = valuation.exercise_after(months)
        data.update(
            v=valuation,
            tax_assumption=self._tax_assumption(valuation),
            highlight=valuation.leave_after(months),
            exercise=[row for row in exercise if row.total != 0],
            advice=advice,  # "Your ask" under the headline
            assumed=assumed_terms(valuation),
            phrases=self._phrases_module(),
            tax=self.work_lines.macros("shared/tax_rate.j2", target, locale, valuation.currency),
        )
        return data

    _BREAKDOWN = ("breakdown/headline.j2", "breakdown/years.j2", "breakdown/grants.j2", "breakdown/leave.j2")

    def breakdown_text(self, valuation: Valuation, *, locale: str = "en-US", advice: Advice | None = None) -> str:
        data = self._breakdown_data(valuation, "text", locale, advice)
        return self._text(self._sections(self._BREAKDOWN, data, shared=True), data)

    def breakdown_discord(
        self, valuation: Valuation, *, locale: str = "en-US", advice: Advice | None = None
    ) -> list[MessagePart]:
        data = self._breakdown_data(valuation, "discord", locale, advice)
        return self._discord(self._sections(self._BREAKDOWN, data, shared=True), data)

    # -- show your work ------------------------------------------------------------------------------------------
    def _work_sections(
        self, valuation: Valuation, traces: Iterable[Trace], data: dict[str, Any], *, headline_first: bool = False
    ) -> list[Section]:
        """The assumptions, then one section per group of traces (per year, grant, equity grant, table...), in the
        order the groups first appear (the headline's first when asked). The lines come as text
        (:class:`~prompts.work.WorkLines`)."""
        groups = self.work_lines.groups(traces, valuation.currency, data["locale"])
        if headline_first and "headline" in groups:
            groups = {"headline": groups.pop("headline"), **groups}
        sections = self._sections(("work/assumptions.j2",), data)
        for scope, lines in groups.items():
            group = {"first": key_parts(scope)[0], "lines": lines}
            sections += self._sections(("work/group.j2",), {**data, "group": group})
        return sections

    def _work_data(self, valuation: Valuation, target: Target, locale: str) -> dict[str, Any]:
        data = self._base(target, locale, valuation.currency)
        data["v"] = valuation
        data["unused"] = unused_assumptions(valuation)
        data["assumption"] = self.work_lines.macros("shared/assumptions.j2", target, locale, valuation.currency)
        data["tax"] = self.work_lines.macros("shared/tax_rate.j2", target, locale, valuation.currency)
        return data

    def work_text(self, valuation: Valuation, *, locale: str = "en-US") -> str:
        """Every formula: the assumptions, then each group of traces, the month-by-month tables included."""
        data = self._work_data(valuation, "text", locale)
        return self._text(self._work_sections(valuation, valuation.traces, data), data)

    def work_discord(self, valuation: Valuation, *, locale: str = "en-US") -> list[MessagePart]:
        """The short view for Discord: the assumptions, the headline's formulas, then year 1's (per year, grant, equity
        grant and scenario). Later years, sums over the years and the month-by-month walk are in :meth:`work_text`,
        which the bot sends as a file on request. Only the traces shown are recorded (the month-by-month tables are not), formatted and
        rendered."""
        data = self._work_data(valuation, "discord", locale)
        shown = [trace for trace in valuation.traces.outside_tables() if in_short_view(trace.key)]
        return self._discord(self._work_sections(valuation, shown, data, headline_first=True), data)

    # -- advice --------------------------------------------------------------------------------------------------
    def _advice_data(self, advice: Advice, valuation: Valuation, target: Target, locale: str) -> dict[str, Any]:
        """The advice and the valuation as the core made them, each grant's label, and the advice phrases; as a
        context for :meth:`_render_shared`."""
        data = self._shared(self._base(target, locale, valuation.currency))
        data.update(v=valuation, advice=advice, phrases=self._phrases_module())
        # Grants are named in several places (asks, terms, the email): each label is rendered once.
        data["grant_labels"] = [
            self._render_shared("shared/grant_label.j2", {**data, "g": g}) for g in data["v"].grants
        ]
        return data

    _ADVICE = (
        "advice/ask.j2",
        "advice/plan.j2",
        "advice/fallbacks.j2",
        "advice/warnings.j2",
        "advice/checklist.j2",
        "advice/competing.j2",
        "advice/counter.j2",
    )

    def advice_text(self, advice: Advice, valuation: Valuation, *, locale: str = "en-US") -> str:
        """Your ask, the asks with their reasons, fallbacks, warnings, terms to get in writing, the sums, sources."""
        data = self._advice_data(advice, valuation, "text", locale)
        return self._text(self._sections(self._ADVICE, data, shared=True), data)

    def advice_discord(self, advice: Advice, valuation: Valuation, *, locale: str = "en-US") -> list[MessagePart]:
        """The same as :meth:`advice_text`, paged for Discord (:meth:`advice_reply` adds the email)."""
        data = self._advice_data(advice, valuation, "discord", locale)
        return self._discord(self._sections(self._ADVICE, data, shared=True), data)

    def script_text(self, advice: Advice, valuation: Valuation, *, locale: str = "en-US") -> str:
        """A polite email with the anchor and the asks, to paste and edit (plain text, no Markdown)."""
        data = self._advice_data(advice, valuation, "text", locale)
        return self._render_shared("advice/script.j2", data) + "\n"

    def _script_block(self, data: dict[str, Any], script: str, *, attached: bool) -> str:
        """The email in a code block the person can copy, under a line saying so; the employer's name cannot close
        the block. ``data``: made by :meth:`_shared`."""
        return self._render_shared("advice/script_block.j2", {**data, "script": script, "attached": attached})

    def advice_reply(
        self, advice: Advice, valuation: Valuation, *, locale: str = "en-US", reserve: int = 0
    ) -> tuple[list[MessagePart], str | None]:
        """What the bot answers with advice: the email in a code block as the first message's content (a phone's
        Copy Text copies it), above the strategy's pages; and no file. An email too long for that comes after the
        strategy in a message of its own (in an embed, or else a note pointing to the file) and also as a file: then
        the second value is the file's text. ``reserve``: characters of the first message's content kept for a line
        the caller puts above the email. Everything is rendered from one context."""
        data = self._advice_data(advice, valuation, "discord", locale)
        footer = self._render_shared("shared/footer.j2", data)
        parts = paginate(self._sections(self._ADVICE, data, shared=True), footer=footer)
        script = self._render_shared("advice/script.j2", data)
        block = self._script_block(data, script, attached=False)
        if len(block) <= CONTENT_MAX - reserve and not parts[0].content:
            parts[0] = dataclasses.replace(parts[0], content=block)
            return parts, None
        note = self._render_shared("advice/script_attached.j2", data)
        email = fit_script(self._script_block(data, script, attached=True), note)
        return [*parts, email], self.script_text(advice, valuation, locale=locale)

    # -- compare, prices, tokens ---------------------------------------------------------------------------------
    def _compare_data(self, comparison: Comparison, target: Target, locale: str) -> dict[str, Any]:
        data = self._base(target, locale, comparison.currency)
        # Plain data as plain dicts (the quickest for templates to read), without the month-by-month totals: only
        # the chart reads those, and making them would build each offer's month-by-month table.
        plain: dict[str, Any] = exact_plain(dataclasses.replace(comparison, offers=()))
        plain["offers"] = [
            {name: exact_plain(getattr(offer, name)) for name in _COMPARED_FIELDS} for offer in comparison.offers
        ]
        data["c"] = plain
        return data

    def compare_text(self, comparison: Comparison, *, locale: str = "en-US") -> str:
        data = self._compare_data(comparison, "text", locale)
        return self._text(self._sections(("compare.j2",), data), data)

    def compare_discord(self, comparison: Comparison, *, locale: str = "en-US") -> list[MessagePart]:
        data = self._shared(self._compare_data(comparison, "discord", locale))
        footer = self._render_shared("shared/footer.j2", data)
        return paginate(self._sections(("compare.j2",), data, shared=True), footer=footer)

    def prices_text(self, registry: Registry, *, today: date, locale: str = "en-US") -> str:
        """The registry with every entry older than its staleness limit on ``today`` marked."""
        data = self._base("text", locale)
        data["r"] = exact_plain(registry)
        data["stale"] = exact_plain(registry.stale(today))
        data["stale_after_days"] = int(registry.threshold("stale_after_days"))
        return self._text(self._sections(("prices.j2",), data), {**data, "v": {"registry_as_of": data["r"]["as_of"]}})

    def _tokens_data(self, conversion: Conversion, target: Target, locale: str) -> dict[str, Any]:
        data = self._base(target, locale)
        data["t"] = exact_plain(conversion)
        data["t"]["exact_units"] = {k: str(getattr(conversion.units, k)) for k in ("low", "base", "high")}
        data["t"]["exact_dollars"] = {k: str(getattr(conversion.dollars, k)) for k in ("low", "base", "high")}
        data["t"]["below_a_cent"] = conversion.dollars.high < Decimal("0.01")
        per = Decimal(1_000_000) if conversion.unit == "tokens" else Decimal(1)  # token prices read per million
        data["t"]["listed_price"] = {k: str(getattr(conversion.unit_price, k) * per) for k in ("low", "base", "high")}
        return data

    def tokens_text(self, conversion: Conversion, *, locale: str = "en-US") -> str:
        data = self._tokens_data(conversion, "text", locale)
        return self._render("tokens.j2", data).partition("\n")[2].strip() + "\n"

    def tokens_discord(self, conversion: Conversion, *, locale: str = "en-US") -> list[MessagePart]:
        data = self._tokens_data(conversion, "discord", locale)
        return paginate(self._sections(("tokens.j2",), data))

    # -- errors --------------------------------------------------------------------------------------------------
    def _problems(self, error: OfferError, target: Target, locale: str) -> list[str]:
        """The first :data:`MAX_PROBLEMS_SHOWN` problems, then how many more: the work stays the same however many
        an input has."""
        lines = []
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            data = self._base(target, locale, problem.currency or "USD")
            data.update(p=problem.as_dict(), field_parts=self._field_parts(problem.field))
            lines.append(self._render(f"errors/{problem.reason.value}.j2", data))
        hidden = len(error.problems) - MAX_PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(self._render("errors/_more.j2", {**self._base(target, locale), "count": hidden}))
        return lines

    @staticmethod
    def _field_parts(field: str) -> list[dict[str, Any]]:
        return key_parts(field)

    def error_text(self, error: OfferError, *, locale: str = "en-US") -> str:
        return "\n".join(f"error: {line}" for line in self._problems(error, "text", locale))

    def error_discord(self, error: OfferError, *, locale: str = "en-US") -> MessagePart:
        data = self._base("discord", locale)
        data["problems"] = self._problems(error, "discord", locale)
        sections = self._sections(("errors/_discord.j2",), data)
        return paginate(sections, color=ERROR_COLOR)[0]

    # -- everything else: help, about, privacy, UI strings -------------------------------------------------------
    def text(self, template_id: str, /, *, locale: str = "en-US", target: Target = "discord", **data: Any) -> str:
        """A short text by id (``ui/share``, ``help``, ...) rendered with plain data. Texts without data (button
        labels, fixed notices) are rendered once per locale and kept."""
        if data:
            return self._render(f"{template_id}.j2", {**self._base(target, locale), **data})
        key = (template_id, locale, target)
        text = self._fixed_texts.get(key)
        if text is None:
            text = self._render(f"{template_id}.j2", self._base(target, locale))
            if len(self._fixed_texts) < MAX_FIXED_TEXTS:  # template ids are fixed; locales are Discord's few dozen
                self._fixed_texts[key] = text
        return text

    def page(self, template_id: str, /, *, locale: str = "en-US", **data: Any) -> list[MessagePart]:
        """A long text (``help``, ``about``, ``privacy``) as Discord parts: first line title, rest body."""
        sections = self._sections((f"{template_id}.j2",), {**self._base("discord", locale), **data})
        return paginate(sections)

    def template_names(self) -> Sequence[str]:
        return self.env.list_templates(filter_func=lambda name: name.endswith(".j2"))
