"""``parse``: an offer written in plain English to the offer file it stands for; and ``--text`` for ``value`` and
``advise``, which read the text the same way and value it directly."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.common import CliInputError, registry_from, report
from prompts import Renderer
from valuation import OfferError, Registry, dumps
from valuation.errors import Reason
from valuation.offer import Offer
from valuation.reader import Reading, offer_from_reading, offer_toml, read_offer

DEFAULT_LOCALE = "en-US"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse", help="read an offer written in plain English and print the offer file it stands for"
    )
    parser.add_argument(
        "text", metavar="TEXT", nargs="?", default="-", help='the offer as written, or "-" (the default) to read stdin'
    )
    parser.add_argument("--json", action="store_true", help="print the offer and what was read, ignored, unclear")
    parser.add_argument("--prices", metavar="FILE", help="a price registry file that replaces the built-in one")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="number and money format, e.g. en-GB, de-DE")
    parser.set_defaults(handler=run_parse)


def text_from(argument: str) -> str:
    """The text itself, or standard input for "-"."""
    if argument != "-":
        return argument
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise CliInputError(OfferError.single("text", "-", Reason.NOT_TEXT, "offer.txt")) from None


def reading_report(reading: Reading, locale: str, *, unclear: bool = True) -> str:
    plain = reading.as_plain()
    currency = plain["offer"].get("currency", "USD")
    return Renderer().text(
        "reader/report", target="text", locale=locale, reading=plain, currency=currency, unclear=unclear
    )


def read_as(reading: Reading, locale: str) -> str:
    plain = reading.as_plain()
    currency = plain["offer"].get("currency", "USD")
    return Renderer().text("reader/read_as", target="text", locale=locale, reading=plain, currency=currency)


def offer_from_text(argument: str, registry: Registry, locale: str) -> tuple[Offer, Reading]:
    """Read the text and validate it; on failure, show what was read (stderr) and raise the problems."""
    reading = read_offer(text_from(argument), registry)
    try:
        return offer_from_reading(reading, registry), reading
    except OfferError as exc:
        if not reading.empty or reading.ambiguous:
            print(reading_report(reading, locale, unclear=False), file=sys.stderr)
        raise CliInputError(exc) from None


def run_parse(args: argparse.Namespace) -> int:
    try:
        registry = registry_from(args.prices)
        reading = read_offer(text_from(args.text), registry)
    except CliInputError as exc:
        return report(exc.error, args.locale)
    except OfferError as exc:
        return report(exc, args.locale)
    if args.json:
        print(dumps(reading.as_plain()), end="")
    try:
        offer_from_reading(reading, registry)
    except OfferError as exc:
        if not args.json and (not reading.empty or reading.ambiguous):
            print(reading_report(reading, args.locale, unclear=False), file=sys.stderr)
        return report(exc, args.locale)
    if not args.json:
        print(reading_report(reading, args.locale), file=sys.stderr)
        print(offer_toml(reading.offer), end="")
    return 0
