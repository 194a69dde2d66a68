"""Plain, JSON-ready data from results: stable key order, money as strings with two decimals (half-even).

It feeds ``--json`` output and the views built from several results (compare, prices); the breakdown, advice and
Show your work templates read the results themselves. Both come from the same Decimal figures, each rounded
half-even once where it is shown, so words and JSON never disagree.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from valuation.formulas import CONTEXT
from valuation.result import Lazy

CENT = Decimal("0.01")
# Shares and ratios keep four places; money keeps two.
RATIO_PLACES = Decimal("0.0001")
RATIO_FIELDS = frozenset(
    {
        "gap_share_year1",
        "noncash_nonportable_share_year1",
        "employer_cost_ratio",
        "personal_share",
        "taxable_share",
        "utilization",
        "discount",
        "first_year_share",
        "share",
        "threshold",
    }
)
# Counts, unit prices and anything a trace or assumption carries stay exact, so they recompute.
EXACT_FIELDS = frozenset({"units", "unit_price", "traces", "assumptions", "inputs", "numbers", "multiplier"})


def money(value: Decimal) -> str:
    """Round half-even to cents, as text (``"-0.00"`` becomes ``"0.00"``)."""
    rounded = value.quantize(CENT, ROUND_HALF_EVEN)
    return str(rounded + 0) if rounded else "0.00"


def ratio(value: Decimal) -> str:
    rounded = value.quantize(RATIO_PLACES, ROUND_HALF_EVEN)
    return str(rounded + 0) if rounded else "0.0000"


def exact(value: Decimal) -> str:
    """All the digits, no exponent, no trailing zeros. Normalised in the core's 34-digit context: the caller's
    (28 digits by default) would round 7393.4999…9 (34 digits) up to 7393.5 before anyone rounds it to show it."""
    text = format(value.normalize(CONTEXT), "f")
    return "0" if text in ("-0", "0") else text


_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset({bool, int, str, type(None)})
_SEQUENCES = frozenset({tuple, list, Lazy})


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's shown fields in declaration order, looked up once per class (``fields()`` is slow)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.repr)
    return names


def to_plain(obj: Any, name: str = "", *, keep_exact: bool = False) -> Any:
    """Dataclasses, dicts, tuples, Decimals and dates to JSON-ready values, keys in declaration order.

    A reply converts a few thousand values, so the exact types met most (Decimal, then scalars, sequences and
    dataclasses) are dispatched on first; subclasses take the general checks after them."""
    keep_exact = keep_exact or name in EXACT_FIELDS
    cls = type(obj)
    if cls is Decimal:
        if keep_exact:
            return exact(obj)
        return ratio(obj) if name in RATIO_FIELDS else money(obj)
    if cls in _SCALARS:
        return obj
    if cls in _SEQUENCES:
        if name == "inputs" and cls is tuple:  # a trace's (name, value) pairs
            return {str(k): to_plain(v, name, keep_exact=True) for k, v in obj}
        return [to_plain(v, name, keep_exact=keep_exact) for v in obj]
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f: to_plain(getattr(obj, f), f, keep_exact=keep_exact) for f in _field_names(cls)}
    if isinstance(obj, dict):
        return {str(k): to_plain(v, name, keep_exact=keep_exact) for k, v in obj.items()}
    if name == "inputs" and isinstance(obj, tuple):
        return {str(k): to_plain(v, name, keep_exact=True) for k, v in obj}
    if isinstance(obj, list | tuple | Lazy):
        return [to_plain(v, name, keep_exact=keep_exact) for v in obj]
    if isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, Decimal):
        if keep_exact:
            return exact(obj)
        return ratio(obj) if name in RATIO_FIELDS else money(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "value") and isinstance(obj.value, str):  # enums
        return obj.value
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def dumps(plain: Any) -> str:
    """Byte-stable JSON text."""
    return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
