"""``vir-bot demo``: try the bot without a homeserver of your own.

Starts a throwaway Synapse on 127.0.0.1 in a folder of its own, registers the bot, a
coordinator and a member, creates a plenum and a coordination room and runs the real bot
against them. Interactive by default (connect with any Matrix client); ``--script`` plays a
short conversation instead and exits, which doubles as an end-to-end smoke test. Without
``--dir`` the script runs in a temporary folder of its own, so it never touches a running
demo; and a lock (fcntl) keeps two demos out of the same folder.

Blocking work (starting Synapse, shared-secret registration) happens before the event loop
starts; everything after that is async.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import importlib.util
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinResponse,
    LoginResponse,
    RoomCreateResponse,
    RoomPreset,
    SyncResponse,
)

from bot.app import Bot
from bot.config import ConfigError, load_config
from bot.matrix import LoginFailed
from bot.synapse_local import LocalSynapse, free_port
from commands import command_registry
from storage.database import private_dir, private_file

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

BOT, COORDINATOR, MEMBER = "vir-bot", "koordination", "mitglied"
PLENUM_NAME = "ViR-Nordwest Plenum"
COORDINATION_NAME = "ViR-Nordwest Koordination"
STATE_NAME = "demo.json"  # marks the folder as ours (safe to wipe) and remembers accounts/rooms
LOCK_NAME = "demo.lock"  # held by the running demo (fcntl), with its process id
DEFAULT_DIR = "vir-bot-demo"
READY_TIMEOUT = 60.0
JOIN_TIMEOUT = 20.0
REPLY_TIMEOUT = 20.0


PLENUM, COORDINATION, DM = "plenum", "coordination", "dm"
ROOM_TITLES = {
    PLENUM: PLENUM_NAME,
    COORDINATION: COORDINATION_NAME,
    DM: "Direktnachricht / direct message: mitglied ↔ ViR-Bot",
}
OPEN_QUESTION = re.compile(r"Offene Frage (\S+) von")
DECLINED = "Gibt es beim Plenum vegetarisches Mittagessen?"


@dataclass(frozen=True)
class Step:
    """One line of the scripted conversation."""

    speaker: str  # MEMBER or COORDINATOR
    text: str  # may use {qid}: the number of the question the bot declined
    room: str = PLENUM
    also: str | None = None  # a room where the bot posts besides its reply
    needs: str | None = None  # play only if the bot has this command (added by later features)


SCRIPT: tuple[Step, ...] = (
    Step(MEMBER, "!hilfe"),
    Step(MEMBER, "!hilf"),  # typo: the bot suggests !hilfe
    Step(MEMBER, "!status"),  # refused: coordinators only
    Step(COORDINATOR, "!status"),  # allowed: creator of the coordination room
    Step(MEMBER, "ViR-Bot: Was ist die 115?"),  # a question, answered with its source
    # Not in the knowledge base: the bot says so and asks the coordination ...
    Step(MEMBER, f"!frage {DECLINED}", also=COORDINATION, needs="frage"),
    # ... whose answer becomes a FAQ entry, and the member is told in the plenum ...
    Step(
        COORDINATOR,
        "!antworten {qid} Ja, beim Plenum gibt es immer ein vegetarisches Mittagessen.",
        room=COORDINATION,
        also=PLENUM,
        needs="antworten",
    ),
    # ... so the next member who asks gets the answer at once.
    Step(MEMBER, f"!frage {DECLINED}", needs="frage"),
    # In a direct message every message is a question, no command needed.
    Step(MEMBER, "Was ist eine Leitweg-ID?", room=DM),
)


class DemoError(Exception):
    """A demo step failed in a way the user can understand from the message alone."""


@dataclass
class DemoState:
    """What a ``--keep`` run reuses: passwords by localpart and the two room ids."""

    passwords: dict[str, str]
    plenum: str = ""
    coordination: str = ""

    @classmethod
    def fresh(cls) -> DemoState:
        return cls({name: secrets.token_urlsafe(12) for name in (BOT, COORDINATOR, MEMBER)})

    @classmethod
    def load(cls, path: Path) -> DemoState | None:
        try:
            data = json.loads(path.read_text())
            state = cls(dict(data["passwords"]), str(data["plenum"]), str(data["coordination"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return state if set(state.passwords) >= {BOT, COORDINATOR, MEMBER} else None

    def save(self, path: Path) -> None:
        data = {
            "passwords": self.passwords,
            "plenum": self.plenum,
            "coordination": self.coordination,
        }
        path.write_text(json.dumps(data, indent=2))


def run_demo(directory: Path | None, script: bool = False, keep: bool = False) -> int:
    """Run the demo in ``directory`` (None: ``vir-bot-demo``, or a temporary folder for
    ``script``); returns the process exit code."""
    if not _synapse_installed():
        print(
            "Für die Demo wird Synapse benötigt / the demo needs Synapse:\n"
            '    pip install -e ".[demo]"',
            file=sys.stderr,
        )
        return EXIT_FAILURE
    if directory is None and script:
        # A folder of its own: the script never touches a demo someone is using.
        with tempfile.TemporaryDirectory(prefix="vir-bot-demo-script-") as temporary:
            return run_demo(Path(temporary), script=True)
    directory = (directory or Path(DEFAULT_DIR)).resolve()
    try:
        lock = _lock_folder(directory)
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with lock:
        try:
            state = _prepare_folder(directory, keep)
        except DemoError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        synapse = _make_synapse(directory / "synapse")
        try:
            print(f"Starte Synapse / starting Synapse on {synapse.url} …", flush=True)
            synapse.start()
            _register(synapse, state)
            return asyncio.run(_run(directory, synapse, state, script))
        except KeyboardInterrupt:
            print("abgebrochen / interrupted", file=sys.stderr)
            return EXIT_FAILURE
        except (DemoError, ConfigError, LoginFailed, RuntimeError, OSError) as exc:
            print(f"Demo fehlgeschlagen / demo failed: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        finally:
            synapse.stop()


def _lock_folder(directory: Path) -> IO[str]:
    """Hold ``directory/demo.lock`` for this process (released when it ends, even killed).

    Checked before anything in the folder is touched: a second demo in the same folder
    would wipe the first one's server and accounts while it runs.
    """
    lock_path = directory / LOCK_NAME
    if directory.exists() and any(directory.iterdir()):
        # Never take over a folder we did not create: --dir could point at anything.
        if not (directory / STATE_NAME).exists() and not lock_path.exists():
            raise DemoError(
                f"{directory} is not empty and not a demo folder; refusing to use it "
                "(choose another --dir)"
            )
    directory.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise DemoError(
            f"a demo is already running in {directory} (process {owner}); stop it first, "
            "or use another --dir (vir-bot demo --script without --dir uses a folder of its own)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _synapse_installed() -> bool:
    return importlib.util.find_spec("synapse") is not None


def _prepare_folder(directory: Path, keep: bool) -> DemoState:
    """Empty the (locked) folder unless ``keep``; the lock file itself stays."""
    marker = directory / STATE_NAME
    if not keep:
        for child in directory.iterdir():
            if child.name == LOCK_NAME:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    state = (DemoState.load(marker) if keep else None) or DemoState.fresh()
    state.save(marker)
    return state


def _make_synapse(base_dir: Path) -> LocalSynapse:
    synapse = LocalSynapse(base_dir, server_name="localhost")
    # --keep reuses the old port so clients stay configured, unless it is taken by now.
    if not _port_free(synapse.port):
        synapse = LocalSynapse(base_dir, port=free_port(), server_name="localhost")
    return synapse


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Like Synapse itself: a port in TIME_WAIT from our last run is free to listen on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _register(synapse: LocalSynapse, state: DemoState) -> None:
    """Create the accounts (existing ones are kept) and lift the bot's message rate limit."""
    for name in (BOT, COORDINATOR, MEMBER):
        # The coordinator doubles as server admin; override_ratelimit needs an admin token.
        synapse.register(name, state.passwords[name], admin=name == COORDINATOR)
    admin_token, _ = synapse.login(COORDINATOR, state.passwords[COORDINATOR])
    synapse.override_ratelimit(synapse.user_id(BOT), admin_token)


