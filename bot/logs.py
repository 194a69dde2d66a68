"""Logging that never carries an offer figure or the token.

discord.py logs HTTP bodies and gateway payloads at DEBUG: those loggers are capped at INFO whatever LOG_LEVEL
says, and a filter drops any DEBUG record from them that slips through. The bot's own lines name the command and
its duration, never option values.
"""

from __future__ import annotations

import logging
import sys

_NOISY = ("discord", "aiohttp", "asyncio", "sqlalchemy", "aiosqlite")


class DropLibraryDebug(logging.Filter):
    """Drops DEBUG records from libraries that log request and event payloads."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        return not record.name.startswith(_NOISY)


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(DropLibraryDebug())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
