"""The command tree's sync payload against Discord's schema limits, and where each command may run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import discord
import pytest

from bot.app import FourthPillar
from bot.features.info import command_list

HELP_DATA = {"registry_as_of": "2026-11-01", "registry_version": "2026.11"}

NAME = re.compile(r"^[-_\w]{1,32}$")
CHAT_INPUT, SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 1, 2, 3
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1


def payload(bot: FourthPillar) -> list[dict[str, Any]]:
    """What ``sync`` sends for global slash commands (context-menu entries are checked on their own)."""
    return [command.to_dict(bot.tree) for command in bot.tree.get_commands(type=discord.AppCommandType.chat_input)]


def walk_options(options: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for option in options:
        yield option
        yield from walk_options(option.get("options", []))


@pytest.mark.asyncio
async def test_the_commands_are_the_intended_ones(loaded_bot: FourthPillar) -> None:
    """The tree holds /offer evaluate, save, list, delete, compare, advise and form, /tokens value, /help, /about, /privacy,
    /config and /defaults, and no name
    twice."""
    commands = payload(loaded_bot)
    names = [c["name"] for c in commands]
    assert sorted(names) == ["about", "config", "defaults", "help", "offer", "privacy", "tokens"]
    assert len(names) == len(set(names))
    by_name = {c["name"]: c for c in commands}
    assert [o["name"] for o in by_name["offer"]["options"]] == [
        "evaluate",
        "save",
        "list",
        "delete",
        "compare",
        "advise",
        "form",
    ]
    assert [o["name"] for o in by_name["tokens"]["options"]] == ["value"]
    for command in commands:
        subnames = [o["name"] for o in command.get("options", [])]
        assert len(subnames) == len(set(subnames))


@pytest.mark.asyncio
async def test_every_command_fits_discords_schema_limits(loaded_bot: FourthPillar) -> None:
    """Names are lowercase and ≤32, descriptions 1–100, ≤25 options and choices, ≤8000 characters per command,
    ≤100 global commands, required options first."""
    commands = payload(loaded_bot)
    assert len(commands) <= 100
    for command in commands:
        assert command["type"] == CHAT_INPUT
        assert NAME.match(command["name"]) and command["name"] == command["name"].lower()
        assert 1 <= len(command["description"]) <= 100
        assert len(json.dumps(command, ensure_ascii=False)) <= 8000
        assert len(command.get("options", [])) <= 25
        for option in walk_options(command.get("options", [])):
            assert NAME.match(option["name"]) and option["name"] == option["name"].lower(), option["name"]
            assert 1 <= len(option["description"]) <= 100, option["name"]
            assert len(option.get("options", [])) <= 25
            assert len(option.get("choices", [])) <= 25
            for choice in option.get("choices", []):
                assert 1 <= len(choice["name"]) <= 100
            if option["type"] == STRING:
                assert option.get("max_length", 6000) <= 6000
            leaves = [o for o in option.get("options", []) if o["type"] not in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            required = [o.get("required", False) for o in leaves]
            assert required == sorted(required, reverse=True), f"required options first in {option['name']}"


@pytest.mark.asyncio
async def test_every_command_runs_everywhere_under_both_installs(loaded_bot: FourthPillar) -> None:
    """Each command (the ``offer`` and ``tokens`` groups included) declares servers, the bot's DM and other DMs,
    and both guild and user installs — explicitly, never null. ``/config`` alone is for servers that installed the
    bot, and by default for members with Manage Server (the bot checks again itself)."""
    for command in payload(loaded_bot):
        if command["name"] == "config":
            assert command["contexts"] == [GUILD] and command["integration_types"] == [GUILD_INSTALL]
            assert str(command["default_member_permissions"]) == "32"  # Manage Server
            continue
        assert sorted(command["contexts"]) == [GUILD, BOT_DM, PRIVATE_CHANNEL], command["name"]
        assert sorted(command["integration_types"]) == [GUILD_INSTALL, USER_INSTALL], command["name"]


@pytest.mark.asyncio
async def test_evaluate_options_carry_their_caps_and_choices(loaded_bot: FourthPillar) -> None:
    """Free-text options have length caps, the model option autocompletes, enums are choices."""
    offer = next(c for c in payload(loaded_bot) if c["name"] == "offer")
    options = {o["name"]: o for o in offer["options"][0]["options"]}
    for name in ("base", "bonus", "sign_on", "equity", "credits", "model", "employer", "quoted_tc", "work_required"):
        assert options[name]["type"] == STRING and options[name]["max_length"] <= 100, name
    assert options["model"]["autocomplete"] is True
    assert {c["value"] for c in options["credits_cadence"]["choices"]} == {"one-time", "monthly", "yearly"}
    assert {c["value"] for c in options["on_departure"]["choices"]} == {"forfeit", "tail", "cash"}
    assert options["offer_file"]["type"] == 11  # attachment
    assert options["personal_use"]["type"] == 5  # boolean


@pytest.mark.asyncio
async def test_help_lists_every_command_in_the_tree(loaded_bot: FourthPillar) -> None:
    """/help is built from the command tree: every command a person can run is in it by its full name (save,
    list, delete, compare, /defaults, /privacy and /config used to be missing)."""
    listed = command_list(loaded_bot.tree)
    text = "".join(
        e.description or ""
        for part in loaded_bot.renderer.page("help", **HELP_DATA, commands=listed)
        for e in part.embeds
    )
    runnable = [
        f"{c['name']} {o['name']}" if o["type"] == SUB_COMMAND else c["name"]
        for c in payload(loaded_bot)
        for o in (c.get("options") or [{"type": 0}])
        if o["type"] == SUB_COMMAND or not any(x["type"] == SUB_COMMAND for x in c.get("options", []))
    ]
    assert {c["name"] for c in listed} == set(runnable)
    for name in runnable:
        assert f"`/{name}`" in text, name
    for name in ("offer save", "offer list", "offer delete", "offer compare", "defaults set", "privacy", "config set"):
        assert name in runnable


@pytest.mark.asyncio
async def test_evaluate_has_tail_currency_and_rate_options(loaded_bot: FourthPillar) -> None:
    """A tail needs tail_months, a non-USD offer with token credits needs a currency and a usd_rate: each is an
    option, within Discord's 25."""
    offer = next(c for c in payload(loaded_bot) if c["name"] == "offer")
    evaluate = {o["name"]: o for o in offer["options"][0]["options"]}
    assert evaluate["tail_months"]["type"] == 4 and evaluate["tail_months"]["min_value"] == 1
    assert {c["value"] for c in evaluate["currency"]["choices"]} >= {"USD", "EUR", "JPY"}
    assert evaluate["usd_rate"]["type"] == STRING
    assert len(evaluate) <= 25
    compare = {o["name"]: o for o in offer["options"][4]["options"]}
    assert compare["months"]["type"] == 4


@pytest.mark.asyncio
async def test_the_message_menu_runs_everywhere_under_both_installs(loaded_bot: FourthPillar) -> None:
    """The one context-menu entry, "Evaluate offer (private)", is a message command (type 3) within Discord's
    32-character name limit, declaring servers, both kinds of DM and both installs explicitly."""
    menus = [c.to_dict(loaded_bot.tree) for c in loaded_bot.tree.get_commands(type=discord.AppCommandType.message)]
    assert [m["name"] for m in menus] == ["Evaluate offer (private)"]
    menu = menus[0]
    assert menu["type"] == 3 and len(menu["name"]) <= 32
    assert sorted(menu["contexts"]) == [GUILD, BOT_DM, PRIVATE_CHANNEL]
    assert sorted(menu["integration_types"]) == [GUILD_INSTALL, USER_INSTALL]
