"""The one shared hypothesis generator of offers: every variant the offer file allows, as plain data.

``offers()`` yields dicts shaped like a parsed offer file; ``valid_offers()`` validates them into ``Offer``
objects with the built-in registry; ``invalid_offers()`` yields data that must be refused with ``OfferError``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from valuation import Offer, build_offer, default_registry

REGISTRY = default_registry()
MODELS = sorted(REGISTRY.models)
GPUS = sorted(REGISTRY.gpus)

employers = st.one_of(
    st.none(),
    st.text(min_size=1, max_size=100).filter(lambda s: s.strip()),
    st.sampled_from(["Acme AI", "@everyone", "<@123> **bold**", "[x](http://e.vil)", "`code` > quote", "<#1> <@&2>"]),
)


def _amount(low: int, high: int) -> st.SearchStrategy[Any]:
    """The forms people write amounts in: integers, "180k", "$1.2M", "95,000"."""
    return st.integers(low, high).flatmap(
        lambda n: st.sampled_from([n, str(n), f"${n:,}", f"{n:,}", f"{n / 1000:g}k" if n % 100 == 0 else str(n)])
    )


def _share(low: int = 0, high: int = 100) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda p: f"{p}%")


@st.composite
def vesting(draw: st.DrawFn) -> dict[str, Any]:
    years = draw(st.integers(1, 6))
    schedule_kind = draw(st.sampled_from(["monthly", "quarterly", "5/15/40/40", "list"]))
    if schedule_kind == "5/15/40/40":
        years = 4
    data: dict[str, Any] = {"years": years, "cliff_months": draw(st.integers(0, min(24, years * 12)))}
    if schedule_kind == "list":
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=years - 1, max_size=years - 1)))
        bounds = [0, *cuts, 100]
        data["schedule"] = [bounds[i + 1] - bounds[i] for i in range(years)]
    else:
        data["schedule"] = schedule_kind
    return data


@st.composite
def equity_grant(draw: st.DrawFn) -> dict[str, Any]:
    grant = draw(vesting())
    if draw(st.booleans()):
        grant.update(kind="rsu", grant_value=draw(_amount(1_000, 2_000_000)))
    else:
        grant.update(
            kind="option",
            shares=draw(st.integers(1, 200_000)),
            strike=draw(st.sampled_from(["0.10", "1.25", "5", "12.50"])),
            preferred_price=draw(st.sampled_from(["0.50", "3", "8.40", "20"])),
            stage=draw(st.sampled_from(["public", "pre-ipo", "late-stage", "series-b-c", "seed-a"])),
            exercise_window_days=draw(st.sampled_from([30, 90, 365, 3650])),
        )
    return grant


@st.composite
def compute_grant(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["dollars", "tokens", "gpu"]))
    grant: dict[str, Any]
    if kind == "dollars":
        grant = {"amount": draw(_amount(0, 200_000))}
    elif kind == "tokens":
        grant = {
            "tokens": draw(st.sampled_from(["1M", "100M", "2.5B", 5_000_000])),
            "model": draw(st.sampled_from(MODELS)),
        }
    else:
        grant = {"gpu_hours": draw(st.integers(1, 20_000)), "gpu": draw(st.sampled_from(GPUS))}
    departure = draw(st.sampled_from(["forfeit", "tail", "cash"]))
    grant.update(
        cadence=draw(st.sampled_from(["one-time", "monthly", "yearly"])),
        expiry_months=draw(st.integers(0, 24)),
        rollover=draw(st.booleans()),
        on_departure=departure,
        tail_months=draw(st.integers(1, 12)) if departure == "tail" else draw(st.integers(0, 12)),
        personal_use=draw(st.booleans()),
        work_required=draw(_share()),
        tax_treatment=draw(st.sampled_from(["taxable", "working-condition", "excluded"])),
        quoted_in_tc=draw(st.booleans()),
    )
    if kind != "dollars" and draw(st.booleans()):
        grant["unit_price"] = draw(st.sampled_from(["0.50", "3.50", "10"]))
    return grant


@st.composite
def offers(draw: st.DrawFn) -> dict[str, Any]:
    """Plain data for any valid offer."""
    currency = draw(st.sampled_from(["USD", "USD", "EUR", "GBP", "JPY"]))
    data: dict[str, Any] = {"salary": {"base": draw(_amount(1_000, 1_500_000))}, "currency": currency}
    employer = draw(employers)
    if employer is not None:
        data["employer"] = employer
    if draw(st.booleans()):
        data["quoted_tc"] = draw(_amount(0, 3_000_000))
    if draw(st.booleans()):
        data["bonus"] = {"target": draw(st.one_of(_share(), _amount(0, 300_000)))}
    if draw(st.booleans()):
        data["sign_on"] = {
            "amount": draw(_amount(0, 200_000)),
            "clawback_months": draw(st.integers(0, 24)),
            "clawback": draw(st.sampled_from(["prorated", "full", "none"])),
        }
    data["equity"] = draw(st.lists(equity_grant(), max_size=3))
    data["compute"] = draw(st.lists(compute_grant(), max_size=3))
    assumptions: dict[str, Any] = {}
    if currency != "USD":
        assumptions["usd_rate"] = draw(st.sampled_from(["0.92", "0.79", "150"]))
    for name, values in (
        ("marginal_tax_rate", ["0%", "22%", "32%", "45%"]),
        ("utilization", ["0%", "50%", "100%"]),
        ("token_deflation", ["0%", "50%", "90%"]),
        ("gpu_deflation", ["0%", "30%"]),
        ("tenure_months", [1, 11, 12, 30, 48, 60]),
    ):
        if draw(st.booleans()):
            assumptions[name] = draw(st.sampled_from(values))
    if assumptions:
        data["assumptions"] = assumptions
    if draw(st.booleans()):
        data["negotiation"] = {
            "today": "2027-01-10",
            "decision_deadline": draw(st.sampled_from(["2027-01-12", "2027-01-17", "2027-03-01"])),
            "floor": draw(_amount(0, 500_000)),
            "competing_offer_tc": draw(_amount(0, 800_000)),
        }
    return data


def valid_offers() -> st.SearchStrategy[Offer]:
    return offers().map(lambda data: build_offer(data, REGISTRY))


@st.composite
def invalid_offers(draw: st.DrawFn) -> dict[str, Any]:
    """A valid offer with one thing broken."""
    data = draw(offers())
    breakage = draw(
        st.sampled_from(["negative", "garbage", "unknown_key", "share", "model", "cliff", "absurd", "rate"])
    )
    if breakage == "negative":
        data["salary"]["base"] = "-5k"
    elif breakage == "garbage":
        data["salary"]["base"] = draw(st.text(max_size=12).filter(lambda s: not s.strip().replace(".", "").isdigit()))
    elif breakage == "unknown_key":
        data["colour"] = "blue"
    elif breakage == "share":
        data["bonus"] = {"target": "130%"}
    elif breakage == "model":
        data["compute"] = [{"tokens": "1M", "model": "no-such-model"}]
    elif breakage == "cliff":
        data["equity"] = [{"kind": "rsu", "grant_value": "100k", "years": 1, "cliff_months": 13}]
    elif breakage == "absurd":
        data["salary"]["base"] = "5B"
    else:
        data["currency"] = "EUR"
        data.pop("assumptions", None)
        data["compute"] = [{"tokens": "1M", "model": MODELS[0]}]
    return data
