"""``value``, ``compare``, ``prices`` and ``tokens``: the offline CLI, no Discord needed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from charts import compare_chart, leave_chart, money_chart
from cli import charting
from cli.common import CliInputError, offer_from, registry_from, report
from cli.output import add_format_options, wants_json, write
from cli.reader import offer_from_text, read_as
from prompts import Renderer
from valuation import OfferError, Registry, compare_offers, convert, dumps, to_plain, value_offer
from valuation.advisor import advise
from valuation.errors import Reason
from valuation.offer import Offer
from valuation.reader import Reading

DEFAULT_LOCALE = "en-US"


def _common(parser: argparse.ArgumentParser) -> None:
    add_format_options(parser)
    parser.add_argument("--prices", metavar="FILE", help="a price registry file that replaces the built-in one")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="number and money format, e.g. en-GB, de-DE")


def register(subparsers: Any) -> None:
    value = subparsers.add_parser("value", help="value an offer file (TOML or JSON), or an offer as written (--text)")
    value.add_argument("offer", metavar="OFFER", nargs="?", help="offer file, e.g. offer.toml")
    value.add_argument("--text", metavar="TEXT", help='the offer in plain English instead of a file ("-" reads stdin)')
    value.add_argument("--work", action="store_true", help="also show the work: every figure's formula and inputs")
    _common(value)
    charting.add_option(value)
    value.set_defaults(handler=_guarded(run_value))

    comparison = subparsers.add_parser("compare", help="compare two or more offer files side by side")
    comparison.add_argument("offers", metavar="OFFER", nargs="+", help="two or more offer files")
    comparison.add_argument(
        "--months", type=int, help="compare over this many months (default: the shortest of the offers' horizons)"
    )
    _common(comparison)
    charting.add_option(comparison)
    comparison.set_defaults(handler=_guarded(run_compare))

    prices = subparsers.add_parser("prices", help="the price registry, with dates and sources")
    _common(prices)
    prices.set_defaults(handler=_guarded(run_prices))

    tokens = subparsers.add_parser("tokens", help="tokens or GPU-hours to dollars, or dollars to tokens")
    tokens.add_argument("amount", help='"100M" tokens, "2000" GPU-hours, or "$500"')
    tokens.add_argument("resource", metavar="MODEL_OR_GPU", help="a registry id, e.g. claude-sonnet-4.5 or h100")
    _common(tokens)
    tokens.set_defaults(handler=_guarded(run_tokens))


def _guarded(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            code: int = handler(args)
        except CliInputError as exc:
            return report(exc.error, args.locale)
        except OfferError as exc:
            return report(exc, args.locale)
        return code

    return run


def run_value(args: argparse.Namespace) -> int:
    registry = registry_from(args.prices)
    offer, reading = offer_or_text(args, registry)
    valuation = value_offer(offer, registry)
    if args.chart:
        charting.write(
            [
                (args.chart, money_chart(valuation, locale=args.locale)),
                (charting.leave_path(args.chart), leave_chart(valuation, offer, locale=args.locale)),
            ],
            args.locale,
        )
    if wants_json(args):
        print(dumps(to_plain(valuation)), end="")
        return 0
    renderer = Renderer()
    if reading is not None:
        write(read_as(reading, args.locale) + "\n\n", args.format)
    advice = advise(offer, valuation, registry)  # "Your ask" opens the breakdown
    text = renderer.breakdown_text(valuation, locale=args.locale, advice=advice) + "\n"
    if args.work:
        text += renderer.work_text(valuation, locale=args.locale) + "\n"
    write(text, args.format)
    return 0


def offer_or_text(args: argparse.Namespace, registry: Registry) -> tuple[Offer, Reading | None]:
    """The offer from the file argument or from ``--text``: exactly one of them."""
    if (args.offer is None) == (args.text is None):
        example = 'offer.toml or --text "180k base, 15% bonus"'
        raise CliInputError(OfferError.single("offer", "", Reason.MISSING, example))
    if args.text is not None:
        return offer_from_text(args.text, registry, args.locale)
    return offer_from(args.offer, registry), None


def labels(paths: Sequence[str]) -> list[str]:
    """How each file is named in a comparison: its file name, or the path as given when two share a name."""
    names = [Path(path).name for path in paths]
    return [name if names.count(name) == 1 else path for name, path in zip(names, paths, strict=True)]


def run_compare(args: argparse.Namespace) -> int:
    registry = registry_from(args.prices)
    named = []
    for label, path in zip(labels(args.offers), args.offers, strict=True):
        try:
            named.append((label, offer_from(path, registry)))
        except CliInputError as exc:
            raise CliInputError(exc.error.within(label)) from None
    comparison = compare_offers(named, registry, months=args.months)
    if args.chart:
        charting.write([(args.chart, compare_chart(comparison, locale=args.locale))], args.locale)
    if wants_json(args):
        print(dumps(to_plain(comparison)), end="")
        return 0
    write(Renderer().compare_text(comparison, locale=args.locale) + "\n", args.format)
    return 0


def run_prices(args: argparse.Namespace) -> int:
    registry = registry_from(args.prices)
    if wants_json(args):
        print(dumps(to_plain(registry)), end="")
        return 0
    write(Renderer().prices_text(registry, today=datetime.now(UTC).date(), locale=args.locale) + "\n", args.format)
    return 0


def run_tokens(args: argparse.Namespace) -> int:
    registry = registry_from(args.prices)
    conversion = convert(args.amount, args.resource, registry)
    if wants_json(args):
        print(dumps(to_plain(conversion)), end="")
        return 0
    write(Renderer().tokens_text(conversion, locale=args.locale) + "\n", args.format)
    return 0
