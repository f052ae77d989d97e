"""Registration for the plenum and other events: seats, workshops, waiting lists, exports.

Members: !veranstaltungen, !anmelden, !abmelden, !organisation, !meine-anmeldungen, !workshop,
and a ✅ reaction on an announcement. Coordinators: events created and edited in chat (events
from the config are read-only here), close/reopen/cancel, remove or promote someone, register
someone else, message all attendees, the attendee list, the CSV export and the audit log.

Every command runs in the router's one transaction (BEGIN IMMEDIATE behind the write lock), so
"is there a seat?" and the insert that takes it cannot interleave with another registration;
UNIQUE (event, user) is the last line. A promotion from the waiting list queues the promoted
member's direct message through post() in the same transaction as the promotion.
"""

from __future__ import annotations

import _strptime  # noqa: F401 (datetime.strptime imports it on first use: not in a transaction)
import csv
import io
import logging
import re
import shlex
import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import ics
from bot.config import EventConfig
from bot.context import CommandContext, DirectMessage
from bot.errors import UsageError, UserError
from bot.events import IncomingReaction, IncomingRedaction
from bot.feature import Capability
from bot.formatting import Message
from bot.i18n import pick
from bot.posting import Target
from bot.registry import Arg, Handler, Permission, Where, command, fold
from bot.replies import txn_id
from bot.router import direct_content
from bot.services import Services
from storage.outbox import Attachment
from storage.plenum import (
    CANCELLED,
    CLOSED,
    OPEN,
    REGISTERED,
    WAITLIST,
    EventFields,
    EventInfo,
    PlenumRepository,
    Recipient,
    Registration,
    WorkshopInfo,
)

log = logging.getLogger(__name__)

EventListener = Callable[[str], Awaitable[None]]
COORDINATION = Where.COORDINATION | Where.DM
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
CHOICE = Arg(
    "auswahl",
    optional=True,
    rest=True,
    usage=(
        "[<veranstaltung>] [<workshop>] [; <organisation>]",
        "[<event>] [<workshop>] [; <organisation>]",
    ),
)
CONFIRM_WORDS = {"bestaetigen", "confirm", "ja", "yes"}
# name=value fields of !veranstaltung-neu / !veranstaltung-aendern -> event columns
EVENT_FIELDS = {
    "titel": "title",
    "title": "title",
    "beginn": "starts",
    "start": "starts",
    "starts": "starts",
    "ende": "ends",
    "end": "ends",
    "ends": "ends",
    "ort": "location",
    "location": "location",
    "plaetze": "capacity",
    "capacity": "capacity",
    "anmeldeschluss": "registration_closes",
    "closes": "registration_closes",
    "pro-organisation": "max_per_organisation",
    "per-organisation": "max_per_organisation",
    "per-organization": "max_per_organisation",
    "raum": "announce_room",
    "room": "announce_room",
}
FIELD_HELP_DE = "titel, beginn, ende, ort, plaetze, anmeldeschluss, pro-organisation, raum"
FIELD_HELP_EN = "title, starts, ends, location, capacity, closes, per-organisation, room"
AUDIT_LABELS = {
    "created": ("angelegt", "created"),
    "updated": ("geändert", "changed"),
    "workshop": ("Workshop angelegt/geändert", "workshop added/changed"),
    "open": ("Anmeldung geöffnet", "registration opened"),
    "closed": ("Anmeldung geschlossen", "registration closed"),
    "cancelled": ("abgesagt", "cancelled"),
    "removed": ("entfernt", "removed"),
    "promoted": ("nachgerückt", "moved up"),
    "workshop-promoted": ("im Workshop nachgerückt", "moved up in the workshop"),
    "registered": ("angemeldet", "registered"),
    "broadcast": ("Rundschreiben", "broadcast"),
    "announced": ("angekündigt", "announced"),
    "purged": ("personenbezogene Daten gelöscht", "personal data deleted"),
}
RETENTION_JOB = "plenum:retention"
MAX_LISTED = 150  # names per list in !teilnehmer (one Matrix event holds about 64 KB)
MAX_BROADCAST = 4000  # characters of a !rundschreiben
REGISTER_REACTIONS = {"✅", "✔️", "✔", "☑️"}
WEEKDAYS = (
    ("Mo", "Mon"),
    ("Di", "Tue"),
    ("Mi", "Wed"),
    ("Do", "Thu"),
    ("Fr", "Fri"),
    ("Sa", "Sat"),
    ("So", "Sun"),
)


# --- typed converters: a command body never sees a bad value --------------------------------


def parse_event_key(raw: str, lang: str) -> str:
    return _parse_key(raw, lang, ("Veranstaltungsschlüssel", "an event key"), "plenum-2027")


def parse_workshop_key(raw: str, lang: str) -> str:
    return _parse_key(raw, lang, ("Workshop-Schlüssel", "a workshop key"), "e-rechnung")


def _parse_key(raw: str, lang: str, kind: tuple[str, str], example: str) -> str:
    key = raw.strip().casefold()
    if not KEY.match(key):
        raise UsageError(
            pick(
                lang,
                f"„{raw}“ ist kein {kind[0]}: erwartet Kleinbuchstaben, Ziffern und "
                f"Bindestriche, z. B. {example}.",
                f'"{raw}" is not {kind[1]}: expected lower-case letters, digits and '
                f"hyphens, e.g. {example}.",
            )
        )
    return key


def parse_user(raw: str, lang: str) -> str:
    user = raw.strip()
    if user.startswith("https://matrix.to/#/"):
        user = user.removeprefix("https://matrix.to/#/")
    if not re.match(r"^@[^:\s]+:[^\s]+$", user):
        raise UsageError(
            pick(
                lang,
                f"„{raw}“ ist keine Matrix-ID: erwartet z. B. @name:example.org.",
                f'"{raw}" is not a Matrix id: expected e.g. @name:example.org.',
            )
        )
    return user


def parse_count(raw: str, lang: str) -> int:
    if not raw.isdigit():
        raise UsageError(
            pick(
                lang,
                f"„{raw}“ ist keine Anzahl: erwartet eine ganze Zahl ≥ 0 (0 = unbegrenzt).",
                f'"{raw}" is not a number: expected a whole number ≥ 0 (0 = unlimited).',
            )
        )
    return int(raw)


def parse_when(raw: str, tz: ZoneInfo, lang: str, base: datetime | None = None) -> datetime:
    """ "28.01.2027 09:30" or "2027-01-28 09:30" (also with T) in the bot's zone; a bare
    "16:00" takes the date of ``base``. Aware UTC."""
    text = raw.strip()
    for fmt in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    match = re.match(r"^(\d{1,2}):(\d{2})$", text)
    if base is not None and match and int(match[1]) < 24 and int(match[2]) < 60:
        day = base.astimezone(tz)
        return day.replace(hour=int(match[1]), minute=int(match[2])).astimezone(UTC)
    raise UsageError(
        pick(
            lang,
            f"„{raw}“ ist kein Zeitpunkt: erwartet z. B. 28.01.2027 09:30 oder 2027-01-28 09:30.",
            f'"{raw}" is not a date and time: expected e.g. 28.01.2027 09:30 or 2027-01-28 09:30.',
        )
    )


EVENT_ARG = Arg("veranstaltung", parse_event_key, name_en="event")
PERSON_ARG = Arg("person", parse_user, name_en="user")


# --- what a registration attempt produced ---------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    created: bool
    position: int | None  # event waiting list
    workshop_position: int | None


def registration_key(reg: Registration) -> str:
    """Names one registration in outbox keys for good: SQLite reuses the rowid of a deleted
    registration, so a later member's promotion must not share the earlier one's key."""
    return f"{reg.event_id}:{reg.user_id}:{reg.requested_ts}:{reg.registered_at.timestamp()!r}"


def coordinator_command(
    name: str, *, aliases: Iterable[str] = (), help: str, help_en: str, args: Iterable[Arg] = ()
) -> Callable[[Handler], Handler]:
    """A plenum coordinator command: coordinators only, in the coordination room or a DM."""
    return command(
        name,
        aliases=aliases,
        help=help,
        help_en=help_en,
        args=args,
        permission=Permission.COORDINATOR,
        where=COORDINATION,
    )


def status_command(
    name: str, alias: str, help: tuple[str, str], status: str, done: tuple[str, str]
) -> Handler:
    """A coordinator command that sets an event's registration status (close, reopen): the
    commands differ only in names, help, the status and the (de, en) confirmation."""

    @coordinator_command(
        name,
        aliases=[alias],
        help=help[0],
        help_en=help[1],
        args=[EVENT_ARG],
    )
    async def set_status(self: Plenum, ctx: CommandContext, veranstaltung: str) -> None:
        await self._set_status(ctx, veranstaltung, status, done)

    return set_status


NO_OPEN_EVENT = (
    "Zurzeit ist keine Veranstaltung zur Anmeldung offen.",
    "No event is open for registration right now.",
)


