"""Breakdown, show-your-work, compare, prices, tokens, errors and pages: snapshots, Discord limits, escaping of
user text, and headline figures in the reader's locale."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prompts import MessagePart, Renderer, Section, paginate, within_limits
from prompts.commands import COMMANDS
from prompts.formatting import money, percent
from tests.prompts.conftest import LOCALES, MENTIONS, OFFERS, check_snapshot, dump_parts, evaluate
from tests.strategies import REGISTRY, offers
from valuation import OfferError, build_offer, compare_offers, convert, load_offer, value_offer
from valuation.errors import Problem, Reason

# What /help is given: every command that runs (a group's name alone does not), as the bot lists them.
COMMAND_LIST = [
    {"name": name, "description": text}
    for name, text in COMMANDS.items()
    if not any(other.startswith(f"{name} ") for other in COMMANDS)
]

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
# Employer names built to break things: mentions, markdown, masked links, headings, very long text.
NASTY_EMPLOYERS = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "@everyone",
                "@here",
                "<@123>",
                "<@!456>",
                "<#789>",
                "<@&42>",
                "**x**",
                "__u__",
                "~~s~~",
                "`c`",
                "```",
                "> q",
                "|| spoiler ||",
                "[a](http://b)",
                "# Heading",
                "-# small",
                "\n",
                "https://e.vil",
                "<t:1:R>",
                "x" * 80,
            ]
        ),
        min_size=1,
        max_size=12,
    ).map("".join),
)


def _all_text(parts: list[MessagePart]) -> str:
    return "\n".join(
        [p.content for p in parts]
        + [f"{e.title}\n{e.description}\n{e.footer}" for p in parts for e in p.embeds]
        + [f"{f.name}\n{f.value}" for p in parts for e in p.embeds for f in e.fields]
    )


@pytest.mark.parametrize("name", sorted(OFFERS))
def test_breakdown_and_work_match_reviewed_snapshots(renderer: Renderer, name: str) -> None:
    """Breakdown (text, German text, Discord) and show-your-work (text, Discord) match their reviewed snapshots."""
    valuation = evaluate(OFFERS[name]).valuation
    check_snapshot(f"{name}.breakdown.md", renderer.breakdown_text(valuation, locale="en-US"))
    check_snapshot(f"{name}.breakdown.de-DE.md", renderer.breakdown_text(valuation, locale="de-DE"))
    check_snapshot(f"{name}.breakdown.discord.txt", dump_parts(renderer.breakdown_discord(valuation, locale="en-US")))
    check_snapshot(f"{name}.work.md", renderer.work_text(valuation, locale="en-US"))
    check_snapshot(f"{name}.work.discord.txt", dump_parts(renderer.work_discord(valuation, locale="en-US")))


def test_compare_prices_and_tokens_match_reviewed_snapshots(renderer: Renderer) -> None:
    """Compare (text and Discord), prices, and tokens both ways (text and Discord) match their snapshots."""
    named = [(name, load_offer(OFFERS[name], REGISTRY)) for name in ("acme", "negotiating")]
    comparison = compare_offers(named, REGISTRY)
    check_snapshot("compare.md", renderer.compare_text(comparison, locale="en-US"))
    check_snapshot("compare.discord.txt", dump_parts(renderer.compare_discord(comparison, locale="en-US")))
    # A fixed "today" keeps the snapshot stable: entries read before 2026-08-03 are more than 120 days old.
    check_snapshot("prices.md", renderer.prices_text(REGISTRY, today=date(2026, 12, 1), locale="en-US"))
    to_dollars = convert("100M", "gpt-5", REGISTRY)
    to_units = convert("$500", "h100", REGISTRY)
    check_snapshot("tokens.md", renderer.tokens_text(to_dollars) + "\n" + renderer.tokens_text(to_units))
    check_snapshot("tokens.discord.txt", dump_parts(renderer.tokens_discord(to_dollars, locale="fr-FR")))


def test_errors_and_pages_match_reviewed_snapshots(renderer: Renderer) -> None:
    """An error with several problems (stderr text and Discord), and help/about/privacy, match their snapshots."""
    error = OfferError(
        [
            Problem("salary.base", "lots", Reason.NOT_AN_AMOUNT, '"180k"'),
            Problem("compute[0].model", "gpt-99", Reason.UNKNOWN_MODEL, '"gpt-5"'),
            Problem("equity[1].cliff_months", "60", Reason.CLIFF_LONGER_THAN_VESTING, "12", "48"),
        ]
    )
    check_snapshot("error.txt", renderer.error_text(error) + "\n")
    check_snapshot("error.discord.txt", dump_parts([renderer.error_discord(error)]))
    pages = {
        name: renderer.page(name, registry_as_of="2026-11-01", registry_version="2026.11", commands=COMMAND_LIST)
        for name in ("help", "about", "privacy")
    }
    check_snapshot("pages.discord.txt", "".join(dump_parts(parts) for parts in pages.values()))


@SETTINGS
@given(offers(), NASTY_EMPLOYERS, st.sampled_from(LOCALES))
def test_any_offer_renders_within_discord_limits_and_escaped(
    renderer: Renderer, data: dict[str, Any], employer: str, locale: str
) -> None:
    """Any offer and any employer string render without error; every Discord part fits every limit; no mention
    from user text survives; the headline shows the core's year-1 and horizon figures in the reader's locale."""
    data = {**data, "employer": (employer.strip() or "x")[:100]}
    valuation = value_offer(build_offer(data, REGISTRY))
    breakdown = renderer.breakdown_discord(valuation, locale=locale)
    for parts in (breakdown, renderer.work_discord(valuation, locale=locale)):
        assert parts and all(within_limits(p) == [] for p in parts)
        assert not MENTIONS.search(_all_text(parts))
    assert renderer.breakdown_text(valuation, locale=locale) and renderer.work_text(valuation, locale=locale)
    headline = breakdown[0].embeds[0].description
    h = valuation.headline
    for figure in (
        h.advertised_tc_year1,
        h.cash_equivalent_tc_year1,
        h.advertised_tc_horizon,
        h.cash_equivalent_tc_horizon,
    ):
        assert money(figure, valuation.currency, locale, cents=False) in headline
    if h.gap_year1 > 0:
        assert money(h.gap_year1, valuation.currency, locale, cents=False) in headline
        assert percent(h.gap_share_year1, locale) in headline
    if h.quoted_tc is not None:
        assert money(h.quoted_tc, valuation.currency, locale, cents=False) in headline


def test_user_markdown_and_mentions_show_literally(renderer: Renderer) -> None:
    """@everyone, <@id>, <#id>, <@&id>, markdown, masked links and headings in an employer name are neutralised."""
    nasty = "# @everyone <@123> <#45> <@&67> **b** _i_ ~~s~~ `c` > q | [x](http://e.vil)"
    valuation = value_offer(load_offer(f'employer = "{nasty}"\n[salary]\nbase = "1"', REGISTRY))
    title = renderer.breakdown_discord(valuation)[0].embeds[0].title
    assert not MENTIONS.search(title)
    for raw in ("**b**", "_i_", "~~s~~", "`c`", "](http"):
        assert raw not in title
    assert "everyone" in title and "http" in title  # still readable


