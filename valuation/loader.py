"""From text or plain data to a validated :class:`~valuation.offer.Offer`, or one :class:`OfferError`.

The core does no I/O: callers read files or attachments and pass the text here.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal

from pydantic import ValidationError

from valuation.errors import OfferError, Problem, Reason, show_value
from valuation.offer import Assumptions, Offer, OptionGrant, RsuGrant, currency_context
from valuation.registry import Registry
from valuation.suggest import suggestion

MAX_OFFER_BYTES = 64 * 1024
# Offer files are small and flat: deeper tables or longer lists are refused before any per-item work, so a hostile
# file costs the same as a normal one (a 45 KB file can otherwise hold 15,000 grants, each with its own problem).
MAX_NESTING = 8
MAX_GRANTS = 10  # per kind (equity, compute): the offer model's own limit
MAX_SCHEDULE_ENTRIES = 10  # one share per vesting year, and vesting is at most 10 years
MAX_DIGITS = 40  # far beyond any real figure, far below Python's own int-conversion limit

# A good value for each field, shown beside any refusal of it.
EXAMPLES: dict[str, str] = {
    "employer": '"Acme AI"',
    "currency": '"USD"',
    "quoted_tc": '"450k"',
    "salary": '[salary] base = "180k"',
    "base": '"180k"',
    "target": '"15%" or "25k"',
    "amount": '"50k"',
    "clawback_months": "12",
    "clawback": '"prorated"',
    "kind": '"rsu"',
    "grant_value": '"400k"',
    "years": "4",
    "cliff_months": "12",
    "schedule": '"monthly", "quarterly", "5/15/40/40" or [10, 20, 30, 40]',
    "shares": '"10k"',
    "strike": '"1.25"',
    "preferred_price": '"8.40"',
    "stage": '"series-b-c"',
    "exercise_window_days": "90",
    "tokens": '"100M"',
    "model": '"claude-sonnet-4.5"',
    "gpu_hours": '"2000"',
    "gpu": '"h100"',
    "unit_price": '"3.50"',
    "cadence": '"yearly"',
    "expiry_months": "12",
    "rollover": "false",
    "on_departure": '"forfeit"',
    "tail_months": "6",
    "personal_use": "true",
    "work_required": '"60%"',
    "tax_treatment": '"taxable"',
    "quoted_in_tc": "true",
    "today": '"2027-01-10"',
    "decision_deadline": '"2027-01-17"',
    "floor": '"250k"',
    "competing_offer_tc": '"300k"',
    "marginal_tax_rate": '"32%"',
    "utilization": '"70%"',
    "token_deflation": '"50%"',
    "gpu_deflation": '"30%"',
    "employer_cost_ratio": '"55%"',
    "tenure_months": "48",
    "usd_rate": '"0.92"',
    "state": '"CA"',
    "filing_status": '"married-joint"',
    "jurisdiction": '"US", "UK", "DE" or "other"',
    "equity": '[[equity]] kind = "rsu"',
    "compute": '[[compute]] amount = "50k"',
}
_BY_REASON: dict[Reason, str] = {
    Reason.NOT_AN_AMOUNT: '"180k"',
    Reason.NOT_A_SHARE: '"15%"',
    Reason.NOT_A_COUNT: '"100M"',
    Reason.BAD_DATE: '"2027-01-17"',
}
_PYDANTIC_REASONS: dict[str, Reason] = {
    "extra_forbidden": Reason.UNKNOWN_KEY,
    "missing": Reason.MISSING,
    "literal_error": Reason.NOT_ONE_OF,
    "union_tag_invalid": Reason.NOT_ONE_OF,
    "union_tag_not_found": Reason.MISSING,
    "model_type": Reason.NOT_A_TABLE,
    "model_attributes_type": Reason.NOT_A_TABLE,
    "dict_type": Reason.NOT_A_TABLE,
    "greater_than_equal": Reason.OUT_OF_RANGE,
    "less_than_equal": Reason.OUT_OF_RANGE,
    "greater_than": Reason.OUT_OF_RANGE,
    "less_than": Reason.OUT_OF_RANGE,
    "string_too_long": Reason.TOO_LONG,
    "too_long": Reason.TOO_MANY,
    "date_parsing": Reason.BAD_DATE,
    "date_from_datetime_parsing": Reason.BAD_DATE,
    "date_from_datetime_inexact": Reason.BAD_DATE,
    "date_type": Reason.BAD_DATE,
}
_TAGS = frozenset({"rsu", "option"})


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _TAGS:  # the discriminated-union tag pydantic adds to the location
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys a table at ``loc`` accepts, to show beside an unknown one."""
    model: Any = Offer
    for part in loc:
        if isinstance(part, int):
            continue
        if part in _TAGS:
            model = RsuGrant if part == "rsu" else OptionGrant
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if hasattr(candidate, "model_fields"):
                model = candidate
                break
            for inner in getattr(candidate, "__args__", ()):
                if hasattr(inner, "model_fields"):
                    model = inner
                    break
    return list(getattr(model, "model_fields", {}))


