"""Show your work: each formula id has its own words, each line shows its inputs and value in the form their names
imply, and the short Discord view shows the headline and year 1 only."""

from __future__ import annotations

import re
from decimal import Decimal

from prompts import Renderer, within_limits
from tests.prompts.conftest import OFFERS, dump_parts, evaluate
from valuation.formulas import BY_ID, PARAMETERS, VARIADIC, Trace


def _line(renderer: Renderer, trace: Trace) -> str:
    ((label, formula, value),) = renderer.work_lines.groups([trace], "USD", "en-US").popitem()[1]
    return f"{label} = {formula} = **{value}**"


def test_every_formula_id_has_its_own_words(renderer: Renderer) -> None:
    """Each formula the core knows renders from its own template (never the fallback that shows the bare id), and
    every named input of a fixed formula appears in its words."""
    for formula in BY_ID:
        names = ("year_1", "year_2") if formula in VARIADIC else PARAMETERS[formula]
        # Distinct values so each input can be found: 1.5, 2.5, 3.5... shown as money, a share or a number.
        inputs = tuple((name, Decimal(n) + Decimal("0.5")) for n, name in enumerate(names, 1))
        line = _line(renderer, Trace("years[1].base", formula, inputs, Decimal(1)))
        assert formula not in line, line
        assert renderer.work_lines.template(formula).name == f"work/formulas/{formula}.j2"


def test_a_formula_without_words_shows_its_id(renderer: Renderer) -> None:
    """A formula id the templates do not know is shown as its id rather than failing the whole view."""
    line = _line(renderer, Trace("years[1].base", "made.up", (("x", Decimal(2)),), Decimal(2)))
    assert line == "Year 1, base salary = made.up = **$2.00**"


def test_a_line_shows_inputs_and_value_in_their_own_forms(renderer: Renderer) -> None:
    """Money to the cent, shares as percentages with two places, counts as plain numbers; the value in the form
    of the key's last name. By hand: 120,000 × 6/12 = 60,000; 50,000 × 40% × 70% = 14,000; a sum of no parts is
    nothing."""
    salary = Trace(
        "years[2].base", "salary.year", (("base_salary", Decimal(120000)), ("months", Decimal(6))), Decimal(60000)
    )
    assert _line(renderer, salary) == "Year 2, base salary = $120,000.00 × 6/12 months = **$60,000.00**"
    personal = Trace(
        "grants[0].years[1].personal_value",
        "compute.personal_value",
        (("face", Decimal(50000)), ("personal_share", Decimal("0.4")), ("utilization", Decimal("0.7"))),
        Decimal(14000),
    )
    assert (
        _line(renderer, personal)
        == "Year 1, personal value = $50,000.00 × 40.00% yours to use × 70.00% spent = **$14,000.00**"
    )
    share = Trace("headline.gap_share_year1", "ratio", (("part", Decimal(1)), ("whole", Decimal(8))), Decimal("0.125"))
    assert _line(renderer, share) == "Year-1 gap as a share = $1.00 ÷ $8.00 = **12.50%**"
    empty = Trace("exercise_cash[3].total", "sum", (), Decimal(0))
    assert _line(renderer, empty) == "Cash to keep the options vested after month 3, total = nothing = **$0.00**"


def test_conditions_read_the_exact_inputs(renderer: Renderer) -> None:
    """A tranche wholly inside the horizon does not mention its share inside; one partly inside does; one tranche
    is singular; credits that never expire say they roll over."""
    base = (("tranches", Decimal(1)), ("units", Decimal(100)), ("unit_price", Decimal(1)))
    whole = Trace(
        "grants[0].years[1].face_today", "compute.face_today", (*base, ("inside_share", Decimal(1))), Decimal(100)
    )
    part = Trace(
        "grants[0].years[1].face_today", "compute.face_today", (*base, ("inside_share", Decimal("0.5"))), Decimal(50)
    )
    # 1 tranche × 100 units × $1.00 a unit = 100, the whole tranche inside the horizon; twelve tranches are plural.
    assert (
        _line(renderer, whole)
        == "Year 1, face at today's prices = 1 tranche × 100 × $1.00 at today's price = **$100.00**"
    )
    twelve = Trace(
        "grants[0].years[1].face_today",
        "compute.face_today",
        (("tranches", Decimal(12)), *base[1:], ("inside_share", Decimal(1))),
        Decimal(1200),
    )
    assert "= 12 tranches × 100 × $1.00 at today's price = **$1,200.00**" in _line(renderer, twelve)
    assert "× 50.00% of its life inside the horizon at today's price" in _line(renderer, part)
    inputs = (("face", Decimal(10)), ("personal_share", Decimal(1)), ("utilization", Decimal("0.5")))
    rolls = Trace(
        "grants[0].years[1].expected_forfeiture",
        "compute.expected_forfeiture",
        (*inputs, ("expires", Decimal(0))),
        Decimal(0),
    )
    assert _line(renderer, rolls).endswith(", but it rolls over = **$0.00**")


