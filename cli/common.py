"""What every offline subcommand shares: reading files, the registry, one way to report bad input."""

from __future__ import annotations

from pathlib import Path

from cli.output import write_error
from prompts import Renderer
from valuation import OfferError, Registry, default_registry, load_offer, parse_registry
from valuation.errors import Reason
from valuation.offer import Offer

EXIT_BAD_INPUT = 2


class CliInputError(Exception):
    """Bad input at the command line: reported as one line on stderr, exit code 2."""

    def __init__(self, error: OfferError) -> None:
        super().__init__(str(error))
        self.error = error


def read_text(path: str, field: str) -> str:
    example = "prices.toml" if field == "prices" else "offer.toml"
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliInputError(OfferError.single(field, path, Reason.MISSING, example)) from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError):
        raise CliInputError(OfferError.single(field, path, Reason.NOT_TEXT, example)) from None


def registry_from(path: str | None) -> Registry:
    if path is None:
        return default_registry()
    try:
        return parse_registry(read_text(path, "prices"))
    except OfferError as exc:
        raise CliInputError(exc) from None


def offer_from(path: str, registry: Registry) -> Offer:
    text = read_text(path, "offer_file")
    fmt = "json" if path.lower().endswith(".json") else "toml" if path.lower().endswith(".toml") else "auto"
    try:
        return load_offer(text, registry, fmt)  # type: ignore[arg-type]
    except OfferError as exc:
        raise CliInputError(exc) from None


def report(error: OfferError, locale: str) -> int:
    """One clear line per problem on stderr; never a traceback."""
    write_error(Renderer().error_text(error, locale=locale))
    return EXIT_BAD_INPUT