class Plenum(Capability):
    name = "plenum"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.repo = PlenumRepository(services.db)
        self._listeners: list[EventListener] = []

    # --- the contract for reminders and summaries --------------------------------------------

    async def event_info(self, key: str) -> EventInfo | None:
        return await self.repo.event(key)

    async def events(self, include_closed: bool = False) -> list[EventInfo]:
        """Open events not yet over; with ``include_closed`` every event ever stored."""
        if include_closed:
            return await self.repo.events(include_closed=True)
        return await self._open_events()

    async def _open_events(self) -> list[EventInfo]:
        now = self.services.clock.now()
        return [e for e in await self.repo.events() if e.ends > now]

    async def reminder_recipients(self, key: str, due: datetime) -> list[Recipient]:
        """Members with a seat (not waiting, not unregistered) who had it by ``due``."""
        event = await self.repo.event(key)
        if event is None or event.status == CANCELLED:
            return []
        return await self.repo.recipients(event.id, due)

    async def is_attendee(self, key: str, user_id: str, workshop: str | None = None) -> bool:
        event = await self.repo.event(key)
        if event is None:
            return False
        reg = await self.repo.registration(event.id, user_id)
        if reg is None or reg.status != REGISTERED:
            return False
        if workshop is None:
            return True
        return reg.workshop == workshop.casefold() and reg.workshop_status == REGISTERED

    async def attendee_count(self, key: str, workshop: str | None = None) -> int:
        event = await self.repo.event(key)
        if event is None:
            return 0
        if workshop is None:
            return await self.repo.seats_taken(event.id)
        return await self.repo.workshop_taken(event.id, workshop.casefold())

    def on_event_changed(self, callback: EventListener) -> None:
        """``callback(key)`` is awaited inside the transaction of every change of an event's
        times or status (moved, cancelled, closed, reopened, created from config)."""
        self._listeners.append(callback)

    async def _changed(self, key: str) -> None:
        # A new or moved end changes when personal data is due for deletion; without this an
        # event created in chat is only purged after the next restart.
        self._schedule_retention(await self.repo.next_unpurged_end())
        for listener in self._listeners:
            await listener(key)

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        async with self.services.db.transaction():
            await self.sync_config()
        # Events that ended long enough ago lose their personal data (also after downtime).
        await self.run_retention()

    async def sync_config(self) -> None:
        """Create or update the config's events; one removed from the config is closed."""
        now = self._now()
        declared = {cfg.key for cfg in self.services.config.events}
        for cfg in self.services.config.events:
            await self._apply_config_event(cfg, now)
        for key in await self.repo.config_event_keys():
            event = await self.repo.event(key)
            if key not in declared and event is not None and event.status == OPEN:
                await self.repo.update_event(key, now, False, status=CLOSED)
                await self.repo.audit(event.id, "config", "closed", now, detail="not in config")
                await self._changed(key)

    async def _apply_config_event(self, cfg: EventConfig, now: float) -> None:
        fields = EventFields(
            key=cfg.key,
            title=cfg.title,
            starts=cfg.starts,
            ends=cfg.ends,
            location=cfg.location,
            capacity=cfg.capacity,
            registration_closes=cfg.registration_closes,
            max_per_organisation=cfg.max_per_organisation,
            announce_room=cfg.announce_room,
            reminder_offsets=cfg.reminders,
            workshops=tuple(WorkshopInfo(w.key, w.title, w.capacity) for w in cfg.workshops),
        )
        old = await self.repo.event(cfg.key)
        if old is None:
            created = await self.repo.create_event(fields, "config", None, now)
            await self.repo.audit(created.id, "config", "created", now)
            await self._changed(cfg.key)
            return
        moved = (old.starts, old.ends, old.location) != (cfg.starts, cfg.ends, cfg.location)
        await self.repo.update_fields(fields, now, moved, source="config")
        await self.repo.set_workshops(old.id, fields.workshops)
        new = await self.repo.event(cfg.key)
        assert new is not None
        if new != old:
            await self.repo.audit(old.id, "config", "updated", now)
        if moved:
            await self._notify_moved(new, "config")
        if (old.starts, old.ends) != (new.starts, new.ends):
            await self._changed(cfg.key)
        await self._fill(new, "config")

    # --- helpers -----------------------------------------------------------------------------

    def _now(self) -> float:
        return self.services.clock.timestamp()

    def _t(self, de: str, en: str, **values: Any) -> str:
        """Texts outside a command (promotions, reactions) in the configured language."""
        return pick(self.services.config.bot.language, de, en).format(**values)

    @property
    def _server_name(self) -> str:
        return self.services.own_user_id.split(":", 1)[-1] or "vir-bot"

    def when(self, event: EventInfo, lang: str) -> str:
        tz = self.services.config.bot.tz
        start, end = event.starts.astimezone(tz), event.ends.astimezone(tz)
        day = WEEKDAYS[start.weekday()][1 if lang == "en" else 0]
        text = f"{day}, {start:%d.%m.%Y}, {start:%H:%M}–"
        if end.date() != start.date():
            text += f"{end:%d.%m.%Y}, "
        return text + f"{end:%H:%M}" + ("" if lang == "en" else " Uhr")

    def calendar_file(self, event: EventInfo, reg: Registration | None, lang: str) -> Attachment:
        workshop = event.workshop(reg.workshop) if reg and reg.workshop else None
        title = workshop.title if workshop and reg and reg.workshop_status == REGISTERED else None
        data = ics.event_calendar(
            event,
            server_name=self._server_name,
            now=self.services.clock.now(),
            workshop_title=title,
            description=pick(lang, "Angemeldet über den ViR-Bot.", "Registered via ViR-Bot."),
        )
        return Attachment(ics.filename(event), ics.MIMETYPE, data)

    async def _post_file(self, user_id: str, file: Attachment, key: str) -> None:
        direct = DirectMessage(user_id, Message.text(file.filename), "m.file", file)
        await self.services.poster.post_content(
            Target.direct(user_id), direct_content(direct), key=key, attachment=file
        )

    async def _event_for(self, key: str | None, lang: str, command: str = "anmelden") -> EventInfo:
        """The named event, or the one open event when none is named."""
        if key is not None:
            event = await self.repo.event(key)
            if event is None:
                raise UserError(await self._unknown_event(key, lang))
            return event
        open_events = await self._open_events()
        if len(open_events) == 1:
            return open_events[0]
        if not open_events:
            raise UserError(
                pick(
                    lang,
                    "Zurzeit ist keine Veranstaltung zur Anmeldung offen.",
                    "No event is open for registration right now.",
                )
            )
        keys = ", ".join(e.key for e in open_events)
        raise UsageError(
            pick(
                lang,
                "Bitte die Veranstaltung angeben, offen sind: {keys}. Zum Beispiel: {p}{cmd} {k}",
                "Please name the event; open are: {keys}. For example: {p}{cmd} {k}",
            ).format(
                keys=keys, p=self.services.config.bot.prefix, cmd=command, k=open_events[0].key
            )
        )

    async def _unknown_event(self, key: str, lang: str) -> str:
        keys = ", ".join(e.key for e in await self._open_events()) or "–"
        prefix = self.services.config.bot.prefix
        return pick(
            lang,
            "Die Veranstaltung „{key}“ gibt es nicht. Offen sind: {keys} ({p}veranstaltungen).",
            'There is no event "{key}". Open are: {keys} ({p}events).',
        ).format(key=key, keys=keys, p=prefix)

    @staticmethod
    def _refuse_cancelled(event: EventInfo, lang: str) -> None:
        if event.status == CANCELLED:
            raise UserError(
                pick(lang, "„{t}“ ist abgesagt.", '"{t}" is cancelled.').format(t=event.title)
            )

    def _check_open(self, event: EventInfo, at: datetime, lang: str) -> None:
        self._refuse_cancelled(event, lang)
        closes = event.registration_closes or event.ends
        if event.status == CLOSED or at > closes:
            raise UserError(
                pick(
                    lang,
                    "Die Anmeldung für „{t}“ ist geschlossen.",
                    'Registration for "{t}" is closed.',
                ).format(t=event.title)
            )

    def _workshop(self, event: EventInfo, key: str, lang: str) -> WorkshopInfo:
        workshop = event.workshop(key)
        if workshop is None:
            keys = ", ".join(w.key for w in event.workshops) or "–"
            raise UserError(
                pick(
                    lang,
                    "„{t}“ hat keinen Workshop „{w}“. Workshops: {keys}.",
                    '"{t}" has no workshop "{w}". Workshops: {keys}.',
                ).format(t=event.title, w=key, keys=keys)
            )
        return workshop

    async def _has_room(self, event: EventInfo) -> bool:
        if await self.repo.waitlist_count(event.id):
            return False  # first come first served: nobody overtakes the waiting list
        return event.capacity == 0 or await self.repo.seats_taken(event.id) < event.capacity

    async def _workshop_has_room(self, event: EventInfo, workshop: WorkshopInfo) -> bool:
        if await self.repo.first_waiting_for_workshop(event.id, workshop.key) is not None:
            return False
        if workshop.capacity == 0:
            return True
        return await self.repo.workshop_taken(event.id, workshop.key) < workshop.capacity

    # --- registering and promoting -----------------------------------------------------------

    async def register(
        self,
        event: EventInfo,
        user_id: str,
        *,
        workshop: WorkshopInfo | None,
        organisation: str | None,
        requested_ts: int,
        room_id: str | None,
        lang: str,
        via: str = "command",
        reaction_event_id: str | None = None,
        registered_by: str | None = None,
        display_name: str | None = None,
    ) -> Outcome:
        """Take a seat or a place on the waiting list; atomic within the caller's transaction.

        ``requested_ts`` is the request's origin_server_ts; the waiting list follows it across
        rooms and the timeline within ``room_id``."""
        async with self.services.db.transaction():
            existing = await self.repo.registration(event.id, user_id)
            if existing is not None:
                return await self._outcome(existing, created=False)
            requested_ts = await self.repo.queue_key(event.id, room_id, requested_ts)
            if event.max_per_organisation:
                await self._check_organisation_limit(event, organisation, lang)
            status = REGISTERED if await self._has_room(event) else WAITLIST
            workshop_status = None
            if workshop is not None:
                room = status == REGISTERED and await self._workshop_has_room(event, workshop)
                workshop_status = REGISTERED if room else WAITLIST
            try:
                reg = await self.repo.insert_registration(
                    event.id,
                    user_id,
                    organisation=organisation,
                    status=status,
                    workshop=workshop.key if workshop else None,
                    workshop_status=workshop_status,
                    requested_ts=requested_ts,
                    room_id=room_id,
                    display_name=display_name,
                    now=self._now(),
                    via=via,
                    reaction_event_id=reaction_event_id,
                    registered_by=registered_by,
                )
            except sqlite3.IntegrityError:
                # Only reachable if two writers share the row despite the lock: say so plainly.
                existing = await self.repo.registration(event.id, user_id)
                assert existing is not None
                return await self._outcome(existing, created=False)
            return await self._outcome(reg, created=True)

    async def _outcome(self, reg: Registration, created: bool) -> Outcome:
        return Outcome(
            reg,
            created,
            await self.repo.waitlist_position(reg),
            await self.repo.workshop_position(reg),
        )

    async def _check_organisation_limit(
        self, event: EventInfo, organisation: str | None, lang: str
    ) -> None:
        prefix = self.services.config.bot.prefix
        if not organisation:
            raise UserError(
                pick(
                    lang,
                    "Für „{t}“ ist die Angabe Ihrer Organisation nötig: {p}anmelden {k} ; "
                    "<Organisation> – oder einmalig {p}organisation <Name>.",
                    'For "{t}" your organisation is required: {p}register {k} ; <organisation> '
                    "– or once {p}organization <name>.",
                ).format(t=event.title, p=prefix, k=event.key)
            )
        taken = await self.repo.organisation_count(event.id, organisation)
        if taken >= event.max_per_organisation:
            raise UserError(
                pick(
                    lang,
                    "Für „{o}“ sind bei „{t}“ schon {n} Plätze vergeben (höchstens {n} je "
                    "Organisation).",
                    'For "{o}", "{t}" already has {n} registrations (at most {n} per '
                    "organisation).",
                ).format(o=organisation, t=event.title, n=event.max_per_organisation)
            )

    async def _fill(self, event: EventInfo, actor: str) -> list[Registration]:
        """Promote from the waiting lists while seats and workshop places are free; each
        promoted member gets a direct message queued in this same transaction."""
        if event.status == CANCELLED or event.purged:
            return []
        now = self._now()
        promoted: dict[int, str] = {}  # registration id -> business key of its message
        while event.capacity == 0 or await self.repo.seats_taken(event.id) < event.capacity:
            waiting = await self.repo.first_waiting(event.id)
            if waiting is None:
                break
            await self.repo.seat(waiting.id, now)
            promoted[waiting.id] = f"plenum:promoted:{registration_key(waiting)}"
            await self.repo.audit(event.id, actor, "promoted", now, subject=waiting.user_id)
        for workshop in event.workshops:
            while workshop.capacity == 0 or (
                await self.repo.workshop_taken(event.id, workshop.key) < workshop.capacity
            ):
                waiting = await self.repo.first_waiting_for_workshop(event.id, workshop.key)
                if waiting is None:
                    break
                await self.repo.set_workshop_status(waiting.id, REGISTERED)
                promoted.setdefault(
                    waiting.id,
                    f"plenum:workshop-promoted:{registration_key(waiting)}:{workshop.key}:"
                    f"{waiting.workshop_ts}",
                )
                await self.repo.audit(
                    event.id,
                    actor,
                    "workshop-promoted",
                    now,
                    subject=waiting.user_id,
                    detail=workshop.key,
                )
        done: list[Registration] = []
        for reg_id, key in promoted.items():
            reg = await self.repo.registration_by_id(reg_id)
            if reg is None:
                continue
            await self._tell_promoted(event, reg, key)
            done.append(reg)
        return done

    async def _tell_promoted(self, event: EventInfo, reg: Registration, key: str) -> None:
        lang = self.services.config.bot.language
        lines = [
            Message.bold(
                self._t(
                    "Sie sind nachgerückt: Sie haben jetzt einen Platz für „{t}“.",
                    'You moved up: you now have a seat for "{t}".',
                    t=event.title,
                )
                if key.startswith("plenum:promoted:")
                else self._t("Sie sind im Workshop nachgerückt.", "You moved up in the workshop.")
            ),
            *self._status_lines(event, reg, None, lang),
        ]
        await self.services.poster.post(Target.direct(reg.user_id), Message.join(lines), key=key)
        await self._post_file(reg.user_id, self.calendar_file(event, reg, lang), f"{key}:ics")

    def _status_lines(
        self, event: EventInfo, reg: Registration, workshop_position: int | None, lang: str
    ) -> list[Message]:
        lines = [
            Message.text(
                f"{event.title} – {self.when(event, lang)}"
                + (f", {event.location}" if event.location else "")
            )
        ]
        workshop = event.workshop(reg.workshop) if reg.workshop else None
        if workshop is not None:
            if reg.status == REGISTERED and reg.workshop_status == REGISTERED:
                text = pick(lang, "Workshop: {w}", "Workshop: {w}")
            elif reg.status == REGISTERED:
                text = pick(
                    lang,
                    "Workshop: {w} – ausgebucht, Sie stehen auf der Warteliste{pos}.",
                    "Workshop: {w} – full, you are on the waiting list{pos}.",
                )
            else:
                text = pick(lang, "Gewünschter Workshop: {w}", "Workshop wanted: {w}")
            pos = pick(lang, " (Platz {n})", " (position {n})").format(n=workshop_position)
            lines.append(
                Message.text(text.format(w=workshop.title, pos=pos if workshop_position else ""))
            )
        if reg.organisation:
            lines.append(
                Message.text(
                    pick(lang, "Organisation: {o}", "Organisation: {o}").format(o=reg.organisation)
                )
            )
        return lines

    async def unregister(self, event: EventInfo, reg: Registration, actor: str) -> None:
        await self.repo.delete_registration(reg.id)
        fresh = await self.repo.event(event.key)
        if fresh is not None:
            await self._fill(fresh, actor)

    async def _notify_moved(self, event: EventInfo, actor: str) -> None:
        """Attendees get the new time and an updated calendar entry (same UID, new SEQUENCE)."""
        lang = self.services.config.bot.language
        for reg in await self.repo.registrations(event.id):
            key = f"plenum:moved:{event.id}:{event.sequence}:{reg.user_id}"
            text = Message.join(
                [
                    Message.bold(self._t("Geändert: „{t}“", 'Changed: "{t}"', t=event.title)),
                    *self._status_lines(event, reg, None, lang),
                ]
            )
            await self.services.poster.post(Target.direct(reg.user_id), text, key=key)
            if reg.status == REGISTERED:
                await self._post_file(
                    reg.user_id, self.calendar_file(event, reg, lang), f"{key}:ics"
                )

    # --- member commands ---------------------------------------------------------------------

    @command(
        "veranstaltungen",
        aliases=["events"],
        help="Zeigt die offenen Veranstaltungen mit freien Plätzen und Workshops.",
        help_en="Shows the open events with seats and workshop places left.",
        durable=False,
    )
    async def veranstaltungen(self, ctx: CommandContext) -> None:
        overview = await self.events_overview(ctx.lang, ctx.prefix)
        ctx.reply(overview or ctx.t(*NO_OPEN_EVENT))

    async def events_overview(self, lang: str, prefix: str) -> Message | None:
        """The open events with date, place, seats and workshop places left, and how to
        register; None when none is open. For !veranstaltungen and for answers on the next
        plenum (commands/topics.py: an entry with ``live = "events"``)."""
        events = await self._open_events()
        if not events:
            return None
        items: list[Message] = []
        for event in events:
            seats = await self._seats_text(lang, event)
            line = Message.bold(event.title) + Message.text(
                f" ({event.key}) – {self.when(event, lang)}"
                + (f", {event.location}" if event.location else "")
                + f" – {seats}"
            )
            workshops = []
            for w in event.workshops:
                workshops.append(
                    Message.text(f"{w.title} ({w.key}): ")
                    + Message.text(await self._workshop_seats_text(lang, event, w))
                )
            if workshops:
                line = line + Message.bullet_list(workshops)
            items.append(line)
        hint = Message.text(
            pick(
                lang,
                "Anmelden: {p}anmelden <veranstaltung> [workshop]",
                "Register: {p}register <event> [workshop]",
            ).format(p=prefix)
        )
        return Message.join([Message.bullet_list(items), hint])

    async def _seats_text(self, lang: str, event: EventInfo) -> str:
        taken = await self.repo.seats_taken(event.id)
        waiting = await self.repo.waitlist_count(event.id)
        if event.capacity == 0:
            return pick(lang, "{n} angemeldet", "{n} registered").format(n=taken)
        left = max(event.capacity - taken, 0)
        if left == 0:
            return pick(
                lang, "ausgebucht, {w} auf der Warteliste", "full, {w} on the waiting list"
            ).format(w=waiting)
        return pick(lang, "{left} von {cap} Plätzen frei", "{left} of {cap} seats left").format(
            left=left, cap=event.capacity
        )

    async def _workshop_seats_text(
        self, lang: str, event: EventInfo, workshop: WorkshopInfo
    ) -> str:
        taken = await self.repo.workshop_taken(event.id, workshop.key)
        if workshop.capacity == 0:
            return pick(lang, "{n} angemeldet", "{n} registered").format(n=taken)
        left = max(workshop.capacity - taken, 0)
        if left == 0:
            return pick(lang, "ausgebucht (Warteliste)", "full (waiting list)")
        return pick(lang, "{left} von {cap} Plätzen frei", "{left} of {cap} places left").format(
            left=left, cap=workshop.capacity
        )

    async def _parse_choice(
        self, ctx: CommandContext, text: str | None
    ) -> tuple[EventInfo, WorkshopInfo | None, str | None]:
        """``[event] [workshop] [; organisation]``: the event may be left out when one is open,
        and a single word that is no event is taken as a workshop of that event."""
        left, _, org = (text or "").partition(";")
        organisation = " ".join(org.split()) or None
        if organisation and len(organisation) > 200:
            raise UsageError(
                ctx.t(
                    "Der Name der Organisation ist zu lang (höchstens 200 Zeichen).",
                    "The organisation's name is too long (200 characters at most).",
                )
            )
        words = left.split()
        if len(words) > 2:
            raise UsageError(
                ctx.t(
                    "Zu viele Angaben: {extra}.",
                    "Too many arguments: {extra}.",
                    extra=" ".join(words[2:]),
                )
            )
        event_key = workshop_key = None
        named: EventInfo | None = None  # read once: each read is two round trips to SQLite
        if len(words) == 2:
            event_key, workshop_key = parse_event_key(words[0], ctx.lang), words[1]
        elif len(words) == 1:
            word = parse_event_key(words[0], ctx.lang)
            named = await self.repo.event(word)
            if named is None:
                open_events = await self._open_events()
                if len(open_events) == 1 and open_events[0].workshop(word):
                    named, workshop_key = open_events[0], word  # the event is read already
                else:
                    raise UserError(await self._unknown_event(word, ctx.lang))
        event = named or await self._event_for(event_key, ctx.lang)
        workshop = self._workshop(event, workshop_key, ctx.lang) if workshop_key else None
        return event, workshop, organisation

    @command(
        "anmelden",
        aliases=["register"],
        help="Meldet Sie für eine Veranstaltung an (Veranstaltung weglassbar, wenn nur eine "
        "offen ist), optional mit Workshop und „; Organisation“.",
        help_en="Registers you for an event (the event may be left out when only one is open), "
        'optionally with a workshop and "; organisation".',
        args=[CHOICE],
    )
    async def anmelden(self, ctx: CommandContext, auswahl: str | None) -> None:
        event, workshop, organisation = await self._parse_choice(ctx, auswahl)
        if await self.repo.registration(event.id, ctx.sender) is None:
            self._check_open(event, ctx.sent_at, ctx.lang)  # else: "already registered"
        await self._register_member(
            ctx, event, ctx.sender, workshop, organisation, via="command", registered_by=None
        )

    async def _register_member(
        self,
        ctx: CommandContext,
        event: EventInfo,
        user_id: str,
        workshop: WorkshopInfo | None,
        organisation: str | None,
        via: str,
        registered_by: str | None,
    ) -> Outcome:
        now = self._now()
        if organisation:
            await self.repo.set_profile_organisation(user_id, organisation, now)
        else:
            organisation = (await self.repo.profile(user_id)).organisation
        outcome = await self.register(
            event,
            user_id,
            workshop=workshop,
            organisation=organisation,
            requested_ts=ctx.message.server_ts,
            room_id=ctx.room_id,
            lang=ctx.lang,
            via=via,
            registered_by=registered_by,
            # Only the sender's own name is known (a coordinator registering someone else: none).
            display_name=ctx.message.sender_name if registered_by is None else None,
        )
        reg = outcome.registration
        for_self = registered_by is None
        if not outcome.created:
            text = (
                ctx.t(
                    "Sie sind bereits für „{t}“ angemeldet{where}. Es bleibt alles, wie es ist.",
                    'You are already registered for "{t}"{where}. Nothing changed.',
                    t=event.title,
                    where=self._place_text(ctx.lang, outcome),
                )
                if for_self
                else ctx.t(
                    "{u} ist bereits für „{t}“ angemeldet{where}.",
                    '{u} is already registered for "{t}"{where}.',
                    u=user_id,
                    t=event.title,
                    where=self._place_text(ctx.lang, outcome),
                )
            )
            if for_self and workshop is not None and workshop.key != reg.workshop:
                text += ctx.t(
                    " Workshop wechseln: {p}workshop {w}",
                    " Change the workshop: {p}workshop {w}",
                    p=ctx.prefix,
                    w=workshop.key,
                )
            ctx.reply(text)
            return outcome
        if reg.status == REGISTERED:
            short = (
                ctx.t(
                    "Sie sind für „{t}“ angemeldet.", 'You are registered for "{t}".', t=event.title
                )
                if for_self
                else ctx.t(
                    "{u} ist für „{t}“ angemeldet.",
                    '{u} is registered for "{t}".',
                    u=user_id,
                    t=event.title,
                )
            )
        else:
            short = (
                ctx.t(
                    "„{t}“ ist ausgebucht: Sie stehen auf der Warteliste (Platz {n}).",
                    '"{t}" is full: you are on the waiting list (position {n}).',
                    t=event.title,
                    n=outcome.position,
                )
                if for_self
                else ctx.t(
                    "„{t}“ ist ausgebucht: {u} steht auf der Warteliste (Platz {n}).",
                    '"{t}" is full: {u} is on the waiting list (position {n}).',
                    u=user_id,
                    t=event.title,
                    n=outcome.position,
                )
            )
        details = await self._details(ctx, event, outcome)
        if for_self and ctx.is_dm:
            ctx.reply(Message.join([Message.text(short), details]))
        elif for_self:
            ctx.reply(short + ctx.t(" Details per Direktnachricht.", " Details by direct message."))
            ctx.send_direct(user_id, Message.join([Message.bold(short), details]))
        else:
            await self.repo.audit(
                event.id,
                registered_by,
                "registered",
                now,
                subject=user_id,
                detail=workshop.key if workshop else "",
            )
            ctx.reply(short)
            intro = ctx.t(
                "Die Koordination hat Sie angemeldet.", "The coordinators registered you."
            )
            ctx.send_direct(user_id, Message.join([Message.bold(intro), details]))
        if reg.status == REGISTERED:
            file = self.calendar_file(event, reg, ctx.lang)
            ctx.send_file(user_id, file.filename, file.mimetype, file.data)
        return outcome

    def _place_text(self, lang: str, outcome: Outcome) -> str:
        if outcome.position:
            return pick(lang, " (Warteliste, Platz {n})", " (waiting list, position {n})").format(
                n=outcome.position
            )
        return ""

    async def _details(self, ctx: CommandContext, event: EventInfo, outcome: Outcome) -> Message:
        return Message.join(await self._detail_lines(event, outcome, ctx.lang))

    async def _detail_lines(self, event: EventInfo, outcome: Outcome, lang: str) -> list[Message]:
        """What a member learns by DM on registering: place, workshop, what to do next, and
        the privacy notice the first time."""
        reg = outcome.registration
        prefix = self.services.config.bot.prefix

        def t(de: str, en: str, **values: Any) -> str:
            return pick(lang, de, en).format(**values)

        lines = self._status_lines(event, reg, outcome.workshop_position, lang)
        if reg.status == WAITLIST:
            lines.append(
                Message.text(
                    t(
                        "Sie stehen auf Platz {n} der Warteliste. Wird ein Platz frei, rücken Sie "
                        "automatisch nach und bekommen eine Nachricht.",
                        "You are number {n} on the waiting list. When a seat becomes free you "
                        "move up automatically and get a message.",
                        n=outcome.position,
                    )
                )
            )
        if event.workshops and reg.workshop is None:
            keys = ", ".join(w.key for w in event.workshops)
            lines.append(
                Message.text(
                    t(
                        "Workshop wählen: {p}workshop <workshop> ({keys})",
                        "Choose a workshop: {p}workshop <workshop> ({keys})",
                        p=prefix,
                        keys=keys,
                    )
                )
            )
        if not reg.organisation:
            lines.append(
                Message.text(
                    t(
                        "Für welche Organisation (Kommune, Behörde) nehmen Sie teil? Bitte einmal "
                        "angeben: {p}organisation <Name>",
                        "Which organisation (municipality, authority) do you attend for? Please "
                        "tell me once: {p}organization <name>",
                        p=prefix,
                    )
                )
            )
        lines.append(
            Message.text(
                t(
                    "Abmelden: {p}abmelden {k}",
                    "Unregister: {p}unregister {k}",
                    p=prefix,
                    k=event.key,
                )
            )
        )
        if await self.repo.mark_privacy_shown(reg.user_id, self._now()):
            lines.append(privacy_notice(self.services, lang))
        return lines

    @command(
        "abmelden",
        aliases=["unregister"],
        help="Meldet Sie von einer Veranstaltung ab; der Platz geht an die Warteliste.",
        help_en="Cancels your registration; the seat goes to the waiting list.",
        args=[Arg("veranstaltung", parse_event_key, optional=True, name_en="event")],
    )
    async def abmelden(self, ctx: CommandContext, veranstaltung: str | None) -> None:
        event, reg = await self._own_registration(ctx, veranstaltung)
        await self.unregister(event, reg, "member")
        ctx.reply(
            ctx.t(
                "Sie sind von „{t}“ abgemeldet.", 'You are unregistered from "{t}".', t=event.title
            )
        )

    async def _own_registration(
        self, ctx: CommandContext, key: str | None
    ) -> tuple[EventInfo, Registration]:
        if key is not None:
            event = await self._event_for(key, ctx.lang)
            reg = await self.repo.registration(event.id, ctx.sender)
            if reg is None:
                raise UserError(
                    ctx.t(
                        "Sie sind für „{t}“ nicht angemeldet.",
                        'You are not registered for "{t}".',
                        t=event.title,
                    )
                )
            return event, reg
        now = self.services.clock.now()
        mine = []
        for reg in await self.repo.user_registrations(ctx.sender):
            event = await self.repo.event_by_id(reg.event_id)
            if event is not None and event.ends > now:
                mine.append((event, reg))
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise UserError(
                ctx.t(
                    "Sie sind für keine kommende Veranstaltung angemeldet.",
                    "You are not registered for any upcoming event.",
                )
            )
        keys = ", ".join(e.key for e, _ in mine)
        raise UsageError(
            ctx.t(
                "Bitte die Veranstaltung angeben: {keys}.",
                "Please name the event: {keys}.",
                keys=keys,
            )
        )

    @command(
        "organisation",
        aliases=["organization"],
        help="Speichert Ihre Organisation (Kommune, Behörde) für Ihre Anmeldungen.",
        help_en="Stores your organisation (municipality, authority) for your registrations.",
        args=[Arg("name", rest=True)],
    )
    async def organisation(self, ctx: CommandContext, name: str) -> None:
        organisation = " ".join(name.split())
        if len(organisation) > 200:
            raise UsageError(
                ctx.t(
                    "Der Name ist zu lang (höchstens 200 Zeichen).",
                    "The name is too long (200 characters at most).",
                )
            )
        now = self._now()
        await self.repo.set_profile_organisation(ctx.sender, organisation, now)
        await self.repo.set_organisation_for_upcoming(ctx.sender, organisation, now)
        ctx.reply(
            ctx.t(
                "Gespeichert: Sie nehmen für „{o}“ teil.",
                'Saved: you attend for "{o}".',
                o=organisation,
            )
        )

    @command(
        "meine-anmeldungen",
        aliases=["my-registrations"],
        help="Zeigt Ihre Anmeldungen mit Workshop und Platz auf der Warteliste.",
        help_en="Shows your registrations with workshop and waiting-list position.",
    )
    async def meine_anmeldungen(self, ctx: CommandContext) -> None:
        items = []
        for reg in await self.repo.user_registrations(ctx.sender):
            event = await self.repo.event_by_id(reg.event_id)
            if event is None:
                continue
            outcome = await self._outcome(reg, created=False)
            state = (
                ctx.t("angemeldet", "registered")
                if reg.status == REGISTERED
                else ctx.t(
                    "Warteliste, Platz {n}", "waiting list, position {n}", n=outcome.position
                )
            )
            if event.status == CANCELLED:
                state = ctx.t("abgesagt", "cancelled")
            items.append(
                Message.bold(f"{event.title} ({event.key})")
                + Message.text(f": {state}")
                + Message.join(self._status_lines(event, reg, outcome.workshop_position, ctx.lang))
            )
        if not items:
            ctx.reply(
                ctx.t(
                    "Sie sind für keine Veranstaltung angemeldet.",
                    "You are not registered for any event.",
                )
            )
            return
        ctx.reply(Message.bullet_list(items))

    @command(
        "workshop",
        help="Wählt oder wechselt Ihren Workshop (bei vollem Workshop: Warteliste).",
        help_en="Chooses or changes your workshop (a full workshop: waiting list).",
        args=[
            Arg(
                "auswahl",
                rest=True,
                usage=("[<veranstaltung>] <workshop>", "[<event>] <workshop>"),
            )
        ],
    )
    async def workshop(self, ctx: CommandContext, auswahl: str) -> None:
        words = auswahl.split()
        if len(words) > 2:
            raise UsageError(
                ctx.t(
                    "Zu viele Angaben: {extra}.",
                    "Too many arguments: {extra}.",
                    extra=" ".join(words[2:]),
                )
            )
        event_key = parse_event_key(words[0], ctx.lang) if len(words) == 2 else None
        event, reg = await self._own_registration(ctx, event_key)
        self._check_open(event, ctx.sent_at, ctx.lang)
        workshop = self._workshop(event, words[-1], ctx.lang)
        if reg.workshop == workshop.key:
            ctx.reply(
                ctx.t(
                    "Sie haben „{w}“ schon gewählt.", 'You already chose "{w}".', w=workshop.title
                )
            )
            return
        had_place = reg.workshop if reg.workshop_status == REGISTERED else None
        room = reg.status == REGISTERED and await self._workshop_has_room(event, workshop)
        order = await self.repo.queue_key(
            event.id, ctx.room_id, ctx.message.server_ts, workshop=True
        )
        await self.repo.set_workshop(
            reg.id, workshop.key, REGISTERED if room else WAITLIST, order, ctx.room_id
        )
        if had_place:
            await self._fill(event, "member")  # the old workshop place goes to its waiting list
        fresh = await self.repo.registration_by_id(reg.id)
        assert fresh is not None
        outcome = await self._outcome(fresh, created=False)
        if fresh.status == WAITLIST:
            text = ctx.t(
                "Gewünschter Workshop: „{w}“ (Sie stehen noch auf der Warteliste der "
                "Veranstaltung).",
                'Workshop wanted: "{w}" (you are still on the event\'s waiting list).',
                w=workshop.title,
            )
        elif room:
            text = ctx.t("Ihr Workshop: „{w}“.", 'Your workshop: "{w}".', w=workshop.title)
        else:
            text = ctx.t(
                "„{w}“ ist ausgebucht: Sie stehen auf der Warteliste (Platz {n}).",
                '"{w}" is full: you are on the waiting list (position {n}).',
                w=workshop.title,
                n=outcome.workshop_position,
            )
        ctx.reply(text)
        if room:
            file = self.calendar_file(event, fresh, ctx.lang)
            ctx.send_file(ctx.sender, file.filename, file.mimetype, file.data)

    # --- coordinators: events ----------------------------------------------------------------

    async def _coordinator_event(
        self, ctx: CommandContext, key: str, editable: bool = False
    ) -> EventInfo:
        event = await self.repo.event(key)
        if event is None:
            raise UserError(
                ctx.t(
                    "Die Veranstaltung „{k}“ gibt es nicht. Alle: {p}veranstaltungen",
                    'There is no event "{k}". All: {p}events',
                    k=key,
                    p=ctx.prefix,
                )
            )
        if editable and event.source == "config":
            raise UserError(
                ctx.t(
                    "„{k}“ steht in der Konfigurationsdatei und wird nur dort geändert.",
                    '"{k}" is declared in the configuration file and changed only there.',
                    k=key,
                )
            )
        return event

    def _parse_fields(
        self, ctx: CommandContext, text: str, base: EventInfo | None
    ) -> dict[str, Any]:
        """``name=value`` pairs (values with blanks in quotes) into event columns."""
        try:
            words = shlex.split(text)
        except ValueError:
            raise UsageError(
                ctx.t("Ein Anführungszeichen ist nicht geschlossen.", "A quote is not closed.")
            ) from None
        tz = self.services.config.bot.tz
        values: dict[str, Any] = {}
        for word in words:
            name, sep, raw = word.partition("=")
            column = EVENT_FIELDS.get(fold(name))
            if not sep or column is None:
                raise UsageError(
                    ctx.t(
                        "„{w}“ verstehe ich nicht: erwartet name=wert mit {names}.",
                        '"{w}" not understood: expected name=value with {names}.',
                        w=word,
                        names=FIELD_HELP_DE if ctx.lang != "en" else FIELD_HELP_EN,
                    )
                )
            values[column] = raw
        starts = base.starts if base else None
        parsed: dict[str, Any] = {}
        if "starts" in values:
            starts = parsed["starts"] = parse_when(values["starts"], tz, ctx.lang)
        for column in ("ends", "registration_closes"):
            if column in values:
                parsed[column] = parse_when(values[column], tz, ctx.lang, base=starts)
        for column in ("capacity", "max_per_organisation"):
            if column in values:
                parsed[column] = parse_count(values[column], ctx.lang)
        for column in ("title", "location"):
            if column in values:
                value = " ".join(values[column].split())
                if len(value) > 200 or (column == "title" and not value):
                    raise UsageError(
                        ctx.t(
                            "{c}: erwartet 1 bis 200 Zeichen.",
                            "{c}: expected 1 to 200 characters.",
                            c=column,
                        )
                    )
                parsed[column] = value
        if "announce_room" in values:
            room = values["announce_room"]
            if not re.match(r"^![^\s]+$", room):
                raise UsageError(
                    ctx.t(
                        "raum: erwartet eine Raum-ID wie !abc:example.org.",
                        "room: expected a room id like !abc:example.org.",
                    )
                )
            parsed["announce_room"] = room
        return parsed

    def _check_times(
        self, ctx: CommandContext, starts: datetime, ends: datetime, closes: datetime | None
    ) -> None:
        if ends <= starts:
            raise UsageError(
                ctx.t("Das Ende muss nach dem Beginn liegen.", "The end must be after the start.")
            )
        if closes is not None and closes > ends:
            raise UsageError(
                ctx.t(
                    "Der Anmeldeschluss muss vor dem Ende liegen.",
                    "Registration must close before the end.",
                )
            )

    @coordinator_command(
        "veranstaltung-neu",
        aliases=["new-event"],
        help="Legt eine Veranstaltung an: <schlüssel> titel=… beginn=… ende=… [ort=…] "
        "[plaetze=…] [anmeldeschluss=…] [pro-organisation=…] [raum=…].",
        help_en="Creates an event: <key> title=… starts=… ends=… [location=…] [capacity=…] "
        "[closes=…] [per-organisation=…] [room=…].",
        args=[
            Arg("schlüssel", parse_event_key, name_en="key"),
            Arg("angaben", rest=True, name_en="fields"),
        ],
    )
    async def veranstaltung_neu(self, ctx: CommandContext, schlüssel: str, angaben: str) -> None:
        if await self.repo.event(schlüssel) is not None:
            raise UserError(
                ctx.t(
                    "„{k}“ gibt es schon; ändern: {p}veranstaltung-aendern {k} …",
                    '"{k}" exists already; change it: {p}edit-event {k} …',
                    k=schlüssel,
                    p=ctx.prefix,
                )
            )
        values = self._parse_fields(ctx, angaben, None)
        missing = [n for n in ("title", "starts", "ends") if n not in values]
        if missing:
            names = {"title": "titel", "starts": "beginn", "ends": "ende"}
            raise UsageError(
                ctx.t(
                    'Es fehlt: {m}. Beispiel: {p}veranstaltung-neu {k} titel="Plenum 2028" '
                    'beginn="27.01.2028 09:30" ende=16:00 plaetze=100',
                    'Missing: {m}. Example: {p}new-event {k} title="Plenum 2028" '
                    'starts="27.01.2028 09:30" ends=16:00 capacity=100',
                    m=", ".join(names[n] if ctx.lang != "en" else n for n in missing),
                    p=ctx.prefix,
                    k=schlüssel,
                )
            )
        self._check_times(ctx, values["starts"], values["ends"], values.get("registration_closes"))
        fields = EventFields(key=schlüssel, **values)
        now = self._now()
        event = await self.repo.create_event(fields, "chat", ctx.sender, now)
        await self.repo.audit(event.id, ctx.sender, "created", now, detail=angaben[:300])
        await self._changed(event.key)
        ctx.reply(
            Message.text(
                ctx.t(
                    "Angelegt: „{t}“ ({k}), {w}. Workshops: {p}workshop-anlegen {k} <workshop> "
                    "<plätze> <titel>",
                    'Created: "{t}" ({k}), {w}. Workshops: {p}add-workshop {k} <workshop> '
                    "<capacity> <title>",
                    t=event.title,
                    k=event.key,
                    w=self.when(event, ctx.lang),
                    p=ctx.prefix,
                )
            )
        )

    @coordinator_command(
        "veranstaltung-aendern",
        aliases=["edit-event"],
        help="Ändert eine im Chat angelegte Veranstaltung (Angaben wie bei veranstaltung-neu); "
        "eine neue Zeit geht mit neuer Kalenderdatei an alle Angemeldeten.",
        help_en="Changes an event created in chat (fields as for new-event); a new time goes to "
        "every attendee with an updated calendar file.",
        args=[
            EVENT_ARG,
            Arg("angaben", rest=True, name_en="fields"),
        ],
    )
    async def veranstaltung_aendern(
        self, ctx: CommandContext, veranstaltung: str, angaben: str
    ) -> None:
        event = await self._coordinator_event(ctx, veranstaltung, editable=True)
        values = self._parse_fields(ctx, angaben, event)
        starts = values.get("starts", event.starts)
        ends = values.get("ends", event.ends)
        if "starts" in values and "ends" not in values:
            ends = starts + (event.ends - event.starts)  # a moved event keeps its length
            values["ends"] = ends
        closes = values.get("registration_closes", event.registration_closes)
        self._check_times(ctx, starts, ends, closes)
        moved = (starts, ends, values.get("location", event.location)) != (
            event.starts,
            event.ends,
            event.location,
        )
        now = self._now()
        await self.repo.update_event(event.key, now, moved, **values)
        await self.repo.audit(event.id, ctx.sender, "updated", now, detail=angaben[:300])
        new = await self.repo.event(event.key)
        assert new is not None
        if moved:
            await self._notify_moved(new, ctx.sender)
        if (new.starts, new.ends) != (event.starts, event.ends):
            await self._changed(new.key)
        promoted = await self._fill(new, ctx.sender)
        lines = [
            ctx.t(
                "Geändert: „{t}“, {w}.",
                'Changed: "{t}", {w}.',
                t=new.title,
                w=self.when(new, ctx.lang),
            )
        ]
        if moved:
            lines.append(
                ctx.t(
                    "Alle {n} Angemeldeten bekommen die Änderung per Direktnachricht.",
                    "All {n} registered members get the change by direct message.",
                    n=len(await self.repo.registrations(new.id)),
                )
            )
        if promoted:
            lines.append(ctx.t("Nachgerückt: {n}.", "Moved up: {n}.", n=len(promoted)))
        taken = await self.repo.seats_taken(new.id)
        if new.capacity and taken > new.capacity:
            lines.append(
                ctx.t(
                    "Hinweis: {n} sind angemeldet, mehr als {c} Plätze; abgemeldet wird niemand.",
                    "Note: {n} are registered, more than {c} seats; nobody is unregistered.",
                    n=taken,
                    c=new.capacity,
                )
            )
        ctx.reply(" ".join(lines))

    @coordinator_command(
        "workshop-anlegen",
        aliases=["add-workshop"],
        help="Legt einen Workshop an oder ändert Titel und Plätze (0 = unbegrenzt).",
        help_en="Adds a workshop or changes its title and places (0 = no limit).",
        args=[
            EVENT_ARG,
            Arg("workshop", parse_workshop_key),
            Arg("plätze", parse_count, name_en="places"),
            Arg("titel", rest=True, name_en="title"),
        ],
    )
    async def workshop_anlegen(
        self, ctx: CommandContext, veranstaltung: str, workshop: str, plätze: int, titel: str
    ) -> None:
        event = await self._coordinator_event(ctx, veranstaltung, editable=True)
        title = " ".join(titel.split())[:200]
        existed = event.workshop(workshop) is not None
        await self.repo.upsert_workshop(event.id, WorkshopInfo(workshop, title, plätze))
        now = self._now()
        await self.repo.audit(
            event.id, ctx.sender, "workshop", now, detail=f"{workshop} {plätze} {title}"
        )
        fresh = await self.repo.event(event.key)
        assert fresh is not None
        promoted = await self._fill(fresh, ctx.sender)
        text = (
            ctx.t(
                "Workshop „{t}“ ({w}) geändert: {c} Plätze.",
                'Workshop "{t}" ({w}) changed: {c} places.',
                t=title,
                w=workshop,
                c=plätze,
            )
            if existed
            else ctx.t(
                "Workshop „{t}“ ({w}) angelegt: {c} Plätze.",
                'Workshop "{t}" ({w}) added: {c} places.',
                t=title,
                w=workshop,
                c=plätze,
            )
        )
        if promoted:
            text += ctx.t(" Nachgerückt: {n}.", " Moved up: {n}.", n=len(promoted))
        ctx.reply(text)

    async def _set_status(
        self, ctx: CommandContext, key: str, status: str, done: tuple[str, str]
    ) -> None:
        """Close or reopen registration; ``done`` is the (de, en) confirmation with {t}."""
        event = await self._coordinator_event(ctx, key)
        self._refuse_cancelled(event, ctx.lang)
        now = self._now()
        if event.status != status:
            await self.repo.update_event(event.key, now, False, status=status)
            await self.repo.audit(event.id, ctx.sender, status, now)
            await self._changed(event.key)
        ctx.reply(ctx.t(*done, t=event.title))

    anmeldung_schliessen = status_command(
        "anmeldung-schliessen",
        "close-registration",
        (
            "Schließt die Anmeldung einer Veranstaltung (Abmelden bleibt möglich).",
            "Closes registration for an event (unregistering stays possible).",
        ),
        CLOSED,
        ("Anmeldung für „{t}“ geschlossen.", 'Registration for "{t}" closed.'),
    )
    anmeldung_oeffnen = status_command(
        "anmeldung-oeffnen",
        "open-registration",
        ("Öffnet die Anmeldung einer Veranstaltung wieder.", "Reopens registration for an event."),
        OPEN,
        ("Anmeldung für „{t}“ ist offen.", 'Registration for "{t}" is open.'),
    )

    @coordinator_command(
        "absagen",
        aliases=["cancel-event"],
        help="Sagt eine Veranstaltung ab: alle Angemeldeten bekommen eine Direktnachricht mit "
        "einer Kalenderdatei, die den Termin absagt. Zum Bestätigen „bestätigen“ anhängen.",
        help_en="Cancels an event: every attendee gets a direct message with a calendar file "
        'that cancels the entry. Add "confirm" to confirm.',
        args=[
            EVENT_ARG,
            Arg("bestätigen", optional=True, name_en="confirm"),
        ],
    )
    async def absagen(
        self, ctx: CommandContext, veranstaltung: str, bestätigen: str | None
    ) -> None:
        event = await self._coordinator_event(ctx, veranstaltung)
        if event.status == CANCELLED:
            raise UserError(
                ctx.t("„{t}“ ist schon abgesagt.", '"{t}" is cancelled already.', t=event.title)
            )
        registrations = await self.repo.registrations(event.id)
        if bestätigen is None or fold(bestätigen) not in CONFIRM_WORDS:
            raise UserError(
                ctx.t(
                    "Das sagt „{t}“ ab und benachrichtigt {n} Angemeldete. Zum Bestätigen: "
                    "{p}absagen {k} bestätigen",
                    'This cancels "{t}" and tells {n} registered members. To confirm: '
                    "{p}cancel-event {k} confirm",
                    t=event.title,
                    n=len(registrations),
                    p=ctx.prefix,
                    k=event.key,
                )
            )
        now = self._now()
        await self.repo.update_event(event.key, now, True, status=CANCELLED)
        await self.repo.audit(event.id, ctx.sender, "cancelled", now)
        cancelled = await self.repo.event(event.key)
        assert cancelled is not None
        for reg in registrations:
            key = f"plenum:cancelled:{event.id}:{reg.user_id}"
            text = Message.join(
                [
                    Message.bold(self._t("Abgesagt: „{t}“", 'Cancelled: "{t}"', t=event.title)),
                    Message.text(
                        self._t(
                            "Die Veranstaltung am {w} findet nicht statt. Ihre Anmeldung ist "
                            "damit erledigt; die Kalenderdatei entfernt den Termin.",
                            "The event on {w} will not take place. Your registration is void; "
                            "the calendar file removes the entry.",
                            w=self.when(event, self.services.config.bot.language),
                        )
                    ),
                ]
            )
            await self.services.poster.post(Target.direct(reg.user_id), text, key=key)
            if reg.status == REGISTERED:
                file = self.calendar_file(cancelled, reg, self.services.config.bot.language)
                await self._post_file(reg.user_id, file, f"{key}:ics")
        await self._changed(event.key)
        ctx.reply(
            ctx.t(
                "„{t}“ ist abgesagt. {n} Angemeldete bekommen eine Direktnachricht.",
                '"{t}" is cancelled. {n} registered members get a direct message.',
                t=event.title,
                n=len(registrations),
            )
        )

    # --- coordinators: people ----------------------------------------------------------------

    async def _registration_of(
        self, ctx: CommandContext, user_id: str, key: str
    ) -> tuple[EventInfo, Registration]:
        event = await self._coordinator_event(ctx, key)
        reg = await self.repo.registration(event.id, user_id)
        if reg is None:
            raise UserError(
                ctx.t(
                    "{u} ist für „{t}“ nicht angemeldet.",
                    '{u} is not registered for "{t}".',
                    u=user_id,
                    t=event.title,
                )
            )
        return event, reg

    @coordinator_command(
        "entfernen",
        aliases=["remove-attendee"],
        help="Entfernt jemanden aus einer Veranstaltung (Anmeldung oder Warteliste); "
        "die Person wird benachrichtigt, die Warteliste rückt nach.",
        help_en="Removes someone from an event (seat or waiting list); they are told and the "
        "waiting list moves up.",
        args=[
            PERSON_ARG,
            EVENT_ARG,
        ],
    )
    async def entfernen(self, ctx: CommandContext, person: str, veranstaltung: str) -> None:
        event, reg = await self._registration_of(ctx, person, veranstaltung)
        now = self._now()
        await self.repo.audit(event.id, ctx.sender, "removed", now, subject=person)
        await self.services.poster.post(
            Target.direct(person),
            Message.text(
                self._t(
                    "Die Koordination hat Ihre Anmeldung für „{t}“ entfernt. Bei Fragen "
                    "wenden Sie sich bitte an die Koordination.",
                    'The coordinators removed your registration for "{t}". If you have '
                    "questions, please contact them.",
                    t=event.title,
                )
            ),
            key=f"plenum:removed:{ctx.message.event_id}",
        )
        await self.unregister(event, reg, ctx.sender)
        ctx.reply(
            ctx.t(
                "{u} ist aus „{t}“ entfernt.", '{u} is removed from "{t}".', u=person, t=event.title
            )
        )

    @coordinator_command(
        "nachruecken",
        aliases=["promote"],
        help="Gibt jemandem von der Warteliste sofort einen Platz (auch über die Platzzahl "
        "hinaus), in der Veranstaltung und im gewählten Workshop.",
        help_en="Gives someone on the waiting list a seat at once (even beyond the capacity), "
        "in the event and the chosen workshop.",
        args=[
            PERSON_ARG,
            EVENT_ARG,
        ],
    )
    async def nachruecken(self, ctx: CommandContext, person: str, veranstaltung: str) -> None:
        event, reg = await self._registration_of(ctx, person, veranstaltung)
        if reg.status == REGISTERED and reg.workshop_status != WAITLIST:
            raise UserError(
                ctx.t("{u} hat schon einen Platz.", "{u} has a seat already.", u=person)
            )
        now = self._now()
        if reg.status == WAITLIST:
            await self.repo.seat(reg.id, now)
        if reg.workshop:
            await self.repo.set_workshop_status(reg.id, REGISTERED)
        await self.repo.audit(event.id, ctx.sender, "promoted", now, subject=person)
        fresh = await self.repo.registration_by_id(reg.id)
        assert fresh is not None
        key = (
            f"plenum:promoted:{registration_key(reg)}"
            if reg.status == WAITLIST
            else f"plenum:workshop-promoted:{registration_key(reg)}:{reg.workshop}:"
            f"{reg.workshop_ts}"
        )
        await self._tell_promoted(event, fresh, key)
        ctx.reply(
            ctx.t(
                "{u} ist nachgerückt und wird benachrichtigt.",
                "{u} moved up and is told.",
                u=person,
            )
        )

    @coordinator_command(
        "anmelden-fuer",
        aliases=["register-for"],
        help="Meldet jemand anderen an: <@person> <veranstaltung> [workshop] [; Organisation].",
        help_en="Registers someone else: <@user> <event> [workshop] [; organisation].",
        args=[PERSON_ARG, CHOICE],
    )
    async def anmelden_fuer(self, ctx: CommandContext, person: str, auswahl: str | None) -> None:
        event, workshop, organisation = await self._parse_choice(ctx, auswahl)
        self._refuse_cancelled(event, ctx.lang)
        # Coordinators may register after the deadline or while registration is closed.
        await self._register_member(
            ctx,
            event,
            person,
            workshop,
            organisation,
            via="coordinator",
            registered_by=ctx.sender,
        )

    @coordinator_command(
        "rundschreiben",
        aliases=["broadcast"],
        help="Schickt allen Angemeldeten einer Veranstaltung eine Direktnachricht: "
        "<veranstaltung>; <text>.",
        help_en="Sends every attendee of an event a direct message: <event>; <text>.",
        args=[Arg("angaben", rest=True, usage=("<veranstaltung>; <text…>", "<event>; <text…>"))],
    )
    async def rundschreiben(self, ctx: CommandContext, angaben: str) -> None:
        key, sep, text = angaben.partition(";")
        text = text.strip()
        if not sep or not text:
            raise UsageError(
                ctx.t(
                    "Erwartet: {p}rundschreiben <veranstaltung>; <text>",
                    "Expected: {p}broadcast <event>; <text>",
                    p=ctx.prefix,
                )
            )
        if len(text) > MAX_BROADCAST:
            raise UsageError(
                ctx.t(
                    "Der Text ist zu lang: höchstens {n} Zeichen.",
                    "The text is too long: {n} characters at most.",
                    n=MAX_BROADCAST,
                )
            )
        event = await self._coordinator_event(ctx, parse_event_key(key, ctx.lang))
        recipients = [r for r in await self.repo.registrations(event.id) if r.status == REGISTERED]
        message = Message.bold(
            self._t(
                "Nachricht der Koordination zu „{t}“:",
                'Message from the coordinators on "{t}":',
                t=event.title,
            )
        ) + Message.text("\n" + text)
        for reg in recipients:
            # m.text so it notifies; a DM each, never a list of names in a room.
            await self.services.poster.post(
                Target.direct(reg.user_id),
                message,
                key=f"plenum:broadcast:{ctx.message.event_id}:{reg.user_id}",
            )
        await self.repo.audit(event.id, ctx.sender, "broadcast", self._now(), detail=text[:300])
        ctx.reply(
            ctx.t(
                "Rundschreiben an {n} Angemeldete unterwegs (nach und nach, im Takt des Bots).",
                "Broadcast to {n} attendees on its way (paced by the bot's outbox).",
                n=len(recipients),
            )
        )

    # --- coordinators: views -----------------------------------------------------------------

    @coordinator_command(
        "protokoll",
        aliases=["audit"],
        help="Zeigt das Protokoll der Koordinationsaktionen einer Veranstaltung (letzte 50).",
        help_en="Shows the log of coordinator actions for an event (last 50).",
        args=[EVENT_ARG],
    )
    async def protokoll(self, ctx: CommandContext, veranstaltung: str) -> None:
        event = await self._coordinator_event(ctx, veranstaltung)
        entries = await self.repo.audit_entries(event.id)
        if not entries:
            ctx.reply(ctx.t("Noch keine Einträge.", "No entries yet."))
            return
        tz = self.services.config.bot.tz
        items = []
        for entry in entries:
            label = pick(ctx.lang, *AUDIT_LABELS.get(entry.action, (entry.action, entry.action)))
            line = f"{entry.at.astimezone(tz):%d.%m.%Y %H:%M} {entry.actor}: {label}"
            if entry.subject:
                line += f" {entry.subject}"
            if entry.detail:
                line += f" ({entry.detail})"
            items.append(Message.text(line))
        ctx.reply(
            Message.join(  # a line break: the plain body would run heading and items together
                [
                    Message.bold(ctx.t("Protokoll „{t}“", 'Log "{t}"', t=event.title)),
                    Message.bullet_list(items),
                ]
            )
        )

    @coordinator_command(
        "teilnehmer",
        aliases=["attendees"],
        help="Zählung je Workshop und Organisation, Liste und Warteliste einer Veranstaltung.",
        help_en="Counts per workshop and organisation, the list and the waiting list of an event.",
        args=[EVENT_ARG],
    )
    async def teilnehmer(self, ctx: CommandContext, veranstaltung: str) -> None:
        event = await self._coordinator_event(ctx, veranstaltung)
        regs = await self.repo.registrations(event.id)
        seated = [r for r in regs if r.status == REGISTERED]
        waiting = [r for r in regs if r.status == WAITLIST]
        cap = str(event.capacity) if event.capacity else "∞"
        parts = [
            Message.bold(f"{event.title} ({event.key})"),
            Message.text(
                ctx.t(
                    "Angemeldet: {n} von {c} · Warteliste: {w}",
                    "Registered: {n} of {c} · waiting list: {w}",
                    n=len(seated),
                    c=cap,
                    w=len(waiting),
                )
            ),
        ]
        if aggregate := await self.repo.aggregate(event.id):
            parts.append(
                Message.text(
                    ctx.t(
                        "Personenbezogene Daten nach Ablauf der Frist gelöscht; Zahlen: {a}",
                        "Personal data deleted after the retention period; counts: {a}",
                        a=", ".join(
                            f"{k}: {v}" for k, v in aggregate.items() if not isinstance(v, dict)
                        ),
                    )
                )
            )
        workshop_lines = []
        for w in event.workshops:
            inside = sum(
                1 for r in seated if r.workshop == w.key and r.workshop_status == REGISTERED
            )
            queued = sum(1 for r in seated if r.workshop == w.key and r.workshop_status == WAITLIST)
            workshop_lines.append(
                Message.text(
                    f"{w.title} ({w.key}): {inside}/{w.capacity or '∞'}"
                    + (ctx.t(", Warteliste {q}", ", waiting {q}", q=queued) if queued else "")
                )
            )
        if workshop_lines:
            parts += [
                Message.bold(ctx.t("Workshops", "Workshops")),
                Message.bullet_list(workshop_lines),
            ]
        orgs: dict[str, int] = {}
        for r in seated:
            name = r.organisation or ctx.t("(ohne Angabe)", "(not given)")
            orgs[name] = orgs.get(name, 0) + 1
        if orgs:
            parts += [
                Message.bold(ctx.t("Organisationen", "Organisations")),
                Message.bullet_list(
                    [
                        Message.text(f"{o}: {n}")
                        for o, n in sorted(orgs.items(), key=lambda i: (-i[1], i[0]))
                    ]
                ),
            ]

        def person(index: int, r: Registration) -> Message:
            extra = ", ".join(x for x in (r.organisation, r.workshop) if x)
            who = f"{r.display_name} ({r.user_id})" if r.display_name else r.user_id
            return Message.text(f"{index}. {who}" + (f" ({extra})" if extra else ""))

        def listing(regs: list[Registration]) -> Message:
            # One Matrix event holds about 64 KB: long lists are cut, the export has them all.
            shown = [person(i, r) for i, r in enumerate(regs[:MAX_LISTED], 1)]
            if len(regs) > MAX_LISTED:
                shown.append(
                    Message.text(
                        ctx.t(
                            "… und {n} weitere; vollständig: {p}export {k}",
                            "… and {n} more; all of them: {p}export {k}",
                            n=len(regs) - MAX_LISTED,
                            p=ctx.prefix,
                            k=event.key,
                        )
                    )
                )
            return Message.join(shown)

        if seated:
            parts += [Message.bold(ctx.t("Liste", "List")), listing(seated)]
        if waiting:
            parts += [Message.bold(ctx.t("Warteliste", "Waiting list")), listing(waiting)]
        # Names are shown as plain text: the reply mentions only the coordinator who asked.
        ctx.reply(Message.join(parts))

    @coordinator_command(
        "export",
        help="Schickt die Teilnehmendenliste als CSV-Datei für Tabellenprogramme per "
        "Direktnachricht.",
        help_en="Sends the attendee list as a CSV file for spreadsheets by direct message.",
        args=[EVENT_ARG],
    )
    async def export(self, ctx: CommandContext, veranstaltung: str) -> None:
        event = await self._coordinator_event(ctx, veranstaltung)
        rows = await export_rows(self.repo, event, self.services.config.bot.tz)
        data = render_csv(rows, excel=True)
        # Personal data goes only into the coordinator's own DM, never into a room.
        ctx.send_file(ctx.sender, f"{event.key}-teilnehmende.csv", "text/csv", data)
        ctx.reply(
            ctx.t(
                "Die Liste ({n} Einträge) habe ich Ihnen per Direktnachricht geschickt.",
                "I have sent you the list ({n} rows) by direct message.",
                n=len(rows),
            )
        )

    # --- registration by reaction ------------------------------------------------------------

    @command(
        "ankuendigen",
        aliases=["announce"],
        help="Kündigt eine Veranstaltung in diesem Raum an; wer mit ✅ reagiert, ist angemeldet "
        "(Details per Direktnachricht), wer die Reaktion entfernt, abgemeldet.",
        help_en="Announces an event in this room; reacting with ✅ registers (details by direct "
        "message), removing the reaction unregisters.",
        args=[EVENT_ARG],
        permission=Permission.COORDINATOR,
        where=Where.ROOM | Where.COORDINATION,
    )
    async def ankuendigen(self, ctx: CommandContext, veranstaltung: str) -> None:
        event = await self._coordinator_event(ctx, veranstaltung)
        self._check_open(event, ctx.sent_at, ctx.lang)
        lines = [
            Message.bold(event.title),
            Message.text(
                self.when(event, ctx.lang) + (f", {event.location}" if event.location else "")
            ),
        ]
        if event.workshops:
            lines.append(
                Message.text(
                    ctx.t(
                        "Workshops: {w}",
                        "Workshops: {w}",
                        w=", ".join(f"{w.title} ({w.key})" for w in event.workshops),
                    )
                )
            )
        lines.append(
            Message.text(
                ctx.t(
                    "Anmelden: mit ✅ auf diese Nachricht reagieren oder {p}anmelden {k} "
                    "[workshop] schreiben. Die Details kommen per Direktnachricht.",
                    "Register: react to this message with ✅ or write {p}register {k} "
                    "[workshop]. The details come by direct message.",
                    p=ctx.prefix,
                    k=event.key,
                )
            )
        )
        key = f"plenum:announce:{ctx.message.event_id}"
        await self.services.poster.post(Target.room(ctx.room_id), Message.join(lines), key=key)
        now = self._now()
        await self.repo.add_announcement(txn_id(key), event.id, ctx.room_id, now)
        await self.repo.audit(event.id, ctx.sender, "announced", now, detail=ctx.room_id)

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        if reaction.key.replace("\ufe0f", "") not in REGISTER_REACTIONS:
            return
        txn = await self.services.outbox.txn_for_event(reaction.reacts_to)
        event_id = None if txn is None else await self.repo.announcement_event(txn)
        if event_id is None:
            return
        event = await self.repo.event_by_id(event_id)
        if event is None:
            return
        lang = self.services.config.bot.language
        key = f"plenum:reaction:{reaction.event_id}"
        user = reaction.sender
        at = datetime.fromtimestamp(reaction.server_ts / 1000, UTC)
        try:
            self._check_open(event, at, lang)
            organisation = (await self.repo.profile(user)).organisation
            outcome = await self.register(
                event,
                user,
                workshop=None,
                organisation=organisation,
                requested_ts=reaction.server_ts,
                room_id=reaction.room_id,
                display_name=reaction.sender_name,
                lang=lang,
                via="reaction",
                reaction_event_id=reaction.event_id,
            )
        except UserError as exc:
            await self.services.poster.post(Target.direct(user), Message.text(str(exc)), key=key)
            return
        reg = outcome.registration
        if not outcome.created:
            text = self._t(
                "Sie sind bereits für „{t}“ angemeldet{where}.",
                'You are already registered for "{t}"{where}.',
                t=event.title,
                where=self._place_text(lang, outcome),
            )
            await self.services.poster.post(Target.direct(user), Message.text(text), key=key)
            return
        short = (
            self._t(
                "Sie sind für „{t}“ angemeldet.", 'You are registered for "{t}".', t=event.title
            )
            if reg.status == REGISTERED
            else self._t(
                "„{t}“ ist ausgebucht: Sie stehen auf der Warteliste (Platz {n}).",
                '"{t}" is full: you are on the waiting list (position {n}).',
                t=event.title,
                n=outcome.position,
            )
        )
        details = await self._detail_lines(event, outcome, lang)
        await self.services.poster.post(
            Target.direct(user), Message.join([Message.bold(short), *details]), key=key
        )
        if reg.status == REGISTERED:
            await self._post_file(user, self.calendar_file(event, reg, lang), f"{key}:ics")

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        """Removing the ✅ unregisters a registration that this reaction made."""
        reg = await self.repo.registration_by_reaction(redaction.redacts)
        if reg is None or redaction.sender != reg.user_id:
            return
        event = await self.repo.event_by_id(reg.event_id)
        if event is None:
            return
        await self.unregister(event, reg, "member")
        await self.services.poster.post(
            Target.direct(reg.user_id),
            Message.text(
                self._t(
                    "Sie haben Ihre ✅-Reaktion entfernt und sind von „{t}“ abgemeldet.",
                    'You removed your ✅ reaction and are unregistered from "{t}".',
                    t=event.title,
                )
            ),
            key=f"plenum:unreaction:{redaction.event_id}",
        )

    # --- retention ---------------------------------------------------------------------------

    def _schedule_retention(self, after: datetime | None) -> None:
        if after is None:
            self.services.jobs.cancel(RETENTION_JOB)
            return
        when = after + timedelta(days=self.services.config.privacy.retention_days)
        self.services.jobs.at(RETENTION_JOB, when, self.run_retention)

    async def run_retention(self) -> int:
        """Delete the registrations of events that ended ``retention_days`` ago; the counts
        stay on the event. Returns the number of registrations deleted."""
        days = self.services.config.privacy.retention_days
        now = self.services.clock.now()
        deleted = 0
        async with self.services.db.transaction():
            for event in await self.repo.ended_unpurged((now - timedelta(days=days)).timestamp()):
                regs = await self.repo.registrations(event.id)
                aggregate: dict[str, Any] = {
                    "registered": sum(1 for r in regs if r.status == REGISTERED),
                    "waitlist": sum(1 for r in regs if r.status == WAITLIST),
                    "workshops": {
                        w.key: sum(
                            1
                            for r in regs
                            if r.workshop == w.key and r.workshop_status == REGISTERED
                        )
                        for w in event.workshops
                    },
                }
                deleted += await self.repo.purge_event(event.id, aggregate, now.timestamp())
                await self.repo.audit(event.id, "bot", "purged", now.timestamp())
            next_end = await self.repo.next_unpurged_end()
        self._schedule_retention(next_end)
        return deleted

    # --- data protection ---------------------------------------------------------------------

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        return await self.repo.personal_data(user_id)

    async def delete_personal_data(self, user_id: str) -> int:
        """Registrations (their seats go to the waiting list), profile, names in the log."""
        count = 0
        async with self.services.db.transaction():
            for reg in await self.repo.user_registrations(user_id):
                event = await self.repo.event_by_id(reg.event_id)
                if event is not None:
                    await self.unregister(event, reg, "bot")
                    count += 1
            count += await self.repo.delete_profile_and_audit(user_id)
        return count


