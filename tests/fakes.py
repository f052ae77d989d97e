"""Test doubles for the runtime: a real SQLite database, fake room facts and a fake client.

The fake Matrix client records what the outbox sender sends, so unit tests see exactly the
replies members would see, without a homeserver.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.config import Config, parse_config
from bot.events import IncomingMessage
from bot.feature import Capability
from bot.jobs import Jobs, create_scheduler
from bot.matrix import MatrixError
from bot.posting import Poster
from bot.registry import Registry
from bot.router import Router
from bot.services import Services
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
        jobs=Jobs(scheduler, clock),
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
    """Records sends; can be told to fail the next sends with given errors."""

    sent: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    created_dms: list[str] = field(default_factory=list)

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((room_id, content, txn_id))
        return f"$sent{len(self.sent)}"

    async def direct_room(self, user_id: str, known: str | None) -> str:
        if known:
            return known
        room_id = f"!dm-{len(self.created_dms)}:example.org"
        self.created_dms.append(room_id)
        return room_id


def rate_limited(ms: int = 2000) -> MatrixError:
    return MatrixError("M_LIMIT_EXCEEDED", "Too many requests", 429, ms)
