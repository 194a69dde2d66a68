"""Tokens or GPU-hours to dollars and back, from the registry (for ``/tokens value``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from valuation.errors import OfferError, Reason, show_value
from valuation.formulas import CONTEXT, MILLION
from valuation.parsing import ParseError, currency_mark, parse_amount, parse_count
from valuation.registry import Range, Registry
from valuation.suggest import suggestion

# Registry prices are in US dollars: only a dollar mark says "this is money".
DOLLAR_MARKS = frozenset({"$", "US$"})
# 8,760 GPU-hours is one GPU for a year; a million is over a hundred GPUs all year, past any compute allowance.
# A count above it is almost always a token count given with a GPU id (``100M h100``): refused, not valued.
MAX_GPU_HOURS = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Conversion:
    """``units`` of ``resource`` are worth ``dollars`` (low / base / high) at list price."""

    direction: str  # "to_dollars" | "to_units"
    resource: str
    resource_name: str
    unit: str  # "tokens" | "gpu_hours"
    units: Range
    dollars: Range
    unit_price: Range  # USD per token or per GPU-hour
    employer_cost_ratio: Range  # what employers typically pay per list dollar, from the same registry entry
    input_share: Range | None  # for tokens: the input shares the blended price range covers
    as_of: date
    source: str


def _unit_prices(resource: str, registry: Registry) -> tuple[str, str, Range, Range, Range | None, date, str]:
    if resource in registry.models:
        model = registry.models[resource]
        blended = model.blended_range()
        per_token = Range(blended.low / MILLION, blended.base / MILLION, blended.high / MILLION)
        return "tokens", model.name, per_token, model.employer_cost_ratio, model.input_share, model.as_of, model.source
    if resource in registry.gpus:
        gpu = registry.gpus[resource]
        return "gpu_hours", gpu.name, gpu.hourly, gpu.employer_cost_ratio, None, gpu.as_of, gpu.source
    example = suggestion(resource, [*registry.models, *registry.gpus], f'"{next(iter(registry.models))}"')
    raise OfferError.single("model", resource, Reason.UNKNOWN_MODEL, example)


def convert(amount: str, resource: str, registry: Registry) -> Conversion:
    """``"100M"`` of a model → dollars; ``"$500"`` → tokens. A leading currency mark means dollars."""
    with localcontext(CONTEXT):
        unit, name, price, ratio, shares, as_of, source = _unit_prices(resource, registry)
        text = amount.strip()
        mark = currency_mark(text)
        if mark is not None and mark not in DOLLAR_MARKS:
            raise OfferError.single("amount", show_value(amount), Reason.DOLLARS_ONLY, '"$500"')
        try:
            if mark is not None:
                dollars = parse_amount(text, allow_zero=False)
                # The most units come from the lowest price.
                units = Range(dollars / price.high, dollars / price.base, dollars / price.low)
                fixed = Range.fixed(dollars)
                return Conversion("to_units", resource, name, unit, units, fixed, price, ratio, shares, as_of, source)
            count = parse_count(text)
        except ParseError as exc:
            raise OfferError.single("amount", show_value(amount), exc.reason, '"100M" or "$500"', exc.limit) from None
        if unit == "gpu_hours" and count > MAX_GPU_HOURS:
            raise OfferError.single(
                "amount", format(count, "f"), Reason.IMPLAUSIBLE_GPU_HOURS, resource, format(MAX_GPU_HOURS, "f")
            )
        dollars_range = Range(count * price.low, count * price.base, count * price.high)
        counted = Range.fixed(count)
        return Conversion(
            "to_dollars", resource, name, unit, counted, dollars_range, price, ratio, shares, as_of, source
        )
