"""Shared parts of the benchmarks: statistics, member clients, rooms, reply watching, and the
two contenders run as processes of their own (ViR-Bot via ``python -m bot run``, the echo
bot via ``python -m benchmarks.echo_bot``).

Times are taken on the member's side: from just before the member's ``room_send`` until the
member's own /sync delivers the bot's reply (``ReplyWatch``), so both bots are measured the
same way, including the homeserver and the client's sync.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import random
import re
import secrets
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientConnectionError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinResponse,
    LoginResponse,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomPreset,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
)

from bot.synapse_local import LocalSynapse

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password, not a secret"
# What the observing member asks of /sync: everything at once, no presence.
WATCH_FILTER = {"room": {"timeline": {"limit": 1000}}, "presence": {"not_types": ["*"]}}
START_TIMEOUT = 90.0

log = logging.getLogger("benchmarks")


# --------------------------------------------------------------------------- statistics


def quantile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default, 'inclusive')."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def quantile_ci(values: Sequence[float], q: float, z: float = 1.96) -> tuple[float, float]:
    """Distribution-free 95 % interval of a quantile from the binomial order statistics."""
    ordered = sorted(values)
    n = len(ordered)
    spread = z * math.sqrt(n * q * (1 - q))
    lo = max(0, math.floor(n * q - spread) - 1)
    hi = min(n - 1, math.ceil(n * q + spread))
    return ordered[lo], ordered[hi]


def ratio_ci(
    num: Sequence[float], den: Sequence[float], q: float = 0.5, rounds: int = 2000, seed: int = 1
) -> tuple[float, float]:
    """Bootstrap 95 % interval of quantile(num) / quantile(den), samples resampled apart."""
    rng = random.Random(seed)
    ratios = []
    for _ in range(rounds):
        a = quantile(rng.choices(num, k=len(num)), q)
        b = quantile(rng.choices(den, k=len(den)), q)
        ratios.append(a / b if b else math.inf)
    return quantile(ratios, 0.025), quantile(ratios, 0.975)


# --------------------------------------------------------------------------- Synapse's own times

# A line of Synapse's access log (LocalSynapse(access_log=True)): its time for the request,
# the CPU it spent (user + system) and the time in database transactions, each in seconds.
ACCESS_LINE = re.compile(
    r"\{(?P<user>[^}]*)\} Processed request: (?P<total>[\d.]+)sec/[\d.-]+sec "
    r"ru=\((?P<utime>[\d.]+)sec, (?P<stime>[\d.]+)sec\) db=\([\d.]+sec/(?P<db>[\d.]+)sec/\d+\)"
    r".*? \"(?P<method>\w+) (?P<path>\S+)"
)


@dataclass(frozen=True)
class SynapseRequest:
    user: str
    method: str
    path: str
    total_ms: float
    cpu_ms: float
    db_ms: float


def synapse_requests(log_path: Path) -> list[SynapseRequest]:
    """Every request in Synapse's access log (millisecond resolution: compare means or
    medians of many)."""
    requests = []
    for line in log_path.read_text(errors="replace").splitlines():
        match = ACCESS_LINE.search(line)
        if match is not None:
            requests.append(
                SynapseRequest(
                    user=match["user"],
                    method=match["method"],
                    path=match["path"],
                    total_ms=float(match["total"]) * 1000,
                    cpu_ms=(float(match["utime"]) + float(match["stime"])) * 1000,
                    db_ms=float(match["db"]) * 1000,
                )
            )
    return requests


# --------------------------------------------------------------------------- accounts, rooms


def client_config() -> AsyncClientConfig:
    # Few internal retries: an outage must show as an error here, not as a hang.
    return AsyncClientConfig(store_sync_tokens=False, encryption_enabled=False, max_timeouts=3)


async def login(synapse: LocalSynapse, user_id: str, device: str) -> AsyncClient:
    client = AsyncClient(synapse.url, user_id, config=client_config())
    resp = await client.login(PASSWORD, device_name=device)
    if not isinstance(resp, LoginResponse):
        await client.close()
        raise RuntimeError(f"login of {user_id} failed: {resp}")
    return client


async def register(synapse: LocalSynapse, prefix: str) -> str:
    return await asyncio.to_thread(synapse.register, f"{prefix}-{secrets.token_hex(4)}", PASSWORD)


async def new_member(synapse: LocalSynapse, name: str = "member") -> AsyncClient:
    """A fresh, logged-in member account (localpart ``member-…``, allowed to invite the bot)."""
    return await login(synapse, await register(synapse, name), "benchmark member")


async def gather_limited(jobs: Iterable[Awaitable[Any]], limit: int = 8) -> list[Any]:
    """Run awaitables with at most ``limit`` at a time (set-up load, not what is measured)."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[Any]) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(one(j) for j in jobs))


async def new_members(synapse: LocalSynapse, n: int, name: str = "member") -> list[AsyncClient]:
    return await gather_limited(new_member(synapse, name) for _ in range(n))


