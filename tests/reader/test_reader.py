"""The reader's parts on their own: figures, durations, names, refusals, and what it never does (raise, vary)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import REGISTRY
from valuation import OfferError, load_offer
from valuation.errors import Reason
from valuation.reader import MAX_TEXT_CHARS, Ambiguity, offer_from_reading, offer_toml, read_offer
from valuation.reader.names import Match, Names


@pytest.mark.parametrize(
    ("written", "base", "currency"),
    [
        ("$185,000", "185000", None),
        ("185k", "185000", None),
        ("185K", "185000", None),
        ("$1.2M", "1200000", None),  # 1.2 × 10^6
        ("1.2 million dollars", "1200000", None),
        ("185000", "185000", None),
        ("€95.000", "95000", "EUR"),  # dot-grouped thousands
        ("95 000 €", "95000", "EUR"),  # space-grouped, mark after
        ("95.000,50 EUR", "95000.5", "EUR"),  # decimal comma
        ("EUR 95,000", "95000", "EUR"),
        ("£85,000", "85000", "GBP"),
        ("USD 150,000", "150000", None),  # a US-dollar offer does not name its currency
    ],
)
def test_money_in_every_written_form(written: str, base: str, currency: str | None) -> None:
    """A base salary written in each form people use reads as the same figure, in the currency its mark names."""
    reading = read_offer(f"base salary {written}", REGISTRY)
    assert reading.offer["salary"] == {"base": base}
    assert reading.offer.get("currency") == currency


@pytest.mark.parametrize(
    ("written", "cliff"),
    [("4y", None), ("4 years", None), ("48 months", None), ("four years", None), ("4-year", None), ("4 yrs", None)],
)
def test_vesting_years_in_every_written_form(written: str, cliff: int | None) -> None:
    """Four years of vesting however it is written ("48 months" is 48 / 12 = 4 years)."""
    reading = read_offer(f"$100k RSUs vesting over {written}", REGISTRY)
    assert reading.offer["equity"][0]["years"] == 4


@pytest.mark.parametrize(
    ("written", "months"),
    [("1y cliff", 12), ("one-year cliff", 12), ("12-month cliff", 12), ("cliff of 6 months", 6), ("no cliff", 0)],
)
def test_cliffs(written: str, months: int) -> None:
    """A cliff in years is 12 months a year; "no cliff" is 0."""
    reading = read_offer(f"$100k RSUs over 4 years, {written}", REGISTRY)
    assert reading.offer["equity"][0]["cliff_months"] == months


@pytest.mark.parametrize(
    ("written", "model"),
    [
        ("Claude Sonnet 4.5", "claude-sonnet-4.5"),
        ("sonnet 5", "claude-sonnet-5"),
        ("sonnet 4.5", "claude-sonnet-4.5"),
        ("gpt5", "gpt-5"),
        ("GPT-5", "gpt-5"),
        ("gpt-5 mini", "gpt-5-mini"),
        ("GPT 5.5", "gpt-5.5"),
        ("opus 4.5", "claude-opus-4.5"),
        ("Gemini 2.5 Pro", "gemini-2.5-pro"),
        ("haiku", "claude-haiku-4.5"),
    ],
)
def test_model_names_match_registry_ids(written: str, model: str) -> None:
    """Aliases and near misses resolve to the one registry id they fit with the fewest parts left over."""
    assert Names(REGISTRY).model(written).ids == (model,)


def test_a_name_several_models_fit_is_a_choice() -> None:
    """ "Claude" alone fits every Claude model equally (each has two parts left over): a choice of all of them, in
    registry order; "Claude Sonnet" fits each Sonnet the registry lists."""
    names = Names(REGISTRY)
    match = names.model("Claude")
    assert match.outcome == "choice"
    assert match.ids == tuple(i for i in REGISTRY.models if i.startswith("claude-"))
    sonnets = tuple(i for i in REGISTRY.models if i.startswith("claude-sonnet-"))
    assert names.model("Claude Sonnet") == (Match("choice", sonnets) if len(sonnets) > 1 else Match("id", sonnets))


def test_unknown_model_suggests_the_nearest() -> None:
    """ "Sonnet 4" is no registry model: reported with the nearest id, never read as Sonnet 4.5."""
    reading = read_offer("100M Sonnet 4 tokens a month", REGISTRY)
    assert reading.offer == {}
    (unclear,) = reading.ambiguous
    assert unclear.kind is Ambiguity.UNKNOWN_MODEL
    assert unclear.candidates[0] == "claude-sonnet-4.5"  # its squeezed id contains "sonnet4"


def test_two_base_figures_are_reported_not_chosen() -> None:
    """Two different base salaries: neither is kept; both passages are named."""
    reading = read_offer("Base salary $180,000. Your base will be $185,000.", REGISTRY)
    assert "salary" not in reading.offer
    (unclear,) = reading.ambiguous
    assert unclear.kind is Ambiguity.CONFLICTING_VALUES
    assert unclear.fields == ("salary.base",)
    assert "$180,000" in unclear.text and "$185,000" in unclear.text


def test_empty_reading_is_an_error_that_says_what_it_looks_for() -> None:
    """Text with nothing about pay in it is refused with the reason "nothing_read" and an example to write."""
    reading = read_offer("Hi! Looking forward to it.", REGISTRY)
    with pytest.raises(OfferError) as caught:
        offer_from_reading(reading, REGISTRY)
    assert caught.value.first.reason is Reason.NOTHING_READ
    assert "base" in caught.value.first.example


def test_unclear_text_is_an_error_per_passage() -> None:
    """Each unclear passage is one problem naming its kind, so the person can fix them all at once."""
    reading = read_offer("180k base, 400k equity, 100M tokens a month", REGISTRY)
    with pytest.raises(OfferError) as caught:
        offer_from_reading(reading, REGISTRY)
    assert [(p.reason, p.limit) for p in caught.value.problems] == [
        (Reason.UNCLEAR_TEXT, "equity_without_kind"),
        (Reason.UNCLEAR_TEXT, "tokens_without_model"),
    ]


def test_missing_base_is_named() -> None:
    """Compute without a base salary: the base is the missing field."""
    reading = read_offer("50k API credits a year", REGISTRY)
    with pytest.raises(OfferError) as caught:
        offer_from_reading(reading, REGISTRY)
    assert (caught.value.first.field, caught.value.first.reason) == ("salary.base", Reason.MISSING)


def test_text_over_the_cap_is_refused() -> None:
    """One character over Discord's 6,000-character option cap is refused as too long, naming the cap."""
    with pytest.raises(OfferError) as caught:
        read_offer("x" * (MAX_TEXT_CHARS + 1), REGISTRY)
    assert (caught.value.first.reason, caught.value.first.limit) == (Reason.TOO_LONG, "6000")


