"""Colours that read on both Discord themes, and the WCAG contrast that proves it.

The series colours are the Okabe–Ito colour-blind-safe hues, each moved (lightened in linear light towards white, or
darkened) to the one relative luminance that has the same contrast against Discord's dark (#313338) and light
(#FFFFFF) backgrounds: about 3.55:1 on both, the most any single colour can have on both. The charts are drawn on a
transparent card, so the theme's own background is what the colours sit on. Lightness is then nearly the same for
every series, so hue is not the only cue: the compute pillar is also hatched and every chart has a legend in stacking
order.
"""

from __future__ import annotations

DARK_BACKGROUND = "#313338"
LIGHT_BACKGROUND = "#FFFFFF"
BACKGROUNDS = (DARK_BACKGROUND, LIGHT_BACKGROUND)
MIN_CONTRAST = 3.0

PALETTE_NAME = "Okabe–Ito (luminance-matched for Discord's dark and light themes)"
# Okabe–Ito hue → the luminance-matched colour used here.
BLUE = "#5D8BBD"  # Okabe–Ito blue #0072B2
GREEN = "#009A70"  # bluish green #009E73
PURPLE = "#BD6F9A"  # reddish purple #CC79A7
ORANGE = "#B67D00"  # orange #E69F00
VERMILLION = "#D66932"  # vermillion #D55E00
SKY = "#438FBB"  # sky blue #56B4E9
YELLOW = "#928A24"  # yellow #F0E442

TEXT = "#888888"  # neutral grey, same luminance band
GRID = TEXT

PILLARS = {"salary": BLUE, "bonus": GREEN, "sign_on": PURPLE, "equity": ORANGE, "compute": VERMILLION}
# What leaving loses, in the colour of the pillar it comes from.
LOSSES = {"equity_unvested": ORANGE, "sign_on_repayment": PURPLE, "compute_forfeited": VERMILLION}
OFFERS = (BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY, YELLOW)
HATCHED = frozenset({"compute", "compute_forfeited"})

SERIES_COLOURS = frozenset({*PILLARS.values(), *LOSSES.values(), *OFFERS})
TEXT_COLOURS = frozenset({TEXT, GRID})


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` colour."""
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    low, high = sorted((relative_luminance(first), relative_luminance(second)))
    return (high + 0.05) / (low + 0.05)
