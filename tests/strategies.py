"""The one shared hypothesis generator of offers: every variant the offer file allows, as plain data.

``offers()`` yields dicts shaped like a parsed offer file (TOML or JSON); ``valid_offers()`` validates them into
``Offer`` objects with the built-in registry; ``invalid_offers()`` yields data that must be refused with
``OfferError``. Every test that needs offers draws from here, so a new offer field is added in one place.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from hypothesis import strategies as st

from valuation import Offer, build_offer, default_registry
from valuation.offer import IMPLAUSIBLE_MULTIPLE_OF_BASE, ComputeGrant, currency_context, yearly_list_value

REGISTRY = default_registry()
MODELS = sorted(REGISTRY.models)
GPUS = sorted(REGISTRY.gpus)
STAGES = ("public", "pre-ipo", "late-stage", "series-b-c", "seed-a")

employers = st.one_of(
    st.none(),
    st.text(min_size=1, max_size=100).filter(lambda s: s.strip()),
    st.sampled_from(
        ["Acme AI", "@everyone", "<@123> **bold**", "[x](http://e.vil)", "`code` > quote", "<#1> <@&2>", "Zürich AG"]
    ),
)


def _written(n: int) -> st.SearchStrategy[Any]:
    """One whole amount in each form people write it: 180000, "180000", "$180,000", "180,000", "180k", "$1.2M"."""
    forms: list[Any] = [n, str(n), f"${n:,}", f"{n:,}", float(n)]
    if n % 1000 == 0 and n:
        forms.append(f"{n // 1000}k")
    if n % 100_000 == 0 and n:
        forms.append(f"${n / 1_000_000:g}M")
    return st.sampled_from(forms)


def amounts(low: int, high: int) -> st.SearchStrategy[Any]:
    """Amounts between ``low`` and ``high`` in any written form, biased towards round numbers."""
    whole = st.one_of(st.integers(low, high), st.integers(low // 1000, high // 1000).map(lambda k: k * 1000))
    return whole.filter(lambda n: low <= n <= high).flatmap(_written)


def shares(low: int = 0, high: int = 100) -> st.SearchStrategy[Any]:
    """A share written as "15%" or as the fraction 0.15."""
    return st.integers(low, high).flatmap(lambda p: st.sampled_from([f"{p}%", p / 100]))


@st.composite
def vesting(draw: st.DrawFn) -> dict[str, Any]:
    """Years, cliff and schedule: monthly, quarterly, 5/15/40/40 or custom yearly percentages."""
    years = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["monthly", "quarterly", "5/15/40/40", "list", "default"]))
    if kind == "5/15/40/40":
        years = 4
    data: dict[str, Any] = {"years": years, "cliff_months": draw(st.integers(0, min(24, years * 12)))}
    if kind == "list":
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=years - 1, max_size=years - 1)))
        bounds = [0, *cuts, 100]
        parts = [bounds[i + 1] - bounds[i] for i in range(years)]
        data["schedule"] = [f"{p}%" for p in parts] if draw(st.booleans()) else parts
    elif kind != "default":
        data["schedule"] = kind
    return data


@st.composite
def equity_grant(draw: st.DrawFn) -> dict[str, Any]:
    """An RSU grant or an option grant (options may be under water: strike above preferred price)."""
    grant = draw(vesting())
    if draw(st.booleans()):
        grant.update(kind="rsu", grant_value=draw(amounts(1_000, 2_000_000)))
    else:
        grant.update(
            kind="option",
            shares=draw(st.one_of(st.integers(1, 200_000), st.sampled_from(["10k", "40,000"]))),
            strike=draw(st.sampled_from(["0.10", "1.25", "5", "12.50", 0])),
            preferred_price=draw(st.sampled_from(["0.50", "3", "8.40", "20"])),
            stage=draw(st.sampled_from(STAGES)),
            exercise_window_days=draw(st.sampled_from([0, 30, 90, 365, 3650])),
        )
    return grant


@st.composite
def compute_grant(draw: st.DrawFn) -> dict[str, Any]:
    """A compute grant in dollars, tokens or GPU-hours, with every cadence, departure term and tax treatment."""
    kind = draw(st.sampled_from(["dollars", "tokens", "gpu"]))
    grant: dict[str, Any]
    if kind == "dollars":
        grant = {"amount": draw(amounts(0, 200_000))}
    elif kind == "tokens":
        grant = {
            "tokens": draw(st.sampled_from(["1M", "100M", "2.5B", 5_000_000, "1,500,000"])),
            "model": draw(st.sampled_from(MODELS)),
        }
    else:
        grant = {"gpu_hours": draw(st.sampled_from([1, 500, "2,000", 20_000])), "gpu": draw(st.sampled_from(GPUS))}
    departure = draw(st.sampled_from(["forfeit", "tail", "cash", None]))
    optional: dict[str, Any] = {
        "cadence": draw(st.sampled_from(["one-time", "monthly", "yearly"])),
        "expiry_months": draw(st.sampled_from([0, 1, 3, 6, 12, 13, 24])),
        "rollover": draw(st.booleans()),
        "tail_months": draw(st.integers(1, 12)) if departure == "tail" else draw(st.integers(0, 12)),
        "personal_use": draw(st.booleans()),
        "work_required": draw(shares()),
        "tax_treatment": draw(st.sampled_from(["taxable", "working-condition", "excluded"])),
        "quoted_in_tc": draw(st.booleans()),
    }
    if departure is not None:
        optional["on_departure"] = departure
    # Any field may be left to its default, except a tail's length.
    for name, value in optional.items():
        if (name == "tail_months" and departure == "tail") or draw(st.integers(0, 4)):
            grant[name] = value
    if kind != "dollars" and draw(st.booleans()):
        grant["unit_price"] = draw(st.sampled_from(["0.50", "3.50", "10", 2]))
    return grant


@st.composite
def offers(draw: st.DrawFn) -> dict[str, Any]:
    """Plain data for any valid offer."""
    currency = draw(st.sampled_from(["USD", "USD", "usd", "EUR", "GBP", "JPY"]))
    data: dict[str, Any] = {"salary": {"base": draw(amounts(1_000, 1_500_000))}, "currency": currency}
    employer = draw(employers)
    if employer is not None:
        data["employer"] = employer
    if draw(st.booleans()):
        data["quoted_tc"] = draw(amounts(0, 3_000_000))
    if draw(st.booleans()):
        data["bonus"] = {"target": draw(st.one_of(shares(), amounts(0, 300_000)))}
    if draw(st.booleans()):
        data["sign_on"] = {"amount": draw(amounts(0, 200_000))}
        if draw(st.booleans()):
            data["sign_on"]["clawback_months"] = draw(st.integers(0, 36))
        if draw(st.booleans()):
            data["sign_on"]["clawback"] = draw(st.sampled_from(["prorated", "full", "none"]))
    data["equity"] = draw(st.lists(equity_grant(), max_size=3))
    data["compute"] = draw(st.lists(compute_grant(), max_size=3))
    assumptions: dict[str, Any] = {}
    # A non-USD offer needs usd_rate: its token and GPU credits are priced in dollars, and its pay reaches the
    # (default) US tax schedules only through it.
    if currency.upper() != "USD":
        assumptions["usd_rate"] = draw(st.sampled_from(["0.92", "0.79", "150", 1]))
    for name, values in (
        ("marginal_tax_rate", ["0%", "22%", "32%", "45%", 0.3]),
        ("utilization", ["0%", "50%", "100%", 0.7]),
        ("token_deflation", ["0%", "50%", "90%"]),
        ("gpu_deflation", ["0%", "30%"]),
        ("employer_cost_ratio", ["40%", "55%", "100%"]),
    ):
        if draw(st.booleans()):
            assumptions[name] = draw(st.sampled_from(values))
    if draw(st.booleans()):
        assumptions["tenure_months"] = draw(st.one_of(st.sampled_from([1, 11, 12, 30, 48, 60]), st.integers(1, 120)))
    if assumptions:
        data["assumptions"] = assumptions
    if draw(st.booleans()):
        data["negotiation"] = {
            "today": "2027-01-10",
            "decision_deadline": draw(st.sampled_from(["2027-01-10", "2027-01-12", "2027-01-17", "2027-03-01"])),
            "floor": draw(amounts(0, 500_000)),
            "competing_offer_tc": draw(amounts(0, 800_000)),
        }
    data = _with_own_mark(data, OWN_MARK.get(currency.upper(), ""))
    _raise_base_to_a_plausible_level(data)
    return data


OWN_MARK = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def _with_own_mark(value: Any, mark: str) -> Any:
    """Amounts written with "$" take the offer's own currency mark (a dollar mark in a euro offer is US dollars)."""
    if isinstance(value, dict):
        return {key: _with_own_mark(item, mark) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_own_mark(item, mark) for item in value]
    if isinstance(value, str) and value.startswith("$"):
        return mark + value[1:]
    return value


