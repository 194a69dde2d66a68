"""The reading itself: clause by clause, figures are found, each is given to the nearest keyword that takes its
kind of figure (or to the topic of the clause before, in the same sentence), and phrases set terms without figures.

Everything assigned keeps the passage it came from; a field given two different values is reported as conflicting
and left out; grants are numbered only at the end, after unclear ones are set aside.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from valuation.reader import amounts, durations, vesting
from valuation.reader.names import Match, Names
from valuation.reader.normalize import KEYWORDS as SPELLED_KEYWORDS
from valuation.reader.normalize import Normalized, Speller, normalize
from valuation.reader.phrases import (
    ACCEPTS,
    AI_CONTEXT,
    FLAG_GROUPS,
    FLAGS,
    GROUPS,
    KEYWORDS,
    LEAVING,
    NOT_FIGURES,
    OTHER_PERKS,
    PAY_BEFORE,
)
from valuation.reader.result import Ambiguity, Passage, Reading, Unclear, Understood
from valuation.reader.segment import Clause, clauses
from valuation.registry import Registry
from valuation.suggest import nearest_ids

_CORE = amounts.COUNT + r"(?P<mid>(?: [a-z0-9.\-]+){0,4}?) "
# "GPT-5 tokens: 100M a month": the count after the word, with a size suffix (a bare "tokens: 3" is no count).
TOKENS_LABEL = re.compile(
    r"(?<![a-z])tokens?(?: per month| a month| monthly| per year| a year)? ?[:=]? ?(?:of )?"
    + rf"(?<![\w.,])(?P<num>{amounts.NUMBER})(?P<suf>{amounts.SUFFIX})"
)
TOKEN_COUNT = re.compile(
    _CORE.replace("(?<![\\w.,])", "(?<![\\w.,$€£¥₹])") + r"(?:(?:api|llm|model|input|output|ai) )?tokens?(?![a-z])"
)
# "2,000 H100 hours", "2,000 GPU-hours on H100s", "2,500 H100-hours".
GPU_HOURS = re.compile(
    _CORE[:-1].replace("(?<![\\w.,])", "(?<![\\w.,$€£¥₹])") + r"[ -](?:gpu[- ]?)?(?:hours?|hrs?)(?![a-z])"
)
# Words before a figure that make it a ceiling ("up to 10%"), not the figure offered.
_CEILING = ("up to ", "upto ", "max ", "maximum of ", "as much as ")
_FIELD_OF = {
    "salary": ("salary.base",),
    "bonus": ("bonus.target",),
    "sign_on": ("sign_on.amount",),
    "credits": ("compute.amount",),
    "rsu": ("equity.grant_value",),
    "equity": ("equity.grant_value",),
    "quoted_tc": ("quoted_tc",),
}
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
# A yearly base below this is a month's pay or a typo, not a year's (in currencies whose unit is near a dollar's).
SMALLEST_YEARLY_BASE = Decimal(12000)
_SMALL_UNIT_CURRENCIES = frozenset({"JPY", "INR", "SEK", "NOK", "DKK", "PLN", "CZK"})
_MARKS = {"$": "$", "USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD"})

Span = tuple[int, int]


@dataclass
class _Item:
    kind: str  # a keyword name, or a figure kind: money, small, percent, duration, schedule, tokens, gpu
    start: int
    end: int
    payload: Any = None

    def distance(self, other: _Item) -> int:
        return max(other.start - self.end, self.start - other.end, 0)


def _scan(pattern: re.Pattern[str], text: str, usable: Any) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that ``usable`` accepts; after a refused one the search goes on from the next
    character, so a count is not hidden inside a refused match ("Opus 4.5 with a 50M token quota")."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if usable(match):
            yield match
            position = max(match.end(), match.start() + 1)
        else:
            position = match.start() + 1


class _Nearest:
    """Items filed by a label (a kind of figure a keyword takes, or a part of the offer), each label's items in
    order, so the nearest one to a place is found by bisection rather than by a scan (a clause of 6,000 characters
    could hold hundreds of each, and a scan per figure would be quadratic)."""

    def __init__(self, labelled: list[tuple[_Item, str]]) -> None:
        self._items: dict[str, list[_Item]] = {}
        for item, label in sorted(labelled, key=lambda pair: pair[0].start):
            self._items.setdefault(label, []).append(item)
        small = [i for i in self._items.get("money", []) if i.kind in ("strike", "preferred", "option")]
        self._items["small"] = small  # a bare number under 1,000 is only a price or a count of options
        self._starts = {label: [i.start for i in items] for label, items in self._items.items()}

    def first(self, label: str) -> _Item | None:
        items = self._items.get(label, [])
        return items[0] if items else None

    def nearest(self, place: _Item, label: str) -> _Item | None:
        """The item under ``label`` nearest to ``place``; at equal distance the one after it ("180k base")."""
        items = self._items.get(label, [])
        at = bisect.bisect_left(self._starts.get(label, []), place.end)
        # Items do not overlap the place, so the nearest is the last one before it or the first one after it.
        around = [items[i] for i in (at - 1, at) if 0 <= i < len(items)]
        if not around:
            return None
        return min(around, key=lambda k: (place.distance(k), k.start < place.start))


@dataclass
class _Target:
    """Fields of one part of the offer (the top level, or one grant) with the passages each came from."""

    group: str
    values: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)

    def put(self, name: str, value: Any, span: Span) -> None:
        if name in self.values and self.values[name] != value:
            self.conflicts.add(name)
        self.values.setdefault(name, value)
        self.spans.setdefault(name, []).append(span)


@dataclass
class _Clause:
    clause: Clause
    norm: Normalized
    used: bool = False


class _Reader:
    def __init__(self, text: str, registry: Registry, names: Names, speller: Speller) -> None:
        self.text = text
        self.registry = registry
        self.names = names
        self.speller = speller
        self.top = _Target("top")
        self.equity: list[_Target] = []
        self.compute: list[_Target] = []
        self.pending: dict[str, _Target] = {}
        self.defined: dict[tuple[str, tuple[tuple[str, Any], ...]], _Target] = {}
        self.unclear: list[Unclear] = []
        self.options_in_sentence = False
        self.unclear_at_sentence = 0

    # -- passages ------------------------------------------------------------------------------------------------
    def _span(self, norm: Normalized, *items: _Item) -> Span:
        start = min(i.start for i in items)
        end = max(i.end for i in items)
        return norm.origin(start, end)

    def _report(
        self, kind: Ambiguity, span: Span, fields: tuple[str, ...] = (), candidates: tuple[str, ...] = ()
    ) -> None:
        self.unclear.append(Unclear(self.text[span[0] : span[1]], kind, fields, candidates, span[0], span[1]))

    # -- grants ----------------------------------------------------------------------------------------------------
    def _new_grant(self, group: str, defining: dict[str, Any]) -> _Target:
        grants = self.equity if group == "equity" else self.compute
        key = (group, tuple(sorted(defining.items())))
        if key in self.defined:  # the same grant restated ("your $50k API credits ...") is the same grant
            return self.defined[key]
        grant = self.pending.pop(group) if group in self.pending else _Target(group)
        grants.append(grant)
        self.defined[key] = grant
        return grant

    def _current(self, group: str, local: _Target | None) -> _Target:
        if local is not None:
            return local
        grants = self.equity if group == "equity" else self.compute
        if grants:
            return grants[-1]
        return self.pending.setdefault(group, _Target(group))

    # -- one clause ----------------------------------------------------------------------------------------------
    def read_clause(
        self, entry: _Clause, carry: str | None, waiting: list[tuple[_Clause, _Item]]
    ) -> tuple[str | None, list[tuple[_Clause, _Item]]]:
        """Read one clause; returns the topic it leaves for the next clause and its figures that went nowhere
        (the next clause in the sentence may name what they are: "If you resign within 12 months, it is repaid")."""
        norm = entry.norm
        t = norm.text
        taken = bytearray(len(t))

        def free(start: int, end: int) -> bool:
            return not any(taken[start:end])

        def take(start: int, end: int) -> None:
            taken[start:end] = b"\x01" * (end - start)

        for match in NOT_FIGURES.finditer(t):
            if not PAY_BEFORE.search(t, max(0, match.start() - 16), match.start()):
                take(match.start(), match.end())
        figures: list[_Item] = []
        self._counts(entry, figures, free, take)
        for match in amounts.RANGE.finditer(t):
            marked = match["pre"] or match["pre2"] or match["lsuf"] or match["hsuf"] or match["pct"]
            if marked and free(match.start(), match.end()):
                take(match.start(), match.end())
                entry.used = True
                self._report(Ambiguity.RANGE, norm.origin(match.start(), match.end()))
        for match in vesting.YEARS_AND_CLIFF.finditer(t):
            if free(match.start(), match.end()):
                take(match.start(), match.end())
                years, cliff = int(match["years"]), int(match["cliff"]) * 12
                figures.append(_Item("years_cliff", match.start(), match.end(), (years, cliff)))
        for match in vesting.SCHEDULE.finditer(t):
            parsed = vesting.schedule(match)
            if parsed is not None and free(match.start(), match.end()):
                take(match.start(), match.end())
                figures.append(_Item("schedule", match.start(), match.end(), parsed))
        for match in amounts.PERCENT.finditer(t):
            if free(match.start(), match.end()):
                take(match.start(), match.end())
                figures.append(_Item("percent", match.start(), match.end(), Decimal(match["num"])))
        for match in durations.DURATION.finditer(t):
            months = durations.months(match)
            if months is not None and free(match.start(), match.end()):
                take(match.start(), match.end())
                # Days are only ever an expiry ("valid for 90 days"); "paid within 30 days" is no term of the offer.
                kind = "days" if match["unit"] and match["unit"].startswith("d") else "duration"
                figures.append(_Item(kind, match.start(), match.end(), (months, durations.after_word(match, t))))
        flags = [
            _Item(str(m.lastgroup), m.start(), m.end())
            for m in FLAGS.finditer(t)
            if m.lastgroup and free(m.start(), m.end())
        ]
        for flag in flags:
            take(flag.start, flag.end)
        for match in amounts.MONEY.finditer(t):
            if not free(match.start(), match.end()):
                continue
            money = amounts.money(match)
            if money is None or (money.bare and _YEAR_LIKE.fullmatch(match["num"])):
                continue
            take(match.start(), match.end())
            kind = "small" if money.bare and money.value < amounts.BARE_MONEY_MIN else "money"
            figures.append(_Item(kind, match.start(), match.end(), money))
        for match in OTHER_PERKS.finditer(t):
            take(match.start(), match.end())  # "relocation allowance": a perk, but not compute
        keys = [
            _Item(str(m.lastgroup), m.start(), m.end())
            for m in KEYWORDS.finditer(t)
            if m.lastgroup and free(m.start(), m.end())
        ]
        if not AI_CONTEXT.search(t):
            keys = [k for k in keys if k.kind != "stipend"]
        if any(k.kind in ("rsu", "option") for k in keys):  # "Equity: $600k in RSUs": the kind is named
            keys = [k for k in keys if k.kind != "equity"]
        figures.sort(key=lambda i: i.start)
        local: dict[str, _Target] = {}
        anchors: list[tuple[_Item, str]] = [(k, GROUPS[k.kind]) for k in keys]
        nearest_key = _Nearest([(k, kind) for k in keys for kind in ACCEPTS[k.kind]])
        unplaced: list[tuple[_Clause, _Item]] = []
        for figure in figures:
            group = self._place(entry, figure, nearest_key, flags, carry, local)
            if group is not None:
                anchors.append((figure, group))
                entry.used = True
            elif figure.kind in ("money", "percent", "duration", "days", "schedule"):
                unplaced.append((entry, figure))
        placed_kinds = {figure.kind for figure, _ in anchors}
        for before, figure in waiting:
            # The first keyword here that takes it, if this clause has no figure of that kind of its own.
            key = None if figure.kind in placed_kinds else nearest_key.first(figure.kind)
            if key is None:
                continue
            start = before.norm.origin(figure.start, figure.end)[0]
            span = (start, norm.origin(key.start, key.end)[1])
            if self._assign(entry, figure, key, flags, local, span) is not None:
                before.used = True
                entry.used = True
        nearest_anchor = _Nearest(anchors)
        for flag in flags:
            if self._flag(entry, flag, nearest_anchor, carry, local):
                entry.used = True
        if not anchors:
            return carry, unplaced
        return max(anchors, key=lambda a: a[0].start)[1], unplaced

    def _counts(self, entry: _Clause, figures: list[_Item], free: Any, take: Any) -> None:
        """Token counts and GPU-hours, each with the model or GPU named beside it."""
        t = entry.norm.text
        # The clause's first model and GPU name, found once (a search per count would be quadratic).
        clause_model = self.names.find_model(t)
        clause_gpu = self.names.find_gpu(t)
        names = [*self.names.model_spans(t), *self.names.gpu_spans(t)]
        numbered = bytearray(len(t))  # a model's or GPU's version ("Opus 4.5", "GPT-5") is not a count
        for start, end in names:
            numbered[start:end] = b"\x01" * (end - start)

        def countable(match: re.Match[str]) -> bool:
            return free(match.start("num"), match.end("num")) and not any(
                numbered[match.start("num") : match.end("num")]
            )

        for match in _scan(TOKEN_COUNT, t, countable):
            number = amounts.count(match["num"], match["suf"])
            if number is None:
                continue
            take(match.start(), match.end())
            span = entry.norm.origin(match.start(), match.end())
            name = self.names.find_model(match["mid"] or "") or clause_model
            entry.used = True
            # Unread, the count still holds the clause's compute terms ("a month"), so they go to no other grant.
            figures.append(_Item("unread", match.start(), match.end()))
            if name is None:
                self._report(Ambiguity.TOKENS_WITHOUT_MODEL, span, ("compute.model",), ())
                continue
            if name.string is t:
                span = entry.norm.origin(min(match.start(), name.start()), max(match.end(), name.end()))
            resolved = self.names.model(name.group())
            if not self._resolved(resolved, name.group().strip(), span, "model", self.registry.models):
                continue
            figures[-1] = _Item("tokens", match.start(), match.end(), (number, resolved.ids[0]))
        for match in _scan(TOKENS_LABEL, t, countable):
            number = amounts.count(match["num"], match["suf"])
            if number is None:
                continue
            take(match.start(), match.end())
            span = entry.norm.origin(match.start(), match.end())
            entry.used = True
            figures.append(_Item("unread", match.start(), match.end()))
            name = clause_model
            if name is None:
                self._report(Ambiguity.TOKENS_WITHOUT_MODEL, span, ("compute.model",), ())
                continue
            span = entry.norm.origin(min(match.start(), name.start()), max(match.end(), name.end()))
            resolved = self.names.model(name.group())
            if not self._resolved(resolved, name.group().strip(), span, "model", self.registry.models):
                continue
            said = match.group()
            cadence = "monthly" if "month" in said else "yearly" if "year" in said else None
            figures[-1] = _Item("tokens", match.start(), match.end(), (number, resolved.ids[0], cadence))
        for match in _scan(GPU_HOURS, t, countable):
            number = amounts.count(match["num"], match["suf"])
            if number is None:
                continue
            name = self.names.find_gpu(match["mid"] or "") or clause_gpu
            if name is None and "gpu" not in t:
                continue  # "40 hours a week": hours of work, not of a GPU
            take(match.start(), match.end())
            span = entry.norm.origin(match.start(), match.end())
            entry.used = True
            figures.append(_Item("unread", match.start(), match.end()))
            if name is None:
                self._report(Ambiguity.GPU_HOURS_WITHOUT_GPU, span, ("compute.gpu",), ())
                continue
            if name.string is t:
                span = entry.norm.origin(min(match.start(), name.start()), max(match.end(), name.end()))
            resolved = self.names.gpu(name.group())
            if not self._resolved(resolved, name.group(), span, "gpu", self.registry.gpus):
                continue
            figures[-1] = _Item("gpu", match.start(), match.end(), (number, resolved.ids[0]))

    def _resolved(self, resolved: Match, written: str, span: Span, field_name: str, ids: Any) -> bool:
        if resolved.outcome == "id":
            return True
        if resolved.outcome == "choice":
            self._report(Ambiguity.MODEL_CHOICE, span, (f"compute.{field_name}",), resolved.ids)
        else:
            kind = Ambiguity.UNKNOWN_MODEL if field_name == "model" else Ambiguity.UNKNOWN_GPU
            self._report(kind, span, (f"compute.{field_name}",), tuple(nearest_ids(written, ids)))
        return False

    def _place(
        self,
        entry: _Clause,
        figure: _Item,
        keys: _Nearest,
        flags: list[_Item],
        carry: str | None,
        local: dict[str, _Target],
    ) -> str | None:
        """Give a figure to the field it belongs to; the group it went to, or None when it went nowhere."""
        norm = entry.norm
        if figure.kind == "unread":
            local["compute"] = _Target("compute")  # terms beside an unread grant belong to it, and go nowhere
            return "compute"
        if figure.kind == "years_cliff":
            grant = self._current("equity", local.get("equity"))
            span = self._span(norm, figure)
            grant.put("years", figure.payload[0], span)
            grant.put("cliff_months", figure.payload[1], span)
            return "equity"
        if figure.kind in ("tokens", "gpu"):
            number, ident, *said = figure.payload
            defining = (
                {"tokens": number, "model": ident} if figure.kind == "tokens" else {"gpu_hours": number, "gpu": ident}
            )
            grant = self._new_grant("compute", defining)
            span = self._span(norm, figure)
            for name, value in defining.items():
                grant.put(name, value, span)
            if said and said[0]:  # "tokens per month: 20M"
                grant.put("cadence", said[0], span)
            local["compute"] = grant
            return "compute"
        key = keys.nearest(figure, figure.kind)
        if key is not None and figure.kind in ("money", "percent") and norm.text[: figure.start].endswith(_CEILING):
            self._report(Ambiguity.UP_TO, self._span(norm, figure, key), _FIELD_OF.get(key.kind, ()))
            return GROUPS[key.kind]  # a ceiling: reported, not read
        if key is not None:
            return self._assign(entry, figure, key, flags, local)
        carried = _CARRIED.get((carry or "", figure.kind))
        if carried is None or (figure.kind == "money" and _TOP_FIELD.get(carried, "") in self.top.values):
            return None  # a second amount after a figure already read is not carried to it
        return self._assign(entry, figure, _Item(carried, figure.start, figure.end), flags, local)

    def _assign(
        self,
        entry: _Clause,
        figure: _Item,
        key: _Item,
        flags: list[_Item],
        local: dict[str, _Target],
        span: Span | None = None,
    ) -> str | None:
        norm = entry.norm
        span = span or self._span(norm, figure, key)
        kind, k = figure.kind, key.kind
        group = GROUPS[k]
        if kind in ("money", "small"):
            money: amounts.Money = figure.payload
            value = ("money", money.value, money.currency)
            if k == "salary":
                if any(f.kind == "monthly" and f.distance(figure) <= 12 for f in flags):
                    self._report(Ambiguity.SALARY_PER_MONTH, span, ("salary.base",))
                    return group
                if money.value < SMALLEST_YEARLY_BASE and money.currency not in _SMALL_UNIT_CURRENCIES:
                    self._report(Ambiguity.SALARY_PERIOD, span, ("salary.base",))
                    return group
                self.top.put("salary.base", value, span)
            elif k == "bonus":
                self.top.put("bonus.target", value, span)
            elif k == "sign_on":
                self.top.put("sign_on.amount", value, span)
            elif k == "quoted_tc":
                self.top.put("quoted_tc", value, span)
            elif k in ("rsu", "equity"):
                # "12,000 RSUs": a plain number is a count of units, not dollars; their value must come from
                # elsewhere ("valued at $960,000") or it is asked for.
                field_name = "units" if money.bare else "grant_value"
                other = "grant_value" if field_name == "units" else "units"
                same = local.get("equity")
                if (
                    same is not None
                    and same.values.get("kind") == k
                    and other in same.values
                    and field_name not in same.values
                ):
                    # "1,600 RSUs valued at $480,000": the count and the value in one clause are one grant.
                    grant = same
                else:
                    grant = self._new_grant("equity", {"kind": k, field_name: value})
                    grant.put("kind", k, span)
                grant.put(field_name, value, span)
                local["equity"] = grant
            elif k == "equity_value":
                grant = self._current("equity", local.get("equity"))
                if money.bare or "grant_value" in grant.values or grant.values.get("kind") not in ("rsu", "equity"):
                    return None
                grant.put("grant_value", value, span)
            elif k == "option":
                if not money.bare:
                    self._report(Ambiguity.OPTION_VALUE, span, ("equity.shares",))
                    return group
                self.options_in_sentence = True
                grant = self._new_grant("equity", {"kind": "option", "shares": money.value})
                grant.put("kind", "option", span)
                grant.put("shares", money.value, span)
                local["equity"] = grant
            elif k in ("strike", "preferred"):
                grant = self._current("equity", local.get("equity"))
                grant.put("strike" if k == "strike" else "preferred_price", value, span)
            elif k in ("credits", "stipend"):
                grant = self._new_grant("compute", {"amount": value})
                grant.put("amount", value, span)
                local["compute"] = grant
            return group
        if kind == "percent":
            share = f"{amounts.number_text(figure.payload)}%"
            if k == "bonus":
                self.top.put("bonus.target", ("share", share), span)
            elif k == "work":
                self._current("compute", local.get("compute")).put("work_required", share, span)
            elif k == "tax_rate":
                self.top.put("assumptions.marginal_tax_rate", share, span)
            elif k == "utilization":
                self.top.put("assumptions.utilization", share, span)
            elif k in ("equity", "option") and not any(f.kind == "yearly" for f in flags):
                self._report(Ambiguity.EQUITY_SHARE, span, ("equity.shares",))  # "0.1% equity": of what, at what?
            elif k in ("rsu", "equity", "vest"):
                if any(f.kind == "yearly" for f in flags) and figure.payload and 100 % figure.payload == 0:
                    years = int(100 // figure.payload)
                    grant = self._current("equity", local.get("equity"))
                    grant.put("schedule", vesting.equal_yearly(years), span)
                    grant.put("years", years, span)
                else:
                    return None
            else:
                return group  # a share said of the cliff ("25% at the cliff") is part of it
            return group
        if kind == "days" and k in ("expiry", "tail"):
            kind = "duration"
        if kind == "duration":
            months, after = figure.payload
            if k in ("cliff",) or (k in ("rsu", "option", "equity", "vest") and after):
                self._current("equity", local.get("equity")).put("cliff_months", months, span)
            elif k in ("rsu", "option", "equity", "vest"):
                if months % 12:
                    return None
                self._current("equity", local.get("equity")).put("years", months // 12, span)
            elif k == "clawback":
                self.top.put("sign_on.clawback_months", months, span)
            elif k == "expiry":
                self._current("compute", local.get("compute")).put("expiry_months", months, span)
            elif k == "tail":
                grant = self._current("compute", local.get("compute"))
                grant.put("tail_months", months, span)
                grant.put("on_departure", "tail", span)
            return group
        if kind == "schedule":
            self._current("equity", local.get("equity")).put("schedule", figure.payload, span)
            return group
        return None

    def _flag(
        self,
        entry: _Clause,
        flag: _Item,
        anchors: _Nearest,
        carry: str | None,
        local: dict[str, _Target],
    ) -> bool:
        allowed = FLAG_GROUPS[flag.kind]
        near = [(flag.distance(item), group) for group in allowed if (item := anchors.nearest(flag, group)) is not None]
        group = min(near)[1] if near else (carry if carry in allowed else None)
        if group is None and flag.kind.startswith("stage_") and self.equity:
            group = "equity"  # "The company is Series B.": the stage of the grant already read
        if group is None:
            return False
        span = entry.norm.origin(flag.start, flag.end)
        name = flag.kind
        if group == "equity":
            grant = self._current("equity", local.get("equity"))
            settings: dict[str, tuple[str, Any]] = {
                "no_cliff": ("cliff_months", 0),
                "monthly": ("schedule", "monthly"),
                "quarterly": ("schedule", "quarterly"),
                "yearly": ("schedule", "annual"),
                "stage_seed_a": ("stage", "seed-a"),
                "stage_b_c": ("stage", "series-b-c"),
                "stage_late": ("stage", "late-stage"),
                "stage_pre_ipo": ("stage", "pre-ipo"),
                "stage_public": ("stage", "public"),
            }
            if name not in settings:
                return False
            if name == "yearly" and isinstance(grant.values.get("schedule"), tuple):
                return True  # "25% vesting each year" already gave the yearly percentages
            before = anchors.nearest(flag, "equity")
            if name == "yearly" and before is not None and before.kind == "money" and 0 <= flag.start - before.end <= 2:
                grant.put("per_year", True, span)  # "$100k/yr in RSUs": a year's worth, not the whole grant
                return True
            grant.put(*settings[name], span)
            return True
        if group == "sign_on":
            clawback = {"claw_none": "none", "claw_full": "full", "claw_prorated": "prorated"}[name]
            self.top.put("sign_on.clawback", clawback, span)
            return True
        if group == "compute":
            leaving = LEAVING.search(entry.norm.text) is not None
            compute: dict[str, tuple[str, Any]] = {
                "never_expire": ("expiry_months", 0),
                "rollover_no": ("rollover", False),
                "rollover_yes": ("rollover", True),
                "personal_no": ("personal_use", False),
                "personal_yes": ("personal_use", True),
                "tax_excluded": ("tax_treatment", "excluded"),
                "tax_working": ("tax_treatment", "working-condition"),
                "tax_taxable": ("tax_treatment", "taxable"),
                "tc_in": ("quoted_in_tc", True),
                "tc_out": ("quoted_in_tc", False),
                "monthly": ("cadence", "monthly"),
                "yearly": ("cadence", "yearly"),
                "one_time": ("cadence", "one-time"),
            }
            if leaving:
                compute.update({"cash_out": ("on_departure", "cash"), "forfeit": ("on_departure", "forfeit")})
            if name not in compute:
                return False
            self._current("compute", local.get("compute")).put(*compute[name], span)
            return True
        return False

    # -- the whole text --------------------------------------------------------------------------------------------
    def read(self) -> Reading:
        entries = [_Clause(c, normalize(self.text[c.start : c.end], c.start, self.speller)) for c in clauses(self.text)]
        carry: str | None = None
        waiting: list[tuple[_Clause, _Item]] = []
        sentence = -1
        for entry in entries:
            if entry.clause.sentence != sentence:
                self._end_sentence()
                sentence, carry, waiting = entry.clause.sentence, None, []
            carry, waiting = self.read_clause(entry, carry, waiting)
        self._end_sentence()
        offer, understood = self._finish()
        return Reading(
            offer=offer,
            understood=tuple(sorted(understood, key=lambda u: (u.start, u.end, u.field))),
            ignored=tuple(self._ignored(entries)),
            ambiguous=tuple(sorted(self.unclear, key=lambda a: (a.start, a.end, a.kind.value))),
        )

    def _end_sentence(self) -> None:
        """ "0.25% (about 50,000 options)": a share of the company said beside the count of options is a restatement,
        not an unclear figure."""
        if self.options_in_sentence:
            earlier, latest = self.unclear[: self.unclear_at_sentence], self.unclear[self.unclear_at_sentence :]
            self.unclear = earlier + [u for u in latest if u.kind is not Ambiguity.EQUITY_SHARE]
        self.options_in_sentence = False
        self.unclear_at_sentence = len(self.unclear)

    def _ignored(self, entries: list[_Clause]) -> list[Passage]:
        """Runs of clauses nothing was read from, merged within their sentence."""
        passages: list[Passage] = []
        run: list[_Clause] = []

        def close() -> None:
            if run:
                start, end = run[0].clause.start, run[-1].clause.end
                raw = self.text[start:end]
                stripped = raw.strip(" \t\r\n,.;:!?-–—()[]|•·*\"'").lstrip("> ")  # "> " quotes a reply
                if any(ch.isalnum() for ch in stripped):
                    offset = start + raw.index(stripped)
                    if stripped.count("(") > stripped.count(")") and self.text[end : end + 1] == ")":
                        stripped += ")"  # "Morgan (CEO)": the bracket closes the passage
                    if stripped.count(")") > stripped.count("(") and self.text[offset - 1 : offset] == "(":
                        stripped, offset = "(" + stripped, offset - 1  # "(415) 555-0142"
                    passages.append(Passage(stripped, offset, offset + len(stripped)))
                run.clear()

        for entry in entries:
            if entry.used or (run and run[-1].clause.sentence != entry.clause.sentence):
                close()
            if not entry.used:
                run.append(entry)
        close()
        return passages

    def _finish(self) -> tuple[dict[str, Any], list[Understood]]:
        understood: list[Understood] = []
        currency = self._currency()
        foreign: list[Span] = []

        def out(value: Any, spans: list[Span]) -> Any:
            if isinstance(value, tuple) and value and value[0] == "money":
                _, number, mark = value
                text = amounts.number_text(number)
                own = currency if currency != "USD" else "USD"
                if mark is None or mark == own or (mark == "$" and own in _DOLLAR_CURRENCIES):
                    return text
                if mark in _MARKS:
                    return _MARKS[mark] + text
                foreign.extend(spans)
                return text
            if isinstance(value, tuple) and value and value[0] == "share":
                return value[1]
            if isinstance(value, Decimal):
                return amounts.number_text(value)
            if isinstance(value, tuple):
                # Yearly percentages: whole ones as numbers, others as "33.33%" (a bare "33.33" is refused as unclear).
                return [int(p) if p == p.to_integral_value() else f"{amounts.number_text(p)}%" for p in value]
            return value

        def emit(target: _Target, path: str, name: str, into: dict[str, Any], key: str) -> None:
            if name not in target.values:
                return
            spans = target.spans[name]
            if name in target.conflicts:
                first = min(s[0] for s in spans)
                last = max(s[1] for s in spans)
                self._report(Ambiguity.CONFLICTING_VALUES, (first, last), (path,))
                return
            into[key] = out(target.values[name], spans)
            for start, end in spans:
                understood.append(Understood(self.text[start:end], path, start, end))

        offer: dict[str, Any] = {}
        if currency != "USD":
            offer["currency"] = currency
        top_layout = (
            ("quoted_tc", None, "quoted_tc"),
            ("salary.base", "salary", "base"),
            ("bonus.target", "bonus", "target"),
            ("sign_on.amount", "sign_on", "amount"),
            ("sign_on.clawback_months", "sign_on", "clawback_months"),
            ("sign_on.clawback", "sign_on", "clawback"),
        )
        for path, table, key in top_layout:
            into = offer if table is None else offer.setdefault(table, {})
            emit(self.top, path, path, into, key)
            if table is not None and not offer[table]:
                del offer[table]
        equity = self._grants(self.equity, "equity", _EQUITY_LAYOUT, emit)
        if equity:
            offer["equity"] = equity
        compute = self._grants(self.compute, "compute", _COMPUTE_LAYOUT, emit)
        if compute:
            offer["compute"] = compute
        assumptions: dict[str, Any] = {}
        for name in ("marginal_tax_rate", "utilization"):
            emit(self.top, f"assumptions.{name}", f"assumptions.{name}", assumptions, name)
        if assumptions:
            offer["assumptions"] = assumptions
        for group, pending in self.pending.items():
            spans = [s for ss in pending.spans.values() for s in ss]
            if spans and group == "equity":
                self._report(
                    Ambiguity.VESTING_WITHOUT_GRANT, (min(s[0] for s in spans), max(s[1] for s in spans)), ("equity",)
                )
        if foreign:
            self._report(
                Ambiguity.MIXED_CURRENCIES, (min(s[0] for s in foreign), max(s[1] for s in foreign)), ("currency",)
            )
        return offer, understood

    def _grants(self, grants: list[_Target], table: str, layout: tuple[str, ...], emit: Any) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = []
        for grant in grants:
            values = grant.values
            if table == "equity" and "units" in values and "grant_value" not in values:
                spans = [s for ss in grant.spans.values() for s in ss]
                self._report(Ambiguity.RSU_UNITS, (min(s[0] for s in spans), max(s[1] for s in spans)), ("equity",))
                continue
            if table == "equity" and values.get("kind") == "equity":
                spans = [s for ss in grant.spans.values() for s in ss]
                self._report(
                    Ambiguity.EQUITY_WITHOUT_KIND,
                    (min(s[0] for s in spans), max(s[1] for s in spans)),
                    ("equity",),
                    ("rsu", "option"),
                )
                continue
            if table == "equity":
                self._settle_schedule(grant)
                if not self._whole_grant(grant):
                    continue
            index = len(kept)
            data: dict[str, Any] = {}
            for name in layout:
                if name == "stage" and values.get("kind") != "option":
                    continue
                emit(grant, f"{table}.{index}.{name}", name, data, name)
            kept.append(data)
        return kept

    def _whole_grant(self, grant: _Target) -> bool:
        """A grant given as a year's worth ("$100k/yr over 4 years") is that times its stated years; with no years
        stated it is reported (four is the usual vesting, but not for the reader to assume)."""
        value = grant.values.get("grant_value")
        if not grant.values.get("per_year") or not isinstance(value, tuple):
            return True
        years = grant.values.get("years")
        if not isinstance(years, int) or "years" in grant.conflicts:
            spans = [s for ss in grant.spans.values() for s in ss]
            first, last = min(s[0] for s in spans), max(s[1] for s in spans)
            self._report(Ambiguity.EQUITY_PER_YEAR, (first, last), ("equity.years",))
            return False
        grant.values["grant_value"] = (value[0], value[1] * years, value[2])
        return True

    @staticmethod
    def _settle_schedule(grant: _Target) -> None:
        """Annual vesting becomes equal yearly percentages once the number of years is known; a list of yearly
        percentages gives the number of years when the text did not."""
        schedule = grant.values.get("schedule")
        years = grant.values.get("years")
        if schedule == "annual":
            equal = vesting.equal_yearly(years if isinstance(years, int) else 4)
            if equal is None:
                grant.conflicts.add("schedule")
            else:
                grant.values["schedule"] = equal
        schedule = grant.values.get("schedule")
        if isinstance(schedule, tuple) and "years" not in grant.values:
            grant.values["years"] = len(schedule)
            grant.spans["years"] = []

    def _currency(self) -> str:
        marks: list[str] = []
        base = self.top.values.get("salary.base")
        if isinstance(base, tuple) and base[2]:
            marks.append(base[2])
        for target in (self.top, *self.equity, *self.compute):
            for value in target.values.values():
                if isinstance(value, tuple) and value and value[0] == "money" and value[2]:
                    marks.append(value[2])
        if not marks:
            return "USD"
        first = marks[0]
        return "USD" if first == "$" else first


# The field a figure goes to when its own clause names nothing for it, by the topic of the clause before.
_CARRIED = {
    ("salary", "money"): "salary",
    ("bonus", "money"): "bonus",
    ("bonus", "percent"): "bonus",
    ("sign_on", "money"): "sign_on",
    ("sign_on", "duration"): "clawback",
    ("quoted_tc", "money"): "quoted_tc",
    ("equity", "duration"): "vest",
    ("equity", "money"): "equity_value",
    ("equity", "schedule"): "vest",
    ("equity", "percent"): "vest",
    ("compute", "percent"): "work",
}
_TOP_FIELD = {"salary": "salary.base", "bonus": "bonus.target", "sign_on": "sign_on.amount", "quoted_tc": "quoted_tc"}
_EQUITY_LAYOUT = (
    "kind",
    "grant_value",
    "shares",
    "strike",
    "preferred_price",
    "stage",
    "years",
    "cliff_months",
    "schedule",
)
_COMPUTE_LAYOUT = (
    "amount",
    "tokens",
    "model",
    "gpu_hours",
    "gpu",
    "cadence",
    "expiry_months",
    "rollover",
    "on_departure",
    "tail_months",
    "personal_use",
    "work_required",
    "tax_treatment",
    "quoted_in_tc",
)


def read(text: str, registry: Registry, names: Names) -> Reading:
    speller = Speller(SPELLED_KEYWORDS + tuple(sorted(names.spellable)))
    return _Reader(text, registry, names, speller).read()
