"""Logging that never carries an offer figure or the token.

discord.py logs HTTP request bodies and gateway payloads at DEBUG: library loggers are capped at INFO whatever
LOG_LEVEL says, and the handler's filter drops any library DEBUG record that slips through (a library resetting its
own level). The database libraries log every SQL statement, with its parameters (a user id beside a tax rate), at
INFO: they stay at WARNING at every LOG_LEVEL, and the filter drops anything quieter from them. The bot's own lines
carry no user or server ids. Exception messages can quote values (a parse error, an HTTP 400 echoing a field), so tracebacks are
logged with their frames and exception types only. The bot's own lines name the command and its duration, never
option values.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import TextIO

LIBRARY_LOGGERS = ("discord", "aiohttp", "asyncio", "sqlalchemy", "aiosqlite", "alembic")
SQL_LOGGERS = ("sqlalchemy", "aiosqlite", "alembic")
"""Loggers that would print SQL statements or their parameters below WARNING."""
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def _from(name: str, loggers: tuple[str, ...]) -> bool:
    return any(name == logger or name.startswith(logger + ".") for logger in loggers)


class DropLibraryDebug(logging.Filter):
    """Drops DEBUG records from libraries that log request and event payloads, and anything below WARNING from the
    database libraries (SQL statements and their parameters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        if _from(record.name, SQL_LOGGERS):
            return False
        return record.levelno >= logging.INFO or not _from(record.name, LIBRARY_LOGGERS)


class ValueFreeFormatter(logging.Formatter):
    """Formats tracebacks without exception messages: where it failed and what type, not the values involved."""

    def formatException(self, ei: tuple[type[BaseException], BaseException, object] | tuple[None, None, None]) -> str:
        error = ei[1]
        if error is None:
            return ""
        return "\n".join(_value_free_traceback(error)).rstrip("\n")


def _value_free_traceback(error: BaseException) -> list[str]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for position, exc in enumerate(reversed(chain)):
        if position:
            lines.append("\nThe above led to:\n")
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in traceback.format_tb(exc.__traceback__))
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__} (message withheld)")
    return lines


def setup_logging(level: str, stream: TextIO | None = None) -> None:
    """Route every log line through one handler that applies the rules above."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(ValueFreeFormatter(LOG_FORMAT))
    handler.addFilter(DropLibraryDebug())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    library_level = max(logging.INFO, logging.getLevelName(level))
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING if name in SQL_LOGGERS else library_level)
