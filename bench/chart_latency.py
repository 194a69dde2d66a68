"""How long a person waits for ``/offer evaluate`` with charts on, as a ratio to a no-op command in the same run.

The machinery of bench/bot.py: the real bot (``fourth-pillar run``, its chart worker processes, SQLite,
LOG_LEVEL=INFO) and the no-op bot (one command that answers "ok"), each against its own fake Discord on 127.0.0.1,
batches alternating between them so both see the same machine load. Every evaluate is a different offer (the base
salary differs per interaction), so every chart is drawn afresh and no cache can stand in for a render.

- First response: from delivery of INTERACTION_CREATE until the fake received the bot's first answer to it (the
  "thinking…" defer, or the reply itself when it needed none).
- Finished: until the fake received the message as the person finally sees it (the edit that carries the chart, or
  the one-line note when the chart was left out).
- Each at 1 and 8 interactions in flight, p50 and p99, and each as a ratio to the no-op's same percentile at the same
  concurrency (the no-op's first response is its finished reply).
- Burst: evaluates at 128 in flight; how many finished more than 3 s after delivery, and the p99.

Beside each: how many replies carried their chart (the rest came with the note: the pool refuses a chart it could
not draw in time). Run: ``python -m bench.chart_latency`` (``make bench`` runs it after bench.charts), ``--quick``
for smaller batches. Linux only, as bench/bot.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.bot import (
    DEADLINE_SECONDS,
    JSON,
    Bot,
    Outcome,
    bot_and_noop,
    log_problems,
    problems,
    set_harness_aside,
    settle,
    user,
)
from tests.fake_discord.fixtures import make_fake_discord

CHART = "where-the-money-is.png"
FIRST_P99_TARGET_MS = 50.0
FINISHED_P99_TARGET_MS = 400.0  # at 8 in flight
NEAR_DEADLINE_SECONDS = 2.0  # "nothing near 3 s" at 128 in flight: the burst's p99 stays under this


@dataclass
class Batch:
    name: str
    in_flight: int
    first: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)
    charted: int = 0
    count: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def late(self) -> int:
        """Finished after the deadline, counting those that never finished."""
        return sum(1 for s in self.finished if s > DEADLINE_SECONDS) + (self.count - len(self.finished))


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def evaluate_options(i: int) -> JSON:
    """A different offer for every interaction: base $150,000 plus $7 × i (credits as in bench/bot.py)."""
    return {"base": str(150_000 + 7 * i), "bonus": "15%", "equity": "400k", "credits": "50k"}


async def run(bot: Bot, name: str, payloads: Sequence[Callable[[], JSON]], in_flight: int) -> Batch:
    """Deliver every payload, at most ``in_flight`` unanswered at a time; record each first and finished time as
    the fake received them."""
    fake = bot.fake
    batch = Batch(name, in_flight, count=len(payloads))
    queue = iter(payloads)

    async def worker() -> None:
        for make in queue:
            handle = await fake.deliver(make())
            try:
                message = await handle.final(timeout=60)
            except Exception as exc:
                batch.failures.append(f"{name}: no final reply ({type(exc).__name__})")
                continue
            finished = handle.finished_after
            if handle.callback is None or finished is None:
                batch.failures.append(f"{name}: no time for the reply")
                continue
            batch.first.append(handle.callback.elapsed)
            batch.finished.append(finished)
            batch.charted += any(a.get("filename") == CHART for a in message.get("attachments") or [])

    await settle(fake, 0.05)
    set_harness_aside()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    await settle(fake)
    return batch


@dataclass
class Results(Outcome[Batch]):
    def merged(self, name: str) -> Batch | None:
        batches = self.batches.get(name)
        if not batches:
            return None
        out = Batch(name, batches[0].in_flight)
        for b in batches:
            out.first += b.first
            out.finished += b.finished
            out.charted += b.charted
            out.count += b.count
        return out


async def measure(quick: bool) -> Results:
    sizes = {1: 40 if quick else 150, 8: 80 if quick else 400}
    rounds = 1 if quick else 3
    burst = 256 if quick else 640
    results = Results()
    counter = iter(range(10**9))
    with tempfile.TemporaryDirectory(prefix="bench-chart-latency-") as tmp:
        workdir = Path(tmp)
        async with make_fake_discord() as bot_fake, make_fake_discord() as noop_fake:
            bot, noop = await bot_and_noop(workdir, bot_fake, noop_fake)
            try:
                await bot.start()
                await noop.start()

                def evaluates(count: int) -> list[Callable[[], JSON]]:
                    numbers = [next(counter) for _ in range(count)]
                    return [
                        partial(
                            bot_fake.slash, "offer", subcommand="evaluate", options=evaluate_options(i), user=user(i)
                        )
                        for i in numbers
                    ]

                def noops(count: int) -> list[Callable[[], JSON]]:
                    return [partial(noop_fake.slash, "noop", user=user(i)) for i in range(count)]

                # Warm both (the bot's first charts start its workers' figures): not measured.
                await run(bot, "warm-up", evaluates(24), 4)
                await run(noop, "warm-up", noops(24), 4)
                for _ in range(rounds):
                    for in_flight, size in sizes.items():
                        results.add(await run(noop, f"no-op {in_flight}", noops(size), in_flight))
                        results.add(await run(bot, f"evaluate {in_flight}", evaluates(size), in_flight))
                results.add(await run(noop, "no-op 128", noops(burst), 128))
                results.add(await run(bot, "evaluate 128", evaluates(burst), 128))
                results.rejected = Counter(v.kind for v in bot_fake.violations)
                results.log_problems = log_problems(workdir)
            finally:
                await bot.stop()
                await noop.stop()
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(results: Results, quick: bool) -> Iterator[str]:
    mode = "quick (small batches)" if quick else "full"
    yield f"Chart latency, /offer evaluate with charts on, a different offer each time; {mode}; {os.cpu_count()} CPUs"
    yield ""
    yield f"{'in flight':<10}{'':14}{'p50':>10}{'× no-op':>9}{'p99':>10}{'× no-op':>9}   charts attached"
    for in_flight in (1, 8, 128):
        bot, noop = results.merged(f"evaluate {in_flight}"), results.merged(f"no-op {in_flight}")
        if bot is None or noop is None or not bot.first or not noop.finished:
            continue
        for label, values in (("first reply", bot.first), ("finished", bot.finished)):
            p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
            n50, n99 = percentile(noop.finished, 0.50), percentile(noop.finished, 0.99)
            charts = f"{bot.charted} of {bot.count}" if label == "finished" else ""
            yield f"{in_flight:<10}{label:<14}{ms(p50):>10}{p50 / n50:>8.1f}×{ms(p99):>10}{p99 / n99:>8.1f}×   {charts}"
        yield f"{'':<10}{'no-op':<14}{ms(percentile(noop.finished, 0.5)):>10}{'':>9}{ms(percentile(noop.finished, 0.99)):>10}"
    yield ""
    yield f"{'target':<58}{'measured':>12}{'target':>10}  verdict"
    one, eight, burst = (results.merged(f"evaluate {n}") for n in (1, 8, 128))
    firsts = [b for b in (one, eight) if b is not None and b.first]
    if firsts:
        worst = max(percentile(b.first, 0.99) for b in firsts)
        ok = worst * 1000 <= FIRST_P99_TARGET_MS
        yield f"{'first response p99 (1 and 8 in flight)':<58}{ms(worst):>12}{'≤ 50 ms':>10}  {verdict(ok)}"
    if eight is not None and eight.finished:
        p99 = percentile(eight.finished, 0.99)
        ok = p99 * 1000 <= FINISHED_P99_TARGET_MS
        yield f"{'finished p99, 8 in flight':<58}{ms(p99):>12}{'≤ 400 ms':>10}  {verdict(ok)}"
    if burst is not None and burst.finished:
        p99 = percentile(burst.finished, 0.99)
        yield f"{f'finished after 3 s, {burst.count} evaluates at 128 in flight':<58}{burst.late:>12}{'0':>10}  {verdict(burst.late == 0)}"
        yield f"{'finished p99 at 128 in flight':<58}{ms(p99):>12}{'< 2 s':>10}  {verdict(p99 < NEAR_DEADLINE_SECONDS)}"
    yield from problems(results.failures, results.rejected, results.log_problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chart_latency", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller batches, one round")
    args = parser.parse_args(argv)
    if not Path("/proc/self/stat").exists():
        print("the bot benchmark reads /proc: Linux only")
        return 2
    started = time.monotonic()
    results = asyncio.run(measure(args.quick))
    for line in report(results, args.quick):
        print(line)
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 1 if results.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
