"""How the CLI writes its text: rendered for a terminal, plain when piped, or as asked with ``--format``.

The templates write Markdown. A terminal gets it rendered (headings, bold, aligned blocks) by ``rich``; a pipe or a
file gets plain text with the marks removed; ``--format markdown`` keeps the source (to paste somewhere that renders
it) and ``--format json`` the full result as data. ``--json`` stays as the short form of ``--format json``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar, Literal, TextIO

from prompts.terminal import markdown_to_plain

Format = Literal["markdown", "plain", "json"]
FORMATS: tuple[Format, ...] = ("markdown", "plain", "json")


def add_format_options(parser: Any) -> None:
    """``--format markdown|plain|json`` and ``--json`` (the same as ``--format json``) on one subcommand."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="markdown (the source), plain (no marks) or json; default: rendered on a terminal, plain when piped",
    )
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")


def wants_json(args: argparse.Namespace) -> bool:
    return getattr(args, "format", None) == "json"


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write(markdown: str, fmt: Format | None, stream: TextIO | None = None) -> None:
    """Write text the templates produced as Markdown, in the format asked for or suited to where it goes."""
    stream = sys.stdout if stream is None else stream
    if fmt == "markdown":
        stream.write(markdown)
    elif fmt is None and _is_terminal(stream):
        _render(markdown, stream)
    else:
        stream.write(markdown_to_plain(markdown))
    stream.flush()


def write_error(markdown: str) -> None:
    """An error for stderr: rendered on a terminal, else as written (its `code` marks name the field plainly)."""
    if _is_terminal(sys.stderr):
        _render(markdown, sys.stderr)
    else:
        print(markdown, file=sys.stderr)


def hard_breaks(markdown: str) -> str:
    """Each line of the templates is a line of its own (as on Discord), not part of a flowing paragraph: end every
    non-blank line outside a fenced block with a Markdown hard break."""
    out, in_fence = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        out.append(line + "  " if line.strip() and not in_fence and not line.lstrip().startswith("```") else line)
    return "\n".join(out)


def _render(markdown: str, stream: TextIO) -> None:
    from rich.console import Console, ConsoleOptions, RenderResult  # noqa: PLC0415 - only a terminal needs it
    from rich.markdown import CodeBlock, Markdown, MarkdownElement  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    class Block(CodeBlock):
        """An aligned table as written: not wrapped, cropped or coloured (a narrow terminal folds it whole)."""

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            yield Text(str(self.text).rstrip(), no_wrap=True, overflow="ignore")

    class TerminalMarkdown(Markdown):
        elements: ClassVar[dict[str, type[MarkdownElement]]] = {
            **Markdown.elements,
            "fence": Block,
            "code_block": Block,
        }

    Console(file=stream, highlight=False).print(TerminalMarkdown(hard_breaks(markdown), inline_code_lexer=None))
