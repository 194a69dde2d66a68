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
    assert data["schema_version"] == 2 and data["registry_as_of"] == "2026-12-01"
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


def test_compare_a_usd_and_a_euro_offer_with_its_usd_rate(
    examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The euro example already gives usd_rate 0.92: compare converts it to dollars (×1/0.92) instead of asking
    for the rate again, and labels rows by file name."""
    data = run_json(
        capsys, "compare", str(examples_dir / "acme-ai.toml"), str(examples_dir / "euro-offer.toml"), "--json"
    )
    euro = data["offers"][1]
    assert (data["currency"], euro["currency"], euro["name"]) == ("USD", "EUR", "euro-offer.toml")
    assert Decimal(euro["multiplier"]) * Decimal("0.92") == pytest.approx(Decimal(1), abs=Decimal("1e-20"))


def test_compare_a_euro_offer_without_a_rate_names_the_file_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal names the file as one piece ("04-euro.toml", never "04 → euro → toml") beside the field: a
    euro offer taxed in the US (the default) with no usd_rate can't have its rate estimated, and says usd_rate
    would convert its pay."""
    usd = tmp_path / "a.toml"
    usd.write_text('[salary]\nbase = "100k"\n', encoding="utf-8")
    euro = tmp_path / "04-euro.toml"
    euro.write_text('currency = "EUR"\n[salary]\nbase = "90k"\n', encoding="utf-8")
    assert main(["compare", str(usd), str(euro)]) == 2
    err = capsys.readouterr().err
    assert "`04-euro.toml` → `assumptions → usd_rate`" in err and "US tax schedules" in err
    assert "04 →" not in err


def test_compare_a_bad_file_among_several_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A problem inside one of the compared files says which file it is in."""
    good = tmp_path / "good.toml"
    good.write_text('[salary]\nbase = "100k"\n', encoding="utf-8")
    bad = tmp_path / "series-b-c.toml"
    bad.write_text('[salary]\nbase = "-5k"\n', encoding="utf-8")
    assert main(["compare", str(good), str(bad)]) == 2
    assert capsys.readouterr().err.startswith("error: `series-b-c.toml` → `salary → base`")


def test_compare_one_offer_says_two_are_needed(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One file: "needs at least two offers", exit 2."""
    assert main(["compare", str(examples_dir / "acme-ai.toml")]) == 2
    assert "at least two offers" in capsys.readouterr().err


def test_compare_over_the_shorter_horizon_and_says_so(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """acme (48 months) and gpu-hours (36): both over 36, and the text says it is the shortest horizon."""
    assert main(["compare", str(examples_dir / "acme-ai.toml"), str(examples_dir / "gpu-hours.toml")]) == 0
    out = capsys.readouterr().out
    assert "Compared over 36 months, the shortest horizon" in out
    assert "acme-ai.toml: 48, gpu-hours.toml: 36" in out and "36 months worth" in out
    assert (
        main(["compare", str(examples_dir / "acme-ai.toml"), str(examples_dir / "gpu-hours.toml"), "--months", "12"])
        == 0
    )
    assert "Compared over 12 months, as asked" in capsys.readouterr().out


def test_unknown_locale_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """`--locale xx-YY` exits 2 naming the option, instead of falling back to en-US unseen."""
    assert main(["tokens", "100M", "gpt-5", "--locale", "xx-YY"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "`--locale`" in out.err and "xx-YY" in out.err
    assert main(["tokens", "100M", "gpt-5", "--locale", "de-DE"]) == 0


def test_tokens_below_a_cent_show_their_value(capsys: pytest.CaptureFixture[str]) -> None:
    """500 gpt-5 tokens at the base blend 3.4375 per million are $0.00171875: shown as $0.0017 and "less than a
    cent", not $0.00."""
    assert main(["tokens", "500", "gpt-5"]) == 0
    out = capsys.readouterr().out
    assert "≈ $0.0017 " in out and "less than a cent" in out and "$0.00 " not in out


def test_prices_show_the_price_valuation_uses(capsys: pytest.CaptureFixture[str]) -> None:
    """H100's base is 3.495 per hour in the registry and in valuation: `prices` shows $3.495, not $3.50, and the
    employer range of GPUs (50–70%)."""
    assert main(["prices"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("- h100 "))
    assert "base $3.495" in line and "employers pay 50%–70%" in line


def test_an_implausible_credit_in_an_offer_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """amount = "100M" on a 180k base is refused (over 10 × 180k = $1,800,000), asking what was meant."""
    offer = tmp_path / "offer.toml"
    offer.write_text('[salary]\nbase = "180k"\n[[compute]]\namount = "100M"\n', encoding="utf-8")
    assert main(["value", str(offer)]) == 2
    err = capsys.readouterr().err
    assert "$1,800,000" in err and 'model = "gpt-5"' in err


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


def test_gpu_hours_keep_their_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    """$5 of H100 at the base 3.495 an hour buys 5 / 3.495 = 1.4306 hours, shown as 1.43 (it showed 1); half an
    hour is shown as 0.5, not 0."""
    assert main(["tokens", "$5", "h100"]) == 0
    assert "≈ 1.43 GPU-hours" in capsys.readouterr().out
    assert main(["tokens", "0.5", "h100"]) == 0
    assert "0.5 GPU-hours of NVIDIA H100 ≈ $1.75 " in capsys.readouterr().out  # 0.5 × 3.495 = 1.7475


def test_a_missing_price_file_gives_a_price_file_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`--prices` naming no file says so with a price-file example, not "offer.toml"."""
    assert main(["prices", "--prices", "/no/such/prices.toml"]) == 2
    err = capsys.readouterr().err
    assert "`price file`" in err and "prices.toml" in err and "offer.toml" not in err


def test_compare_says_each_conversion_on_its_own_line(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The horizon sentence and the conversion note are separate lines (they ran together)."""
    paths = [str(examples_dir / name) for name in ("acme-ai.toml", "gpu-hours.toml", "euro-offer.toml")]
    assert main(["compare", *paths]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("Choose the months with --months.")  # after the heading and its underline
    assert lines[3] == "euro-offer.toml is in EUR: shown in USD with its own usd_rate (1 EUR = 1.087 USD)."
