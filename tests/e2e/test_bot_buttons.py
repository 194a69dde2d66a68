"""Buttons across a restart: every button on a message from before it answers with the "expired" notice (none is
left without a response), buttons on new messages work, and the log holds no SQL at LOG_LEVEL=DEBUG."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import start_production_bot
from tests.fake_discord import FakeUser, message_text
from tests.fake_discord.fixtures import make_fake_discord
from tests.fake_discord.server import FakeDiscord

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]
ERIN = FakeUser(1_310_000_000_000_001_021, "erin", global_name="Erin")
EPHEMERAL = 64
EXPIRED = "These buttons have expired"
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|PRAGMA)\b")


async def command(fake: FakeDiscord, name: str, sub: str | None = None, **options: Any) -> dict[str, Any]:
    handle = await fake.invoke(name, subcommand=sub, options=options, user=ERIN)
    final: dict[str, Any] = await handle.final()
    return final


async def press(fake: FakeDiscord, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    handle = await fake.deliver(fake.click(message, custom_id, user=ERIN))
    final: dict[str, Any] = await handle.final()
    return final


async def test_every_button_from_before_a_restart_says_expired(tmp_path: Path) -> None:
    """After a restart, Share, Show your work, Advice, the what-if menu, the formula file, Export and Forget me on
    earlier messages each get the ephemeral "expired" notice; a new breakdown's buttons work; the log holds no SQL and no user id."""
    async with make_fake_discord() as fake:
        first = await start_production_bot(fake, tmp_path, "first.log")
        try:
            breakdown = await command(fake, "offer", "evaluate", base="140k", credits="30k")
            work = await press(fake, breakdown, "result:work")
            privacy = await command(fake, "privacy")
        finally:
            assert await first.terminate() == 0
        second = await start_production_bot(fake, tmp_path, "second.log")
        try:
            stale = [(breakdown, "result:share"), (breakdown, "result:work"), (work, "result:file")]
            stale += [(privacy, "privacy:export"), (privacy, "privacy:forget")]
            if any(c.get("custom_id") == "result:advice" for row in breakdown["components"] for c in row["components"]):
                stale.append((breakdown, "result:advice"))
            for message, custom_id in stale:
                answer = await press(fake, message, custom_id)
                assert answer["flags"] & EPHEMERAL and EXPIRED in message_text(answer), custom_id
            handle = await fake.deliver(fake.select(breakdown, "whatif:change", ["util:90"], user=ERIN))
            answer = await handle.final()
            assert answer["flags"] & EPHEMERAL and EXPIRED in message_text(answer), "what-if"
            fresh = await command(fake, "offer", "evaluate", base="141k")
            assert "Assumptions used" in message_text(await press(fake, fresh, "result:work"))
            log = first.log_text() + second.log_text()
            assert "DEBUG" in log  # the level really was DEBUG
            assert SQL.findall(log) == []
            assert str(ERIN.id) not in log
        finally:
            await second.close()
