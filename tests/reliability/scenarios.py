"""The reliability scenarios, each against the real bot process and the fake Discord on 127.0.0.1.

Every scenario takes a size (the quick versions in ``make test`` use small ones, ``make soak`` large ones), starts
its own bot in a fresh directory, and returns a :class:`Row` of counts. Loops are bounded by the size and every
wait has a timeout, so a scenario always ends by itself. Generated values come from a seeded ``random.Random``:
the same size gives the same interactions.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.conftest import start_production_bot
from tests.e2e.test_bot_process import SlowFileHost
from tests.fake_discord import message_text
from tests.fake_discord.fixtures import make_fake_discord
from tests.fake_discord.handles import FakeDiscordError, InteractionHandle, InteractionRefused
from tests.fake_discord.harness import BotProcess
from tests.fake_discord.models import FakeUser, Perm
from tests.fake_discord.server import FakeDiscord

EPHEMERAL = 64
MESSAGE_CALLBACKS = (4, 5, 6, 7)
DEADLINE = 3.0
# What a person must never read: a traceback, an exception's name, library or template internals.
INTERNAL = re.compile(
    r"Traceback|Exception|Error\(|sqlite|sqlalchemy|pydantic|jinja|NoneType|KeyError|ValueError|TypeError|"
    r"object at 0x|Something went wrong on our side"
)
FIGURE = re.compile(r"[$€£¥]\s?\d")
SOAK_ENV = {"EVALUATE_COOLDOWN_USES": "1000000", "LOG_LEVEL": "INFO"}


@dataclass
class Row:
    """One line of the soak table."""

    scenario: str
    interactions: int = 0
    unanswered: int = 0
    bad: int = 0
    """Answers with a traceback or internal text, mentions not disabled, or figures shown publicly in a server."""
    missed: int = 0
    """Initial responses later than Discord's 3-second deadline."""
    note: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.unanswered == 0 and self.bad == 0 and self.missed == 0 and not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(text)


def users(count: int) -> list[FakeUser]:
    return [FakeUser(1_320_000_000_000_000_000 + i, f"user{i}") for i in range(count)]


def sent_bodies(handle: InteractionHandle) -> list[tuple[dict[str, Any], bool]]:
    """Every message body the bot sent for this interaction (callbacks, webhook edits and followups), each with
    whether Discord shows it only to the person: an edit of the first response keeps that response's flag."""
    first_private = handle.callback is not None and handle.callback.ephemeral
    bodies = []
    for request in handle.requests:
        body = request.payload
        if request.method not in ("POST", "PATCH") or not isinstance(body, dict) or request.status != 200:
            continue
        if request.route == "interaction_callback":
            if body.get("type") in MESSAGE_CALLBACKS and isinstance(body.get("data"), dict):
                bodies.append((body["data"], bool(int(body["data"].get("flags") or 0) & EPHEMERAL)))
        elif request.route == "edit_webhook_message" and request.path.endswith("/@original"):
            bodies.append((body, first_private))
        else:
            bodies.append((body, bool(int(body.get("flags") or 0) & EPHEMERAL)))
    return bodies


async def check(row: Row, handle: InteractionHandle, *, final: bool = True, patience: float = 20.0) -> str:
    """Count one interaction: answered in time, and every message it produced clean. Returns the final text."""
    row.interactions += 1
    try:
        callback = await handle.response(timeout=patience)
    except FakeDiscordError:
        row.unanswered += 1
        row.problem(f"unanswered: {describe(handle)}")
        return ""
    if callback.elapsed > DEADLINE:
        row.missed += 1
    text = ""
    if final and callback.type in MESSAGE_CALLBACKS:
        try:
            text = message_text(await handle.final(timeout=patience))
        except FakeDiscordError:
            row.unanswered += 1
            row.problem(f"no final message: {describe(handle)}")
            return ""
    in_server = handle.guild_id is not None
    for body, private in sent_bodies(handle):
        shown = message_text(body)
        if not (body.get("content") or body.get("embeds") or body.get("components")):
            continue  # a deferral or an empty edit: nothing a person reads, nothing that could mention
        if body.get("allowed_mentions") != {"parse": []}:
            row.bad += 1
            row.problem(f"mentions not disabled: {describe(handle)}")
        if INTERNAL.search(shown):
            row.bad += 1
            row.problem(f"internal text {INTERNAL.search(shown)!r}: {describe(handle)}: {shown[:200]!r}")
        if in_server and FIGURE.search(shown) and not private:
            row.bad += 1
            row.problem(f"figures shown publicly: {describe(handle)}")
    return text


