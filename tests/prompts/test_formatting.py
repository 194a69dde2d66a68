"""Money, percentages and numbers through Babel: locale mapping, half-even rounding, no hand-made separators."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import discord
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from prompts.formatting import babel_locale, money, number, percent


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-US", "en_US"),
        ("en-GB", "en_GB"),
        ("de-DE", "de_DE"),
        ("fr-FR", "fr_FR"),
        ("ja-JP", "ja_JP"),
        ("de", "de_DE"),
        ("fr", "fr_FR"),
        ("ja", "ja_JP"),
        ("en", "en_US"),
        ("xx-YY", "en_US"),
        ("", "en_US"),
        (None, "en_US"),
    ],
)
def test_discord_and_ietf_locales_map_to_babel_locales(code: str | None, expected: str) -> None:
    """Discord's short codes map to a full locale; unknown or missing codes fall back to en-US."""
    assert str(babel_locale(code)) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "$1,234,568"),
        ("en-GB", "US$1,234,568"),
        ("de-DE", "1.234.568\xa0$"),
        ("fr-FR", "1\u202f234\u202f568\xa0$US"),
        ("ja-JP", "$1,234,568"),
    ],
)
def test_money_follows_the_locale(locale: str, expected: str) -> None:
    """Money is grouped and placed per locale by Babel (e.g. 1.234.568 $ in German, $1,234,568 in US English)."""
    assert money("1234567.5", "USD", locale, cents=False) == expected


def test_money_is_in_the_offers_currency() -> None:
    """The currency symbol is the offer's, the grouping the reader's."""
    assert money("1500", "EUR", "de-DE", cents=False) == "1.500\xa0€"
    assert money("1500", "GBP", "en-GB", cents=False) == "£1,500"


@pytest.mark.parametrize(
    ("value", "whole", "with_cents"),
    [
        ("0.5", "$0", "$0.50"),
        ("1.5", "$2", "$1.50"),
        ("2.5", "$2", "$2.50"),
        ("2.4999", "$2", "$2.50"),
        ("-3.5", "-$4", "-$3.50"),
        ("0.125", "$0", "$0.12"),
    ],
)
def test_money_rounds_half_even_once(value: str, whole: str, with_cents: str) -> None:
    """Whole units and cents both round half-even, straight from the exact figure."""
    assert money(value, "USD", "en-US", cents=False) == whole
    assert money(value, "USD", "en-US", cents=True) == with_cents


def test_percent_and_number_use_the_locale() -> None:
    """Shares become locale percentages; counts get the locale's grouping."""
    assert percent("0.1554", "en-US") == "15.5%"
    assert percent("0.1554", "de-DE") == "15,5\xa0%"
    assert number("100000000", "fr-FR") == "100\u202f000\u202f000"


def test_a_number_longer_than_the_decimal_context_keeps_every_digit() -> None:
    """A 118-digit number (a long "share" echoed in an error) is grouped in full, not an InvalidOperation."""
    from prompts.formatting import number  # noqa: PLC0415

    value = "9" * 116 + "00"
    assert number(value, "en-US") == f"{int(value):,}"  # Python's own grouping: 39 commas, every digit kept


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "pt-BR", "hi", "ar", "sv-SE"])
@pytest.mark.parametrize("currency", ["USD", "EUR", "GBP", "JPY", "INR", "BHD"])
def test_money_writes_what_babels_format_currency_writes(locale: str, currency: str) -> None:
    """Money puts the currency's symbol into Babel's pattern itself (Babel looks up the currency's plural name for
    every figure): for every locale and currency here, with cents it is exactly Babel's ``format_currency`` of the
    figure rounded half-even to cents, yen and dinars keeping their own decimals (0 and 3)."""
    from decimal import ROUND_HALF_EVEN, Decimal  # noqa: PLC0415

    from babel.numbers import format_currency  # noqa: PLC0415

    for text in ("0", "-0.005", "1234.565", "-1234567.894", "7393.4999999999999999999999999999"):
        rounded = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) + 0
        assert money(text, currency, locale) == format_currency(rounded, currency, locale=babel_locale(locale))


