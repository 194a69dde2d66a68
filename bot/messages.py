"""Rendered parts to discord.py objects, and sends that always carry ``allowed_mentions`` none."""

from __future__ import annotations

import asyncio
import inspect
import io
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import discord
from discord.webhook.async_ import async_context, interaction_message_response_params

from prompts import EmbedPart, MessagePart

# Set once on the client and passed again on every send: a name like "@everyone" in an offer must never ping.
NO_MENTIONS = discord.AllowedMentions.none()
ANSWERED = "fourth_pillar.answered"  # interaction.extras key: the deferred placeholder was replaced
DEFERRING = "fourth_pillar.deferring"  # interaction.extras key: the defer sent (or being sent) for "thinking…"
# Work that takes longer than this shows "thinking…" first (Discord's deadline for a first response is 3 s). An
# interaction that reached us late (a busy machine) is deferred at once: at least this much of the deadline stays
# for the defer itself.
PATIENCE_SECONDS = 0.3
DEADLINE_SECONDS = 3.0
DEFER_MARGIN_SECONDS = 1.5
T = TypeVar("T")


async def answer_soon(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool) -> T:
    """Run ``work``; if it is not done within :data:`PATIENCE_SECONDS`, defer (thinking, ``ephemeral``) so the
    deadline holds, then wait for it. Most replies are ready in a few milliseconds and go out as the first response:
    one request to Discord instead of a placeholder and an edit, and the reply shows sooner.

    ``work`` runs in the caller's task; a timer starts the defer beside it if it runs late (no task to run it in,
    nor one to watch the time, for the usual reply that needs neither)."""
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    patience = min(PATIENCE_SECONDS, DEADLINE_SECONDS - DEFER_MARGIN_SECONDS - age)
    if patience <= 0:
        try:
            await defer_once(interaction, ephemeral=ephemeral)
        except BaseException:
            if inspect.iscoroutine(work):
                work.close()  # never started: closed, not left to be reported as never awaited
            raise
        return await work
    timer = asyncio.get_running_loop().call_later(patience, _start_defer, interaction, ephemeral)
    try:
        return await work
    finally:
        timer.cancel()
        pending: asyncio.Future[Any] | None = interaction.extras.get(DEFERRING)
        if pending is not None:
            await asyncio.shield(pending)  # what answers next (the reply, or a notice) edits the placeholder


def _start_defer(interaction: discord.Interaction, ephemeral: bool) -> None:
    """The timer's side of :func:`answer_soon`: send the defer (its future is kept in the interaction's extras,
    where the work and :func:`defer_once` find it)."""
    if DEFERRING not in interaction.extras and not interaction.response.is_done():
        pending = asyncio.ensure_future(interaction.response.defer(ephemeral=ephemeral, thinking=True))
        pending.add_done_callback(_retrieved)
        interaction.extras[DEFERRING] = pending


def _retrieved(future: asyncio.Future[Any]) -> None:
    """A defer's failure is raised where it is awaited (the reply); retrieved here so an unawaited one (the work
    failed first) is not reported as never retrieved."""
    if not future.cancelled():
        future.exception()


async def answer_computed(
    interaction: discord.Interaction, work: Callable[[], T], *, small: bool, ephemeral: bool
) -> T:
    """``work()``, CPU-bound: at once when ``small`` (about a millisecond, well inside the deadline: no thread's
    hand-off nor a timer to watch the time, see :mod:`bot.cpu`), else in a thread under :func:`answer_soon`."""
    if small:
        return work()
    return await answer_soon(interaction, asyncio.to_thread(work), ephemeral=ephemeral)