def describe(handle: InteractionHandle) -> str:
    data = handle.payload.get("data") or {}
    return json.dumps({"type": handle.type, "name": data.get("name"), "options": data.get("options")})[:300]


async def with_bot(
    name: str, body: Callable[[FakeDiscord, BotProcess, Path, Row], Awaitable[None]], workdir: Path, **env: str
) -> Row:
    """Run ``body`` against a fresh fake Discord and production bot; the log must hold no traceback."""
    row = Row(name)
    started = time.monotonic()
    async with make_fake_discord() as fake:
        bot = await start_production_bot(fake, workdir, env={**SOAK_ENV, **env})
        try:
            await body(fake, bot, workdir, row)
        finally:
            await bot.close()
            if "Traceback" in bot.log_text():
                row.problem("traceback in the bot's log: " + bot.log_tail(15))
    row.seconds = time.monotonic() - started
    return row


async def bounded(jobs: Iterable[Callable[[], Awaitable[None]]], in_flight: int) -> None:
    """Run the jobs with at most ``in_flight`` at once."""
    gate = asyncio.Semaphore(in_flight)

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


# ====================================================================== generated hostile values

HOSTILE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "$-5k",
    "999999999999999999999999999999999999999999k",
    "9" * 5000,
    "0." + "0" * 400 + "1",
    "1,2,3",
    "100%%",
    "250%",
    "-40%",
    "0x10",
    "1_000",
    "١٢٣",
    "€180k",
    "180k$",
    "$$$",
    "k",
    "M",
    "1e5k",
    "@everyone",
    "@here",
    "<@1320000000000000001>",
    "<@&1310000000000000200>",
    "**bold** __u__ ~~s~~ `code` ```block```",
    "https://example.invalid/@everyone",
    "{{ 7*7 }}",
    "{% raw %}",
    "'; DROP TABLE offers; --",
    "../../etc/passwd",
    "\x00\x01\x02",
    "\u202ereversed",
    "e\u0301\u0301\u0301\u0301",
    "🙂" * 50,
    "\n\n\n# heading\n> quote",
    "a" * 6000,
    "claude-sonnet-4.5",
    "h100",
    "gpt-5",
    "180k",
    "50%",
    "USD",
    "EUR",
    "CA",
    "none",
]
HOSTILE_INTEGERS = [0, -1, 1, 12, 48, 1000, -(2**53), 2**53, 10**20]
HOSTILE_NUMBERS = [0.0, -0.0, 1e-300, 1e308, -1.5, 0.5, 3.0]


