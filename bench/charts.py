"""Chart render time: median and p95 per chart, beside a baseline measured in the same run.

Each chart is rendered ``--runs`` times (CPU time per render, so other processes on a busy machine count less); the
spec is built once, as the bot and the CLI build it once per reply. The baseline is an empty figure of the same size
saved as PNG the same way: the ratio says what our drawing costs on top of matplotlib's fixed cost per image.

Run: ``python -m bench.charts`` (``make bench`` runs it too); ``--runs`` sets the renders per chart.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from charts import compare_chart, leave_chart, money_chart
from charts.figures import Chart
from charts.render import DPI, HEIGHT_IN, WIDTH_IN, render
from valuation import compare_offers, default_registry, load_offer, value_offer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _empty_png() -> bytes:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, transparent=True, metadata={"Software": None})
    return buffer.getvalue()


def timings(call: Callable[[], object], runs: int) -> list[float]:
    call()  # first render loads fonts and caches: not what a warm worker pays
    out = []
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        call()
        out.append(time.process_time() - start)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.charts")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    registry = default_registry()
    offers = {
        n: load_offer((EXAMPLES / n).read_text(encoding="utf-8"), registry, "toml")
        for n in ("acme-ai.toml", "euro-offer.toml", "gpu-hours.toml")
    }
    acme = offers["acme-ai.toml"]
    valuation = value_offer(acme, registry)
    specs: dict[str, Chart] = {
        "where the money is": money_chart(valuation),
        "cost to leave (48 months)": leave_chart(valuation, acme),
        "compare (3 offers, 36 months)": compare_chart(compare_offers(list(offers.items()), registry)),
    }
    base = timings(_empty_png, args.runs)
    base_median = statistics.median(base)
    print(f"chart render, CPU ms per PNG over {args.runs} runs (800x500, {DPI} dpi)")
    print(f"{'':32}{'median':>9}{'p95':>9}{'x empty':>9}{'bytes':>9}")
    print(
        f"{'empty figure (baseline)':32}{base_median * 1000:9.1f}{p95(base) * 1000:9.1f}{1:9.1f}{len(_empty_png()):9d}"
    )
    for name, spec in specs.items():
        times = timings(partial(render, spec), args.runs)
        median = statistics.median(times)
        size = len(render(spec))
        print(f"{name:32}{median * 1000:9.1f}{p95(times) * 1000:9.1f}{median / base_median:9.1f}{size:9d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
