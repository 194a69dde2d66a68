"""Saved offers (``/offer save | list | delete | compare``) and ``/privacy`` (what is stored, export, forget me).

Every call is keyed by the person who acts: nobody can reach another person's offers through any command or
button. Offers are stored as the plain data they were built from, encrypted by storage.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.breakdown import preferences_for
from bot.charts import COMPARE_CHART_NAME, chart_or_note
from bot.cooldown import per_user_cooldown
from bot.cpu import SMALL_INPUT_BYTES, run_cpu
from bot.errors import InputError, NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.features.offer import offer_cooldown, read_offer_file
from bot.messages import (
    NO_MENTIONS,
    answer_soon,
    answers_privately,
    message_kwargs,
    notice,
    reply,
    text_file,
)
from bot.offer_input import json_ready
from charts import CompareChart, compare_chart
from prompts import MessagePart
from prompts.commands import COMMANDS, OPTIONS
from storage import ForgottenMeanwhile
from storage.crypto import DataKeyError
from valuation import Layer, OfferError, build_offer, compare_offers

if TYPE_CHECKING:
    from bot.app import FourthPillar

Name = app_commands.Range[str, 1, 60]


def _day(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%d"))


async def _own_names(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete from the person's own saved names only."""
    bot: FourthPillar = interaction.client  # type: ignore[assignment]
    try:
        saved = await bot.database.saved_offers.list(interaction.user.id)
    except DataKeyError:
        return []
    typed = current.casefold()
    return [app_commands.Choice(name=s.name, value=s.name) for s in saved if typed in s.name.casefold()][:25]


