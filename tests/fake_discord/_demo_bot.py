"""A tiny discord.py bot for the fake Discord self-test (run as a subprocess, like the real bot).

Configured only by environment: DISCORD_TOKEN, DISCORD_API_BASE, DISCORD_GATEWAY_URL, DEV_GUILD_ID, LOG_LEVEL.
Syncs its commands in ``setup_hook`` and exits 0 on SIGTERM.

Commands:
- ``/ping`` (guild command of DEV_GUILD_ID): ephemeral "pong" with a button that edits the message.
- ``/echo text`` (global, guilds + bot DMs): defers, then edits @original.
- ``/settings`` (global, guild only, ``default_member_permissions`` Manage Server, checked again by the bot).
- ``/toolong``: tries an embed with a 5000-character description, then reports the HTTP error.
- ``/city name`` (autocomplete), ``/offer evaluate base bonus remote level`` (subcommand, typed options),
  ``/filesize file`` (attachment in, file out), ``/feedback`` (modal), ``/notify`` (DM + channel message).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import signal
import sys

import discord
import yarl
from discord import app_commands

log = logging.getLogger("demo_bot")
CITIES = ["Berlin", "Bern", "Bergen", "Boston", "Bordeaux", "Paris", "Porto"]


class AgainView(discord.ui.View):
    """One button; clicking it edits the message it is on."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Again", custom_id="demo:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[AgainView]) -> None:
        await interaction.response.edit_message(content=f"clicked by {interaction.user.name}", view=None)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Your feedback", custom_id="demo:feedback:text", max_length=200
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class OfferGroup(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="offer", description="Offers")

    @app_commands.command(name="evaluate", description="Evaluate an offer")
    @app_commands.choices(
        level=[app_commands.Choice(name="Junior", value="junior"), app_commands.Choice(name="Senior", value="senior")]
    )
    async def evaluate(
        self,
        interaction: discord.Interaction,
        base: int,
        bonus: float,
        remote: bool = False,
        level: str = "junior",
    ) -> None:
        kinds = f"{type(base).__name__},{type(bonus).__name__},{type(remote).__name__}"
        await interaction.response.send_message(
            f"base={base} bonus={bonus} remote={remote} level={level} types={kinds}", ephemeral=True
        )


class DemoBot(discord.Client):
    def __init__(self, dev_guild_id: int) -> None:
        super().__init__(intents=discord.Intents.default())
        self.dev_guild = discord.Object(dev_guild_id)
        self.tree = app_commands.CommandTree(self)
        self._register()

    def _register(self) -> None:
        tree = self.tree

        @tree.command(name="ping", description="Ephemeral pong with a button", guild=self.dev_guild)
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong", ephemeral=True, view=AgainView())

        @tree.command(name="echo", description="Deferred echo")
        @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
        @app_commands.allowed_installs(guilds=True, users=False)
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            where = "dm" if interaction.guild_id is None else "guild"
            await interaction.edit_original_response(content=f"echo: {text} ({where})")

        @tree.command(name="settings", description="Moderators only")
        @app_commands.guild_only()
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.checks.has_permissions(manage_guild=True)
        async def settings(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("settings ok", ephemeral=True)

        @settings.error
        async def settings_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
            await interaction.response.send_message(f"refused: {type(error).__name__}", ephemeral=True)

        @tree.command(name="toolong", description="Sends an oversize embed")
        async def toolong(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="too long", description="x" * 5000)
            try:
                await interaction.response.send_message(embed=embed)
            except discord.HTTPException as exc:
                await interaction.response.send_message(f"discord said {exc.status} {exc.code}", ephemeral=True)

        @tree.command(name="city", description="Pick a city")
        async def city(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"city: {name}")

        @city.autocomplete("name")
        async def city_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            matches = [c for c in CITIES if c.lower().startswith(current.lower())]
            return [app_commands.Choice(name=c, value=c) for c in matches[:25]]

        @tree.command(name="filesize", description="Measures an attachment")
        async def filesize(interaction: discord.Interaction, file: discord.Attachment) -> None:
            await interaction.response.defer(ephemeral=True)
            data = await file.read()
            digest = hashlib.sha256(data).hexdigest()[:12]
            await interaction.followup.send(
                f"{file.filename}: {len(data)} bytes sha={digest}",
                file=discord.File(io.BytesIO(data[::-1]), filename="reversed.bin"),
                ephemeral=True,
            )

        @tree.command(name="feedback", description="Opens a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(FeedbackModal())

        @tree.command(name="notify", description="DMs you and posts a channel message")
        @app_commands.guild_only()
        async def notify(interaction: discord.Interaction) -> None:
            await interaction.user.send("hello in private")
            if isinstance(interaction.channel, discord.TextChannel):
                await interaction.channel.send(f"{interaction.user.name} asked for a note")
            await interaction.response.send_message("sent", ephemeral=True)

        tree.add_command(OfferGroup())

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.dev_guild)
        await self.tree.sync()
        log.info("commands synced")

    async def on_ready(self) -> None:
        log.info("demo bot ready as %s", self.user)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        log.info("removed from guild %s", guild.id)


async def main() -> int:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    bot = DemoBot(int(os.environ["DEV_GUILD_ID"]))
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []
    loop.add_signal_handler(signal.SIGTERM, lambda: closing.append(loop.create_task(bot.close())))
    async with bot:
        await bot.start(os.environ["DISCORD_TOKEN"])
    for task in closing:
        await task
    log.info("demo bot stopped")
    return 0


if __name__ == "__main__":
    discord.utils.setup_logging(level=getattr(logging, os.environ.get("LOG_LEVEL", "INFO").upper(), logging.INFO))
    sys.exit(asyncio.run(main()))
