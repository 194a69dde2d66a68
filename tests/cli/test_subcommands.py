"""The CLI loads only the module of the subcommand a command line names; ``--help`` and usage errors see them all."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import SUBCOMMAND_MODULES, SUBCOMMANDS, build_parser

REPO = Path(__file__).resolve().parents[2]


def test_the_table_names_the_module_that_registers_each_subcommand() -> None:
    """SUBCOMMANDS says, for every subcommand, the module whose ``register`` adds it, and nothing else."""
    registered: dict[str, str] = {}
    for name in SUBCOMMAND_MODULES:
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(subparsers)
        registered.update(dict.fromkeys(subparsers.choices, name))
    assert registered == SUBCOMMANDS


def test_help_and_an_unknown_command_list_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a subcommand it knows, the parser has all of them: ``--help`` lists each, and a misspelt command is
    answered with the full list of choices."""
    for argv in (["--help"], ["vlaue"], []):
        with pytest.raises(SystemExit):
            build_parser(argv).parse_args(["vlaue"])
        refused = capsys.readouterr().err
        assert all(f"'{name}'" in refused for name in SUBCOMMANDS)
    with pytest.raises(SystemExit):
        build_parser(["--help"]).parse_args(["--help"])
    listed = capsys.readouterr().out
    assert all(name in listed for name in SUBCOMMANDS)


def test_a_named_subcommand_still_parses_and_refuses_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    """With only its own module loaded, a subcommand parses its options, and an option it cannot read is a usage
    error that names the subcommand."""
    assert build_parser(["sync", "--guild", "7"]).parse_args(["sync", "--guild", "7"]).guild == 7
    with pytest.raises(SystemExit) as exit_:
        build_parser(["sync"]).parse_args(["sync", "--guild", "my-server"])
    assert exit_.value.code == 2
    assert "usage: fourth-pillar sync" in capsys.readouterr().err


def test_parsing_run_loads_only_the_bots_subcommand_module() -> None:
    """Parsing ``fourth-pillar run``'s command line loads the bot's subcommand module and no other CLI module: not
    the offline commands, their charts or their free-text reader (checked in a fresh process; the bot then loads
    what it uses itself)."""
    probe = (
        "import sys; from cli.main import build_parser; build_parser(['run']).parse_args(['run']); "
        "print(sorted(m for m in sys.modules if m.startswith(('cli.', 'valuation.reader', 'charts'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['cli.bot_commands', 'cli.main']"