def test_discord_view_is_headline_and_year_one_and_the_file_has_every_month(renderer: Renderer) -> None:
    """The Discord view opens with the assumptions and the headline, shows year 1 (scenarios too) and no later
    year, no sum over the years but the headline's and no month-by-month line; the file has all of them."""
    valuation = evaluate(OFFERS["acme"]).valuation
    short = dump_parts(renderer.work_discord(valuation, locale="en-US"))
    titles = re.findall(r"--- embed: (.*)", short)
    assert titles[:3] == ["Assumptions used", "Headline", "Bonus"] and "Year 1" in titles
    assert "Year 2" not in short and "month by month" not in short and "through month" not in short
    assert "- Low scenario, worth in year 1 = " in short and "- Worth over the horizon = " in short
    assert "Low scenario, worth over the horizon" not in short and "Most lost by leaving" not in short
    assert "Low scenario, cash-equivalent = " not in short  # a grant's scenario summed over the years
    full = renderer.work_text(valuation, locale="en-US")
    assert "## Year 2" in full and "## Running total, month by month" in full
    assert f"Through month {valuation.horizon_months}, cash-equivalent" in full
    assert "Low scenario, worth over the horizon" in full and "Most lost by leaving" in full


def test_a_sum_of_one_part_shows_only_its_value(renderer: Renderer) -> None:
    """With one equity grant, year 1's equity is that grant's: the line gives the value once, not "= x = x"."""
    short = dump_parts(renderer.work_discord(evaluate(OFFERS["acme"]).valuation, locale="en-US"))
    assert "- Year 1, equity vested = **$100,000.00**" in short  # 400,000 over 4 years, one grant
    assert "- Year 1, cash = $180,000.00 + $27,000.00 + $30,000.00 = **$237,000.00**" in short


def test_assumptions_name_only_what_the_offer_depends_on(renderer: Renderer) -> None:
    """A dollar offer with dollar credits and tokens lists the token price fall, not the GPU-hour one nor the
    dollar rate; a euro offer lists its rate to the dollar; an offer without compute lists no compute assumption."""
    acme = renderer.work_text(evaluate(OFFERS["acme"]).valuation, locale="en-US")
    assert "Yearly fall in token prices" in acme and "Share of personal credits you would spend" in acme
    assert "GPU-hour" not in acme and "Offer currency per US dollar" not in acme
    euro = 'currency = "EUR"\n[salary]\nbase = "90k"\n[assumptions]\nusd_rate = "0.92"\nmarginal_tax_rate = "40%"\n'
    text = renderer.work_text(evaluate(euro).valuation, locale="en-US")
    assert "Offer currency per US dollar**: 0.92" in text
    assert "Share of personal credits" not in text and "Employer's cost per list dollar" not in text
    assert "Yearly fall" not in text


def test_the_short_view_of_a_two_grant_offer_is_one_message(renderer: Renderer) -> None:
    """Headline and year 1 of an offer with two compute grants fit one Discord message (one request, not two), and
    within every limit."""
    parts = renderer.work_discord(evaluate(OFFERS["acme"]).valuation, locale="en-US")
    assert len(parts) == 1 and not within_limits(parts[0])


def test_an_option_grants_exercise_cash_is_labelled_for_the_whole_grant(renderer: Renderer) -> None:
    """``equity[0].exercise_cash`` (no month) is the cash to exercise the whole grant: 20,000 shares × $0.50 strike =
    $10,000 (it read "after month None"); the strike is a price, with its currency."""
    trace = Trace(
        "equity[0].exercise_cash",
        "equity.exercise_cash",
        (("shares", Decimal(20000)), ("strike", Decimal("0.5")), ("in_the_money", Decimal(1))),
        Decimal(10000),
    )
    line = _line(renderer, trace)
    assert line.startswith("Cash to exercise the whole grant = 20,000 shares × $0.50 strike")
    assert line.endswith("= **$10,000.00**") and "None" not in line


def test_token_prices_show_in_dollars_and_the_unit_price_in_the_offers_currency(renderer: Renderer) -> None:
    """A token grant's price per unit: list prices are dollars per million tokens, the result is the offer's
    currency per token: ($5 × 75% input + $25 for the rest) ÷ 1,000,000 × 1 = $0.00001 a token."""
    trace = Trace(
        "grants[0].unit_price",
        "compute.unit_price.tokens",
        (
            ("input_price", Decimal(5)),
            ("input_share", Decimal("0.75")),
            ("output_price", Decimal(25)),
            ("usd_rate", Decimal(1)),
        ),
        Decimal("0.00001"),
    )
    line = _line(renderer, trace)
    assert "($5.00 × 75.00% input + $25.00 output for the rest) per million tokens × 1 per USD" in line
    assert line.endswith("= **$0.00001**")


def test_a_formulas_words_follow_its_inputs_by_name_not_position(renderer: Renderer) -> None:
    """The same formula recorded with its inputs in another order reads the same: each figure lands beside its own
    name (a pattern kept from the first order once put $25 in the input's place and 75% in the output's)."""
    prices = {"input_price": Decimal(5), "output_price": Decimal(25), "input_share": Decimal("0.75")}
    orders = (("input_price", "output_price", "input_share"), ("input_price", "input_share", "output_price"))
    lines = []
    for order in orders:
        inputs = (*((name, prices[name]) for name in order), ("usd_rate", Decimal(1)))
        lines.append(
            _line(renderer, Trace("grants[0].unit_price", "compute.unit_price.tokens", inputs, Decimal("0.00001")))
        )
    assert lines[0] == lines[1]
    assert "($5.00 × 75.00% input + $25.00 output for the rest)" in lines[0]
