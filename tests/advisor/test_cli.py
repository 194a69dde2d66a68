"""``fourth-pillar advise``: JSON output with ranked points and the counter-offer; bad input on the error path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli.main import main

OFFER_TOML = """
employer = "Acme AI"

[salary]
base = "100k"

[bonus]
target = "15%"

[[compute]]
amount = "10k"

[assumptions]
marginal_tax_rate = "25%"
utilization = "100%"
tenure_months = 12
employer_cost_ratio = "50%"
"""


@pytest.fixture
def offer_file(tmp_path: Path) -> str:
    path = tmp_path / "offer.toml"
    path.write_text(OFFER_TOML, encoding="utf-8")
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["advise", *argv, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_json_lists_points_with_rank_impacts_source_and_numbers(
    offer_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every point carries id, rank, both impacts, source and its numbers; the gross-up is 2,500 / 0.75."""
    data = run_json(capsys, offer_file)
    for point in data["points"]:
        assert {"id", "rank", "impact_year1", "impact_horizon", "source", "numbers"} <= point.keys()
    gross_up = next(p for p in data["points"] if p["id"] == "tax-gross-up")
    assert gross_up["impact_year1"] == "3333.33"
    assert gross_up["numbers"]["gross_up"] == "3333.33"
    assert [p["rank"] for p in data["points"]] == list(range(1, len(data["points"]) + 1))


def test_json_counter_offer_reaches_the_target(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Start 115,000 - 3,333.33 = 111,666.67; --target 130k: sign-on 18,333.33, one step, exactly 130,000.00."""
    counter = run_json(capsys, offer_file, "--target", "130k")["counter_offer"]
    assert counter["target"] == "130000.00"
    assert counter["reached"] is True
    assert [(s["component"], s["asked"], s["total_after"]) for s in counter["steps"]] == [
        ("sign_on", "18333.33", "130000.00")
    ]


def test_json_horizon_target(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--target-horizon makes the target the horizon figure (one year here, so the same start)."""
    counter = run_json(capsys, offer_file, "--target", "$120,000", "--target-horizon")["counter_offer"]
    assert counter["target_kind"] == "horizon"
    assert counter["start"] == "111666.67"
    assert counter["total"] == "120000.00"


def test_bad_target_is_reported_like_other_bad_input(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A target that is not an amount exits 2 with one line naming the field, and no traceback."""
    assert main(["advise", offer_file, "--target", "lots", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "target" in captured.err
    assert "Traceback" not in captured.err


def test_missing_offer_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing offer file exits 2, like the other subcommands."""
    assert main(["advise", str(tmp_path / "nope.toml"), "--json"]) == 2
    assert capsys.readouterr().err.strip()


@pytest.mark.parametrize("mode", [[], ["--script"]])
def test_text_and_script_render_the_advice(
    offer_file: str, capsys: pytest.CaptureFixture[str], mode: list[str]
) -> None:
    """Text and script modes hand the advice to the templates and print words, not ids."""
    assert main(["advise", offer_file, "--target", "130k", *mode]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    assert "gross-up-or-working-condition" not in out
