"""One strategy per compute grant, from its facts, with the other strategies as fallbacks; gains by hand.

Pinned: 25% tax, every personal credit spent, a 12-month horizon, credits costing the employer half their face; a
100k base and 10k of credits a year (taxable and counted in TC unless said otherwise).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.advisor.helpers import REGISTRY, D, advice_of, with_compute
from valuation.advisor import Advice, Ask, advise


def _only(advice: Advice) -> Ask | None:
    found = [a for a in (*advice.asks, *advice.reserve) if a.scope == "compute"]
    assert len(found) <= 1
    return found[0] if found else None


def compute_ask(assumptions: dict[str, Any] | None = None, **grant: Any) -> Ask | None:
    _, _, advice = advice_of(with_compute(**grant), **(assumptions or {}))
    return _only(advice)


def test_work_only_credits_are_a_work_tool_untaxed_in_full() -> None:
    """Work-only credits: worth nothing to spend, taxed 10,000 x 25% = 2,500, a cash-equivalent of -2,500 / 0.75 =
    -3,333.33; excluded from pay they cost nothing, so the ask gains 3,333.33. Fallbacks: cash at the employer's
    cost (5,000) or a gross-up of 3,333.33, asked as 3,300."""
    ask = compute_ask()
    assert ask is not None and ask.id == "work-tool"
    assert ask.gain_year1 == D("3333.33") and ask.numbers["work_only"] == "yes"
    assert [(f.id, f.numbers["amount"]) for f in ask.fallbacks] == [("convert-to-cash", D(5000)), ("gross-up", D(3300))]


def test_mostly_work_credits_ask_for_working_condition_treatment() -> None:
    """Personal use, 60% for work: personal value 4,000, tax 2,500, cash-equivalent (4,000 - 2,500) / 0.75 = 2,000.
    As a working-condition fringe only the 40% personal part is taxed (1,000): (4,000 - 1,000) / 0.75 = 4,000, a
    gain of 2,000."""
    ask = compute_ask(personal_use=True, work_required="60%")
    assert ask is not None and ask.id == "work-tool" and ask.gain_year1 == D("2000.00")
    assert ask.numbers["work_only"] == "no" and ask.numbers["in_tc"] == "yes"


def test_credits_worth_their_cost_are_kept_with_a_gross_up() -> None:
    """All personal, all spent: cash-equivalent (10,000 - 2,500) / 0.75 = 10,000, above the 5,000 they cost: keep
    them; the gross-up 2,500 / 0.75 = 3,333.33 is asked as 3,300. They are lost on leaving; nothing else applies."""
    ask = compute_ask(personal_use=True, work_required="0%")
    assert ask is not None and ask.id == "tax-neutral"
    assert (ask.numbers["amount"], ask.gain_year1, ask.numbers["forfeits"]) == (D(3300), D(3300), "yes")
    assert ask.fallbacks == ()


def test_credits_worth_less_than_their_cost_convert_to_cash() -> None:
    """20% for work, half spent: personal value 10,000 x 80% x 50% = 4,000, cash-equivalent (4,000 - 2,500) / 0.75
    = 2,000, under the 5,000 cost: ask 5,000 in cash, a gain of 3,000. Fallbacks (two at most): the gross-up,
    then 12 months to spend them after leaving (the rollover they also lack is left for the written terms)."""
    ask = compute_ask({"utilization": "50%"}, personal_use=True, work_required="20%")
    assert ask is not None and ask.id == "convert-to-cash"
    assert (ask.numbers["amount"], ask.gain_year1) == (D(5000), D("3000.00"))
    assert [(f.id, f.numbers) for f in ask.fallbacks] == [
        ("gross-up", {"tax": D(2500), "amount": D(3300)}),
        ("tail-or-cash-out", {"tail_months": D(12)}),
    ]


def test_an_ask_worth_under_a_thousand_is_not_made() -> None:
    """2,000 of work-only credits: tax 500, cash-equivalent -666.67; excluding them gains 666.67, under 1,000."""
    assert compute_ask(amount="2k") is None


def test_credits_already_excluded_from_tax_need_no_work_tool_ask() -> None:
    """Work-only credits already excluded from tax cost nothing: there is nothing to gain by asking."""
    assert compute_ask(tax_treatment="excluded") is None


def test_working_condition_fallback_only_under_us_tax() -> None:
    """Kept credits (30% for work, costing 40%): personal value 7,000, tax 2,500, cash-equivalent 4,500 / 0.75 =
    6,000, above the 4,000 cost. Under US tax the fallback is working-condition treatment; under German tax, none."""
    offer, valuation, advice = advice_of(
        with_compute(personal_use=True, work_required="30%"), employer_cost_ratio="40%"
    )
    ask = _only(advice)
    assert ask is not None and ask.id == "tax-neutral"
    assert [f.id for f in ask.fallbacks] == ["working-condition"]
    german = _only(advise(offer, dataclasses.replace(valuation, tax_jurisdiction="DE"), REGISTRY))
    assert german is not None and german.fallbacks == ()
