"""A fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests of the bot with the real discord.py.

Public API: :class:`FakeDiscord` (server, recording, gating, interaction builders), :class:`InteractionHandle`
(awaiting the bot's answers), the fixtures :class:`FakeUser`, :class:`FakeGuild`, :class:`FakeChannel`,
:class:`FakeRole`, :class:`Perm`, and :class:`BotProcess` (the bot as a subprocess). Pytest fixtures live in
:mod:`tests.fake_discord.fixtures`.
"""

from .builders import DEFAULT_GUILD, BuilderError
from .handles import FakeDiscordError, FakeTimeout, InteractionHandle, InteractionRefused
from .harness import BotProcess, BotProcessError
from .limits import FieldError, embed_total_chars, invalid_form_body
from .models import JSON, FakeChannel, FakeGuild, FakeRole, FakeUser, Perm, snowflake
from .records import (
    CallbackRecord,
    FilePart,
    GatewayConnection,
    MessageRecord,
    RecordedRequest,
    Violation,
    message_text,
)
from .server import CommandSync, FakeDiscord

__all__ = [
    "DEFAULT_GUILD",
    "JSON",
    "BotProcess",
    "BotProcessError",
    "BuilderError",
    "CallbackRecord",
    "CommandSync",
    "FakeChannel",
    "FakeDiscord",
    "FakeDiscordError",
    "FakeGuild",
    "FakeRole",
    "FakeTimeout",
    "FakeUser",
    "FieldError",
    "FilePart",
    "GatewayConnection",
    "InteractionHandle",
    "InteractionRefused",
    "MessageRecord",
    "Perm",
    "RecordedRequest",
    "Violation",
    "embed_total_chars",
    "invalid_form_body",
    "message_text",
    "snowflake",
]
