"""Builders for realistic INTERACTION_CREATE payloads (mixed into :class:`~tests.fake_discord.FakeDiscord`).

Payloads carry every field discord.py 2.7 reads (``id``, ``application_id``, ``type``, ``token``, ``version``,
``attachment_size_limit``, ``app_permissions``, ``entitlements``, ``authorizing_integration_owners``,
``context``, ``channel``, ``guild_id`` + ``member`` in guilds or ``user`` in DMs, ``locale``, ``guild_locale``).

By default builders behave like the Discord client: options are typed from the *synced* command
definition, required options must be present, choices/min/max are enforced, only visible, enabled components
can be clicked. ``forge=True`` skips those checks and sends what the test wrote (a forged payload).
"""

from __future__ import annotations

import copy
import math
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from .limits import SELECT_TYPES, walk_components
from .models import JSON, FakeChannel, FakeGuild, FakeRole, FakeUser, Perm, iso_now, snowflake

if TYPE_CHECKING:
    from .handles import InteractionHandle
    from .records import MessageRecord

DEFAULT_GUILD: Final = -1
"""``guild_id`` default of the builders: the first guild given to :class:`FakeDiscord`. ``None`` means a DM."""

OPTION_TYPE_NAMES = {
    1: "SUB_COMMAND",
    2: "SUB_COMMAND_GROUP",
    3: "STRING",
    4: "INTEGER",
    5: "BOOLEAN",
    6: "USER",
    7: "CHANNEL",
    8: "ROLE",
    9: "MENTIONABLE",
    10: "NUMBER",
    11: "ATTACHMENT",
}

#: Which option type resolves the values of each auto-populated select menu.
_SELECT_VALUE_TYPES = {5: 6, 6: 8, 7: 9, 8: 7}


class BuilderError(ValueError):
    """The Discord client would not let a user produce this interaction (use ``forge=True`` to force it)."""


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, FakeUser):
        return 6
    if isinstance(value, FakeRole):
        return 8
    if isinstance(value, FakeChannel):
        return 7
    if isinstance(value, dict) and "filename" in value:
        return 11
    return 3