async def create_room(owner: AsyncClient, name: str, public: bool = True) -> str:
    """A room anyone on the server may join (members join without an invite each)."""
    resp = await owner.room_create(
        name=name,
        visibility=RoomVisibility.private,
        preset=RoomPreset.public_chat if public else RoomPreset.private_chat,
    )
    if not isinstance(resp, RoomCreateResponse):
        raise RuntimeError(f"room_create failed: {resp}")
    return resp.room_id


async def join(client: AsyncClient, room_id: str) -> None:
    resp = await client.join(room_id)
    if not isinstance(resp, JoinResponse):
        raise RuntimeError(f"{client.user_id} could not join {room_id}: {resp}")


async def join_all(clients: Sequence[AsyncClient], room_ids: Sequence[str]) -> None:
    await gather_limited(join(c, r) for c in clients for r in room_ids)


async def join_as(synapse: LocalSynapse, user_id: str, room_ids: Sequence[str]) -> None:
    """Join a bot account to its rooms before it runs (no invite handling is measured)."""
    client = await login(synapse, user_id, "benchmark set-up")
    try:
        await gather_limited(join(client, r) for r in room_ids)
    finally:
        await client.close()


async def send(client: AsyncClient, room_id: str, body: str) -> str:
    resp = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    if not isinstance(resp, RoomSendResponse):
        raise RuntimeError(f"send failed: {resp}")
    return resp.event_id


def reply_target(source: dict[str, Any]) -> str | None:
    relates = source.get("content", {}).get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")


async def room_history(client: AsyncClient, room_id: str) -> list[dict[str, Any]]:
    """Every event of the room via /messages, newest first (ground truth)."""
    events: list[dict[str, Any]] = []
    token = ""
    for _ in range(200):
        resp = await client.room_messages(room_id, start=token, limit=500)
        if not isinstance(resp, RoomMessagesResponse):
            raise RuntimeError(f"/messages failed: {resp}")
        events.extend(e.source for e in resp.chunk)
        if not resp.chunk or not resp.end:
            break
        token = resp.end
    return events


# --------------------------------------------------------------------------- reply watching


@dataclass
class Arrival:
    at: float  # time.perf_counter() when the member's /sync returned it
    room_id: str
    source: dict[str, Any]


