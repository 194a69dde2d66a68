"""The CLI's Markdown as plain text, for output that goes to a file or a pipe rather than a terminal.

The templates write a small, known subset of Markdown (``## `` headings, ``**bold**``, ```` `code` ````, ``- `` lists
and fenced blocks), so a line-by-line pass is enough: the words stay exactly as the templates wrote them, only the
marks go. Fenced blocks (aligned tables) are kept verbatim, without their fences.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _inline(line: str) -> str:
    line = _BOLD.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    return _ESCAPED.sub(r"\1", line)


def markdown_to_plain(text: str) -> str:
    """The same text without Markdown marks: a heading is its words underlined, bold and code marks are dropped,
    fenced blocks keep their lines as they are."""
    out: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            title = _inline(heading.group(2))
            out.extend([title, ("=" if len(heading.group(1)) == 1 else "-") * len(title)])
            continue
        out.append(_inline(line))
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