class InteractionBuilders:
    """Mixin providing :meth:`slash`, :meth:`autocomplete`, :meth:`click`, :meth:`select`,
    :meth:`submit_modal` and the low-level :meth:`interaction_payload`."""

    application_id: int
    default_user: FakeUser
    guilds: dict[int, FakeGuild]
    users: dict[int, FakeUser]
    attachment_size_limit: int

    # Provided by FakeDiscord.
    def _lookup_command(self, name: str, guild_id: int | None, type: int) -> JSON | None:
        raise NotImplementedError

    def _remember_user(self, user: FakeUser) -> None:
        raise NotImplementedError

    def _dm_channel_for(self, user: FakeUser) -> int:
        raise NotImplementedError

    def _dm_recipient(self, channel_id: int) -> FakeUser | None:
        raise NotImplementedError

    def _stored_attachment(self, attachment_id: int) -> JSON | None:
        raise NotImplementedError

    def message_record(self, message_id: int) -> MessageRecord | None:
        raise NotImplementedError

    def interaction(self, interaction_id: int) -> InteractionHandle | None:
        raise NotImplementedError

    # ------------------------------------------------------------------ public builders

    def slash(
        self,
        name: str,
        *,
        subcommand: str | None = None,
        group: str | None = None,
        options: Mapping[str, Any] | None = None,
        user: FakeUser | None = None,
        guild_id: int | None = DEFAULT_GUILD,
        channel_id: int | None = None,
        permissions: int | None = None,
        roles: Sequence[int] = (),
        locale: str = "en-US",
        context: int | None = None,
        forge: bool = False,
    ) -> JSON:
        """A slash command (interaction type 2) as Discord would send it.

        ``subcommand`` may be ``"evaluate"`` or ``"group evaluate"`` (or pass ``group=``). ``options`` maps
        option names to Python values; they are typed from the synced definition (``"180000"`` for an INTEGER
        option becomes ``180000``; a :class:`FakeUser`, :class:`FakeRole`, :class:`FakeChannel` or an
        attachment dict from :meth:`FakeDiscord.add_attachment` fills ``resolved``). ``guild_id=None`` is a DM
        with the bot (``context`` 1). ``permissions`` is the member's permission bitfield (default: computed
        from the guild's ``@everyone`` and ``roles``; the owner gets all).
        """
        gid = self._resolve_guild(guild_id)
        data = self._command_data(name, gid, subcommand, group, options or {}, focused=None, strict=not forge)
        return self.interaction_payload(
            type=2,
            data=data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            permissions=permissions,
            roles=roles,
            locale=locale,
            context=context,
        )

    def autocomplete(
        self,
        name: str,
        *,
        focused: str,
        subcommand: str | None = None,
        group: str | None = None,
        options: Mapping[str, Any] | None = None,
        user: FakeUser | None = None,
        guild_id: int | None = DEFAULT_GUILD,
        channel_id: int | None = None,
        permissions: int | None = None,
        roles: Sequence[int] = (),
        locale: str = "en-US",
        context: int | None = None,
        forge: bool = False,
    ) -> JSON:
        """An autocomplete request (interaction type 4): ``options[focused]`` is what the user has typed so far
        (sent as a string, ``focused: true``); other options are typed like in :meth:`slash`."""
        gid = self._resolve_guild(guild_id)
        data = self._command_data(name, gid, subcommand, group, options or {}, focused=focused, strict=not forge)
        return self.interaction_payload(
            type=4,
            data=data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            permissions=permissions,
            roles=roles,
            locale=locale,
            context=context,
        )

    def click(
        self,
        message: JSON | int,
        custom_id: str,
        *,
        values: Sequence[Any] | None = None,
        user: FakeUser | None = None,
        permissions: int | None = None,
        roles: Sequence[int] = (),
        locale: str = "en-US",
        forge: bool = False,
    ) -> JSON:
        """A component interaction (type 3) on a message the bot sent: a button, or a select with ``values``.

        The message's current state is included as Discord does. The clicking user defaults to the user of
        the interaction that produced the message (or the DM recipient, or ``default_user``). Unless
        ``forge``: the component must exist and be enabled, select values must be valid options within
        min/max_values, and only the invoking user may click an ephemeral message.
        """
        strict = not forge
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        rec = self.message_record(mid)
        if rec is None:
            if strict or not isinstance(message, dict):
                raise BuilderError(f"message {mid} was not sent by the bot")
            msg = copy.deepcopy(message)
            channel_id = int(msg["channel_id"])
            gid = next((g.id for g in self.guilds.values() if g.channel(channel_id)), None)
            origin = None
        else:
            if rec.deleted and strict:
                raise BuilderError(f"message {mid} was deleted")
            msg = copy.deepcopy(rec.message)
            channel_id, gid = rec.channel_id, rec.guild_id
            origin = self.interaction(rec.interaction_id) if rec.interaction_id is not None else None

        comp = next((c for c in walk_components(msg.get("components")) if c.get("custom_id") == custom_id), None)
        if comp is None and strict:
            ids = [c["custom_id"] for c in walk_components(msg.get("components")) if c.get("custom_id")]
            raise BuilderError(f"message {mid} has no component {custom_id!r}; it has {ids}")
        if comp is not None and comp.get("disabled") and strict:
            raise BuilderError(f"component {custom_id!r} is disabled")
        ctype = int(comp["type"]) if comp is not None else (3 if values is not None else 2)
        data: JSON = {"custom_id": custom_id, "component_type": ctype}
        if ctype in SELECT_TYPES:
            data.update(self._select_values(comp or {}, ctype, list(values or []), gid, strict))
        elif values is not None and strict:
            raise BuilderError("buttons take no values")

        origin_user = self._user_of(origin) if origin is not None else None
        if user is None:
            user = origin_user or (self._dm_recipient(channel_id) if gid is None else None) or self.default_user
        if strict and rec is not None and rec.ephemeral and origin_user is not None and user.id != origin_user.id:
            raise BuilderError(f"only {origin_user.name} can see (and click) ephemeral message {mid}")
        recipient = self._dm_recipient(channel_id) if gid is None else None
        if strict and recipient is not None and recipient.id != user.id:
            raise BuilderError(f"message {mid} is in {recipient.name}'s DM")
        return self.interaction_payload(
            type=3,
            data=data,
            user=user,
            guild_id=gid,
            channel_id=channel_id,
            permissions=permissions,
            roles=roles,
            locale=locale,
            message=msg,
        )

    def select(self, message: JSON | int, custom_id: str, values: Sequence[Any], **kwargs: Any) -> JSON:
        """A select-menu choice: :meth:`click` with ``values``."""
        return self.click(message, custom_id, values=values, **kwargs)

    def submit_modal(
        self,
        source: InteractionHandle,
        values: Mapping[str, str | Sequence[str]],
        *,
        user: FakeUser | None = None,
        forge: bool = False,
    ) -> JSON:
        """A modal submit (type 5) for the modal the bot answered ``source`` with (callback type 9).

        ``values`` maps text-input (or select) custom_ids to what the user entered; the submitted
        components mirror the modal's layout (action rows or Labels). Unless ``forge``: required inputs must
        be filled, lengths must fit min/max_length, and unknown custom_ids are refused.
        """
        strict = not forge
        cb = source.callback
        if cb is None or cb.type != 9:
            raise BuilderError(f"interaction {source.id} was not answered with a modal")
        modal = cb.data or {}
        remaining: dict[str, str | Sequence[str]] = dict(values)
        components: list[JSON] = []
        for comp in modal.get("components") or []:
            ctype = comp.get("type")
            if ctype == 1:
                inner = [self._modal_value(c, remaining, strict) for c in comp.get("components") or []]
                components.append({"type": 1, "components": inner})
            elif ctype == 18 and isinstance(comp.get("component"), dict):
                label: JSON = {"type": 18, "component": self._modal_value(comp["component"], remaining, strict)}
                if comp.get("id") is not None:
                    label["id"] = comp["id"]
                components.append(label)
        if remaining and strict:
            raise BuilderError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(remaining)}")
        member = source.payload.get("member") or {}
        return self.interaction_payload(
            type=5,
            data={"custom_id": modal.get("custom_id"), "components": components},
            user=user or self._user_of(source),
            guild_id=source.guild_id,
            channel_id=source.channel_id,
            permissions=int(member["permissions"]) if "permissions" in member else None,
            roles=[int(r) for r in member.get("roles") or []],
            locale=source.payload.get("locale", "en-US"),
            message=source.payload.get("message") if source.type == 3 else None,
        )

    def interaction_payload(
        self,
        *,
        type: int,
        data: JSON,
        user: FakeUser | None = None,
        guild_id: int | None = DEFAULT_GUILD,
        channel_id: int | None = None,
        permissions: int | None = None,
        roles: Sequence[int] = (),
        locale: str = "en-US",
        context: int | None = None,
        message: JSON | None = None,
    ) -> JSON:
        """The low-level builder: a complete interaction around ``data`` for a guild member or a DM user.

        ``context`` defaults to 0 in guilds and 1 (bot DM) otherwise; 2 is a private channel
        (user-installed app in someone else's DM).
        """
        user = user or self.default_user
        self._remember_user(user)
        gid = self._resolve_guild(guild_id)
        payload: JSON = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": type,
            "data": data,
            "token": "fake-" + secrets.token_urlsafe(32),
            "version": 1,
            "locale": locale,
            "attachment_size_limit": self.attachment_size_limit,
            "app_permissions": str(Perm.BOT_DEFAULT),
            "entitlements": [],
            "entitlement_sku_ids": [],
        }
        if gid is not None:
            guild = self.guilds.get(gid) or FakeGuild(gid, f"guild {gid}", owner_id=0)
            channel = guild.channel(channel_id) if channel_id is not None else guild.default_channel
            if channel is None:
                channel = FakeChannel(int(channel_id or 0), "channel")
            perms = permissions if permissions is not None else guild.member_permissions(user.id, roles)
            payload.update(
                guild_id=str(gid),
                guild={"id": str(gid), "locale": guild.preferred_locale, "features": list(guild.features)},
                guild_locale=guild.preferred_locale,
                channel_id=str(channel.id),
                channel={**channel.to_dict(gid), "permissions": str(perms)},
                member={"user": user.to_dict(), **self._member_fields(roles, perms)},
                context=0 if context is None else context,
                authorizing_integration_owners={"0": str(gid)},
            )
        else:
            ctx = 1 if context is None else context
            if channel_id is None:
                channel_id = self._dm_channel_for(user) if ctx == 1 else snowflake()
            payload.update(
                channel_id=str(channel_id),
                channel={
                    "id": str(channel_id),
                    "type": 1,
                    "last_message_id": None,
                    "flags": 0,
                    "recipients": [user.to_dict()],
                },
                user=user.to_dict(),
                context=ctx,
                authorizing_integration_owners={"0": "0"} if ctx == 1 else {"1": str(user.id)},
            )
        if message is not None:
            payload["message"] = message
        return payload

    # ------------------------------------------------------------------ helpers

    def _resolve_guild(self, guild_id: int | None) -> int | None:
        if guild_id != DEFAULT_GUILD:
            return guild_id
        if not self.guilds:
            raise BuilderError("no guilds configured: pass guild_id=None for a DM")
        return next(iter(self.guilds))

    def _user_of(self, handle: InteractionHandle) -> FakeUser:
        user = self.users.get(handle.user_id)
        if user is None:
            raw = (handle.payload.get("member") or {}).get("user") or handle.payload.get("user") or {}
            user = FakeUser(handle.user_id, raw.get("username", "user"))
        return user

    @staticmethod
    def _member_fields(roles: Sequence[int], permissions: int) -> JSON:
        return {
            "roles": [str(r) for r in roles],
            "joined_at": iso_now(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "banner": None,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
            "permissions": str(permissions),
        }

    def _command_data(
        self,
        name: str,
        gid: int | None,
        subcommand: str | None,
        group: str | None,
        options: Mapping[str, Any],
        *,
        focused: str | None,
        strict: bool,
    ) -> JSON:
        command = self._lookup_command(name, gid, 1)
        data: JSON = {"id": command["id"] if command else str(snowflake()), "name": name, "type": 1}
        if command is not None and command.get("guild_id") is not None:
            data["guild_id"] = command["guild_id"]
        checked = strict and command is not None

        path: list[tuple[str, int]] = []
        parts = (subcommand or "").split()
        if group is not None:
            path.append((group, 2))
        elif len(parts) == 2:
            path.append((parts.pop(0), 2))
        if parts:
            path.append((parts[0], 1))

        root: list[JSON] = []
        target = root
        defs: list[JSON] | None = list(command.get("options") or []) if command else None
        for segment, kind in path:
            found = next((d for d in defs or [] if d.get("name") == segment), None)
            if checked and (found is None or found.get("type") != kind):
                known = [d["name"] for d in defs or [] if d.get("type") == kind]
                what = "subcommand group" if kind == 2 else "subcommand"
                raise BuilderError(f"/{name} has no {what} {segment!r}; synced: {known}")
            node: JSON = {"type": kind, "name": segment, "options": []}
            target.append(node)
            target = node["options"]
            defs = list(found.get("options") or []) if found else None
        if checked and defs and any(d.get("type") in (1, 2) for d in defs):
            known = [d["name"] for d in defs if d.get("type") in (1, 2)]
            raise BuilderError(f"/{name} needs a subcommand (subcommand=...): {known}")

        resolved: JSON = {}
        values = dict(options)
        if focused is not None:
            values.setdefault(focused, "")
        for opt_name, value in values.items():
            definition = next((d for d in defs or [] if d.get("name") == opt_name), None)
            if checked and definition is None:
                known = [d["name"] for d in defs or []]
                raise BuilderError(f"/{name} has no option {opt_name!r}; synced options: {known}")
            target.append(
                self._typed_option(
                    definition, opt_name, value, resolved, gid, focused=opt_name == focused, strict=checked
                )
            )
        if checked and focused is None:
            missing = [d["name"] for d in defs or [] if d.get("required") and d["name"] not in values]
            if missing:
                raise BuilderError(f"/{name} is missing required option(s) {missing}")
        if root:
            data["options"] = root
        if resolved:
            data["resolved"] = resolved
        return data

    def _typed_option(
        self,
        definition: JSON | None,
        name: str,
        value: Any,
        resolved: JSON,
        gid: int | None,
        *,
        focused: bool,
        strict: bool,
    ) -> JSON:
        otype = int(definition["type"]) if definition else _infer_type(value)
        out: JSON = {"name": name, "type": otype}
        if focused:
            if strict and definition is not None and not definition.get("autocomplete"):
                raise BuilderError(f"option {name!r} has no autocomplete")
            out["value"] = value if isinstance(value, str) else str(value)
            out["focused"] = True
            return out
        try:
            out["value"] = self._convert(otype, value, resolved, gid)
        except (TypeError, ValueError) as exc:
            if strict:
                kind = OPTION_TYPE_NAMES.get(otype, str(otype))
                raise BuilderError(f"option {name!r} is {kind}; Discord would not send {value!r}") from exc
            out["value"] = value
            return out
        if strict and definition is not None:
            self._check_option_value(definition, out["value"])
        return out

    def _convert(self, otype: int, value: Any, resolved: JSON, gid: int | None) -> Any:
        if otype == 3:
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise TypeError(type(value).__name__)
            return str(value)
        if otype == 4:
            if isinstance(value, bool):
                raise TypeError("bool")
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError(value)
                return int(value)
            return int(value)
        if otype == 10:
            if isinstance(value, bool):
                raise TypeError("bool")
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(value)
            return int(number) if number.is_integer() and not isinstance(value, float) else number
        if otype == 5:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise TypeError(type(value).__name__)
        if otype in (6, 7, 8, 9, 11):
            return self._resolve_snowflake(otype, value, resolved, gid)
        return value

    @staticmethod
    def _check_option_value(definition: JSON, value: Any) -> None:
        name = definition.get("name")
        choices = definition.get("choices")
        if choices and value not in [c.get("value") for c in choices]:
            raise BuilderError(f"option {name!r} must be one of {[c.get('value') for c in choices]}, not {value!r}")
        if isinstance(value, str):
            low, high = definition.get("min_length"), definition.get("max_length")
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                raise BuilderError(f"option {name!r} length must be within [{low}, {high}]")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise BuilderError(f"option {name!r} must be within [{low}, {high}], not {value}")

    def _resolve_snowflake(self, otype: int, value: Any, resolved: JSON, gid: int | None) -> str:
        guild = self.guilds.get(gid) if gid is not None else None
        if otype == 11:
            attachment = value if isinstance(value, dict) else self._stored_attachment(int(value))
            if attachment is None:
                raise ValueError(f"unknown attachment {value!r}")
            resolved.setdefault("attachments", {})[str(attachment["id"])] = copy.deepcopy(attachment)
            return str(attachment["id"])
        if otype == 6 or (otype == 9 and isinstance(value, FakeUser)):
            user = value if isinstance(value, FakeUser) else self.users.get(int(value)) or FakeUser(int(value), "user")
            self._remember_user(user)
            resolved.setdefault("users", {})[str(user.id)] = user.to_dict()
            if gid is not None:
                perms = guild.member_permissions(user.id, ()) if guild else Perm.DEFAULT_MEMBER
                resolved.setdefault("members", {})[str(user.id)] = self._member_fields((), perms)
            return str(user.id)
        if otype in (8, 9):
            role = value if isinstance(value, FakeRole) else (guild.role(int(value)) if guild else None)
            if role is None:
                role = FakeRole(int(value), "role")
            resolved.setdefault("roles", {})[str(role.id)] = role.to_dict()
            return str(role.id)
        channel = value if isinstance(value, FakeChannel) else (guild.channel(int(value)) if guild else None)
        if channel is None:
            channel = FakeChannel(int(value), "channel")
        resolved.setdefault("channels", {})[str(channel.id)] = {
            "id": str(channel.id),
            "name": channel.name,
            "type": channel.type,
            "parent_id": str(channel.parent_id) if channel.parent_id is not None else None,
            "permissions": str(Perm.ALL),
            "flags": 0,
        }
        return str(channel.id)

    def _select_values(self, comp: JSON, ctype: int, values: list[Any], gid: int | None, strict: bool) -> JSON:
        if strict:
            low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
            if not low <= len(values) <= high:
                raise BuilderError(f"select {comp.get('custom_id')!r} takes {low}..{high} values, got {len(values)}")
        if ctype == 3:
            chosen = [str(v) for v in values]
            allowed = [o.get("value") for o in comp.get("options") or []]
            bad = [v for v in chosen if v not in allowed]
            if strict and bad:
                raise BuilderError(f"select {comp.get('custom_id')!r} has no options {bad}; options: {allowed}")
            return {"values": chosen}
        resolved: JSON = {}
        otype = _SELECT_VALUE_TYPES[ctype]
        ids = [self._resolve_snowflake(otype, v, resolved, gid) for v in values]
        return {"values": ids, "resolved": resolved}

    @staticmethod
    def _modal_value(comp: JSON, remaining: dict[str, str | Sequence[str]], strict: bool) -> JSON:
        cid = comp.get("custom_id")
        ctype = int(comp.get("type") or 4)
        out: JSON = {"type": ctype, "custom_id": cid}
        if comp.get("id") is not None:
            out["id"] = comp["id"]
        raw = remaining.pop(str(cid), None)
        if ctype == 4:
            text = raw if isinstance(raw, str) else (comp.get("value") or "")
            if strict:
                if comp.get("required", True) and not text:
                    raise BuilderError(f"text input {cid!r} is required")
                low, high = comp.get("min_length"), comp.get("max_length")
                if text and ((low is not None and len(text) < low) or (high is not None and len(text) > high)):
                    raise BuilderError(f"text input {cid!r} length must be within [{low}, {high}]")
            out["value"] = text
        else:
            out["values"] = [raw] if isinstance(raw, str) else list(raw or [])
        return out
