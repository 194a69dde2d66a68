"""The one jinja2 Environment: strict undefined, templates from this package, formatting filters."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import jinja2

from prompts import formatting
from prompts.escaping import code_safe, discord_escape, plain
from valuation.serialize import exact

# Inputs of a trace by what they are, so each is shown in its own form (the wording stays in templates).
SHARE_INPUTS = frozenset(
    {
        "share",
        "discount",
        "deflation",
        "tax_rate",
        "utilization",
        "personal_share",
        "taxable_share",
        "employer_cost_ratio",
        "vested_share",
        "input_share",
        "inside_share",
        "expires",
        "gap_share_year1",
        "noncash_nonportable_share_year1",
    }
)
COUNT_INPUTS = frozenset(
    {"months", "years", "tranches", "units", "years_elapsed", "month", "clawback_months", "shares"}
)
PRICE_INPUTS = frozenset({"unit_price", "strike", "preferred_price"})
"""Prices per unit (a token, a credit dollar, a share) in the offer's currency, every digit kept: $0.00001."""
USD_PRICE_INPUTS = frozenset({"input_price", "output_price", "hourly"})
"""List prices from the registry, which are in dollars whatever the offer's currency: $3 per million tokens."""
RATE_INPUTS = frozenset({"usd_rate"})
_KEY_PART = re.compile(r"([a-z_0-9]+)(?:\[(\d+)\])?")


def figure_text(value: object, name: str, currency: str, locale: str) -> str:
    """A trace's figure in the form its name implies: a share, a count, a unit price, or money (the `figure`
    filter)."""
    if name in SHARE_INPUTS:
        return formatting.percent(value, locale, places=2)
    if name in PRICE_INPUTS:
        return formatting.price(value, currency, locale)
    if name in USD_PRICE_INPUTS:
        return formatting.price(value, "USD", locale)
    if name in COUNT_INPUTS or name in RATE_INPUTS:
        return formatting.number(value, locale)
    return formatting.money(value, currency, locale, cents=True)


def key_parts(key: str) -> list[dict[str, Any]]:
    """``grants[0].years[2].face`` → ``[{name: grants, index: 0}, {name: years, index: 2}, {name: face}]``."""
    parts = []
    for match in _KEY_PART.finditer(key):
        index = match.group(2)
        parts.append({"name": match.group(1), "index": int(index) if index is not None else None})
    return parts


class RecordingLoader(jinja2.PackageLoader):
    """The package's templates, remembering each name loaded (tests use it to find templates nothing renders)."""

    def __init__(self) -> None:
        super().__init__("prompts", "templates")
        self.loaded: set[str] = set()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        self.loaded.add(template)
        return super().get_source(environment, template)


class PlainDataEnvironment(jinja2.Environment):
    """Templates read results (frozen dataclasses) and plain data (dicts) alike with dots: ``h.gap_year1``. Jinja
    tries an attribute first and the key only after the attribute lookup raised, so every dotted read of a dict paid
    for an exception. A dict is looked up by key first here; what is not a key (``.items()``, ``.get()``) is found
    as an attribute as before; anything else by attribute, then by key."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        else:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


def _shown(value: Any) -> Any:
    """What ``{{ value }}`` prints: a figure a template shows without a filter prints all its digits and no exponent
    (``str`` would print 1E+1 or 1.50), as the offer's JSON has it."""
    return exact(value) if type(value) is Decimal else value


def build_environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The environment; a long-running process may pass a bytecode cache so that a restart loads compiled templates
    instead of compiling them again (jinja2 checks each against its source, so a changed template recompiles)."""
    env = PlainDataEnvironment(
        loader=RecordingLoader(),
        bytecode_cache=bytecode_cache,
        # Templates ship with the package and never change under a running process: no file checks on each render,
        # and every template stays compiled (a fixed set, about a hundred).
        auto_reload=False,
        cache_size=-1,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_shown,
    )

    # The filters read the reply's currency, locale and target from the data the template was rendered with (the
    # context's parent): no template sets those names, so its own variables need not be looked through first.
    @jinja2.pass_context
    def money(ctx: Any, value: object, cents: bool = False) -> str:
        return formatting.money(value, ctx.parent["currency"], ctx.parent["locale"], cents=cents)

    @jinja2.pass_context
    def money_of(ctx: Any, value: object, currency: str, cents: bool = False) -> str:
        """Money in a named currency (a tax schedule's, which may differ from the offer's)."""
        return formatting.money(value, currency, ctx.parent["locale"], cents=cents)

    @jinja2.pass_context
    def usd(ctx: Any, value: object, cents: bool = True) -> str:
        return formatting.money(value, "USD", ctx.parent["locale"], cents=cents)

    @jinja2.pass_context
    def usd_price(ctx: Any, value: object) -> str:
        return formatting.price(value, "USD", ctx.parent["locale"])

    @jinja2.pass_context
    def usd_small(ctx: Any, value: object) -> str:
        return formatting.small_money(value, "USD", ctx.parent["locale"])

    @jinja2.pass_context
    def pct(ctx: Any, value: object, places: int = 1) -> str:
        return formatting.percent(value, ctx.parent["locale"], places=places)

    @jinja2.pass_context
    def num(ctx: Any, value: object, places: int | None = None) -> str:
        return formatting.number(value, ctx.parent["locale"], places=places)

    @jinja2.pass_context
    def short(ctx: Any, value: object) -> str:
        return formatting.compact(value, ctx.parent["locale"])

    @jinja2.pass_context
    def user(ctx: Any, value: object, limit: int = 100) -> str:
        """Every user-supplied string goes through this: escaped for Discord, cleaned for the terminal."""
        text = "" if value is None else str(value)
        return discord_escape(text, limit) if ctx.parent["target"] == "discord" else plain(text, limit)

    @jinja2.pass_context
    def code_text(ctx: Any, value: object, limit: int = 100) -> str:
        """User text inside a code block: markdown shows literally there, so only the fence and mentions need
        breaking (no backslashes, which would show)."""
        text = plain("" if value is None else str(value), limit)
        return code_safe(text) if ctx.parent["target"] == "discord" else text

    def capitalize_first(text: str) -> str:
        return text[:1].upper() + text[1:]

    def ascending(values: list[object]) -> list[object]:
        """Figures in increasing order, compared exactly (a low scenario can be worth more than a high one)."""
        return sorted(values, key=formatting.to_decimal)

    def magnitude(value: object) -> str:
        """The size of a signed figure (the wording says which way it goes)."""
        return str(abs(formatting.to_decimal(value)))

    env.filters.update(
        ascending=ascending,
        capitalize_first=capitalize_first,
        code_text=code_text,
        magnitude=magnitude,
        money=money,
        money_of=money_of,
        usd=usd,
        usd_price=usd_price,
        usd_small=usd_small,
        pct=pct,
        num=num,
        short=short,
        user=user,
    )
    env.globals["key_parts"] = key_parts
    return env