# ---------------------------------------------------------------------------- async part


async def _run(directory: Path, synapse: LocalSynapse, state: DemoState, script: bool) -> int:
    async with contextlib.AsyncExitStack() as clients:
        coordinator = await _login(synapse, COORDINATOR, state.passwords[COORDINATOR])
        clients.push_async_callback(coordinator.close)
        member = await _login(synapse, MEMBER, state.passwords[MEMBER])
        clients.push_async_callback(member.close)
        bot_id = synapse.user_id(BOT)
        if not (state.plenum and state.coordination):
            state.plenum = await _create_room(coordinator, PLENUM_NAME, [bot_id, member.user_id])
            state.coordination = await _create_room(coordinator, COORDINATION_NAME, [bot_id])
            state.save(directory / STATE_NAME)
        # Joined up front, so the member finds the plenum ready in any client.
        if not isinstance(await member.join(state.plenum), JoinResponse):
            raise DemoError(f"{member.user_id} cannot join {state.plenum}")
        _write_files(directory, synapse, state)
        # An operator's VIRBOT_PASSWORD must not override the demo bot's password.
        bot = Bot(load_config(directory / "config.toml", environ={}))
        task = asyncio.create_task(bot.run(), name="bot")
        try:
            await _wait_ready(bot, task)
            for room_id in (state.plenum, state.coordination):
                await _wait_joined(coordinator, room_id, bot_id)
            if script:
                rooms = {PLENUM: state.plenum, COORDINATION: state.coordination}
                rooms[DM] = await _open_dm(member, bot_id)
                transcript = Transcript(bot_id, rooms)
                speakers = {
                    MEMBER: Speaker(MEMBER, member, transcript),
                    COORDINATOR: Speaker(COORDINATOR, coordinator, transcript),
                }
                return await _play(speakers, transcript)
            _print_banner(directory, synapse, state)
            await _until_signal(task)
        finally:
            stopped = await _stop_bot(bot, task)
        return EXIT_OK if stopped else EXIT_FAILURE


