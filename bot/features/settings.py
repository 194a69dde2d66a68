"""``/config`` (a server's defaults, moderators only) and ``/defaults`` (a person's own defaults)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import InputError
from bot.features.common import ANY_INSTALL, EVERYWHERE, locale_of
from bot.messages import notice, reply
from prompts.commands import COMMANDS, OPTIONS
from storage import PERSONAL_SETTINGS, SERVER_SETTINGS
from valuation import OfferError

if TYPE_CHECKING:
    from bot.app import FourthPillar

GUILD_ONLY = app_commands.AppCommandContext(guild=True)
GUILD_INSTALL = app_commands.AppInstallationType(guild=True)
MANAGE_SERVER = discord.Permissions(manage_guild=True)


def _choices(names: tuple[str, ...]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in names]


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
        try:
            saved = await self.bot.database.server_settings.set(
                _guild(interaction), interaction.user.id, setting, value
            )
        except OfferError as exc:
            raise InputError(exc) from None
        await notice(interaction, self.bot.renderer.text("ui/setting_saved", name=saved.name, value=saved.value))

    @app_commands.command(name="reset", description=COMMANDS["config reset"])
    @app_commands.describe(**OPTIONS["config reset"])
    @app_commands.choices(setting=_choices(SERVER_SETTINGS))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reset(self, interaction: discord.Interaction, setting: str | None = None) -> None:
        names = await self.bot.database.server_settings.reset(_guild(interaction), interaction.user.id, setting)
        await notice(interaction, self.bot.renderer.text("ui/setting_reset", names=names))


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
        try:
            saved = await self.bot.database.personal_defaults.set(interaction.user.id, setting, value)
        except OfferError as exc:
            raise InputError(exc) from None
        await notice(interaction, self.bot.renderer.text("ui/setting_saved", name=saved.name, value=saved.value))

    @app_commands.command(name="reset", description=COMMANDS["defaults reset"])
    @app_commands.describe(**OPTIONS["defaults reset"])
    @app_commands.choices(setting=_choices(PERSONAL_SETTINGS))
    async def reset(self, interaction: discord.Interaction, setting: str | None = None) -> None:
        before = await self.bot.database.personal_defaults.stored(interaction.user.id)
        await self.bot.database.personal_defaults.reset(interaction.user.id, setting)
        names = sorted(before) if setting is None else [setting] if setting in before else []
        await notice(interaction, self.bot.renderer.text("ui/setting_reset", names=names))


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:  # contexts keep /config in servers; a forged DM payload lands here
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


async def setup(bot: FourthPillar) -> None:
    bot.tree.add_command(ConfigGroup(bot))
    bot.tree.add_command(DefaultsGroup(bot))
