"""Logging never carries figures or the token: library payload logs are capped, tracebacks lose their messages."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import LIBRARY_LOGGERS, DropLibraryDebug, ValueFreeFormatter, setup_logging

FIGURE = "187654"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Logging set up as the bot does at DEBUG, into a buffer; the previous configuration restored after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_library = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    stream = io.StringIO()
    setup_logging("DEBUG", stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name, level in saved_library.items():
        logging.getLogger(name).setLevel(level)


def record(name: str, level: int) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "payload %s", (FIGURE,), None)


@pytest.mark.parametrize("name", ["discord", "discord.http", "discord.gateway", "aiohttp.client", "sqlalchemy.engine"])
def test_library_debug_records_are_dropped(name: str) -> None:
    """DEBUG records from libraries that log payloads are filtered out."""
    assert not DropLibraryDebug().filter(record(name, logging.DEBUG))


@pytest.mark.parametrize(
    ("name", "level"), [("discord.http", logging.INFO), ("fourth_pillar", logging.DEBUG), ("discordant", logging.DEBUG)]
)
def test_other_records_pass(name: str, level: int) -> None:
    """Library records at INFO and above, and the bot's own DEBUG lines, pass (a name merely starting alike too)."""
    assert DropLibraryDebug().filter(record(name, level))


def test_debug_level_still_caps_discord_at_info(captured: io.StringIO) -> None:
    """With LOG_LEVEL=DEBUG the bot's debug lines appear but discord.py's request-body lines do not."""
    logging.getLogger("fourth_pillar.commands").debug("/offer evaluate received")
    logging.getLogger("discord.http").debug("POST body {'base': %s}", FIGURE)
    logging.getLogger("discord.gateway").debug("event %s", FIGURE)
    output = captured.getvalue()
    assert "/offer evaluate received" in output
    assert FIGURE not in output
    assert logging.getLogger("discord").getEffectiveLevel() == logging.INFO


def test_tracebacks_keep_their_frames_but_not_their_messages(captured: io.StringIO) -> None:
    """An exception quoting a value is logged with its type and frames, never its message (nor its cause's)."""

    def parse() -> None:
        try:
            raise ValueError(f"bad amount {FIGURE}")
        except ValueError as exc:
            raise RuntimeError(f"while valuing {FIGURE}") from exc

    try:
        parse()
    except RuntimeError:
        logging.getLogger("fourth_pillar").exception("unexpected error abc123")
    output = captured.getvalue()
    assert "unexpected error abc123" in output
    assert "builtins.ValueError (message withheld)" in output
    assert "builtins.RuntimeError (message withheld)" in output
    assert "in parse" in output
    assert FIGURE not in output


def test_formatter_without_exception_is_plain() -> None:
    """A record without an exception formats as its message alone."""
    formatter = ValueFreeFormatter("%(message)s")
    assert formatter.format(record("fourth_pillar", logging.INFO)) == f"payload {FIGURE}"


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
def test_sql_loggers_stay_at_warning_whatever_the_level(level: str) -> None:
    """SQLAlchemy, aiosqlite and alembic stay at WARNING at every LOG_LEVEL (they print SQL with its parameters
    below it), so SQLAlchemy does not even build those lines."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    try:
        setup_logging(level, io.StringIO())
        for name in ("sqlalchemy", "sqlalchemy.engine.Engine", "aiosqlite", "alembic.runtime.migration"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING, name
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, old in saved.items():
            logging.getLogger(name).setLevel(old)


@pytest.mark.parametrize("name", ["sqlalchemy.engine.Engine", "aiosqlite", "alembic.runtime.migration"])
def test_sql_info_records_are_dropped_even_if_a_library_resets_its_level(name: str) -> None:
    """An INFO record from a database library (a statement and its parameters) never reaches the log."""
    assert not DropLibraryDebug().filter(record(name, logging.INFO))
    assert DropLibraryDebug().filter(record(name, logging.WARNING))
