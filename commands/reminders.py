"""Reminders: room reminders, personal reminders, event reminders, and scheduled kinds of
other capabilities (summaries) -- each delivered exactly once, also across restarts.

The database owns every schedule (storage/reminders.py). An APScheduler job per row
(``reminder:<id>``) only wakes ``deliver_due``, which asks the database what is due at
``clock.now()`` and, per row and in one transaction, queues the message with ``post()`` (key
``reminder:<id>.<created>:<due>``), records the occurrence and moves the row on. A crash before the
commit leaves the row due (it is delivered after the restart); after the commit the outbox
owns the message and its transaction id de-duplicates any resend.

Late policy (visible, never silent): an occurrence that fell due while the bot was down, or
is handled more than ``LATE_TOLERANCE`` late, is sent with a note saying so, if it is less
than ``reminders.late_grace`` old (and, for an event, before the event starts). Otherwise it
is recorded as missed and reported: a personal reminder to its owner, a room reminder in its
room and to its creator. A recurring reminder's next time is computed from its rule and the
occurrence handled, never from "now".
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.context import CommandContext
from bot.errors import UsageError, UserError
from bot.feature import Capability
from bot.formatting import Message
from bot.i18n import pick
from bot.lazy import outside_transactions
from bot.posting import Target
from bot.registry import Arg, Permission, Where, command
from bot.services import Services
from bot.timeparse import (
    OneOff,
    Parsed,
    Recurring,
    Rule,
    describe_duration,
    format_short,
    format_when,
    holiday_name,
    parse_duration,
    parse_when,
)
from storage.reminders import ReminderRepository, ReminderRow, from_ts, to_ts

log = logging.getLogger(__name__)

# A reminder handled later than this after its due time (or that fell due before this run of
# the bot started) is marked late.
LATE_TOLERANCE = timedelta(seconds=60)
RETRY_AFTER_FAILURE = timedelta(seconds=60)
MAX_COUNTED = 1000  # skipped occurrences of a recurring rule counted one by one (then "1000+")
ROOM, PERSONAL, EVENT = "room", "personal", "event"
BUILTIN_KINDS = (ROOM, PERSONAL, EVENT)
ERASED = "(gelöscht)"

Render = Callable[[ReminderRow], Awaitable[Message | None]]
Missed = Callable[[ReminderRow, datetime], Awaitable[None]]


# --- the plenum contract (commands/plenum.py) ------------------------------------------------


class EventLike(Protocol):
    key: str
    title: str
    starts: datetime
    location: str | None
    status: str
    announce_room: str | None
    reminder_offsets: tuple[str, ...] | None


class RecipientLike(Protocol):
    user_id: str
    workshop_title: str | None


class PlenumLike(Protocol):
    async def event_info(self, key: str) -> Any: ...

    async def events(self, include_closed: bool = False) -> list[Any]: ...

    async def reminder_recipients(self, key: str, due: datetime) -> list[Any]: ...

    def on_event_changed(self, callback: Callable[[str], Awaitable[None]]) -> None: ...


# --- the late policy: a pure function of the times ------------------------------------------


def outcome_for(
    due: datetime,
    now: datetime,
    started_at: datetime,
    grace: timedelta,
    deadline: datetime | None = None,
) -> str:
    """ "sent" (on time), "late" (sent with a note) or "missed" (reported, not sent)."""
    if deadline is not None and now >= deadline:
        return "missed"
    if now - due > grace:
        return "missed"
    if due < started_at or now - due > LATE_TOLERANCE:
        return "late"
    return "sent"


def occurrences_until(
    rule: Rule | None, due: datetime, now: datetime, tz: Any
) -> tuple[datetime, int, datetime | None]:
    """(the latest occurrence due by ``now``, how many earlier ones it leaves out, the next
    one after ``now``), all from the rule: a long downtime costs no work per occurrence."""
    if rule is None:
        return due, 0, None
    latest = rule.last_at_or_before(now, tz, since=due)
    # The row's own due time is left out too when a later occurrence is sent instead.
    skipped = min(MAX_COUNTED, rule.count_between(due, latest, tz, MAX_COUNTED) + (latest != due))
    return latest, skipped, rule.next_after(now, tz)


@dataclass(frozen=True)
class Request:
    """``[#raum|!roomid] <wann>; <text>`` split up."""

    room: str | None
    when: str
    text: str


def split_request(raw: str | None, lang: str, allow_room: bool) -> Request:
    raw = (raw or "").strip()
    when, sep, text = raw.partition(";")
    text = text.strip()
    if not sep or not when.strip() or not text:
        raise UsageError(
            pick(
                lang,
                "Bitte Zeit und Text mit „;“ trennen, z. B. „morgen 9 Uhr; Unterlagen mitbringen“.",
                'Please separate time and text with ";", e.g. "tomorrow 9am; bring the papers".',
            )
        )
    room = None
    first, _, rest = when.strip().partition(" ")
    if first[:1] in ("#", "!"):  # a room address or id (room version 12 ids have no server)
        if not allow_room:
            raise UsageError(
                pick(lang, "Hier geht kein Raum als Ziel.", "A target room is not possible here.")
            )
        room, when = first, rest
    if not when.strip():
        raise UsageError(pick(lang, "Es fehlt die Zeitangabe.", "The time is missing."))
    return Request(room, when.strip(), text)


class Reminders(Capability):
    """Room, personal and event reminders; ``register_kind``/``schedule`` for other kinds."""

    name = "reminders"

    def __init__(self, services: Services, plenum: PlenumLike | None = None) -> None:
        super().__init__(services)
        self.plenum = plenum
        self.repo = ReminderRepository(services.db)
        self._kinds: dict[str, Render] = {}
        self._missed: dict[str, Missed] = {}
        self._lock = asyncio.Lock()
        self.resumed: asyncio.Task[None] | None = None  # waits for the homeserver to be back
        if plenum is not None:
            plenum.on_event_changed(self.sync_event)

    # --- the generic seam (summaries and others) ---

    def register_kind(self, kind: str, render: Render, missed: Missed | None = None) -> None:
        """Deliver rows of ``kind`` with ``render`` (called at send time; None = nothing).
        ``missed(row, due)`` reports a row beyond the grace time in the kind's own words
        (in the same transaction); without it a generic notice goes to the row's target."""
        if kind in BUILTIN_KINDS:
            raise ValueError(f"{kind!r} is a built-in reminder kind")
        self._kinds[kind] = render
        if missed is not None:
            self._missed[kind] = missed

    async def schedule(
        self,
        kind: str,
        when: datetime,
        *,
        room_id: str | None = None,
        user_id: str | None = None,
        payload: str = "",
        created_by: str,
    ) -> int:
        """One-off delivery of a registered kind at ``when``, exactly once (key
        ``reminder:<id>.<created>:<due>``); the render callback builds the message then."""
        if kind not in self._kinds:
            raise ValueError(f"reminder kind {kind!r} is not registered")
        if (room_id is None) == (user_id is None):
            raise ValueError("schedule needs exactly one of room_id and user_id")
        reminder_id = await self.repo.add(
            kind,
            when,
            created_by=created_by,
            now=self.services.clock.timestamp(),
            room_id=room_id,
            user_id=user_id,
            payload=payload,
        )
        self._wake_at(reminder_id, when)
        return reminder_id

    async def cancel(self, reminder_id: int) -> bool:
        """Cancel a scheduled row (any kind); False if it is not scheduled any more."""
        cancelled = await self.repo.set_status(reminder_id, "cancelled")
        self.services.jobs.cancel(job_id(reminder_id))
        return cancelled

    # --- lifecycle ---

    async def start(self) -> None:
        """Rebuild every job from the rows; bring event reminders in line with the events."""
        if self.plenum is not None:
            for event in await self.plenum.events(include_closed=True):
                await self.sync_event(event.key)
        for row in await self.repo.scheduled():
            self._wake_at(row.id, row.due)

    async def stop(self) -> None:
        if self.resumed is not None:
            self.resumed.cancel()
            await asyncio.gather(self.resumed, return_exceptions=True)

    def _wake_at(self, reminder_id: int, when: datetime) -> None:
        # The row keeps whole seconds, rounded up; wake no earlier than that.
        self.services.jobs.at(job_id(reminder_id), from_ts(to_ts(when)), self._wake, reminder_id)

    async def _wake(self, reminder_id: int) -> None:
        """A job fired: deliver what is due. If this job's row is still ahead (the scheduler's
        clock ran ahead of ours), arm it again rather than leave the row without a job."""
        await self.deliver_due()
        row = await self.repo.get(reminder_id)
        jobs = self.services.jobs
        if row is not None and row.status == "scheduled" and jobs.next_run(job_id(row.id)) is None:
            self._wake_at(row.id, row.due)

    @property
    def lang(self) -> str:
        return self.services.config.bot.language

    @property
    def tz(self) -> Any:
        return self.services.config.bot.tz

    def t(self, de: str, en: str, **values: Any) -> str:
        return pick(self.lang, de, en).format(**values)

    # --- delivery ---

    async def deliver_due(self) -> int:
        """Handle every row due at ``clock.now()``; returns how many were handled. Safe to
        call any time and concurrently: each occurrence is handled once."""
        if not self.services.health.online:
            # The homeserver does not take messages: queueing now would send them hours later
            # without the late note. Judge them when it is back (late or missed, then).
            self._resume_when_online()
            return 0
        handled = 0
        async with self._lock:
            now = self.services.clock.now()
            for row in await self.repo.due_at(now):
                try:
                    async with self.services.db.transaction():
                        done = await self._deliver(row, now)
                except _AlreadyHandled:
                    continue
                except Exception:
                    ref = secrets.token_hex(3)
                    log.exception("reminder %d failed (ref=%s); retrying later", row.id, ref)
                    self._wake_at(row.id, now + RETRY_AFTER_FAILURE)
                    continue
                if not done:
                    continue  # put off (its retry job is set), not handled
                handled += 1
                fresh = await self.repo.get(row.id)
                if fresh is not None and fresh.status == "scheduled":
                    self._wake_at(fresh.id, fresh.due)
        return handled

    def _resume_when_online(self) -> None:
        if self.resumed is not None and not self.resumed.done():
            return  # one waiter is enough

        async def resume() -> None:
            await self.services.health.wait_online()
            # As a job: a module loaded on first use is imported outside the transaction.
            await outside_transactions(self.deliver_due)

        # A fresh context: never inherit a caller's ambient database transaction.
        self.resumed = asyncio.get_running_loop().create_task(
            resume(), name="reminders:resume", context=contextvars.Context()
        )

    async def _deliver(self, row: ReminderRow, now: datetime) -> bool:
        if row.kind not in BUILTIN_KINDS and row.kind not in self._kinds:
            # The capability that registers it has not started yet: try again shortly.
            log.warning("reminder %d: kind %r not registered (yet)", row.id, row.kind)
            self._wake_at(row.id, now + RETRY_AFTER_FAILURE)
            return False
        rule = Rule.from_json(row.rule) if row.rule else None
        due, skipped, following = occurrences_until(rule, row.due, now, self.tz)
        if await self.repo.handled(row.id, due):
            # Handled before (an event moved away and back while the clock stood earlier,
            # or a clock stepped back): do not send again, but do not leave the row due.
            if not await self.repo.settle(row, following):
                raise _AlreadyHandled(row.id)
            log.info("reminder %d at %s: handled before, moved on", row.id, due)
            return True
        deadline = None
        event = None
        if row.kind == EVENT:
            event = await self.plenum.event_info(row.event_key or "") if self.plenum else None
            if event is None or event.status == "cancelled":
                return await self._advance(row, due, "skipped", None)
            deadline = event.starts
        grace = timedelta(seconds=self.services.config.reminders.late_grace)
        outcome = outcome_for(due, now, self.services.started_at, grace, deadline)
        if outcome == "missed":
            await self._report_missed(row, due, event)
            return await self._advance(row, due, "missed", following)
        if row.kind == EVENT:
            recipients = await self._deliver_event(row, event, due, outcome == "late")
            return await self._advance(row, due, outcome, following, recipients)
        message = await self._message(row, due, outcome == "late", skipped)
        if message is None:
            return await self._advance(row, due, "skipped", following)
        await self.services.poster.post(self._target(row), message, key=delivery_key(row, due))
        return await self._advance(row, due, outcome, following, 1)

    async def _advance(
        self,
        row: ReminderRow,
        due: datetime,
        outcome: str,
        following: datetime | None,
        recipients: int = 0,
    ) -> bool:
        moved = await self.repo.advance(
            row, due, outcome, following, self.services.clock.timestamp(), recipients
        )
        if not moved:
            raise _AlreadyHandled(row.id)  # roll back what this run queued
        log.info("reminder %d at %s: %s (%d recipients)", row.id, due, outcome, recipients)
        return True

    def _target(self, row: ReminderRow) -> Target:
        return Target.room(row.room_id) if row.room_id else Target.direct(row.user_id or "")

    async def _message(
        self, row: ReminderRow, due: datetime, late: bool, skipped: int
    ) -> Message | None:
        if row.kind in (ROOM, PERSONAL):
            message = Message.bold(self.t("⏰ Erinnerung: ", "⏰ Reminder: ")) + Message.text(
                row.payload
            )
        else:
            message = await self._kinds[row.kind](row)
            if message is None:
                return None
        if late:
            message = message + Message.text("\n") + self._late_note(due)
        if skipped:
            message = message + Message.text(
                self.t(
                    "\n({n} frühere Termine dieser Erinnerung fielen in die Zeit, in der der "
                    "Bot nicht erreichbar war, und wurden ausgelassen.)",
                    "\n({n} earlier dates of this reminder fell into the time the bot was "
                    "unreachable and were left out.)",
                    n=f"{skipped}+" if skipped >= MAX_COUNTED else skipped,
                )
            )
        return message

    def _late_note(self, due: datetime) -> Message:
        return Message.text(
            self.t(
                "(Verspätet zugestellt: fällig war {when}; der Bot war zu diesem Zeitpunkt "
                "nicht erreichbar.)",
                "(Delivered late: it was due {when}; the bot was unreachable at that time.)",
                when=format_when(due, self.tz, self.lang),
            )
        )

    async def _report_missed(self, row: ReminderRow, due: datetime, event: Any) -> None:
        """Beyond the grace time: say so instead of sending stale news (never silently)."""
        if row.kind in self._missed:
            await self._missed[row.kind](row, due)
            return
        when = format_when(due, self.tz, self.lang)
        key = f"{delivery_key(row, due)}:missed"
        if row.kind == EVENT:
            title = event.title if event is not None else row.event_key
            log.warning("event reminder %d for %s at %s missed", row.id, title, when)
            room = self.services.config.access.coordination_room
            if room:
                text = self.t(
                    "Die Erinnerung „{title}“ ({offset} vorher, fällig {when}) wurde nicht "
                    "verschickt: der Bot war zu lange nicht erreichbar.",
                    'The reminder "{title}" ({offset} before, due {when}) was not sent: the '
                    "bot was unreachable for too long.",
                    title=title,
                    offset=describe_duration(parse_duration(row.event_offset or "0s"), self.lang),
                    when=when,
                )
                await self.services.poster.post(Target.room(room), Message.text(text), key=key)
            return
        text = Message.text(
            self.t(
                "Diese Erinnerung (Nr. {id}, fällig {when}) konnte nicht rechtzeitig zugestellt "
                "werden, weil der Bot nicht erreichbar war, und wird nicht mehr verschickt:\n",
                "This reminder (no. {id}, due {when}) could not be delivered in time because "
                "the bot was unreachable, and will not be sent any more:\n",
                id=row.id,
                when=when,
            )
        ) + Message.text(row.payload if row.kind in (ROOM, PERSONAL) else row.kind)
        await self.services.poster.post(self._target(row), text, key=key)
        if row.kind == ROOM and row.created_by != ERASED:
            await self.services.poster.post(
                Target.direct(row.created_by), text, key=f"{key}:creator"
            )

    # --- event reminders ---

    async def sync_event(self, key: str) -> None:
        """Bring the event's reminder rows in line with its times and status (the plenum
        calls this inside the transaction of every change)."""
        if self.plenum is None:
            return
        event = await self.plenum.event_info(key)
        rows = {r.event_offset: r for r in await self.repo.for_event(key)}
        now = self.services.clock.now()
        if event is None or event.status == "cancelled":
            for row in rows.values():
                if await self.repo.set_status(row.id, "cancelled"):
                    self.services.jobs.cancel(job_id(row.id))
            return
        offsets = event.reminder_offsets or self.services.config.reminders.offsets
        for offset in offsets:
            due = event.starts - parse_duration(offset)
            row = rows.pop(offset, None)
            if row is None:
                if due > now:  # a reminder whose time passed before the event existed: none
                    new_id = await self.repo.add(
                        EVENT,
                        due,
                        created_by=self.services.own_user_id,
                        now=now.timestamp(),
                        payload="",
                        event_key=key,
                        event_offset=offset,
                        event_starts=event.starts,
                    )
                    self._wake_at(new_id, due)
                continue
            moved = row.event_starts != event.starts
            reopened = row.status == "cancelled"
            if not moved and not reopened:
                continue
            if due > now:
                await self.repo.reschedule(row.id, due, event.starts)
                self._wake_at(row.id, due)
            elif await self.repo.set_status(row.id, "cancelled"):
                self.services.jobs.cancel(job_id(row.id))
        for row in rows.values():  # offsets no longer configured
            if await self.repo.set_status(row.id, "cancelled"):
                self.services.jobs.cancel(job_id(row.id))

    async def _deliver_event(self, row: ReminderRow, event: Any, due: datetime, late: bool) -> int:
        """A DM to everyone registered at ``due`` (not waiting, not cancelled, not opted out)
        and a post in the announce room; paced by the outbox, resumed after a restart."""
        assert self.plenum is not None
        base = delivery_key(row, due)
        when = format_when(event.starts, self.tz, self.lang)
        offset = describe_duration(parse_duration(row.event_offset or "0s"), self.lang)
        lines = [
            Message.bold(
                self.t("⏰ Erinnerung: {title}", "⏰ Reminder: {title}", title=event.title)
            ),
            Message.text(self.t("Beginn: {when}", "Starts: {when}", when=when)),
        ]
        if event.location:
            lines.append(Message.text(self.t("Ort: {p}", "Place: {p}", p=event.location)))
        head = Message.join(lines)
        note = (Message.text("\n") + self._late_note(due)) if late else Message("", "")
        sent = 0
        for recipient in await self.plenum.reminder_recipients(row.event_key or "", due):
            if await self.repo.opted_out(recipient.user_id):
                continue
            message = head
            if recipient.workshop_title:
                message = message + Message.text(
                    self.t(
                        "\nIhr Workshop: {w}", "\nYour workshop: {w}", w=recipient.workshop_title
                    )
                )
            message = (
                message
                + Message.text(
                    self.t(
                        "\n(Sie erhalten diese Erinnerung {o} vorher. Abschalten: "
                        "{p}erinnerungen-aus)",
                        "\n(You get this reminder {o} before. Switch off: {p}reminders-off)",
                        o=offset,
                        p=self.services.config.bot.prefix,
                    )
                )
                + note
            )
            await self.services.poster.post(
                Target.direct(recipient.user_id), message, key=f"{base}:{recipient.user_id}"
            )
            sent += 1
        if event.announce_room:
            await self.services.poster.post(
                Target.room(event.announce_room), head + note, key=f"{base}:room"
            )
        return sent

    # --- commands ---

    @command(
        "erinnerung",
        aliases=["remind"],
        help="Plant eine Erinnerung für diesen oder einen anderen Raum: "
        "[#raum|!raumid] <wann>; <text>, z. B. „morgen 9 Uhr; Plenum-Unterlagen lesen“ "
        "oder „jeden Montag 9 Uhr; Wochenplanung“.",
        help_en="Schedules a reminder for this or another room: [#room|!roomid] <when>; "
        '<text>, e.g. "tomorrow 9am; read the plenum papers" or "every monday 9am; '
        'weekly planning".',
        args=[Arg("wann; text", rest=True, name_en="when; text")],
        permission=Permission.COORDINATOR,
    )
    async def erinnerung(self, ctx: CommandContext, **args: str | None) -> None:
        request = split_request(args.get("wann; text"), ctx.lang, allow_room=True)
        room_id = ctx.room_id
        if request.room is not None:
            found = joined_room(ctx.services, request.room)
            if found is None:
                raise UserError(
                    ctx.t(
                        "Den Raum „{r}“ kenne ich nicht: Ich muss Mitglied des Raums sein "
                        "(Raum-ID „!…“ oder Adresse „#name:server“).",
                        'I do not know the room "{r}": I must be a member of it (room id '
                        '"!…" or address "#name:server").',
                        r=request.room,
                    )
                )
            room_id = found
        if ctx.is_dm and request.room is None:
            raise UserError(
                ctx.t(
                    "Per Direktnachricht bitte den Zielraum angeben ({p}erinnerung #raum:server "
                    "<wann>; <text>) oder für sich selbst {p}erinnere-mich verwenden.",
                    "In a direct message please name the target room ({p}remind #room:server "
                    "<when>; <text>) or use {p}remindme for yourself.",
                    p=ctx.prefix,
                )
            )
        await self._create(ctx, ROOM, request, room_id=room_id)

    @command(
        "erinnere-mich",
        aliases=["remindme"],
        help="Erinnert Sie per Direktnachricht: <wann>; <text>, z. B. „in 2 Stunden; "
        "Rückruf Bauamt“.",
        help_en='Reminds you by direct message: <when>; <text>, e.g. "in 2 hours; call back".',
        args=[Arg("wann; text", rest=True, name_en="when; text")],
        where=Where.DM,
    )
    async def erinnere_mich(self, ctx: CommandContext, **args: str | None) -> None:
        request = split_request(args.get("wann; text"), ctx.lang, allow_room=False)
        await self._create(ctx, PERSONAL, request, user_id=ctx.sender)

    async def _create(
        self,
        ctx: CommandContext,
        kind: str,
        request: Request,
        *,
        room_id: str | None = None,
        user_id: str | None = None,
    ) -> None:
        cfg = ctx.services.config.bot
        parsed = parse_when(
            request.when, ctx.services.clock.now(), self.tz, ctx.lang, cfg.holidays or None
        )
        first = parsed.at if isinstance(parsed, OneOff) else parsed.first
        reminder_id = await self.repo.add(
            kind,
            first,
            created_by=ctx.sender,
            now=ctx.services.clock.timestamp(),
            room_id=room_id,
            user_id=user_id,
            origin_room=ctx.room_id,
            payload=request.text,
            rule=parsed.rule.to_json() if isinstance(parsed, Recurring) else None,
        )
        self._wake_at(reminder_id, first)
        ctx.reply(self._confirmation(ctx, reminder_id, parsed, room_id))

    def _confirmation(
        self, ctx: CommandContext, reminder_id: int, parsed: Parsed, room_id: str | None
    ) -> Message:
        where = ""
        if room_id is not None and room_id != ctx.room_id:
            where = ctx.t(" im Raum {r}", " in room {r}", r=room_id)
        elif room_id is None:
            where = ctx.t(" per Direktnachricht", " by direct message")
        if isinstance(parsed, OneOff):
            text = ctx.t(
                "Erinnerung Nr. {id} gesetzt{where}: {when}.",
                "Reminder no. {id} set{where}: {when}.",
                id=reminder_id,
                where=where,
                when=format_when(parsed.at, self.tz, ctx.lang),
            )
        else:
            text = ctx.t(
                "Wiederkehrende Erinnerung Nr. {id} gesetzt{where}: {rule}; zuerst {when}.",
                "Recurring reminder no. {id} set{where}: {rule}; first {when}.",
                id=reminder_id,
                where=where,
                rule=parsed.rule.describe(ctx.lang),
                when=format_when(parsed.first, self.tz, ctx.lang),
            )
        if parsed.note:
            text += f"\n{parsed.note}"
        text += ctx.t(
            "\nLöschen: {p}erinnerung-loeschen {id}",
            "\nDelete: {p}reminder-delete {id}",
            p=ctx.prefix,
            id=reminder_id,
        )
        return Message.text(text)

    @command(
        "erinnerungen",
        aliases=["reminders"],
        help="Listet die geplanten Erinnerungen, die Sie sehen dürfen (Koordination: alle des "
        "Raums; im Koordinationsraum alle außer persönlichen anderer).",
        help_en="Lists the scheduled reminders you may see (coordinators: all of the room; in "
        "the coordination room all but others' personal ones).",
    )
    async def erinnerungen(self, ctx: CommandContext) -> None:
        if ctx.is_coordinator and ctx.is_coordination_room:
            # Everything scheduled, except other members' personal reminders (private).
            rows = [
                r
                for r in await self.repo.visible(everything=True)
                if r.kind != PERSONAL or r.user_id == ctx.sender
            ]
        elif ctx.is_dm:
            rows = await self.repo.visible(created_by=ctx.sender, personal_for=ctx.sender)
        elif ctx.is_coordinator:
            rows = await self.repo.visible(target_room=ctx.room_id)
        else:
            # In a group room a member sees the reminders they set for this room; personal
            # reminders are listed only in the direct message.
            rows = [
                r
                for r in await self.repo.visible(target_room=ctx.room_id)
                if r.created_by == ctx.sender
            ]
        if not rows:
            ctx.reply(
                ctx.t(
                    "Keine geplanten Erinnerungen. Neue: {p}erinnere-mich <wann>; <text>",
                    "No scheduled reminders. New: {p}remindme <when>; <text>",
                    p=ctx.prefix,
                )
            )
            return
        now = ctx.services.clock.now()
        items = [self._list_item(ctx, row, now) for row in rows[:50]]
        parts = [
            Message.bold(ctx.t("Geplante Erinnerungen", "Scheduled reminders")),
            Message.bullet_list(items),
        ]
        if len(rows) > 50:
            parts.append(
                Message.text(ctx.t("… und {n} weitere.", "… and {n} more.", n=len(rows) - 50))
            )
        ctx.reply(Message.join(parts))

    def _list_item(self, ctx: CommandContext, row: ReminderRow, now: datetime) -> Message:
        kind = {
            ROOM: ctx.t("Raum", "room"),
            PERSONAL: ctx.t("persönlich", "personal"),
            EVENT: ctx.t("Veranstaltung", "event"),
        }.get(row.kind, row.kind)
        rule = Rule.from_json(row.rule) if row.rule else None
        if rule is not None:
            kind += ", " + rule.describe(ctx.lang)
        if row.kind == EVENT:
            text = f"{row.event_key} ({row.event_offset})"
            creator = ctx.t("automatisch", "automatic")
        else:
            text = row.payload if len(row.payload) <= 60 else row.payload[:57] + "…"
            creator = row.created_by
        item = Message.code(str(row.id)) + Message.text(
            f" {format_short(row.due, self.tz, ctx.lang)} · {kind} · {creator}"
        )
        if row.room_id and row.room_id != ctx.room_id:
            item = item + Message.text(f" · {row.room_id}")
        item = item + Message.text(f": {text}")
        if rule is not None and rule.holidays:
            skipped = rule.skipped_holidays(now, row.due, self.tz)
            if skipped:
                names = ", ".join(
                    f"{d:%d.%m.} ({holiday_name(d, rule.holidays, ctx.lang)})" for d in skipped
                )
                item = item + Message.text(
                    ctx.t(" – Feiertag übersprungen: {d}", " – holiday skipped: {d}", d=names)
                )
        return item

    @command(
        "erinnerung-loeschen",
        aliases=["reminder-delete"],
        help="Löscht eine geplante Erinnerung (Nummer aus !erinnerungen; nur wer sie gesetzt "
        "hat, oder die Koordination).",
        help_en="Deletes a scheduled reminder (number from !reminders; its creator or "
        "coordinators only).",
        args=[Arg("nr", name_en="id")],
    )
    async def erinnerung_loeschen(self, ctx: CommandContext, nr: str) -> None:
        number = nr.strip().lstrip("#").lower().removeprefix("nr.").removeprefix("r")
        if not number.isdigit():
            raise UsageError(
                ctx.t(
                    "„{nr}“ ist keine Erinnerungsnummer (siehe {p}erinnerungen).",
                    '"{nr}" is not a reminder number (see {p}reminders).',
                    nr=nr,
                    p=ctx.prefix,
                )
            )
        row = await self.repo.get(int(number))
        # Others' personal reminders and event reminders are not the caller's to see.
        if (
            row is None
            or row.status != "scheduled"
            or row.kind not in (ROOM, PERSONAL)
            or (row.kind == PERSONAL and row.created_by != ctx.sender)
        ):
            raise UserError(
                ctx.t(
                    "Eine geplante Erinnerung Nr. {nr} gibt es nicht (siehe {p}erinnerungen).",
                    "There is no scheduled reminder no. {nr} (see {p}reminders).",
                    nr=number,
                    p=ctx.prefix,
                )
            )
        if row.created_by != ctx.sender and not ctx.is_coordinator:
            raise UserError(
                ctx.t(
                    "Erinnerung Nr. {id} darf nur löschen, wer sie gesetzt hat, oder die "
                    "Koordination.",
                    "Only its creator or a coordinator may delete reminder no. {id}.",
                    id=row.id,
                )
            )
        await self.cancel(row.id)
        ctx.reply(ctx.t("Erinnerung Nr. {id} gelöscht.", "Reminder no. {id} deleted.", id=row.id))

    @command(
        "erinnerungen-aus",
        aliases=["reminders-off"],
        help="Schaltet die Erinnerungen an Veranstaltungen, zu denen Sie angemeldet sind, ab.",
        help_en="Switches off the reminders for events you are registered for.",
    )
    async def erinnerungen_aus(self, ctx: CommandContext) -> None:
        await self.repo.set_opt_out(ctx.sender, True, ctx.services.clock.timestamp())
        ctx.reply(
            ctx.t(
                "Sie erhalten keine Erinnerungen an Veranstaltungen mehr. Wieder an: "
                "{p}erinnerungen-an",
                "You will no longer get event reminders. Back on: {p}reminders-on",
                p=ctx.prefix,
            )
        )

    @command(
        "erinnerungen-an",
        aliases=["reminders-on"],
        help="Schaltet die Erinnerungen an Veranstaltungen wieder ein.",
        help_en="Switches event reminders back on.",
    )
    async def erinnerungen_an(self, ctx: CommandContext) -> None:
        await self.repo.set_opt_out(ctx.sender, False, ctx.services.clock.timestamp())
        ctx.reply(
            ctx.t(
                "Sie erhalten wieder Erinnerungen an Veranstaltungen, zu denen Sie angemeldet "
                "sind.",
                "You will get reminders for the events you are registered for again.",
            )
        )

    # --- personal data ---

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        rows = await self.repo.of_user(user_id)
        return {
            "reminders": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "room_id": r.room_id,
                    "text": r.payload,
                    "due": r.due.isoformat(),
                    "status": r.status,
                    "recurring": Rule.from_json(r.rule).describe("en") if r.rule else None,
                }
                for r in rows
            ],
            "event_reminders_off": await self.repo.opted_out(user_id),
        }

    async def delete_personal_data(self, user_id: str) -> int:
        return await self.repo.delete_user(user_id, ERASED)


class _AlreadyHandled(Exception):
    """Another run handled this occurrence meanwhile; roll back this run's writes."""

    def __init__(self, reminder_id: int) -> None:
        super().__init__(f"reminder {reminder_id} was handled meanwhile")


def joined_room(services: Services, ref: str) -> str | None:
    """A room the bot is joined to, by address or id, from the synced state (no request)."""
    if services.matrix is None:
        return None
    if ref.startswith("#"):
        return services.matrix.room_for_alias(ref)
    return ref if services.matrix.joined_members(ref) is not None else None


def job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


def delivery_key(row: ReminderRow, due: datetime) -> str:
    """The outbox business key of one occurrence: the same occurrence never posts twice.
    SQLite reuses the rowid of a deleted row (erasure), so the creation time (microseconds)
    is part of the key: a new reminder with the old id and due second is still sent."""
    created = round(row.created_at * 1_000_000)
    return f"reminder:{row.id}.{created}:{due.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
