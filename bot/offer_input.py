"""From slash-command options (and an optional offer file) to the plain data an offer file parses to.

One validation path: the result goes through ``valuation.build_offer`` like any offer file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from valuation import OfferError, Registry
from valuation.errors import Reason
from valuation.parsing import ParseError, currency_mark, parse_count


@dataclass(frozen=True, slots=True)
class EvaluateOptions:
    """The values of ``/offer evaluate``'s options, checked by their transformers and kept as typed, so the offer
    model reads them as it reads an offer file (None: not given)."""

    base: str | None = None
    bonus: str | None = None
    sign_on: str | None = None
    equity: str | None = None
    equity_years: int | None = None
    credits: str | None = None
    model: str | None = None
    credits_cadence: str | None = None
    on_departure: str | None = None
    tail_months: int | None = None
    work_required: str | None = None
    personal_use: bool | None = None
    tax_treatment: str | None = None
    expiry_months: int | None = None
    employer: str | None = None
    quoted_tc: str | None = None
    currency: str | None = None
    usd_rate: str | None = None


# Options that describe the (first) compute grant, and the offer-file key each one sets.
_GRANT_KEYS = {
    "credits_cadence": "cadence",
    "on_departure": "on_departure",
    "tail_months": "tail_months",
    "work_required": "work_required",
    "personal_use": "personal_use",
    "tax_treatment": "tax_treatment",
    "expiry_months": "expiry_months",
}
_DENOMINATION_KEYS = ("amount", "tokens", "model", "gpu_hours", "gpu")
# A count suffix (million, billion, trillion) on credits with no model and no currency mark: tokens or dollars?
_COUNT_SUFFIX = re.compile(r"\d\s*(m|mm|b|bn|t)$", re.IGNORECASE)


def _text(value: Decimal | str) -> str:
    return value if isinstance(value, str) else format(value, "f")


# Fewer tokens than this a tranche are worth at most a few dollars at any list price: "50k" with a model is far
# more likely $50k of credits than 50,000 tokens, so it is asked about, not valued.
FEW_TOKENS = Decimal(1_000_000)


def _too_few_tokens(credits: str) -> bool:
    try:
        return parse_count(credits) < FEW_TOKENS
    except ParseError:
        return False  # build_offer refuses it with the count's own reason


def _looks_like_a_count(credits: str) -> bool:
    """ "100M" with no model is more likely 100 million tokens than $100,000,000: ask, don't value."""
    return currency_mark(credits) is None and _COUNT_SUFFIX.search(credits.strip()) is not None


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The file's table at ``key`` to merge options into (an option replaces a malformed one)."""
    value = data.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def _grants(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return list(value) if isinstance(value, list) else []


def offer_data(
    options: EvaluateOptions, registry: Registry, file_data: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The offer as an offer file would hold it. Options override the file's fields: ``base`` the salary,
    ``equity``/``equity_years`` the first RSU grant (one is added if the file has none), ``credits`` and the
    grant options the first compute grant. Without a file, ``base`` is required."""
    data: dict[str, Any] = dict(file_data or {})
    if options.base is None and "salary" not in data:
        raise OfferError.single("base", "", Reason.MISSING, '"180k" (or attach an offer_file)')
    if options.base is not None:
        data["salary"] = {**_table(data, "salary"), "base": _text(options.base)}
    if options.employer is not None:
        data["employer"] = options.employer
    if options.quoted_tc is not None:
        data["quoted_tc"] = _text(options.quoted_tc)
    if options.currency is not None:
        data["currency"] = options.currency
    if options.usd_rate is not None:
        data["assumptions"] = {**_table(data, "assumptions"), "usd_rate": options.usd_rate}
    if options.bonus is not None:
        data["bonus"] = {**_table(data, "bonus"), "target": options.bonus}
    if options.sign_on is not None:
        data["sign_on"] = {**_table(data, "sign_on"), "amount": _text(options.sign_on)}
    if options.equity is not None or options.equity_years is not None:
        data["equity"] = _with_rsu_options(_grants(data, "equity"), options)
    grant_options = {
        key: getattr(options, name) for name, key in _GRANT_KEYS.items() if getattr(options, name) is not None
    }
    if options.credits is not None or options.model is not None or grant_options:
        grants = _grants(data, "compute")
        if options.credits is None and not grants:
            raise OfferError.single("credits", "", Reason.MISSING, '"50k", or "100M" with a model')
        first = dict(grants[0]) if grants and isinstance(grants[0], Mapping) else {}
        if options.tail_months is not None:
            # Months of tail mean a tail: implied when on_departure is not given, refused beside another choice.
            if options.on_departure not in (None, "tail"):
                raise OfferError.single(
                    "tail_months", str(options.tail_months), Reason.TAIL_MONTHS_WITHOUT_TAIL, "3", options.on_departure
                )
            first["on_departure"] = "tail"
        if options.credits is not None:
            for key in _DENOMINATION_KEYS:
                first.pop(key, None)
            if options.model is None:
                if _looks_like_a_count(options.credits):
                    raise OfferError.single("credits", options.credits, Reason.CREDITS_WITHOUT_MODEL, '"100M"')
                first["amount"] = options.credits
            elif currency_mark(options.credits) is not None:  # money with a model: dollars or a count?
                raise OfferError.single("credits", options.credits, Reason.DOLLAR_CREDITS_WITH_MODEL, options.model)
            elif options.model in registry.gpus:
                first.update(gpu_hours=options.credits, gpu=options.model)
            else:  # an unknown model is refused by build_offer, naming it
                if _too_few_tokens(options.credits):
                    raise OfferError.single(
                        "credits", options.credits, Reason.FEW_TOKENS, options.model, format(FEW_TOKENS, "f")
                    )
                first.update(tokens=options.credits, model=options.model)
        elif options.model is not None:
            first["gpu" if options.model in registry.gpus else "model"] = options.model
        for key, value in grant_options.items():
            first[key] = _text(value) if isinstance(value, Decimal) else value
        data["compute"] = [first, *grants[1:]]
    return data


# Where each option lands in the offer data: a refusal there names the option the person typed.
_OPTION_PATHS = {
    "base": ("salary.base",),
    "bonus": ("bonus.target",),
    "sign_on": ("sign_on.amount",),
    "quoted_tc": ("quoted_tc",),
    "currency": ("currency",),
    "usd_rate": ("assumptions.usd_rate",),
    "credits": ("compute[0].amount", "compute[0].tokens", "compute[0].gpu_hours"),
    "model": ("compute[0].model", "compute[0].gpu"),
    **{name: (f"compute[0].{key}",) for name, key in _GRANT_KEYS.items()},
}


def by_option_names(error: OfferError, options: EvaluateOptions) -> OfferError:
    """The same error, with each problem in a value an option set named by that option (``credits``, not
    ``compute grant #1 → amount``); problems in the file's own values keep their path."""
    renamed = {
        path: name for name, paths in _OPTION_PATHS.items() if getattr(options, name) is not None for path in paths
    }
    return OfferError([replace(p, field=renamed.get(p.field, p.field)) for p in error.problems])


def _with_rsu_options(grants: list[Any], options: EvaluateOptions) -> list[Any]:
    index = next((i for i, g in enumerate(grants) if isinstance(g, Mapping) and g.get("kind", "rsu") == "rsu"), None)
    if index is None and options.equity is None:  # equity_years alone: years of which grant?
        raise OfferError.single("equity", "", Reason.MISSING, '"400k" (the RSU grant equity_years applies to)')
    grant: dict[str, Any] = {"kind": "rsu"} if index is None else dict(grants[index])
    if options.equity is not None:
        grant["grant_value"] = _text(options.equity)
    if options.equity_years is not None:
        grant["years"] = options.equity_years
    if index is None:
        return [grant, *grants]
    return [*grants[:index], grant, *grants[index + 1 :]]


def json_ready(value: Any) -> Any:
    """The same offer data with TOML's dates and times as ISO text and decimals as text, so it can be stored as
    JSON and builds the same offer when read back (the offer schema accepts both forms)."""
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
