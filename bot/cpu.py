"""Where CPU work runs: on the event loop when it is small and bounded, in a thread when it may be long.

Python runs one thread at a time (the GIL), and a thread that holds it keeps it for up to the switch interval
(5 ms) before the event loop gets a turn. So moving sub-millisecond work to a thread does not free the loop any
sooner; it only adds the hand-off (a thread wake-up, a self-pipe write, two GIL switches), which costs about as much
as the work itself. Work that can grow with the input (an uploaded offer file with many grants, free text for the
reader) still goes to a thread, where the loop gets a turn every few milliseconds however long it runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

SMALL_INPUT_BYTES = 4096
"""An offer's plain inputs up to this size (as JSON) value and render in about a millisecond: options, or a stored
offer of a few grants. Larger inputs (many grants, long horizons) go to a thread."""


async def run_cpu(small: bool, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)``: here when ``small`` (bounded, about a millisecond), else in a worker thread."""
    if small:
        return func(*args, **kwargs)
    return await asyncio.to_thread(func, *args, **kwargs)


def is_small(inputs: bytes | str | None) -> bool:
    """Whether an offer's plain inputs (JSON) are small enough to value on the event loop."""
    return inputs is None or len(inputs) <= SMALL_INPUT_BYTES
