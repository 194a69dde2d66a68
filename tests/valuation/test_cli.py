"""The ``fourth-pillar`` command's JSON output and its exit codes, through ``cli.main.main``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from valuation import Registry, dumps, load_offer, to_plain, value_offer

EXAMPLES = ("acme-ai.toml", "startup-options.toml", "gpu-hours.toml", "euro-offer.toml")
YEAR_KEYS = [
    "n",
    "months",
    "base",
    "bonus",
    "sign_on",
    "cash",
    "equity_advertised",
    "equity",
    "compute_face",
    "compute_face_today",
    "compute_employer_cost",
    "compute_tax",
    "compute_gross_up",
    "compute_net_benefit",
    "compute_cash_equivalent",
    "advertised_tc",
    "cash_equivalent_tc",
]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.parametrize("name", EXAMPLES)
def test_value_json_shape(name: str, examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`value --json` prints the schema version, registry date, years with every field, one row per month, cost to
    leave per month (option exercise cash apart from it), grants with three scenarios, and traces, money as strings with two decimals."""
    data = run_json(capsys, "value", str(examples_dir / name), "--json")
    assert data["schema_version"] == 2 and data["registry_as_of"] == "2026-11-01"
    horizon = data["horizon_months"]
    assert [list(year) for year in data["years"]] == [YEAR_KEYS] * len(data["years"])
    assert [year["n"] for year in data["years"]] == list(range(1, len(data["years"]) + 1))
    assert [m["m"] for m in data["months"]] == list(range(1, horizon + 1))
    assert len(data["cost_to_leave"]) == horizon
    assert list(data["cost_to_leave"][0]) == [
        "month",
        "total",
        "equity_unvested",
        "sign_on_repayment",
        "compute_forfeited",
    ]
    assert [row["month"] for row in data["exercise_cash"]] == list(range(1, horizon + 1))
    for grant in data["grants"]:
        assert list(grant["scenarios"]) == ["low", "base", "high"] and grant["years"]
    assert data["traces"] and set(data["traces"][0]) == {"key", "formula", "inputs", "value"}
    for year in data["years"]:
        for key in YEAR_KEYS[2:]:
            assert Decimal(year[key]).as_tuple().exponent == -2


def test_value_json_is_the_core_result(
    examples_dir: Path, capsys: pytest.CaptureFixture[str], builtin_registry: Registry
) -> None:
    """The command prints exactly the core's serialised valuation of the file."""
    path = examples_dir / "acme-ai.toml"
    assert main(["value", str(path), "--json"]) == 0
    expected = dumps(to_plain(value_offer(load_offer(path.read_text(encoding="utf-8"), builtin_registry))))
    assert capsys.readouterr().out == expected


def test_euro_offer_is_valued_in_euros(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The EUR example keeps its currency and prices its dollar-listed tokens through usd_rate 0.92."""
    data = run_json(capsys, "value", str(examples_dir / "euro-offer.toml"), "--json")
    assert data["currency"] == "EUR"
    rate = next(a for a in data["assumptions"] if a["name"] == "usd_rate")
    assert rate["level"] == "offer" and rate["value"]["base"] == "0.92"
    # gpt-5 at 75% input: (1.25 × 0.75 + 10 × 0.25) / 1M × 0.92 euros a token; 1B tokens = 3,162.50 euros.
    assert data["grants"][0]["years"][0]["face"] == "3162.50"


def test_compare_json(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`compare --json` lists each offer against the first."""
    data = run_json(
        capsys, "compare", str(examples_dir / "acme-ai.toml"), str(examples_dir / "startup-options.toml"), "--json"
    )
    assert data["offers"][0]["difference_year1"] == "0.00"
    assert data["best_year1"].endswith("acme-ai.toml")


def test_compare_mixed_currencies_exits_2(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Comparing a USD and a EUR offer is bad input: exit code 2, nothing on stdout, a message on stderr."""
    code = main(["compare", str(examples_dir / "acme-ai.toml"), str(examples_dir / "euro-offer.toml")])
    out = capsys.readouterr()
    assert code == 2 and out.out == "" and out.err.strip()


def test_tokens_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`tokens 100M claude-sonnet-4.5 --json` gives 600 dollars at the base blend."""
    data = run_json(capsys, "tokens", "100M", "claude-sonnet-4.5", "--json")
    assert data["direction"] == "to_dollars" and data["dollars"]["base"] == "600.00"


def test_bad_offer_file_exits_2_with_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A negative base is reported on stderr, not as a traceback, with exit code 2."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[salary]\nbase = "-5k"\n', encoding="utf-8")
    code = main(["value", str(bad), "--json"])
    out = capsys.readouterr()
    assert code == 2 and out.out == "" and "Traceback" not in out.err
    assert len(out.err.strip().splitlines()) == 1 and "-5k" in out.err and "180k" in out.err
