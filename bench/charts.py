"""Chart render time: median and p95 per chart, beside a baseline measured in the same run.

Each chart is rendered ``--runs`` times (CPU time per render, so other processes on a busy machine count less), each
time for a different offer (Acme AI's base salary moves by $1,000 a run), so the titles and figures differ from one render
to the next as between two replies and no cache in the renderer serves a whole chart; the specs are built before
the clock starts, as the bot builds one per reply outside the worker. The baseline is an empty figure of the same
size saved as PNG by matplotlib: the ratio says what a chart costs against matplotlib's fixed cost per image.

Run: ``python -m bench.charts`` (``make bench`` runs it too); ``--runs`` sets the renders per chart.
"""

from __future__ import annotations

import argparse
import gc
import io
import re
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from charts import compare_chart, leave_chart, money_chart
from charts.figures import Chart
from charts.render import DPI, HEIGHT_IN, WIDTH_IN, render
from valuation import compare_offers, default_registry, load_offer, value_offer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TARGET_MS = 25
OFFERS = ("acme-ai.toml", "euro-offer.toml", "gpu-hours.toml")


def _empty_png() -> bytes:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, transparent=True, metadata={"Software": None})
    return buffer.getvalue()


def timings(calls: Sequence[Callable[[], object]]) -> list[float]:
    calls[0]()  # the first render loads fonts and builds the figure: not what a warm worker pays
    out = []
    for call in calls[1:]:
        gc.collect()
        start = time.process_time()
        call()
        out.append(time.process_time() - start)
    return out


def _offer_texts(runs: int) -> dict[str, list[str]]:
    """The example offers ``runs`` + 1 times each, Acme AI's base salary $1,000 higher each time (in the comparison
    too, so its figures move as well)."""
    texts = {name: [(EXAMPLES / name).read_text(encoding="utf-8")] * (runs + 1) for name in OFFERS}
    acme = texts[OFFERS[0]][0]
    match = re.search(r'^base = "([0-9]+)k"', acme, flags=re.MULTILINE)
    assert match, "acme-ai.toml: no base salary to vary"
    base = int(match.group(1)) * 1000
    texts[OFFERS[0]] = [acme.replace(match.group(0), f'base = "{base + 1000 * run}"') for run in range(runs + 1)]
    return texts


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.charts")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    registry = default_registry()
    texts = _offer_texts(args.runs)
    offers = [{n: load_offer(t[run], registry, "toml") for n, t in texts.items()} for run in range(args.runs + 1)]
    specs: dict[str, list[Chart]] = {
        "where the money is": [],
        "cost to leave (48 months)": [],
        "compare (3 offers, 36 months)": [],
    }
    for run_offers in offers:
        acme = run_offers["acme-ai.toml"]
        valuation = value_offer(acme, registry)
        specs["where the money is"].append(money_chart(valuation))
        specs["cost to leave (48 months)"].append(leave_chart(valuation, acme))
        specs["compare (3 offers, 36 months)"].append(compare_chart(compare_offers(list(run_offers.items()), registry)))
    base = timings([_empty_png] * (args.runs + 1))
    base_median = statistics.median(base)
    print(f"chart render, CPU ms per PNG over {args.runs} runs, a different offer each run (800x500, {DPI} dpi)")
    print(f"{'':32}{'median':>9}{'p95':>9}{'x empty':>9}{'bytes':>9}")
    print(
        f"{'empty figure (baseline)':32}{base_median * 1000:9.1f}{p95(base) * 1000:9.1f}{1:9.1f}{len(_empty_png()):9d}"
    )
    for name, charts in specs.items():
        times = timings([partial(render, chart) for chart in charts])
        median = statistics.median(times)
        size = len(render(charts[0]))
        print(f"{name:32}{median * 1000:9.1f}{p95(times) * 1000:9.1f}{median / base_median:9.1f}{size:9d}")
    print(f"target: a chart's median at most {TARGET_MS} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
