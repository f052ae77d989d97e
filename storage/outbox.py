"""The persistent outbox: every message the bot sends is a row here before it is sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.database import Database


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    data: bytes


@dataclass(frozen=True)
class OutgoingMessage:
    """A message to enqueue; exactly one of room_id / user_id (send as a direct message).

    ``private_to``: a room message meant for this member alone (a reply in their DM), sent
    to the room only while it is still the DM with them (bot/outbox_sender.py).
    ``copy_of``: the transaction id of the message this one copies (a private reply moved to
    the member's DM); reactions to it count as reactions to that one (``txn_for_event``)."""

    txn_id: str
    content: dict[str, Any]
    room_id: str | None = None
    user_id: str | None = None
    event_type: str = "m.room.message"
    attachment: Attachment | None = None
    private_to: str | None = None
    copy_of: str | None = None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    txn_id: str
    room_id: str | None
    user_id: str | None
    event_type: str
    content: dict[str, Any]
    attempts: int
    created_at: float = 0.0
    last_error: str | None = None
    has_file: bool = True  # False: no attachment to read before sending
    private_to: str | None = None  # see OutgoingMessage
    sent_to: str | None = None  # a direct message: the room of its last send attempt

    @property
    def target(self) -> str:
        """The room, or the member of a direct message."""
        return self.room_id or self.user_id or ""


@dataclass(frozen=True)
class FailedMessage:
    id: int
    target: str
    error: str
    failed_at: float


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    sent: int
    failed: int


def _row(row: aiosqlite.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        txn_id=row["txn_id"],
        room_id=row["room_id"],
        user_id=row["user_id"],
        event_type=row["event_type"],
        content=json.loads(row["content"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        last_error=row["last_error"],
        has_file=bool(row["has_file"]) if "has_file" in row.keys() else True,
        private_to=row["private_to"],
        sent_to=row["sent_to"] if "sent_to" in row.keys() else None,
    )


INSERT = (
    "INSERT OR IGNORE INTO outbox (txn_id, room_id, user_id, event_type, content, created_at, "
    "private_to, copy_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _values(m: OutgoingMessage, now: float) -> tuple[Any, ...]:
    content = json.dumps(m.content)
    return (m.txn_id, m.room_id, m.user_id, m.event_type, content, now, m.private_to, m.copy_of)


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def enqueue_in(
        conn: aiosqlite.Connection, messages: list[OutgoingMessage], now: float
    ) -> int:
        """Inside the caller's transaction; a txn_id enqueued before is ignored (idempotent).
        Returns how many rows are new."""
        new = 0
        for m in messages:
            cursor = await conn.execute(INSERT, _values(m, now))
            new += cursor.rowcount
            if cursor.rowcount == 1 and m.attachment is not None:
                await conn.execute(
                    "INSERT INTO outbox_files (outbox_id, filename, mimetype, data) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        cursor.lastrowid,
                        m.attachment.filename,
                        m.attachment.mimetype,
                        m.attachment.data,
                    ),
                )
        return new

    async def enqueue_one(self, message: OutgoingMessage, now: float) -> bool:
        """Queue one message, joining the caller's transaction if there is one; False if its
        txn_id was queued before. Without a file this is one statement; with one, the row and
        its file stand or fall with the caller's transaction (``atomic``: no savepoint)."""
        if message.attachment is not None:
            async with self.db.atomic() as conn:
                return await self.enqueue_in(conn, [message], now) == 1
        written = await self.db.write(INSERT, _values(message, now))
        return written.rowcount == 1

    async def enqueue(self, messages: list[OutgoingMessage], now: float) -> None:
        async with self.db.transaction() as conn:
            await self.enqueue_in(conn, messages, now)

    async def due(self, now: float, limit: int = 100, rooms: bool | None = None) -> list[OutboxRow]:
        """Pending rows that may go now, oldest first. A row waiting for a retry holds back
        the later rows of its room (or DM), so messages never overtake each other.
        ``rooms``: only room messages (True), only direct messages (False), or both (None);
        the sender's two lanes must not see their ``limit`` filled by the other's rows."""
        rows = await self.db.fetchall(
            "SELECT o.*, EXISTS (SELECT 1 FROM outbox_files AS f WHERE f.outbox_id = o.id) "
            "AS has_file FROM outbox AS o WHERE o.status = 'pending' AND o.not_before <= :now "
            "AND (:rooms IS NULL OR (o.room_id IS NOT NULL) = :rooms) "
            "AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.status = 'pending' "
            "AND p.id < o.id AND p.not_before > :now "
            "AND coalesce(p.room_id, 'dm:' || p.user_id) "
            "= coalesce(o.room_id, 'dm:' || o.user_id)) "
            "ORDER BY o.id LIMIT :limit",
            {"now": now, "limit": limit, "rooms": rooms},
        )
        return [_row(r) for r in rows]

    async def attachment(self, row_id: int) -> Attachment | None:
        row = await self.db.fetchone(
            "SELECT filename, mimetype, data FROM outbox_files WHERE outbox_id = ?", (row_id,)
        )
        return Attachment(row["filename"], row["mimetype"], bytes(row["data"])) if row else None

    async def next_due_at(self) -> float | None:
        row = await self.db.fetchone(
            "SELECT min(not_before) AS t FROM outbox WHERE status = 'pending'"
        )
        return None if row is None or row["t"] is None else float(row["t"])

    async def mark_sent(self, row_id: int, event_id: str, now: float) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, sent_event_id = ?, "
            "attempts = attempts + 1, private_to = NULL WHERE id = ?",
            (now, event_id, row_id),
        )

    async def note_sending_to(self, row_id: int, room_id: str) -> None:
        """A direct message is about to be sent to ``room_id`` (before the request: after a
        crash the row tells which room it may have reached, REVIEW-12 F4)."""
        await self.db.execute("UPDATE outbox SET sent_to = ? WHERE id = ?", (room_id, row_id))

    async def mark_moved(self, row_id: int, now: float) -> None:
        """A private reply that went to the member's DM instead (a new row, queued in the same
        transaction): done here without an event, its content kept only in the new row."""
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, content = '{}', private_to = NULL, "
            "last_error = 'moved to the direct message' WHERE id = ?",
            (now, row_id),
        )

    async def mark_retry(
        self, row_id: int, not_before: float, error: str, counts: bool = True
    ) -> None:
        """Try again at ``not_before``; ``counts=False`` for waits that are no failure of the
        message (a 429, the homeserver being away)."""
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + ?, not_before = ?, last_error = ? "
            "WHERE id = ?",
            (1 if counts else 0, not_before, error, row_id),
        )

    async def mark_failed(self, row_id: int, error: str, now: float) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
            "failed_at = ? WHERE id = ?",
            (error, now, row_id),
        )

    async def recent_failures(self, limit: int = 5) -> list[FailedMessage]:
        rows = await self.db.fetchall(
            "SELECT id, coalesce(room_id, user_id) AS target, coalesce(last_error, '') AS error, "
            "coalesce(failed_at, created_at) AS failed_at FROM outbox WHERE status = 'failed' "
            "ORDER BY failed_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [FailedMessage(r["id"], r["target"], r["error"], r["failed_at"]) for r in rows]

    async def forget_before(self, cutoff: float) -> int:
        """Retention: what was sent or given up before ``cutoff`` loses its content and files.

        A sent room message keeps only its transaction id, event id and room (answer feedback
        maps a reacted-to event to its answer by them), and so does a sent copy of a private
        reply in the member's DM (``copy_of``), without naming the member any more; any
        other direct message or failed message is deleted, because its row names a member.
        Pending rows are never touched. Returns how many rows were cleared or deleted."""
        async with self.db.transaction() as conn:
            old = (
                "SELECT id FROM outbox WHERE (status = 'sent' AND sent_at < :cutoff) "
                "OR (status = 'failed' AND coalesce(failed_at, created_at) < :cutoff)"
            )
            await conn.execute(
                f"DELETE FROM outbox_files WHERE outbox_id IN ({old})", {"cutoff": cutoff}
            )
            deleted = await conn.execute(
                "DELETE FROM outbox WHERE id IN (" + old + ") "
                "AND ((user_id IS NOT NULL AND copy_of IS NULL) OR status = 'failed')",
                {"cutoff": cutoff},
            )
            cleared = await conn.execute(
                "UPDATE outbox SET content = '{}', last_error = NULL, user_id = CASE WHEN "
                "user_id IS NULL THEN NULL ELSE '(deleted)' END WHERE id IN (" + old + ") "
                "AND (content != '{}' OR user_id != '(deleted)')",
                {"cutoff": cutoff},
            )
            return deleted.rowcount + cleared.rowcount

    async def counts(self) -> OutboxCounts:
        rows = await self.db.fetchall("SELECT status, count(*) AS n FROM outbox GROUP BY status")
        by_status = {r["status"]: r["n"] for r in rows}
        return OutboxCounts(
            pending=by_status.get("pending", 0),
            sent=by_status.get("sent", 0),
            failed=by_status.get("failed", 0),
        )

    async def direct_messages(self, user_id: str) -> list[dict[str, Any]]:
        """For !meine-daten: the direct messages to ``user_id`` the outbox still holds (their
        text until retention clears it)."""
        return await self._export("user_id = :u", user_id)

    async def room_messages_naming(self, user_id: str) -> list[dict[str, Any]]:
        """For !meine-daten: room messages whose text quotes ``user_id`` (e.g. a summary's
        "zuständig: @…"), or that are replies to them alone not sent yet (``private_to``);
        erasure clears them (forget_user)."""
        return await self._export(
            "user_id IS NULL AND (instr(content, :u) > 0 OR private_to = :u)", user_id
        )

    async def _export(self, where: str, user_id: str) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            f"SELECT room_id, created_at, status, sent_at, content FROM outbox WHERE {where} "
            "ORDER BY id",
            {"u": user_id},
        )
        return [
            {
                "room_id": r["room_id"],
                "created_at": r["created_at"],
                "status": r["status"],
                "sent_at": r["sent_at"],
                "text": json.loads(r["content"] or "{}").get("body"),
            }
            for r in rows
        ]

    async def forget_user(self, user_id: str) -> int:
        """Erasure: sent messages to or naming ``user_id`` lose their content (the row and its
        transaction id stay, so nothing is ever sent twice). Pending ones are still sent."""
        pattern = f"%{user_id}%"
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET content = '{}', user_id = CASE WHEN user_id IS NULL "
                "THEN NULL ELSE '(deleted)' END, private_to = NULL WHERE status != 'pending' "
                "AND (user_id = ? OR content LIKE ? OR private_to = ?)",
                (user_id, pattern, user_id),
            )
            await conn.execute(
                "DELETE FROM outbox_files WHERE outbox_id IN "
                "(SELECT id FROM outbox WHERE user_id = '(deleted)')"
            )
            return cursor.rowcount

    async def txn_for_event(self, event_id: str) -> str | None:
        """The transaction id of a message we sent, by its event id (e.g. a reacted-to answer);
        for the copy of a private reply moved to the member's DM, the reply's."""
        row = await self.db.fetchone(
            "SELECT coalesce(copy_of, txn_id) AS txn_id FROM outbox WHERE sent_event_id = ?",
            (event_id,),
        )
        return row["txn_id"] if row else None
