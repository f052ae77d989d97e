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

import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import ics
from bot.config import EventConfig
from bot.context import CommandContext, DirectMessage
from bot.errors import UsageError, UserError
from bot.feature import Capability
from bot.formatting import Message
from bot.i18n import pick
from bot.posting import Target
from bot.registry import Arg, Where, command
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


def parse_event_key(raw: str) -> str:
    key = raw.strip().casefold()
    if not KEY.match(key):
        raise UsageError(
            f"„{raw}“ ist kein Veranstaltungsschlüssel: erwartet Kleinbuchstaben, Ziffern und "
            "Bindestriche, z. B. plenum-2027."
        )
    return key


def parse_user(raw: str) -> str:
    user = raw.strip()
    if user.startswith("https://matrix.to/#/"):
        user = user.removeprefix("https://matrix.to/#/")
    if not re.match(r"^@[^:\s]+:[^\s]+$", user):
        raise UsageError(f"„{raw}“ ist keine Matrix-ID: erwartet z. B. @name:example.org.")
    return user


def parse_count(raw: str) -> int:
    if not raw.isdigit():
        raise UsageError(
            f"„{raw}“ ist keine Anzahl: erwartet eine ganze Zahl ≥ 0 (0 = unbegrenzt)."
        )
    return int(raw)


def parse_when(raw: str, tz: ZoneInfo, base: datetime | None = None) -> datetime:
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
        f"„{raw}“ ist kein Zeitpunkt: erwartet z. B. 28.01.2027 09:30 oder 2027-01-28 09:30."
    )


