"""``advise``: your ask for an offer (an anchor and at most three asks), fallbacks, terms to get in writing."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from charts import money_chart
from cli import charting
from cli.common import CliInputError, registry_from, report
from cli.offline import offer_or_text
from cli.output import FORMATS, wants_json, write
from cli.reader import read_as
from prompts import Renderer
from valuation import OfferError, dumps, to_plain, value_offer
from valuation.advisor import advise
from valuation.errors import Reason
from valuation.offer import MARK_CURRENCY, NATIVE_MARKS
from valuation.parsing import ParseError, currency_mark, parse_amount

DEFAULT_LOCALE = "en-US"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "advise", help="your ask for an offer file: an anchor, at most three asks, and an email"
    )
    parser.add_argument("offer", metavar="OFFER", nargs="?", help="offer file, e.g. offer.toml")
    parser.add_argument("--text", metavar="TEXT", help='the offer in plain English instead of a file ("-" reads stdin)')
    parser.add_argument(
        "--target",
        metavar="AMOUNT",
        help='the cash-equivalent TC to counter for, e.g. "250k" (default: the advertised TC, or your floor '
        "or competing offer when higher)",
    )
    parser.add_argument(
        "--target-horizon",
        action="store_true",
        help="the target is the cash-equivalent TC over the whole horizon, not year 1",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")
    output.add_argument("--script", action="store_true", help="print a negotiation script to read from")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="markdown (the source), plain (no marks) or json; default: rendered on a terminal, plain when piped",
    )
    parser.add_argument("--prices", metavar="FILE", help="a price registry file that replaces the built-in one")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="number and money format, e.g. en-GB, de-DE")
    charting.add_option(parser)
    parser.set_defaults(handler=run_advise)


def _target(text: str | None, currency: str) -> Decimal | None:
    """The target in the offer's currency; a mark of another currency ("€300k" on a dollar offer) is refused, never
    read as the offer's own money."""
    if text is None:
        return None
    try:
        amount = parse_amount(text)
    except ParseError as exc:
        raise CliInputError(OfferError.single("target", text, exc.reason, '"250k"', exc.limit)) from None
    mark = currency_mark(text)
    if mark is not None and mark not in NATIVE_MARKS.get(currency, frozenset()):
        example = f'currency = "{MARK_CURRENCY.get(mark, currency)}"'
        raise CliInputError(OfferError.single("target", text, Reason.MARK_MISMATCH, example, currency))
    return amount


def run_advise(args: argparse.Namespace) -> int:
    try:
        registry = registry_from(args.prices)
        offer, reading = offer_or_text(args, registry)
        target = _target(args.target, offer.currency)
        valuation = value_offer(offer, registry)  # refuses a rate it can't estimate (no schedule applies)
        if args.chart:
            charting.write([(args.chart, money_chart(valuation, locale=args.locale))], args.locale)
    except CliInputError as exc:
        return report(exc.error, args.locale)
    except OfferError as exc:
        return report(exc, args.locale)
    advice = advise(
        offer, valuation, registry, target=target, target_kind="horizon" if args.target_horizon else "year1"
    )
    if wants_json(args):
        print(dumps(to_plain(advice)), end="")
        return 0

    renderer = Renderer()
    if reading is not None and not args.script:
        write(read_as(reading, args.locale) + "\n\n", args.format)
    if args.script:
        print(renderer.script_text(advice, valuation, locale=args.locale), end="")  # an email: plain already
    else:
        write(renderer.advice_text(advice, valuation, locale=args.locale), args.format)
    return 0
