"""``--chart PATH.png`` for value, compare and advise: writes the chart(s) and says where, with each one's alt text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import CliInputError
from valuation import OfferError
from valuation.errors import Reason


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--chart",
        metavar="PATH.png",
        help="also write a chart as PNG (value: where the money is, and PATH-leave.png for what leaving costs)",
    )


def leave_path(path: str) -> str:
    """Where ``value`` writes its second chart: beside the first, named after it."""
    p = Path(path)
    return str(p.with_name(f"{p.stem}-leave{p.suffix or '.png'}"))


def write(charts: list[tuple[str, Any]], locale: str) -> None:
    """Render and write each (path, chart spec); a path that can't be written is bad input, reported as such."""
    from charts.render import render  # noqa: PLC0415 -- matplotlib loads only when a chart is asked for
    from charts.words import default_renderer, written  # noqa: PLC0415

    for path, chart in charts:
        try:
            Path(path).write_bytes(render(chart))
        except (FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError):
            raise CliInputError(OfferError.single("chart", path, Reason.MISSING, "chart.png")) from None
        print(written(default_renderer(), path, chart.alt, locale=locale), file=sys.stderr)
