"""Make user-supplied text show literally in Discord: no markdown, no mentions, no masked links."""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#-])")
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)", re.IGNORECASE)
_ANGLE = re.compile(r"<(?=[@#:/a]|t:)")
_URL = re.compile(r"(https?)://", re.IGNORECASE)


def discord_escape(text: str, limit: int = 200) -> str:
    """Escape markdown characters, break mentions (``@everyone``, ``<@id>``, ``<#id>``, ``<@&id>``), links and
    line structure, and cap the length. The result reads the same to a person and means nothing to Discord."""
    text = " ".join(str(text).split())  # no newlines: headings, quotes and lists need line starts
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _ANGLE.sub("<" + ZERO_WIDTH_SPACE, text)
    text = _MENTION.sub(lambda m: "@" + ZERO_WIDTH_SPACE + m.group(1), text)
    return _URL.sub(lambda m: m.group(1) + ":" + ZERO_WIDTH_SPACE + "//", text)


def plain(text: str, limit: int = 200) -> str:
    """For the terminal: one line, capped, control characters removed."""
    kept = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in str(text))
    text = " ".join(kept.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_safe(text: str) -> str:
    """For text inside a Discord code block: a backtick becomes a look-alike so the block can't be closed early,
    and mentions get a zero-width space (harmless there, and safe if the text is ever moved out)."""
    text = text.replace("`", "\u02cb")
    text = _ANGLE.sub("<" + ZERO_WIDTH_SPACE, text)
    return _MENTION.sub(lambda m: "@" + ZERO_WIDTH_SPACE + m.group(1), text)
