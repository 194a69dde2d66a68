"""Charts to PNG bytes with matplotlib's object-oriented API on the Agg canvas (no pyplot, no global figure state).

Deterministic: the same chart gives the same bytes. Every text uses the DejaVu Sans files bundled with matplotlib
(by path, so a system copy of the font can't change the output), the size and DPI are fixed, the PNG carries no
Software or date metadata, and nothing reads the clock. Figures become geometry here (floats) and never labels:
every money label is a core figure through the project's money formatter (prompts.formatting.money).

Cheap enough to draw one per reply (about a fifth of matplotlib's usual cost per image): each process keeps one
figure per kind of chart and only swaps what is drawn on it; the axes draw no matplotlib ticks (a tick is five
artists, built afresh for every chart) but one line of marks, one set of grid lines and a text per label; each
stack of bars is one collection; the legend is plain patches and texts; text is unhinted; and the PNG is written
here, unfiltered, at zlib's fastest level.
"""

from __future__ import annotations

import functools
import struct
import threading
import zlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib
import numpy
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, get_font
from matplotlib.markers import TICKDOWN, TICKLEFT
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation, Transform

from charts import palette
from charts.figures import Chart, CompareChart, LeaveChart, Marker, MoneyChart, Stack
from prompts.formatting import money

# Only SVG output reads the hash salt; fixed anyway so no output of this process depends on a random id.
matplotlib.rcParams["svg.hashsalt"] = "fourth-pillar"
# Hinting every glyph was a fifth of a render; at these sizes unhinted DejaVu reads as well.
matplotlib.rcParams["text.hinting"] = "no_hinting"

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 5.0, 100  # 800 × 500 px: half size (Discord's embed preview) still reads
MAX_PNG_BYTES = 512 * 1024  # far under Discord's 10 MiB; a chart is ~50-80 KB
PNG_COMPRESS_LEVEL = 1  # zlib: level 6 halves the bytes for three times the time
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_REGULAR = _FONTS / "DejaVuSans.ttf"
_BOLD = _FONTS / "DejaVuSans-Bold.ttf"
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, SMALL_SIZE = 17, 13, 12, 11
MAX_LABELLED_YEARS = 5  # past this many years the bars are too narrow for a word under each
TICK_LENGTH, TICK_PAD = 3.0, 3.5  # points: a tick mark, then the gap to its label
XLABEL_OFFSET = TICK_LENGTH + TICK_PAD + 18.0  # points below the axis: under a row of tick labels

# Where each kind's axes sit on the figure (left, bottom, width, height as figure fractions).
_AXES = {
    "money": ((0.15, 0.17, 0.83, 0.58),),
    "leave": ((0.15, 0.14, 0.83, 0.61),),
    "compare": ((0.14, 0.17, 0.30, 0.56), (0.60, 0.17, 0.38, 0.56)),
}
_TEMPLATES: dict[str, tuple[Figure, tuple[Axes, ...]]] = {}
_DRAWING = threading.Lock()  # a kept figure holds one chart at a time


@functools.cache
def font(size: float, *, bold: bool = False) -> FontProperties:
    return FontProperties(fname=_BOLD if bold else _REGULAR, size=size)


def _f(value: Decimal) -> float:
    return float(value)


def _money_tick(value: float, chart: Chart) -> str:
    return money(Decimal(str(float(value))), chart.currency, chart.locale, cents=False)


@functools.lru_cache(maxsize=2048)
def _inked(path: str, size: float, dpi: float, text: str) -> tuple[Any, float, float, float, float]:
    """A line of text laid out and drawn once into an anti-aliased bitmap: the bitmap, how far its left edge sits
    right of the pen and its bottom edge below the baseline, and the width and height matplotlib measures it by
    (pixels). Most of a chart's texts (ticks, legend, axis words) repeat from one chart to the next, so most draws
    become one blit instead of a layout and a raster per glyph; a new text is laid out once, not once to measure
    and again to draw."""
    ft = get_font(path)
    ft.clear()
    ft.set_size(size, dpi)
    ft.set_text(text, 0.0, flags=get_hinting_flag())  # type: ignore[no-untyped-call]
    width, height = ft.get_width_height()
    ft.draw_glyphs_to_bitmap(antialiased=True)
    image = numpy.array(ft.get_image())  # a copy: the font's buffer is reused by the next text
    left, _ = ft.get_bitmap_offset()
    return image, left / 64, ft.get_descent() / 64, width / 64, height / 64


