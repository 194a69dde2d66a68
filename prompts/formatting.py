"""Locale-aware money, percentages and numbers, all through Babel (no hand-rolled separators)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext

from babel import Locale, UnknownLocaleError
from babel import numbers as babel_numbers

DEFAULT_LOCALE = "en-US"
# Discord sends short locale codes for some languages; map them to a full Babel locale.
_DISCORD_LOCALES = {
    "en": "en_US",
    "de": "de_DE",
    "fr": "fr_FR",
    "ja": "ja_JP",
    "es-ES": "es_ES",
    "es-419": "es_MX",
    "pt-BR": "pt_BR",
    "zh-CN": "zh_CN",
    "zh-TW": "zh_TW",
    "sv-SE": "sv_SE",
}


@functools.cache
def babel_locale(code: str | None) -> Locale:
    """A Babel locale for an IETF/Discord code (``en-US``, ``de``, ``ja``); unknown codes fall back to en-US."""
    candidate = _DISCORD_LOCALES.get(code or "", code or DEFAULT_LOCALE).replace("-", "_")
    try:
        return Locale.parse(candidate)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_US")


def known_locale(code: str) -> bool:
    """Whether Babel knows ``code`` (``en-US``, ``de``, ``pt_BR``): callers that take a locale from a person refuse
    an unknown one instead of letting :func:`babel_locale` fall back to en-US unseen."""
    candidate = _DISCORD_LOCALES.get(code, code).replace("-", "_")
    try:
        Locale.parse(candidate)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def to_decimal(value: object) -> Decimal:
    """Plain data carries money as strings (``"1234.56"``); accept those, ints and Decimals."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


