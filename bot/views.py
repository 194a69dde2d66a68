"""Buttons under a breakdown: Share, Show your work, Advice; under Show your work, the file of every formula.

The buttons are dynamic items: one handler, registered once at start, answers a press on any message, including
messages sent before a restart. A press finds what it needs in the :class:`~bot.button_store.ButtonStore` by the id
of the interaction that produced the message it was pressed on, and recomputes the valuation; when the entry is gone
it answers with the "expired" notice. Only the person who asked can use the buttons.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bot.advice import advice_reply, email_file
from bot.button_store import ResultState
from bot.cpu import is_small
from bot.messages import (
    NO_MENTIONS,
    answer_computed,
    answer_soon,
    answers_privately,
    message_kwargs,
    notice,
    reply,
    respond,
    text_file,
)
from bot.offer_input import json_ready
from bot.timing import STARTED, log_answered
from prompts import MessagePart, Renderer
from valuation import Offer, Registry, Valuation, build_offer, value_explained, value_offer

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.buttons")

ACTIONS = ("share", "work", "advice", "file")
# A user-installed app may send only 5 followups in a server that hasn't added it: a reply is at most this many pages.
MAX_WORK_PAGES = 3


def offer_json(data: dict[str, Any]) -> bytes:
    """The offer's plain inputs as compact JSON (what a press rebuilds the offer from)."""
    return json.dumps(json_ready(data), separators=(",", ":"), ensure_ascii=False).encode()


class ResultButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"result:(?P<action>share|work|advice|file)"
):
    """One of the result buttons, on any message (``result:<action>``)."""

    def __init__(
        self, action: str, *, label: str | None = None, style: discord.ButtonStyle = discord.ButtonStyle.secondary
    ) -> None:
        super().__init__(discord.ui.Button(label=label or action, style=style, custom_id=f"result:{action}"))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> ResultButton:
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: FourthPillar = interaction.client
        try:
            await press(bot, self.action, interaction)
        except Exception as error:
            from bot.tree import report_error  # noqa: PLC0415 - the tree imports the bot, which imports the views

            await report_error(bot, interaction, error)


def has_handler(client: discord.Client, interaction: discord.Interaction) -> bool:
    """Whether a live view or a dynamic item of this process will answer this component interaction.

    discord.py drops a press nothing listens for without a word (a view that timed out, a message from before a
    restart): the bot answers those with the "expired" notice. This reads discord.py's view store (2.7.1, pinned),
    the same lookup its dispatch makes.
    """
    data: Any = interaction.data or {}
    custom_id, component_type = str(data.get("custom_id", "")), int(data.get("component_type", 0))
    store = client._connection._view_store
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return True
    message_id = interaction.message.id if interaction.message is not None else None
    views = store._views
    return any((component_type, custom_id) in views.get(key, {}) for key in (message_id, None))


def detached(view: discord.ui.View) -> discord.ui.View:
    """A view only to lay out buttons: stopped before it is sent, so discord.py keeps no reference to it.

    Presses reach :class:`ResultButton`, registered once at start. A live view would be kept by discord.py (for 15
    minutes on an ephemeral reply, about 5 KiB each), and when it timed out it would take the dynamic-item
    registration down with it, leaving later presses unanswered.
    """
    view.stop()
    return view


def result_view(renderer: Renderer, locale: str, *, share_offered: bool, advice_offered: bool) -> discord.ui.View:
    """The buttons under a breakdown."""
    view = discord.ui.View(timeout=None)
    buttons = [
        ("share", "ui/share_label", discord.ButtonStyle.secondary, share_offered),
        ("work", "ui/work_label", discord.ButtonStyle.secondary, True),
        ("advice", "ui/advice_label", discord.ButtonStyle.primary, advice_offered),
    ]
    for action, label, style, offered in buttons:
        if offered:
            view.add_item(ResultButton(action, label=renderer.text(label, locale=locale), style=style))
    return detached(view)