class _Renderer(RendererAgg):
    """Agg, measuring and drawing plain horizontal text with :func:`_inked` (placed to the whole pixel; matplotlib's
    own path places each glyph to 1/64 px, which no one can see at this size)."""

    def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
        path = prop.get_file()
        if ismath or path is None:
            return super().get_text_width_height_descent(s, prop, ismath)  # type: ignore[no-untyped-call, no-any-return]
        _, _, descent, width, height = _inked(str(path), prop.get_size_in_points(), self.dpi, s)
        return width, height, descent

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        path = prop.get_file()
        if ismath or angle or path is None or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)  # type: ignore[no-untyped-call]
            return
        image, left, descent, _, _ = _inked(str(path), prop.get_size_in_points(), self.dpi, s)
        # y is the baseline (downwards) and the blit takes the bitmap's bottom row; the 1 puts the ink where
        # matplotlib's own path puts it.
        self._renderer.draw_text_image(image, round(x + left), round(y + descent) + 1, 0, gc)


class _Canvas(FigureCanvasAgg):
    """An Agg canvas whose renderer is :class:`_Renderer` (kept, like Agg's, while the size stays)."""

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        renderer = getattr(self, "renderer", None)
        if not isinstance(renderer, _Renderer) or (renderer.width, renderer.height) != (width, height):
            renderer = self.renderer = _Renderer(width, height, self.figure.dpi)  # type: ignore[no-untyped-call]
        return renderer


def _style(ax: Axes) -> None:
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(palette.TEXT)
    # Our own marks and labels instead (see the module docstring).
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)


def _canvas(kind: str) -> tuple[Figure, tuple[Axes, ...]]:
    """This process's figure for ``kind``, emptied of the last chart drawn on it (only the styled axes stay)."""
    cached = _TEMPLATES.get(kind)
    if cached is None:
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="none")
        _Canvas(figure)
        axes = tuple(figure.add_axes(rect) for rect in _AXES[kind])
        for ax in axes:
            _style(ax)
        cached = _TEMPLATES[kind] = (figure, axes)
        return cached
    figure, axes = cached
    for artist in [*figure.texts, *figure.artists]:
        artist.remove()
    for ax in axes:
        for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts]:
            artist.remove()
    return cached


def _shifted(transform: Transform, figure: Figure, dx: float, dy: float) -> Transform:
    """``transform`` then an offset in points."""
    return transform + ScaledTranslation(dx / 72, dy / 72, figure.dpi_scale_trans)


def _text(ax: Axes, x: float, y: float, text: str, transform: Transform, size: float, **kw: object) -> None:
    ax.text(
        x,
        y,
        text,
        transform=transform,
        color=palette.TEXT,
        fontproperties=font(size, bold=bool(kw.pop("bold", False))),
        parse_math=False,
        clip_on=False,
        **kw,  # type: ignore[arg-type]
    )


def _yticks(ax: Axes, ticks: Sequence[float], labels: Sequence[str]) -> None:
    """Grid lines, marks and labels at ``ticks`` (data y) on the left of the axes."""
    along = ax.get_yaxis_transform()  # x in axes fraction, y in data
    ax.hlines(ticks, 0, 1, transform=along, colors=palette.GRID, linewidths=0.6, alpha=0.35, zorder=0.5)
    ax.plot(
        [0.0] * len(ticks),
        ticks,
        transform=along,
        marker=TICKLEFT,
        linestyle="none",
        markersize=TICK_LENGTH,
        markeredgewidth=0.8,
        color=palette.TEXT,
        clip_on=False,
    )
    at = _shifted(along, ax.figure, -(TICK_LENGTH + TICK_PAD), 0)  # type: ignore[arg-type]
    for tick, label in zip(ticks, labels, strict=True):
        _text(ax, 0, tick, label, at, TICK_SIZE, ha="right", va="center_baseline")