async def defer_once(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Show "thinking…" now, unless the interaction was answered or is being deferred already. Work that knows it
    will be slow (a chart to draw) calls this at once rather than waiting out :data:`PATIENCE_SECONDS`; the
    interaction's pending defer is shared, so this and :func:`answer_soon` never both send one."""
    pending: asyncio.Future[Any] | None = interaction.extras.get(DEFERRING)
    if pending is None:
        if interaction.response.is_done():
            return
        pending = asyncio.ensure_future(interaction.response.defer(ephemeral=ephemeral, thinking=True))
        interaction.extras[DEFERRING] = pending
    await asyncio.shield(pending)


def to_embed(part: EmbedPart) -> discord.Embed:
    embed = discord.Embed(title=part.title, description=part.description or None, color=part.color)
    for field in part.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if part.footer:
        embed.set_footer(text=part.footer)
    return embed


def message_kwargs(part: MessagePart, image: discord.File | None = None) -> dict[str, Any]:
    """discord.py's keyword arguments for a message of ``part``; ``image`` is shown inside its first embed (the
    file itself is attached by the caller)."""
    kwargs: dict[str, Any] = {"embeds": _embeds(part.embeds, image), "allowed_mentions": NO_MENTIONS}
    if part.content:
        kwargs["content"] = part.content
    return kwargs


def text_file(name: str, text: str) -> discord.File:
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


def answers_privately(interaction: discord.Interaction) -> bool:
    """Whether replies carrying someone's figures must be ephemeral.

    Anywhere other people read along — a server, a group DM, a DM with someone else (a user-installed app) — the
    answer is visible only to the person who asked. Only in their own DM with the bot is it a normal message.
    """
    return interaction.guild_id is not None or interaction.context.private_channel


async def reply(
    interaction: discord.Interaction,
    parts: Sequence[MessagePart],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    image: discord.File | None = None,
) -> None:
    """Answer with every page: the first as the response (or the edit of a deferred one), the rest as followups.
    The view and the file go on the first page; ``image`` is attached and shown inside its first embed."""
    first, *rest = parts
    if not interaction.response.is_done():
        files = [file] if file is not None else []
        await respond(
            interaction,
            ephemeral=ephemeral,
            content=first.content,
            embeds=first.embeds,
            view=view,
            files=files,
            image=image,
        )
    else:
        kwargs = message_kwargs(first, image)
        if view is not None:
            kwargs["view"] = view
        attachments = [f for f in (file, image) if f is not None]
        if attachments:
            kwargs["attachments"] = attachments
        await interaction.edit_original_response(**kwargs)
        interaction.extras[ANSWERED] = True
    for part in rest:
        await interaction.followup.send(ephemeral=ephemeral, **message_kwargs(part))


async def notice(interaction: discord.Interaction, part: MessagePart | str) -> None:
    """An ephemeral message to the person who acted, whether or not the interaction was answered already.

    After a defer whose "thinking…" placeholder still shows, the notice takes the placeholder's place (a defer fixed
    its visibility: ephemeral wherever others read along); otherwise it is an ephemeral followup.
    """
    if not interaction.response.is_done():
        if isinstance(part, MessagePart):
            await respond(interaction, ephemeral=True, content=part.content, embeds=part.embeds)
        else:
            await respond(interaction, ephemeral=True, content=part)
        return
    kwargs = (
        message_kwargs(part) if isinstance(part, MessagePart) else {"content": part, "allowed_mentions": NO_MENTIONS}
    )
    if _placeholder_showing(interaction):
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.followup.send(ephemeral=True, **kwargs)


async def respond(
    interaction: discord.Interaction,
    *,
    ephemeral: bool,
    content: str | None = None,
    embeds: Sequence[EmbedPart] = (),
    view: discord.ui.View | None = None,
    files: Sequence[discord.File] = (),
    image: discord.File | None = None,
) -> None:
    """The interaction's first response: a message (what ``interaction.response.send_message`` sends), without
    asking Discord to send that message back. ``image`` is attached and shown inside the first embed.

    discord.py asks for the message on every response (``with_response``) and reads it into a message object, which
    nothing here uses: for a breakdown (four embeds, three buttons and a menu) reading it back cost as much as a
    whole no-op command. This sends the same request without that, and marks the response sent as discord.py does,
    so followups, edits and ``is_done()`` behave alike. Without files, the request's JSON is written straight from
    the rendered parts (:func:`embed_payload`, and the view's components as :func:`keep_layout` kept them).

    A view must be :func:`~bot.views.detached` (presses reach the dynamic items registered at start, so discord.py
    need not keep it by the message's id); a live one is refused (send it with ``interaction.response``).
    """
    response = interaction.response
    if response.is_done():
        raise discord.InteractionResponded(interaction)
    if view is not None and not view.is_finished():
        # discord.py keeps a live view by the id of the message Discord sends back, which is not asked for here.
        raise ValueError("respond() takes detached views only; send a live view with interaction.response")
    state = interaction._state  # discord.py keeps the client's session defaults there
    http = state.http
    route = discord.http.Route(
        "POST",
        "/interactions/{webhook_id}/{webhook_token}/callback",
        webhook_id=interaction.id,
        webhook_token=interaction.token,
    )
    session = interaction._session  # the interaction's own session, as discord.py uses
    adapter = async_context.get()
    attached = [*files, image] if image is not None else list(files)
    if not attached:
        payload = response_payload(ephemeral=ephemeral, content=content, embeds=embeds, view=view)
        await adapter.request(route, session=session, proxy=http.proxy, proxy_auth=http.proxy_auth, payload=payload)
    else:
        params = interaction_message_response_params(
            type=discord.InteractionResponseType.channel_message.value,
            content=content if content is not None else discord.utils.MISSING,
            embeds=_embeds(embeds, image),
            files=attached,
            view=view if view is not None else discord.utils.MISSING,
            flags=discord.MessageFlags(ephemeral=True) if ephemeral else discord.utils.MISSING,
            allowed_mentions=NO_MENTIONS,
            previous_allowed_mentions=state.allowed_mentions,
        )
        with params:  # closes the files once sent
            await adapter.request(
                route,
                session=session,
                proxy=http.proxy,
                proxy_auth=http.proxy_auth,
                multipart=params.multipart,
                files=params.files,
            )
    response._response_type = discord.InteractionResponseType.channel_message  # answered, as discord.py records it


EPHEMERAL_FLAG = discord.MessageFlags(ephemeral=True).value
_NO_MENTIONS_JSON = NO_MENTIONS.to_dict()
_layouts: weakref.WeakKeyDictionary[discord.ui.View, list[dict[str, Any]]] = weakref.WeakKeyDictionary()


def response_payload(
    *, ephemeral: bool, content: str | None, embeds: Sequence[EmbedPart], view: discord.ui.View | None
) -> dict[str, Any]:
    """The JSON of a first response carrying a message without files: what discord.py's
    ``interaction_message_response_params`` makes of the same message (mentions: none), written directly."""
    data: dict[str, Any] = {
        "tts": False,
        "embeds": [embed_payload(e) for e in embeds],
        "allowed_mentions": _NO_MENTIONS_JSON,
    }
    if content:
        data["content"] = content
    if ephemeral:
        data["flags"] = EPHEMERAL_FLAG
    if view is not None:
        data["components"] = _layouts.get(view) or view.to_components()
    return {"type": discord.InteractionResponseType.channel_message.value, "data": data}


def keep_layout(view: discord.ui.View) -> discord.ui.View:
    """Remember ``view``'s components as Discord takes them, for a view that is sent again and again and never
    changes (a breakdown's buttons and menu, one view per shape): :func:`respond` sends what was kept."""
    _layouts[view] = view.to_components()
    return view


def embed_payload(part: EmbedPart) -> dict[str, Any]:
    """The embed as Discord's API takes it: what ``to_embed(part).to_dict()`` gives (the same keys and values),
    written directly. (An image inside an embed comes with its file, which only discord.py's multipart path sends.)"""
    embed: dict[str, Any] = {"type": "rich", "flags": 0, "color": part.color}
    if part.title:
        embed["title"] = part.title
    if part.description:
        embed["description"] = part.description
    if part.fields:
        embed["fields"] = [{"inline": f.inline, "name": f.name, "value": f.value} for f in part.fields]
    if part.footer:
        embed["footer"] = {"text": part.footer}
    return embed


def _embeds(parts: Sequence[EmbedPart], image: discord.File | None) -> list[discord.Embed]:
    embeds = [to_embed(e) for e in parts]
    if image is not None and embeds:
        embeds[0].set_image(url=f"attachment://{image.filename}")
    return embeds


def _placeholder_showing(interaction: discord.Interaction) -> bool:
    """A slash command was deferred and nothing replaced its placeholder yet."""
    deferred = interaction.response.type is discord.InteractionResponseType.deferred_channel_message
    return deferred and not interaction.extras.get(ANSWERED, False)
