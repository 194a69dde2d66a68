"""The reader's words: what it read, ignored and found unclear, the compact "Read as" line, and its refusals."""

from __future__ import annotations

import pytest

from tests.prompts.conftest import MENTIONS, SESSION_RENDERER, check_snapshot
from tests.strategies import REGISTRY
from valuation import OfferError
from valuation.reader import Ambiguity, offer_from_reading, read_offer

EMAIL = """Hi Sam,

We're thrilled to offer you the role at Acme AI!
- $185,000 annual base salary
- RSUs valued at $400,000 vesting over four years (25% after the first year, then quarterly)
- 2,000 H100 hours per year, lost if you leave
- 400k equity @everyone

Best,
Jordan <@123>
"""
# One phrasing per kind of ambiguity, so every wording is rendered.
UNCLEAR = {
    Ambiguity.EQUITY_WITHOUT_KIND: "400k equity",
    Ambiguity.OPTION_VALUE: "options worth $50k",
    Ambiguity.CONFLICTING_VALUES: "base 180k. base 185k",
    Ambiguity.TOKENS_WITHOUT_MODEL: "100M tokens a month",
    Ambiguity.UNKNOWN_MODEL: "100M Sonnet 4 tokens",
    Ambiguity.MODEL_CHOICE: "100M Claude tokens",
    Ambiguity.GPU_HOURS_WITHOUT_GPU: "1,000 GPU hours",
    Ambiguity.UNKNOWN_GPU: "1,000 A100 hours",
    Ambiguity.SALARY_PER_MONTH: "salary €7,000 per month",
    Ambiguity.SALARY_PERIOD: "salary 6.500 €",
    Ambiguity.RSU_UNITS: "5,000 RSUs",
    Ambiguity.RANGE: "bonus 10-15%",
    Ambiguity.EQUITY_SHARE: "0.1% equity",
    Ambiguity.EQUITY_PER_YEAR: "$100k per year in RSUs",
    Ambiguity.UP_TO: "bonus up to 10%",
    Ambiguity.VESTING_WITHOUT_GRANT: "vesting over 4 years",
    Ambiguity.MIXED_CURRENCIES: "base €90.000, CHF 5,000 API credits",
}


def test_report_snapshot() -> None:
    """The report of a recruiter email: each passage once with its fields and values, the unclear one, then the
    ignored; in Discord form no mention in the pasted text acts."""
    reading = read_offer(EMAIL, REGISTRY)
    text = SESSION_RENDERER.text("reader/report", target="text", reading=reading.as_plain(), unclear=True)
    check_snapshot("reader.report.txt", text + "\n")
    discord = SESSION_RENDERER.text("reader/report", target="discord", reading=reading.as_plain(), unclear=True)
    assert "Jordan" in discord and not MENTIONS.search(discord)


def test_read_as_line() -> None:
    """One line, passages in the order written, no mentions."""
    reading = read_offer(EMAIL, REGISTRY)
    line = SESSION_RENDERER.text("reader/read_as", target="discord", reading=reading.as_plain())
    assert line.startswith("Read as: base salary $185,000 · equity grant #1: value $400,000, kind rsu")
    assert "\n" not in line
    assert not MENTIONS.search(line)


@pytest.mark.parametrize("kind", list(Ambiguity), ids=[k.value for k in Ambiguity])
def test_every_unclear_kind_has_its_own_words(kind: Ambiguity) -> None:
    """Each kind of ambiguity is refused with its own sentence quoting the passage (no generic fallback)."""
    reading = read_offer(UNCLEAR[kind], REGISTRY)
    assert [a.kind for a in reading.ambiguous] == [kind]
    with pytest.raises(OfferError) as caught:
        offer_from_reading(reading, REGISTRY)
    text = SESSION_RENDERER.error_text(caught.value)
    assert text.startswith("error: ") and "is unclear" not in text
    assert reading.ambiguous[0].text[:20] in text


def test_nothing_read_wording() -> None:
    """The empty-reading refusal says what the reader looks for, in text and in Discord form."""
    with pytest.raises(OfferError) as caught:
        offer_from_reading(read_offer("hello", REGISTRY), REGISTRY)
    assert "I couldn't find an offer in that text" in SESSION_RENDERER.error_text(caught.value)
    assert SESSION_RENDERER.error_discord(caught.value).embeds
