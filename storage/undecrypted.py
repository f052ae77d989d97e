"""Encrypted events waiting for their room key, and whom we told about a missing key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.database import Database


@dataclass(frozen=True)
class HeldEvent:
    event_id: str
    room_id: str
    sender: str
    session_id: str
    source: dict[str, Any]
    first_seen: float


class UndecryptedRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def hold(
        self,
        event_id: str,
        room_id: str,
        sender: str,
        session_id: str,
        source: dict[str, Any],
        now: float,
    ) -> bool:
        """Remember an event for later decryption; False if it was held already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO undecrypted_events "
                "(event_id, room_id, sender, session_id, source, first_seen) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (event_id, room_id, sender, session_id, json.dumps(source), now),
            )
            return cursor.rowcount == 1

    async def held(self) -> list[HeldEvent]:
        rows = await self.db.fetchall("SELECT * FROM undecrypted_events ORDER BY first_seen")
        return [
            HeldEvent(
                r["event_id"],
                r["room_id"],
                r["sender"],
                r["session_id"],
                json.loads(r["source"]),
                r["first_seen"],
            )
            for r in rows
        ]

    async def oldest_first_seen(self) -> float | None:
        row = await self.db.fetchone("SELECT min(first_seen) AS t FROM undecrypted_events")
        return None if row is None or row["t"] is None else float(row["t"])

    async def release(self, event_id: str) -> None:
        await self.db.execute("DELETE FROM undecrypted_events WHERE event_id = ?", (event_id,))

    @staticmethod
    async def release_in(conn: aiosqlite.Connection, event_id: str) -> None:
        await conn.execute("DELETE FROM undecrypted_events WHERE event_id = ?", (event_id,))

    @staticmethod
    async def claim_notice_in(
        conn: aiosqlite.Connection, sender: str, now: float, quiet_seconds: float
    ) -> bool:
        """True (and recorded) if ``sender`` was not told within ``quiet_seconds``."""
        cursor = await conn.execute(
            "INSERT INTO decryption_notices (sender, notified_at) VALUES (?, ?) "
            "ON CONFLICT (sender) DO UPDATE SET notified_at = excluded.notified_at "
            "WHERE decryption_notices.notified_at < ?",
            (sender, now, now - quiet_seconds),
        )
        return cursor.rowcount == 1

    # --- personal data -----------------------------------------------------------------------

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        held = await self.db.fetchall(
            "SELECT event_id, room_id, first_seen FROM undecrypted_events WHERE sender = ? "
            "ORDER BY first_seen",
            (user_id,),
        )
        notice = await self.db.fetchone(
            "SELECT notified_at FROM decryption_notices WHERE sender = ?", (user_id,)
        )
        return {
            "messages_waiting_for_a_room_key": [dict(r) for r in held],
            "told_about_a_missing_room_key_at": None if notice is None else notice[0],
        }

    async def delete_user(self, user_id: str) -> int:
        """Erasure: the member's held messages are dropped (never handled) and the note of
        when they were last told about a missing key goes."""
        async with self.db.transaction() as conn:
            held = await conn.execute("DELETE FROM undecrypted_events WHERE sender = ?", (user_id,))
            told = await conn.execute("DELETE FROM decryption_notices WHERE sender = ?", (user_id,))
            return held.rowcount + told.rowcount
