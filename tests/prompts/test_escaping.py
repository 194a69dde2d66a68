"""User text shows literally in Discord: no markdown, mention, masked link or heading survives escaping."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from prompts.escaping import ZERO_WIDTH_SPACE, code_safe, discord_escape, plain

MARKDOWN_CHARACTERS = set("\\*_~`|>[]()#-")
PIECES = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123>",
        "<@!456>",
        "<#789>",
        "<@&42>",
        "**",
        "__",
        "~~",
        "`",
        "```",
        "> ",
        "||",
        "[a](http://b)",
        "# ",
        "-# ",
        "\n",
        "https://x.y",
        "<t:1:R>",
        "<:emoji:1>",
        "\\",
        "word",
        " ",
        "é",
        "1,234",
    ]
)
USER_TEXT = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=30).map("".join))


def _unescaped_markdown(text: str) -> list[str]:
    """Markdown characters not preceded by an escaping backslash."""
    found, escaped = [], False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in MARKDOWN_CHARACTERS:
            found.append(char)
    return found


@given(USER_TEXT, st.integers(min_value=1, max_value=300))
def test_escaped_text_has_no_live_markdown_mentions_or_lines(text: str, limit: int) -> None:
    """Every markdown character is backslash-escaped; no mention, channel, role or link parses; one line only."""
    escaped = discord_escape(text, limit)
    assert _unescaped_markdown(escaped) == []
    assert not re.search(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>|<:\w+:\d+>|<t:|https?://", escaped, re.IGNORECASE)
    assert "\n" not in escaped and "\r" not in escaped


@given(USER_TEXT, st.integers(min_value=1, max_value=300))
def test_escaping_caps_length_before_escaping(text: str, limit: int) -> None:
    """The visible text (escapes and zero-width spaces removed) is at most the limit."""
    visible = re.sub(r"\\(.)", r"\1", discord_escape(text, limit)).replace(ZERO_WIDTH_SPACE, "")
    assert len(visible) <= limit


def test_escaped_text_still_reads_the_same() -> None:
    """A person still reads the original words: only backslashes and zero-width spaces were added."""
    text = "**Acme** @everyone <@123> [site](http://acme.ai) # 1"
    visible = re.sub(r"\\(.)", r"\1", discord_escape(text)).replace(ZERO_WIDTH_SPACE, "")
    assert visible == text


def test_plain_text_for_the_terminal_is_one_printable_line() -> None:
    """For the CLI, control characters go, lines join, and long text is cut with an ellipsis."""
    assert plain("Acme\x1b[31m\nAI\t", 100) == "Acme[31m AI"
    assert plain("x" * 50, 10) == "x" * 9 + "…"


@given(USER_TEXT)
def test_text_in_code_blocks_cannot_close_the_block_or_mention(text: str) -> None:
    """Inside a code block user text keeps its markdown characters but loses backticks and live mentions."""
    safe = code_safe(plain(text, 400))
    assert "`" not in safe
    assert not re.search(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>", safe, re.IGNORECASE)
