"""``/offer evaluate text:`` (or a ``.txt`` attachment): the offer as written, read by valuation.reader, and the
"Read as: …" line that opens the reply so a misread is seen at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.errors import InputError
from prompts import MessagePart, Renderer
from prompts.parts import CONTENT_MAX
from valuation import OfferError, Registry
from valuation.errors import Reason
from valuation.reader import Reading, offer_from_reading, read_offer

TEXT_TYPES = ("text/plain",)


def is_text_file(attachment: discord.Attachment) -> bool:
    """A plain-text attachment is an offer as written, not an offer file."""
    content_type = (attachment.content_type or "").split(";")[0].strip().lower()
    return attachment.filename.lower().endswith(".txt") or content_type in TEXT_TYPES


def decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(OfferError.single("offer_file", "", Reason.NOT_TEXT, "offer.txt (UTF-8 text)")) from None


def reading_data(text: str, registry: Registry) -> tuple[dict[str, Any], Reading]:
    """The offer data a text stands for, to take the place of an offer file (options still override it); refused
    when the text is too long, says nothing the reader can read, or is unclear somewhere."""
    try:
        reading = read_offer(text, registry)
        if reading.empty or reading.ambiguous:
            offer_from_reading(reading, registry)  # raises the specific refusal
    except OfferError as exc:
        raise InputError(exc) from None
    return reading.offer, reading


def with_read_as(parts: Sequence[MessagePart], reading: Reading, renderer: Renderer, locale: str) -> list[MessagePart]:
    """The reply with "Read as: …" above the first page (shortened at a separator to fit a message)."""
    plain = reading.as_plain()
    currency = plain["offer"].get("currency", "USD")
    line = renderer.text("reader/read_as", locale=locale, reading=plain, currency=currency)
    first, *rest = parts
    room = CONTENT_MAX - len(first.content) - 2 if first.content else CONTENT_MAX
    if len(line) > room:
        line = line[: max(room - 2, 0)].rsplit(" · ", 1)[0] + " …"
    content = f"{line}\n\n{first.content}" if first.content else line
    return [MessagePart(content=content, embeds=first.embeds), *rest]
