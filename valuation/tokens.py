"""Tokens or GPU-hours to dollars and back, from the registry (for ``/tokens value``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import localcontext

from valuation.errors import OfferError, Reason, show_value
from valuation.formulas import CONTEXT, MILLION
from valuation.parsing import ParseError, parse_amount, parse_count
from valuation.registry import Range, Registry

_CURRENCY_MARKS = "$€£¥₹"


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
    as_of: date
    source: str


def _unit_prices(resource: str, registry: Registry) -> tuple[str, str, Range, date, str]:
    if resource in registry.models:
        model = registry.models[resource]
        blended = model.blended_range()
        per_token = Range(blended.low / MILLION, blended.base / MILLION, blended.high / MILLION)
        return "tokens", model.name, per_token, model.as_of, model.source
    if resource in registry.gpus:
        gpu = registry.gpus[resource]
        return "gpu_hours", gpu.name, gpu.hourly, gpu.as_of, gpu.source
    example = next(iter(registry.models))
    raise OfferError.single("model", resource, Reason.UNKNOWN_MODEL, f'"{example}"')


def convert(amount: str, resource: str, registry: Registry) -> Conversion:
    """``"100M"`` of a model → dollars; ``"$500"`` → tokens. A leading currency mark means dollars."""
    with localcontext(CONTEXT):
        unit, name, price, as_of, source = _unit_prices(resource, registry)
        text = amount.strip()
        try:
            if text[:1] in _CURRENCY_MARKS or text[-1:] in _CURRENCY_MARKS:
                dollars = parse_amount(text, allow_zero=False)
                # The most units come from the lowest price.
                units = Range(dollars / price.high, dollars / price.base, dollars / price.low)
                return Conversion("to_units", resource, name, unit, units, Range.fixed(dollars), price, as_of, source)
            count = parse_count(text)
        except ParseError as exc:
            raise OfferError.single("amount", show_value(amount), exc.reason, '"100M" or "$500"', exc.limit) from None
        dollars_range = Range(count * price.low, count * price.base, count * price.high)
        return Conversion("to_dollars", resource, name, unit, Range.fixed(count), dollars_range, price, as_of, source)
