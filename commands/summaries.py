"""Workshop notes, decisions, action items and polls, posted as summaries into rooms.

A room is linked to one workshop (``!workshop-raum``); there the workshop is implied, elsewhere
it is named as ``<event>/<workshop>`` before the text. Entries are rows; a 📌 reaction records
the reacted-to message as a note (its text is fetched from the homeserver after the event's
transaction, never inside it). Polls are native Matrix polls (commands/polls.py); ending one
records its result as a decision. A summary is rendered from the rows when it is shown or
posted; a scheduled summary goes through the reminders machinery (exactly once, survives a
restart) and is rendered at send time, so it contains everything recorded until then.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot import timeparse
from bot.context import CommandContext
from bot.errors import UsageError, UserError
from bot.events import (
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    strip_reply_fallback,
)
from bot.feature import Capability
from bot.formatting import Message
from bot.i18n import pick
from bot.permissions import Permissions
from bot.posting import Target
from bot.registry import Arg, Permission, Where, command, fold
from bot.replies import txn_id
from bot.services import Services
from commands.polls import (
    MAX_OPTIONS,
    MAX_TEXT,
    POLL_END,
    POLL_START,
    poll_end_content,
    poll_start_content,
    tally,
)
from storage.summaries import (
    DELETED_USER,
    Entry,
    PendingPin,
    SummaryRepository,
    WorkshopRef,
    WorkshopRoom,
)

if TYPE_CHECKING:
    from commands.reminders import Reminders

log = logging.getLogger(__name__)

REF = re.compile(r"^([A-Za-z0-9][\w.-]*)/([A-Za-z0-9][\w.-]*)$")
USER = re.compile(r"(?<!\S)(@[^\s:]+:[^\s]+?)(?=[\s,.;!?]*(?:\s|$))")
PIN_KEYS = {"📌", "📍"}
MAX_ENTRY = 4000  # one entry always fits into one summary message
PART_BYTES = 30_000  # per message, body + HTML; Matrix events may have 64 KiB in all
PIN_ATTEMPTS = 5
LISTED_ENTRIES = 50  # !notizen stays one message: the latest entries, long texts shortened
LISTED_CHARS = 150
REMIND_HOUR = 9  # action item reminders at 09:00 local time
WHO_MAY_ADD = {
    "alle": "all",
    "everyone": "all",
    "all": "all",
    "teilnehmende": "attendees",
    "attendees": "attendees",
}
KIND_TITLES = {
    "decision": ("Beschlüsse", "Decisions"),
    "action": ("Aufgaben", "Action items"),
    "note": ("Notizen", "Notes"),
}
KIND_NAMES = {
    "decision": ("Beschluss", "Decision"),
    "action": ("Aufgabe", "Action item"),
    "note": ("Notiz", "Note"),
}


class PlenumView(Protocol):
    """The part of commands/plenum.py's Plenum this capability uses."""

    async def event_info(self, key: str) -> Any | None: ...

    async def is_attendee(self, key: str, user_id: str, workshop: str | None = None) -> bool: ...

    async def attendee_count(self, key: str, workshop: str | None = None) -> int: ...


# --- parsing ---------------------------------------------------------------------------------