async def _login(synapse: LocalSynapse, localpart: str, password: str) -> AsyncClient:
    config = AsyncClientConfig(
        max_timeouts=3, max_limit_exceeded=3, store_sync_tokens=False, encryption_enabled=False
    )
    client = AsyncClient(synapse.url, synapse.user_id(localpart), config=config)
    resp = await client.login(password, device_name="vir-bot demo")
    if not isinstance(resp, LoginResponse):
        await client.close()
        raise DemoError(f"login of {client.user_id} failed: {resp}")
    return client


async def _create_room(owner: AsyncClient, name: str, invite: list[str]) -> str:
    resp = await owner.room_create(name=name, invite=invite)
    if not isinstance(resp, RoomCreateResponse):
        raise DemoError(f"cannot create room {name!r}: {resp}")
    return resp.room_id


async def _open_dm(member: AsyncClient, bot_id: str) -> str:
    """The member opens a direct message with the bot, as Element does ("Start chat")."""
    resp = await member.room_create(
        is_direct=True, invite=[bot_id], preset=RoomPreset.trusted_private_chat
    )
    if not isinstance(resp, RoomCreateResponse):
        raise DemoError(f"cannot open a direct message with the bot: {resp}")
    await _wait_joined(member, resp.room_id, bot_id)
    return resp.room_id


async def _wait_ready(bot: Bot, task: asyncio.Task[None]) -> None:
    ready = asyncio.create_task(bot.ready.wait())
    done, _ = await asyncio.wait(
        {task, ready}, timeout=READY_TIMEOUT, return_when="FIRST_COMPLETED"
    )
    ready.cancel()
    if task in done:
        task.result()  # raises the start-up error (e.g. LoginFailed)
        raise DemoError("the bot stopped during start-up")
    if ready not in done:
        raise DemoError(f"the bot did not finish its first sync within {READY_TIMEOUT:.0f} s")


async def _wait_joined(observer: AsyncClient, room_id: str, user_id: str) -> None:
    """The bot accepts invites in its own sync loop; poll the room state until it has."""
    try:
        async with asyncio.timeout(JOIN_TIMEOUT):
            while True:
                resp = await observer.room_get_state_event(room_id, "m.room.member", user_id)
                if getattr(resp, "content", {}).get("membership") == "join":
                    return
                await asyncio.sleep(0.2)
    except TimeoutError:
        raise DemoError(f"the bot did not join {room_id} within {JOIN_TIMEOUT:.0f} s") from None