def hostile_files(rng: random.Random) -> list[tuple[str, bytes]]:
    """Offer files a person or an attacker might send: valid, broken, huge, deep, binary, in odd encodings."""
    many_grants = json.dumps({"salary": {"base": "180k"}, "compute": {"credits": [{} for _ in range(15_000)]}})
    files = [
        ("offer.toml", b'employer = "Acme"\n[salary]\nbase = "180k"\n'),
        ("offer.toml", b""),
        ("offer.toml", b"\xef\xbb\xbf[salary]\nbase = 180000\n"),
        ("offer.toml", '[salary]\nbase = "180k"\n'.encode("utf-16")),
        ("offer.toml", b"[" * 5000),
        ("offer.toml", b"a = " + b"[" * 2000 + b"]" * 2000),
        ("offer.json", b"[" * 20000),
        ("offer.json", ('{"salary": {"base": ' + "9" * 5000 + "}}").encode()),
        ("offer.json", many_grants.encode()),
        ("offer.toml", bytes(rng.randrange(256) for _ in range(2048))),
        ("offer.toml", b'employer = "@everyone <@1>"\n[salary]\nbase = "180k"\n'),
        ("offer.toml", b'[salary]\nbase = "180k"\n' + b"#" * 60_000),
        ("offer.toml", b'[salary]\nbase = "180k"\n[[compute.tokens]]\namount = "1e400"\nmodel = "gpt-5"\n'),
        ("offer.txt", b"base 180k, 50k credits"),
        ("offer.json", b'{"salary": {"base": "180k"}, "salary": {"base": "1"}}'),
        ("offer.toml", b'[salary]\nbase = "180k"\n[assumptions]\nmarginal_tax_rate = "1000%"\n'),
    ]
    return files


def option_value(rng: random.Random, fake: FakeDiscord, option: dict[str, Any], files: list[tuple[str, bytes]]) -> Any:
    """A generated value for one option: often hostile, sometimes one of its own choices."""
    otype = option["type"]
    choices = option.get("choices") or []
    if choices and rng.random() < 0.5:
        return rng.choice(choices)["value"]
    if otype == 3:
        return rng.choice(HOSTILE_TEXT)
    if otype == 4:
        return rng.choice(HOSTILE_INTEGERS)
    if otype == 10:
        return rng.choice(HOSTILE_NUMBERS)
    if otype == 5:
        return rng.choice([True, False])
    if otype == 11:
        name, data = rng.choice(files)
        return fake.add_attachment(name, data, "application/octet-stream")
    return rng.choice(HOSTILE_TEXT)


def leaf_commands(fake: FakeDiscord) -> list[tuple[str, str | None, list[dict[str, Any]]]]:
    """Every (command, subcommand, options) the bot published."""
    leaves = []
    for command in fake.global_commands:
        if command.get("type", 1) != 1:
            continue
        subs = [o for o in command.get("options") or [] if o["type"] == 1]
        if subs:
            leaves.extend((command["name"], sub["name"], sub.get("options") or []) for sub in subs)
        else:
            leaves.append((command["name"], None, command.get("options") or []))
    return leaves


async def fuzz(workdir: Path, count: int, *, seed: int = 16, in_flight: int = 16, only: tuple[str, ...] = ()) -> Row:
    """Every command with generated hostile options and offer files, in servers (as members and as moderators) and
    in DMs, some forged past Discord's own checks; autocomplete with hostile text."""

    async def body(fake: FakeDiscord, bot: BotProcess, _: Path, row: Row) -> None:
        rng = random.Random(seed)
        leaves = [leaf for leaf in leaf_commands(fake) if not only or leaf[0] in only]
        files = hostile_files(rng)
        people = users(64)
        not_sent: list[str] = []

        async def one(index: int) -> None:
            rng = random.Random(seed * 1_000_003 + index)  # each interaction's values depend on its index only
            name, sub, options = leaves[index % len(leaves)]
            user = people[rng.randrange(len(people))]
            chosen = {
                o["name"]: option_value(rng, fake, o, files) for o in options if o.get("required") or rng.random() < 0.5
            }
            where = rng.choice(["server", "server", "moderator", "dm"])
            kwargs: dict[str, Any] = {"subcommand": sub, "options": chosen, "user": user, "forge": True}
            if where == "dm":
                kwargs["guild_id"] = None
            elif where == "moderator":
                kwargs["permissions"] = int(Perm.MANAGE_GUILD)
            autocompletes = [o for o in options if o.get("autocomplete")]
            try:
                if autocompletes and rng.random() < 0.25:
                    focused = rng.choice(autocompletes)["name"]
                    chosen[focused] = rng.choice(HOSTILE_TEXT)[:100]
                    payload = fake.autocomplete(name, focused=focused, **kwargs)
                    handle = await fake.deliver(payload, forge=True)
                    await check(row, handle, final=False)
                    return
                handle = await fake.invoke(name, **kwargs)
            except (InteractionRefused, ValueError, TypeError, KeyError):  # a shape the builder can't express
                not_sent.append(name)
                return
            await check(row, handle)

        await bounded(((lambda i=i: one(i)) for i in range(count)), in_flight)
        row.note = f"{len(leaves)} commands; {len(not_sent)} payloads the fake could not build"

    return await with_bot("fuzz: every command, hostile options and files", body, workdir)


