"""``python -m bench.reader``: the free-text reader's time per character on ordinary and adversarial texts at
1,500, 3,000 and 6,000 characters. Linear time shows as a flat column: the ratio of the 6,000- to the
1,500-character time stays near 4 (the length ratio) rather than 16."""

from __future__ import annotations

import time

from valuation import default_registry
from valuation.reader import MAX_TEXT_CHARS, read_offer

EMAIL = (
    "Hi Sam,\n\n- $185,000 annual base salary\n- RSUs valued at $400,000 vesting over four years (25% after the "
    "first year, then quarterly)\n- 2,000 H100 hours per year\n- 100M tokens/month of Claude Sonnet\n\nBest,\nJordan\n"
)
TEXTS = {
    "email": EMAIL,
    "digits and commas": "1,",
    "spaced groups": "1 000 ",
    "slashes": "1/",
    "token counts": "100M tokens of ",
    "model names": "claude sonnet 4.5 ",
    "one long clause": "base 180k RSU 4y cliff 1y credits 50k per month ",
    "no separators": "9",
}
SIZES = (MAX_TEXT_CHARS // 4, MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS)


def main() -> int:
    registry = default_registry()
    print(f"{'text':<20}" + "".join(f"{n:>12}" for n in SIZES) + "   ratio (6000/1500)")
    for name, unit in TEXTS.items():
        times = []
        for size in SIZES:
            text = (unit * (size // len(unit) + 1))[:size]
            best = min(_timed(text, registry) for _ in range(7))
            times.append(best)
        print(f"{name:<20}" + "".join(f"{t * 1000:>10.1f}ms" for t in times) + f"   {times[-1] / times[0]:.1f}")
    return 0


def _timed(text: str, registry: object) -> float:
    start = time.perf_counter()
    read_offer(text, registry)  # type: ignore[arg-type]
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