def test_every_reason_has_error_wording(renderer: Renderer) -> None:
    """Every Reason renders a sentence that names the field in words and never falls back to the reason code."""
    for reason in Reason:
        error = OfferError([Problem("compute[0].amount", "bad", reason, '"50k"', "10")])
        line = renderer.error_text(error)
        assert "compute grant #1 → amount" in line, reason
        assert reason.value not in line or "_" not in reason.value, reason


def test_error_text_is_one_line_per_problem(renderer: Renderer) -> None:
    """error_text gives exactly one line per problem, each naming its field, for stderr."""
    error = OfferError(
        [
            Problem("salary.base", "x", Reason.NOT_AN_AMOUNT, '"180k"'),
            Problem("bonus.target", "2", Reason.NOT_A_SHARE, '"15%"'),
        ]
    )
    lines = renderer.error_text(error).split("\n")
    assert len(lines) == 2 and "salary → base" in lines[0] and "bonus → target" in lines[1]


def test_errors_in_discord_are_one_embed_and_escaped(renderer: Renderer) -> None:
    """An error renders as one embed listing each problem; user values are escaped."""
    error = OfferError([Problem("salary.base", "@everyone", Reason.NOT_AN_AMOUNT, '"180k"')])
    part = renderer.error_discord(error)
    assert len(part.embeds) == 1 and "180k" in part.embeds[0].description
    assert not MENTIONS.search(part.embeds[0].description)


def test_error_with_many_problems_still_fits_one_message(renderer: Renderer) -> None:
    """Even a file with many long problems gives one Discord message within every limit."""
    problems = [Problem(f"compute[{i}].model", "x" * 80, Reason.UNKNOWN_MODEL, '"gpt-5"') for i in range(60)]
    part = renderer.error_discord(OfferError(problems))
    assert within_limits(part) == []


