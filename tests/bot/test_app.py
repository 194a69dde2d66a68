"""Start-up pieces: settings, the advisor lookup, the storage seams, autocomplete, sync's report, the CLI."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import discord
import pytest
from discord import app_commands
from pydantic import ValidationError

from bot.advice import find_advisor
from bot.app import YOUNG_COLLECTION_AFTER, FourthPillar, create_resources, describe_changes
from bot.errors import InputError, NoticeError
from bot.features.common import resource_choices
from bot.preferences import NoAssumptionLayers, SharingAllowed
from bot.settings import Settings
from bot.transformers import BaseSalary
from bot.tree import user_error
from bot.views import ResultButton
from cli.main import build_parser
from tests.bot.conftest import make_settings
from valuation import OfferError, Reason, default_registry


def test_only_the_token_is_required_and_defaults_point_at_discord() -> None:
    """With just a token the bot talks to Discord itself, logs at INFO and keeps a local SQLite database."""
    settings = make_settings()
    assert settings.discord_api_base == "https://discord.com/api/v10"
    assert settings.discord_gateway_url == "wss://gateway.discord.gg"
    assert settings.log_level == "INFO" and settings.dev_guild_id is None and settings.data_key is None
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_the_token_never_shows_in_reprs() -> None:
    """The token is a secret: printing the settings does not reveal it."""
    settings = make_settings(discord_token="very-secret-token", data_key="very-secret-key")
    assert "very-secret" not in repr(settings) and "very-secret" not in str(settings.model_dump())


def test_settings_come_from_the_environment_and_a_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment variables and ``.env`` entries fill the settings; an unknown ``.env`` entry (a typo) is refused."""
    monkeypatch.setenv("DEV_GUILD_ID", "42")
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-dotenv\nLOG_LEVEL=DEBUG\n")
    settings = Settings(_env_file=env_file)
    assert settings.discord_token.get_secret_value() == "from-dotenv"
    assert settings.dev_guild_id == 42 and settings.log_level == "DEBUG"
    env_file.write_text("DISCORD_TOKEN=x\nDISCORD_TOKN=typo\n")
    with pytest.raises(ValidationError):
        Settings(_env_file=env_file)


def test_advisor_missing_means_no_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing advisor module yields None; a present one yields its ``advise`` function."""
    assert find_advisor("no_such_advisor_module") is None
    (tmp_path / "stub_advisor.py").write_text("def advise(offer, valuation, registry):\n    return 'advice'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    advise = find_advisor("stub_advisor")
    assert advise is not None and advise(None, None, None) == "advice"  # type: ignore[arg-type]
    sys.modules.pop("stub_advisor", None)


@pytest.mark.asyncio
async def test_the_default_seams_add_nothing_and_allow_sharing() -> None:
    """Until storage lands: no personal or server assumption layers, and sharing allowed."""
    assert await NoAssumptionLayers().layers_for(user_id=1, guild_id=2) == ()
    assert await SharingAllowed().sharing_allowed(guild_id=2) is True


def test_autocomplete_filters_models_and_gpus_by_what_was_typed() -> None:
    """Typing matches ids and names case-insensitively, across models and GPUs."""
    registry = default_registry()
    assert {c.value for c in resource_choices(registry, "CLAUDE")} == {
        model.id for model in registry.models.values() if model.id.startswith("claude-")
    }
    assert {c.value for c in resource_choices(registry, "sonnet")} == {"claude-sonnet-4.5", "claude-sonnet-5"}
    assert "h100" in {c.value for c in resource_choices(registry, "nvidia")}
    assert resource_choices(registry, "no such thing") == []


def test_autocomplete_offers_at_most_25_choices() -> None:
    """A registry with more entries than Discord allows still yields 25 choices, names within 100 characters."""
    registry = default_registry()
    template = next(iter(registry.models.values()))
    many = {f"model-{i}": dataclasses.replace(template, id=f"model-{i}", name="x" * 120) for i in range(40)}
    choices = resource_choices(dataclasses.replace(registry, models=many), "")
    assert len(choices) == 25
    assert all(len(c.name) <= 100 for c in choices)


def test_sync_report_names_what_changed() -> None:
    """The sync report lists added, changed, removed and unchanged commands, ignoring ids Discord assigns."""
    before = [
        {"id": "1", "name": "help", "description": "Help", "version": "1"},
        {"id": "2", "name": "about", "description": "Old", "version": "1"},
        {"id": "3", "name": "gone", "description": "Bye", "version": "1"},
    ]
    after = [
        {"id": "1", "name": "help", "description": "Help", "version": "2"},
        {"id": "2", "name": "about", "description": "New", "version": "2"},
        {"id": "4", "name": "offer", "description": "Offer", "version": "1"},
    ]
    assert describe_changes(before, after) == [
        "  added:     /offer",
        "  changed:   /about",
        "  removed:   /gone",
        "  unchanged: /help",
    ]


def test_cli_has_run_and_sync_with_an_optional_guild() -> None:
    """``fourth-pillar run`` and ``fourth-pillar sync [--guild ID]`` parse."""
    parser = build_parser()
    assert parser.parse_args(["run"]).command == "run"
    assert parser.parse_args(["sync"]).guild is None
    assert parser.parse_args(["sync", "--guild", "123"]).guild == 123


def test_user_errors_are_found_inside_discord_py_wrappers() -> None:
    """An InputError raised in a transformer or a callback is found through discord.py's wrapping exceptions;
    anything else is not a user error."""
    problem = OfferError.single("base", "lots", Reason.NOT_AN_AMOUNT, '"180k"')
    raised = InputError(problem)
    wrapped = app_commands.TransformerError("lots", discord.AppCommandOptionType.string, BaseSalary())
    wrapped.__cause__ = raised
    assert user_error(wrapped) is raised
    notice_error = NoticeError("attachment_too_large", size_kb=70, limit_kb=64)
    invoke_error = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    invoke_error.original = notice_error
    assert user_error(invoke_error) is notice_error
    assert user_error(RuntimeError("boom")) is None


def test_env_example_documents_every_setting() -> None:
    """``.env.example`` names every setting, each after a comment, and only DISCORD_TOKEN is left uncommented."""
    lines = (Path(__file__).parents[2] / ".env.example").read_text().splitlines()
    for name in Settings.model_fields:
        index = next(i for i, line in enumerate(lines) if re.match(rf"#? ?{name.upper()}=", line))
        assert lines[index - 1].startswith("#"), name
    assert [line for line in lines if line and not line.startswith("#")] == ["DISCORD_TOKEN="]


def test_first_setup_shows_pip_progress() -> None:
    """``make setup`` (run by the first ``make run``) says what it is installing and lets pip show its progress for
    the project's dependencies, instead of a minute or more of silence."""
    import subprocess  # noqa: PLC0415 - only this test runs make

    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "setup"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    install = next(i for i, line in enumerate(plan) if "pip install" in line and "-e" in line)
    assert "--quiet" not in plan[install] and "-q " not in plan[install]
    assert any(line.startswith("echo") and "Installing" in line for line in plan[:install])


