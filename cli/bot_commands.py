"""``run`` and ``sync``: the bot's process commands."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    run = subparsers.add_parser("run", help="start the Discord bot (settings from the environment or .env)")
    run.set_defaults(handler=_run)
    sync = subparsers.add_parser("sync", help="publish the slash commands to Discord, print what changed, exit")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to one server instead of globally")
    sync.set_defaults(handler=_sync)


def _run(args: argparse.Namespace) -> int:
    # The garbage collector is still off here (cli.main turns it off before loading the subcommands, and leaves it
    # off for this one): start-up's lasting objects are loaded without it, and the bot turns it on with them frozen
    # out of its view (FourthPillar.setup_hook).
    from bot.app import run  # noqa: PLC0415 - keep the offline CLI free of discord.py start-up

    return run()


def _sync(args: argparse.Namespace) -> int:
    from bot.app import sync  # noqa: PLC0415

    return sync(args.guild)
