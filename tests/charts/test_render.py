"""Every chart renders, as a valid PNG of the right size, the same bytes every time and in every process."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from charts import compare_chart, leave_chart, money_chart
from charts.figures import Chart
from charts.render import MAX_PNG_BYTES, forget, render
from tests.charts.conftest import all_offers, example, valued
from tests.strategies import REGISTRY
from valuation import compare_offers

ROOT = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OFFERS = all_offers()


def _charts(name: str) -> list[Chart]:
    offer = OFFERS[name]
    valuation = valued(offer)
    return [money_chart(valuation), leave_chart(valuation, offer)]


def _chunks(png: bytes) -> list[bytes]:
    """The PNG's chunk types, checking each chunk's CRC on the way."""
    types, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc
        types.append(kind)
        at += 12 + length
    return types


def _check_png(png: bytes) -> None:
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) <= MAX_PNG_BYTES
    chunks = _chunks(png)
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunks)  # no Software, no date
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, 500)
        assert image.mode == "RGBA"  # a transparent card: the theme shows through


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", sorted(OFFERS))
def test_offer_charts_render_without_warnings(name: str) -> None:
    """The money and leaving charts of representative and extreme offers (no equity, huge compute, a negative
    compute cash-equivalent, one-time grants, all-work credits, ten years in yen) render as valid, small PNGs."""
    for chart in _charts(name):
        _check_png(render(chart))


def _comparison_chart() -> Chart:
    names = ("acme-ai.toml", "euro-offer.toml", "gpu-hours.toml")
    return compare_chart(compare_offers([(n, example(n)) for n in names], REGISTRY))


@pytest.mark.filterwarnings("error")
def test_compare_chart_renders_without_warnings() -> None:
    """Three offers in two currencies, with lead changes, render as a valid, small PNG."""
    _check_png(render(_comparison_chart()))


def test_same_chart_same_bytes_in_one_process() -> None:
    """Rendering a chart twice gives byte-identical PNGs."""
    for chart in [*_charts("acme-ai.toml"), _comparison_chart()]:
        assert render(chart) == render(chart)


def test_a_chart_drawn_after_others_is_the_same_as_drawn_first() -> None:
    """What a process keeps between charts (one figure per kind, text bitmaps) leaves no trace: a chart drawn from
    nothing and the same chart drawn after charts of every other offer (and a comparison of six, whose legend takes
    two rows and moves the axes down) are byte-identical."""
    charts = [*_charts("acme-ai.toml"), _comparison_chart()]
    forget()
    first = [render(chart) for chart in charts]
    for name in sorted(OFFERS):
        for chart in _charts(name):
            render(chart)
    six = [n for n in sorted(OFFERS) if n.endswith(".toml")] + ["zero-equity", "huge-compute"]
    render(compare_chart(compare_offers([(n, OFFERS[n]) for n in six], REGISTRY)))  # a two-row legend
    assert [render(chart) for chart in charts] == first


SCRIPT = """
import hashlib
from charts import leave_chart, money_chart
from charts.render import render
from tests.charts.conftest import example, valued
offer = example("acme-ai.toml")
valuation = valued(offer)
for chart in (money_chart(valuation), leave_chart(valuation, offer)):
    print(hashlib.sha256(render(chart)).hexdigest())
"""


def test_same_chart_same_bytes_in_another_process() -> None:
    """A fresh process (its own hash seed, its own font cache state) renders the same bytes as this one."""
    offer = example("acme-ai.toml")
    valuation = valued(offer)
    here = [hashlib.sha256(render(c)).hexdigest() for c in (money_chart(valuation), leave_chart(valuation, offer))]
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.split() == here
