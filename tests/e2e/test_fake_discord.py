"""Self-test of the fake Discord: the real discord.py 2.7.1 client, in a subprocess, against the fake."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from tests.fake_discord import (
    BotProcess,
    BuilderError,
    FakeDiscord,
    InteractionRefused,
    Perm,
    message_text,
)
from tests.fake_discord.fixtures import (
    ALICE,
    BOB,
    DEMO_BOT_ARGV,
    DEV_GUILD_ID,
    MODERATOR_ROLE_ID,
    OWNER,
    bot_env,
    make_fake_discord,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    async with make_fake_discord() as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo_bot(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    workdir = tmp_path_factory.mktemp("demo-bot")
    async with BotProcess(DEMO_BOT_ARGV, bot_env(fake, workdir), workdir / "bot.log") as proc:
        await proc.wait_ready(fake, min_syncs=2)
        yield proc


async def test_connect_identify_and_sync_are_recorded(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """The bot logs in over REST, IDENTIFYs without privileged intents and syncs guild + global commands."""
    conn = await fake.wait_for_identify()
    assert conn.identify is not None and conn.identify["token"] == fake.token
    assert int(conn.identify["intents"]) & (1 << 1) == 0
    assert [e["t"] for e in conn.sent if e.get("op") == 0][:2] == ["READY", "GUILD_CREATE"]
    assert fake.find_requests("GET", r"/users/@me$") and fake.find_requests("GET", r"/oauth2/applications/@me$")
    assert {s.guild_id for s in fake.command_syncs if s.accepted} == {None, DEV_GUILD_ID}
    assert [c["name"] for c in fake.guild_commands(DEV_GUILD_ID)] == ["ping"]
    settings = fake.find_command("settings", guild_id=DEV_GUILD_ID)
    assert settings is not None and settings["default_member_permissions"] == str(Perm.MANAGE_GUILD)
    assert fake.unknown_requests == []


async def test_slash_command_gets_ephemeral_reply(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """/ping is answered with a type 4 callback flagged ephemeral (flags & 64)."""
    handle = await fake.deliver(fake.slash("ping", user=ALICE))
    response = await handle.response()
    assert response.type == 4 and response.ephemeral and response.flags & 64
    message = await handle.final()
    assert message["content"] == "pong" and message["flags"] & 64
    assert message["id"] in {m["id"] for m in fake.ephemeral_messages()}
    assert message["id"] not in {m["id"] for m in fake.public_messages()}


async def test_deferred_reply_then_edit_of_original(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """/echo defers (type 5) and then PATCHes @original, in a guild and in a DM."""
    handle = await fake.invoke("echo", options={"text": "hi"})
    assert (await handle.response()).type == 5
    assert (await handle.final())["content"] == "echo: hi (guild)"
    assert any(r.method == "PATCH" and r.path.endswith("/messages/@original") for r in handle.requests)

    dm = await fake.invoke("echo", options={"text": "psst"}, guild_id=None, user=BOB)
    assert (await dm.final())["content"] == "echo: psst (dm)"
    assert dm.payload["context"] == 1 and "user" in dm.payload and "member" not in dm.payload


async def test_button_click_on_bot_message(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """Clicking the button of a message the bot sent reaches its view, which updates the message (type 7)."""
    ping = await fake.deliver(fake.slash("ping", user=ALICE))
    message = await ping.final()
    with pytest.raises(BuilderError, match="ephemeral"):
        fake.click(message, "demo:again", user=BOB)
    click = await fake.deliver(fake.click(message, "demo:again"))
    assert (await click.response()).type == 7
    updated = await click.final()
    assert updated["id"] == message["id"] and updated["content"] == "clicked by alice"
    assert updated["components"] == []
    with pytest.raises(BuilderError, match="no component"):
        fake.click(updated, "demo:again")


async def test_oversize_embed_is_rejected_with_400(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """An embed description over 4096 characters gets Discord's 400/50035; the bot can still answer."""
    handle = await fake.invoke("toolong")
    assert (await handle.final())["content"] == "discord said 400 50035"
    [violation] = handle.rejected
    assert violation.status == 400 and violation.body["code"] == 50035
    assert [".".join(map(str, e.path)) for e in violation.errors] == ["embeds.0.description"]
    assert "_errors" in violation.body["errors"]["data"]["embeds"]["0"]["description"]