async def _stop_bot(bot: Bot, task: asyncio.Task[None]) -> bool:
    bot.stop()
    try:
        await asyncio.wait_for(task, timeout=30)  # cancels the task on timeout
    except TimeoutError:
        log.warning("the bot did not stop within 30 s")
        return False
    except Exception as exc:
        log.error("the bot failed: %s", exc)
        return False
    return True


async def _until_signal(task: asyncio.Task[None]) -> None:
    """Wait for Ctrl+C / SIGTERM (like run_until_signal), or for the bot to end by itself."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    waiter = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when="FIRST_COMPLETED")
    finally:
        waiter.cancel()
        for sig in signals:
            loop.remove_signal_handler(sig)
    print("\nBeende / stopping …", flush=True)


# ---------------------------------------------------------------------------- script


@dataclass(frozen=True)
class BotMessage:
    room_id: str
    event_id: str
    body: str
    reply_to: str | None


@dataclass
class Transcript:
    """Every bot message any speaker has seen, once, and which of them were printed."""

    bot_id: str
    rooms: dict[str, str]  # PLENUM/COORDINATION/DM -> room id
    messages: dict[str, BotMessage] = field(default_factory=dict)
    printed: set[str] = field(default_factory=set)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, message: BotMessage) -> None:
        if message.event_id not in self.messages:
            self.messages[message.event_id] = message
            self.changed.set()

    def reply_to(self, event_id: str) -> BotMessage | None:
        return next((m for m in self.messages.values() if m.reply_to == event_id), None)

    def unprinted_in(self, room: str) -> BotMessage | None:
        room_id = self.rooms[room]
        return next(
            (
                m
                for m in self.messages.values()
                if m.room_id == room_id and m.event_id not in self.printed
            ),
            None,
        )


@dataclass
class Speaker:
    """A member-side client that feeds every bot message it syncs into the transcript."""

    name: str
    client: AsyncClient
    transcript: Transcript

    async def start(self) -> None:
        await self.client.sync(timeout=0)  # sets the since token: only new events from now on

    async def say(self, room_id: str, text: str) -> str:
        content = {"msgtype": "m.text", "body": text}
        resp = await self.client.room_send(room_id, "m.room.message", content)
        event_id = getattr(resp, "event_id", None)
        if not event_id:
            raise DemoError(f"{self.name} could not send {text!r}: {resp}")
        return str(event_id)

    async def collect(self) -> None:
        sync_filter = {"room": {"timeline": {"limit": 100}}}
        resp = await self.client.sync(timeout=1000, sync_filter=sync_filter)
        if not isinstance(resp, SyncResponse):
            await asyncio.sleep(0.5)
            return
        for room_id, info in resp.rooms.join.items():
            for event in info.timeline.events:
                content: dict[str, Any] = event.source.get("content", {})
                if event.sender != self.transcript.bot_id or "body" not in content:
                    continue
                relates = content.get("m.relates_to") or {}
                target = (relates.get("m.in_reply_to") or {}).get("event_id")
                self.transcript.add(
                    BotMessage(room_id, event.event_id, str(content["body"]), target)
                )


async def _until(
    speakers: dict[str, Speaker], found: Callable[[], BotMessage | None]
) -> BotMessage:
    """Sync every speaker until ``found`` finds its message (callers set a timeout)."""
    while (message := found()) is None:
        await asyncio.gather(*(speaker.collect() for speaker in speakers.values()))
    return message


async def _play(speakers: dict[str, Speaker], transcript: Transcript) -> int:
    for speaker in speakers.values():
        await speaker.start()
    missing: list[str] = []
    values: dict[str, str] = {}
    room = ""
    for step in SCRIPT:
        if step.needs and command_registry().lookup(step.needs) is None:
            continue
        if "{qid}" in step.text and "qid" not in values:
            continue  # the declined question was not played or not forwarded
        if step.room != room:
            room = step.room
            print(f"\n--- {ROOM_TITLES[room]} ---\n", flush=True)
        speaker = speakers[step.speaker]
        text = step.text.format(**values)
        print(f"{speaker.name}> {text}", flush=True)
        event_id = await speaker.say(transcript.rooms[step.room], text)
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                reply = await _until(speakers, partial(transcript.reply_to, event_id))
                transcript.printed.add(reply.event_id)
                _print_indented(reply.body)
                if step.also:
                    other = await _until(speakers, partial(transcript.unprinted_in, step.also))
                    transcript.printed.add(other.event_id)
                    print(f"  [{ROOM_TITLES[step.also]}] ViR-Bot:", flush=True)
                    _print_indented(other.body)
                    if match := OPEN_QUESTION.search(other.body):
                        values["qid"] = match.group(1)
        except TimeoutError:
            missing.append(f"{speaker.name}> {text}")
            _print_indented(f"(keine Antwort / no reply within {REPLY_TIMEOUT:.0f} s)")
    if missing:
        print("Keine Antwort auf / no reply to: " + "; ".join(missing), file=sys.stderr)
        return EXIT_FAILURE
    print("Skript fertig / script done.", flush=True)
    return EXIT_OK


def _print_indented(body: str) -> None:
    print(textwrap.indent(body, "    ", lambda _line: True), end="\n\n", flush=True)


# ---------------------------------------------------------------------------- files, banner


def _logins(synapse: LocalSynapse, state: DemoState) -> list[tuple[str, str, str]]:
    """(role, user id, password) for the banner and logins.txt."""
    roles = ((COORDINATOR, "Koordination / coordinator"), (MEMBER, "Mitglied / member"))
    rows = [(role, synapse.user_id(name), state.passwords[name]) for name, role in roles]
    return [*rows, ("Bot", synapse.user_id(BOT), state.passwords[BOT])]


def _write_files(directory: Path, synapse: LocalSynapse, state: DemoState) -> None:
    # TOML basic strings accept JSON string escapes, so json.dumps quotes values safely.
    q = json.dumps
    config = f"""\