def build_saved_commands(bot: FourthPillar) -> list[app_commands.Command[Any, ..., Any]]:
    @app_commands.command(name="save", description=COMMANDS["offer save"])
    @app_commands.describe(**OPTIONS["offer save"])
    @per_user_cooldown(offer_cooldown)
    async def save(interaction: discord.Interaction, name: Name, offer_file: discord.Attachment | None = None) -> None:
        begun = bot.database.forget_count(interaction.user.id)  # a Forget me from here on wins over this save
        await interaction.response.defer(ephemeral=answers_privately(interaction), thinking=True)
        if offer_file is not None:
            data: dict[str, Any] | None = await _file_offer(bot, interaction, offer_file)
        else:
            data = bot.recent_offers.last(interaction.user.id)
        if data is None:
            raise NoticeError("nothing_to_save", minutes=int(bot.recent_offers.ttl // 60))
        try:
            # Stored as JSON (TOML dates become ISO text, which builds the same offer); only valid offers are kept.
            # Work that grows with the offer runs in a thread, never on the event loop.
            data = await asyncio.to_thread(_checked, data, bot)
            saved = await bot.database.saved_offers.save(
                interaction.user.id, name, data, bot.registry.version, begun=begun
            )
        except OfferError as exc:
            raise InputError(exc) from None
        except ForgottenMeanwhile:
            raise NoticeError("forgotten_while_saving") from None
        await notice(interaction, bot.renderer.text("ui/offer_saved", name=saved.name, expires=_day(saved.expires_at)))

    @app_commands.command(name="list", description=COMMANDS["offer list"])
    async def list_(interaction: discord.Interaction) -> None:
        saved = await _guarded(bot.database.saved_offers.list(interaction.user.id))
        offers = [{"name": s.name, "created_at": _day(s.created_at), "expires_at": _day(s.expires_at)} for s in saved]
        parts = bot.renderer.page("offers/list", locale=locale_of(interaction), offers=offers)
        await reply(interaction, parts, ephemeral=answers_privately(interaction))

    @app_commands.command(name="delete", description=COMMANDS["offer delete"])
    @app_commands.describe(**OPTIONS["offer delete"])
    @app_commands.autocomplete(name=_own_names)
    async def delete(interaction: discord.Interaction, name: Name) -> None:
        async def work() -> bool:
            deleted = await bot.database.saved_offers.delete(interaction.user.id, name)
            if not deleted:
                await _explain_missing(bot, interaction.user.id)
            return deleted

        deleted = await answer_soon(interaction, work(), ephemeral=True)
        template = "ui/offer_deleted" if deleted else "ui/offer_not_found"
        await notice(interaction, bot.renderer.text(template, name=name))

    @app_commands.command(name="compare", description=COMMANDS["offer compare"])
    @app_commands.describe(**OPTIONS["offer compare"])
    @app_commands.autocomplete(first=_own_names, second=_own_names, third=_own_names)
    @per_user_cooldown(offer_cooldown)
    async def compare_(
        interaction: discord.Interaction,
        first: Name,
        second: Name | None = None,
        third: Name | None = None,
        offer_file: discord.Attachment | None = None,
        months: app_commands.Range[int, 1, 120] | None = None,
    ) -> None:
        names = [n for n in (first, second, third) if n]

        async def work() -> Any:
            offers = []
            found = await _guarded(bot.database.saved_offers.get_many(interaction.user.id, names))
            for name, saved in zip(names, found, strict=True):
                if saved is None:
                    await _explain_missing(bot, interaction.user.id)
                    raise NoticeError("offer_not_found", name=name)
                offers.append((saved.name, saved.data))
            # Saved offers of a few grants each compare in about a millisecond: on the event loop. An offer file, or
            # a large saved offer, goes to a thread.
            small = offer_file is None and all(saved is not None and is_small_size(saved.size) for saved in found)
            if offer_file is not None:
                # An unsaved offer takes the place of a saved one; compare() says so if there are too few or too many.
                offers.append((offer_file.filename, await _file_offer(bot, interaction, offer_file)))
            locale = locale_of(interaction)
            preferences = await preferences_for(bot, interaction, private=answers_privately(interaction))
            parts, chart = await run_cpu(
                small, _compare_parts, bot, offers, preferences.layers, locale, months, charts=preferences.charts
            )
            return await chart_or_note(
                bot.chart_pool,
                bot.renderer,
                chart,
                parts,
                name=COMPARE_CHART_NAME,
                locale=locale,
                interaction=interaction,
                ephemeral=answers_privately(interaction),
            )

        parts, image = await answer_soon(interaction, work(), ephemeral=answers_privately(interaction))
        await reply(interaction, parts, ephemeral=answers_privately(interaction), image=image)

    return [save, list_, delete, compare_]


def is_small_size(size: int) -> bool:
    """Whether a saved offer (its JSON's size in bytes) is small enough to value on the event loop."""
    return 0 < size <= SMALL_INPUT_BYTES


def _checked(data: dict[str, Any], bot: FourthPillar) -> dict[str, Any]:
    ready: dict[str, Any] = json_ready(data)
    build_offer(ready, bot.registry)
    return ready


def _compare_parts(
    bot: FourthPillar,
    offers: Sequence[tuple[str, dict[str, Any]]],
    layers: Sequence[Layer],
    locale: str,
    months: int | None = None,
    *,
    charts: bool = False,
) -> tuple[list[MessagePart], CompareChart | None]:
    """Offers labelled by saved name or file name, compared over the same months (see compare_offers); with
    ``charts``, what the comparison chart shows (drawn elsewhere)."""
    named = []
    for name, data in offers:
        try:
            named.append((name, build_offer(data, bot.registry)))
        except OfferError as exc:
            raise InputError(exc.within(name)) from None
    try:
        comparison = compare_offers(named, bot.registry, layers, months=months)
    except OfferError as exc:
        raise InputError(exc) from None
    chart = compare_chart(comparison, locale=locale, renderer=bot.renderer) if charts else None
    return bot.renderer.compare_discord(comparison, locale=locale), chart


async def _file_offer(
    bot: FourthPillar, interaction: discord.Interaction, attachment: discord.Attachment
) -> dict[str, Any]:
    """An offer file's data, taking the person's (or server's) default currency if it names none, as evaluate does."""
    data = await read_offer_file(attachment)
    currency = await bot.assumption_layers.default_currency(user_id=interaction.user.id, guild_id=interaction.guild_id)
    if currency is not None:
        data.setdefault("currency", currency)
    return data


async def _explain_missing(bot: FourthPillar, user_id: int) -> None:
    """Names are looked up by a hash keyed with the data key: after a key change every name misses. Listing
    tells that apart from a plain typo (it raises the data-key notice)."""
    await _guarded(bot.database.saved_offers.list(user_id))


async def _guarded(awaitable: Any) -> Any:
    try:
        return await awaitable
    except DataKeyError:
        raise NoticeError("data_key_changed") from None


class OwnerOnlyView(discord.ui.View):
    """Buttons only the person who ran the command may press; errors are answered like a command's."""

    def __init__(self, bot: FourthPillar, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.bot = bot
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            self.bot.track(interaction)
            return True
        await notice(interaction, self.bot.renderer.text("ui/not_yours", locale=interaction.locale.value))
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await self.bot.tree.on_error(interaction, error)  # type: ignore[arg-type]


class PrivacyView(OwnerOnlyView):
    """Export and Forget me, for the person who asked only."""

    def __init__(self, bot: FourthPillar, owner_id: int, locale: str) -> None:
        super().__init__(bot, owner_id, timeout=600)
        self.export_button.label = bot.renderer.text("ui/export_label", locale=locale)
        self.forget_button.label = bot.renderer.text("ui/forget_label", locale=locale)

    @discord.ui.button(label="Export", style=discord.ButtonStyle.secondary, custom_id="privacy:export")
    async def export_button(self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]) -> None:
        data = await _guarded(self.bot.database.privacy.export(interaction.user.id))
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        await interaction.response.send_message(
            self.bot.renderer.text("ui/export_ready", locale=interaction.locale.value),
            file=text_file("fourth-pillar-data.json", text),
            ephemeral=answers_privately(interaction),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @discord.ui.button(label="Forget me", style=discord.ButtonStyle.danger, custom_id="privacy:forget")
    async def forget_button(self, interaction: discord.Interaction, button: discord.ui.Button[PrivacyView]) -> None:
        locale = interaction.locale.value
        confirm = ConfirmForgetView(self.bot, self.owner_id, locale)
        await interaction.response.send_message(
            self.bot.renderer.text("ui/forget_confirm", locale=locale),
            view=confirm,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


class ConfirmForgetView(OwnerOnlyView):
    """Forget me asks once more: Confirm deletes, Cancel leaves everything as it was."""

    def __init__(self, bot: FourthPillar, owner_id: int, locale: str) -> None:
        super().__init__(bot, owner_id, timeout=120)
        self.confirm_button.label = bot.renderer.text("ui/confirm_label", locale=locale)
        self.cancel_button.label = bot.renderer.text("ui/cancel_label", locale=locale)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger, custom_id="forget:confirm")
    async def confirm_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmForgetView]
    ) -> None:
        # Acknowledged before the database is touched: a busy database may hold the delete past Discord's deadline.
        await interaction.response.defer()
        self.bot.recent_offers.forget(interaction.user.id)
        await self.bot.database.privacy.forget(interaction.user.id)
        text = self.bot.renderer.text("ui/forgotten", locale=interaction.locale.value)
        await interaction.edit_original_response(content=text, view=None, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="forget:cancel")
    async def cancel_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmForgetView]
    ) -> None:
        text = self.bot.renderer.text("ui/forget_cancelled", locale=interaction.locale.value)
        await interaction.response.edit_message(
            content=text, view=None, allowed_mentions=discord.AllowedMentions.none()
        )


