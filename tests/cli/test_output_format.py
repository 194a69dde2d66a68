"""How the CLI writes its text: rendered on a terminal, plain when piped, and ``--format markdown|plain|json``."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest

import cli.bot_commands
from cli.main import main
from cli.output import write
from prompts.terminal import markdown_to_plain

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "acme-ai.toml")
MARKS = ("## ", "**", "```")


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def test_plain_drops_marks_and_keeps_words() -> None:
    """A heading becomes its words underlined, bold and code marks go, a fenced block keeps its lines verbatim."""
    source = "## Year by year\n**Worth $1**, see `h100`.\n```\nYear   Worth\n1      **x**\n```\n- a \\*b\n"
    assert markdown_to_plain(source) == (
        "Year by year\n------------\nWorth $1, see h100.\nYear   Worth\n1      **x**\n- a *b\n"
    )


def test_value_piped_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Output captured (not a terminal) carries no Markdown marks, and still every section and figure."""
    assert main(["value", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert not [mark for mark in MARKS if mark in out], out
    assert "What Acme AI's offer is really worth\n" in out and "Year 1: advertised $387,000" in out


def test_format_markdown_keeps_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    """``--format markdown`` prints the Markdown the templates wrote, headings and bold included."""
    assert main(["value", EXAMPLE, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## What Acme AI's offer is really worth\n**Year 1:") and "```" in out


def test_format_plain_equals_the_piped_default(capsys: pytest.CaptureFixture[str]) -> None:
    """``--format plain`` is exactly what a pipe gets."""
    assert main(["tokens", "100M", "gpt-5"]) == 0
    piped = capsys.readouterr().out
    assert main(["tokens", "100M", "gpt-5", "--format", "plain"]) == 0
    assert capsys.readouterr().out == piped


@pytest.mark.parametrize("argv", [["value", EXAMPLE], ["prices"], ["tokens", "1M", "h100"], ["advise", EXAMPLE]])
def test_json_flag_is_format_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` and ``--format json`` print the same bytes, on every subcommand that has them."""
    assert main([*argv, "--json"]) == 0
    short = capsys.readouterr().out
    assert main([*argv, "--format", "json"]) == 0
    assert capsys.readouterr().out == short and short.startswith("{")


def test_unknown_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """``--format html`` exits 2 naming the choices."""
    with pytest.raises(SystemExit) as exit_:
        main(["value", EXAMPLE, "--format", "html"])
    assert exit_.value.code == 2 and "markdown" in capsys.readouterr().err


def test_a_terminal_gets_rendered_text() -> None:
    """On a terminal the marks are rendered away (bold as a terminal style), lines stay lines and the table's
    rows stay whole."""
    stream = Terminal()
    row = "1       $180,000     $27,000"
    write("## Year by year\n**Worth $1**\nsecond line\n```\n" + row + "\n```\n", None, stream)
    out = stream.getvalue()
    assert not [mark for mark in MARKS if mark in out], out
    assert "\x1b[1mWorth $1" in out  # bold, as the terminal shows it
    assert "second line" in out.split("Worth $1", 1)[1].split("\n", 2)[1]  # its own line, not run on
    assert row in out


def test_a_terminal_asked_for_markdown_gets_the_source() -> None:
    """``--format markdown`` wins over the terminal: the source, unrendered."""
    stream = Terminal()
    write("## A\n**b**\n", "markdown", stream)
    assert stream.getvalue() == "## A\n**b**\n"


def test_the_collector_is_off_while_loading_and_on_for_every_command_but_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Commands run with the garbage collector on, as the process had it; ``run`` keeps it off (the bot turns it on
    once its start-up is loaded); a usage error leaves it as it was."""
    seen: dict[str, bool] = {}

    def fake_run(args: object) -> int:
        seen["run"] = gc.isenabled()
        return 0

    monkeypatch.setattr(cli.bot_commands, "_run", fake_run)
    assert gc.isenabled()
    try:
        assert main(["run"]) == 0
        assert seen == {"run": False}
    finally:
        gc.enable()
    assert main(["value", EXAMPLE, "--json"]) == 0 and gc.isenabled()
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    assert gc.isenabled()
    capsys.readouterr()
