"""Charts to PNG bytes with matplotlib's object-oriented API on the Agg canvas (no pyplot, no global figure state).

Deterministic: the same chart gives the same bytes. Every text uses the DejaVu Sans files bundled with matplotlib
(by path, so a system copy of the font can't change the output), the size and DPI are fixed, the PNG carries no
Software or date metadata, and nothing reads the clock. Figures become geometry here (floats) and never labels:
every money label is a core figure through the project's money formatter (prompts.formatting.money).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from charts import palette
from charts.figures import Chart, CompareChart, LeaveChart, Marker, MoneyChart, Stack
from prompts.formatting import money

# Only SVG output reads the hash salt; fixed anyway so no output of this process depends on a random id.
matplotlib.rcParams["svg.hashsalt"] = "fourth-pillar"

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 5.0, 100  # 800 × 500 px: half size (Discord's embed preview) still reads
MAX_PNG_BYTES = 512 * 1024  # far under Discord's 10 MiB; a chart is ~40-80 KB

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_REGULAR = _FONTS / "DejaVuSans.ttf"
_BOLD = _FONTS / "DejaVuSans-Bold.ttf"
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, SMALL_SIZE = 17, 13, 12, 11
MAX_LABELLED_YEARS = 5  # past this many years the bars are too narrow for a word under each


def font(size: float, *, bold: bool = False) -> FontProperties:
    return FontProperties(fname=_BOLD if bold else _REGULAR, size=size)


def _f(value: Decimal) -> float:
    return float(value)


def _money_tick(value: float, chart: Chart) -> str:
    return money(Decimal(str(float(value))), chart.currency, chart.locale, cents=False)


def _new_figure() -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _style(ax: Axes) -> None:
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(palette.TEXT)
    ax.tick_params(colors=palette.TEXT, length=3)
    ax.grid(axis="y", color=palette.GRID, linewidth=0.6, alpha=0.35)
    ax.set_axisbelow(True)


def _money_axis(ax: Axes, chart: Chart, low: float, high: float, headroom: float = 0.08) -> None:
    """Y ticks chosen here (so the labels are ours, in the bundled font) and formatted as money."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    ticks = [t for t in MaxNLocator(nbins=5).tick_values(low, high) if low - 1e-9 <= t <= high * 1.08 + 1e-9]
    span = high - low
    ax.set_ylim(low - (span * 0.04 if low < 0 else 0), high + span * headroom)
    ax.set_yticks(ticks, [_money_tick(t, chart) for t in ticks], fontproperties=font(TICK_SIZE), parse_math=False)


def _unit_label(ax: Axes, text: str) -> None:
    """What the y axis counts, above its top tick (a rotated label beside wide money ticks would be cut off)."""
    ax.text(
        0.0,
        1.03,
        text,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        color=palette.TEXT,
        fontproperties=font(SMALL_SIZE),
        parse_math=False,
    )


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    figure.text(
        0.015,
        0.975,
        title,
        ha="left",
        va="top",
        color=palette.TEXT,
        fontproperties=font(TITLE_SIZE, bold=True),
        parse_math=False,
    )
    figure.text(
        0.015,
        0.915,
        subtitle,
        ha="left",
        va="top",
        color=palette.TEXT,
        fontproperties=font(LABEL_SIZE),
        parse_math=False,
    )


def _legend(figure: Figure, handles: Sequence[Any], labels: Sequence[str], columns: int) -> None:
    legend = figure.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.005, 0.865),
        ncols=columns,
        frameon=False,
        prop=font(SMALL_SIZE + 1),
        handlelength=1.2,
        columnspacing=1.0,
        borderaxespad=0.2,
    )
    for text in legend.get_texts():
        text.set_color(palette.TEXT)
        text.set_parse_math(False)


def _stack(
    ax: Axes,
    xs: Sequence[float],
    width: float,
    stacks: Sequence[Stack],
    totals: Sequence[Decimal] | None,
) -> tuple[list[Any], float, float]:
    """Stacked bars: positive parts upward from 0, negative parts downward. With ``totals``, the last stack is drawn
    up to the total (the part the core gives only as the rest of a total). Returns the handles for a legend."""
    ups = [0.0] * len(xs)
    downs = [0.0] * len(xs)
    handles = []
    for index, stack in enumerate(stacks):
        last = totals is not None and index == len(stacks) - 1
        heights = []
        bottoms = []
        for i in range(len(xs)):
            value = _f(totals[i]) - ups[i] - downs[i] if last and totals is not None else _f(stack.values[i])
            if value >= 0:
                bottoms.append(ups[i])
                ups[i] += value
            else:
                bottoms.append(downs[i] + value)
                downs[i] += value
            heights.append(abs(value))
        handle = ax.bar(
            xs,
            heights,
            width,
            bottoms,
            color=stack.colour,
            edgecolor="none",
            linewidth=0,
            hatch="///" if stack.hatched else None,
            hatchcolor="#FFFFFF" if stack.hatched else None,
            align="center",
        )
        handles.append(handle)
    return handles, max([*ups, 0.0]), min([*downs, 0.0])