def privacy_notice(services: Services, lang: str) -> Message:
    """Shown with a member's first registration and by !datenschutz (texts from [privacy])."""
    privacy = services.config.privacy
    if privacy.notice:
        return Message.text(privacy.notice)
    prefix = services.config.bot.prefix
    controller = privacy.controller or pick(
        lang, "die Koordination der ViR-Nordwest", "the ViR-Nordwest coordinators"
    )
    if privacy.contact:
        controller += f" ({privacy.contact})"
    return Message.text(
        pick(
            lang,
            "Datenschutz: Verantwortlich ist {c}. Für Anmeldungen speichert der Bot Ihre "
            "Matrix-ID, Ihre Organisation, Ihren Workshop und die Zeitpunkte. Zweck ist die "
            "Organisation der Veranstaltung; die Koordination sieht die Teilnehmendenliste. "
            "Rechtsgrundlage: {b}. Die Anmeldedaten werden {d} Tage nach der Veranstaltung "
            "gelöscht, nur Zahlen bleiben. Sie haben das Recht auf Auskunft ({p}meine-daten), "
            "Löschung ({p}daten-loeschen), Berichtigung, Einschränkung und Beschwerde bei einer "
            "Datenschutz-Aufsichtsbehörde.",
            "Privacy: the controller is {c}. For registrations the bot stores your Matrix id, "
            "organisation, workshop and the times. The purpose is organising the event; the "
            "coordinators see the attendee list. Legal basis: {b}. Registration data is deleted "
            "{d} days after the event, only counts remain. You have the right of access "
            "({p}my-data), erasure ({p}delete-my-data), rectification, restriction and to "
            "complain to a data protection authority.",
        ).format(c=controller, b=privacy.legal_basis, d=privacy.retention_days, p=prefix)
    )


