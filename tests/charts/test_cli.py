"""``--chart PATH.png`` on value, compare and advise."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main

PNG = b"\x89PNG\r\n\x1a\n"


def test_value_writes_the_money_and_leaving_charts(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`value --chart out.png` writes out.png (where the money is) and out-leave.png, naming each with its alt text,
    and still prints the breakdown."""
    target = tmp_path / "out.png"
    assert main(["value", str(examples_dir / "acme-ai.toml"), "--chart", str(target)]) == 0
    assert target.read_bytes().startswith(PNG)
    assert (tmp_path / "out-leave.png").read_bytes().startswith(PNG)
    captured = capsys.readouterr()
    assert "What Acme AI's offer is really worth" in captured.out
    assert f"Chart written to {target}: Bar chart, per year" in captured.err
    assert "Cliff at month 12." in captured.err


def test_compare_and_advise_write_one_chart_each(examples_dir: Path, tmp_path: Path) -> None:
    """`compare --chart` writes the comparison, `advise --chart` the money chart of the offer advised on."""
    offers = [str(examples_dir / n) for n in ("acme-ai.toml", "startup-options.toml")]
    assert main(["compare", *offers, "--chart", str(tmp_path / "c.png")]) == 0
    assert main(["advise", offers[0], "--chart", str(tmp_path / "a.png")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "c.png"]


def test_a_chart_path_in_a_missing_folder_is_bad_input(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A chart that can't be written is reported in one line, exit code 2, no traceback."""
    missing = tmp_path / "nowhere" / "x.png"
    assert main(["value", str(examples_dir / "acme-ai.toml"), "--chart", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: `chart`:") and "wasn't found" in err