def file_view(renderer: Renderer, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    label = renderer.text("ui/work_file_label", locale=locale)
    view.add_item(ResultButton("file", label=label))
    return detached(view)


async def press(bot: FourthPillar, action: str, interaction: discord.Interaction) -> None:
    interaction.extras[STARTED] = time.monotonic()
    bot.track(interaction)
    locale = interaction.locale.value
    if not bot.accepting:
        await notice(interaction, bot.renderer.text("ui/shutting_down", locale=locale))
        return
    state = bot.button_store.get(origin_of(interaction))
    if state is None:
        log.info("button %s refused: expired", action)
        await notice(interaction, bot.renderer.text("ui/expired", locale=locale))
        return
    if interaction.user.id != state.owner_id:
        log.info("button %s refused: not the owner", action)
        await notice(interaction, bot.renderer.text("ui/not_yours", locale=locale))
        return
    if action == "share":
        await _share(bot, interaction, state)
    elif action == "work":
        await _work(bot, interaction, state)
    elif action == "file":
        await _file(bot, interaction, state)
    else:
        await _advice(bot, interaction, state)
    log_answered(log, f"button {action}", interaction)


def origin_of(interaction: discord.Interaction) -> int:
    """The id of the interaction whose reply carries the pressed button (0 if Discord named none)."""
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata.id if metadata is not None else 0


def recompute(registry: Registry, state: ResultState, *, traces: bool = False) -> tuple[Offer, Valuation]:
    offer = build_offer(json.loads(state.offer_json), registry)
    return offer, value_offer(offer, registry, state.layers, traces=traces)


async def _share(bot: FourthPillar, interaction: discord.Interaction, state: ResultState) -> None:
    message = interaction.message
    assert message is not None
    if not state.shareable:  # offered no Share button; a hand-made press still posts nothing
        await notice(interaction, bot.renderer.text("ui/share_not_offered", locale=state.locale))
        return
    if not await bot.sharing.sharing_allowed(guild_id=interaction.guild_id):
        await notice(interaction, bot.renderer.text("ui/share_disabled", locale=state.locale))
        return
    if not bot.button_store.claim_share(origin_of(interaction)):
        await notice(interaction, bot.renderer.text("ui/shared_done", locale=state.locale))
        return
    # The press updates the breakdown (Share disabled: one public copy is enough), then posts the copy.
    view = discord.ui.View.from_message(message, timeout=None)
    for item in view.children:
        if isinstance(item, discord.ui.Button) and item.custom_id == "result:share":
            item.disabled = True
    await interaction.response.edit_message(view=detached(view), allowed_mentions=NO_MENTIONS)

    def shared_copy() -> list[MessagePart]:
        _, valuation = recompute(bot.registry, state)
        first, *rest = bot.renderer.breakdown_discord(valuation, locale=state.locale)
        shared_by = bot.renderer.text("ui/shared_by", locale=state.locale, name=interaction.user.display_name)
        return [dataclasses.replace(first, content=shared_by), *rest]

    parts = await asyncio.to_thread(shared_copy)
    for part in parts:
        await interaction.followup.send(ephemeral=False, **message_kwargs(part))


async def _work(bot: FourthPillar, interaction: discord.Interaction, state: ResultState) -> None:
    """The headline and year 1's formulas; every year and month is one more press away, as a file."""
    private = answers_privately(interaction)

    def work() -> list[MessagePart]:
        # One run values the offer and records the traces shown (the month-by-month ones are the file's).
        valuation = value_explained(build_offer(json.loads(state.offer_json), bot.registry), bot.registry, state.layers)
        first, *rest = bot.renderer.work_discord(valuation, locale=state.locale)[:MAX_WORK_PAGES]
        attached = bot.renderer.text("ui/work_attached", locale=state.locale)
        return [dataclasses.replace(first, content=attached), *rest]

    parts = await answer_computed(interaction, work, small=is_small(state.offer_json), ephemeral=private)
    bot.button_store.put(interaction.id, state)  # the file button on this reply recomputes from the same state
    await reply(interaction, parts, ephemeral=private, view=file_view(bot.renderer, state.locale))


async def _file(bot: FourthPillar, interaction: discord.Interaction, state: ResultState) -> None:
    private = answers_privately(interaction)

    def full() -> str:
        _, valuation = recompute(bot.registry, state, traces=True)
        return bot.renderer.work_text(valuation, locale=state.locale)

    text = await answer_soon(interaction, asyncio.to_thread(full), ephemeral=private)
    content = bot.renderer.text("ui/work_file_ready", locale=state.locale)
    file = text_file("work.md", text)
    if interaction.response.is_done():
        await interaction.edit_original_response(content=content, attachments=[file], allowed_mentions=NO_MENTIONS)
    else:
        await respond(interaction, content=content, files=[file], ephemeral=private)


async def _advice(bot: FourthPillar, interaction: discord.Interaction, state: ResultState) -> None:
    advise = bot.advise
    assert advise is not None  # the button is offered only with an advisor
    private = answers_privately(interaction)

    def advice() -> tuple[list[MessagePart], str | None]:
        offer, valuation = recompute(bot.registry, state)
        return advice_reply(bot.renderer, advise(offer, valuation, bot.registry), valuation, state.locale)

    parts, email = await answer_computed(interaction, advice, small=is_small(state.offer_json), ephemeral=private)
    await reply(interaction, parts, ephemeral=private, file=email_file(email))