# --- export -----------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "user_id",
    "display_name",
    "organisation",
    "workshop",
    "status",
    "position",
    "registered_at",
    "workshop_status",
    "workshop_position",
    "registered_via",
)


async def export_rows(
    repo: PlenumRepository, event: EventInfo, tz: ZoneInfo
) -> list[dict[str, str]]:
    """One row per registration in registration order; ``status`` is the event seat."""
    rows = []
    for reg in await repo.registrations(event.id):
        position = await repo.waitlist_position(reg)
        workshop_position = await repo.workshop_position(reg)
        rows.append(
            {
                "user_id": reg.user_id,
                "display_name": reg.display_name or "",
                "organisation": reg.organisation or "",
                "workshop": reg.workshop or "",
                "status": reg.status,
                "position": "" if position is None else str(position),
                "registered_at": reg.registered_at.astimezone(tz).isoformat(timespec="seconds"),
                "workshop_status": reg.workshop_status or "",
                "workshop_position": "" if workshop_position is None else str(workshop_position),
                "registered_via": reg.via,
            }
        )
    return rows


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def render_csv(rows: list[dict[str, str]], excel: bool = False) -> bytes:
    """Plain: comma, UTF-8. Excel: semicolon, UTF-8 with BOM, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        cells = [row[c] for c in EXPORT_COLUMNS]
        writer.writerow([neutralise(c) for c in cells] if excel else cells)
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")