WEEKDAYS = {
    **{d: i for i, d in enumerate(("montag", "dienstag", "mittwoch", "donnerstag", "freitag"))},
    "samstag": 5,
    "sonntag": 6,
    **{d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday"))},
    "saturday": 5,
    "sunday": 6,
}


def parse_due(raw: str, today: date, lang: str) -> date:
    """A due date: ``28.01.2027``, ``28.1.``, ``2027-01-28``, ``heute``, ``morgen``,
    ``übermorgen``, a weekday (the next one), ``in 3 Tagen`` / ``in 2 Wochen``."""
    text = fold(raw.strip().rstrip("."))
    relative = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "uebermorgen": 2}
    found: date | None = None
    if text in relative:
        found = today + timedelta(days=relative[text])
    elif text in WEEKDAYS:
        found = today + timedelta(days=(WEEKDAYS[text] - today.weekday() - 1) % 7 + 1)
    elif m := re.fullmatch(
        r"in (\d{1,3}|einem|einer|a|one) (tag|tagen|woche|wochen|days?|weeks?)", text
    ):
        amount = int(m[1]) if m[1].isdigit() else 1
        found = today + timedelta(days=amount * (7 if m[2][0] in "wW" else 1))
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        found = _date(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.?(\d{2}|\d{4})?", text):
        year = int(m[3]) if m[3] else today.year
        year += 2000 if year < 100 else 0
        found = _date(year, int(m[2]), int(m[1]))
        if found is not None and not m[3] and found < today:
            found = _date(year + 1, int(m[2]), int(m[1]))
    if found is None:
        raise UsageError(
            pick(
                lang,
                f"„{raw}“ verstehe ich nicht als Datum; erwartet z. B. 28.01.2027, morgen, "
                "Freitag oder in 2 Wochen.",
                f'I do not understand "{raw}" as a date; expected e.g. 2027-01-28, tomorrow, '
                "Friday or in 2 weeks.",
            )
        )
    if found < today:
        raise UsageError(
            pick(lang, f"Das Datum {raw} liegt in der Vergangenheit.", f"{raw} is in the past.")
        )
    return found


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class ActionText:
    text: str
    owner: str | None
    due: str | None  # the raw "bis …" part


def split_action(text: str, mentioned: tuple[str, ...]) -> ActionText:
    """``<text> [@wer] [bis <wann>]``: the owner is a written user id or the first mention."""
    owner = None
    if m := USER.search(text):
        owner = m[1]
        text = re.sub(r"\s{2,}", " ", text[: m.start()] + text[m.end() :]).strip()
    elif mentioned:
        owner = mentioned[0]
    due = None
    if m := re.search(r"\s(?:bis|until|by)\s+(\S.*)$", " " + text, re.IGNORECASE):
        due = m[1].strip()
        text = (" " + text)[: m.start()].strip()
    return ActionText(text.strip(" ,;-–"), owner, due)


def ref_of(word: str) -> WorkshopRef | None:
    """``<event>/<workshop>``; keys are case-insensitive (stored folded, as the plenum does)."""
    m = REF.match(word)
    return WorkshopRef(m[1].casefold(), m[2].casefold()) if m else None


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryData:
    ref: WorkshopRef
    workshop_title: str
    event_title: str | None
    starts: datetime | None
    location: str | None
    participants: int | None
    entries: tuple[Entry, ...]

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


def format_day(day: date, lang: str) -> str:
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")


def action_details(entry: Entry, lang: str) -> str:
    parts = []
    if entry.owner:
        parts.append(pick(lang, "zuständig: ", "owner: ") + entry.owner)
    if entry.due_date:
        parts.append(pick(lang, "bis ", "due ") + format_day(entry.due_date, lang))
    if entry.done_at is not None:
        parts.append(pick(lang, "erledigt", "done"))
    return f" ({', '.join(parts)})" if parts else ""


def action_key(entry: Entry, what: str) -> str:
    """The outbox key of an action item's reminder. Not from the row id: SQLite gives a
    deleted entry's id to the next one, whose reminder would then count as sent already."""
    origin = entry.source_event_id or f"{entry.ref}@{entry.created_at!r}"
    return f"action:{origin}:{what}:{entry.due_date}"


def entry_line(entry: Entry, lang: str, shorten: int | None = None) -> Message:
    """An entry as a list item; ``shorten`` cuts long texts (listings, not summaries)."""
    words = entry.text
    if shorten is not None and len(words) > shorten:
        words = words[:shorten].rstrip() + "…"
    text = Message.text(words)
    if entry.kind == "action":
        text = text + action_details(entry, lang)
    return text


def summary_blocks(
    data: SummaryData, lang: str, tz: Any
) -> tuple[Message, list[tuple[str, list[Message]]]]:
    """The header and the sections (title, items) of a summary, in order."""
    title = pick(lang, "Zusammenfassung: ", "Summary: ") + data.workshop_title
    meta = []
    if data.event_title:
        meta.append(data.event_title)
    if data.starts is not None:
        meta.append(format_day(data.starts.astimezone(tz).date(), lang))
    if data.location:
        meta.append(data.location)
    if data.participants is not None:
        meta.append(pick(lang, "Angemeldete: ", "Registered: ") + str(data.participants))
    header = Message.heading(title, 3)
    if meta:
        header = header + NL + Message.text(" · ".join(meta))
    sections = []
    for kind in ("decision", "action", "note"):
        items = [entry_line(e, lang) for e in data.of_kind(kind)]
        if items:
            sections.append((pick(lang, *KIND_TITLES[kind]), items))
    return header, sections


def _size(message: Message) -> int:
    return len(message.body.encode()) + len(message.html.encode())


NL = Message("\n", "")  # a line break in the plain body; the HTML blocks break by themselves


def section(title: str, items: list[Message], continued: bool, lang: str) -> Message:
    more = pick(lang, " (Fortsetzung)", " (continued)") if continued else ""
    return NL + Message.heading(title + more, 4) + NL + Message.bullet_list(items)


def render_summary(data: SummaryData, lang: str, tz: Any, limit: int = PART_BYTES) -> list[Message]:
    """One or more messages; a long summary is split between items, never inside one, and a
    section that continues in the next message says so in its heading."""
    header, sections = summary_blocks(data, lang, tz)
    if not sections:
        return [header + NL + Message.text(pick(lang, "Noch keine Einträge.", "No entries yet."))]
    parts: list[Message] = []
    current = header
    for title, items in sections:
        chunk: list[Message] = []
        continued = False
        for item in items:
            candidate = current + section(title, [*chunk, item], continued, lang)
            if _size(candidate) <= limit or (not chunk and not current.body):
                chunk.append(item)
                continue
            if chunk:
                current = current + section(title, chunk, continued, lang)
                continued = True
            parts.append(current)
            current, chunk = Message("", ""), [item]
        if chunk:
            current = current + section(title, chunk, continued, lang)
    parts.append(current)
    return parts


def _md(text: str) -> str:
    """Markdown without surprises: user text cannot open lists, links, emphasis or HTML."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", text).replace("\n", "  \n")


def render_markdown(data: SummaryData, lang: str, tz: Any) -> str:
    """For the minutes and the archive (``vir-bot summary … --format markdown``)."""
    header, _ = summary_blocks(data, lang, tz)
    lines = [f"# {_md(header.body.splitlines()[0])}"]
    if len(header.body.splitlines()) > 1:
        lines += ["", _md(header.body.splitlines()[1])]
    for kind in ("decision", "action", "note"):
        entries = data.of_kind(kind)
        if entries:
            lines += ["", f"## {pick(lang, *KIND_TITLES[kind])}", ""]
            lines += [
                f"- {_md(e.text)}{_md(action_details(e, lang)) if e.kind == 'action' else ''}"
                for e in entries
            ]
    if not data.entries:
        lines += ["", pick(lang, "Noch keine Einträge.", "No entries yet.")]
    return "\n".join(lines) + "\n"


# --- the capability --------------------------------------------------------------------------


class Summaries(Capability):
    name = "summaries"

    def __init__(
        self,
        services: Services,
        plenum: PlenumView | None = None,
        reminders: Reminders | None = None,
    ) -> None:
        super().__init__(services)
        self.plenum = plenum
        self.reminders = reminders
        self.repo = SummaryRepository(services.db)
        self._pins_running = False
        self._pins_again = False
        if reminders is not None:
            reminders.register_kind("summary", self.render_scheduled, self.report_missed)

    @property
    def lang(self) -> str:
        return self.services.config.bot.language

    @property
    def tz(self) -> Any:
        return self.services.config.bot.tz

    def t(self, de: str, en: str) -> str:
        return pick(self.lang, de, en)

    async def start(self) -> None:
        await self.schedule_actions()
        if await self.repo.pending_pins():
            self.services.jobs.at("summaries:pins", self.services.clock.now(), self.process_pins)

    # --- workshops ---------------------------------------------------------------------

    async def check_ref(self, ctx: CommandContext, ref: WorkshopRef) -> None:
        """With the plenum present, the event and its workshop must exist."""
        if self.plenum is None:
            return
        info = await self.plenum.event_info(ref.event_key)
        if info is None:
            raise UserError(
                ctx.t(
                    "Die Veranstaltung „{e}“ kenne ich nicht.",
                    'I do not know the event "{e}".',
                    e=ref.event_key,
                )
            )
        keys = [w.key for w in info.workshops]
        if ref.workshop_key not in keys:
            raise UserError(
                ctx.t(
                    "„{w}“ ist kein Workshop von {e}. Workshops: {all}",
                    '"{w}" is not a workshop of {e}. Workshops: {all}',
                    w=ref.workshop_key,
                    e=ref.event_key,
                    all=", ".join(keys) or "–",
                )
            )

    async def resolve(self, ctx: CommandContext, word: str | None) -> WorkshopRef:
        """The named workshop (``<event>/<workshop>`` or, in a linked room, a workshop of
        the same event), else the room's."""
        room = await self.repo.room(ctx.room_id)
        if word is None:
            if room is None:
                raise UsageError(self.not_linked(ctx))
            return room.ref
        ref = ref_of(word)
        if ref is None and room is not None and re.fullmatch(r"[\w.-]+", word):
            ref = WorkshopRef(room.ref.event_key, word.casefold())
        if ref is None:
            raise UsageError(self.not_linked(ctx))
        await self.check_ref(ctx, ref)
        return ref

    def not_linked(self, ctx: CommandContext) -> str:
        return ctx.t(
            "Dieser Raum ist keinem Workshop zugeordnet. Bitte den Workshop als "
            "<veranstaltung>/<workshop> angeben, z. B. {p}notiz plenum-2027/e-rechnung Text.",
            "This room is not linked to a workshop. Please name the workshop as "
            "<event>/<workshop>, e.g. {p}note plenum-2027/e-invoicing text.",
            p=ctx.prefix,
        )

    async def workshop_title(self, ref: WorkshopRef) -> tuple[str, Any | None]:
        info = await self.plenum.event_info(ref.event_key) if self.plenum else None
        if info is not None:
            for workshop in info.workshops:
                if workshop.key == ref.workshop_key:
                    return workshop.title, info
        return str(ref), info

    @command(
        "workshop-raum",
        aliases=["workshop-room"],
        help="Verknüpft diesen Raum mit einem Workshop (Notizen, Beschlüsse, Abstimmungen). "
        "Wer Einträge machen darf: teilnehmende (angemeldete) oder alle im Raum (Standard). "
        "„aus“ hebt die Verknüpfung auf.",
        help_en="Links this room to a workshop (notes, decisions, polls). Who may add entries: "
        'attendees (registered) or everyone in the room (default). "off" unlinks it.',
        args=(
            Arg("veranstaltung", name_en="event"),
            Arg("workshop", optional=True),
            Arg("wer", optional=True, name_en="who"),
        ),
        permission=Permission.COORDINATOR,
        where=Where.ROOM | Where.COORDINATION,
    )
    async def workshop_raum(
        self, ctx: CommandContext, veranstaltung: str, workshop: str | None, wer: str | None
    ) -> None:
        if fold(veranstaltung) in ("aus", "off") and workshop is None:
            if await self.repo.unlink_room(ctx.room_id):
                ctx.reply(ctx.t("Der Raum ist keinem Workshop mehr zugeordnet.", "Room unlinked."))
            else:
                ctx.reply(ctx.t("Der Raum war keinem Workshop zugeordnet.", "Room was not linked."))
            return
        if workshop is None:
            raise UsageError(ctx.t("Es fehlt: <workshop>.", "Missing: <workshop>."))
        mode = WHO_MAY_ADD.get(fold(wer or "alle"))
        if mode is None:
            raise UsageError(
                ctx.t(
                    "Wer Einträge machen darf: „teilnehmende“ oder „alle“, nicht „{w}“.",
                    'Who may add entries: "attendees" or "everyone", not "{w}".',
                    w=wer,
                )
            )
        if mode == "attendees" and self.plenum is None:
            raise UserError(
                ctx.t(
                    "Ohne Anmeldungen (Plenum) kann ich Teilnehmende nicht prüfen; bitte „alle“.",
                    'Without registrations (plenum) I cannot check attendees; use "everyone".',
                )
            )
        ref = ref_of(f"{veranstaltung}/{workshop}")
        if ref is None:
            raise UsageError(
                ctx.t(
                    "Veranstaltung und Workshop bitte als kurze Schlüssel ohne Leerzeichen "
                    "und „/“.",
                    "Event and workshop as short keys without spaces and '/'.",
                )
            )
        await self.check_ref(ctx, ref)
        await self.repo.link_room(
            ctx.room_id, ref, mode, ctx.sender, self.services.clock.timestamp()
        )
        title, _ = await self.workshop_title(ref)
        if title != str(ref):
            title = f"{title} ({ref})"
        who = ctx.t("alle im Raum", "everyone in the room")
        if mode == "attendees":
            who = ctx.t("angemeldete Teilnehmende", "registered attendees")
        ctx.reply(
            ctx.t(
                "Dieser Raum gehört jetzt zum Workshop {t}. Einträge machen: {who} und "
                "die Koordination. {p}notiz, {p}beschluss, {p}aufgabe, 📌 auf eine Nachricht.",
                "This room now belongs to the workshop {t}. Entries by: {who} and the "
                "coordinators. {p}note, {p}decision, {p}action, 📌 on a message.",
                t=title,
                who=who,
                p=ctx.prefix,
            )
        )

    # --- entries -----------------------------------------------------------------------

    async def entry_target(self, ctx: CommandContext, text: str | None) -> tuple[WorkshopRef, str]:
        """The workshop (implied by a linked room, else the first word) and the entry text;
        refuses callers who may not add entries there."""
        text = (text or "").strip()
        room = await self.repo.room(ctx.room_id)
        if room is not None:
            ref = room.ref
        else:
            first, _, rest = text.partition(" ")
            parsed = ref_of(first)
            if parsed is None:
                raise UsageError(self.not_linked(ctx))
            await self.check_ref(ctx, parsed)
            ref, text = parsed, rest.strip()
        if not text:
            raise UsageError(ctx.t("Es fehlt der Text.", "The text is missing."))
        if len(text) > MAX_ENTRY:
            raise UserError(
                ctx.t(
                    "Ein Eintrag darf höchstens {n} Zeichen lang sein.",
                    "An entry may have at most {n} characters.",
                    n=MAX_ENTRY,
                )
            )
        if not await self.may_add(ctx.sender, ctx.is_coordinator, ref, room):
            raise UserError(
                ctx.t(
                    "Einträge zu diesem Workshop machen die angemeldeten Teilnehmenden und die "
                    "Koordination.",
                    "Entries for this workshop are made by its registered attendees and the "
                    "coordinators.",
                )
            )
        return ref, text

    async def may_add(
        self, user_id: str, is_coordinator: bool, ref: WorkshopRef, room: WorkshopRoom | None
    ) -> bool:
        if is_coordinator:
            return True
        if room is not None and room.ref == ref and room.who_may_add == "all":
            return True
        if self.plenum is None:
            return False
        return await self.plenum.is_attendee(ref.event_key, user_id, ref.workshop_key)

    async def may_own(self, owner: str, ref: WorkshopRef, room_id: str) -> bool:
        """The bot sends an owner direct messages: only people of this room, the workshop's
        event or the coordination, never any Matrix id someone types."""
        if owner in (self.joined(room_id) or ()):
            return True
        access = self.services.config.access
        if owner in access.coordinators:
            return True
        if access.coordination_room and owner in (self.joined(access.coordination_room) or ()):
            return True
        return self.plenum is not None and await self.plenum.is_attendee(ref.event_key, owner)

    async def add(self, ctx: CommandContext, kind: str, text: str | None) -> None:
        ref, text = await self.entry_target(ctx, text)
        owner = due = None
        if kind == "action":
            mentioned = tuple(
                u for u in ctx.message.mentioned_user_ids if u != self.services.own_user_id
            )
            parts = split_action(text, mentioned)
            if not parts.text:
                raise UsageError(ctx.t("Es fehlt die Aufgabe.", "The task is missing."))
            today = self.services.clock.now().astimezone(self.tz).date()
            due = parse_due(parts.due, today, ctx.lang) if parts.due else None
            text, owner = parts.text, parts.owner
            if owner is not None and not await self.may_own(owner, ref, ctx.room_id):
                raise UserError(
                    ctx.t(
                        "{o} ist weder in diesem Raum noch für {e} angemeldet. Zuständig sein "
                        "(und erinnert werden) kann nur, wer im Raum ist, angemeldet ist oder "
                        "zur Koordination gehört.",
                        "{o} is neither in this room nor registered for {e}. Only members of "
                        "the room, registered attendees and coordinators can own (and be "
                        "reminded of) an action item.",
                        o=owner,
                        e=ref.event_key,
                    )
                )
        entry_id = await self.repo.add_entry(
            ref,
            kind,
            text,
            ctx.sender,
            self.services.clock.timestamp(),
            room_id=ctx.room_id,
            source_event_id=ctx.message.event_id,
            owner=owner,
            due_date=due,
        )
        if due is not None:
            self.services.db.after_commit(self.schedule_actions_soon)
        name = ctx.t(*KIND_NAMES[kind])
        reply = Message.text(
            ctx.t(
                "{k} {i} für {r} notiert",
                "{k} {i} recorded for {r}",
                k=name,
                i=entry_id,
                r=str(ref),
            )
        )
        if kind == "action":
            entry = await self.repo.entry(entry_id or 0)
            if entry is not None:
                reply = reply + action_details(entry, ctx.lang)
        ctx.reply(reply + ".")

    @command(
        "notiz",
        aliases=["note"],
        help="Notiert etwas für den Workshop (im Workshop-Raum, sonst <veranstaltung>/<workshop> "
        "vor den Text).",
        help_en="Records a note for the workshop (in its room, elsewhere put "
        "<event>/<workshop> before the text).",
        args=(Arg("text", rest=True),),
    )
    async def notiz(self, ctx: CommandContext, text: str) -> None:
        await self.add(ctx, "note", text)

    @command(
        "beschluss",
        aliases=["decision"],
        help="Hält einen Beschluss des Workshops fest.",
        help_en="Records a decision of the workshop.",
        args=(Arg("text", rest=True),),
    )
    async def beschluss(self, ctx: CommandContext, text: str) -> None:
        await self.add(ctx, "decision", text)

    @command(
        "aufgabe",
        aliases=["action"],
        help="Hält eine Aufgabe fest: <text> [@wer] [bis <wann>]; die zuständige Person wird "
        "einen Tag vorher erinnert.",
        help_en="Records an action item: <text> [@who] [until <when>]; the owner is reminded "
        "one day before.",
        args=(Arg("text", rest=True),),
    )
    async def aufgabe(self, ctx: CommandContext, text: str) -> None:
        await self.add(ctx, "action", text)

    @command(
        "notizen",
        aliases=["notes"],
        help="Zeigt Notizen, Beschlüsse und Aufgaben des Workshops mit ihren Nummern.",
        help_en="Lists the workshop's notes, decisions and action items with their numbers.",
        args=(Arg("workshop", optional=True),),
    )
    async def notizen(self, ctx: CommandContext, workshop: str | None) -> None:
        ref = await self.resolve(ctx, workshop)
        await self.check_may_read(ctx, ref)
        entries = await self.repo.entries(ref)
        if not entries:
            ctx.reply(
                ctx.t(
                    "Zu {r} ist noch nichts notiert.", "Nothing recorded for {r} yet.", r=str(ref)
                )
            )
            return
        parts = [Message.bold(ctx.t("Einträge zu {r}", "Entries for {r}", r=str(ref)))]
        for kind in ("decision", "action", "note"):
            items = [
                Message.text(f"{e.id}: ") + entry_line(e, ctx.lang, shorten=LISTED_CHARS)
                for e in entries[-LISTED_ENTRIES:]
                if e.kind == kind
            ]
            if items:
                parts.append(
                    Message.join(
                        [Message.text(ctx.t(*KIND_TITLES[kind]) + ":"), Message.bullet_list(items)]
                    )
                )
        if len(entries) > LISTED_ENTRIES:
            parts.append(
                Message.text(
                    ctx.t(
                        "(die letzten {n} von {all}; alle: {p}zusammenfassung)",
                        "(the last {n} of {all}; all: {p}summary)",
                        n=LISTED_ENTRIES,
                        all=len(entries),
                        p=ctx.prefix,
                    )
                )
            )
        parts.append(
            Message.text(
                ctx.t(
                    "Entfernen: {p}notiz-entfernen <nummer>",
                    "Remove: {p}note-remove <number>",
                    p=ctx.prefix,
                )
            )
        )
        ctx.reply(Message.join(parts))

    async def check_may_read(self, ctx: CommandContext, ref: WorkshopRef) -> None:
        """A workshop's entries (texts, owners) are shown where they were made, to the
        coordination, or by DM to its attendees and the members of its rooms; not in a lobby."""
        room = await self.repo.room(ctx.room_id)
        if (room is not None and room.ref == ref) or ctx.is_coordination_room:
            return
        if ctx.is_dm and await self.may_read(ctx.sender, ctx.is_coordinator, ref):
            return
        raise UserError(
            ctx.t(
                "Die Einträge von {r} zeige ich nur im Workshop-Raum, im Koordinationsraum "
                "oder per Direktnachricht an Angemeldete und die Koordination.",
                "I show the entries of {r} only in the workshop's room, the coordination room "
                "or by direct message to its attendees and the coordinators.",
                r=str(ref),
            )
        )

    async def may_read(self, user_id: str, is_coordinator: bool, ref: WorkshopRef) -> bool:
        if is_coordinator:
            return True
        for room_id in await self.repo.rooms_of(ref):
            if user_id in (self.joined(room_id) or ()):
                return True
        return self.plenum is not None and await self.plenum.is_attendee(
            ref.event_key, user_id, ref.workshop_key
        )

    async def own_entry(self, ctx: CommandContext, number: str) -> Entry:
        if not number.lstrip("#").isdigit():
            raise UsageError(
                ctx.t("Bitte die Nummer des Eintrags angeben.", "Please give the entry's number.")
            )
        entry = await self.repo.entry(int(number.lstrip("#")))
        if entry is None:
            raise UserError(
                ctx.t("Einen Eintrag {n} gibt es nicht.", "There is no entry {n}.", n=number)
            )
        return entry

    @command(
        "notiz-entfernen",
        aliases=["note-remove"],
        help="Entfernt einen Eintrag (Notiz, Beschluss, Aufgabe); wer ihn gemacht hat oder "
        "die Koordination.",
        help_en="Removes an entry (note, decision, action item); its author or a coordinator.",
        args=(Arg("nummer", name_en="number"),),
    )
    async def notiz_entfernen(self, ctx: CommandContext, nummer: str) -> None:
        entry = await self.own_entry(ctx, nummer)
        if entry.author != ctx.sender and not ctx.is_coordinator:
            raise UserError(
                ctx.t(
                    "Entfernen darf nur, wer den Eintrag gemacht hat, oder die Koordination.",
                    "Only the entry's author or a coordinator may remove it.",
                )
            )
        await self.repo.remove_entry(entry.id)
        ctx.reply(ctx.t("Eintrag {n} entfernt.", "Entry {n} removed.", n=entry.id))

    @command(
        "aufgaben",
        aliases=["actions"],
        help="Zeigt die offenen Aufgaben des Workshops (im Workshop-Raum, Koordinationsraum "
        "oder per DM), ohne Workshop die eigenen.",
        help_en="Lists the workshop's open action items (in its room, the coordination room or "
        "by DM); without a workshop your own.",
        args=(Arg("workshop", optional=True),),
    )
    async def aufgaben(self, ctx: CommandContext, workshop: str | None) -> None:
        ref: WorkshopRef | None = None
        if workshop is not None or await self.repo.room(ctx.room_id) is not None:
            ref = await self.resolve(ctx, workshop)
            await self.check_may_read(ctx, ref)
        actions = await self.repo.open_actions(ref)
        title = ctx.t("Offene Aufgaben", "Open action items")
        everyone = ctx.is_coordination_room or (ctx.is_dm and ctx.is_coordinator)
        if ref is None and not everyone:
            # Without a workshop: the caller's own items only (all would name every owner).
            actions = [a for a in actions if a.owner == ctx.sender]
            title = ctx.t("Ihre offenen Aufgaben", "Your open action items")
        if not actions:
            ctx.reply(ctx.t("Keine offenen Aufgaben.", "No open action items."))
            return
        items = [
            Message.text(f"{e.id}: ") + entry_line(e, ctx.lang) + ("" if ref else f" – {e.ref}")
            for e in actions
        ]
        # Joined with line breaks: the plain body would run heading and items together.
        ctx.reply(
            Message.join(
                [
                    Message.bold(title),
                    Message.bullet_list(items),
                    Message.text(
                        ctx.t(
                            "Erledigt: {p}erledigt <nummer>", "Done: {p}done <number>", p=ctx.prefix
                        )
                    ),
                ]
            )
        )

    @command(
        "erledigt",
        aliases=["done"],
        help="Schließt eine Aufgabe ab (die zuständige Person, wer sie notiert hat, oder die "
        "Koordination).",
        help_en="Closes an action item (its owner, its author or a coordinator).",
        args=(Arg("nummer", name_en="number"),),
    )
    async def erledigt(self, ctx: CommandContext, nummer: str) -> None:
        entry = await self.own_entry(ctx, nummer)
        if entry.kind != "action":
            raise UserError(
                ctx.t(
                    "Eintrag {n} ist keine Aufgabe.", "Entry {n} is not an action item.", n=entry.id
                )
            )
        if ctx.sender not in (entry.owner, entry.author) and not ctx.is_coordinator:
            raise UserError(
                ctx.t(
                    "Abschließen darf die zuständige Person, wer die Aufgabe notiert hat, oder "
                    "die Koordination.",
                    "Only the owner, the author or a coordinator may close it.",
                )
            )
        if not await self.repo.mark_done(entry.id, ctx.sender, self.services.clock.timestamp()):
            ctx.reply(
                ctx.t(
                    "Aufgabe {n} war schon erledigt.",
                    "Action item {n} was already done.",
                    n=entry.id,
                )
            )
            return
        ctx.reply(ctx.t("Aufgabe {n} ist erledigt.", "Action item {n} is done.", n=entry.id))

    # --- 📌 ------------------------------------------------------------------------------

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        if reaction.key.replace("\ufe0f", "") not in PIN_KEYS:
            return
        if await self.repo.room(reaction.room_id) is None:
            return
        await self.repo.add_pending_pin(
            reaction.event_id,
            reaction.room_id,
            reaction.reacts_to,
            reaction.sender,
            self.services.clock.timestamp(),
        )
        # The message text is fetched after this transaction: no request inside it.
        self.services.db.after_commit(self.process_pins_soon)

    def process_pins_soon(self) -> None:
        if self._pins_running:
            # A job added now would be skipped (one instance at a time): the run loops instead.
            self._pins_again = True
            return
        self.services.jobs.at("summaries:pins", self.services.clock.now(), self.process_pins)

    async def process_pins(self) -> None:
        """Turn pending 📌 into notes until none is left that this run has not tried (a 📌
        arriving meanwhile is taken in the same run)."""
        self._pins_running = True
        try:
            tried: set[str] = set()
            retry = False
            self._pins_again = True
            while self._pins_again:
                self._pins_again = False
                fresh = [
                    p for p in await self.repo.pending_pins() if p.reaction_event_id not in tried
                ]
                tried.update(p.reaction_event_id for p in fresh)
                retry = await self.process_pin_batch(fresh) or retry
        finally:
            self._pins_running = False
        if retry:
            later = self.services.clock.now() + timedelta(seconds=60)
            self.services.jobs.at("summaries:pins", later, self.process_pins)

    async def process_pin_batch(self, pins: list[PendingPin]) -> bool:
        """Fetch each message, check who pinned it, record it; True if one is to be retried."""
        retry = False
        for pin in pins:
            try:
                done = await self.process_pin(pin)
            except Exception:
                log.warning("could not record the 📌 %s yet", pin.reaction_event_id, exc_info=True)
                done = False
            if done:
                continue
            if pin.attempts + 1 >= PIN_ATTEMPTS:
                log.warning("giving up on the 📌 %s", pin.reaction_event_id)
                await self.repo.drop_pending_pin(pin.reaction_event_id)
            else:
                await self.repo.pin_failed(pin.reaction_event_id)
                retry = True
        return retry

    async def process_pin(self, pin: Any) -> bool:
        """True when the pin is settled (recorded or refused), False to try again later."""
        matrix = self.services.matrix
        if matrix is None:
            return False
        room = await self.repo.room(pin.room_id)
        if room is None:
            await self.repo.drop_pending_pin(pin.reaction_event_id)
            return True
        message = await matrix.fetch_message(pin.room_id, pin.target_event_id)
        if message is None or not message.body.strip():
            await self.repo.drop_pending_pin(pin.reaction_event_id)
            return True
        allowed = room.who_may_add == "all" or await self.may_add(
            pin.sender,
            await Permissions(self.services.config.access, matrix).is_coordinator(pin.sender),
            room.ref,
            room,
        )
        async with self.services.db.transaction():
            # Still pending? (A redacted 📌 meanwhile removed it.)
            if not await self.repo.drop_pending_pin(pin.reaction_event_id):
                return True
            if allowed:
                text = strip_reply_fallback(message.body).strip()
                if len(text) > MAX_ENTRY:  # a summary item must fit into one message
                    text = text[: MAX_ENTRY - 1] + "…"
                await self.repo.add_entry(
                    room.ref,
                    "note",
                    text,
                    pin.sender,
                    self.services.clock.timestamp(),
                    room_id=pin.room_id,
                    source_event_id=pin.target_event_id,
                    pin_reaction_id=pin.reaction_event_id,
                )
        return True

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        # Only the author's own redaction in the entry's room counts (no power-level check:
        # that needs the room state from the server; coordinators have !notiz-entfernen).
        r = redaction
        await self.repo.remove_by_source(r.redacts, r.room_id, r.sender)
        await self.repo.remove_vote_event(r.redacts, r.room_id, r.sender)

    # --- polls ---------------------------------------------------------------------------

    @command(
        "abstimmung",
        aliases=["poll"],
        help="Startet eine Abstimmung im Workshop-Raum: <Frage>; <Option>; <Option>…",
        help_en="Starts a poll in the workshop room: <question>; <option>; <option>…",
        args=(Arg("frage", rest=True, name_en="question"),),
        permission=Permission.COORDINATOR,
        where=Where.ROOM | Where.COORDINATION,
    )
    async def abstimmung(self, ctx: CommandContext, frage: str) -> None:
        room = await self.repo.room(ctx.room_id)
        if room is None:
            raise UserError(self.not_linked_for_poll(ctx))
        parts = [p.strip() for p in frage.split(";")]
        question, options = parts[0], tuple(p for p in parts[1:] if p)
        if not question or len(options) < 2:
            raise UsageError(
                ctx.t(
                    "Bitte Frage und mindestens zwei Optionen, getrennt durch „;“, z. B. "
                    "{p}abstimmung Projekt starten?; Ja; Nein; Enthaltung",
                    "Please give a question and at least two options separated by ';', e.g. "
                    "{p}poll Start the project?; Yes; No; Abstain",
                    p=ctx.prefix,
                )
            )
        if len(options) > MAX_OPTIONS or len(set(map(fold, options))) != len(options):
            raise UsageError(
                ctx.t(
                    "Höchstens {n} verschiedene Optionen.",
                    "At most {n} different options.",
                    n=MAX_OPTIONS,
                )
            )
        if max(len(question), *map(len, options)) > MAX_TEXT:
            raise UsageError(
                ctx.t(
                    "Frage und Optionen höchstens {n} Zeichen.",
                    "Question and options at most {n} characters.",
                    n=MAX_TEXT,
                )
            )
        poll_id = await self.repo.add_poll(
            room.ref, ctx.room_id, question, options, ctx.sender, self.services.clock.timestamp()
        )
        await self.services.poster.post_content(
            Target.room(ctx.room_id),
            poll_start_content(question, options),
            key=f"poll:{poll_id}",
            event_type=POLL_START,
        )
        ctx.reply(
            ctx.t(
                "Abstimmung {i} läuft. Ohne Umfrage-Anzeige: Optionen {o}. Beenden: "
                "{p}abstimmung-beenden",
                "Poll {i} is open. Without poll display: options {o}. End it: {p}poll-end",
                i=poll_id,
                o=", ".join(f"{n}. {o}" for n, o in enumerate(options, start=1)),
                p=ctx.prefix,
            )
        )

    def not_linked_for_poll(self, ctx: CommandContext) -> str:
        return ctx.t(
            "Abstimmungen gibt es nur in einem Workshop-Raum ({p}workshop-raum).",
            "Polls only run in a workshop room ({p}workshop-room).",
            p=ctx.prefix,
        )

    @command(
        "abstimmung-beenden",
        aliases=["poll-end"],
        help="Beendet die (letzte oder genannte) Abstimmung des Raums und hält das Ergebnis "
        "als Beschluss fest.",
        help_en="Ends the room's (latest or given) poll and records the result as a decision.",
        args=(Arg("nummer", optional=True, name_en="number"),),
        permission=Permission.COORDINATOR,
        where=Where.ROOM | Where.COORDINATION,
    )
    async def abstimmung_beenden(self, ctx: CommandContext, nummer: str | None) -> None:
        polls = await self.repo.open_polls(ctx.room_id)
        if nummer is not None:
            polls = [p for p in polls if str(p.id) == nummer.lstrip("#")]
        if not polls:
            raise UserError(
                ctx.t("Hier läuft keine solche Abstimmung.", "No such poll is open here.")
            )
        poll = polls[0]
        start_event = await self.repo.sent_event_id(txn_id(f"poll:{poll.id}"))
        if start_event is None:
            raise UserError(
                ctx.t(
                    "Die Abstimmung ist noch nicht im Raum angekommen; bitte gleich noch einmal.",
                    "The poll has not reached the room yet; please try again in a moment.",
                )
            )
        result = tally(poll.options, await self.repo.votes(start_event), ctx.message.server_ts)
        counts = ", ".join(f"{o}: {c}" for o, c in zip(result.options, result.counts, strict=True))
        winners = result.winners()
        if not winners:
            outcome = ctx.t("keine Stimmen", "no votes")
        elif len(winners) == 1:
            outcome = ctx.t("angenommen: {w}", "carried: {w}", w=winners[0])
        else:
            outcome = ctx.t("Gleichstand: {w}", "tie: {w}", w=" / ".join(winners))
        text = ctx.t(
            "Abstimmung „{q}“: {c} ({n} Stimme{s}) – {o}",
            'Poll "{q}": {c} ({n} vote{s}) – {o}',
            s=ctx.t("", "") if result.total == 1 else ctx.t("n", "s"),
            q=poll.question,
            c=counts,
            n=result.total,
            o=outcome,
        )
        now = self.services.clock.timestamp()
        decision = await self.repo.add_entry(
            poll.ref,
            "decision",
            text,
            ctx.sender,
            now,
            room_id=ctx.room_id,
            source_event_id=ctx.message.event_id,
        )
        await self.repo.end_poll(poll.id, now, decision)
        await self.services.poster.post_content(
            Target.room(poll.room_id),
            poll_end_content(start_event, text),
            key=f"poll-end:{poll.id}",
            event_type=POLL_END,
        )
        ctx.reply(
            Message.text(text + "\n")
            + Message.text(
                ctx.t("Als Beschluss {i} festgehalten.", "Recorded as decision {i}.", i=decision)
            )
        )

    async def on_poll_response(self, vote: IncomingPollResponse) -> None:
        # Only rooms with a poll of ours: other polls are none of the bot's business.
        if not await self.repo.open_polls(vote.room_id):
            return
        await self.repo.record_vote(
            vote.poll_event_id,
            vote.sender,
            vote.room_id,
            vote.answers,
            vote.server_ts,
            vote.event_id,
        )

    # --- summaries -------------------------------------------------------------------------

    async def summary_data(self, ref: WorkshopRef) -> SummaryData:
        title, info = await self.workshop_title(ref)
        participants = None
        if self.plenum is not None and info is not None:
            participants = await self.plenum.attendee_count(ref.event_key, ref.workshop_key)
        return SummaryData(
            ref=ref,
            workshop_title=title,
            event_title=getattr(info, "title", None),
            starts=getattr(info, "starts", None),
            location=getattr(info, "location", None),
            participants=participants,
            entries=tuple(await self.repo.entries(ref)),
        )

    async def render(self, ref: WorkshopRef) -> list[Message]:
        return render_summary(await self.summary_data(ref), self.lang, self.tz)

    @command(
        "zusammenfassung",
        aliases=["summary"],
        help="Zeigt die Zusammenfassung eines Workshops als Vorschau.",
        help_en="Shows a preview of a workshop's summary.",
        args=(Arg("workshop", optional=True),),
        permission=Permission.COORDINATOR,
    )
    async def zusammenfassung(self, ctx: CommandContext, workshop: str | None) -> None:
        ref = await self.resolve(ctx, workshop)
        parts = await self.render(ref)
        hint = ctx.t(
            "Vorschau. Posten: {p}zusammenfassung-posten {r} [in <raum>] [; <wann>]",
            "Preview. Post it: {p}summary-post {r} [in <room>] [; <when>]",
            p=ctx.prefix,
            r=str(ref),
        )
        if len(parts) > 1:
            hint += ctx.t(
                " (Teil 1 von {n}, die weiteren folgen)",
                " (part 1 of {n}, the others follow)",
                n=len(parts),
            )
        # One reply carries one part: a long summary would exceed a Matrix event's size.
        ctx.reply(Message.text(hint + "\n") + parts[0])
        for part in parts[1:]:
            ctx.post_to_room(ctx.room_id, part, msgtype="m.notice")

    def joined(self, room_id: str) -> set[str] | None:
        """Who is in a room the bot is in (as of the last sync); None if it is not in it."""
        matrix = self.services.matrix
        return matrix.joined_members(room_id) if matrix is not None else None

    def room_of_bot(self, ctx: CommandContext, room: str) -> str:
        """An explicitly named room: one the bot is in (else nothing would ever arrive)."""
        found: str | None = None
        if room.startswith("!") and len(room) > 1:  # room version 12 ids have no server
            found = room
        elif room.startswith("#") and ":" in room:
            matrix = self.services.matrix
            found = matrix.room_for_alias(room) if matrix else None
        else:
            raise UsageError(
                ctx.t(
                    "Ein Raum ist eine Raum-ID „!…“ oder eine Adresse „#…:server“.",
                    "A room is a room id '!…' or an alias '#…:server'.",
                )
            )
        if found is None or self.joined(found) is None:
            raise UserError(
                ctx.t(
                    "Im Raum {r} bin ich nicht Mitglied: dorthin kann ich nichts posten. "
                    "Bitte lade mich zuerst in den Raum ein.",
                    "I am not a member of the room {r}, so I cannot post there. "
                    "Please invite me first.",
                    r=room,
                )
            )
        return found

    async def post_targets(
        self, ctx: CommandContext, ref: WorkshopRef, room: str | None
    ) -> list[str]:
        if room is not None:
            return [self.room_of_bot(ctx, room)]
        _, info = await self.workshop_title(ref)
        announce = getattr(info, "announce_room", None)
        if announce:
            return [announce]
        rooms = await self.repo.rooms_of(ref)
        if not rooms:
            raise UserError(
                ctx.t(
                    "Für {r} kenne ich keinen Raum: bitte „in <raum>“ angeben.",
                    "I know no room for {r}: please add 'in <room>'.",
                    r=str(ref),
                )
            )
        return rooms

    @command(
        "zusammenfassung-posten",
        aliases=["summary-post"],
        help="Postet die Zusammenfassung jetzt oder später: [<veranstaltung>/<workshop>] "
        "[in <raum>] [; <wann>]. Ohne Raum in den Ankündigungsraum der Veranstaltung, sonst in "
        "die Workshop-Räume.",
        help_en="Posts the summary now or later: [<event>/<workshop>] [in <room>] [; <when>]. "
        "Without a room into the event's announcement room, else the workshop rooms.",
        args=(Arg("angaben", rest=True, optional=True, name_en="details"),),
        permission=Permission.COORDINATOR,
    )
    async def zusammenfassung_posten(self, ctx: CommandContext, angaben: str | None) -> None:
        where, _, when_text = (angaben or "").partition(";")
        words = where.split()
        room = None
        if len(words) >= 2 and fold(words[-2]) == "in":
            room = words[-1]
            words = words[:-2]
        if len(words) > 1:
            raise UsageError(
                ctx.t(
                    "Erwartet: [<veranstaltung>/<workshop>] [in <raum>] [; <wann>].",
                    "Expected: [<event>/<workshop>] [in <room>] [; <when>].",
                )
            )
        ref = await self.resolve(ctx, words[0] if words else None)
        targets = await self.post_targets(ctx, ref, room)
        now = self.services.clock.now()
        if when_text.strip():
            await self.schedule_summary(ctx, ref, targets, when_text.strip())
            return
        parts = await self.render(ref)
        for target in targets:
            summary_id = await self.repo.add_summary(
                ref,
                target,
                "posted",
                now.timestamp(),
                ctx.sender,
                posted_at=now.timestamp(),
                body=Message.join(parts, "\n\n").body,
            )
            await self.post_parts(summary_id, target, parts)
        ctx.reply(
            ctx.t(
                "Zusammenfassung von {r} gepostet in {t}{n}.",
                "Summary of {r} posted in {t}{n}.",
                r=str(ref),
                t=", ".join(targets),
                n=ctx.t(f" ({len(parts)} Teile)", f" ({len(parts)} parts)")
                if len(parts) > 1
                else "",
            )
        )

    async def post_parts(self, summary_id: int, room_id: str, parts: list[Message]) -> None:
        for index, part in enumerate(parts, start=1):
            await self.services.poster.post(
                Target.room(room_id), part, key=f"summary:{summary_id}:{index}"
            )

    async def schedule_summary(
        self, ctx: CommandContext, ref: WorkshopRef, targets: list[str], when_text: str
    ) -> None:
        if self.reminders is None:
            raise UserError(
                ctx.t(
                    "Zeitgesteuertes Posten geht erst mit den Erinnerungen; bitte jetzt posten.",
                    "Scheduled posting needs the reminders; please post now.",
                )
            )
        holidays = self.services.config.bot.holidays or None
        when = parse_when(when_text, self.services.clock.now(), self.tz, ctx.lang, holidays)
        for target in targets:
            summary_id = await self.repo.add_summary(
                ref, target, "scheduled", when.timestamp(), ctx.sender
            )
            reminder_id = await self.reminders.schedule(
                "summary", when, room_id=target, payload=str(summary_id), created_by=ctx.sender
            )
            await self.repo.set_summary_reminder(summary_id, reminder_id)
        local = when.astimezone(self.tz)
        ctx.reply(
            ctx.t(
                "Zusammenfassung von {r} wird am {d} um {h} Uhr in {t} gepostet.",
                "The summary of {r} will be posted on {d} at {h} in {t}.",
                r=str(ref),
                d=format_day(local.date(), ctx.lang),
                h=local.strftime("%H:%M"),
                t=", ".join(targets),
            )
        )

    async def render_scheduled(self, row: Any) -> Message | None:
        """The reminders machinery's render callback for kind "summary", at send time."""
        summary = await self.repo.summary(int(row.payload))
        if summary is None or summary.status != "scheduled":
            return None
        parts = await self.render(summary.ref)
        await self.repo.mark_summary_posted(
            summary.id, self.services.clock.timestamp(), Message.join(parts, "\n\n").body
        )
        if len(parts) == 1:
            return parts[0]  # the reminder posts it (with a note if it is late)
        # Several messages: queued here, in order and in the reminder's transaction (so still
        # exactly once); the reminder itself then has nothing more to send.
        await self.post_parts(summary.id, summary.room_id, parts)
        return None

    async def report_missed(self, row: Any, due: datetime) -> None:
        """The reminders' missed callback: the bot was down beyond the grace time. The summary
        is not posted stale; whoever coordinates is told how to post it now."""
        summary = await self.repo.summary(int(row.payload))
        if summary is None or not await self.repo.end_scheduled_summary(summary.id, "missed"):
            return
        local = due.astimezone(self.tz)
        prefix = self.services.config.bot.prefix
        text = self.t(
            f"Die Zusammenfassung von {summary.ref} (Nr. {summary.id}) sollte am "
            f"{format_day(local.date(), 'de')} um {local:%H:%M} Uhr in {summary.room_id} "
            "gepostet werden; der Bot war zu dieser Zeit zu lange nicht erreichbar, deshalb "
            f"wurde sie nicht gepostet. Jetzt posten: {prefix}zusammenfassung-posten "
            f"{summary.ref} in {summary.room_id}",
            f"The summary of {summary.ref} (no. {summary.id}) was to be posted on "
            f"{format_day(local.date(), 'en')} at {local:%H:%M} in {summary.room_id}; the bot "
            "was unreachable for too long at that time, so it was not posted. Post it now: "
            f"{prefix}summary-post {summary.ref} in {summary.room_id}",
        )
        room = self.services.config.access.coordination_room
        if not room and summary.created_by == DELETED_USER:
            log.warning("summary %s missed; its planner's data was erased", summary.id)
            return
        target = Target.room(room) if room else Target.direct(summary.created_by)
        await self.services.poster.post(
            target, Message.text(text), key=f"summary:{summary.id}:missed"
        )

    @command(
        "zusammenfassung-absagen",
        aliases=["summary-cancel"],
        help="Sagt eine geplante Zusammenfassung ab: <nummer> (aus !zusammenfassungen).",
        help_en="Calls off a scheduled summary: <number> (from !summaries).",
        args=(Arg("nummer", name_en="number"),),
        permission=Permission.COORDINATOR,
    )
    async def zusammenfassung_absagen(self, ctx: CommandContext, nummer: str) -> None:
        number = nummer.lstrip("#")
        summary = await self.repo.summary(int(number)) if number.isdigit() else None
        if summary is None:
            raise UsageError(
                ctx.t(
                    "Bitte die Nummer einer Zusammenfassung aus {p}zusammenfassungen angeben.",
                    "Please give the number of a summary from {p}summaries.",
                    p=ctx.prefix,
                )
            )
        if not await self.repo.end_scheduled_summary(summary.id, "cancelled"):
            raise UserError(
                ctx.t(
                    "Zusammenfassung {n} ist nicht (mehr) geplant.",
                    "Summary {n} is not scheduled (any more).",
                    n=summary.id,
                )
            )
        if self.reminders is not None and summary.reminder_id is not None:
            await self.reminders.cancel(summary.reminder_id)
        ctx.reply(
            ctx.t(
                "Zusammenfassung {n} ({r} → {t}) ist abgesagt.",
                "Summary {n} ({r} → {t}) is called off.",
                n=summary.id,
                r=str(summary.ref),
                t=summary.room_id,
            )
        )

    @command(
        "zusammenfassungen",
        aliases=["summaries"],
        help="Zeigt gepostete und geplante Zusammenfassungen.",
        help_en="Lists posted and scheduled summaries.",
        args=(Arg("workshop", optional=True),),
    )
    async def zusammenfassungen(self, ctx: CommandContext, workshop: str | None) -> None:
        ref = await self.resolve(ctx, workshop) if workshop else None
        rows = await self.repo.summaries(ref)
        if not rows:
            ctx.reply(ctx.t("Noch keine Zusammenfassungen.", "No summaries yet."))
            return
        items = []
        for s in rows:
            at = datetime.fromtimestamp(s.posted_at or s.due_at, UTC).astimezone(self.tz)
            state = {
                "posted": ctx.t("gepostet", "posted"),
                "missed": ctx.t("verpasst (Bot nicht erreichbar)", "missed (bot unreachable)"),
                "cancelled": ctx.t("abgesagt", "called off"),
            }.get(s.status, ctx.t("geplant", "scheduled"))
            items.append(
                Message.text(
                    f"{s.id}: {s.ref} → {s.room_id}, {state} "
                    f"{format_day(at.date(), ctx.lang)} {at:%H:%M}"
                )
            )
        ctx.reply(
            Message.join(
                [Message.bold(ctx.t("Zusammenfassungen", "Summaries")), Message.bullet_list(items)]
            )
        )

    # --- action item reminders ---------------------------------------------------------

    def remind_times(self, entry: Entry) -> tuple[datetime, datetime]:
        """One day before the due date, and the day after it (overdue), at 09:00 local."""
        assert entry.due_date is not None
        at = time(REMIND_HOUR, tzinfo=self.tz)
        before = datetime.combine(entry.due_date - timedelta(days=1), at)
        overdue = datetime.combine(entry.due_date + timedelta(days=1), at)
        return before, overdue

    def schedule_actions_soon(self) -> None:
        self.services.jobs.at(
            "summaries:actions", self.services.clock.now(), self.run_action_reminders
        )

    async def schedule_actions(self) -> None:
        """Wake up at the next moment an action item reminder is due (the rows are the truth)."""
        upcoming = []
        for entry in await self.repo.actions_to_remind():
            before, overdue = self.remind_times(entry)
            upcoming.append(before if entry.reminded_at is None else overdue)
        if upcoming:
            self.services.jobs.at("summaries:actions", min(upcoming), self.run_action_reminders)
        else:
            self.services.jobs.cancel("summaries:actions")

    async def run_action_reminders(self) -> None:
        now = self.services.clock.now()
        for entry in await self.repo.actions_to_remind():
            before, overdue = self.remind_times(entry)
            async with self.services.db.transaction():
                if entry.reminded_at is None and now >= before:
                    # Agreed on after the reminder time: no reminder for what was just said.
                    if entry.owner and entry.created_at < before.timestamp() and now < overdue:
                        await self.services.poster.post(
                            Target.direct(entry.owner),
                            self.action_message(entry, overdue=False),
                            key=action_key(entry, "due"),
                        )
                    await self.repo.mark_reminded(entry.id, "reminded_at", now.timestamp())
                if entry.overdue_at is None and now >= overdue:
                    await self.notify_overdue(entry)
                    await self.repo.mark_reminded(entry.id, "overdue_at", now.timestamp())
        await self.schedule_actions()

    def action_message(self, entry: Entry, overdue: bool) -> Message:
        due = format_day(entry.due_date, self.lang) if entry.due_date else ""
        if overdue:
            head = self.t(
                f"Überfällige Aufgabe {entry.id} ({entry.ref}), fällig {due}: ",
                f"Overdue action item {entry.id} ({entry.ref}), due {due}: ",
            )
        else:
            head = self.t(
                f"Erinnerung: Aufgabe {entry.id} ({entry.ref}) ist morgen fällig ({due}): ",
                f"Reminder: action item {entry.id} ({entry.ref}) is due tomorrow ({due}): ",
            )
        message = Message.text(head) + Message.bold(entry.text)
        if overdue and entry.owner:
            message = message + self.t(f" – zuständig: {entry.owner}", f" – owner: {entry.owner}")
        prefix = self.services.config.bot.prefix
        return (
            message
            + "\n"
            + self.t(f"Erledigt? {prefix}erledigt {entry.id}", f"Done? {prefix}done {entry.id}")
        )

    async def notify_overdue(self, entry: Entry) -> None:
        access = self.services.config.access
        message = self.action_message(entry, overdue=True)
        key = action_key(entry, "overdue")
        if access.coordination_room:
            await self.services.poster.post(Target.room(access.coordination_room), message, key=key)
            return
        for coordinator in access.coordinators:
            await self.services.poster.post(
                Target.direct(coordinator), message, key=f"{key}:{coordinator}"
            )

    # --- personal data -------------------------------------------------------------------

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        return await self.repo.personal_data(user_id)

    async def delete_personal_data(self, user_id: str) -> int:
        return await self.repo.delete_personal_data(user_id)


def parse_when(text: str, now: datetime, tz: Any, lang: str, holidays: str | None) -> datetime:
    """The time after ``;``, as in reminders; a summary is posted once, not repeatedly."""
    parsed = timeparse.parse_when(text, now, tz, lang, holidays)
    if not isinstance(parsed, timeparse.OneOff):
        raise UsageError(
            pick(
                lang,
                "Eine Zusammenfassung wird einmal gepostet: bitte einen Zeitpunkt, z. B. "
                "„morgen 9 Uhr“.",
                'A summary is posted once: please give one time, e.g. "tomorrow 9am".',
            )
        )
    return parsed.at


async def export_summary(config: Any, ref: WorkshopRef, fmt: str) -> str:
    """``vir-bot summary``: a workshop's summary from the database, without a homeserver.

    Title, date and the number of registrations come from the plenum's records.
    """
    from bot.clock import SystemClock
    from bot.jobs import Jobs, create_scheduler
    from bot.posting import Poster
    from storage.database import Database
    from storage.outbox import OutboxRepository

    db = Database(config.bot.database_path)
    await db.open()
    try:
        clock = SystemClock()
        services = Services(
            config=config,
            db=db,
            clock=clock,
            outbox=OutboxRepository(db),
            poster=Poster(db, clock),
            jobs=Jobs(create_scheduler(config.bot.tz), clock),  # never started
            started_at=clock.now(),
        )
        summaries = Summaries(services, plenum_for_tools(services))
        data = await summaries.summary_data(ref)
        lang, tz = config.bot.language, config.bot.tz
        if fmt == "markdown":
            return render_markdown(data, lang, tz)
        parts = render_summary(data, lang, tz)
        if fmt == "html":
            return "\n".join(p.safe_html() for p in parts) + "\n"
        return "\n\n".join(p.body for p in parts) + "\n"
    finally:
        await db.close()


def plenum_for_tools(services: Services) -> PlenumView:
    """The plenum's records (titles, dates, registrations) for command-line tools."""
    from commands.plenum import Plenum

    return Plenum(services)
