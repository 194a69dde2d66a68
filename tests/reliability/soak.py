"""``make soak``: the reliability scenarios at full size against the real bot, printed as a table.

Everything runs on 127.0.0.1 in temporary directories and ends by itself (bounded loops, timeouts on every wait).
Exit code 0 when every row is clean, 1 otherwise (the problems are printed under the table).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.reliability import scenarios
from tests.reliability.scenarios import Row

FULL: list[Callable[[Path], Awaitable[Row]]] = [
    lambda d: scenarios.fuzz(d, 10_000),
    lambda d: scenarios.stall(d, attackers=4, rounds=40, presses=60),
    lambda d: scenarios.kill_during_writes(d, writers=32, writes=30),
    lambda d: scenarios.resume_mid_burst(d, count=2_000, drops=8),
    lambda d: scenarios.rest_faults(d, count=400),
    lambda d: scenarios.sigterm_in_flight(d, in_flight=16),
    lambda d: scenarios.buttons_after_restart(d, messages=10),
]


def table(rows: list[Row]) -> str:
    head = "| scenario | interactions | unanswered | bad answers | missed 3 s | seconds | notes |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---|"]
    lines += [
        f"| {r.scenario} | {r.interactions:,} | {r.unanswered} | {r.bad} | {r.missed} | {r.seconds:.0f} | {r.note} |"
        for r in rows
    ]
    total = sum(r.interactions for r in rows)
    lines.append(
        f"| **total** | {total:,} | {sum(r.unanswered for r in rows)} | {sum(r.bad for r in rows)} | "
        f"{sum(r.missed for r in rows)} | {sum(r.seconds for r in rows):.0f} | |"
    )
    return "\n".join(lines)


async def run() -> int:
    rows = []
    for scenario in FULL:
        with tempfile.TemporaryDirectory(prefix="soak-") as workdir:
            try:
                row = await scenario(Path(workdir))
            except Exception as exc:  # one scenario's crash is a failed row, not the end of the run
                row = Row(f"crashed: {exc!r}"[:120])
                row.problem(repr(exc))
        print(f"{'ok  ' if row.ok else 'FAIL'} {row.scenario}: {row.interactions:,} interactions", file=sys.stderr)
        for problem in row.problems:
            print(f"     {problem}", file=sys.stderr)
        rows.append(row)
    print(table(rows))
    for row in rows:
        for problem in row.problems:
            print(f"- {row.scenario}: {problem}")
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(run()))