def test_an_empty_token_is_refused() -> None:
    """DISCORD_TOKEN= (empty, as .env.example has it) or blanks is a settings error, not a token sent to Discord."""
    for token in ("", "  "):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, discord_token=token)  # type: ignore[call-arg, arg-type]


@pytest.mark.asyncio
async def test_start_up_sets_its_objects_aside_and_collects_young_objects_less_often() -> None:
    """Once set up (before connecting): the collector is on, what start-up loaded is frozen out of its view, and its
    youngest generation waits for YOUNG_COLLECTION_AFTER allocations; the older generations keep Python's settings."""
    threshold = gc.get_threshold()
    bot = FourthPillar(make_settings(), create_resources(), sync_dev_guild=False)
    try:
        gc.disable()
        gc.unfreeze()
        await bot.setup_hook()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (YOUNG_COLLECTION_AFTER, *threshold[1:])
    finally:
        await bot.close()  # the collector is put back by the conftest's collector_as_it_was


@pytest.mark.asyncio
async def test_interaction_events_start_a_task_only_for_an_expired_press(caplog: pytest.LogCaptureFixture) -> None:
    """A command's completion is logged at once (its name and duration) and a command or a live press starts no
    task of the bot's; a press nothing answers starts one task, which sends the "expired" notice."""
    bot = FourthPillar(make_settings(), create_resources(), sync_dev_guild=False)
    bot.add_dynamic_items(ResultButton)
    expired: list[object] = []

    async def answer_expired(interaction: object) -> None:
        expired.append(interaction)

    bot.answer_expired = answer_expired  # type: ignore[method-assign]
    command = SimpleNamespace(type=discord.InteractionType.application_command, extras={}, data={}, message=None)
    live = SimpleNamespace(
        type=discord.InteractionType.component, data={"custom_id": "result:work", "component_type": 2}, message=None
    )
    gone = SimpleNamespace(
        type=discord.InteractionType.component, data={"custom_id": "old:layout", "component_type": 2}, message=None
    )
    try:
        before = asyncio.all_tasks()
        with caplog.at_level(logging.INFO, logger="fourth_pillar"):
            bot.dispatch("app_command_completion", command, SimpleNamespace(qualified_name="offer evaluate"))
        bot.dispatch("interaction", command)
        bot.dispatch("interaction", live)
        assert asyncio.all_tasks() == before
        assert any(re.fullmatch(r"/offer evaluate answered in \d+ ms", r.getMessage()) for r in caplog.records)

        bot.dispatch("interaction", gone)
        started = asyncio.all_tasks() - before
        assert [task.get_name() for task in started] == ["answer-expired-press"]
        await asyncio.gather(*started)
        assert expired == [gone]
    finally:
        await bot.close()