def test_pages_fit_discord(renderer: Renderer) -> None:
    """help, about and privacy render within Discord's limits and carry the price date and the disclaimers."""
    for page in ("help", "about", "privacy"):
        parts = renderer.page(page, registry_as_of="2026-11-01", registry_version="2026.11", commands=COMMAND_LIST)
        assert parts and all(within_limits(p) == [] for p in parts)
    about = _all_text(renderer.page("about", registry_as_of="2026-11-01", registry_version="2026.11"))
    assert "2026-11-01" in about and "not financial, tax or legal advice" in about
    assert "no irs guidance specific to ai/api credits was found" in about.lower()
    stale = _all_text(
        renderer.page(
            "about", registry_as_of="2026-11-01", registry_version="2026.11", stale=["h100"], stale_after_days=120
        )
    )
    assert "**Stale:** 1 entry was read more than 120 days ago (`h100`)" in stale


def test_ui_strings(renderer: Renderer) -> None:
    """Every UI string renders with its data, escapes user names, and the labels the bot needs exist."""
    data: dict[str, Any] = {
        "error_id": "abc123",
        "seconds": 5,
        "name": "@everyone",
        "size_kb": 70,
        "limit_kb": 64,
        "value": "0.3",
        "names": ["utilization"],
        "expires": "2027-02-09",
        "days": 30,
        "minutes": 15,
    }
    for name in renderer.template_names():
        if name.startswith("ui/"):
            text = renderer.text(name.removesuffix(".j2"), **data)
            assert text and not MENTIONS.search(text)
    labels = [renderer.text(f"ui/{n}_label") for n in ("share", "work", "advice", "delete", "confirm", "cancel")]
    assert labels == ["Share", "Show your work", "Advice", "Delete", "Confirm", "Cancel"]
    assert "abc123" in renderer.text("ui/unexpected_error", error_id="abc123")
    assert "7 s" in renderer.text("ui/cooldown", seconds=7)
    assert "Nothing to reset" in renderer.text("ui/setting_reset", names=[])


def test_saved_offers_and_privacy_pages(renderer: Renderer) -> None:
    """The saved-offers list escapes names and shows dates; the privacy page shows what is stored when given."""
    offers = [{"name": "@everyone **x**", "created_at": "2027-01-10", "expires_at": "2027-02-09"}]
    listed = _all_text(renderer.page("offers/list", offers=offers))
    assert "2027-02-09" in listed and not MENTIONS.search(listed) and "**x**" not in listed
    assert "no saved offers" in _all_text(renderer.page("offers/list", offers=[]))
    stored = {"saved_offers": 2, "personal_defaults": 1, "audit_entries": 0, "retention_days": 45}
    privacy = _all_text(renderer.page("privacy", stored=stored))
    assert "Saved offers: 2" in privacy and "45 days" in privacy


def test_settings_pages(renderer: Renderer) -> None:
    """The server and personal settings pages show each value with its source, and the audit trail."""
    settings = [
        {"name": "marginal_tax_rate", "value": "0.41", "source": "server"},
        {"name": "currency", "value": "USD", "source": "built-in"},
        {"name": "share_button", "value": "off", "source": "server"},
    ]
    audit = [
        {
            "actor": "42",
            "setting": "marginal_tax_rate",
            "old_value": None,
            "new_value": "0.41",
            "changed_at": "2027-01-10 12:00 UTC",
        },
        {
            "actor": "forgotten-user",
            "setting": "charts",
            "old_value": "on",
            "new_value": None,
            "changed_at": "2027-01-09 12:00 UTC",
        },
    ]
    server = _all_text(renderer.page("settings/server", settings=settings, audit=audit))
    assert "41.00% — set by moderators" in server and "USD — built-in default" in server
    assert "<@42>: `marginal_tax_rate` built-in → 0.41" in server and "a former member" in server
    personal = _all_text(renderer.page("settings/personal", settings=[{**settings[0], "source": "personal"}]))
    assert "41.00% — yours" in personal and "Only you can see these" in personal


def test_long_sections_split_at_lines_within_limits() -> None:
    """A section far over Discord's limits is split into embeds and messages at line boundaries."""
    body = "\n".join(f"- line {i}: " + "word " * 30 for i in range(400))
    pages = paginate([Section("Long", body)])
    assert len(pages) > 1 and all(within_limits(p) == [] for p in pages)
    lines = [line for p in pages for e in p.embeds for line in e.description.split("\n")]
    assert lines == body.split("\n")


