"""Templates: Discord limits, escaping of user text, locale formatting, error wording, snapshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompts import MessagePart, Renderer, Section, paginate, within_limits
from prompts.formatting import money
from tests.strategies import REGISTRY, offers
from valuation import OfferError, build_offer, compare, convert, load_offer, value_offer
from valuation.errors import Problem, Reason

SNAPSHOTS = Path(__file__).with_name("snapshots")
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP"]
ACME = """
employer = "Acme AI"
quoted_tc = "450k"
[salary]
base = "180k"
[bonus]
target = "15%"
[sign_on]
amount = "30k"
clawback_months = 12
[[equity]]
kind = "rsu"
grant_value = "400k"
[[compute]]
amount = "50k"
personal_use = true
work_required = "60%"
[[compute]]
tokens = "100M"
model = "claude-opus-4.5"
cadence = "monthly"
[assumptions]
marginal_tax_rate = "32%"
"""
STARTUP = """
employer = "Tiny Seed"
[salary]
base = "140k"
[[equity]]
kind = "option"
shares = 20000
strike = "0.50"
preferred_price = "4"
stage = "seed-a"
schedule = [10, 20, 30, 40]
[[compute]]
gpu_hours = 2000
gpu = "h100"
on_departure = "tail"
tail_months = 3
[assumptions]
tenure_months = 30
"""
MENTIONS = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


def _all_text(parts: list[MessagePart]) -> str:
    return "\n".join(
        [p.content for p in parts] + [f"{e.title}\n{e.description}\n{e.footer}" for p in parts for e in p.embeds]
    )


def _check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; rerun with UPDATE_SNAPSHOTS=1 after reading the diff"


@pytest.mark.parametrize("name", ["acme", "startup"])
def test_snapshots_of_text_and_discord_renderings(renderer: Renderer, name: str) -> None:
    """Breakdown, work, and Discord pages of two representative offers match their reviewed snapshots."""
    valuation = value_offer(load_offer(ACME if name == "acme" else STARTUP, REGISTRY))
    _check_snapshot(f"{name}.breakdown.md", renderer.breakdown_text(valuation, locale="en-US"))
    _check_snapshot(f"{name}.work.md", renderer.work_text(valuation, locale="en-US"))
    _check_snapshot(f"{name}.discord.txt", _all_text(renderer.breakdown_discord(valuation, locale="en-US")))
    _check_snapshot(f"{name}.breakdown.de-DE.md", renderer.breakdown_text(valuation, locale="de-DE"))


@SETTINGS
@given(offers(), st.text(max_size=300), st.sampled_from(LOCALES))
def test_any_offer_renders_within_discord_limits_and_escaped(
    renderer: Renderer, data: dict, employer: str, locale: str
) -> None:
    """Any offer and any employer string render without error; every Discord part fits every limit; no mention
    from user text survives; the headline shows the core's year-1 figures in the reader's locale."""
    data = {**data, "employer": (employer.strip() or "x")[:100]}
    valuation = value_offer(build_offer(data, REGISTRY))
    for parts in (
        renderer.breakdown_discord(valuation, locale=locale),
        renderer.work_discord(valuation, locale=locale),
    ):
        assert all(within_limits(p) == [] for p in parts)
        text = _all_text(parts)
        assert not MENTIONS.search(text)
    headline = renderer.breakdown_discord(valuation, locale=locale)[0].embeds[0].description
    for figure in (valuation.headline.advertised_tc_year1, valuation.headline.cash_equivalent_tc_year1):
        assert money(figure, valuation.currency, locale, cents=False) in headline


def test_user_markdown_and_mentions_show_literally(renderer: Renderer) -> None:
    """@everyone, <@id>, <#id>, <@&id>, markdown, masked links and headings in an employer name are neutralised."""
    nasty = "# @everyone <@123> <#45> <@&67> **b** _i_ ~~s~~ `c` > q | [x](http://e.vil)"
    valuation = value_offer(load_offer(f'employer = "{nasty}"\n[salary]\nbase = "1"', REGISTRY))
    title = renderer.breakdown_discord(valuation)[0].embeds[0].title
    assert not MENTIONS.search(title)
    for raw in ("**b**", "_i_", "~~s~~", "`c`", "](http"):
        assert raw not in title
    assert "everyone" in title and "http" in title  # still readable


