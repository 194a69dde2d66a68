"""A passage made easy to match: lower case, single spaces, number words as digits, misspelt keywords fixed, with a
map from every character back to the input, so whatever is matched is reported at its place in what was written.

One pass over the text; each word is compared only with keywords of about its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words a misspelling is corrected to. Short words are left alone: "base" is one letter from "case" and "vase".
KEYWORDS = (
    "salary",
    "bonus",
    "equity",
    "signing",
    "vesting",
    "vested",
    "cliff",
    "credits",
    "tokens",
    "quarterly",
    "monthly",
    "annually",
    "options",
    "clawback",
    "expire",
    "expires",
    "forfeit",
    "forfeited",
    "rollover",
    "stipend",
    "allowance",
    "personal",
    "month",
    "months",
    "years",
    "restricted",
    "target",
    "repayable",
    "prorated",
    "compensation",
    "preferred",
    "strike",
    "taxable",
)
MIN_TYPO_LENGTH = 5
# Real words one edit from a keyword: never "corrected".
REAL_WORDS = frozenset({"testing", "resting", "nesting", "singing", "sighing", "bones", "bonds", "mouths", "credit"})

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
}
_TENS = "twenty|thirty|forty|fifty|sixty"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# Compound number words first, then words, spaces, and any other single character: every alternative consumes
# at least one character and none overlaps another, so the scan is linear.
_TOKEN = re.compile(
    rf"(?P<compound>(?:{_TENS})[- ](?:{_UNITS}))(?![^\W\d_])|(?P<word>[^\W\d_]+)|(?P<space>\s+)|.", re.S
)
_CHAR_FOLD = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "−": "-", "“": '"', "”": '"'})


def _close(word: str, keyword: str) -> bool:
    """One edit apart: a letter changed, added, dropped, or two neighbours swapped."""
    if word == keyword:
        return True
    lw, lk = len(word), len(keyword)
    if abs(lw - lk) > 1:
        return False
    if lw == lk:
        diffs = [i for i in range(lw) if word[i] != keyword[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == keyword[diffs[1]]
            and word[diffs[1]] == keyword[diffs[0]]
        )
    short, long_ = (word, keyword) if lw < lk else (keyword, word)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class Speller:
    """Corrects a word to the keyword it is one edit from, when exactly one keyword is that close."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self._words):
            self._by_length.setdefault(len(word), []).append(word)

    def correct(self, word: str) -> str:
        if len(word) < MIN_TYPO_LENGTH or word in self._words or word in REAL_WORDS:
            return word
        near = [
            k for n in (len(word) - 1, len(word), len(word) + 1) for k in self._by_length.get(n, ()) if _close(word, k)
        ]
        return near[0] if len(near) == 1 else word


@dataclass(frozen=True, slots=True)
class Normalized:
    """Matchable text and, for each of its characters, where it came from in the input."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The input span a matched span [start, end) came from."""
        if not self.text:
            return (0, 0)
        end = max(end, start + 1)
        return self.starts[min(start, len(self.text) - 1)], self.ends[min(end, len(self.text)) - 1]


def normalize(text: str, offset: int, speller: Speller) -> Normalized:
    """``text`` (which starts at ``offset`` in the input) made matchable."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(piece: str, start: int, end: int) -> None:
        out.append(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))

    for match in _TOKEN.finditer(text):
        start, end = match.start() + offset, match.end() + offset
        if match["space"] is not None:
            if out and out[-1] != " ":
                emit(" ", start, end)
        elif match["compound"] is not None:
            tens, units = re.split(r"[- ]", match["compound"].lower())
            emit(str(_NUMBER_WORDS[tens] + _NUMBER_WORDS[units]), start, end)
        elif match["word"] is not None:
            word = match["word"].lower()
            if word in _NUMBER_WORDS:
                emit(str(_NUMBER_WORDS[word]), start, end)
            else:
                emit(speller.correct(word), start, end)
        else:
            emit(match.group().lower().translate(_CHAR_FOLD), start, end)
    joined = "".join(out)
    return Normalized(joined, tuple(starts), tuple(ends))
