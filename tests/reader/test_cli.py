"""``fourth-pillar parse``, ``value --text`` and ``advise --text``, through ``cli.main.main``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli.main import main
from tests.strategies import REGISTRY
from valuation import load_offer
from valuation.reader import offer_from_reading, read_offer

ONE_LINER = "180k base, 15% bonus, 400k RSU over 4y with a 1y cliff, 50k API credits a year"
EMAIL = """Hi Sam,

- $185,000 annual base salary
- 100M tokens/month of Claude Sonnet 4.5

Best,
Jordan
"""


def test_parse_prints_toml_that_loads_back(capsys: pytest.CaptureFixture[str]) -> None:
    """The TOML on stdout loads to the offer the text reads to; what was read goes to stderr."""
    assert main(["parse", ONE_LINER]) == 0
    out, err = capsys.readouterr()
    expected = offer_from_reading(read_offer(ONE_LINER, REGISTRY), REGISTRY)
    assert load_offer(out, REGISTRY, "toml") == expected
    assert "“180k base” → base salary = $180,000" in err


def test_parse_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """ "-" (and no argument) reads the email from stdin; greeting and signature are listed as ignored."""
    monkeypatch.setattr("sys.stdin", io.StringIO(EMAIL))
    assert main(["parse"]) == 0
    out, err = capsys.readouterr()
    assert 'model = "claude-sonnet-4.5"' in out
    assert "“Hi Sam”" in err and "“Jordan”" in err


def test_parse_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """--json has offer, understood (text + dotted field), ignored and ambiguous."""
    assert main(["parse", "--json", "$185,000 base salary. Cheers!"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["offer", "understood", "ignored", "ambiguous"]
    assert data["offer"] == {"salary": {"base": "185000"}}
    assert data["understood"] == [{"text": "$185,000 base salary", "field": "salary.base", "start": 0, "end": 20}]
    assert data["ignored"] == [{"text": "Cheers", "start": 22, "end": 28}]
    assert data["ambiguous"] == []


def test_parse_refuses_unclear_text(capsys: pytest.CaptureFixture[str]) -> None:
    """An unclear passage: exit 2, no TOML, and the refusal says what to write instead."""
    assert main(["parse", "180k base, 400k equity"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "error: `equity grant`: “400k equity”: RSUs or stock options?" in err


def test_parse_refuses_text_with_no_offer(capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing about pay: exit 2 with what the reader looks for."""
    assert main(["parse", "see you soon"]) == 2
    assert "I couldn't find an offer in that text" in capsys.readouterr().err


def test_value_text_opens_with_read_as(capsys: pytest.CaptureFixture[str]) -> None:
    """value --text values the text and first says how it was read."""
    assert main(["value", "--text", ONE_LINER]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Read as: base salary $180,000 · bonus 15%")
    assert "\nWhat this offer is really worth\n" in out  # piped: plain text, the heading without its ##


def test_value_text_json_equals_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """value --text --json is the same result as valuing the TOML that parse prints."""
    assert main(["parse", ONE_LINER]) == 0
    toml_text = capsys.readouterr().out
    path = tmp_path / "offer.toml"
    path.write_text(toml_text, encoding="utf-8")
    assert main(["value", str(path), "--json"]) == 0
    from_file = capsys.readouterr().out
    assert main(["value", "--text", ONE_LINER, "--json"]) == 0
    assert capsys.readouterr().out == from_file


def test_value_needs_exactly_one_offer(capsys: pytest.CaptureFixture[str]) -> None:
    """Neither a file nor --text (or both) is refused with exit 2."""
    assert main(["value"]) == 2
    assert main(["value", "examples/acme-ai.toml", "--text", ONE_LINER]) == 2
    assert "offer" in capsys.readouterr().err


def test_advise_text(capsys: pytest.CaptureFixture[str]) -> None:
    """advise --text gives the advice for the text, after the Read as line; --script prints only the email."""
    assert main(["advise", "--text", ONE_LINER, "--target", "400k"]) == 0
    assert capsys.readouterr().out.startswith("Read as: ")
    assert main(["advise", "--text", ONE_LINER, "--script"]) == 0
    assert not capsys.readouterr().out.startswith("Read as: ")


def test_value_text_refusal_shows_what_was_read(capsys: pytest.CaptureFixture[str]) -> None:
    """A refused text still shows what was read, so the fix is one edit."""
    assert main(["value", "--text", "180k base, 100M Claude tokens a month"]) == 2
    err = capsys.readouterr().err
    assert "“180k base” → base salary = $180,000" in err
    assert "could be any of" in err
