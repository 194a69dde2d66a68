"""``/config`` (a server's defaults, moderators only) and ``/defaults`` (a person's own defaults)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import InputError, NoticeError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.messages import answer_soon, notice, reply
from prompts.commands import COMMANDS, OPTIONS
from storage import PERSONAL_SETTINGS, SERVER_SETTINGS
from valuation import OfferError
from valuation.errors import Reason

if TYPE_CHECKING:
    from bot.app import FourthPillar

GUILD_ONLY = app_commands.AppCommandContext(guild=True)
GUILD_INSTALL = app_commands.AppInstallationType(guild=True)
MANAGE_SERVER = discord.Permissions(manage_guild=True)


def _choices(names: tuple[str, ...]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in names]


def _setting(value: object, allowed: tuple[str, ...]) -> str:
    """The setting a payload names, checked here: Discord offers only the choices, but a hand-made request can
    send any text, or a number, where a setting's name belongs."""
    if isinstance(value, str) and value in allowed:
        return value
    shown = value if isinstance(value, str) else repr(value)
    raise InputError(OfferError.single("setting", shown, Reason.NOT_ONE_OF, f'"{allowed[0]}"', ", ".join(allowed)))


def _value(value: object) -> str:
    if isinstance(value, str):
        return value
    raise InputError(OfferError.single("value", repr(value), Reason.WRONG_TYPE, '"30%"'))


class ConfigGroup(app_commands.Group):
    """Discord hides these from members without Manage Server by default, but server admins can change that
    default and a forged payload carries any member: each subcommand checks the permission itself."""

    def __init__(self, bot: FourthPillar) -> None:
        super().__init__(
            name="config",
            description=COMMANDS["config"],
            allowed_contexts=GUILD_ONLY,
            allowed_installs=GUILD_INSTALL,
            default_permissions=MANAGE_SERVER,
        )
        self.bot = bot

    @app_commands.command(name="show", description=COMMANDS["config show"])
    @app_commands.checks.has_permissions(manage_guild=True)
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = _guild(interaction)
        settings = await self.bot.database.server_settings.get(guild_id)
        audit = await self.bot.database.server_settings.audit(guild_id, limit=5)
        parts = self.bot.renderer.page(
            "settings/server",
            locale=locale_of(interaction),
            settings=[asdict(s) for s in settings],
            audit=[{**asdict(e), "changed_at": e.changed_at.strftime("%Y-%m-%d %H:%M UTC")} for e in audit],
        )
        await reply(interaction, parts, ephemeral=True)

    @app_commands.command(name="set", description=COMMANDS["config set"])
    @app_commands.describe(**OPTIONS["config set"])
    @app_commands.choices(setting=_choices(SERVER_SETTINGS))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def set_(self, interaction: discord.Interaction, setting: str, value: app_commands.Range[str, 1, 40]) -> None:
        name, text, guild_id = _setting(setting, SERVER_SETTINGS), _value(value), self._installed_guild(interaction)
        try:
            saved = await answer_soon(
                interaction,
                self.bot.database.server_settings.set(guild_id, interaction.user.id, name, text),
                ephemeral=True,
            )
        except OfferError as exc:
            raise InputError(exc) from None
        await notice(interaction, self.bot.renderer.text("ui/setting_saved", name=saved.name, value=saved.value))

    @app_commands.command(name="reset", description=COMMANDS["config reset"])
    @app_commands.describe(**OPTIONS["config reset"])
    @app_commands.choices(setting=_choices(SERVER_SETTINGS))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reset(self, interaction: discord.Interaction, setting: str | None = None) -> None:
        name = None if setting is None else _setting(setting, SERVER_SETTINGS)
        guild_id = self._installed_guild(interaction)
        names = await answer_soon(
            interaction, self.bot.database.server_settings.reset(guild_id, interaction.user.id, name), ephemeral=True
        )
        await notice(interaction, self.bot.renderer.text("ui/setting_reset", names=names))

    def _installed_guild(self, interaction: discord.Interaction) -> int:
        """The server whose settings a moderator changes: only one that installed the bot (a user install used in
        another server must not create settings for it)."""
        guild_id = _guild(interaction)
        if not interaction.is_guild_integration() or self.bot.get_guild(guild_id) is None:
            raise NoticeError("config_needs_install")
        return guild_id


class DefaultsGroup(app_commands.Group):
    """A person's own defaults: anywhere, always private, only ever their own."""

    def __init__(self, bot: FourthPillar) -> None:
        super().__init__(
            name="defaults", description=COMMANDS["defaults"], allowed_contexts=EVERYWHERE, allowed_installs=ANY_INSTALL
        )
        self.bot = bot

    @app_commands.command(name="show", description=COMMANDS["defaults show"])
    async def show(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.database.personal_defaults.get(interaction.user.id)
        parts = self.bot.renderer.page(
            "settings/personal", locale=locale_of(interaction), settings=[asdict(s) for s in settings]
        )
        await reply(interaction, parts, ephemeral=True)

    @app_commands.command(name="set", description=COMMANDS["defaults set"])
    @app_commands.describe(**OPTIONS["defaults set"])
    @app_commands.choices(setting=_choices(PERSONAL_SETTINGS))
    async def set_(self, interaction: discord.Interaction, setting: str, value: app_commands.Range[str, 1, 40]) -> None:
        name, text = _setting(setting, PERSONAL_SETTINGS), _value(value)
        try:
            saved = await answer_soon(
                interaction, self.bot.database.personal_defaults.set(interaction.user.id, name, text), ephemeral=True
            )
        except OfferError as exc:
            raise InputError(exc) from None
        await notice(interaction, self.bot.renderer.text("ui/setting_saved", name=saved.name, value=saved.value))

    @app_commands.command(name="reset", description=COMMANDS["defaults reset"])
    @app_commands.describe(**OPTIONS["defaults reset"])
    @app_commands.choices(setting=_choices(PERSONAL_SETTINGS))
    async def reset(self, interaction: discord.Interaction, setting: str | None = None) -> None:
        name = None if setting is None else _setting(setting, PERSONAL_SETTINGS)
        defaults = self.bot.database.personal_defaults

        async def work() -> dict[str, str]:
            before = await defaults.stored(interaction.user.id)
            await defaults.reset(interaction.user.id, name)
            return before

        before = await answer_soon(interaction, work(), ephemeral=True)
        names = sorted(before) if name is None else [name] if name in before else []
        await notice(interaction, self.bot.renderer.text("ui/setting_reset", names=names))


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:  # contexts keep /config in servers; a forged DM payload lands here
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(ConfigGroup(bot))
    bot.tree.add_command(DefaultsGroup(bot))