# ====================================================================== the stall test


async def stall(workdir: Path, attackers: int, rounds: int, presses: int) -> Row:
    """Attackers send the heaviest offer files Discord allows (15,000 empty grants, huge TOML) to /offer save and
    /offer evaluate while someone else presses /help: the victim's misses of the 3-second deadline are counted."""

    async def body(fake: FakeDiscord, bot: BotProcess, _: Path, row: Row) -> None:
        heavy = [data for _, data in hostile_files(random.Random(1)) if len(data) > 40_000]
        people = users(attackers + 1)
        victim, gang = people[0], people[1:]
        stop = asyncio.Event()
        attack = Row("attack")

        async def attacker(person: FakeUser) -> None:
            for i in range(rounds):
                if stop.is_set():
                    return
                file = fake.add_attachment("offer.json", heavy[i % len(heavy)], "application/json")
                sub = "save" if i % 2 else "evaluate"
                options = {"offer_file": file, "name": f"x{i}"} if sub == "save" else {"offer_file": file}
                await check(attack, await fake.invoke("offer", subcommand=sub, options=options, user=person))

        async def victim_presses() -> None:
            for _ in range(presses):
                await check(row, await fake.invoke("help", user=victim))
                await asyncio.sleep(0.05)
            stop.set()

        await asyncio.gather(victim_presses(), *(attacker(p) for p in gang))
        row.note = f"{attackers} attackers sent {attack.interactions} heavy files ({attack.unanswered} unanswered)"
        row.unanswered += attack.unanswered
        row.bad += attack.bad

    return await with_bot("stall: /help while others send huge offer files", body, workdir)


# ====================================================================== kill -9 during writes


async def kill_during_writes(workdir: Path, writers: int, writes: int) -> Row:
    """People save their defaults while the bot is killed with SIGKILL mid-burst; after a restart every write that
    was acknowledged ("Saved: ...") is found with /defaults show."""
    row = Row("kill -9 during writes: every acknowledged write kept")
    started = time.monotonic()
    people = users(writers)
    acknowledged: dict[int, str] = {}
    in_flight: dict[int, str] = {}  # a write sent after the last acknowledged one: it may have committed unanswered
    async with make_fake_discord() as fake:
        bot = await start_production_bot(fake, workdir, env=SOAK_ENV)
        try:

            async def writer(index: int, person: FakeUser) -> None:
                for n in range(writes):
                    value = f"{(index * 7 + n) % 89 + 1}%"  # 1%..89%: never the 50% default... nor 0
                    in_flight[person.id] = value
                    try:
                        handle = await fake.invoke(
                            "defaults",
                            subcommand="set",
                            options={"setting": "utilization", "value": value},
                            user=person,
                        )
                        text = message_text(await handle.final(timeout=5))
                    except FakeDiscordError:
                        return  # the bot died under it: not acknowledged
                    row.interactions += 1
                    if text.startswith("Saved:"):
                        acknowledged[person.id] = value

            tasks = [asyncio.create_task(writer(i, p)) for i, p in enumerate(people)]
            writing = asyncio.gather(*tasks)
            # Kill once half the people have an acknowledged write, while the rest are mid-write.
            async with asyncio.timeout(60):
                while len(acknowledged) < writers // 2 and not writing.done():
                    await asyncio.wait([writing], timeout=0.01)
            await bot.kill()
            await writing
        finally:
            await bot.close()
        bot = await start_production_bot(fake, workdir, log_name="bot-2.log", env=SOAK_ENV)
        try:
            for person in people:
                if person.id not in acknowledged:
                    continue
                handle = await fake.invoke("defaults", subcommand="show", user=person)
                text = await check(row, handle)
                kept = {acknowledged[person.id], in_flight[person.id]}
                if not any(re.search(rf"(?<![\d.]){int(v[:-1])}(\.0+)?\s?%", text) for v in kept):
                    row.bad += 1
                    row.problem(f"acknowledged {acknowledged[person.id]} lost: {text[:300]!r}")
        finally:
            await bot.close()
            if "Traceback" in bot.log_text():
                row.problem("traceback after restart: " + bot.log_tail(15))
    row.note = f"{len(acknowledged)} people's last acknowledged write checked after the restart"
    row.seconds = time.monotonic() - started
    return row


