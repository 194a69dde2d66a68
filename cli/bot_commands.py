"""``run`` and ``sync``: the bot's process commands."""

from __future__ import annotations

import argparse
import gc
from typing import Any


def register(subparsers: Any) -> None:
    run = subparsers.add_parser("run", help="start the Discord bot (settings from the environment or .env)")
    run.set_defaults(handler=_run)
    sync = subparsers.add_parser("sync", help="publish the slash commands to Discord, print what changed, exit")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to one server instead of globally")
    sync.set_defaults(handler=_sync)


def _run(args: argparse.Namespace) -> int:
    # Start-up makes a few hundred thousand objects that live as long as the process, and the garbage collector
    # would scan them again and again while they are made (about a tenth of a second of a start). It stays off until
    # they are all loaded, before connecting (cli.main turns it off before loading the subcommands, and leaves it
    # off for this one); the bot then turns it on with them frozen out of its view (FourthPillar.setup_hook).
    gc.disable()
    from bot.app import run  # noqa: PLC0415 - keep the offline CLI free of discord.py start-up

    return run()


def _sync(args: argparse.Namespace) -> int:
    from bot.app import sync  # noqa: PLC0415

    return sync(args.guild)