def test_years_and_retirement_plans_are_not_money() -> None:
    """ "2026" and "401(k)" beside a bonus are not amounts: only the 15% is the bonus."""
    reading = read_offer("Your 2026 bonus target is 15%, plus a 401(k) match", REGISTRY)
    assert reading.offer == {"bonus": {"target": "15%"}}


def test_gpu_hours_need_a_gpu_word() -> None:
    """ "40 hours a week" is work, not compute: nothing is read from it."""
    reading = read_offer("base 150k, 40 hours a week", REGISTRY)
    assert reading.offer == {"salary": {"base": "150000"}}


# Text the reader might trip on: its own vocabulary, figures, marks and separators, in any order.
_PIECES = st.sampled_from(
    [
        "base",
        "salary",
        "bonus",
        "RSU",
        "options",
        "equity",
        "cliff",
        "vesting",
        "tokens",
        "credits",
        "H100",
        "hours",
        "GPU",
        "Claude",
        "Sonnet",
        "gpt5",
        "4.5",
        "$",
        "€",
        "£",
        "k",
        "M",
        "%",
        "/",
        ",",
        ".",
        ";",
        "(",
        ")",
        "\n",
        " ",
        "-",
        "180k",
        "1,000",
        "95.000",
        "95 000",
        "5/15/40/40",
        "4y",
        "12 months",
        "per month",
        "a year",
        "never expire",
        "roll over",
        "lost if I leave",
        "401(k)",
        "sign-on",
        "repayable",
        "one-time",
        "strike",
        "preferred",
        "Series A",
        "0",
        "99999999999999999999",
        "1e9",
        "١٢٣",
        "ｋ",
    ]
)
_ASSEMBLED = st.lists(_PIECES, max_size=400).map("".join).map(lambda t: t[:MAX_TEXT_CHARS])


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=MAX_TEXT_CHARS), _ASSEMBLED))
def test_never_raises_and_is_deterministic(text: str) -> None:
    """Any text up to the cap reads without raising, to the same reading twice, with passages inside the text; an
    offer it reads prints as TOML that loads back to the same offer."""
    first = read_offer(text, REGISTRY)
    assert read_offer(text, REGISTRY) == first
    for item in (*first.understood, *first.ignored, *first.ambiguous):
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text
    try:
        offer = offer_from_reading(first, REGISTRY)
    except OfferError:
        return  # refusing is allowed; anything else raised fails the test
    assert load_offer(offer_toml(first.offer), REGISTRY, "toml") == offer  # and what is read prints and loads back


