"""``python -m bench``: the benchmarks, each printed beside its own baseline measured in the same run."""

from __future__ import annotations

from bench import core


def main(argv: list[str] | None = None) -> int:
    return core.main(argv)