def _render(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, transparent=True, metadata={"Software": None})
    return buffer.getvalue()


def _drawn(advertised: Stack, worth: Stack, index: int, chart: MoneyChart) -> bool:
    """Whether a pillar shows anywhere: a pillar that is zero in every bar stays out of the legend."""
    if index == len(chart.advertised) - 1:  # compute on the advertised bar is the rest of the advertised total
        rests = (
            _f(total) - sum(_f(stack.values[year]) for stack in chart.advertised[:-1])
            for year, total in enumerate(chart.advertised_totals)
        )
        return any(v != 0 for v in worth.values) or any(abs(rest) > 0.005 for rest in rests)
    return any(v != 0 for v in (*advertised.values, *worth.values))


def render_money(chart: MoneyChart) -> bytes:
    figure = _new_figure()
    ax = figure.add_axes((0.15, 0.17, 0.83, 0.58))
    _style(ax)
    count = len(chart.year_labels)
    width = 0.36
    centres = [float(i) for i in range(count)]
    adv_x = [c - 0.21 for c in centres]
    worth_x = [c + 0.21 for c in centres]
    handles, adv_high, adv_low = _stack(ax, adv_x, width, chart.advertised, chart.advertised_totals)
    _, worth_high, worth_low = _stack(ax, worth_x, width, chart.worth, None)
    _money_axis(ax, chart, min(adv_low, worth_low), max(adv_high, worth_high), headroom=0.14)
    ax.axhline(0, color=palette.TEXT, linewidth=0.8)
    ax.set_xlim(-0.6, count - 0.4)
    many = count > MAX_LABELLED_YEARS
    labels = [str(n) for n in range(1, count + 1)] if many else list(chart.year_labels)
    ax.set_xticks(centres, labels, fontproperties=font(LABEL_SIZE), parse_math=False)
    ax.tick_params(axis="x", length=0, pad=6 if many else 20)
    if many:
        ax.set_xlabel(chart.pairs_label, color=palette.TEXT, fontproperties=font(SMALL_SIZE), parse_math=False)
    else:
        for a, w in zip(adv_x, worth_x, strict=True):
            for x, word in ((a, chart.advertised_label), (w, chart.worth_label)):
                ax.annotate(
                    word,
                    (x, 0),
                    xycoords=("data", "axes fraction"),
                    xytext=(0, -4),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    color=palette.TEXT,
                    fontproperties=font(SMALL_SIZE - 1),
                    parse_math=False,
                )
    # Year 1's gap: a dashed line at the advertised total across to the worth bar, the headline's figure above it.
    top, worth_top = _f(chart.advertised_totals[0]), _f(chart.worth_totals[0])
    if chart.gap_year1 != 0:
        ax.plot(
            [adv_x[0] - width / 2, worth_x[0] + width / 2],
            [top, top],
            color=palette.TEXT,
            linewidth=1.2,
            linestyle=(0, (4, 2)),
        )
        ax.annotate(
            "",
            (worth_x[0], worth_top),
            xytext=(worth_x[0], top),
            arrowprops={"arrowstyle": "<->", "color": palette.TEXT, "linewidth": 1.2, "shrinkA": 0, "shrinkB": 0},
        )
    ax.annotate(
        chart.gap_label,
        (adv_x[0] - width / 2, max(top, worth_top)),
        xytext=(0, 5),
        textcoords="offset points",
        ha="left",
        va="bottom",
        color=palette.TEXT,
        fontproperties=font(LABEL_SIZE, bold=True),
        parse_math=False,
    )
    _titles(figure, chart.title, chart.subtitle)
    shown = [i for i, (a, w) in enumerate(zip(chart.advertised, chart.worth, strict=True)) if _drawn(a, w, i, chart)]
    _legend(figure, [handles[i] for i in shown], [chart.advertised[i].label for i in shown], len(shown))
    _unit_label(ax, chart.axis)
    return _render(figure)


def _merged(markers: Sequence[Marker]) -> list[Marker]:
    """Markers of the same month share one line and one label."""
    by_month: dict[int, list[str]] = {}
    for marker in markers:
        by_month.setdefault(marker.month, []).append(marker.label)
    return [Marker(month, "\n".join(labels)) for month, labels in sorted(by_month.items())]


def _mark(ax: Axes, markers: Sequence[Marker], x_of: float, horizon: int) -> None:
    for row, marker in enumerate(_merged(markers)):
        x = marker.month + x_of
        ax.axvline(x, color=palette.TEXT, linewidth=1.2, linestyle=(0, (4, 2)))
        right_half = marker.month > horizon * 0.6  # label on the side with room
        ax.annotate(
            marker.label,
            (x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-4 if right_half else 4, -4 - 30 * (row % 2)),
            textcoords="offset points",
            ha="right" if right_half else "left",
            va="top",
            color=palette.TEXT,
            fontproperties=font(SMALL_SIZE, bold=True),
            parse_math=False,
        )


