"""Entry point of ``fourth-pillar``. Each subcommand lives in its own module with a ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from cli.common import report
from prompts.formatting import DEFAULT_LOCALE, known_locale
from valuation import OfferError
from valuation.errors import Reason

# Subcommand modules, in the order ``--help`` lists them. A module that is absent is skipped, so a slim install
# (for example without the bot's dependencies) still values offers.
SUBCOMMAND_MODULES = ("cli.offline", "cli.advise", "cli.reader", "cli.bot_commands", "cli.storage_commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fourth-pillar",
        description="What a job offer with AI-compute stipends is really worth, and what to ask for.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    locale = getattr(args, "locale", None)
    if locale is not None and not known_locale(locale):  # never a silent fallback to another format
        return report(OfferError.single("--locale", locale, Reason.UNKNOWN_LOCALE, "en-US"), DEFAULT_LOCALE)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:  # e.g. `fourth-pillar value x.toml | head`: the reader left, nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
