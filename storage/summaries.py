"""Workshop rooms, notes/decisions/action items, polls and their votes, posted summaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import aiosqlite

from storage.database import Database


@dataclass(frozen=True)
class WorkshopRef:
    event_key: str
    workshop_key: str

    def __str__(self) -> str:
        return f"{self.event_key}/{self.workshop_key}"


@dataclass(frozen=True)
class WorkshopRoom:
    room_id: str
    ref: WorkshopRef
    who_may_add: str  # 'all' | 'attendees'


@dataclass(frozen=True)
class Entry:
    id: int
    ref: WorkshopRef
    kind: str  # 'note' | 'decision' | 'action'
    text: str
    author: str
    created_at: float
    room_id: str | None
    source_event_id: str | None
    owner: str | None
    due_date: date | None
    done_at: float | None
    done_by: str | None
    reminded_at: float | None
    overdue_at: float | None


@dataclass(frozen=True)
class PendingPin:
    reaction_event_id: str
    room_id: str
    target_event_id: str
    sender: str
    attempts: int


@dataclass(frozen=True)
class Poll:
    id: int
    ref: WorkshopRef
    room_id: str
    question: str
    options: tuple[str, ...]
    created_by: str
    created_at: float
    ended_at: float | None
    decision_id: int | None


@dataclass(frozen=True)
class Vote:
    sender: str
    answers: tuple[str, ...]
    voted_ts: int


@dataclass(frozen=True)
class PostedSummary:
    id: int
    ref: WorkshopRef
    room_id: str
    status: str  # 'scheduled' | 'posted' | 'missed' | 'cancelled'
    due_at: float
    posted_at: float | None
    reminder_id: int | None
    created_by: str


def _entry(row: aiosqlite.Row) -> Entry:
    return Entry(
        id=row["id"],
        ref=WorkshopRef(row["event_key"], row["workshop_key"]),
        kind=row["kind"],
        text=row["text"],
        author=row["author"],
        created_at=row["created_at"],
        room_id=row["room_id"],
        source_event_id=row["source_event_id"],
        owner=row["owner"],
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        done_at=row["done_at"],
        done_by=row["done_by"],
        reminded_at=row["reminded_at"],
        overdue_at=row["overdue_at"],
    )


def _poll(row: aiosqlite.Row) -> Poll:
    return Poll(
        id=row["id"],
        ref=WorkshopRef(row["event_key"], row["workshop_key"]),
        room_id=row["room_id"],
        question=row["question"],
        options=tuple(json.loads(row["options"])),
        created_by=row["created_by"],
        created_at=row["created_at"],
        ended_at=row["ended_at"],
        decision_id=row["decision_id"],
    )


def _summary(row: aiosqlite.Row) -> PostedSummary:
    return PostedSummary(
        id=row["id"],
        ref=WorkshopRef(row["event_key"], row["workshop_key"]),
        room_id=row["room_id"],
        status=row["status"],
        due_at=row["due_at"],
        posted_at=row["posted_at"],
        reminder_id=row["reminder_id"],
        created_by=row["created_by"],
    )


DELETED_USER = "(gelöscht)"  # stands in for an erased member where a name is required


class SummaryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- rooms -------------------------------------------------------------------------

    async def link_room(
        self, room_id: str, ref: WorkshopRef, who_may_add: str, by: str, now: float
    ) -> None:
        await self.db.execute(
            "INSERT INTO workshop_rooms (room_id, event_key, workshop_key, who_may_add, "
            "linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (room_id) DO UPDATE "
            "SET event_key = excluded.event_key, workshop_key = excluded.workshop_key, "
            "who_may_add = excluded.who_may_add, linked_by = excluded.linked_by, "
            "linked_at = excluded.linked_at",
            (room_id, ref.event_key, ref.workshop_key, who_may_add, by, now),
        )

    async def unlink_room(self, room_id: str) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM workshop_rooms WHERE room_id = ?", (room_id,))
            return cursor.rowcount > 0

    async def room(self, room_id: str) -> WorkshopRoom | None:
        row = await self.db.fetchone("SELECT * FROM workshop_rooms WHERE room_id = ?", (room_id,))
        if row is None:
            return None
        return WorkshopRoom(
            row["room_id"], WorkshopRef(row["event_key"], row["workshop_key"]), row["who_may_add"]
        )

    async def rooms_of(self, ref: WorkshopRef) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT room_id FROM workshop_rooms WHERE event_key = ? AND workshop_key = ? "
            "ORDER BY linked_at",
            (ref.event_key, ref.workshop_key),
        )
        return [r["room_id"] for r in rows]

    # --- entries -----------------------------------------------------------------------

    async def add_entry(
        self,
        ref: WorkshopRef,
        kind: str,
        text: str,
        author: str,
        now: float,
        *,
        room_id: str | None = None,
        source_event_id: str | None = None,
        pin_reaction_id: str | None = None,
        owner: str | None = None,
        due_date: date | None = None,
    ) -> int | None:
        """The new entry's id; None if this source message was recorded for the workshop before."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO workshop_entries (event_key, workshop_key, kind, text, "
                "author, created_at, room_id, source_event_id, pin_reaction_id, owner, due_date) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ref.event_key,
                    ref.workshop_key,
                    kind,
                    text,
                    author,
                    now,
                    room_id,
                    source_event_id,
                    pin_reaction_id,
                    owner,
                    due_date.isoformat() if due_date else None,
                ),
            )
            return cursor.lastrowid if cursor.rowcount == 1 else None

    async def entry(self, entry_id: int) -> Entry | None:
        row = await self.db.fetchone("SELECT * FROM workshop_entries WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    async def entries(self, ref: WorkshopRef) -> list[Entry]:
        rows = await self.db.fetchall(
            "SELECT * FROM workshop_entries WHERE event_key = ? AND workshop_key = ? "
            "ORDER BY created_at, id",
            (ref.event_key, ref.workshop_key),
        )
        return [_entry(r) for r in rows]

    async def open_actions(self, ref: WorkshopRef | None = None) -> list[Entry]:
        sql = "SELECT * FROM workshop_entries WHERE kind = 'action' AND done_at IS NULL"
        params: tuple[Any, ...] = ()
        if ref is not None:
            sql += " AND event_key = ? AND workshop_key = ?"
            params = (ref.event_key, ref.workshop_key)
        rows = await self.db.fetchall(sql + " ORDER BY due_date IS NULL, due_date, id", params)
        return [_entry(r) for r in rows]

    async def remove_entry(self, entry_id: int) -> None:
        await self.db.execute("DELETE FROM workshop_entries WHERE id = ?", (entry_id,))

    async def remove_by_source(self, event_id: str, room_id: str, sender: str) -> int:
        """A redacted message or 📌: the entry it made goes too, but only when its author took
        it back in the entry's own room (a redaction names any event id, from any room, and
        the bot sees it even where no server applied it): the note a 📌 made of the message,
        the note or action item a command message made. A decision stays (!beschluss, a
        poll's result): it is the workshop's record. Others (moderators included) use
        !notiz-entfernen, which checks who may remove."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM workshop_entries WHERE room_id = ? AND author = ? "
                "AND (pin_reaction_id = ? OR (source_event_id = ? "
                "AND (pin_reaction_id IS NOT NULL OR kind != 'decision')))",
                (room_id, sender, event_id, event_id),
            )
            # A 📌 still waiting for its message: only its sender takes it back (a redacted
            # message comes back empty when fetched and is dropped then).
            await conn.execute(
                "DELETE FROM pending_pins WHERE room_id = ? AND sender = ? "
                "AND (reaction_event_id = ? OR target_event_id = ?)",
                (room_id, sender, event_id, event_id),
            )
            return cursor.rowcount

    async def mark_done(self, entry_id: int, by: str, now: float) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE workshop_entries SET done_at = ?, done_by = ? "
                "WHERE id = ? AND kind = 'action' AND done_at IS NULL",
                (now, by, entry_id),
            )
            return cursor.rowcount == 1

    async def mark_reminded(self, entry_id: int, column: str, now: float) -> None:
        if column not in ("reminded_at", "overdue_at"):
            raise ValueError(column)
        await self.db.execute(
            f"UPDATE workshop_entries SET {column} = ? WHERE id = ?", (now, entry_id)
        )

    async def actions_to_remind(self) -> list[Entry]:
        """Open action items with a due date whose reminder or overdue notice is outstanding."""
        rows = await self.db.fetchall(
            "SELECT * FROM workshop_entries WHERE kind = 'action' AND done_at IS NULL "
            "AND due_date IS NOT NULL AND (reminded_at IS NULL OR overdue_at IS NULL) "
            "ORDER BY due_date, id"
        )
        return [_entry(r) for r in rows]

    # --- pins --------------------------------------------------------------------------

    async def add_pending_pin(
        self, reaction_event_id: str, room_id: str, target: str, sender: str, now: float
    ) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO pending_pins (reaction_event_id, room_id, target_event_id, "
            "sender, created_at) VALUES (?, ?, ?, ?, ?)",
            (reaction_event_id, room_id, target, sender, now),
        )

    async def pending_pins(self) -> list[PendingPin]:
        rows = await self.db.fetchall("SELECT * FROM pending_pins ORDER BY created_at")
        return [
            PendingPin(
                r["reaction_event_id"],
                r["room_id"],
                r["target_event_id"],
                r["sender"],
                r["attempts"],
            )
            for r in rows
        ]

    async def pin_failed(self, reaction_event_id: str) -> None:
        await self.db.execute(
            "UPDATE pending_pins SET attempts = attempts + 1 WHERE reaction_event_id = ?",
            (reaction_event_id,),
        )

    async def drop_pending_pin(self, reaction_event_id: str) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM pending_pins WHERE reaction_event_id = ?", (reaction_event_id,)
            )
            return cursor.rowcount == 1

    # --- polls -------------------------------------------------------------------------

    async def add_poll(
        self,
        ref: WorkshopRef,
        room_id: str,
        question: str,
        options: tuple[str, ...],
        by: str,
        now: float,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO polls (event_key, workshop_key, room_id, question, options, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ref.event_key, ref.workshop_key, room_id, question, json.dumps(options), by, now),
        )

    async def poll(self, poll_id: int) -> Poll | None:
        row = await self.db.fetchone("SELECT * FROM polls WHERE id = ?", (poll_id,))
        return _poll(row) if row else None

    async def open_polls(self, room_id: str) -> list[Poll]:
        rows = await self.db.fetchall(
            "SELECT * FROM polls WHERE room_id = ? AND ended_at IS NULL ORDER BY id DESC",
            (room_id,),
        )
        return [_poll(r) for r in rows]

    async def end_poll(self, poll_id: int, now: float, decision_id: int | None) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET ended_at = ?, decision_id = ? WHERE id = ? AND ended_at IS NULL",
                (now, decision_id, poll_id),
            )
            return cursor.rowcount == 1

    async def sent_event_id(self, txn_id: str) -> str | None:
        """The event id the homeserver gave a message we sent (None while it is pending)."""
        row = await self.db.fetchone(
            "SELECT sent_event_id FROM outbox WHERE txn_id = ? AND status = 'sent'", (txn_id,)
        )
        return row["sent_event_id"] if row else None

    async def record_vote(
        self,
        poll_event_id: str,
        sender: str,
        room_id: str,
        answers: tuple[str, ...],
        voted_ts: int,
        vote_event_id: str,
    ) -> None:
        """Keep a member's latest response only (by server time; a late-arriving older one
        from a back-fill never overwrites a newer one)."""
        await self.db.execute(
            "INSERT INTO poll_votes (poll_event_id, sender, room_id, answers, voted_ts, "
            "vote_event_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (poll_event_id, sender) "
            "DO UPDATE SET answers = excluded.answers, voted_ts = excluded.voted_ts, "
            "vote_event_id = excluded.vote_event_id WHERE excluded.voted_ts >= poll_votes.voted_ts",
            (poll_event_id, sender, room_id, json.dumps(answers), voted_ts, vote_event_id),
        )

    async def votes(self, poll_event_id: str) -> list[Vote]:
        rows = await self.db.fetchall(
            "SELECT sender, answers, voted_ts FROM poll_votes WHERE poll_event_id = ? "
            "ORDER BY sender",
            (poll_event_id,),
        )
        return [Vote(r["sender"], tuple(json.loads(r["answers"])), r["voted_ts"]) for r in rows]

    async def remove_vote_event(self, vote_event_id: str, room_id: str, sender: str) -> int:
        """A response redacted by its voter in the poll's room takes the vote back."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM poll_votes WHERE vote_event_id = ? AND room_id = ? AND sender = ?",
                (vote_event_id, room_id, sender),
            )
            return cursor.rowcount

    # --- summaries ---------------------------------------------------------------------

    async def add_summary(
        self,
        ref: WorkshopRef,
        room_id: str,
        status: str,
        due_at: float,
        by: str,
        *,
        posted_at: float | None = None,
        body: str | None = None,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO workshop_summaries (event_key, workshop_key, room_id, status, due_at, "
            "posted_at, created_by, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ref.event_key, ref.workshop_key, room_id, status, due_at, posted_at, by, body),
        )

    async def set_summary_reminder(self, summary_id: int, reminder_id: int) -> None:
        await self.db.execute(
            "UPDATE workshop_summaries SET reminder_id = ? WHERE id = ?", (reminder_id, summary_id)
        )

    async def summary(self, summary_id: int) -> PostedSummary | None:
        row = await self.db.fetchone("SELECT * FROM workshop_summaries WHERE id = ?", (summary_id,))
        return _summary(row) if row else None

    async def end_scheduled_summary(self, summary_id: int, status: str) -> bool:
        """A scheduled summary was missed or called off; False if it is not scheduled."""
        if status not in ("missed", "cancelled"):
            raise ValueError(status)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE workshop_summaries SET status = ? WHERE id = ? AND status = 'scheduled'",
                (status, summary_id),
            )
            return cursor.rowcount == 1

    async def mark_summary_posted(self, summary_id: int, now: float, body: str) -> None:
        await self.db.execute(
            "UPDATE workshop_summaries SET status = 'posted', posted_at = ?, body = ? WHERE id = ?",
            (now, body, summary_id),
        )

    async def summaries(
        self, ref: WorkshopRef | None = None, limit: int = 30
    ) -> list[PostedSummary]:
        sql = "SELECT * FROM workshop_summaries"
        params: tuple[Any, ...] = ()
        if ref is not None:
            sql += " WHERE event_key = ? AND workshop_key = ?"
            params = (ref.event_key, ref.workshop_key)
        rows = await self.db.fetchall(
            sql + " ORDER BY due_at DESC, id DESC LIMIT ?", (*params, limit)
        )
        return [_summary(r) for r in rows]

    # --- personal data -----------------------------------------------------------------

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        entries = await self.db.fetchall(
            "SELECT id, event_key, workshop_key, kind, text, created_at, author, owner, "
            "due_date, done_at, done_by FROM workshop_entries "
            "WHERE author = ? OR owner = ? OR done_by = ? OR text LIKE ? ESCAPE '\\' ORDER BY id",
            (user_id, user_id, user_id, _quoting(user_id)),
        )
        votes = await self.db.fetchall(
            "SELECT poll_event_id, answers, voted_ts FROM poll_votes WHERE sender = ?",
            (user_id,),
        )
        polls = await self.db.fetchall(
            "SELECT id, event_key, workshop_key, room_id, question, created_at FROM polls "
            "WHERE created_by = ? ORDER BY id",
            (user_id,),
        )
        rooms = await self.db.fetchall(
            "SELECT room_id, event_key, workshop_key, linked_at FROM workshop_rooms "
            "WHERE linked_by = ? ORDER BY linked_at",
            (user_id,),
        )
        summaries = await self.db.fetchall(
            "SELECT id, event_key, workshop_key, room_id, status, due_at, posted_at "
            "FROM workshop_summaries WHERE created_by = ? ORDER BY id",
            (user_id,),
        )
        # A posted summary names action items' owners in its text ("zuständig: @…").
        naming = await self.db.fetchall(
            "SELECT id, event_key, workshop_key, room_id, posted_at, body "
            "FROM workshop_summaries WHERE body LIKE ? ESCAPE '\\' ORDER BY id",
            (_quoting(user_id),),
        )
        pins = await self.db.fetchall(
            "SELECT room_id, target_event_id, created_at FROM pending_pins WHERE sender = ?",
            (user_id,),
        )
        return {
            "workshop_entries": [dict(r) for r in entries],
            "poll_votes": [{**dict(r), "answers": json.loads(r["answers"])} for r in votes],
            "polls_started": [dict(r) for r in polls],
            "workshop_rooms_linked": [dict(r) for r in rooms],
            "summaries_planned_or_posted": [dict(r) for r in summaries],
            "summaries_naming_you": [dict(r) for r in naming],
            "pins_being_recorded": [dict(r) for r in pins],
        }

    async def delete_personal_data(self, user_id: str) -> int:
        """Notes and action items the member wrote go; a decision stays in the workshop's record
        without its author; an action item they only own or closed loses that name. Polls,
        room links and summaries belong to the workshop: they stay, with the name replaced,
        also where a stored text quotes the id (a posted summary's "zuständig: @…", a note
        that mentions the member)."""
        async with self.db.transaction() as conn:
            removed = 0
            for sql in (
                "DELETE FROM workshop_entries WHERE author = ? AND kind != 'decision'",
                "UPDATE workshop_entries SET author = '' WHERE author = ?",
                "UPDATE workshop_entries SET owner = NULL WHERE owner = ?",
                "UPDATE workshop_entries SET done_by = NULL WHERE done_by = ?",
                "DELETE FROM poll_votes WHERE sender = ?",
                "DELETE FROM pending_pins WHERE sender = ?",
            ):
                cursor = await conn.execute(sql, (user_id,))
                removed += cursor.rowcount
            for table, column in (
                ("polls", "created_by"),
                ("workshop_rooms", "linked_by"),
                ("workshop_summaries", "created_by"),
            ):
                cursor = await conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                    (DELETED_USER, user_id),
                )
                removed += cursor.rowcount
            for table, column in (("workshop_summaries", "body"), ("workshop_entries", "text")):
                cursor = await conn.execute(
                    f"UPDATE {table} SET {column} = replace({column}, ?, ?) "
                    f"WHERE {column} LIKE ? ESCAPE '\\'",
                    (user_id, DELETED_USER, _quoting(user_id)),
                )
                removed += cursor.rowcount
            return removed


def _quoting(user_id: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for texts quoting ``user_id``: _ and % are literal."""
    escaped = user_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