@pytest.mark.parametrize(
    "text", ["401k base", "$401k base salary", "base salary: 401k", "base of $401,000", "€401k base salary"]
)
def test_a_401k_salary_is_pay_not_the_retirement_plan(text: str) -> None:
    """A base of 401k, written with a currency mark or beside the word for pay, is a salary of 401,000 (it was
    taken for the 401(k) plan and the offer read as nothing)."""
    assert read_offer(text, REGISTRY).offer["salary"] == {"base": "401000"}


@pytest.mark.parametrize("text", ["150k base, 401k with 4% match", "150k base and a 401(k)", "150k base, 401k plan"])
def test_the_retirement_plan_beside_a_salary_is_still_no_amount(text: str) -> None:
    """The plan's name after the salary is not a figure: the base stays 150k and nothing else is read."""
    assert read_offer(text, REGISTRY).offer == {"salary": {"base": "150000"}}


def test_bonus_share_decimal() -> None:
    """A fractional percentage keeps its digits: 12.5% stays "12.5%"."""
    assert read_offer("bonus 12.5%", REGISTRY).offer == {"bonus": {"target": "12.5%"}}


@st.composite
def _one_liners(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    """A one-line offer written from drawn figures, with the offer data those figures are (built beside it)."""
    base = draw(st.integers(60, 900)) * 1000
    parts = [draw(st.sampled_from([f"{base // 1000}k base", f"${base:,} base salary", f"base of ${base:,}"]))]
    offer: dict[str, object] = {"salary": {"base": str(base)}}
    if draw(st.booleans()):
        bonus = draw(st.integers(1, 40))
        parts.append(draw(st.sampled_from([f"{bonus}% bonus", f"a {bonus}% target bonus"])))
        offer["bonus"] = {"target": f"{bonus}%"}
    if draw(st.booleans()):
        value, years = draw(st.integers(10, 2000)) * 1000, draw(st.integers(1, 6))
        parts.append(f"${value:,} in RSUs vesting over {years} years")
        offer["equity"] = [{"kind": "rsu", "grant_value": str(value), "years": years}]
    if draw(st.booleans()):
        model = draw(st.sampled_from(["gpt-5", "claude-sonnet-4.5", "gemini-2.5-pro"]))
        millions = draw(st.integers(1, 50))
        parts.append(f"{millions}M {model} tokens per month")
        offer["compute"] = [{"tokens": str(millions * 1_000_000), "model": model, "cadence": "monthly"}]
    return ", ".join(parts), offer


@settings(max_examples=100, deadline=None)
@given(_one_liners())
def test_generated_one_liners_read_back_their_figures(case: tuple[str, dict[str, object]]) -> None:
    """A one-liner written from known figures reads to exactly those figures, validates, and its TOML loads back."""
    text, expected = case
    reading = read_offer(text, REGISTRY)
    assert reading.offer == expected
    assert load_offer(offer_toml(reading.offer), REGISTRY, "toml") == offer_from_reading(reading, REGISTRY)