def _raise_base_to_a_plausible_level(data: dict[str, Any]) -> None:
    """A compute grant listing above 10× base a year is refused as implausible: the base rises to fit the grants."""
    context = {"registry": REGISTRY, **currency_context(data)}
    rate = context["usd_rate"] if context["currency"] != "USD" else 1
    yearly = [
        yearly_list_value(ComputeGrant.model_validate(grant, context=context), REGISTRY, rate) or 0
        for grant in data["compute"]
    ]
    needed = (max(yearly, default=Decimal(0)) / IMPLAUSIBLE_MULTIPLE_OF_BASE).to_integral_value(ROUND_CEILING)
    base = build_offer({"salary": data["salary"], "currency": data["currency"]}, REGISTRY).salary.base
    if base < needed:
        data["salary"] = {"base": str(int(needed))}


def valid_offers() -> st.SearchStrategy[Offer]:
    """Offers validated with the built-in registry."""
    return offers().map(lambda data: build_offer(data, REGISTRY))


BREAKAGES = (
    "negative",
    "garbage",
    "unknown_key",
    "unknown_nested_key",
    "share_over_100",
    "unknown_model",
    "unknown_gpu",
    "cliff",
    "absurd",
    "needs_usd_rate",
    "two_denominations",
    "tokens_without_model",
    "tail_without_months",
    "schedule_sum",
    "schedule_length",
    "bad_currency",
    "deadline_before_today",
    "bad_date",
    "not_a_table",
    "missing_base",
    "wrong_kind",
    "option_without_strike",
    "tenure_zero",
    "tax_rate_100",
    "too_many_grants",
    "foreign_mark",
    "usd_rate_in_usd_offer",
    "implausible_credits",
)


