"""Plain data fixtures for the fake Discord: users, guilds, channels, roles, permissions, snowflakes.

Everything here is synchronous and side-effect free; :class:`~tests.fake_discord.server.FakeDiscord`
turns these into the JSON shapes Discord (and therefore discord.py) expects.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]
"""A JSON object as exchanged with Discord (and discord.py)."""

DISCORD_EPOCH_MS = 1_420_070_400_000

_counter = itertools.count()
_last_snowflake = 0


def snowflake() -> int:
    """Return a new, strictly increasing Discord snowflake whose timestamp is *now*."""
    global _last_snowflake  # noqa: PLW0603 - a process-wide monotonic id source is the point
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    value = (ms << 22) | (1 << 17) | (next(_counter) & 0xFFF)
    if value <= _last_snowflake:
        value = _last_snowflake + 1
    _last_snowflake = value
    return value


def iso_now() -> str:
    """The current UTC time as an ISO 8601 timestamp, as Discord formats it."""
    return datetime.now(UTC).isoformat()


class Perm:
    """Discord permission bits (a subset) and useful combinations, as plain ints."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EXTERNAL_APPS = 1 << 50

    ALL = (1 << 51) - 1
    """What Discord reports for the guild owner and administrators."""

    DEFAULT_MEMBER = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
        | USE_EXTERNAL_APPS
    )
    """A typical ``@everyone`` permission set of a fresh server."""

    BOT_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | ADD_REACTIONS
    """``app_permissions`` the fake reports for the bot in guild channels."""


@dataclass(frozen=True)
class FakeUser:
    """A Discord user. ``FakeUser(1001, "alice")``."""

    id: int
    name: str
    global_name: str | None = None
    bot: bool = False
    avatar: str | None = None

    def to_dict(self) -> JSON:
        """The user object as Discord sends it."""
        data: JSON = {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": self.avatar,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(frozen=True)
class FakeRole:
    """A guild role. The ``@everyone`` role is created by :class:`FakeGuild` itself."""

    id: int
    name: str
    permissions: int = 0
    position: int = 1

    def to_dict(self) -> JSON:
        """The role object as Discord sends it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeChannel:
    """A guild channel (``type`` 0 = text, 2 = voice, 4 = category, 5 = announcement)."""

    id: int
    name: str = "general"
    type: int = 0
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None

    def to_dict(self, guild_id: int) -> JSON:
        """The channel object as Discord sends it in GUILD_CREATE."""
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(guild_id),
            "name": self.name,
            "position": self.position,
            "parent_id": str(self.parent_id) if self.parent_id is not None else None,
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "permission_overwrites": [],
            "flags": 0,
        }


@dataclass
class FakeGuild:
    """A server the bot is in.

    ``channels`` defaults to one text channel ``#general``; ``everyone_permissions`` is the
    ``@everyone`` role's permission bitfield (the role's id equals the guild id, as on Discord).
    """

    id: int
    name: str
    owner_id: int
    channels: list[FakeChannel] = field(default_factory=list)
    roles: list[FakeRole] = field(default_factory=list)
    everyone_permissions: int = Perm.DEFAULT_MEMBER
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    member_count: int = 2

    def __post_init__(self) -> None:
        if not self.channels:
            self.channels = [FakeChannel(id=snowflake(), name="general")]

    @property
    def default_channel(self) -> FakeChannel:
        """The first text channel (where interactions happen unless a test names another)."""
        for channel in self.channels:
            if channel.type in (0, 5):
                return channel
        raise ValueError(f"guild {self.id} has no text channel")

    def channel(self, channel_id: int) -> FakeChannel | None:
        """The channel with this id, if it belongs to the guild."""
        return next((c for c in self.channels if c.id == channel_id), None)

    def role(self, role_id: int) -> FakeRole | None:
        """The (non-``@everyone``) role with this id."""
        return next((r for r in self.roles if r.id == role_id), None)

    def everyone_role(self) -> FakeRole:
        """The ``@everyone`` role."""
        return FakeRole(id=self.id, name="@everyone", permissions=self.everyone_permissions, position=0)

    def member_permissions(self, user_id: int, role_ids: Iterable[int]) -> int:
        """Guild-level permissions Discord would compute for a member (owner and admins get all)."""
        if user_id == self.owner_id:
            return Perm.ALL
        perms = self.everyone_permissions
        for role_id in role_ids:
            role = self.role(role_id)
            if role is not None:
                perms |= role.permissions
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def to_dict(self, *, bot_user: FakeUser, unavailable: bool | None) -> JSON:
        """The full GUILD_CREATE payload, including the bot's own member object."""
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "features": list(self.features),
            "system_channel_id": str(self.default_channel.id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "widget_enabled": False,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "application_id": None,
            "joined_at": iso_now(),
            "large": False,
            "lazy": True,
            "member_count": self.member_count,
            "roles": [self.everyone_role().to_dict()] + [r.to_dict() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [c.to_dict(self.id) for c in self.channels],
            "threads": [],
            "members": [
                {
                    "user": bot_user.to_dict(),
                    "roles": [],
                    "joined_at": iso_now(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                    "pending": False,
                    "nick": None,
                    "avatar": None,
                    "banner": None,
                    "premium_since": None,
                    "communication_disabled_until": None,
                }
            ],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
            "incidents_data": None,
        }
        if unavailable is not None:
            data["unavailable"] = unavailable
        return data