@functools.cache
def _whole_pattern(locale: Locale) -> babel_numbers.NumberPattern:
    pattern = babel_numbers.parse_pattern(locale.currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern


# Formatting is pure and a reply shows the same shares and counts many times (a formula's inputs are earlier
# results): the recent results are kept. Bounded; only hashable values (text, Decimal, int) are looked up. Money is
# not kept: laid out from its pattern's pieces, an amount is written in less time than a lookup that misses takes.
_MEMO_SIZE = 8192


def money(value: object, currency: str, locale: str | None, *, cents: bool = True) -> str:
    """Money in the offer's currency and the reader's locale; rounded half-even (to cents, or whole units)."""
    shape = _money_shape(currency, locale, cents)
    amount = to_decimal(value).quantize(shape.places, ROUND_HALF_EVEN)
    layout = shape.layout
    if layout is None or amount.adjusted() >= _LARGEST_LAID_OUT:
        return _with_symbol(shape.pattern, amount + 0, shape.locale, currency)  # + 0: no "-0.00"
    text = str(amount)  # plain notation: at most two places and fewer than 20 digits before the point
    if text[0] == "-":
        return _laid_out(layout, text[1:], negative=bool(amount))  # a negative zero is written as zero
    return _laid_out(layout, text, negative=False)


def _laid_out(layout: _Layout, digits: str, *, negative: bool) -> str:
    """An unsigned amount in plain notation (``1234567.89``, already rounded to the layout's places) in the
    layout's groups, decimal sign, prefix and suffix."""
    whole, point, fraction = digits.partition(".")
    size = len(whole)
    if size > 6:
        whole = f"{int(whole):,}".replace(",", layout.group)
    elif size > 3:
        whole = f"{whole[:-3]}{layout.group}{whole[-3:]}"
    number = f"{whole}{layout.decimal}{fraction}" if point else whole
    return f"{layout.prefix[negative]}{number}{layout.suffix[negative]}"


@dataclass(frozen=True, slots=True)
class _Layout:
    """A money or percent pattern of the usual shape as its pieces of text (a currency's symbol in place, groups of
    three): what Babel's ``NumberPattern.apply`` writes for an amount already rounded to ``digits`` places, in a
    fraction of its time. A reply shows a few dozen amounts, each different."""

    prefix: tuple[str, str]  # for a positive and a negative amount
    suffix: tuple[str, str]
    group: str
    decimal: str
    digits: int


@dataclass(frozen=True, slots=True)
class _MoneyShape:
    """How money in one currency is written for one locale, with cents or in whole units: looked up once."""

    places: Decimal  # what an amount is rounded to first
    pattern: babel_numbers.NumberPattern
    locale: Locale
    layout: _Layout | None  # None: Babel writes it (an unusual pattern, or other places than ``places``)


_LARGEST_LAID_OUT = 20  # digits before the point; beyond, Babel (whose context keeps 28 digits) does it


@functools.cache
def _money_shape(currency: str, locale: str | None, cents: bool) -> _MoneyShape:
    loc = babel_locale(locale)
    pattern = _cents_pattern(loc, currency) if cents else _whole_pattern(loc)
    places = Decimal("0.01") if cents else Decimal(1)
    layout = _layout(pattern, loc, currency)
    # Yen and dinars keep their own places (0 and 3): rounded to cents first, Babel writes them.
    usable = layout is not None and layout.digits == (2 if cents else 0)
    return _MoneyShape(places, pattern, loc, layout if usable else None)


def _layout(pattern: babel_numbers.NumberPattern, locale: Locale, currency: str) -> _Layout | None:
    """The pieces of a currency ``pattern`` with the currency's symbol in place, or None when it is not of the
    shape :func:`money` lays out itself (see :func:`_number_layout`; nor a currency named in words)."""
    layout = _number_layout(pattern, locale, scale=0)
    if layout is None or "¤¤" in "".join((*pattern.prefix, *pattern.suffix)):
        return None
    symbol = _symbol(currency, locale)
    return _Layout(
        prefix=(layout.prefix[0].replace("¤", symbol), layout.prefix[1].replace("¤", symbol)),
        suffix=(layout.suffix[0].replace("¤", symbol), layout.suffix[1].replace("¤", symbol)),
        group=layout.group,
        decimal=layout.decimal,
        digits=layout.digits,
    )


def _number_layout(pattern: babel_numbers.NumberPattern, locale: Locale, *, scale: int) -> _Layout | None:
    """The pieces of ``pattern``, or None when it is not of the usual shape: groups of three, at least one digit
    before the point, a fixed number of places, no other scaling than ``scale``, no significant digits or exponent,
    no quoted text."""
    group = babel_numbers.get_group_symbol(locale)
    decimal = babel_numbers.get_decimal_symbol(locale)
    affixes = "".join((*pattern.prefix, *pattern.suffix))
    digits = pattern.frac_prec[1]
    usual = (
        pattern.grouping == (3, 3)
        and pattern.int_prec[0] == 1
        and pattern.scale == scale
        and not pattern.exp_prec
        and "@" not in pattern.pattern
        and pattern.number_pattern != ""
        and pattern.frac_prec[0] == digits
        and "'" not in affixes + group + decimal
    )
    if not usual:
        return None
    return _Layout(pattern.prefix, pattern.suffix, group, decimal, digits)


@functools.cache
def _cents_pattern(locale: Locale, currency: str) -> babel_numbers.NumberPattern:
    """The locale's currency pattern with the currency's own decimals (2 for dollars, 0 for yen), as
    ``format_currency`` applies it."""
    pattern = babel_numbers.parse_pattern(locale.currency_formats["standard"].pattern)
    digits = babel_numbers.get_currency_precision(currency)
    pattern.frac_prec = (digits, digits)
    return pattern


@functools.cache
def _symbol(currency: str, locale: Locale) -> str:
    symbol: str = babel_numbers.get_currency_symbol(currency, locale)
    return symbol


def _with_symbol(pattern: babel_numbers.NumberPattern, amount: Decimal, locale: Locale, currency: str) -> str:
    """``pattern`` applied by Babel, with the currency's symbol put in its place. Babel's own way looks up the
    currency's plural name for every figure (for the "¤¤¤" no standard pattern has), which was most of the cost of
    formatting one; a pattern that does name the currency that way is left to Babel."""
    if "¤¤" in pattern.prefix[0] + pattern.prefix[1] + pattern.suffix[0] + pattern.suffix[1]:
        text: str = pattern.apply(amount, locale, currency=currency, currency_digits=False)
        return text
    return str(pattern.apply(amount, locale)).replace("¤", _symbol(currency, locale))


def price(value: object, currency: str, locale: str | None) -> str:
    """A unit price exactly as valuation uses it: at least the currency's usual decimals, and every further digit
    it has ($3.495 stays $3.495, never $3.50)."""
    amount = to_decimal(value)
    amount = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()
    text: str = babel_numbers.format_currency(amount, currency, locale=babel_locale(locale), decimal_quantization=False)
    return text


def small_money(value: object, currency: str, locale: str | None) -> str:
    """Money to the cent, or, below a cent, to two significant digits ($0.0017): never a bare $0.00 for a value
    that isn't zero."""
    amount = to_decimal(value)
    if amount == 0 or abs(amount) >= Decimal("0.01"):
        return money(amount, currency, locale, cents=True)
    two_digits = amount.quantize(Decimal(1).scaleb(amount.adjusted() - 1), ROUND_HALF_EVEN)
    return price(two_digits, currency, locale)


@functools.cache
def _percent_pattern(locale: Locale, places: int) -> babel_numbers.NumberPattern:
    pattern = babel_numbers.parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (places, places)
    return pattern


def percent(value: object, locale: str | None, *, places: int = 1) -> str:
    """A share (0.171) as a percentage (17.1 %), in the reader's locale's own pattern, rounded half-even."""
    shape = _percent_shape(locale, places)
    layout = shape.layout
    share = to_decimal(value)
    amount = share.scaleb(2)
    if layout is None or amount.adjusted() >= _LARGEST_LAID_OUT:
        text: str = shape.pattern.apply(share, shape.locale)
        return text
    # Babel's own steps, in the caller's context as Babel takes them: scaled (rounded to the context's digits), the
    # sign, then rounded to the places (Babel normalises first, which changes no digit of a value so rounded).
    return _laid_out(layout, f"{abs(amount).quantize(shape.quantum):f}", negative=amount.is_signed())


@dataclass(frozen=True, slots=True)
class _PercentShape:
    """How shares are written as percentages for one locale and number of places: looked up once."""

    quantum: Decimal
    pattern: babel_numbers.NumberPattern
    locale: Locale
    layout: _Layout | None


@functools.cache
def _percent_shape(locale: str | None, places: int) -> _PercentShape:
    loc = babel_locale(locale)
    pattern = _percent_pattern(loc, places)
    # Laid out after :func:`percent` applies the pattern's ×100 as Babel does; the "%" is in the pattern's text.
    return _PercentShape(Decimal(1).scaleb(-places), pattern, loc, _number_layout(pattern, loc, scale=2))


def number(value: object, locale: str | None, *, places: int | None = None) -> str:
    """A plain number (token counts, months, prices per unit) in the reader's locale."""
    try:
        return _number(value, locale, places)
    except TypeError:
        return _number.__wrapped__(value, locale, places)


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _number(value: object, locale: str | None, places: int | None) -> str:
    amount = to_decimal(value)
    # Enough precision for every digit: a long number echoed back in an error (a 116-digit "share") overflowed
    # the default 28 digits inside babel's quantize and turned a clear refusal into "something went wrong".
    with localcontext() as context:
        context.prec = max(context.prec, len(amount.as_tuple().digits) + (places or 0) + 12)
        if places is not None:
            amount = amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)
        return babel_numbers.format_decimal(amount, locale=babel_locale(locale), decimal_quantization=False)


def compact(value: object, locale: str | None) -> str:
    """Large counts read better short: 100,000,000 tokens → 100M."""
    try:
        return _compact(value, locale)
    except TypeError:  # unhashable: format it rather than fail
        return _compact.__wrapped__(value, locale)


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _compact(value: object, locale: str | None) -> str:
    return babel_numbers.format_compact_decimal(to_decimal(value), locale=babel_locale(locale), fraction_digits=2)
