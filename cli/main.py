"""Entry point of ``fourth-pillar``. Each subcommand lives in its own module with a ``register(subparsers)``.

This module imports nothing heavy at its top: :func:`main` loads the subcommands (and with them the core and the
templates) with the garbage collector off, see :func:`main`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

# Subcommand modules, in the order ``--help`` lists them. A module that is absent is skipped, so a slim install
# (for example without the bot's dependencies) still values offers.
SUBCOMMAND_MODULES = ("cli.offline", "cli.advise", "cli.reader", "cli.bot_commands", "cli.storage_commands")
# Which module registers each subcommand (a test holds this equal to what the modules register): a command line
# that names one loads that module alone, so `run` starts without loading the offline commands.
SUBCOMMANDS = {
    "value": "cli.offline",
    "compare": "cli.offline",
    "prices": "cli.offline",
    "tokens": "cli.offline",
    "advise": "cli.advise",
    "parse": "cli.reader",
    "run": "cli.bot_commands",
    "sync": "cli.bot_commands",
    "migrate": "cli.storage_commands",
}
# The subcommand that leaves the collector off when it returns to its handler: the bot turns it back on itself once
# everything it loads at start is loaded (FourthPillar.setup_hook).
COLLECTED_BY_THE_BOT = "run"


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand; given the command line, with only the module of the subcommand it names
    (all of them when it names none: for ``--help`` and usage errors)."""
    parser = argparse.ArgumentParser(
        prog="fourth-pillar",
        description="What a job offer with AI-compute stipends is really worth, and what to ask for.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = SUBCOMMANDS.get(argv[0]) if argv else None
    for name in SUBCOMMAND_MODULES if named is None else (named,):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Loading the subcommands makes a few hundred thousand objects that live as long as the process (the core's
    # models, the templates, for `run` the bot's libraries), and the garbage collector would scan them again and
    # again while they are made: about a tenth of a second of a start. It is off while they load, and on again
    # before any command runs, except `run`, whose bot turns it on once all of its start-up is loaded.
    collecting = gc.isenabled()
    gc.disable()
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(arguments).parse_args(arguments)
    except BaseException:  # --help, a usage error: as it was
        if collecting:
            gc.enable()
        raise
    if collecting and args.command != COLLECTED_BY_THE_BOT:
        gc.enable()
    return _handle(args)


def _handle(args: argparse.Namespace) -> int:
    locale = getattr(args, "locale", None)
    if locale is not None:  # a command that writes for a reader; its module loaded these already
        from cli.common import report  # noqa: PLC0415
        from prompts.formatting import DEFAULT_LOCALE, known_locale  # noqa: PLC0415
        from valuation import OfferError  # noqa: PLC0415
        from valuation.errors import Reason  # noqa: PLC0415

        if not known_locale(locale):  # never a silent fallback to another format
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
