"""Plenum registration: events, workshops, registrations, profiles, audit log (all SQL here).

Times are stored as UTC epoch seconds and returned as aware UTC datetimes. Capacity decisions
are made by the caller (commands/plenum.py) inside one write transaction; these methods are the
reads and writes it combines, and UNIQUE (event_id, user_id) backs it up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from storage.database import Database

OPEN, CLOSED, CANCELLED = "open", "closed", "cancelled"
REGISTERED, WAITLIST = "registered", "waitlist"
DELETED_USER = "(gelöscht)"


def _ts(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


@dataclass(frozen=True)
class WorkshopInfo:
    key: str
    title: str
    capacity: int  # 0 = no limit


@dataclass(frozen=True)
class EventInfo:
    key: str
    title: str
    starts: datetime
    ends: datetime
    location: str
    status: str  # 'open' | 'closed' | 'cancelled'
    announce_room: str | None
    reminder_offsets: tuple[str, ...] | None
    workshops: tuple[WorkshopInfo, ...]
    capacity: int = 0  # 0 = no limit
    registration_closes: datetime | None = None
    max_per_organisation: int = 0
    source: str = "chat"  # 'config' events are read-only in chat
    sequence: int = 0  # iCalendar SEQUENCE: raised by every change attendees must see
    id: int = 0
    purged: bool = False

    def workshop(self, key: str) -> WorkshopInfo | None:
        folded = key.casefold()
        return next((w for w in self.workshops if w.key == folded), None)


@dataclass(frozen=True)
class Recipient:
    user_id: str
    workshop_title: str | None


@dataclass(frozen=True)
class Registration:
    id: int
    event_id: int
    user_id: str
    organisation: str | None
    status: str  # 'registered' | 'waitlist' (the event seat)
    workshop: str | None
    workshop_status: str | None  # 'registered' | 'waitlist' | None (no workshop)
    workshop_ts: int | None  # orders the workshop's waiting list
    requested_ts: int
    registered_at: datetime
    seated_at: datetime | None
    via: str
    reaction_event_id: str | None
    registered_by: str | None
    display_name: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str | None
    detail: str


@dataclass(frozen=True)
class Profile:
    user_id: str
    organisation: str | None
    privacy_shown: bool


@dataclass(frozen=True)
class EventFields:
    """What defines an event (from the config, or typed by a coordinator)."""

    key: str
    title: str
    starts: datetime
    ends: datetime
    location: str = ""
    capacity: int = 0
    registration_closes: datetime | None = None
    max_per_organisation: int = 0
    announce_room: str | None = None
    reminder_offsets: tuple[str, ...] | None = None
    workshops: tuple[WorkshopInfo, ...] = ()


def _registration(row: aiosqlite.Row) -> Registration:
    return Registration(
        id=row["id"],
        event_id=row["event_id"],
        user_id=row["user_id"],
        organisation=row["organisation"],
        status=row["status"],
        workshop=row["workshop"],
        workshop_status=row["workshop_status"],
        workshop_ts=row["workshop_ts"],
        requested_ts=row["requested_ts"],
        registered_at=datetime.fromtimestamp(row["registered_at"], UTC),
        seated_at=_dt(row["seated_at"]),
        via=row["via"],
        reaction_event_id=row["reaction_event_id"],
        registered_by=row["registered_by"],
        display_name=row["display_name"],
    )


def org_key(organisation: str | None) -> str:
    """Organisations compare without case and surrounding blanks."""
    return " ".join((organisation or "").casefold().split())


class PlenumRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- events -------------------------------------------------------------------------

    async def _event(self, row: aiosqlite.Row) -> EventInfo:
        workshops = await self.db.fetchall(
            "SELECT key, title, capacity FROM plenum_workshops WHERE event_id = ? ORDER BY rowid",
            (row["id"],),
        )
        offsets = row["reminder_offsets"]
        return EventInfo(
            key=row["key"],
            title=row["title"],
            starts=datetime.fromtimestamp(row["starts"], UTC),
            ends=datetime.fromtimestamp(row["ends"], UTC),
            location=row["location"],
            status=row["status"],
            announce_room=row["announce_room"],
            reminder_offsets=None if offsets is None else tuple(json.loads(offsets)),
            workshops=tuple(WorkshopInfo(w["key"], w["title"], w["capacity"]) for w in workshops),
            capacity=row["capacity"],
            registration_closes=_dt(row["registration_closes"]),
            max_per_organisation=row["max_per_organisation"],
            source=row["source"],
            sequence=row["sequence"],
            id=row["id"],
            purged=row["purged_at"] is not None,
        )

    async def event(self, key: str) -> EventInfo | None:
        row = await self.db.fetchone("SELECT * FROM plenum_events WHERE key = ?", (key.casefold(),))
        return None if row is None else await self._event(row)

    async def event_by_id(self, event_id: int) -> EventInfo | None:
        row = await self.db.fetchone("SELECT * FROM plenum_events WHERE id = ?", (event_id,))
        return None if row is None else await self._event(row)

    async def events(self, include_closed: bool = False) -> list[EventInfo]:
        where = "" if include_closed else "WHERE status = 'open'"
        rows = await self.db.fetchall(f"SELECT * FROM plenum_events {where} ORDER BY starts, key")
        return [await self._event(r) for r in rows]

    async def create_event(
        self, fields: EventFields, source: str, created_by: str | None, now: float
    ) -> EventInfo:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO plenum_events (key, title, starts, ends, location, capacity, "
                "registration_closes, max_per_organisation, source, announce_room, "
                "reminder_offsets, created_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fields.key,
                    fields.title,
                    _ts(fields.starts),
                    _ts(fields.ends),
                    fields.location,
                    fields.capacity,
                    _ts(fields.registration_closes),
                    fields.max_per_organisation,
                    source,
                    fields.announce_room,
                    _offsets(fields.reminder_offsets),
                    created_by,
                    now,
                    now,
                ),
            )
            event_id = cursor.lastrowid
            for workshop in fields.workshops:
                await conn.execute(
                    "INSERT INTO plenum_workshops (event_id, key, title, capacity) "
                    "VALUES (?, ?, ?, ?)",
                    (event_id, workshop.key, workshop.title, workshop.capacity),
                )
        created = await self.event(fields.key)
        assert created is not None
        return created

    async def update_event(self, key: str, now: float, bump_sequence: bool, **values: Any) -> None:
        """Set columns of an event (datetimes and offsets converted); SEQUENCE+1 if asked."""
        columns: dict[str, Any] = {}
        for name, value in values.items():
            if isinstance(value, datetime):
                value = _ts(value)
            elif name == "reminder_offsets":
                value = _offsets(value)
            columns[name] = value
        sets = ", ".join(f"{name} = :{name}" for name in columns)
        bump = ", sequence = sequence + 1" if bump_sequence else ""
        await self.db.execute(
            f"UPDATE plenum_events SET {sets}{', ' if sets else ''}updated_at = :now{bump} "
            "WHERE key = :key",
            {**columns, "now": now, "key": key},
        )

    async def update_fields(
        self, fields: EventFields, now: float, bump_sequence: bool, **extra: Any
    ) -> None:
        """Every column of ``fields`` (not the workshops), plus ``extra`` columns."""
        values = {
            f.name: getattr(fields, f.name)
            for f in dataclass_fields(fields)
            if f.name not in ("key", "workshops")
        }
        await self.update_event(fields.key, now, bump_sequence, **values, **extra)

    async def set_workshops(self, event_id: int, workshops: tuple[WorkshopInfo, ...]) -> None:
        """Make the event's workshops these (config sync): add, update, remove unused ones."""
        async with self.db.transaction() as conn:
            keep = [w.key for w in workshops]
            for workshop in workshops:
                await conn.execute(
                    "INSERT INTO plenum_workshops (event_id, key, title, capacity) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (event_id, key) DO UPDATE SET "
                    "title = excluded.title, capacity = excluded.capacity",
                    (event_id, workshop.key, workshop.title, workshop.capacity),
                )
            marks = ", ".join("?" for _ in keep) or "''"
            await conn.execute(
                f"DELETE FROM plenum_workshops WHERE event_id = ? AND key NOT IN ({marks})",
                (event_id, *keep),
            )

    async def upsert_workshop(self, event_id: int, workshop: WorkshopInfo) -> None:
        await self.db.execute(
            "INSERT INTO plenum_workshops (event_id, key, title, capacity) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (event_id, key) DO UPDATE SET title = excluded.title, "
            "capacity = excluded.capacity",
            (event_id, workshop.key, workshop.title, workshop.capacity),
        )

    async def config_event_keys(self) -> list[str]:
        rows = await self.db.fetchall("SELECT key FROM plenum_events WHERE source = 'config'")
        return [r["key"] for r in rows]

    async def ended_unpurged(self, before: float) -> list[EventInfo]:
        rows = await self.db.fetchall(
            "SELECT * FROM plenum_events WHERE ends <= ? AND purged_at IS NULL", (before,)
        )
        return [await self._event(r) for r in rows]

    async def next_unpurged_end(self) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT min(ends) AS t FROM plenum_events WHERE purged_at IS NULL"
        )
        return None if row is None or row["t"] is None else _dt(row["t"])

    # --- registrations ---------------------------------------------------------------------

    async def registration(self, event_id: int, user_id: str) -> Registration | None:
        row = await self.db.fetchone(
            "SELECT * FROM plenum_registrations WHERE event_id = ? AND user_id = ?",
            (event_id, user_id),
        )
        return None if row is None else _registration(row)

    async def registration_by_id(self, registration_id: int) -> Registration | None:
        row = await self.db.fetchone(
            "SELECT * FROM plenum_registrations WHERE id = ?", (registration_id,)
        )
        return None if row is None else _registration(row)

    async def registration_by_reaction(self, reaction_event_id: str) -> Registration | None:
        row = await self.db.fetchone(
            "SELECT * FROM plenum_registrations WHERE reaction_event_id = ?", (reaction_event_id,)
        )
        return None if row is None else _registration(row)

    async def registrations(self, event_id: int) -> list[Registration]:
        """Every registration of the event, in registration order (seats first come first)."""
        rows = await self.db.fetchall(
            "SELECT * FROM plenum_registrations WHERE event_id = ? ORDER BY requested_ts, id",
            (event_id,),
        )
        return [_registration(r) for r in rows]

    async def user_registrations(self, user_id: str) -> list[Registration]:
        rows = await self.db.fetchall(
            "SELECT r.* FROM plenum_registrations AS r JOIN plenum_events AS e "
            "ON e.id = r.event_id WHERE r.user_id = ? ORDER BY e.starts, e.key",
            (user_id,),
        )
        return [_registration(r) for r in rows]

    async def queue_key(
        self, event_id: int, room_id: str | None, server_ts: int, workshop: bool = False
    ) -> int:
        """The waiting-list order key of a request: its origin_server_ts, but never below an
        earlier request from the same room (handled before it, so earlier in the timeline)."""
        column, room_column = (
            ("workshop_ts", "workshop_room_id") if workshop else ("requested_ts", "room_id")
        )
        row = await self.db.fetchone(
            f"SELECT max({column}) AS k FROM plenum_registrations "
            f"WHERE event_id = ? AND {room_column} = ?",
            (event_id, room_id),
        )
        latest = row["k"] if row is not None and row["k"] is not None else 0
        return max(server_ts, int(latest))

    async def insert_registration(
        self,
        event_id: int,
        user_id: str,
        *,
        room_id: str | None = None,
        display_name: str | None = None,
        organisation: str | None,
        status: str,
        workshop: str | None,
        workshop_status: str | None,
        requested_ts: int,
        now: float,
        via: str = "command",
        reaction_event_id: str | None = None,
        registered_by: str | None = None,
    ) -> Registration:
        """Raises sqlite3.IntegrityError if the member is registered already (UNIQUE)."""
        row_id = await self.db.execute(
            "INSERT INTO plenum_registrations (event_id, user_id, organisation, status, "
            "workshop, workshop_status, workshop_ts, requested_ts, registered_at, seated_at, "
            "via, reaction_event_id, registered_by, room_id, workshop_room_id, display_name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                user_id,
                organisation,
                status,
                workshop,
                workshop_status,
                requested_ts if workshop else None,
                requested_ts,
                now,
                now if status == REGISTERED else None,
                via,
                reaction_event_id,
                registered_by,
                room_id,
                room_id if workshop else None,
                display_name,
            ),
        )
        row = await self.db.fetchone("SELECT * FROM plenum_registrations WHERE id = ?", (row_id,))
        assert row is not None
        return _registration(row)

    async def delete_registration(self, registration_id: int) -> None:
        await self.db.execute("DELETE FROM plenum_registrations WHERE id = ?", (registration_id,))

    async def seat(self, registration_id: int, now: float) -> None:
        await self.db.execute(
            "UPDATE plenum_registrations SET status = 'registered', seated_at = ? WHERE id = ?",
            (now, registration_id),
        )

    async def set_workshop(
        self,
        registration_id: int,
        workshop: str | None,
        status: str | None,
        order_ts: int | None,
        room_id: str | None = None,
    ) -> None:
        await self.db.execute(
            "UPDATE plenum_registrations SET workshop = ?, workshop_status = ?, workshop_ts = ?, "
            "workshop_room_id = ? WHERE id = ?",
            (workshop, status, order_ts, room_id, registration_id),
        )

    async def set_workshop_status(self, registration_id: int, status: str) -> None:
        await self.db.execute(
            "UPDATE plenum_registrations SET workshop_status = ? WHERE id = ?",
            (status, registration_id),
        )

    async def seats_taken(self, event_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) AS n FROM plenum_registrations "
            "WHERE event_id = ? AND status = 'registered'",
            (event_id,),
        )
        return int(row["n"]) if row else 0

    async def waitlist_count(self, event_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) AS n FROM plenum_registrations "
            "WHERE event_id = ? AND status = 'waitlist'",
            (event_id,),
        )
        return int(row["n"]) if row else 0

    async def workshop_taken(self, event_id: int, workshop: str) -> int:
        """Places taken in a workshop: members with an event seat and a workshop place."""
        row = await self.db.fetchone(
            "SELECT count(*) AS n FROM plenum_registrations WHERE event_id = ? AND workshop = ? "
            "AND status = 'registered' AND workshop_status = 'registered'",
            (event_id, workshop),
        )
        return int(row["n"]) if row else 0

    async def organisation_count(self, event_id: int, organisation: str) -> int:
        """Registrations (seats and waiting list) of one organisation."""
        rows = await self.db.fetchall(
            "SELECT organisation FROM plenum_registrations WHERE event_id = ? "
            "AND organisation IS NOT NULL",
            (event_id,),
        )
        wanted = org_key(organisation)
        return sum(1 for r in rows if org_key(r["organisation"]) == wanted)

    async def first_waiting(self, event_id: int) -> Registration | None:
        row = await self.db.fetchone(
            "SELECT * FROM plenum_registrations WHERE event_id = ? AND status = 'waitlist' "
            "ORDER BY requested_ts, id LIMIT 1",
            (event_id,),
        )
        return None if row is None else _registration(row)

    async def first_waiting_for_workshop(self, event_id: int, workshop: str) -> Registration | None:
        row = await self.db.fetchone(
            "SELECT * FROM plenum_registrations WHERE event_id = ? AND workshop = ? "
            "AND status = 'registered' AND workshop_status = 'waitlist' "
            "ORDER BY workshop_ts, id LIMIT 1",
            (event_id, workshop),
        )
        return None if row is None else _registration(row)

    async def waitlist_position(self, registration: Registration) -> int | None:
        """1-based place on the event's waiting list, None with a seat."""
        if registration.status != WAITLIST:
            return None
        row = await self.db.fetchone(
            "SELECT count(*) AS n FROM plenum_registrations WHERE event_id = ? "
            "AND status = 'waitlist' AND (requested_ts < ? OR (requested_ts = ? AND id < ?))",
            (
                registration.event_id,
                registration.requested_ts,
                registration.requested_ts,
                registration.id,
            ),
        )
        return 1 + (int(row["n"]) if row else 0)

    async def workshop_position(self, registration: Registration) -> int | None:
        """1-based place on the workshop's waiting list (members with an event seat only)."""
        if registration.workshop_status != WAITLIST or registration.status != REGISTERED:
            return None
        order = registration.workshop_ts or 0
        row = await self.db.fetchone(
            "SELECT count(*) AS n FROM plenum_registrations WHERE event_id = ? AND workshop = ? "
            "AND status = 'registered' AND workshop_status = 'waitlist' "
            "AND (workshop_ts < ? OR (workshop_ts = ? AND id < ?))",
            (registration.event_id, registration.workshop, order, order, registration.id),
        )
        return 1 + (int(row["n"]) if row else 0)

    async def recipients(self, event_id: int, due: datetime) -> list[Recipient]:
        rows = await self.db.fetchall(
            "SELECT r.user_id, CASE WHEN r.workshop_status = 'registered' THEN w.title END AS wt "
            "FROM plenum_registrations AS r LEFT JOIN plenum_workshops AS w "
            "ON w.event_id = r.event_id AND w.key = r.workshop "
            "WHERE r.event_id = ? AND r.status = 'registered' AND r.seated_at <= ? "
            "ORDER BY r.requested_ts, r.id",
            (event_id, due.timestamp()),
        )
        return [Recipient(r["user_id"], r["wt"]) for r in rows]

    async def set_organisation_for_upcoming(
        self, user_id: str, organisation: str, now: float
    ) -> None:
        """A new organisation applies to the member's registrations for events not yet over."""
        await self.db.execute(
            "UPDATE plenum_registrations SET organisation = ? WHERE user_id = ? AND event_id IN "
            "(SELECT id FROM plenum_events WHERE ends > ?)",
            (organisation, user_id, now),
        )

    # --- profiles --------------------------------------------------------------------------

    async def profile(self, user_id: str) -> Profile:
        row = await self.db.fetchone("SELECT * FROM plenum_profiles WHERE user_id = ?", (user_id,))
        if row is None:
            return Profile(user_id, None, False)
        return Profile(user_id, row["organisation"], row["privacy_shown_at"] is not None)

    async def set_profile_organisation(self, user_id: str, organisation: str, now: float) -> None:
        await self.db.execute(
            "INSERT INTO plenum_profiles (user_id, organisation, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET organisation = excluded.organisation, "
            "updated_at = excluded.updated_at",
            (user_id, organisation, now),
        )

    async def mark_privacy_shown(self, user_id: str, now: float) -> bool:
        """True the first time (the notice must be shown now). One statement: it joins the
        caller's transaction without a savepoint (two round trips to SQLite's thread less)."""
        written = await self.db.write(
            "INSERT INTO plenum_profiles (user_id, privacy_shown_at, updated_at) "
            "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "privacy_shown_at = coalesce(privacy_shown_at, excluded.privacy_shown_at) "
            "WHERE privacy_shown_at IS NULL",
            (user_id, now, now),
        )
        return written.rowcount == 1

    # --- audit log -------------------------------------------------------------------------

    async def audit(
        self,
        event_id: int | None,
        actor: str,
        action: str,
        now: float,
        subject: str | None = None,
        detail: str = "",
    ) -> None:
        await self.db.execute(
            "INSERT INTO plenum_audit (event_id, at, actor, action, subject, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (event_id, now, actor, action, subject, detail),
        )

    async def audit_entries(self, event_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM (SELECT * FROM plenum_audit WHERE event_id = ? ORDER BY id DESC "
            "LIMIT ?) ORDER BY id",
            (event_id, limit),
        )
        return [
            AuditEntry(
                datetime.fromtimestamp(r["at"], UTC),
                r["actor"],
                r["action"],
                r["subject"],
                r["detail"],
            )
            for r in rows
        ]

    # --- announcements (registration by reaction) ------------------------------------------

    async def add_announcement(self, txn_id: str, event_id: int, room_id: str, now: float) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO plenum_announcements (txn_id, event_id, room_id, created_at) "
            "VALUES (?, ?, ?, ?)",
            (txn_id, event_id, room_id, now),
        )

    async def announcement_event(self, txn_id: str) -> int | None:
        row = await self.db.fetchone(
            "SELECT event_id FROM plenum_announcements WHERE txn_id = ?", (txn_id,)
        )
        return None if row is None else int(row["event_id"])

    # --- personal data ---------------------------------------------------------------------

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        profile = await self.db.fetchone(
            "SELECT organisation, privacy_shown_at FROM plenum_profiles WHERE user_id = ?",
            (user_id,),
        )
        rows = await self.db.fetchall(
            "SELECT e.key, e.title, r.display_name, r.organisation, r.status, r.workshop, "
            "r.workshop_status, "
            "r.registered_at, r.via, r.registered_by FROM plenum_registrations AS r "
            "JOIN plenum_events AS e ON e.id = r.event_id WHERE r.user_id = ? ORDER BY r.id",
            (user_id,),
        )
        audit = await self.db.fetchall(
            "SELECT e.key, a.at, a.actor, a.action, a.subject FROM plenum_audit AS a "
            "LEFT JOIN plenum_events AS e ON e.id = a.event_id "
            "WHERE a.actor = ? OR a.subject = ? ORDER BY a.id",
            (user_id, user_id),
        )
        created = await self.db.fetchall(
            "SELECT key, title, created_at FROM plenum_events WHERE created_by = ? ORDER BY id",
            (user_id,),
        )
        # Whom they registered is the other members' data: only which event and when.
        for_others = await self.db.fetchall(
            "SELECT e.key, r.registered_at FROM plenum_registrations AS r "
            "JOIN plenum_events AS e ON e.id = r.event_id "
            "WHERE r.registered_by = ? AND r.user_id != ? ORDER BY r.id",
            (user_id, user_id),
        )
        iso = _iso
        return {
            "plenum_events_created": [
                {"event": r["key"], "title": r["title"], "created_at": iso(r["created_at"])}
                for r in created
            ],
            "plenum_registrations_made_for_others": [
                {"event": r["key"], "registered_at": iso(r["registered_at"])} for r in for_others
            ],
            "plenum_profile": None
            if profile is None
            else {
                "organisation": profile["organisation"],
                "privacy_notice_shown_at": iso(profile["privacy_shown_at"]),
            },
            "plenum_registrations": [
                {
                    "event": r["key"],
                    "title": r["title"],
                    "display_name": r["display_name"],
                    "organisation": r["organisation"],
                    "status": r["status"],
                    "workshop": r["workshop"],
                    "workshop_status": r["workshop_status"],
                    "registered_at": iso(r["registered_at"]),
                    "via": r["via"],
                    "registered_by": r["registered_by"],
                }
                for r in rows
            ],
            "plenum_audit_log": [
                {
                    "event": r["key"],
                    "at": iso(r["at"]),
                    "actor": r["actor"],
                    "action": r["action"],
                    "subject": r["subject"],
                }
                for r in audit
            ],
        }

    async def delete_profile_and_audit(self, user_id: str) -> int:
        """The member's profile goes; audit entries keep the action, not the name."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM plenum_profiles WHERE user_id = ?", (user_id,))
            count = cursor.rowcount
            cursor = await conn.execute(
                "UPDATE plenum_audit SET actor = ? WHERE actor = ?", (DELETED_USER, user_id)
            )
            count += cursor.rowcount
            cursor = await conn.execute(
                "UPDATE plenum_audit SET subject = ? WHERE subject = ?", (DELETED_USER, user_id)
            )
            count += cursor.rowcount
            cursor = await conn.execute(
                "UPDATE plenum_registrations SET registered_by = NULL WHERE registered_by = ?",
                (user_id,),
            )
            count += cursor.rowcount
            await conn.execute(
                "UPDATE plenum_events SET created_by = NULL WHERE created_by = ?", (user_id,)
            )
            return count

    async def purge_event(self, event_id: int, aggregate: dict[str, Any], now: float) -> int:
        """Retention: delete the event's registrations and names in its audit log, keep the
        counts in ``aggregate``. Returns the number of registrations deleted."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM plenum_registrations WHERE event_id = ?", (event_id,)
            )
            deleted = cursor.rowcount
            await conn.execute(
                "UPDATE plenum_audit SET subject = NULL, detail = '' WHERE event_id = ?",
                (event_id,),
            )
            await conn.execute(
                "UPDATE plenum_events SET purged_at = ?, aggregate = ? WHERE id = ?",
                (now, json.dumps(aggregate, ensure_ascii=False), event_id),
            )
            return deleted

    async def aggregate(self, event_id: int) -> dict[str, Any] | None:
        row = await self.db.fetchone(
            "SELECT aggregate FROM plenum_events WHERE id = ?", (event_id,)
        )
        return None if row is None or row["aggregate"] is None else json.loads(row["aggregate"])


def _offsets(value: tuple[str, ...] | None) -> str | None:
    return None if value is None else json.dumps(list(value))


def _iso(value: float | None) -> str | None:
    return None if value is None else datetime.fromtimestamp(value, UTC).isoformat()
