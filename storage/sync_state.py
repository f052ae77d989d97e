"""Sync token, session, join times and handled events: what makes "exactly once" hold."""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.database import Database

SINCE_TOKEN = "sync.since"
SESSION = "matrix.session"


@dataclass(frozen=True)
class Session:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str


class SyncStateRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _get(self, key: str) -> str | None:
        row = await self.db.fetchone("SELECT value FROM kv WHERE key = ?", (key,))
        return row["value"] if row else None

    async def _set(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def since_token(self) -> str | None:
        return await self._get(SINCE_TOKEN)

    async def store_since_token(self, token: str) -> None:
        await self._set(SINCE_TOKEN, token)

    async def session(self) -> Session | None:
        raw = await self._get(SESSION)
        return Session(**json.loads(raw)) if raw else None

    async def store_session(self, session: Session) -> None:
        await self._set(SESSION, json.dumps(session.__dict__))

    async def record_join(self, room_id: str, joined_ts: int) -> None:
        """Remember the latest join of the bot to a room (a rejoin moves it forward)."""
        await self.db.execute(
            "INSERT INTO room_joins (room_id, joined_ts) VALUES (?, ?) "
            "ON CONFLICT (room_id) DO UPDATE SET joined_ts = max(joined_ts, excluded.joined_ts)",
            (room_id, joined_ts),
        )

    async def joined_ts(self, room_id: str) -> int | None:
        row = await self.db.fetchone(
            "SELECT joined_ts FROM room_joins WHERE room_id = ?", (room_id,)
        )
        return int(row["joined_ts"]) if row else None

    async def is_handled(self, event_id: str) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM processed_events WHERE event_id = ?", (event_id,)
        )
        return row is not None

    async def mark_handled(self, event_id: str, room_id: str, now: float) -> bool:
        """Joins the caller's transaction; False if the event was handled already."""
        written = await self.db.write(
            "INSERT OR IGNORE INTO processed_events (event_id, room_id, handled_at) "
            "VALUES (?, ?, ?)",
            (event_id, room_id, now),
        )
        return written.rowcount == 1

    async def forget_handled_before(self, cutoff: float) -> int:
        """Housekeeping: sync tokens never go back further than days, so old ids can go."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM processed_events WHERE handled_at < ?", (cutoff,)
            )
            return cursor.rowcount
