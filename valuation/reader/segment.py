"""Text cut into sentences and clauses, the units a figure and its keyword are looked for in.

A sentence ends at a line break, at ". " / "!" / "?" / ";" / "|" or a bullet; a clause at a comma that is not
inside a number, a bracket, " and ", " plus ", " but ", or a spaced dash, "+" or "&". One linear scan each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"\n|[!?;|•·]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r",(?!\d)|[()\[\]]|\s(?:and|plus|but)\s|\s[-–—+&]\s")


@dataclass(frozen=True, slots=True)
class Clause:
    sentence: int
    start: int
    end: int


def _pieces(text: str, pattern: re.Pattern[str], start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for match in pattern.finditer(text, start, end):
        yield position, match.start()
        position = match.end()
    yield position, end


def clauses(text: str) -> list[Clause]:
    """Every non-blank clause, in order, with the sentence it is in."""
    found: list[Clause] = []
    for index, (s_start, s_end) in enumerate(_pieces(text, _SENTENCE_END, 0, len(text))):
        for c_start, c_end in _pieces(text, _CLAUSE_END, s_start, s_end):
            if text[c_start:c_end].strip():
                found.append(Clause(index, c_start, c_end))
    return found