# ====================================================================== gateway close and resume mid-burst


async def resume_mid_burst(workdir: Path, count: int, drops: int) -> Row:
    """A burst of commands while the gateway connection is closed under the bot and resumed, several times: all
    answered."""

    async def body(fake: FakeDiscord, bot: BotProcess, _: Path, row: Row) -> None:
        people = users(32)
        commands = [("help", None, {}), ("tokens", "value", {"amount": "100M", "model": "gpt-5"})]

        async def one(i: int) -> None:
            name, sub, options = commands[i % len(commands)]
            handle = await fake.invoke(name, subcommand=sub, options=options, user=people[i % len(people)])
            await check(row, handle)

        async def dropper() -> None:
            for k in range(drops):
                await asyncio.sleep(0.3)
                await (fake.drop_connections(4000) if k % 2 == 0 else fake.request_reconnect())

        await asyncio.gather(bounded(((lambda i=i: one(i)) for i in range(count)), 16), dropper())
        resumes = sum(1 for c in fake.gateway_connections if c.resume is not None)
        if resumes == 0:
            row.problem("the bot never resumed its session: the drops tested nothing")
        row.note = f"{drops} closes/reconnects, {len(fake.gateway_connections)} connections ({resumes} resumed)"

    return await with_bot("gateway closed and resumed mid-burst", body, workdir)


# ====================================================================== REST 429 and 500


async def rest_faults(workdir: Path, count: int) -> Row:
    """429s and 500s injected on the interaction routes (callbacks, edits, followups) during a burst: every
    interaction is still answered, within its deadline."""

    async def body(fake: FakeDiscord, bot: BotProcess, _: Path, row: Row) -> None:
        people = users(32)
        commands = [
            ("help", None, {}),
            ("offer", "evaluate", {"base": "182k", "credits": "50k", "model": "gpt-5"}),
            ("defaults", "set", {"setting": "utilization", "value": "40%"}),
        ]

        async def one(i: int) -> None:
            name, sub, options = commands[i % len(commands)]
            if i % 4 == 3:  # a file to download: deferred, then the answer is an edit of the placeholder
                offer = fake.add_attachment("offer.toml", b'[salary]\nbase = "175k"\n', "application/toml")
                name, sub, options = "offer", "evaluate", {"offer_file": offer}
            payload = fake.slash(name, subcommand=sub, options=options, user=people[i % len(people)])
            token = payload["token"]
            # One fault per interaction on its first response, and on its later edits and followups: Discord
            # has bad moments, not a route down for longer than the 3-second deadline.
            if i % 2 == 0:
                fake.inject("interaction_callback", 429 if i % 4 == 0 else 500, only=token)
            if i % 3 == 0:
                fake.inject("edit_webhook_message", 500 if i % 2 else 429, only=token)
                fake.inject("followup", 502, only=token)
            await check(row, await fake.deliver(payload))

        await bounded(((lambda i=i: one(i)) for i in range(count)), 8)
        row.note = "injected " + ", ".join(f"{n}×{s}" for s, n in sorted(fake.injected.items()))

    return await with_bot("REST 429/500 injected", body, workdir)


