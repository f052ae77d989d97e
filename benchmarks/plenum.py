"""Registration (``!anmelden``, commands/plenum.py) as the benchmarks need it: whether it
exists in this checkout, the config of a benchmark event, the command, the registered/waiting
counts, and filling a database with registrations (through storage/plenum.py, no SQL here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from commands import command_registry
from storage.database import Database

REGISTER = "anmelden"
DB_NAME = "vir-bot.db"  # bot.config.BotConfig.database_path, relative to data_dir


def available() -> bool:
    return command_registry().lookup(REGISTER) is not None


def event(key: str, capacity: int) -> dict[str, Any]:
    """An ``[[events]]`` entry a month ahead (registration open, no reminder due meanwhile)."""
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    return {
        "key": key,
        "title": f"Benchmark {key}",
        "starts": starts.isoformat(),
        "ends": (starts + timedelta(hours=8)).isoformat(),
        "location": "Oldenburg",
        "capacity": capacity,
    }


def config(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Extra config that defines ``events`` (nothing while registration is missing)."""
    return {"events": events} if available() and events else {}


def register_command(key: str) -> str:
    return f"!{REGISTER} {key}"


async def counts(data_dir: Path, key: str) -> tuple[int, int]:
    """(registered, waiting) for event ``key`` in the bot's database (also while it runs)."""
    from storage.plenum import PlenumRepository

    db = Database(data_dir / DB_NAME)
    await db.open()
    try:
        repo = PlenumRepository(db)
        info = await repo.event(key)
        if info is None:
            raise RuntimeError(f"event {key!r} is not in the bot's database")
        return await repo.seats_taken(info.id), await repo.waitlist_count(info.id)
    finally:
        await db.close()


async def pending_messages(data_dir: Path) -> int:
    """Messages the running bot has queued and not sent yet (its outbox)."""
    from storage.outbox import OutboxRepository

    db = Database(data_dir / DB_NAME)
    await db.open()
    try:
        return (await OutboxRepository(db).counts()).pending
    finally:
        await db.close()


async def fill(data_dir: Path, key: str, n: int, server_name: str) -> int:
    """Store ``n`` registrations of made-up members for event ``key`` (the bot is stopped and
    has created the event from its config); returns how many were stored."""
    if not available() or n <= 0:
        return 0
    from storage.plenum import PlenumRepository

    db = Database(data_dir / DB_NAME)
    await db.open()
    try:
        repo = PlenumRepository(db)
        info = await repo.event(key)
        if info is None:
            raise RuntimeError(f"event {key!r} is not in the bot's database")
        now = datetime.now(UTC).timestamp()
        async with db.transaction():
            for i in range(n):
                await repo.insert_registration(
                    info.id,
                    f"@member-filled-{i}:{server_name}",
                    organisation=f"Kommune {i % 97}",
                    status="registered",
                    workshop=None,
                    workshop_status=None,
                    requested_ts=int(now * 1000),
                    now=now,
                )
        return await repo.seats_taken(info.id)
    finally:
        await db.close()
