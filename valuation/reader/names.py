"""Model and GPU names in prose matched to registry ids, from the registry's own ids and names (no parallel list).

A name is split into parts: words and version numbers ("Claude Sonnet 4.5" → claude, sonnet, 4.5; "gpt5" → gpt,
5). A written name matches a registry entry when all its parts are among the entry's parts; of several such
entries the one with fewest parts left over wins ("gpt5" → gpt-5, not gpt-5-mini). A tie is a choice to report
("Claude" alone), and a name whose parts fit no entry is an unknown name to report ("Sonnet 4").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from valuation.registry import Registry

# A part: a word, or a version number ("4.5", "5", "100"). "h100" is one part: letters then digits with no space.
_PART = re.compile(r"[a-z]+\d+(?:\.\d+)?[a-z]*|[a-z]+|\d+(?:\.\d+)?")
# Words in registry names that say nothing about which model is meant.
_NOISE = frozenset({"nvidia", "on", "demand", "aws", "gcp", "azure", "lambda", "runpod", "vast", "ai"})


def parts(text: str) -> tuple[str, ...]:
    """The parts of a name; letters glued to a version are split ("gpt5" → gpt, 5) except GPU-style ids ("h100")."""
    found: list[str] = []
    for part in _PART.findall(text.lower()):
        glued = re.fullmatch(r"([a-z]{2,})(\d+(?:\.\d+)?)", part)
        if glued:
            found.extend(glued.groups())
        else:
            found.append(part)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Match:
    """How a written name resolved: one id, a choice between ids, or none (with the nearest ids to suggest)."""

    outcome: Literal["id", "choice", "unknown"]
    ids: tuple[str, ...]


class Names:
    """The registry's model and GPU names, as parts, and the words that may begin a written name."""

    def __init__(self, registry: Registry) -> None:
        self.models = {i: frozenset(parts(i)) | frozenset(parts(m.name)) - _NOISE for i, m in registry.models.items()}
        self.gpus = {
            i: frozenset(parts(i)) | frozenset(parts(g.name.split("(")[0])) - _NOISE for i, g in registry.gpus.items()
        }
        self.model_words = frozenset(p for ps in self.models.values() for p in ps if not p[0].isdigit())
        self.gpu_words = frozenset(p for ps in self.gpus.values() for p in ps if not p[0].isdigit())
        # Words long enough to be corrected when misspelt ("sonet" → sonnet).
        self.spellable = frozenset(w for w in self.model_words | self.gpu_words if len(w) >= 5 and w.isalpha())
        model_alt = "|".join(sorted((re.escape(w) for w in self.model_words), key=len, reverse=True))
        gpu_alt = "|".join(sorted((re.escape(w) for w in self.gpu_words), key=len, reverse=True))
        # A run of name parts: a known word, then up to four more known words or versions. Bounded, so linear.
        version = r"\d{1,2}(?:\.\d{1,2})?"
        part = rf"(?:{model_alt})(?:{version})?(?![a-z0-9.])|{version}(?![a-z0-9.])"
        tail = rf"(?:[ -]?(?:{part})){{0,4}}"
        self.model_pattern = (
            re.compile(rf"(?<![a-z0-9])(?:{model_alt})(?:{version})?(?![a-z0-9.]){tail}") if model_alt else None
        )
        self.gpu_pattern = re.compile(
            rf"(?<![a-z0-9])(?:(?:{gpu_alt})(?![a-z])|[abhl]\d{{2,3}}[a-z]?(?![a-z0-9]))" if gpu_alt else r"(?!)"
        )

    @staticmethod
    def _resolve(written: tuple[str, ...], table: dict[str, frozenset[str]]) -> Match:
        fitting = [(len(p - set(written)), i) for i, p in table.items() if set(written) <= p]
        if not fitting:
            return Match("unknown", ())
        fewest = min(extra for extra, _ in fitting)
        best = tuple(i for extra, i in fitting if extra == fewest)
        return Match("id", best) if len(best) == 1 else Match("choice", best)

    def model(self, written: str) -> Match:
        """The registry model a written name means, trimming trailing words that are not name parts."""
        found = parts(written)
        while found and found[-1] not in self.model_words and not found[-1][0].isdigit():
            found = found[:-1]
        return self._resolve(tuple(p for p in found if p not in _NOISE), self.models)

    def gpu(self, written: str) -> Match:
        found = [p for p in parts(written) if p not in _NOISE]
        # "H100s": a plural of a GPU name is the GPU.
        found = [p[:-1] if p.endswith("s") and p[:-1] in self.gpu_words else p for p in found]
        return self._resolve(tuple(found), self.gpus)

    def model_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.model_pattern.finditer(text)] if self.model_pattern else []

    def gpu_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.gpu_pattern.finditer(text)]

    def find_model(self, text: str) -> re.Match[str] | None:
        return self.model_pattern.search(text) if self.model_pattern else None

    def find_gpu(self, text: str) -> re.Match[str] | None:
        return self.gpu_pattern.search(text)