def build_privacy_command(bot: FourthPillar) -> app_commands.Command[Any, ..., Any]:
    @app_commands.command(name="privacy", description=COMMANDS["privacy"])
    @app_commands.describe(**OPTIONS["privacy"])
    async def privacy(
        interaction: discord.Interaction, retention_days: app_commands.Range[int, 1, 365] | None = None
    ) -> None:
        locale = locale_of(interaction)
        if retention_days is not None:
            try:
                await answer_soon(
                    interaction,
                    bot.database.saved_offers.set_retention_days(interaction.user.id, retention_days),
                    ephemeral=True,
                )
            except OfferError as exc:
                raise InputError(exc) from None
            await notice(interaction, bot.renderer.text("ui/retention_saved", locale=locale, days=retention_days))
            return
        stored = await bot.database.privacy.summary(interaction.user.id)
        parts = bot.renderer.page("privacy", locale=locale, stored=asdict(stored))
        first = parts[0]
        await interaction.response.send_message(
            ephemeral=True, view=PrivacyView(bot, interaction.user.id, locale), **message_kwargs(first)
        )

    privacy.allowed_contexts = EVERYWHERE
    privacy.allowed_installs = ANY_INSTALL
    return privacy


async def setup(bot: FourthPillar) -> None:
    group = bot.tree.get_command("offer")
    assert isinstance(group, app_commands.Group)
    for command in build_saved_commands(bot):
        group.add_command(command)
    bot.tree.add_command(build_privacy_command(bot))
