"""Colour contrast of the charts against Discord's two themes."""

from __future__ import annotations

import pytest

from charts import palette


def test_contrast_matches_the_wcag_definition() -> None:
    """White on black is 21:1 and a colour against itself 1:1, the ends of WCAG's scale."""
    # L(white) = 1, L(black) = 0: (1 + 0.05) / (0 + 0.05) = 21.
    assert palette.contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert palette.contrast("#313338", "#313338") == pytest.approx(1.0)


def test_grey_text_contrast_by_hand() -> None:
    """#888888 against white: channel 136/255 = 0.5333 → ((0.5333+0.055)/1.055)^2.4 = 0.2462; (1.05)/(0.2962) = 3.545."""
    assert palette.contrast(palette.TEXT, palette.LIGHT_BACKGROUND) == pytest.approx(3.545, abs=0.002)


@pytest.mark.parametrize("background", palette.BACKGROUNDS)
@pytest.mark.parametrize("colour", sorted(palette.SERIES_COLOURS | palette.TEXT_COLOURS))
def test_every_colour_reads_on_both_themes(colour: str, background: str) -> None:
    """Every series and text colour has at least 3:1 contrast against Discord's dark and light backgrounds."""
    assert palette.contrast(colour, background) >= palette.MIN_CONTRAST


def test_the_pillars_have_distinct_colours() -> None:
    """Each pillar and each compared offer (up to seven) gets a colour of its own."""
    assert len(set(palette.PILLARS.values())) == len(palette.PILLARS)
    assert len(set(palette.OFFERS)) == len(palette.OFFERS)