async def test_gating_refuses_member_without_manage_server_unless_forged(
    fake: FakeDiscord, demo_bot: BotProcess
) -> None:
    """default_member_permissions is applied by the fake; a forged payload reaches the bot's own check."""
    with pytest.raises(InteractionRefused, match="default_member_permissions"):
        await fake.deliver(fake.slash("settings", user=BOB))
    with pytest.raises(InteractionRefused, match="context 1"):
        await fake.deliver(fake.slash("settings", user=BOB, guild_id=None))
    with pytest.raises(InteractionRefused, match="not synced"):
        await fake.deliver(fake.slash("nosuchcommand", user=BOB))

    moderator = await fake.invoke("settings", user=BOB, roles=[MODERATOR_ROLE_ID])
    assert (await moderator.final())["content"] == "settings ok"
    owner = await fake.invoke("settings", user=OWNER)
    assert (await owner.final())["content"] == "settings ok"

    forged = await fake.deliver(fake.slash("settings", user=BOB), forge=True)
    assert forged.forged
    assert (await forged.final())["content"] == "refused: MissingPermissions"


async def test_autocomplete_answer(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """An autocomplete interaction (type 4) with a focused option gets a type 8 answer with choices."""
    handle = await fake.deliver(fake.autocomplete("city", options={"name": "ber"}, focused="name"))
    choices = await handle.choices()
    assert [c["name"] for c in choices] == ["Berlin", "Bern", "Bergen"]
    assert handle.payload["data"]["options"] == [{"name": "name", "type": 3, "value": "ber", "focused": True}]


async def test_subcommand_options_are_typed_from_synced_definition(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """Option values are typed from the synced /offer evaluate definition; invalid choices need forge=True."""
    payload = fake.slash(
        "offer", subcommand="evaluate", options={"base": "180000", "bonus": "0.15", "remote": "true", "level": "senior"}
    )
    [sub] = payload["data"]["options"]
    assert sub["type"] == 1 and sub["name"] == "evaluate"
    assert {o["name"]: o["value"] for o in sub["options"]} == {
        "base": 180000,
        "bonus": 0.15,
        "remote": True,
        "level": "senior",
    }
    reply = await (await fake.deliver(payload)).final()
    assert reply["content"] == "base=180000 bonus=0.15 remote=True level=senior types=int,float,bool"
    with pytest.raises(BuilderError, match="one of"):
        fake.slash("offer", subcommand="evaluate", options={"base": 1, "bonus": 1, "level": "staff"})
    with pytest.raises(BuilderError, match="missing required"):
        fake.slash("offer", subcommand="evaluate", options={"base": 1})
    forged = fake.slash("offer", subcommand="evaluate", options={"base": "180k", "bonus": 1}, forge=True)
    assert forged["data"]["options"][0]["options"][0]["value"] == "180k"


async def test_attachment_in_and_file_out(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """The bot downloads a resolved attachment from the fake CDN and uploads a file in its followup."""
    data = bytes(range(256)) * 4
    attachment = fake.add_attachment("offer.bin", data, "application/octet-stream")
    handle = await fake.invoke("filesize", options={"file": attachment})
    assert (await handle.response()).ephemeral
    message = await handle.final()
    assert message["content"].startswith("offer.bin: 1024 bytes") and message["flags"] & 64
    [uploaded] = message["attachments"]
    assert uploaded["filename"] == "reversed.bin"
    assert fake.attachment_bytes(uploaded) == data[::-1]
    assert handle.followups == []  # the first followup after a deferral replaces the placeholder


async def test_modal_submit(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """A modal (type 9) can be submitted with text input values and the bot reads them."""
    handle = await fake.invoke("feedback")
    modal = await handle.modal()
    assert modal["title"] == "Feedback"
    submit = await fake.deliver(fake.submit_modal(handle, {"demo:feedback:text": "great bot"}))
    assert message_text(await submit.final()) == "thanks: great bot"
    with pytest.raises(BuilderError, match="required"):
        fake.submit_modal(handle, {})


async def test_dm_and_channel_messages_are_recorded(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """Messages sent outside interactions (a DM, a channel post) are full message objects the fake keeps."""
    handle = await fake.invoke("notify", user=ALICE)
    assert (await handle.final())["content"] == "sent"
    [dm] = fake.dm_messages(ALICE)
    assert dm["content"] == "hello in private" and dm["author"]["id"] == str(fake.bot_user.id)
    channel_id = fake.guilds[DEV_GUILD_ID].default_channel.id
    [post] = fake.messages_in_channel(channel_id)
    assert post["content"] == "alice asked for a note" and not post["flags"] & 64
    assert fake.find_requests("POST", r"/users/@me/channels$")[-1].json == {"recipient_id": ALICE.id}


async def test_dropped_connection_is_resumed(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """When the fake drops the socket, discord.py RESUMEs the same session and interactions flow again."""
    identifies = fake.identify_count
    await fake.drop_connections(code=4000)
    conn = await fake.wait_for_resume(timeout=10)
    assert fake.identify_count == identifies and conn.open
    assert [e["t"] for e in conn.sent if e.get("op") == 0][-1] == "RESUMED"
    assert (await (await fake.invoke("ping")).final())["content"] == "pong"


async def test_guild_removal_is_dispatched(fake: FakeDiscord, demo_bot: BotProcess) -> None:
    """remove_guild sends GUILD_DELETE and the bot's on_guild_remove runs (last: it changes the guild list)."""
    await fake.remove_guild(DEV_GUILD_ID)
    for _ in range(100):
        if f"removed from guild {DEV_GUILD_ID}" in demo_bot.log_text():
            break
        await asyncio.sleep(0.05)
    assert f"removed from guild {DEV_GUILD_ID}" in demo_bot.log_text()


async def test_process_exits_zero_on_sigterm(tmp_path: Path) -> None:
    """A fresh bot process closes its gateway connection and exits 0 on SIGTERM."""
    async with make_fake_discord() as server:
        async with BotProcess(DEMO_BOT_ARGV, bot_env(server, tmp_path), tmp_path / "bot.log") as proc:
            await proc.wait_ready(server, min_syncs=2)
            assert await proc.terminate(timeout=10) == 0
        conn = await server.wait_for_disconnect(timeout=5)
        assert not server.connected and conn.close_code in (1000, 4000) and not conn.closed_by_server


class RawClient:
    """A minimal hand-written gateway client, to make the fake misbehave-test without discord.py."""

    def __init__(self, fake: FakeDiscord, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def connect(self) -> None:
        self.ws = await self.session.ws_connect(self.fake.gateway_url)
        hello = await self.ws.receive_json()
        assert hello["op"] == 10
        await self.ws.send_json({"op": 2, "d": {"token": self.fake.token, "intents": 1}})
        await self.fake.wait_for_identify()

    async def next_event(self, name: str) -> dict[str, Any]:
        assert self.ws is not None
        while True:
            event = await self.ws.receive_json(timeout=5)
            if event.get("t") == name:
                return dict(event["d"])

    async def post(self, path: str, body: Any, method: str = "POST") -> tuple[int, Any]:
        headers = {"Authorization": f"Bot {self.fake.token}"}
        async with self.session.request(method, self.fake.api_base + path, json=body, headers=headers) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            return resp.status, json.loads(await resp.text())


async def test_fake_rejects_double_ack_late_callbacks_and_bad_commands() -> None:
    """Second initial response → 400/40060, callback after the deadline → 404/10062, bad command → 400."""
    async with make_fake_discord(interaction_deadline=0.2) as server, aiohttp.ClientSession() as session:
        client = RawClient(server, session)
        status, body = await client.post(
            f"/applications/{server.application_id}/commands",
            [{"name": "Bad Name", "description": "x"}, {"name": "ok", "description": "d" * 101}],
            method="PUT",
        )
        assert status == 400 and body["code"] == 50035
        assert set(body["errors"]) == {"0", "1"}
        status, _ = await client.post(
            f"/applications/{server.application_id}/commands", [{"name": "ok", "description": "fine"}], method="PUT"
        )
        assert status == 200
        await client.connect()

        handle = await server.deliver(server.slash("ok"))
        event = await client.next_event("INTERACTION_CREATE")
        callback = f"/interactions/{event['id']}/{event['token']}/callback?with_response=true"
        assert (await client.post(callback, {"type": 4, "data": {"content": "one"}}))[0] == 200
        status, body = await client.post(callback, {"type": 4, "data": {"content": "two"}})
        assert (status, body["code"]) == (400, 40060)
        assert (await handle.final())["content"] == "one"

        late = await server.deliver(server.slash("ok"))
        event = await client.next_event("INTERACTION_CREATE")
        await asyncio.sleep(0.3)
        status, body = await client.post(
            f"/interactions/{event['id']}/{event['token']}/callback", {"type": 4, "data": {"content": "late"}}
        )
        assert (status, body["code"]) == (404, 10062) and late.expired
        assert {v.kind for v in server.violations} == {"commands", "already_acknowledged", "deadline"}
