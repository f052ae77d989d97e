"""Events whose handling kept failing outside the router's error boundary ("poison" events)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.database import Database


@dataclass(frozen=True)
class FailedEvent:
    event_id: str
    room_id: str
    attempts: int
    last_error: str
    ref: str
    first_failed: float
    set_aside_at: float | None


def _event(row: aiosqlite.Row) -> FailedEvent:
    return FailedEvent(**{name: row[name] for name in row.keys()})


class FailedEventRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_failure(
        self, event_id: str, room_id: str, error: str, ref: str, now: float
    ) -> FailedEvent:
        """Count one more failed attempt (in its own transaction: the event's was undone)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO failed_events (event_id, room_id, attempts, last_error, ref, "
                "first_failed) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET "
                "attempts = attempts + 1, last_error = excluded.last_error, ref = excluded.ref",
                (event_id, room_id, error, ref, now),
            )
            row = await self.db.fetchone(
                "SELECT * FROM failed_events WHERE event_id = ?", (event_id,)
            )
        assert row is not None
        return _event(row)

    async def set_aside(self, event_id: str, now: float) -> None:
        await self.db.execute(
            "UPDATE failed_events SET set_aside_at = ? WHERE event_id = ?", (now, event_id)
        )

    async def recent_set_aside(self, limit: int = 5) -> list[FailedEvent]:
        rows = await self.db.fetchall(
            "SELECT * FROM failed_events WHERE set_aside_at IS NOT NULL "
            "ORDER BY set_aside_at DESC LIMIT ?",
            (limit,),
        )
        return [_event(r) for r in rows]

    async def forget_before(self, cutoff: float) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM failed_events WHERE first_failed < ?", (cutoff,)
            )
            return cursor.rowcount
