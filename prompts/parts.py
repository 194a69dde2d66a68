"""Discord message parts as plain data (the bot turns them into discord.Embed), and fitting them into Discord's
limits: long sections split at line boundaries into more embeds, embeds grouped into messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from valuation.frozen import direct_init

# Discord's limits (discord-api-docs: Message and Embed resources).
CONTENT_MAX = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBEDS_TOTAL_MAX = 6000
# Stay a little under the limits: a page that exactly fits today should still fit if a figure grows a digit.
_DESCRIPTION_BUDGET = 3900
_MESSAGE_BUDGET = 5800

BRAND_COLOR = 0x2F6F4E
ERROR_COLOR = 0xB3261E


@direct_init
@dataclass(frozen=True, slots=True)
class EmbedField:
    name: str
    value: str
    inline: bool = False


@direct_init
@dataclass(frozen=True, slots=True)
class EmbedPart:
    title: str
    description: str = ""
    fields: tuple[EmbedField, ...] = ()
    footer: str = ""
    color: int = BRAND_COLOR

    def size(self) -> int:
        """Characters that count toward Discord's 6000-per-message total."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )


@direct_init
@dataclass(frozen=True, slots=True)
class MessagePart:
    content: str = ""
    embeds: tuple[EmbedPart, ...] = field(default_factory=tuple)


@direct_init
@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of Markdown: the unit templates render and pages are built from."""

    title: str
    body: str


def _split_lines(body: str, budget: int) -> list[str]:
    """Split at line boundaries into chunks of at most ``budget`` characters. Code fences are closed at the end of
    a chunk and reopened at the start of the next; a single over-long line is split at spaces."""
    if len(body) <= budget - 8:  # fits as it is (no line can be over-long either): most sections
        whole = body.strip()
        return [body.strip("\n")] if whole and whole != "```" else []
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    in_fence = False
    for raw_line in body.split("\n"):
        pieces = [raw_line]
        if len(raw_line) > budget - 8:
            pieces = _split_words(raw_line, budget - 8)
        for line in pieces:
            extra = len(line) + 1
            if current and size + extra + 4 > budget:
                if in_fence:
                    current.append("```")
                chunks.append("\n".join(current))
                current = ["```"] if in_fence else []
                size = 4 if in_fence else 0
            current.append(line)
            size += extra
            if line.strip().startswith("```"):
                in_fence = not in_fence
    if current:
        chunks.append("\n".join(current))
    return [c.strip("\n") for c in chunks if c.strip() and c.strip() != "```"]


def _split_words(line: str, budget: int) -> list[str]:
    words = line.split(" ")
    lines: list[str] = []
    current = ""
    for whole_word in words:
        word = whole_word
        while len(word) > budget:  # one unbroken word longer than a page: cut it (never a number in practice)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:budget])
            word = word[budget:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > budget:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def paginate(
    sections: list[Section], *, footer: str = "", color: int = BRAND_COLOR, content: str = ""
) -> list[MessagePart]:
    """Sections → embeds (one per section, more where a section is long) → messages within every limit."""
    embeds: list[EmbedPart] = []
    for section in sections:
        chunks = _split_lines(section.body, _DESCRIPTION_BUDGET) or [""]
        for index, chunk in enumerate(chunks):
            title = section.title if index == 0 else f"{section.title} (…)"
            embeds.append(EmbedPart(title=_cap(title, EMBED_TITLE_MAX), description=chunk, color=color))
    if footer and embeds:
        last = embeds[-1]
        embeds[-1] = EmbedPart(last.title, last.description, last.fields, _cap(footer, FOOTER_MAX), last.color)
    messages: list[MessagePart] = []
    batch: list[EmbedPart] = []
    total = 0
    first_content = _cap(content, CONTENT_MAX)
    for embed in embeds:
        size = embed.size()
        if batch and (len(batch) == EMBEDS_PER_MESSAGE or total + size > _MESSAGE_BUDGET):
            messages.append(MessagePart(first_content if not messages else "", tuple(batch)))
            batch, total = [], 0
        batch.append(embed)
        total += size
    if batch or not messages:
        messages.append(MessagePart(first_content if not messages else "", tuple(batch)))
    return messages


def within_limits(message: MessagePart) -> list[str]:
    """Every Discord limit this message breaks (empty when it fits): used by tests and as a last guard."""
    problems: list[str] = []
    if len(message.content) > CONTENT_MAX:
        problems.append("content")
    if len(message.embeds) > EMBEDS_PER_MESSAGE:
        problems.append("embed count")
    if sum(e.size() for e in message.embeds) > EMBEDS_TOTAL_MAX:
        problems.append("embeds total")
    for embed in message.embeds:
        if len(embed.title) > EMBED_TITLE_MAX:
            problems.append("title")
        if len(embed.description) > EMBED_DESCRIPTION_MAX:
            problems.append("description")
        if len(embed.fields) > EMBED_FIELDS_MAX:
            problems.append("field count")
        if len(embed.footer) > FOOTER_MAX:
            problems.append("footer")
        for f in embed.fields:
            if len(f.name) > FIELD_NAME_MAX or len(f.value) > FIELD_VALUE_MAX:
                problems.append("field")
    return problems
