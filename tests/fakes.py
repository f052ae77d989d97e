"""Test doubles for the runtime: a real SQLite database, fake room facts and a fake client.

The fake Matrix client records what the outbox sender sends, so unit tests see exactly the
replies members would see, without a homeserver.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.clock import FakeClock
from bot.config import Config, parse_config
from bot.events import IncomingMessage
from bot.feature import Capability
from bot.jobs import Jobs, create_scheduler
from bot.matrix import MatrixError, MatrixUnavailable, RoomNotSynced, RoomStatus
from bot.posting import Poster
from bot.registry import Registry
from bot.router import Router
from bot.services import Services
from bot.synapse_local import free_port
from storage.database import Database
from storage.outbox import OutboxRepository

BOT = "@vir-bot:example.org"
ALICE = "@alice:example.org"
BOB = "@bob:example.org"
ROOM = "!plenum:example.org"
COORD_ROOM = "!coord:example.org"

_event_ids = itertools.count(1)


def make_config(tmp_path: Path, **sections: dict[str, Any]) -> Config:
    data: dict[str, Any] = {
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": BOT, "password": "x"},
        "bot": {"data_dir": str(tmp_path / "data")},
        "access": {"coordinators": [ALICE], "invite_from": ["@*:example.org"]},
    }
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    return parse_config(data, base_dir=tmp_path)


def message(
    body: str,
    sender: str = BOB,
    room_id: str = ROOM,
    msgtype: str = "m.text",
    ts: int = 1_769_680_800_000,
    **extra: Any,
) -> IncomingMessage:
    return IncomingMessage(
        room_id=room_id,
        event_id=f"$ev{next(_event_ids)}",
        sender=sender,
        body=body,
        msgtype=msgtype,
        server_ts=ts,
        **extra,
    )


@dataclass
class FakeRooms:
    direct: set[str] = field(default_factory=set)

    async def is_direct(self, room_id: str) -> bool:
        return room_id in self.direct

    async def history_opened(self, room_id: str) -> str | None:
        return None


@dataclass
class FakePermissions:
    coordinators: set[str] = field(default_factory=lambda: {ALICE})

    async def is_coordinator(self, user_id: str) -> bool:
        return user_id in self.coordinators


@dataclass
class Harness:
    """A router on a real database; ``replies()`` returns the queued outgoing contents."""

    db: Database
    router: Router
    services: Services
    rooms: FakeRooms
    clock: FakeClock

    async def send(self, *args: Any, **kwargs: Any) -> IncomingMessage:
        msg = message(*args, **kwargs)
        await self.router.handle(msg)
        return msg

    async def rows(self) -> list[Any]:
        return await self.db.fetchall("SELECT * FROM outbox ORDER BY id")

    async def replies(self) -> list[dict[str, Any]]:
        import json

        return [json.loads(r["content"]) for r in await self.rows()]


def core_capabilities(services: Services) -> list[Capability]:
    """Help, status and privacy: enough for router tests, without the answer engine."""
    from commands.help import Help
    from commands.privacy import Privacy
    from commands.status import Status

    capabilities: list[Capability] = [Help(services), Status(services), Privacy(services)]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


async def make_services(config: Config, clock: FakeClock | None = None) -> Services:
    """Services on a real, opened database and a paused scheduler (jobs are inspectable,
    nothing runs by itself: tests call what a job would call, with a fake clock)."""
    db = Database(config.bot.database_path)
    await db.open()
    clock = clock or FakeClock()
    scheduler = create_scheduler(config.bot.tz)
    scheduler.start(paused=True)
    return Services(
        config=config,
        db=db,
        clock=clock,
        outbox=OutboxRepository(db),
        poster=Poster(db, clock),
        jobs=Jobs(scheduler, clock, db),
        started_at=clock.now(),
        own_user_id=BOT,
    )


async def make_harness(
    tmp_path: Path,
    registry: Registry | None = None,
    config: Config | None = None,
    capabilities: Callable[[Services], list[Capability]] = core_capabilities,
) -> Harness:
    """The app's wiring around a router: ``capabilities`` (default: help, status, privacy;
    pass ``commands.build_capabilities`` for all) are built and started as in bot/app.py;
    ``registry`` adds module-level test commands."""
    config = config or make_config(tmp_path)
    services = await make_services(config)
    built = capabilities(services)
    if registry is not None:
        for spec in registry:
            services.registry.add(spec)
    for capability in built:
        await capability.start()
    rooms = FakeRooms()
    router = Router(services, BOT, rooms, FakePermissions(), capabilities=built)
    return Harness(services.db, router, services, rooms, services.clock)  # type: ignore[arg-type]


@dataclass
class FakeMatrixClient:
    """Records sends; can be told to fail the next sends with given errors.

    Models what the outbox sender must tell apart: a room not synced yet (``syncs == 0``, or
    a DM created a moment ago), a room the bot is not in (after a sync: gone), and a
    homeserver that is away (``reachable = False``: every request raises MatrixUnavailable,
    the probe says no). ``joined=None`` means every room counts as joined. ``members``: who
    is joined or invited in a room, as the last sync showed (rooms not listed: unknown).
    """

    sent: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    created_dms: list[str] = field(default_factory=list)
    joined: set[str] | None = None
    left: set[str] = field(default_factory=set)
    syncs: int = 1
    reachable: bool = True
    requests: int = 0  # every request that reached (or tried to reach) the homeserver
    probes: int = 0
    m_direct: dict[str, list[str]] = field(default_factory=dict)
    lose_create_response: bool = False  # the room is created, but the answer never arrives
    fail_record_direct: bool = False
    uploads: list[tuple[str, RoomStatus]] = field(default_factory=list)
    _created: set[str] = field(default_factory=set)  # created, not synced yet
    _on_server: dict[str, str] = field(default_factory=dict)  # member -> DM room (marker)
    _synced_dms: dict[str, str] = field(default_factory=dict)  # what a sync has shown
    posted: dict[str, str] = field(default_factory=dict)  # own txn id -> event id, as synced
    # What is on the server, per room: (txn id, event id) of every send; pass one client's
    # to the next (a restart) to keep the server's history. Reading it fails with
    # ``history_failures`` first (then a request as any other).
    history: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    history_failures: list[Exception] = field(default_factory=list)
    history_reads: list[str] = field(default_factory=list)
    members: dict[str, set[str]] = field(default_factory=dict)
    visibility: dict[str, str] = field(default_factory=dict)  # history visibility, "invited"
    user_id: str = BOT
    _failed_at_sync: int = -1

    def synced(self) -> None:
        """A sync arrived: rooms created on the server are known now, with their markers."""
        self.syncs += 1
        if self.joined is not None:
            self.joined |= set(self._on_server.values())
        self._created.clear()
        self._synced_dms = dict(self._on_server)

    def room_status(self, room_id: str) -> RoomStatus:
        if room_id in self.left:
            return RoomStatus.GONE
        if room_id in self._created or self.syncs == 0:
            return RoomStatus.NOT_YET
        if self.joined is None or room_id in self.joined:
            return RoomStatus.JOINED
        return RoomStatus.GONE

    def ensure_sendable(self, room_id: str) -> None:
        status = self.room_status(room_id)
        if status is RoomStatus.NOT_YET:
            raise RoomNotSynced(room_id)
        if status is RoomStatus.GONE:
            raise MatrixError("M_FORBIDDEN", f"the bot is not in room {room_id}")

    def _request(self) -> None:
        self.requests += 1
        if not self.reachable:
            self._failed_at_sync = self.syncs  # the homeserver is away: its syncs fail too
            raise MatrixUnavailable("ClientConnectorError: connection refused")
        if self.failures:
            raise self.failures.pop(0)

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        self.ensure_sendable(room_id)  # as the real client: decided before any request
        self._request()
        self.sent.append((room_id, content, txn_id))
        event_id = f"$sent{len(self.sent)}"
        self.history.setdefault(room_id, []).append((txn_id, event_id))
        return event_id

    def posted_event(self, txn_id: str) -> str | None:
        return self.posted.get(txn_id)

    async def find_posted(self, room_id: str, txn_id: str, since: float) -> str | None:
        self.history_reads.append(room_id)
        if self.history_failures:
            self.requests += 1
            raise self.history_failures.pop(0)
        self._request()
        found = [event for txn, event in self.history.get(room_id, []) if txn == txn_id]
        return found[0] if found else None

    async def upload(self, room_id: str, filename: str, mimetype: str, data: bytes) -> dict:
        self.uploads.append((room_id, self.room_status(room_id)))
        self._request()
        return {"url": f"mxc://example.org/{filename}"}

    async def create_direct_room(self, user_id: str) -> str:
        self._request()
        room_id = f"!dm-{len(self.created_dms)}:example.org"
        self.created_dms.append(room_id)
        self._on_server[user_id] = room_id
        if self.lose_create_response:
            self.lose_create_response = False
            raise TimeoutError("the answer to /createRoom never came")
        self._created.add(room_id)
        if self.joined is not None:
            self.joined.add(room_id)
        return room_id

    def find_direct_room(self, user_id: str) -> str | None:
        room_id = self._synced_dms.get(user_id)
        return room_id if room_id and self.room_status(room_id) is RoomStatus.JOINED else None

    def is_direct_with(self, room_id: str, user_id: str) -> bool:
        if room_id in self.members and self.members[room_id] - {self.user_id} != {user_id}:
            return False  # someone else is in it: as the real client, not the DM any more
        if self.history_visibility(room_id) not in ("invited", "joined"):
            return False  # its member opened its history
        return self.room_status(room_id) is not RoomStatus.GONE

    def joined_members(self, room_id: str) -> set[str] | None:
        return self.members.get(room_id)

    def history_visibility(self, room_id: str) -> str | None:
        return self.visibility.get(room_id, "invited")

    def membership_current(self) -> bool:
        return self.syncs > self._failed_at_sync

    async def record_direct(self, user_id: str, room_id: str) -> None:
        if self.fail_record_direct:
            raise MatrixUnavailable("HTTP 502")
        self._request()
        self.m_direct.setdefault(user_id, []).append(room_id)

    async def probe(self) -> bool:
        self.requests += 1
        self.probes += 1
        return self.reachable


def rate_limited(ms: int = 2000) -> MatrixError:
    return MatrixError("M_LIMIT_EXCEEDED", "Too many requests", 429, ms)


class FaultyProxy:
    """An HTTP proxy in front of a homeserver that can pass, refuse connections, answer
    502 Bad Gateway (like nginx with Synapse down), or hold requests without ever answering
    (a stuck homeserver), and counts the requests it sees.

    Shared by the outage tests: ``await proxy.start()``, point the bot at ``proxy.url``, then
    ``await proxy.refuse()`` / ``proxy.bad_gateway()`` / ``await proxy.passing()``. Switching mode
    cuts requests in flight (a long-polling sync sees its connection drop). ``requests`` counts
    per mode, ``paths`` per mode and path (e.g. how many /sync in 502 mode).
    """

    PASS = "pass"
    REFUSE = "refuse"
    BAD_GATEWAY = "502"
    HANG = "hang"

    def __init__(self, upstream: str, host: str = "127.0.0.1") -> None:
        self.upstream = upstream.rstrip("/")
        self.host = host
        self.port = 0
        self.mode = self.PASS
        self.requests: Counter[str] = Counter()
        self.paths: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, mode, path)
        self._runner: Any = None
        self._site: Any = None
        self._session: Any = None
        self._in_flight: set[Any] = set()
        self._hang_paths = ""
        self.holding = asyncio.Event()  # set once a request is held in HANG mode

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> FaultyProxy:
        self._session = aiohttp.ClientSession(auto_decompress=False)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        self.port = free_port()
        await self._listen()
        return self

    async def _listen(self) -> None:
        self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await self._site.start()

    async def stop(self) -> None:
        self._cut_in_flight()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def sync_requests(self, mode: str) -> int:
        return sum(n for (m, path), n in self.paths.items() if m == mode and path.endswith("/sync"))

    async def refuse(self) -> None:
        """Close the listening socket: connections are refused (ECONNREFUSED)."""
        self.mode = self.REFUSE
        if self._site is not None:
            await self._site.stop()
            self._site = None
        self._cut_in_flight()

    async def bad_gateway(self) -> None:
        await self._ensure_listening()
        self.mode = self.BAD_GATEWAY
        self._cut_in_flight()

    async def hang(self, paths: str = "") -> None:
        """Hold every request whose path contains ``paths`` and never answer it; others pass."""
        await self._ensure_listening()
        self.mode = self.HANG
        self._hang_paths = paths
        self.holding.clear()
        self._cut_in_flight()

    async def passing(self) -> None:
        await self._ensure_listening()
        self.mode = self.PASS

    async def _ensure_listening(self) -> None:
        if self._site is None:
            await self._listen()

    def _cut_in_flight(self) -> None:
        for task in list(self._in_flight):
            task.cancel()

    async def _handle(self, request: Any) -> Any:

        mode = self.mode
        self.requests[mode] += 1
        self.paths[(mode, request.path)] += 1
        self.log.append((time.monotonic(), mode, request.path))
        if mode == self.REFUSE and request.transport is not None:
            # A kept-alive connection from before: drop it, as a dead server would.
            request.transport.close()
        if mode in (self.REFUSE, self.BAD_GATEWAY):
            return web.Response(status=502, text="<html><h1>502 Bad Gateway</h1></html>")
        task = asyncio.current_task()
        self._in_flight.add(task)
        try:
            if mode == self.HANG and self._hang_paths in request.path:
                self.holding.set()
                await asyncio.Event().wait()  # until a mode switch or stop() cuts it
            return await self._forward(request)
        except asyncio.CancelledError:
            # Cut by a mode switch: the client sees its connection drop.
            if request.transport is not None:
                request.transport.close()
            raise
        finally:
            self._in_flight.discard(task)

    async def _forward(self, request: Any) -> Any:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        async with self._session.request(
            request.method,
            self.upstream + request.path_qs,
            data=body or None,
            headers=headers,
            allow_redirects=False,
        ) as upstream:
            payload = await upstream.read()
            keep = {
                k: v
                for k, v in upstream.headers.items()
                if k.lower() not in ("transfer-encoding", "content-length", "connection")
            }
            return web.Response(status=upstream.status, body=payload, headers=keep)


@dataclass
class BotProcess:
    """``vir-bot run`` as a real process (``python -m bot run --config ...``), for tests that
    must kill it hard (SIGKILL) or restart it. Its output is drained all the time (a full pipe
    would block the bot's logging) and kept in ``lines``.

    ``await BotProcess.start(config)`` returns once the bot logged its first sync
    ("answering commands"), or at once with ``ready=False`` (to kill it inside its first
    batch); ``kill()`` is SIGKILL, ``stop()`` SIGTERM and wait.
    """

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    _drain: asyncio.Task[None] | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    READY = "answering commands"

    @classmethod
    async def start(cls, config: Path, timeout: float = 60, ready: bool = True) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        running = cls(process)
        running._drain = asyncio.create_task(running._read())
        if not ready:
            return running
        got_ready = asyncio.create_task(running._ready.wait())
        done, _ = await asyncio.wait(
            {got_ready, running._drain}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if got_ready not in done:
            got_ready.cancel()
            await running.kill()
            raise AssertionError("bot process did not get ready:\n" + "".join(running.lines))
        return running

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := (await self.process.stdout.readline()).decode(errors="replace"):
            self.lines.append(line)
            if self.READY in line:
                self._ready.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, as after a power cut or the OOM killer."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
        if self._drain is not None:
            await self._drain

    async def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait for a clean exit; returns the exit code."""
        if self.process.returncode is None:
            self.process.terminate()
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if self._drain is not None:
            await self._drain
        return code


class SimClock(FakeClock):
    """Simulated time for tests of concurrent loops: ``sleep()`` waits until the test moves
    the clock past its deadline with ``run_until``/``run_for``, which wake sleepers in
    deadline order (a discrete-event simulation; nothing waits on the wall clock). Code under
    test must not wait on threads (no database), so the loop settles with plain yields."""

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(
            self._sleepers, (self.timestamp() + max(0.0, seconds), next(self._seq), future)
        )
        await future

    @staticmethod
    async def settle() -> None:
        for _ in range(50):
            await asyncio.sleep(0)

    async def run_until(self, until: float, stop: Callable[[], bool] = lambda: False) -> None:
        """Advance to timestamp ``until`` (or until ``stop()`` holds), waking sleepers."""
        while True:
            await self.settle()
            if stop():
                return
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)  # cancelled (e.g. the other side of first_of)
            if not self._sleepers or self._sleepers[0][0] > until:
                self.advance(max(0.0, until - self.timestamp()))
                await self.settle()
                return
            deadline, _, future = heapq.heappop(self._sleepers)
            self.advance(max(0.0, deadline - self.timestamp()))
            future.set_result(None)

    async def run_for(self, seconds: float, stop: Callable[[], bool] = lambda: False) -> None:
        await self.run_until(self.timestamp() + seconds, stop)