@pytest.mark.parametrize("locale", LOCALES)
def test_money_follows_the_locale(locale: str) -> None:
    """Money is grouped and placed per locale by Babel (e.g. 1.234.568 $ in German, $1,234,568 in US English)."""
    expected = {
        "en-US": "$1,234,568",
        "en-GB": "US$1,234,568",
        "de-DE": "1.234.568\xa0$",
        "fr-FR": "1\u202f234\u202f568\xa0$US",
        "ja-JP": "$1,234,568",
    }
    assert money("1234567.5", "USD", locale, cents=False) == expected[locale]


def test_every_reason_has_error_wording(renderer: Renderer) -> None:
    """Every Reason code renders a sentence that names the field and does not fall back to the code itself."""
    for reason in Reason:
        error = OfferError([Problem("compute[0].amount", "bad", reason, '"50k"', "10")])
        line = renderer.error_text(error)
        assert "compute grant #1 → amount" in line, reason
        assert "_" not in reason.value or reason.value not in line, reason  # wording, not the code


def test_errors_in_discord_are_one_embed_and_escaped(renderer: Renderer) -> None:
    """An error renders as one embed listing each problem; user values are escaped."""
    error = OfferError([Problem("salary.base", "@everyone", Reason.NOT_AN_AMOUNT, '"180k"')])
    part = renderer.error_discord(error)
    assert len(part.embeds) == 1 and "180k" in part.embeds[0].description
    assert not MENTIONS.search(part.embeds[0].description)


def test_compare_prices_tokens_and_pages(renderer: Renderer) -> None:
    """Compare, prices, tokens and the help/about/privacy pages render with their key facts."""
    a = value_offer(load_offer(ACME, REGISTRY), traces=False)
    b = value_offer(load_offer(STARTUP, REGISTRY), traces=False)
    comparison = compare([("a.toml", a), ("b.toml", b)]) if a.horizon_months == b.horizon_months else None
    if comparison is None:
        b = value_offer(load_offer(STARTUP.replace("tenure_months = 30", "tenure_months = 48"), REGISTRY))
        comparison = compare([("a.toml", a), ("b.toml", b)])
    assert "Acme AI" in renderer.compare_text(comparison) and renderer.compare_discord(comparison)
    assert "claude-opus-4.5" in renderer.prices_text(REGISTRY)
    conversion = convert("100M", "gpt-5", REGISTRY)
    assert "$343.75" in renderer.tokens_text(conversion)
    assert renderer.tokens_discord(conversion)
    for page in ("help", "about", "privacy"):
        parts = renderer.page(page, registry_as_of="2026-11-01", registry_version="v")
        assert parts and all(within_limits(p) == [] for p in parts)


def test_ui_strings(renderer: Renderer) -> None:
    """Every UI string renders with its data."""
    data = {"error_id": "abc123", "seconds": 5, "name": "@everyone", "size_kb": 70, "limit_kb": 64}
    for name in renderer.template_names():
        if name.startswith("ui/"):
            text = renderer.text(name.removesuffix(".j2"), **data)
            assert text and not MENTIONS.search(text)


def test_long_sections_split_at_lines_within_limits() -> None:
    """A section far over Discord's limits is split into embeds and messages at line boundaries."""

    body = "\n".join(f"- line {i}: " + "word " * 30 for i in range(400))
    pages = paginate([Section("Long", body)])
    assert len(pages) > 1 and all(within_limits(p) == [] for p in pages)
    lines = [line for p in pages for e in p.embeds for line in e.description.split("\n")]
    assert lines == body.split("\n")