DISCORD_LOCALES = sorted(locale.value for locale in discord.Locale)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**15), max_value=10**15, places=4, allow_nan=False, allow_infinity=False),
    locale=st.sampled_from([*DISCORD_LOCALES, "en-IN", "de-CH", "ar", "fa", "he"]),
    currency=st.sampled_from(["USD", "EUR", "GBP", "JPY", "INR", "CHF", "BHD", "SEK", "BRL"]),
    cents=st.booleans(),
)
@example(amount=Decimal("-0.004"), locale="en-US", currency="USD", cents=True)  # rounds to a negative zero
@example(amount=Decimal("-0.4"), locale="de", currency="EUR", cents=False)
@example(amount=Decimal("-1234567.891"), locale="fr", currency="EUR", cents=True)
@example(amount=Decimal("999999.995"), locale="en-US", currency="USD", cents=True)  # one more digit after rounding
def test_money_laid_out_by_hand_is_babels_own_text(amount: Decimal, locale: str, currency: str, cents: bool) -> None:
    """Money in the usual pattern shape is written from the pattern's pieces, not by Babel on each figure; for every
    locale Discord sends (and a few with other groupings or symbols: India's groups of two, Swiss apostrophes,
    right-to-left marks), any currency, with cents or in whole units, the text is exactly what Babel's own
    ``NumberPattern.apply`` writes for the same pattern and figure rounded half-even."""
    from babel import numbers as babel_numbers  # noqa: PLC0415

    loc = babel_locale(locale)
    places = Decimal("0.01") if cents else Decimal(1)
    rounded = amount.quantize(places, rounding=ROUND_HALF_EVEN) + 0
    pattern = babel_numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    digits = babel_numbers.get_currency_precision(currency) if cents else 0
    pattern.frac_prec = (digits, digits)
    expected = pattern.apply(rounded, loc, currency=currency, currency_digits=False)
    assert money(amount, currency, locale, cents=cents) == expected


def test_the_usual_pattern_shape_covers_the_common_locales() -> None:
    """The hand-laid path (money and percentages) is the one taken for the locales most people use (else it would be
    tested, never run), and not for India's groups of two, which Babel writes."""
    from babel import numbers as babel_numbers  # noqa: PLC0415

    from prompts import formatting  # noqa: PLC0415

    for code in ("en-US", "en-GB", "de", "fr", "ja", "pt-BR", "es-ES", "zh-CN"):
        loc = babel_locale(code)
        assert formatting._layout(formatting._cents_pattern(loc, "USD"), loc, "USD") is not None, code
        assert formatting._percent_shape(code, 1).layout is not None, code
    india = babel_locale("en-IN")
    assert formatting._layout(formatting._cents_pattern(india, "INR"), india, "INR") is None
    assert babel_numbers.parse_pattern(india.currency_formats["standard"].pattern).grouping == (3, 2)


@settings(max_examples=300, deadline=None)
@given(
    share=st.decimals(min_value=-(10**6), max_value=10**6, places=34, allow_nan=False, allow_infinity=False),
    locale=st.sampled_from([*DISCORD_LOCALES, "en-IN", "de-CH", "ar", "fa", "he", "tr"]),
    places=st.integers(min_value=0, max_value=3),
)
@example(share=Decimal("0.1712345678901234567890123456789012"), locale="en-US", places=1)  # 34 digits, as the core's
@example(share=Decimal("-0.0000004"), locale="de", places=1)  # rounds to a negative zero, which Babel writes "-0,0 %"
@example(share=Decimal("12.3456"), locale="fr", places=2)  # 1 234,56 % with a narrow space
@example(share=Decimal("0.00125"), locale="en-US", places=1)  # a tie: half-even
def test_percent_laid_out_by_hand_is_babels_own_text(share: Decimal, locale: str, places: int) -> None:
    """Percentages in the usual pattern shape are written from the pattern's pieces after Babel's own rounding
    steps; for every locale Discord sends and a few more, any number of places, 34-digit shares as the core makes
    them, the text is exactly what Babel's ``NumberPattern.apply`` writes (its double rounding included)."""
    from babel import numbers as babel_numbers  # noqa: PLC0415

    loc = babel_locale(locale)
    pattern = babel_numbers.parse_pattern(loc.percent_formats[None].pattern)
    pattern.frac_prec = (places, places)
    assert percent(share, locale, places=places) == pattern.apply(share, loc)
