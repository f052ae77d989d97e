"""Reminders (commands/reminders.py) as the benchmarks need them: whether they exist in this
checkout, and storing room reminders in a bot's database (through storage/reminders.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.database import Database

DB_NAME = "vir-bot.db"
ROOM_KIND = "room"  # a built-in kind: the payload is posted to the room as written


def available() -> bool:
    return importlib.util.find_spec("storage.reminders") is not None


def payload(index: int) -> str:
    return f"Benchmark-Erinnerung #{index}#"


async def store(data_dir: Path, due: Sequence[tuple[datetime, str]], created_by: str) -> int:
    """Store one room reminder per (due, room_id), numbered in order; returns how many."""
    if not available() or not due:
        return 0
    from storage.reminders import ReminderRepository

    db = Database(data_dir / DB_NAME)
    await db.open()
    try:
        repo = ReminderRepository(db)
        now = datetime.now(UTC).timestamp()
        async with db.transaction():
            for index, (when, room_id) in enumerate(due):
                await repo.add(
                    ROOM_KIND,
                    when,
                    created_by=created_by,
                    now=now,
                    room_id=room_id,
                    origin_room=room_id,
                    payload=payload(index),
                )
        return len(due)
    finally:
        await db.close()


async def fill(data_dir: Path, n: int, room_ids: Sequence[str]) -> int:
    """``n`` reminders due over the next month, spread over ``room_ids``; returns how many."""
    start = datetime.now(UTC) + timedelta(days=2)
    due = [(start + timedelta(minutes=17 * i), room_ids[i % len(room_ids)]) for i in range(n)]
    return await store(data_dir, due, "@member-filled:localhost")