@st.composite
def invalid_offers(draw: st.DrawFn) -> dict[str, Any]:
    """A valid offer with one thing broken (see ``BREAKAGES``)."""
    data = draw(offers())
    breakage = draw(st.sampled_from(BREAKAGES))
    if breakage == "negative":
        data["salary"]["base"] = draw(st.sampled_from(["-5k", -5000, "-$1"]))
    elif breakage == "garbage":
        data["salary"]["base"] = draw(
            st.one_of(
                st.text(max_size=12).filter(lambda s: not any(c.isdigit() for c in s)),
                st.sampled_from([True, None, [], {}, float("nan"), "1e5", "12.3.4"]),
            )
        )
    elif breakage == "unknown_key":
        data[draw(st.sampled_from(["colour", "Salary", "base"]))] = "blue"
    elif breakage == "unknown_nested_key":
        data["salary"]["bonus"] = "10%"
    elif breakage == "share_over_100":
        data["bonus"] = {"target": draw(st.sampled_from(["130%", "100.5%"]))}
    elif breakage == "unknown_model":
        data["compute"] = [{"tokens": "1M", "model": "no-such-model"}]
    elif breakage == "unknown_gpu":
        data["compute"] = [{"gpu_hours": 10, "gpu": "a-toaster"}]
    elif breakage == "cliff":
        data["equity"] = [{"kind": "rsu", "grant_value": "100k", "years": 1, "cliff_months": 13}]
    elif breakage == "absurd":
        # Past a billion US dollars (currencies with small units allow more units: see valuation.offer.max_amount).
        data["currency"] = "USD"
        data["salary"]["base"] = draw(st.sampled_from(["5B", "1,000,000,001", 10**12]))
    elif breakage == "needs_usd_rate":
        data["currency"] = "EUR"
        data.pop("assumptions", None)
        data["compute"] = [{"tokens": "1M", "model": MODELS[0]}]
    elif breakage == "two_denominations":
        data["compute"] = [{"amount": "5k", "tokens": "1M", "model": MODELS[0]}]
    elif breakage == "tokens_without_model":
        data["compute"] = [{"tokens": "1M"}]
    elif breakage == "tail_without_months":
        data["compute"] = [{"amount": "5k", "on_departure": "tail"}]
    elif breakage == "schedule_sum":
        data["equity"] = [{"kind": "rsu", "grant_value": "100k", "years": 2, "schedule": [50, 40]}]
    elif breakage == "schedule_length":
        data["equity"] = [{"kind": "rsu", "grant_value": "100k", "years": 3, "schedule": [50, 50]}]
    elif breakage == "bad_currency":
        data["currency"] = draw(st.sampled_from(["XYZ", "dollars", 5]))
    elif breakage == "deadline_before_today":
        data["negotiation"] = {"today": "2027-01-10", "decision_deadline": "2027-01-09"}
    elif breakage == "bad_date":
        data["negotiation"] = {"today": "next tuesday"}
    elif breakage == "not_a_table":
        data[draw(st.sampled_from(["salary", "bonus", "assumptions", "negotiation"]))] = "oops"
    elif breakage == "missing_base":
        data["salary"] = {}
    elif breakage == "wrong_kind":
        data["equity"] = [{"kind": "phantom", "grant_value": "100k"}]
    elif breakage == "option_without_strike":
        data["equity"] = [{"kind": "option", "shares": "10k", "preferred_price": "3"}]
    elif breakage == "tenure_zero":
        data["assumptions"] = {**data.get("assumptions", {}), "tenure_months": 0}
    elif breakage == "tax_rate_100":
        data["assumptions"] = {**data.get("assumptions", {}), "marginal_tax_rate": "100%"}
    elif breakage == "foreign_mark":
        data["salary"]["base"] = "£90k" if data["currency"].upper() != "GBP" else "€90k"
    elif breakage == "usd_rate_in_usd_offer":
        data["currency"] = "USD"
        data["assumptions"] = {**data.get("assumptions", {}), "usd_rate": draw(st.sampled_from(["0.92", "2"]))}
    elif breakage == "implausible_credits":
        data["salary"] = {"base": "100k"}
        data["compute"] = [{"amount": draw(st.sampled_from(["100M", "1,000,001"]))}]
    else:
        data["compute"] = [{"amount": "1k"}] * 11
    return data