def _xticks(ax: Axes, ticks: Sequence[float], labels: Sequence[str], size: float, *, marks: bool, pad: float) -> None:
    """Labels (and marks) at ``ticks`` (data x) under the axes."""
    along = ax.get_xaxis_transform()  # x in data, y in axes fraction
    if marks:
        ax.plot(
            ticks,
            [0.0] * len(ticks),
            transform=along,
            marker=TICKDOWN,
            linestyle="none",
            markersize=TICK_LENGTH,
            markeredgewidth=0.8,
            color=palette.TEXT,
            clip_on=False,
        )
    at = _shifted(along, ax.figure, 0, -pad)  # type: ignore[arg-type]
    for tick, label in zip(ticks, labels, strict=True):
        _text(ax, tick, 0, label, at, size, ha="center", va="top")


def _xlabel(ax: Axes, text: str) -> None:
    at = _shifted(ax.transAxes, ax.figure, 0, -XLABEL_OFFSET)  # type: ignore[arg-type]
    _text(ax, 0.5, 0, text, at, SMALL_SIZE, ha="center", va="top")


def _money_axis(ax: Axes, chart: Chart, low: float, high: float, headroom: float = 0.08) -> None:
    """Y ticks chosen here and formatted as money."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    ticks = [
        t for t in MaxNLocator(nbins=5, integer=True).tick_values(low, high) if low - 1e-9 <= t <= high * 1.08 + 1e-9
    ]
    span = high - low
    ax.set_ylim(low - (span * 0.04 if low < 0 else 0), high + span * headroom)
    _yticks(ax, ticks, [_money_tick(t, chart) for t in ticks])


def _unit_label(ax: Axes, text: str) -> None:
    """What the y axis counts, above its top tick (a rotated label beside wide money ticks would be cut off)."""
    _text(ax, 0.0, 1.03, text, ax.transAxes, SMALL_SIZE, ha="right", va="bottom")


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    for y, text, size, bold in ((0.975, title, TITLE_SIZE, True), (0.915, subtitle, LABEL_SIZE, False)):
        figure.text(
            0.015,
            y,
            text,
            ha="left",
            va="top",
            color=palette.TEXT,
            fontproperties=font(size, bold=bold),
            parse_math=False,
        )


LEGEND_SIZE = SMALL_SIZE + 1
# The legend, in points (the proportions of matplotlib's default legend, which this replaces): where its first key's
# top-left corner sits, a key's size, and the gaps after a key, after a label and between rows.
_LEGEND_AT = (0.005 * WIDTH_IN * 72 + 7.2, (1 - 0.865) * HEIGHT_IN * 72 + 7.2)
_KEY_W, _KEY_H, _KEY_GAP, _COLUMN_GAP, _ROW_GAP = 14.4, 8.4, 9.6, 12.0, 6.0


def _legend(figure: Figure, keys: Sequence[tuple[str, bool]], labels: Sequence[str], columns: int) -> None:
    """A key (colour, hatched) and a label per series, ``columns`` to a row, each column as wide as its widest label.
    Drawn as plain patches and texts: matplotlib's legend costs more than the rest of a chart's frame."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    prop = font(LEGEND_SIZE)
    to_points = 72 / DPI
    widths = [renderer.get_text_width_height_descent(label, prop, ismath=False)[0] * to_points for label in labels]
    lefts, x = [], _LEGEND_AT[0]
    for column in range(min(columns, len(labels))):
        lefts.append(x)
        x += _KEY_W + _KEY_GAP + max(widths[column::columns]) + _COLUMN_GAP
    row_height = LEGEND_SIZE + _ROW_GAP
    inches = figure.dpi_scale_trans
    for index, ((colour, hatched), label) in enumerate(zip(keys, labels, strict=True)):
        left = lefts[index % columns]
        middle = HEIGHT_IN * 72 - _LEGEND_AT[1] - LEGEND_SIZE / 2 - row_height * (index // columns)  # from the bottom
        figure.add_artist(
            Rectangle(
                (left / 72, (middle - _KEY_H / 2) / 72),
                _KEY_W / 72,
                _KEY_H / 72,
                transform=inches,
                facecolor=colour,
                edgecolor="none",
                linewidth=0,
                hatch="///" if hatched else None,
                hatchcolor="#FFFFFF" if hatched else None,
            )
        )
        figure.text(
            (left + _KEY_W + _KEY_GAP) / 72,
            middle / 72,
            label,
            transform=inches,
            ha="left",
            va="center",
            color=palette.TEXT,
            fontproperties=prop,
            parse_math=False,
        )


Box = tuple[tuple[float, float], ...]


class _Bars:
    """Bars collected, then drawn as one collection per hatching (one draw each, not a patch per bar)."""

    def __init__(self) -> None:
        self.boxes: dict[bool, tuple[list[Box], list[str]]] = {False: ([], []), True: ([], [])}

    def add(
        self,
        xs: Sequence[float],
        width: float,
        bottoms: Sequence[float],
        heights: Sequence[float],
        colour: str,
        hatched: bool,
    ) -> None:
        """Bars centred on ``xs``; empty ones are left out."""
        half = width / 2
        boxes, colours = self.boxes[hatched]
        for x, b, h in zip(xs, bottoms, heights, strict=True):
            if h != 0:
                boxes.append(((x - half, b), (x - half, b + h), (x + half, b + h), (x + half, b)))
                colours.append(colour)

    def draw(self, ax: Axes) -> None:
        for hatched, (boxes, colours) in self.boxes.items():
            if boxes:
                ax.add_collection(
                    PolyCollection(
                        boxes,
                        facecolors=colours,
                        edgecolors="none",
                        linewidths=0,
                        hatch="///" if hatched else None,
                        hatchcolors="#FFFFFF" if hatched else None,
                        zorder=1,
                    ),
                    autolim=False,
                )


def _stack(
    bars: _Bars,
    xs: Sequence[float],
    width: float,
    stacks: Sequence[Stack],
    totals: Sequence[Decimal] | None,
) -> tuple[float, float]:
    """Stacked bars: positive parts upward from 0, negative parts downward. With ``totals``, the last stack is drawn
    up to the total (the part the core gives only as the rest of a total). Returns the highest and lowest reach."""
    ups = [0.0] * len(xs)
    downs = [0.0] * len(xs)
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
        bars.add(xs, width, bottoms, heights, stack.colour, stack.hatched)
    return max([*ups, 0.0]), min([*downs, 0.0])


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(figure: Figure) -> bytes:
    """Draw, then write the RGBA pixels as a PNG: IHDR, one IDAT, IEND and nothing else (no metadata to vary).

    Written here rather than by Pillow, whose adaptive row filters cost more than drawing a whole axis: the rows go
    unfiltered (a chart is mostly long runs of one colour, which zlib packs well anyway) at zlib's fastest level. Every
    pixel stays exact (a palette PNG would be smaller, but shifts the series colours the contrast test checks)."""
    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height()
    pixels = numpy.asarray(canvas.buffer_rgba()).reshape(height, width * 4)  # type: ignore[attr-defined]
    rows = numpy.zeros((height, width * 4 + 1), dtype=numpy.uint8)  # a 0 byte (filter "none") before each row
    rows[:, 1:] = pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA, not interlaced
    return b"".join(
        (
            PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESS_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


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
    figure, (ax,) = _canvas("money")
    count = len(chart.year_labels)
    width = 0.36
    centres = [float(i) for i in range(count)]
    adv_x = [c - 0.21 for c in centres]
    worth_x = [c + 0.21 for c in centres]
    bars = _Bars()
    adv_high, adv_low = _stack(bars, adv_x, width, chart.advertised, chart.advertised_totals)
    worth_high, worth_low = _stack(bars, worth_x, width, chart.worth, None)
    bars.draw(ax)
    _money_axis(ax, chart, min(adv_low, worth_low), max(adv_high, worth_high), headroom=0.14)
    ax.axhline(0, color=palette.TEXT, linewidth=0.8)
    ax.set_xlim(-0.6, count - 0.4)
    many = count > MAX_LABELLED_YEARS
    labels = [str(n) for n in range(1, count + 1)] if many else list(chart.year_labels)
    _xticks(ax, centres, labels, LABEL_SIZE, marks=False, pad=6 if many else 20)
    if many:
        _xlabel(ax, chart.pairs_label)
    else:  # which bar is which, under each
        under = _shifted(ax.get_xaxis_transform(), figure, 0, -4)
        for a, w in zip(adv_x, worth_x, strict=True):
            for x, word in ((a, chart.advertised_label), (w, chart.worth_label)):
                _text(ax, x, 0, word, under, SMALL_SIZE - 1, ha="center", va="top")
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
    above = _shifted(ax.transData, figure, 0, 5)
    _text(
        ax,
        adv_x[0] - width / 2,
        max(top, worth_top),
        chart.gap_label,
        above,
        LABEL_SIZE,
        bold=True,
        ha="left",
        va="bottom",
    )
    _titles(figure, chart.title, chart.subtitle)
    shown = [i for i, (a, w) in enumerate(zip(chart.advertised, chart.worth, strict=True)) if _drawn(a, w, i, chart)]
    keys = [(chart.advertised[i].colour, chart.advertised[i].hatched) for i in shown]
    _legend(figure, keys, [chart.advertised[i].label for i in shown], len(shown))
    _unit_label(ax, chart.axis)
    return _png(figure)


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
        at = _shifted(ax.get_xaxis_transform(), ax.figure, -4 if right_half else 4, -4 - 30 * (row % 2))  # type: ignore[arg-type]
        _text(ax, x, 1.0, marker.label, at, SMALL_SIZE, bold=True, ha="right" if right_half else "left", va="top")


def _month_ticks(horizon: int) -> list[int]:
    """Month 1 and then whole years (every year up to five labels, every other year past that); short horizons get
    the locator's round steps."""
    if horizon >= 24:
        step = 12 * -(-horizon // 60)  # 12 months a tick, 24 past five years, ...
        return [1, *range(step, horizon + 1, step)]
    ticks = [
        int(t)
        for t in MaxNLocator(nbins=6, integer=True, steps=[1, 2, 3, 6, 10]).tick_values(1, horizon)
        if 1 <= t <= horizon
    ]
    return ticks if 1 in ticks else [1, *ticks]


def _month_axis(ax: Axes, horizon: int, label: str) -> None:
    ticks = _month_ticks(horizon)
    _xticks(ax, ticks, [str(t) for t in ticks], TICK_SIZE, marks=True, pad=TICK_LENGTH + TICK_PAD)
    _xlabel(ax, label)


def render_leave(chart: LeaveChart) -> bytes:
    figure, (ax,) = _canvas("leave")
    horizon = len(chart.losses[0].values)
    months = [float(m) for m in range(1, horizon + 1)]
    # One stepped area per loss (not 48 touching bars, whose edges round to hairline gaps): each month's level
    # holds from the start of its month to the next.
    edges = [m - 0.5 for m in months] + [horizon + 0.5]
    bottoms = [0.0] * horizon
    keys: list[tuple[str, bool]] = []
    labels: list[str] = []
    for stack in chart.losses:
        tops = [b + _f(v) for b, v in zip(bottoms, stack.values, strict=True)]
        ax.fill_between(
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
            keys.append((stack.colour, stack.hatched))
            labels.append(stack.label)
        bottoms = tops
    high, low = max([*bottoms, 0.0]), 0.0
    _money_axis(ax, chart, low, high)
    ax.set_xlim(0.5, horizon + 0.5)
    _month_axis(ax, horizon, chart.axis_x)
    # The line sits where the month's step starts: leaving after it is the new level.
    _mark(ax, chart.markers, -0.5, horizon)
    _titles(figure, chart.title, chart.subtitle)
    _legend(figure, keys, labels, max(len(labels), 1))
    _unit_label(ax, chart.axis_y)
    return _png(figure)


def render_compare(chart: CompareChart) -> bytes:
    figure, (bars, lines) = _canvas("compare")
    # Past four offers the legend takes more rows: the axes start lower by as much, so it stays clear of them.
    count = len(chart.names)
    columns = min(count, 4)
    drop = (-(-count // columns) - 1) * (LEGEND_SIZE + _ROW_GAP) / 72 / HEIGHT_IN
    for ax, (left, bottom, width, height) in zip((bars, lines), _AXES["compare"], strict=True):
        ax.set_position((left, bottom, width, height - drop))
    for ax, label in ((bars, chart.per_year_label), (lines, chart.cumulative_label)):
        _text(
            ax, 0.0, 1.0, label, _shifted(ax.transAxes, figure, 0, 6), LABEL_SIZE, bold=True, ha="left", va="baseline"
        )
    years = len(chart.year_labels)
    width = 0.8 / count
    per_year = _Bars()
    for index, (values, colour) in enumerate(zip(chart.years, chart.colours, strict=True)):
        xs = [year - 0.4 + width * (index + 0.5) for year in range(years)]
        heights = [_f(v) for v in values]
        bottoms = [min(h, 0.0) for h in heights]
        per_year.add(xs, width * 0.92, bottoms, [abs(h) for h in heights], colour, False)
    per_year.draw(bars)
    flat = [_f(v) for values in chart.years for v in values]
    _money_axis(bars, chart, min(flat), max(flat))
    bars.set_xlim(-0.6, years - 0.4)
    bars.axhline(0, color=palette.TEXT, linewidth=0.8)
    labels = chart.year_labels if years <= 5 else tuple(label.split()[-1] for label in chart.year_labels)
    _xticks(bars, [float(y) for y in range(years)], labels, TICK_SIZE, marks=True, pad=TICK_LENGTH + TICK_PAD)
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
    _legend(figure, [(colour, False) for colour in chart.colours], list(chart.names), columns)
    return _png(figure)


def forget() -> None:
    """Drop this process's figures and text bitmaps: the next chart starts from nothing (tests check it changes
    no byte)."""
    with _DRAWING:
        _TEMPLATES.clear()
        _inked.cache_clear()


def render(chart: Chart) -> bytes:
    """The chart as PNG bytes. One chart at a time per process (the figures are shared), whatever thread asks."""
    with _DRAWING:
        if isinstance(chart, MoneyChart):
            return render_money(chart)
        if isinstance(chart, LeaveChart):
            return render_leave(chart)
        return render_compare(chart)


def warm() -> int:
    """Render each kind of chart once (a worker calls this at start): fonts, caches and this process's figures are
    ready before the first reply."""
    stack = Stack("equity_unvested", "", palette.ORANGE, False, (Decimal(1), Decimal(0)))
    leave = LeaveChart(
        currency="USD",
        locale="en-US",
        title="",
        subtitle="",
        axis_x="",
        axis_y="",
        losses=(stack,),
        markers=(Marker(1, ""),),
        alt="",
    )
    money_ = MoneyChart(
        currency="USD",
        locale="en-US",
        title="",
        subtitle="",
        axis="",
        year_labels=("", ""),
        advertised_label="",
        worth_label="",
        pairs_label="",
        advertised=(stack,),
        advertised_totals=(Decimal(1), Decimal(0)),
        worth=(stack,),
        worth_totals=(Decimal(1), Decimal(0)),
        gap_label="",
        gap_year1=Decimal(0),
        alt="",
    )
    compare = CompareChart(
        currency="USD",
        locale="en-US",
        title="",
        subtitle="",
        per_year_label="",
        cumulative_label="",
        axis_x="",
        year_labels=("",),
        names=("", ""),
        colours=(palette.BLUE, palette.ORANGE),
        years=((Decimal(1),), (Decimal(2),)),
        months=((Decimal(1), Decimal(2)), (Decimal(2), Decimal(1))),
        markers=(Marker(1, ""),),
        note="",
        alt="",
    )
    return sum(len(render(chart)) for chart in (leave, money_, compare))
