"""Reminders as rows: the database owns every schedule.

A reminder has its next due time (UTC, whole seconds) and a status. Each occurrence that was
handled leaves a row in ``reminder_runs`` (primary key: reminder and due time), written in the
same transaction as the status change and the outbox rows: an occurrence is handled once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from storage.database import Database


def to_ts(moment: datetime) -> int:
    """Whole seconds, rounded up: a reminder never fires before the time it was set for."""
    return math.ceil(moment.timestamp())


def from_ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class ReminderRow:
    id: int
    kind: str  # "room", "personal", "event" or a kind registered by another capability
    room_id: str | None  # target room
    user_id: str | None  # target user (a direct message)
    origin_room: str | None  # where it was set
    created_by: str
    payload: str  # the reminder text, verbatim (or a registered kind's data)
    rule: str | None  # recurring rule (bot.timeparse.Rule JSON); None for one-off
    due: datetime  # next due time, aware UTC
    status: str  # "scheduled", "done", "cancelled", "missed"
    event_key: str | None
    event_offset: str | None
    event_starts: datetime | None
    created_at: float

    @property
    def text(self) -> str:
        return self.payload


@dataclass(frozen=True)
class RunRow:
    reminder_id: int
    due: datetime
    outcome: str  # "sent", "late", "missed", "skipped"
    handled_at: float
    recipients: int


def _row(row: aiosqlite.Row) -> ReminderRow:
    return ReminderRow(
        id=row["id"],
        kind=row["kind"],
        room_id=row["room_id"],
        user_id=row["user_id"],
        origin_room=row["origin_room"],
        created_by=row["created_by"],
        payload=row["payload"],
        rule=row["rule"],
        due=from_ts(row["due"]),
        status=row["status"],
        event_key=row["event_key"],
        event_offset=row["event_offset"],
        event_starts=from_ts(row["event_starts"]) if row["event_starts"] is not None else None,
        created_at=row["created_at"],
    )


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        kind: str,
        due: datetime,
        *,
        created_by: str,
        now: float,
        room_id: str | None = None,
        user_id: str | None = None,
        origin_room: str | None = None,
        payload: str = "",
        rule: str | None = None,
        event_key: str | None = None,
        event_offset: str | None = None,
        event_starts: datetime | None = None,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO reminders (kind, room_id, user_id, origin_room, created_by, payload, "
            "rule, due, event_key, event_offset, event_starts, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                room_id,
                user_id,
                origin_room,
                created_by,
                payload,
                rule,
                to_ts(due),
                event_key,
                event_offset,
                to_ts(event_starts) if event_starts else None,
                now,
            ),
        )

    async def get(self, reminder_id: int) -> ReminderRow | None:
        row = await self.db.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return _row(row) if row else None

    async def scheduled(self) -> list[ReminderRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE status = 'scheduled' ORDER BY due, id"
        )
        return [_row(r) for r in rows]

    async def due_at(self, moment: datetime) -> list[ReminderRow]:
        """What is due at ``moment``: a pure function of the rows and the time."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE status = 'scheduled' AND due <= ? ORDER BY due, id",
            (moment.timestamp(),),
        )
        return [_row(r) for r in rows]

    async def advance(
        self,
        row: ReminderRow,
        handled_due: datetime,
        outcome: str,
        next_due: datetime | None,
        now: float,
        recipients: int = 0,
    ) -> bool:
        """Record the occurrence at ``handled_due`` and move the row on (to ``next_due``, or
        done/missed when there is none). False if another run got there first: the caller
        must then roll back what it queued (its transaction)."""
        cursor = await self._conn_execute(
            "INSERT OR IGNORE INTO reminder_runs (reminder_id, due, outcome, handled_at, "
            "recipients) VALUES (?, ?, ?, ?, ?)",
            (row.id, to_ts(handled_due), outcome, now, recipients),
        )
        if cursor == 0:
            return False
        if next_due is not None:
            status, due = "scheduled", to_ts(next_due)
        else:
            status, due = ("missed" if outcome == "missed" else "done"), to_ts(row.due)
        changed = await self._conn_execute(
            "UPDATE reminders SET status = ?, due = ? "
            "WHERE id = ? AND due = ? AND status = 'scheduled'",
            (status, due, row.id, to_ts(row.due)),
        )
        return changed == 1

    async def handled(self, reminder_id: int, due: datetime) -> bool:
        """Whether the occurrence at ``due`` was handled already (a reminder_runs row)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM reminder_runs WHERE reminder_id = ? AND due = ?",
            (reminder_id, to_ts(due)),
        )
        return row is not None

    async def settle(self, row: ReminderRow, next_due: datetime | None) -> bool:
        """Move a row whose due occurrence was handled before on (to ``next_due``, or done)
        without recording a run: it would otherwise stay due and be refused for ever."""
        status, due = ("scheduled", to_ts(next_due)) if next_due else ("done", to_ts(row.due))
        changed = await self._conn_execute(
            "UPDATE reminders SET status = ?, due = ? "
            "WHERE id = ? AND due = ? AND status = 'scheduled'",
            (status, due, row.id, to_ts(row.due)),
        )
        return changed == 1

    async def _conn_execute(self, sql: str, params: tuple[object, ...]) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def runs(self, reminder_id: int) -> list[RunRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminder_runs WHERE reminder_id = ? ORDER BY due", (reminder_id,)
        )
        return [
            RunRow(
                r["reminder_id"], from_ts(r["due"]), r["outcome"], r["handled_at"], r["recipients"]
            )
            for r in rows
        ]

    async def set_status(self, reminder_id: int, status: str) -> bool:
        return (
            await self._conn_execute(
                "UPDATE reminders SET status = ? WHERE id = ? AND status = 'scheduled'",
                (status, reminder_id),
            )
            == 1
        )

    async def reschedule(
        self, reminder_id: int, due: datetime, event_starts: datetime | None = None
    ) -> None:
        await self._conn_execute(
            "UPDATE reminders SET status = 'scheduled', due = ?, "
            "event_starts = coalesce(?, event_starts) WHERE id = ?",
            (to_ts(due), to_ts(event_starts) if event_starts else None, reminder_id),
        )

    async def visible(
        self,
        *,
        target_room: str | None = None,
        created_by: str | None = None,
        personal_for: str | None = None,
        everything: bool = False,
    ) -> list[ReminderRow]:
        """Scheduled reminders matching any of the given criteria, soonest first."""
        clauses, params = [], []
        if everything:
            clauses.append("1")
        if target_room:
            clauses.append("room_id = ?")
            params.append(target_room)
        if created_by:
            clauses.append("(created_by = ? AND kind != 'event')")
            params.append(created_by)
        if personal_for:
            clauses.append("(kind = 'personal' AND user_id = ?)")
            params.append(personal_for)
        if not clauses:
            return []
        rows = await self.db.fetchall(
            f"SELECT * FROM reminders WHERE status = 'scheduled' AND ({' OR '.join(clauses)}) "
            "ORDER BY due, id",
            params,
        )
        return [_row(r) for r in rows]

    async def for_event(self, event_key: str) -> list[ReminderRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE kind = 'event' AND event_key = ? ORDER BY id",
            (event_key,),
        )
        return [_row(r) for r in rows]

    # --- opting out of event reminder DMs ---

    async def set_opt_out(self, user_id: str, off: bool, now: float) -> bool:
        """True if it changed."""
        if off:
            sql, params = (
                "INSERT OR IGNORE INTO reminder_opt_out (user_id, since) VALUES (?, ?)",
                (user_id, now),
            )
        else:
            sql, params = "DELETE FROM reminder_opt_out WHERE user_id = ?", (user_id,)
        return await self._conn_execute(sql, params) == 1

    async def opted_out(self, user_id: str) -> bool:
        row = await self.db.fetchone("SELECT 1 FROM reminder_opt_out WHERE user_id = ?", (user_id,))
        return row is not None

    # --- personal data ---

    async def of_user(self, user_id: str) -> list[ReminderRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE created_by = ? OR user_id = ? ORDER BY id",
            (user_id, user_id),
        )
        return [_row(r) for r in rows]

    async def delete_user(self, user_id: str, placeholder: str) -> int:
        """Delete the reminders sent to the member by DM (their personal ones) and their
        opt-out; room reminders they set stay (the room expects them) but no longer name them."""
        async with self.db.transaction() as conn:
            removed = await conn.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
            renamed = await conn.execute(
                "UPDATE reminders SET created_by = ? WHERE created_by = ?", (placeholder, user_id)
            )
            opt = await conn.execute("DELETE FROM reminder_opt_out WHERE user_id = ?", (user_id,))
            return removed.rowcount + renamed.rowcount + opt.rowcount