# ====================================================================== SIGTERM with work in flight


async def sigterm_in_flight(workdir: Path, in_flight: int) -> Row:
    """SIGTERM while evaluations wait on slow offer files: each either finishes or gets the "restarting" notice in
    place of its placeholder; none is left "thinking"; the process exits 0."""
    row = Row("SIGTERM with work in flight")
    started = time.monotonic()
    people = users(in_flight)
    async with make_fake_discord() as fake, SlowFileHost(b'employer = "SlowCo"\n[salary]\nbase = "175k"\n') as host:
        bot = await start_production_bot(fake, workdir, env={**SOAK_ENV, "SHUTDOWN_GRACE_SECONDS": "1"})
        try:
            handles = []
            for person in people:
                attachment = fake.add_attachment("offer.toml", host.body, "application/toml")
                attachment["url"] = attachment["proxy_url"] = host.url
                handles.append(
                    await fake.invoke("offer", subcommand="evaluate", options={"offer_file": attachment}, user=person)
                )
            await asyncio.wait_for(host.requested.wait(), timeout=10)
            await asyncio.sleep(0.5)
            os.kill(bot.pid, signal.SIGTERM)
            code = await bot.wait_exit(timeout=20)
            if code != 0:
                row.problem(f"exit code {code}")
            for handle in handles:
                text = await check(row, handle, patience=5)
                if "restarting" not in text and "SlowCo" not in text:
                    row.unanswered += 1
                    row.problem(f"left without an answer: {text[:120]!r}")
        finally:
            await bot.close()
            if "Traceback" in bot.log_text():
                row.problem("traceback: " + bot.log_tail(15))
    row.note = f"{in_flight} evaluations in flight at SIGTERM, grace 1 s"
    row.seconds = time.monotonic() - started
    return row


# ====================================================================== every button after a restart


async def buttons_after_restart(workdir: Path, messages: int) -> Row:
    """Breakdowns made before a restart: every button on each, pressed after it, gets the private "expired"
    notice (none is left unanswered)."""
    row = Row("every button after a restart")
    started = time.monotonic()
    people = users(messages)
    async with make_fake_discord() as fake:
        bot = await start_production_bot(fake, workdir, env=SOAK_ENV)
        breakdowns = []
        try:
            for person in people:
                handle = await fake.invoke("offer", subcommand="evaluate", options={"base": "182k"}, user=person)
                breakdowns.append((person, await handle.final()))
        finally:
            await bot.close()
        bot = await start_production_bot(fake, workdir, log_name="bot-2.log", env=SOAK_ENV)
        try:
            for person, message in breakdowns:
                for custom_id in button_ids(message):
                    press = await fake.deliver(fake.click(message, custom_id, user=person))
                    text = await check(row, press)
                    if "expired" not in text or not int(press.callback.flags if press.callback else 0) & EPHEMERAL:
                        row.bad += 1
                        row.problem(f"{custom_id}: {text[:120]!r}")
        finally:
            await bot.close()
            if "Traceback" in bot.log_text():
                row.problem("traceback: " + bot.log_tail(15))
    row.note = f"{row.interactions} presses on {messages} breakdowns from before the restart"
    row.seconds = time.monotonic() - started
    return row


def button_ids(message: dict[str, Any]) -> list[str]:
    ids = []
    for top in message.get("components") or []:
        for component in [top, *(top.get("components") or [])]:
            if component.get("type") == 2 and component.get("custom_id"):
                ids.append(component["custom_id"])
    return ids