@dataclass
class ReplyWatch:
    """Follows one member's /sync and notes when each message of the bots arrived."""

    client: AsyncClient
    bot_ids: set[str]
    arrivals: list[Arrival] = field(default_factory=list)
    first_reply: dict[str, float] = field(default_factory=dict)  # command event id -> time
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> ReplyWatch:
        resp = await self.client.sync(timeout=0, sync_filter=WATCH_FILTER)
        if not isinstance(resp, SyncResponse):
            raise RuntimeError(f"first sync failed: {resp}")
        self._task = asyncio.create_task(self._follow(), name=f"watch {self.client.user_id}")
        return self

    async def _follow(self) -> None:
        while True:
            try:
                resp = await self.client.sync(timeout=30000, sync_filter=WATCH_FILTER)
            except (ClientConnectionError, TimeoutError):
                resp = None  # homeserver away (recovery benchmark): try again
            at = time.perf_counter()
            if not isinstance(resp, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            for room_id, info in resp.rooms.join.items():
                for event in info.timeline.events:
                    if event.sender not in self.bot_ids:
                        continue
                    if event.source.get("type") != "m.room.message":
                        continue
                    self.arrivals.append(Arrival(at, room_id, event.source))
                    target = reply_target(event.source)
                    if target is not None:
                        self.first_reply.setdefault(target, at)
            async with self._changed:
                self._changed.notify_all()

    async def wait(self, done: Callable[[], bool], timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            return False
        return True

    async def reply_to(self, event_id: str, timeout: float = 60) -> float:
        """Arrival time of the first reply to ``event_id``; TimeoutError if none came."""
        if not await self.wait(lambda: event_id in self.first_reply, timeout):
            raise TimeoutError(f"no reply to {event_id} within {timeout:.0f} s")
        return self.first_reply[event_id]

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


async def round_trip(
    member: AsyncClient, room_id: str, body: str, watch: ReplyWatch, timeout: float = 60
) -> float:
    """Seconds from just before sending ``body`` until the reply reached ``watch``'s member."""
    t0 = time.perf_counter()
    event_id = await send(member, room_id, body)
    return await watch.reply_to(event_id, timeout) - t0


async def until_answered(
    member: AsyncClient,
    room_id: str,
    body: str,
    watch: ReplyWatch,
    within: float = START_TIMEOUT,
    every: float = 5.0,
) -> None:
    """Send ``body`` until the bot answers one (a bot ignores what came before its start)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        event_id = await send(member, room_id, body)
        if await watch.wait(lambda e=event_id: e in watch.first_reply, every):  # type: ignore[misc]
            return
    raise TimeoutError(f"no answer to {body!r} in {room_id} within {within:.0f} s")


# --------------------------------------------------------------------------- bot processes


def toml_text(data: dict[str, Any]) -> str:
    """A small TOML writer for the benchmark configs (tables, arrays of tables, scalars)."""
    lines: list[str] = []

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, list | tuple):
            return "[" + ", ".join(value(x) for x in v) + "]"
        raise TypeError(f"cannot write {v!r} as TOML")

    def table(prefix: str, body: dict[str, Any], header: str) -> None:
        lines.append(header)
        nested = []
        for key, v in body.items():
            if isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], dict)):
                nested.append((key, v))
            else:
                lines.append(f"{key} = {value(v)}")
        lines.append("")
        for key, v in nested:
            name = f"{prefix}.{key}"
            if isinstance(v, dict):
                table(name, v, f"[{name}]")
            else:
                for item in v:
                    table(name, item, f"[[{name}]]")

    for section, body in data.items():
        if isinstance(body, list):
            for item in body:
                table(section, item, f"[[{section}]]")
        else:
            table(section, body, f"[{section}]")
    return "\n".join(lines)


class BotProcess:
    """A bot in a process of its own, its output in a log file."""

    def __init__(
        self, name: str, argv: list[str], log_path: Path, data_dir: Path | None = None
    ) -> None:
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.data_dir = data_dir or log_path.parent
        self.proc: asyncio.subprocess.Process | None = None
        self.started_at = 0.0

    @property
    def pid(self) -> int:
        if self.proc is None:
            raise RuntimeError(f"{self.name} is not running")
        return self.proc.pid

    async def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as out:
            self.started_at = time.perf_counter()
            self.proc = await asyncio.create_subprocess_exec(
                *self.argv,
                cwd=ROOT,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    async def stop(self, timeout: float = 30) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.returncode is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            log.warning("%s did not stop within %.0f s; killing it", self.name, timeout)
            proc.kill()
            await proc.wait()

    def memory_mb(self) -> tuple[float, float]:
        """(resident now, peak resident) in MB, from /proc."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kb = {
            line.split(":")[0]: int(line.split()[1])
            for line in status.splitlines()
            if line.startswith(("VmRSS", "VmHWM"))
        }
        return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def vir_bot_config(
    synapse: LocalSynapse, user_id: str, data_dir: Path, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """ViR-Bot as shipped, with two settings raised so that the homeserver is the limit:
    the per-member throttle (the measuring member sends hundreds of commands) and the
    outbox pacing (this homeserver has no rate limit, and the echo bot does not pace)."""
    config: dict[str, Any] = {
        "matrix": {
            "homeserver": synapse.url,
            "user_id": user_id,
            "password": PASSWORD,
            "pickle_key": "benchmark-pickle-key",
        },
        "bot": {"data_dir": str(data_dir), "throttle_commands": 1_000_000},
        "access": {"invite_from": [f"@member-*:{synapse.server_name}"]},
        "outbox": {"messages_per_second": 1000.0, "burst": 1000},
    }
    for section, values in (extra or {}).items():
        if isinstance(values, list):  # an array of tables, e.g. [[events]]
            config[section] = values
        else:
            config.setdefault(section, {}).update(values)
    return config


def vir_bot_process(
    synapse: LocalSynapse,
    user_id: str,
    work_dir: Path,
    extra: dict[str, Any] | None = None,
) -> BotProcess:
    data_dir = work_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    config_path = work_dir / "config.toml"
    config_path.write_text(toml_text(vir_bot_config(synapse, user_id, data_dir, extra)))
    argv = [sys.executable, "-m", "bot", "run", "--config", str(config_path)]
    return BotProcess("ViR-Bot", argv, work_dir / "bot.log", data_dir)


def echo_bot_process(synapse: LocalSynapse, user_id: str, work_dir: Path) -> BotProcess:
    argv = [
        sys.executable,
        "-m",
        "benchmarks.echo_bot",
        "--homeserver",
        synapse.url,
        "--user",
        user_id,
    ]
    return BotProcess("echo bot", argv, work_dir / "echo.log")


# --------------------------------------------------------------------------- one Synapse


async def close_all(closers: list[Callable[[], Awaitable[object]]], timeout: float = 70) -> None:
    """Close everything, newest first; one failing closer does not stop the others."""
    while closers:
        closer = closers.pop()
        try:
            await asyncio.wait_for(closer(), timeout=timeout)
        except Exception as exc:  # cleanup must go on
            log.warning("cleanup: %r", exc)


@dataclass
class Bench:
    """What every section gets: the homeserver, a work folder, and things to close at the end."""

    synapse: LocalSynapse
    work_dir: Path
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    def later(self, closer: Callable[[], Awaitable[object]]) -> None:
        self.closers.append(closer)

    async def close_all(self) -> None:
        await close_all(self.closers)

    async def member(self, name: str = "member") -> AsyncClient:
        client = await new_member(self.synapse, name)
        self.later(client.close)
        return client

    async def members(self, n: int, name: str = "member") -> list[AsyncClient]:
        clients = await new_members(self.synapse, n, name)
        for client in clients:
            self.later(client.close)
        return clients

    def folder(self, name: str) -> Path:
        path = self.work_dir / f"{name}-{secrets.token_hex(2)}"
        path.mkdir(parents=True)
        return path

    async def started(self, bot: BotProcess) -> BotProcess:
        await bot.start()
        self.later(bot.stop)
        return bot