# Written by `vir-bot demo` for its local Synapse; rewritten on every start.

[matrix]
homeserver = {q(synapse.url)}
user_id = {q(synapse.user_id(BOT))}
password = {q(state.passwords[BOT])}
device_name = "ViR-Bot Demo"

[bot]
data_dir = "data"

[access]
coordinators = []
coordination_room = {q(state.coordination)}
invite_from = [{q(f"@*:{synapse.server_name}")}]
"""
    (directory / "config.toml").write_text(config)
    # The demo's own pickle key, so the bot does not warn about a missing one (kept by --keep).
    key = private_dir(directory / "data") / "pickle.key"
    if not key.exists():
        private_file(key).write_text(secrets.token_urlsafe(32), encoding="utf-8")
    lines = [f"# ViR-Bot demo, homeserver {synapse.url}"]
    lines += [
        f"{user_id}\t{password}\t# {role}" for role, user_id, password in _logins(synapse, state)
    ]
    (directory / "logins.txt").write_text("\n".join(lines) + "\n")


def _print_banner(directory: Path, synapse: LocalSynapse, state: DemoState) -> None:
    logins = "\n".join(
        f"  {role:<27} {user_id:<24} Passwort/password: {password}"
        for role, user_id, password in _logins(synapse, state)
    )
    print(
        f"""
ViR-Bot-Demo läuft / ViR-Bot demo is running

Homeserver: {synapse.url}

Anmeldungen / logins (auch in / also in {directory / "logins.txt"}):
{logins}

Räume / rooms:
  {PLENUM_NAME:<27} {state.plenum}  (Bot, Koordination, Mitglied)
  {COORDINATION_NAME:<27} {state.coordination}  (Bot, Koordination)

Mit einem beliebigen Matrix-Client verbinden (z. B. Element: „Anderer Homeserver“ = die URL oben).
Connect with any Matrix client (e.g. Element: 'Anderer Homeserver' / 'Other homeserver' = the URL).
Zum Ausprobieren / to try: !hilfe

Beenden mit Strg+C / stop with Ctrl+C.
""",
        flush=True,
    )
