"""``fourth-pillar advise``: JSON output with the verdict, the anchor and the asks; bad input on the error path."""

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
tax_treatment = "taxable"

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


# The offer by hand: advertised year 1 = 100,000 + 15% bonus 15,000 + 10,000 credits at face = 125,000. The credits
# are work-only (personal use defaults to no), so worth nothing to spend, and stated taxable, so taxed at face: 10,000
# * 25% = 2,500 of tax, a cash-equivalent of -2,500 / (1 - 25%) = -3,333.33. Worth in year 1: 115,000 - 3,333.33 =
# 111,666.67.


def test_json_carries_verdict_anchor_and_asks(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Target 125,000 (advertised). Treating the credits as a work tool untaxes them: +3,333.33. The rest,
    125,000 - 111,666.67 - 3,333.33 = 10,000, goes to a new sign-on (round already); anchor exactly 125,000."""
    data = run_json(capsys, offer_file)
    assert data["schema_version"] == 2
    assert data["verdict"]["kind"] == "negotiate"
    anchor = data["anchor"]
    assert (anchor["start"], anchor["target"], anchor["total"], anchor["amount"]) == (
        "111666.67",
        "125000.00",
        "125000.00",
        "125000.00",
    )
    asks = [(a["id"], a["numbers"].get("amount"), a["gain_year1"]) for a in data["asks"]]
    assert asks == [("sign-on", "10000", "10000.00"), ("work-tool", None, "3333.33")]


def test_json_work_tool_fallbacks_are_cash_then_gross_up(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Fallbacks of the work-tool ask: cash at the employer's cost, 50% of 10,000 = 5,000; or a gross-up of
    2,500 / 0.75 = 3,333.33, asked as 3,300 (amounts under 10,000 go in hundreds)."""
    work_tool = next(a for a in run_json(capsys, offer_file)["asks"] if a["id"] == "work-tool")
    assert [(f["id"], f["numbers"]["amount"]) for f in work_tool["fallbacks"]] == [
        ("convert-to-cash", "5000"),
        ("gross-up", "3300"),
    ]


def test_json_given_target(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--target 130k: 130,000 - 111,666.67 - 3,333.33 = 15,000 of sign-on."""
    data = run_json(capsys, offer_file, "--target", "130k")
    assert data["anchor"]["target_source"] == "given" and data["anchor"]["reached"] is True
    sign_on = next(a for a in data["asks"] if a["id"] == "sign-on")
    assert sign_on["numbers"]["amount"] == "15000"


def test_json_horizon_target(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--target-horizon makes the target the horizon figure (one year here, so the same start): 120,000 needs
    120,000 - 111,666.67 - 3,333.33 = 5,000 of sign-on."""
    anchor = run_json(capsys, offer_file, "--target", "$120,000", "--target-horizon")["anchor"]
    assert anchor["target_kind"] == "horizon"
    assert anchor["start"] == "111666.67"
    assert anchor["total"] == "120000.00"


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
    assert "work-tool" not in out and "convert-to-cash" not in out
    assert ("Subject: " in out) == (mode == ["--script"])


def test_a_target_in_another_currency_is_refused(offer_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--target "€300k" on a dollar offer is refused naming target and the offer's currency (it was read as
    $300,000); "$300k" is taken."""
    assert main(["advise", offer_file, "--target", "€300k"]) == 2
    err = capsys.readouterr().err
    assert "`target`" in err and "(USD)" in err
    assert main(["advise", offer_file, "--target", "$300k", "--json"]) == 0
