"""From slash-command options (and an optional offer file) to the plain data an offer file parses to.

One validation path: the result goes through ``valuation.build_offer`` like any offer file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from valuation import OfferError, Registry
from valuation.errors import Reason


@dataclass(frozen=True, slots=True)
class EvaluateOptions:
    base: Decimal | None = None
    bonus: str | None = None
    sign_on: Decimal | None = None
    equity: Decimal | None = None
    equity_years: int | None = None
    credits: str | None = None
    model: str | None = None
    credits_cadence: str | None = None
    on_departure: str | None = None
    work_required: Decimal | None = None
    personal_use: bool | None = None
    tax_treatment: str | None = None
    expiry_months: int | None = None
    employer: str | None = None
    quoted_tc: Decimal | None = None


_GRANT_OPTIONS = ("credits_cadence", "on_departure", "work_required", "personal_use", "tax_treatment", "expiry_months")
_GRANT_KEYS = {"credits_cadence": "cadence"}


def _text(value: Decimal) -> str:
    return format(value, "f")


def offer_data(options: EvaluateOptions, registry: Registry, file_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Options override the offer file's fields; without a file, ``base`` is required."""
    data: dict[str, Any] = dict(file_data or {})
    if options.base is None and "salary" not in data:
        raise OfferError.single("base", "", Reason.MISSING, '"180k" (or attach an offer_file)')
    if options.base is not None:
        data["salary"] = {**data.get("salary", {}), "base": _text(options.base)}
    if options.employer is not None:
        data["employer"] = options.employer
    if options.quoted_tc is not None:
        data["quoted_tc"] = _text(options.quoted_tc)
    if options.bonus is not None:
        data["bonus"] = {**data.get("bonus", {}), "target": options.bonus}
    if options.sign_on is not None:
        data["sign_on"] = {**data.get("sign_on", {}), "amount": _text(options.sign_on)}
    if options.equity is not None or options.equity_years is not None:
        grants = list(data.get("equity", []))
        first = dict(grants[0]) if grants else {"kind": "rsu"}
        if options.equity is not None:
            first["grant_value"] = _text(options.equity)
        if options.equity_years is not None:
            first["years"] = options.equity_years
        data["equity"] = [first, *grants[1:]]
    grant_options = {name: getattr(options, name) for name in _GRANT_OPTIONS if getattr(options, name) is not None}
    if options.credits is not None or options.model is not None or grant_options:
        grants = list(data.get("compute", []))
        if options.credits is None and not grants:
            raise OfferError.single("credits", "", Reason.MISSING, '"50k", or "100M" with a model')
        first = dict(grants[0]) if grants else {}
        if options.credits is not None:
            for key in ("amount", "tokens", "model", "gpu_hours", "gpu"):
                first.pop(key, None)
            if options.model is None:
                first["amount"] = options.credits
            elif options.model in registry.gpus:
                first.update(gpu_hours=options.credits, gpu=options.model)
            else:
                first.update(tokens=options.credits, model=options.model)
        elif options.model is not None:
            key = "gpu" if options.model in registry.gpus else "model"
            first[key] = options.model
        for name, value in grant_options.items():
            first[_GRANT_KEYS.get(name, name)] = _text(value) if isinstance(value, Decimal) else value
        data["compute"] = [first, *grants[1:]]
    return data
