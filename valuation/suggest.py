"""The registry ids nearest to a misspelled one ("gpt5" → gpt-5), to suggest beside the refusal."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_SUGGESTIONS = 3


def _squeeze(text: str) -> str:
    """Ids compared without case or punctuation, so "gpt5" and "GPT-5" meet."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def nearest_ids(typed: str, ids: Iterable[str]) -> list[str]:
    """Up to three ids that start like ``typed`` (``claude-sonnet`` → ``claude-sonnet-4.5``), contain it
    (``opus``) or are spelled close to it, best first; ties keep the registry's order, so the answer is deterministic."""
    candidates = list(ids)
    squeezed = _squeeze(typed)
    if not squeezed:
        return []
    by_prefix = [i for i in candidates if _squeeze(i).startswith(squeezed)]
    by_part = [i for i in candidates if len(squeezed) >= 3 and squeezed in _squeeze(i)]
    close = difflib.get_close_matches(squeezed, [_squeeze(i) for i in candidates], n=MAX_SUGGESTIONS, cutoff=0.6)
    by_spelling = [i for s in close for i in candidates if _squeeze(i) == s]
    chosen: list[str] = []
    for candidate in [*by_prefix, *by_part, *by_spelling]:
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen[:MAX_SUGGESTIONS]


def suggestion(typed: str, ids: Iterable[str], fallback: str) -> str:
    """The example to show beside an unknown id: the nearest ids quoted, or ``fallback`` when none is near."""
    near = nearest_ids(typed, ids)
    return " or ".join(f'"{i}"' for i in near) if near else fallback
