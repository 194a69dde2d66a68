"""What must hold for every offer, checked on the committed corpus of realistic offers and on generated ones: one
ask per grant and component, at most three asks, round amounts, the floor said out loud, the competing figure
named only when it helps, no portability points for work-only credits, a base ask for salary-only offers, and
the same advice every time."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from prompts import Renderer
from prompts.formatting import money
from tests.advisor.helpers import REGISTRY, corpus_files, corpus_offer
from tests.strategies import valid_offers
from valuation import Offer, Valuation, to_plain, value_offer
from valuation.advisor import Advice, advise
from valuation.advisor.facts import round_unit

RENDERER = Renderer()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NUMBERED = re.compile(r"^(\d+)\. ", re.MULTILINE)
PORTABILITY_TERMS = {"portability", "expiry", "rollover", "personal-use-and-ip"}
PORTABILITY_FALLBACKS = {"tail-or-cash-out", "rollover"}


def _money(advice: Advice, value: Decimal) -> str:
    return money(value, advice.currency, "en-US", cents=False)


def check_invariants(offer: Offer, valuation: Valuation, advice: Advice) -> None:
    """Every invariant of the issue, for one offer (shared by the corpus and the generated offers)."""
    script = RENDERER.script_text(advice, valuation)
    text = RENDERER.advice_text(advice, valuation)

    # At most three primary asks, and the email numbers exactly those.
    assert len(advice.asks) <= 3
    numbered = NUMBERED.findall(script)
    assert numbered == [str(n) for n in range(1, len(advice.asks) + 1)]

    # One ask per component: never two on the same grant, one sign-on, one base.
    components = [(ask.scope, ask.index) for ask in advice.asks]
    assert len(components) == len(set(components))

    # Every amount asked is round for its size and appears once, in its own numbered line of the email.
    lines = [line for line in script.splitlines() if NUMBERED.match(line)]
    for ask, line in zip(advice.asks, lines, strict=True):
        if "amount" in ask.numbers:
            amount = Decimal(ask.numbers["amount"])
            assert amount > 0 and amount % round_unit(amount) == 0, ask
            figure = _money(advice, amount)
            # A convert ask names the grant by its face, which may equal the cash asked: count before it.
            asked = line.split(" instead of the ", 1)[0] if ask.id == "convert-to-cash" else line
            assert asked.count(figure) == 1, (ask, line)
    assert sum("sign-on" in line for line in lines) <= 1

    # Below the floor, the verdict says so, first.
    floor = offer.negotiation.floor
    below = floor is not None and valuation.headline.cash_equivalent_tc_year1 < floor
    assert (advice.verdict.kind == "below-floor") == below
    if below:
        first = text.split("\n")[1]
        assert first.startswith("**Below your floor:**") and _money(advice, Decimal(floor)) in first  # type: ignore[arg-type]

    # The competing offer's figure reaches the email only when it is above this offer's advertised figure.
    competing = offer.negotiation.competing_offer_tc
    if competing is not None:
        above = competing > valuation.headline.advertised_tc_year1
        mention = next(line for line in script.splitlines() if "another offer" in line)
        named = f"another offer at {_money(advice, competing)}" in mention
        assert named == above
        if not above:
            assert not re.search(r"another offer[^.]*\d", mention)

    # Work-only credits: nothing about spending them after leaving, rollover, expiry or personal use.
    for index, grant in enumerate(offer.compute):
        if grant.personal_use:
            continue
        assert not [t for t in advice.terms if t.scope == "compute" and t.index == index and t.id in PORTABILITY_TERMS]
        for ask in advice.asks:
            if ask.scope == "compute" and ask.index == index:
                assert ask.id != "tax-neutral"
                assert not {f.id for f in ask.fallbacks} & PORTABILITY_FALLBACKS

    # A salary-only offer gets a base ask.
    if not offer.equity and not offer.compute:
        assert any(ask.id == "base-raise" for ask in advice.asks)

    # No rule id or internal threshold in the words.
    for words in (text, script):
        assert "(below " not in words and " or fewer is " not in words
        for ask in advice.asks:
            assert ask.id not in words.replace("sign-on", "")

    # The same offer gives byte-identical advice.
    again = advise(offer, valuation, REGISTRY)
    assert to_plain(again) == to_plain(advice)
    assert RENDERER.script_text(again, valuation) == script
    assert RENDERER.advice_text(again, valuation) == text


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_offer_keeps_every_invariant(path: Path) -> None:
    """Each corpus offer: every invariant of the advice and its email holds."""
    check_invariants(*corpus_offer(path))


def test_corpus_is_large_and_annotated() -> None:
    """At least 25 corpus offers, each opening with a note of what an expert would ask for."""
    files = corpus_files()
    assert len(files) >= 25
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# expert: "), path.name


@SETTINGS
@given(offer=valid_offers())
def test_generated_offer_keeps_every_invariant(offer: Offer) -> None:
    """Any valid offer: every invariant of the advice and its email holds."""
    check_invariants(offer, value_offer(offer, REGISTRY), advise(offer, value_offer(offer, REGISTRY), REGISTRY))