def test_an_overlong_line_splits_between_words_not_inside_numbers() -> None:
    """A single line longer than an embed splits at spaces, so no word or figure is cut in two."""
    words = [f"$1,234,{i:03d}" for i in range(900)]
    pages = paginate([Section("One line", " ".join(words))])
    pieces = [w for p in pages for e in p.embeds for w in e.description.split()]
    assert pieces == words and all(within_limits(p) == [] for p in pages)


EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_offer_renders_everywhere_within_limits(renderer: Renderer, path: Path) -> None:
    """Each shipped example renders breakdown, work and advice as text and as Discord parts that fit every limit."""
    _, valuation, advice = evaluate(path.read_text(encoding="utf-8"))
    for locale in ("en-US", "de"):
        for parts in (
            renderer.breakdown_discord(valuation, locale=locale),
            renderer.work_discord(valuation, locale=locale),
            renderer.advice_reply(advice, valuation, locale=locale)[0],
        ):
            assert parts and all(within_limits(p) == [] for p in parts)
        texts = (
            renderer.breakdown_text(valuation, locale=locale),
            renderer.work_text(valuation, locale=locale),
            renderer.advice_text(advice, valuation, locale=locale),
            renderer.script_text(advice, valuation, locale=locale),
        )
        assert all(texts)


def test_only_the_first_twenty_problems_are_worded(renderer: Renderer) -> None:
    """An error with 25 problems shows 20 of them and says 5 more remain (in Discord and on stderr)."""
    error = OfferError([Problem(f"compute[{i}].amount", "", Reason.MISSING, '"50k"') for i in range(25)])
    lines = renderer.error_text(error).split("\n")
    assert len(lines) == 21 and "compute grant #20 → amount" in lines[19]
    assert "and 5 more problems" in lines[20]
    description = renderer.error_discord(error).embeds[0].description
    assert "compute grant #21" not in description and "and 5 more problems" in description


def test_a_reply_leaves_nothing_for_the_garbage_collector(renderer: Renderer) -> None:
    """A breakdown with "Your ask", the advice reply and Show your work free everything they made when done (no
    reference cycles: the shared advice phrases are made once per renderer, not per reply), so a busy bot never
    holds valuations until a collection runs. Checked by saving whatever a collection would have freed."""
    import gc  # noqa: PLC0415

    acme = evaluate(OFFERS["acme"])

    def replies() -> None:
        for locale in ("en-US", "de"):
            renderer.breakdown_discord(acme.valuation, locale=locale, advice=acme.advice)
            renderer.breakdown_text(acme.valuation, locale=locale, advice=acme.advice)
            renderer.advice_reply(acme.advice, acme.valuation, locale=locale)
            renderer.work_discord(acme.valuation, locale=locale)

    replies()  # what is made once per renderer and locale (templates, the shared phrases) is made here
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        replies()
        gc.collect()
        left = [type(thing).__name__ for thing in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert left == []


def test_replies_rendered_at_once_in_threads_each_read_their_own_data(renderer: Renderer) -> None:
    """The shared advice phrases read the data of the reply being rendered in their own thread: two offers' advice
    and breakdowns rendered over and over in parallel threads are each exactly what they are rendered alone."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    offers_ = [evaluate(OFFERS[name]) for name in ("acme", "negotiating")]

    def both(e: Any) -> tuple[Any, Any]:
        return renderer.advice_reply(e.advice, e.valuation), renderer.breakdown_discord(e.valuation, advice=e.advice)

    alone = [both(e) for e in offers_]
    assert alone[0] != alone[1]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(both, offers_ * 20))
    assert results == alone * 20


def test_grants_with_the_same_unstated_terms_are_named_together(renderer: Renderer) -> None:
    """Grants that leave the same terms unstated share one "Assumed, not stated" line naming each of them; a grant
    with other terms left unstated gets its own line; a grant that states everything gets none."""
    data = {
        "salary": {"base": "150k"},
        "compute": [
            {"tokens": "100M", "model": "gpt-5"},
            {
                "amount": "5k",
                "cadence": "yearly",
                "expiry_months": 12,
                "rollover": False,
                "on_departure": "forfeit",
                "personal_use": "no",
                "work_required": "100%",
                "tax_treatment": "taxable",
            },
            {"tokens": "50M", "model": "gpt-5"},
            {"amount": "1k", "cadence": "monthly"},
        ],
    }
    valuation = value_offer(build_offer(data, REGISTRY), REGISTRY)
    text = renderer.breakdown_text(valuation)
    lines = [line for line in text.splitlines() if line.startswith("Assumed, not stated")]
    assert [line.split(":")[0] for line in lines] == [
        "Assumed, not stated for #1, #3",
        "Assumed, not stated for #4",
    ]