def problems_from(exc: ValidationError, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        ctx = error.get("ctx") or {}
        reason = Reason(kind) if kind in Reason.__members__.values() else _PYDANTIC_REASONS.get(kind, Reason.WRONG_TYPE)
        path = _path(tuple(error["loc"]))
        if ctx.get("field"):
            extra = str(ctx["field"])
            path = extra if "." in extra else (f"{path}.{extra}" if path else extra)
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        raw_input = error.get("input", "")
        value = "" if reason is Reason.MISSING else show_value(raw_input)
        if isinstance(raw_input, dict):
            value = show_value(raw_input.get(name, "")) if name in raw_input else ""
        limit = str(ctx.get("limit", ""))
        if reason is Reason.NOT_ONE_OF and "expected" in ctx:
            limit = str(ctx["expected"])
        if reason is Reason.NOT_ONE_OF and "expected_tags" in ctx:
            limit = str(ctx["expected_tags"])
            path, name = f"{path}.kind", "kind"
            value = show_value(raw_input.get("kind", "")) if isinstance(raw_input, dict) else value
        if reason is Reason.UNKNOWN_KEY:
            limit = ", ".join(_allowed_keys(tuple(error["loc"])[:-1]))
        if reason is Reason.OUT_OF_RANGE:
            limit = str(ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt", limit)))))
            bounds = [str(ctx[k]) for k in ("ge", "gt", "le", "lt") if k in ctx]
            limit = "–".join(bounds) if bounds else limit
        if reason in (Reason.TOO_LONG, Reason.TOO_MANY):
            limit = str(ctx.get("max_length", limit))
        if "value" in ctx:  # a check across fields names the value it refused
            value = show_value(ctx["value"])
        example = str(ctx["example"]) if "example" in ctx else _BY_REASON.get(reason) or EXAMPLES.get(name, '"180k"')
        if reason is Reason.UNKNOWN_KEY:
            example = limit
        problems.append(Problem(path, value, reason, example, limit, currency=str(ctx.get("currency", ""))))
    # One problem per field is enough to act on.
    seen: set[str] = set()
    unique: list[Problem] = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            unique.append(problem)
    return unique


def check_sizes(data: Mapping[str, Any]) -> None:
    """Refuse, before any validation work, an offer holding more grants or schedule entries than one can."""
    for kind in ("equity", "compute"):
        grants = data.get(kind)
        if isinstance(grants, list | tuple):
            if len(grants) > MAX_GRANTS:
                raise OfferError.single(kind, str(len(grants)), Reason.TOO_MANY, EXAMPLES[kind], str(MAX_GRANTS))
            for index, grant in enumerate(grants):
                schedule = grant.get("schedule") if isinstance(grant, Mapping) else None
                if isinstance(schedule, list | tuple) and len(schedule) > MAX_SCHEDULE_ENTRIES:
                    raise OfferError.single(
                        f"{kind}[{index}].schedule",
                        str(len(schedule)),
                        Reason.TOO_MANY,
                        "[10, 20, 30, 40]",
                        str(MAX_SCHEDULE_ENTRIES),
                    )


def build_offer(data: Mapping[str, Any], registry: Registry) -> Offer:
    """Validate plain data (parsed TOML/JSON, or options from a command) into an :class:`Offer`."""
    if not isinstance(data, Mapping):
        raise OfferError.single("offer", data, Reason.NOT_A_TABLE, 'employer = "Acme AI"')
    check_sizes(data)
    try:
        context = {"registry": registry, **currency_context(dict(data))}
        return Offer.model_validate(dict(data), context=context)
    except ValidationError as exc:
        raise OfferError([_with_nearest_ids(p, registry) for p in problems_from(exc)]) from None


def _with_nearest_ids(problem: Problem, registry: Registry) -> Problem:
    """An unknown model or GPU id shows the nearest ids of its kind as the example, not a fixed one."""
    if problem.reason is Reason.UNKNOWN_GPU:
        return replace(problem, example=suggestion(problem.value, registry.gpus, problem.example))
    if problem.reason is Reason.UNKNOWN_MODEL:  # a GPU id typed as a model is suggested too
        near_gpu = suggestion(problem.value, registry.gpus, problem.example)
        return replace(problem, example=suggestion(problem.value, registry.models, near_gpu))
    return problem


def build_assumptions(data: Mapping[str, Any], prefix: str = "assumptions") -> Assumptions:
    """Validate a set of assumption overrides (personal or server defaults) with the offer's own rules."""
    try:
        return Assumptions.model_validate(dict(data))
    except ValidationError as exc:
        raise OfferError(problems_from(exc, prefix)) from None


def parse_offer_data(text: str | bytes, fmt: Literal["toml", "json", "auto"] = "auto") -> dict[str, Any]:
    """Parse offer-file text (TOML, or JSON of the same shape) into plain data."""
    if isinstance(text, bytes):
        if len(text) > MAX_OFFER_BYTES:
            raise OfferError.single(
                "offer_file",
                f"{len(text)} bytes",
                Reason.FILE_TOO_LARGE,
                "a file under 64 KB",
                str(MAX_OFFER_BYTES),
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OfferError.single(
                "offer_file", "binary data", Reason.NOT_TEXT, "a UTF-8 .toml or .json file"
            ) from None
    if len(text.encode("utf-8")) > MAX_OFFER_BYTES:
        raise OfferError.single(
            "offer_file",
            f"{len(text)} characters",
            Reason.FILE_TOO_LARGE,
            "a file under 64 KB",
            str(MAX_OFFER_BYTES),
        )
    if fmt == "auto":
        fmt = "json" if text.lstrip().startswith("{") else "toml"
    example = '{"salary": {"base": "180k"}}' if fmt == "json" else '[salary]\nbase = "180k"'
    _check_depth(text, example)
    if fmt == "json":
        try:
            data = json.loads(text, parse_float=str, parse_int=_whole_number)
        except json.JSONDecodeError as exc:
            raise OfferError.single("offer_file", f"line {exc.lineno}", Reason.INVALID_JSON, example) from None
        except RecursionError:
            raise _too_deep(example) from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise OfferError.single("offer_file", show_value(str(exc)), Reason.INVALID_TOML, example) from None
        except ValueError:  # an integer too long for Python to convert at all
            raise _number_too_long(example) from None
        except RecursionError:
            raise _too_deep(example) from None
    _check_parsed(data, example)
    if not isinstance(data, dict):
        raise OfferError.single("offer_file", data, Reason.NOT_A_TABLE, example)
    return data


def _number_too_long(example: str) -> OfferError:
    return OfferError.single("offer_file", "", Reason.NUMBER_TOO_LONG, example, str(MAX_DIGITS))


_TOO_LONG = 10**MAX_DIGITS


def _too_deep(example: str) -> OfferError:
    return OfferError.single("offer_file", "", Reason.NESTED_TOO_DEEP, example, str(MAX_NESTING))


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _number_too_long('{"salary": {"base": "180k"}}')
    return int(digits)


def _check_parsed(data: Any, example: str) -> None:
    """Depth and integer length of parsed data, walked without recursion: TOML's dotted keys (``a.b.c = 1``) nest
    without brackets, and TOML integers are converted by the parser, so both are checked again here."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_NESTING:
                raise _too_deep(example)
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _TOO_LONG:
            raise _number_too_long(example)


def _check_depth(text: str, example: str) -> None:
    """Refuse tables and lists nested deeper than :data:`MAX_NESTING`, by counting brackets outside strings, before
    parsing: the parsers recurse once per level and would fail on a deep file with no useful message.

    Approximate in TOML's rarer string forms; a deep file it misses still fails in the parser, with the same
    answer.
    """
    depth = deepest = 0
    quote = ""
    escaped = comment = False
    for char in text:
        if comment:
            comment = char != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
        elif char == "\n" and depth <= 0:
            depth = 0  # a TOML table header line closes its own brackets
    if deepest > MAX_NESTING:
        raise _too_deep(example)


def load_offer(text: str | bytes, registry: Registry, fmt: Literal["toml", "json", "auto"] = "auto") -> Offer:
    """Offer-file text to a validated offer."""
    return build_offer(parse_offer_data(text, fmt), registry)
