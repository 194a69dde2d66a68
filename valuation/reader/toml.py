"""The offer data as offer-file TOML (the reader's offer only holds strings, whole numbers, booleans, lists and
tables, so a small writer suffices); ``valuation.loader`` reads it back to the same offer."""

from __future__ import annotations

import json
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string: the same escapes (\", \\, \n, \uXXXX).
    return json.dumps(str(value), ensure_ascii=False)


def offer_toml(offer: dict[str, Any]) -> str:
    """Top-level keys, then tables, then arrays of tables, in the order the offer data holds them."""
    lines: list[str] = []
    for key, value in offer.items():
        if not isinstance(value, dict | list) or (
            isinstance(value, list) and not any(isinstance(v, dict) for v in value)
        ):
            lines.append(f"{key} = {_value(value)}")
    for key, value in offer.items():
        if isinstance(value, dict):
            lines.extend(["", f"[{key}]"])
            lines.extend(f"{k} = {_value(v)}" for k, v in value.items())
    for key, value in offer.items():
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for table in value:
                lines.extend(["", f"[[{key}]]"])
                lines.extend(f"{k} = {_value(v)}" for k, v in table.items())
    return "\n".join(lines).lstrip("\n") + "\n"
