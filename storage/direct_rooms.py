"""Direct-message rooms the bot uses per member, so a DM is opened once and reused."""

from __future__ import annotations

from storage.database import Database


class DirectRoomRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def room_for(self, user_id: str) -> str | None:
        row = await self.db.fetchone("SELECT room_id FROM dm_rooms WHERE user_id = ?", (user_id,))
        return row["room_id"] if row else None

    async def is_current_dm(self, user_id: str, room_id: str | None) -> bool:
        """``room_id`` is the member's DM now (not only a room that was it before they opened
        its history to others): a message quoting their words may go there privately. No room
        (None) is never their DM."""
        return room_id is not None and await self.room_for(user_id) == room_id

    async def remember(self, user_id: str, room_id: str, *, keep_former: bool = False) -> None:
        """``room_id`` is the member's DM from now on (direct messages go there). With
        ``keep_former`` the one it replaces stays a room opened as a DM with them
        (``user_for``): the DM whose history they opened, still their conversation with the
        bot, and their DM again once they close its history (REVIEW-12 F5)."""
        async with self.db.atomic() as conn:
            if keep_former:
                await conn.execute(
                    "INSERT OR IGNORE INTO dm_former_rooms (room_id, user_id) "
                    "SELECT room_id, user_id FROM dm_rooms WHERE user_id = ? AND room_id != ?",
                    (user_id, room_id),
                )
            await conn.execute("DELETE FROM dm_former_rooms WHERE room_id = ?", (room_id,))
            await conn.execute(
                "INSERT INTO dm_rooms (user_id, room_id) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id",
                (user_id, room_id),
            )

    async def remember_missing(self, rooms: dict[str, str]) -> int:
        """Add DMs we do not know yet (never overwrite what the database says)."""
        async with self.db.transaction() as conn:
            added = 0
            for user_id, room_id in rooms.items():
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO dm_rooms (user_id, room_id) VALUES (?, ?)",
                    (user_id, room_id),
                )
                added += cursor.rowcount
            return added

    async def user_for(self, room_id: str) -> str | None:
        """The one member this room was opened as a DM with (None: not a DM, or ambiguous):
        their DM now, or one kept when another took its place (``remember``)."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM dm_rooms WHERE room_id = ? UNION ALL "
            "SELECT user_id FROM dm_former_rooms WHERE room_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM dm_rooms WHERE room_id = ?)",
            (room_id, room_id, room_id),
        )
        return rows[0]["user_id"] if len(rows) == 1 else None

    async def forget_former_rooms(self, user_id: str) -> int:
        """On erasure: the rooms kept as the member's are forgotten; returns how many."""
        written = await self.db.write("DELETE FROM dm_former_rooms WHERE user_id = ?", (user_id,))
        return written.rowcount

    async def former_rooms(self, user_id: str) -> list[str]:
        """The rooms kept as the member's when another became their DM (for !meine-daten)."""
        rows = await self.db.fetchall(
            "SELECT room_id FROM dm_former_rooms WHERE user_id = ? ORDER BY room_id", (user_id,)
        )
        return [r["room_id"] for r in rows]

    async def setup_pending(self, room_id: str, user_id: str) -> None:
        """A member-opened DM the bot is joining: its setup is finished or given up later."""
        await self.db.execute(
            "INSERT OR REPLACE INTO dm_setup (room_id, user_id) VALUES (?, ?)", (room_id, user_id)
        )

    async def setup_done(self, room_id: str) -> None:
        await self.db.execute("DELETE FROM dm_setup WHERE room_id = ?", (room_id,))

    async def pending_setups(self) -> list[tuple[str, str]]:
        rows = await self.db.fetchall("SELECT room_id, user_id FROM dm_setup ORDER BY room_id")
        return [(r["room_id"], r["user_id"]) for r in rows]

    async def setups_of(self, user_id: str) -> list[str]:
        """The DMs ``user_id`` opened whose setup is not finished (for !meine-daten)."""
        rows = await self.db.fetchall(
            "SELECT room_id FROM dm_setup WHERE user_id = ? ORDER BY room_id", (user_id,)
        )
        return [r["room_id"] for r in rows]