def _month_axis(ax: Axes, horizon: int, label: str) -> None:
    ticks = [
        t
        for t in MaxNLocator(nbins=8, integer=True, steps=[1, 2, 3, 6, 10]).tick_values(1, horizon)
        if 1 <= t <= horizon
    ]
    if 1 not in ticks:
        ticks = [1, *ticks]
    ax.set_xticks(ticks, [str(int(t)) for t in ticks], fontproperties=font(TICK_SIZE), parse_math=False)
    ax.set_xlabel(label, color=palette.TEXT, fontproperties=font(SMALL_SIZE), parse_math=False)


def render_leave(chart: LeaveChart) -> bytes:
    figure = _new_figure()
    ax = figure.add_axes((0.15, 0.14, 0.83, 0.61))
    _style(ax)
    horizon = len(chart.losses[0].values)
    months = [float(m) for m in range(1, horizon + 1)]
    # One stepped area per loss (not 48 touching bars, whose edges round to hairline gaps): each month's level
    # holds from the start of its month to the next.
    edges = [m - 0.5 for m in months] + [horizon + 0.5]
    bottoms = [0.0] * horizon
    handles, labels = [], []
    for stack in chart.losses:
        tops = [b + _f(v) for b, v in zip(bottoms, stack.values, strict=True)]
        handle = ax.fill_between(
            edges,
            [*bottoms, bottoms[-1]],
            [*tops, tops[-1]],
            step="post",
            color=stack.colour,
            edgecolor="none",
            linewidth=0,
            hatch="///" if stack.hatched else None,
            hatchcolor="#FFFFFF" if stack.hatched else None,
        )
        if any(v != 0 for v in stack.values):  # a loss this offer never has stays out of the legend
            handles.append(handle)
            labels.append(stack.label)
        bottoms = tops
    high, low = max([*bottoms, 0.0]), 0.0
    _money_axis(ax, chart, low, high)
    ax.set_xlim(0.5, horizon + 0.5)
    _month_axis(ax, horizon, chart.axis_x)
    _mark(
        ax, chart.markers, -0.5, horizon
    )  # the line sits where the month's bar starts: leaving after it is the new level
    _titles(figure, chart.title, chart.subtitle)
    _legend(figure, handles, labels, max(len(labels), 1))
    _unit_label(ax, chart.axis_y)
    return _render(figure)


def render_compare(chart: CompareChart) -> bytes:
    figure = _new_figure()
    bars = figure.add_axes((0.14, 0.17, 0.30, 0.56))
    lines = figure.add_axes((0.60, 0.17, 0.38, 0.56))
    for ax, label in ((bars, chart.per_year_label), (lines, chart.cumulative_label)):
        _style(ax)
        ax.set_title(
            label, color=palette.TEXT, fontproperties=font(LABEL_SIZE, bold=True), loc="left", parse_math=False
        )
    count = len(chart.names)
    years = len(chart.year_labels)
    width = 0.8 / count
    handles = []
    for index, (values, colour) in enumerate(zip(chart.years, chart.colours, strict=True)):
        xs = [year - 0.4 + width * (index + 0.5) for year in range(years)]
        handles.append(bars.bar(xs, [_f(v) for v in values], width * 0.92, color=colour, linewidth=0))
    flat = [_f(v) for values in chart.years for v in values]
    _money_axis(bars, chart, min(flat), max(flat))
    bars.axhline(0, color=palette.TEXT, linewidth=0.8)
    labels = chart.year_labels if years <= 5 else tuple(label.split()[-1] for label in chart.year_labels)
    bars.set_xticks(range(years), labels, fontproperties=font(TICK_SIZE), parse_math=False)
    horizon = len(chart.months[0])
    months = list(range(1, horizon + 1))
    for values, colour in zip(chart.months, chart.colours, strict=True):
        lines.plot(months, [_f(v) for v in values], color=colour, linewidth=2.6)
    flat = [_f(v) for values in chart.months for v in values]
    _money_axis(lines, chart, min(flat), max(flat))
    lines.set_xlim(0.5, horizon + 0.5)
    _month_axis(lines, horizon, chart.axis_x)
    _mark(lines, chart.markers, 0.0, horizon)
    if chart.note:
        figure.text(
            0.015,
            0.015,
            chart.note,
            ha="left",
            va="bottom",
            color=palette.TEXT,
            fontproperties=font(SMALL_SIZE),
            parse_math=False,
        )
    _titles(figure, chart.title, chart.subtitle)
    _legend(figure, handles, list(chart.names), min(count, 4))
    return _render(figure)


def render(chart: Chart) -> bytes:
    """The chart as PNG bytes."""
    if isinstance(chart, MoneyChart):
        return render_money(chart)
    if isinstance(chart, LeaveChart):
        return render_leave(chart)
    return render_compare(chart)


def warm() -> int:
    """Render a small chart once (a worker calls this at start): fonts and caches load before the first reply."""
    chart = LeaveChart(
        currency="USD",
        locale="en-US",
        title="",
        subtitle="",
        axis_x="",
        axis_y="",
        losses=(Stack("equity_unvested", "", palette.ORANGE, False, (Decimal(1), Decimal(0))),),
        markers=(Marker(1, ""),),
        alt="",
    )
    return len(render(chart))
