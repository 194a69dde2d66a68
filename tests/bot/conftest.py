"""A bot built as production builds it, with every extension loaded, but never connected."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from bot.app import FourthPillar, create_resources
from bot.features import EXTENSIONS
from bot.settings import Settings

SETTING_NAMES = (
    "DISCORD_TOKEN",
    "DATABASE_URL",
    "DATA_KEY",
    "DEV_GUILD_ID",
    "LOG_LEVEL",
    "DISCORD_API_BASE",
    "DISCORD_GATEWAY_URL",
    "SHUTDOWN_GRACE_SECONDS",
    "EVALUATE_COOLDOWN_USES",
    "EVALUATE_COOLDOWN_SECONDS",
)


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's exported settings must not change what the tests see."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    """A test that runs the bot's start-up (``setup_hook``) changes the process's garbage collector (frozen objects,
    a higher threshold): it is put back, so the tests after it run with the collector as the test run had it."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def make_settings(**overrides: object) -> Settings:
    """Settings from arguments only: a developer's ``.env`` or environment never leaks in."""
    values: dict[str, object] = {"discord_token": "test-token", **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest_asyncio.fixture
async def loaded_bot() -> AsyncIterator[FourthPillar]:
    bot = FourthPillar(make_settings(), create_resources())
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    yield bot
    await bot.close()