# --- what a registration attempt produced ---------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    created: bool
    position: int | None  # event waiting list
    workshop_position: int | None


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
        return await self.repo.events(include_closed)

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
        for listener in self._listeners:
            await listener(key)

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        async with self.services.db.transaction():
            await self.sync_config()

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
        open_events = await self.repo.events()
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
        keys = ", ".join(e.key for e in await self.repo.events()) or "–"
        prefix = self.services.config.bot.prefix
        return pick(
            lang,
            "Die Veranstaltung „{key}“ gibt es nicht. Offen sind: {keys} ({p}veranstaltungen).",
            'There is no event "{key}". Open are: {keys} ({p}events).',
        ).format(key=key, keys=keys, p=prefix)

    def _check_open(self, event: EventInfo, at: datetime, lang: str) -> None:
        if event.status == CANCELLED:
            raise UserError(
                pick(lang, "„{t}“ ist abgesagt.", '"{t}" is cancelled.').format(t=event.title)
            )
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
        lang: str,
        via: str = "command",
        reaction_event_id: str | None = None,
        registered_by: str | None = None,
    ) -> Outcome:
        """Take a seat or a place on the waiting list; atomic within the caller's transaction."""
        async with self.services.db.transaction():
            existing = await self.repo.registration(event.id, user_id)
            if existing is not None:
                return await self._outcome(existing, created=False)
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
            promoted[waiting.id] = f"plenum:promoted:{waiting.id}"
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
                    f"plenum:workshop-promoted:{waiting.id}:{workshop.key}:{waiting.workshop_ts}",
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
    )
    async def veranstaltungen(self, ctx: CommandContext) -> None:
        events = await self.repo.events()
        if not events:
            ctx.reply(
                ctx.t(
                    "Zurzeit ist keine Veranstaltung zur Anmeldung offen.",
                    "No event is open for registration right now.",
                )
            )
            return
        items: list[Message] = []
        for event in events:
            seats = await self._seats_text(ctx, event)
            line = Message.bold(event.title) + Message.text(
                f" ({event.key}) – {self.when(event, ctx.lang)}"
                + (f", {event.location}" if event.location else "")
                + f" – {seats}"
            )
            workshops = []
            for w in event.workshops:
                workshops.append(
                    Message.text(f"{w.title} ({w.key}): ")
                    + Message.text(await self._workshop_seats_text(ctx, event, w))
                )
            if workshops:
                line = line + Message.bullet_list(workshops)
            items.append(line)
        hint = Message.text(
            ctx.t(
                "Anmelden: {p}anmelden <veranstaltung> [workshop]",
                "Register: {p}register <event> [workshop]",
                p=ctx.prefix,
            )
        )
        ctx.reply(Message.join([Message.bullet_list(items), hint]))

    async def _seats_text(self, ctx: CommandContext, event: EventInfo) -> str:
        taken = await self.repo.seats_taken(event.id)
        waiting = await self.repo.waitlist_count(event.id)
        if event.capacity == 0:
            return ctx.t("{n} angemeldet", "{n} registered", n=taken)
        left = max(event.capacity - taken, 0)
        if left == 0:
            return ctx.t(
                "ausgebucht, {w} auf der Warteliste", "full, {w} on the waiting list", w=waiting
            )
        return ctx.t(
            "{left} von {cap} Plätzen frei",
            "{left} of {cap} seats left",
            left=left,
            cap=event.capacity,
        )

    async def _workshop_seats_text(
        self, ctx: CommandContext, event: EventInfo, workshop: WorkshopInfo
    ) -> str:
        taken = await self.repo.workshop_taken(event.id, workshop.key)
        if workshop.capacity == 0:
            return ctx.t("{n} angemeldet", "{n} registered", n=taken)
        left = max(workshop.capacity - taken, 0)
        if left == 0:
            return ctx.t("ausgebucht (Warteliste)", "full (waiting list)")
        return ctx.t(
            "{left} von {cap} Plätzen frei",
            "{left} of {cap} places left",
            left=left,
            cap=workshop.capacity,
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
        if len(words) == 2:
            event_key, workshop_key = parse_event_key(words[0]), words[1]
        elif len(words) == 1:
            word = parse_event_key(words[0])
            if await self.repo.event(word) is not None:
                event_key = word
            else:
                open_events = await self.repo.events()
                if len(open_events) == 1 and open_events[0].workshop(word):
                    workshop_key = word
                else:
                    raise UserError(await self._unknown_event(word, ctx.lang))
        event = await self._event_for(event_key, ctx.lang)
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
        self._check_open(event, ctx.sent_at, ctx.lang)
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
            lang=ctx.lang,
            via=via,
            registered_by=registered_by,
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
        reg = outcome.registration
        lines = self._status_lines(event, reg, outcome.workshop_position, ctx.lang)
        if reg.status == WAITLIST:
            lines.append(
                Message.text(
                    ctx.t(
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
                    ctx.t(
                        "Workshop wählen: {p}workshop <workshop> ({keys})",
                        "Choose a workshop: {p}workshop <workshop> ({keys})",
                        p=ctx.prefix,
                        keys=keys,
                    )
                )
            )
        if not reg.organisation:
            lines.append(
                Message.text(
                    ctx.t(
                        "Für welche Organisation (Kommune, Behörde) nehmen Sie teil? Bitte einmal "
                        "angeben: {p}organisation <Name>",
                        "Which organisation (municipality, authority) do you attend for? Please "
                        "tell me once: {p}organization <name>",
                        p=ctx.prefix,
                    )
                )
            )
        lines.append(
            Message.text(
                ctx.t(
                    "Abmelden: {p}abmelden {k}",
                    "Unregister: {p}unregister {k}",
                    p=ctx.prefix,
                    k=event.key,
                )
            )
        )
        if await self.repo.mark_privacy_shown(reg.user_id, self._now()):
            lines.append(privacy_notice(self.services, ctx.lang))
        return Message.join(lines)

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
        event_key = parse_event_key(words[0]) if len(words) == 2 else None
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
        await self.repo.set_workshop(
            reg.id, workshop.key, REGISTERED if room else WAITLIST, ctx.message.server_ts
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
    """Shown with a member's first registration (and by !datenschutz)."""
    return Message.text(
        pick(
            lang,
            "Datenschutz: Für die Anmeldung speichert der Bot Ihre Matrix-ID, Ihre Organisation, "
            "Workshop und Zeitpunkt. Zweck ist die Organisation der Veranstaltung; die "
            "Koordination sieht die Teilnehmendenliste. Die Daten werden nach der Veranstaltung "
            "gelöscht. Auskunft: !meine-daten.",
            "Privacy: for your registration the bot stores your Matrix id, organisation, workshop "
            "and time. The purpose is organising the event; coordinators see the attendee list. "
            "The data is deleted after the event. Your data: !my-data.",
        )
    )
