"""The bot benchmark's report: a target is met only when every repetition is within it, and each repetition's
ratio is printed beside the median so a reader sees which one missed."""

from __future__ import annotations

from bench.bot import Results, report


def _results(evaluate: list[float], ready_bot: list[float], ready_noop: list[float]) -> Results:
    results = Results()
    results.ratios = {
        "/offer evaluate": evaluate,
        "Advice button": [3.0, 3.5, 4.0],
        "/offer compare (two saved)": [4.0, 4.5, 5.0],
        "Show your work button": [6.0, 6.0, 6.0],
    }
    results.throughput_ratios = [0.3, 0.28, 0.31]
    results.ready = {"bot": ready_bot, "noop": ready_noop}
    return results


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.strip().startswith(start))


def test_one_repetition_over_its_target_misses_and_each_repetition_is_shown() -> None:
    """Evaluate at 3.6×, 4.2× and 3.8×: the median (3.8×) is within 4× but one repetition is not, so it misses;
    READY at 0.6/0.3, 0.7/0.35 and 0.5/0.25 s is 2.0× each time, so it meets ≤ 2.5×; a target met exactly (compare
    at 5.0×) meets."""
    lines = list(report(_results([3.6, 4.2, 3.8], [0.6, 0.7, 0.5], [0.3, 0.35, 0.25]), quick=False, charts=False))
    assert _line(lines, "/offer evaluate CPU × no-op").split()[-4:] == ["3.6–4.2×", "≤", "4×", "MISSES"]
    assert _line(lines, "/offer compare (two saved) CPU × no-op").endswith("meets")
    assert _line(lines, "start to READY × no-op").endswith("meets")
    each = _line(lines, "/offer evaluate CPU × no-op, each repetition:")
    assert each.endswith("3.6, 4.2, 3.8  (median 3.8)")
    assert _line(lines, "start to READY × no-op, each repetition:").endswith("2.00, 2.00, 2.00  (median 2.00)")
    assert _line(lines, "evaluate throughput × no-op, each repetition:").endswith("0.30, 0.28, 0.31  (median 0.30)")


def test_a_ready_ratio_just_over_its_target_reads_as_over_it() -> None:
    """READY at 0.635 s against 0.25 s is 2.54×: printed with two decimals, so a miss never reads "2.5×"."""
    lines = list(report(_results([3.0, 3.0, 3.0], [0.635], [0.25]), quick=True, charts=False))
    assert _line(lines, "start to READY × no-op").split()[-4:] == ["2.54×", "≤", "2.5×", "MISSES"]
