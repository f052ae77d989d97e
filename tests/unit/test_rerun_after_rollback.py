"""Every command, reaction and job can be handled again after one of its transactions rolled
back (REVIEW-12 F7, REVIEW-13 F1-F4).

bot/lazy.py relies on it: a module asked for inside a transaction rolls that transaction back,
is imported outside it, and the router handles the event again. This test enforces it for all
commands at once. It plays one scenario that uses every command of the registry (coordinator and
member, group room, DM and coordination room, errors included), a ✅ registration, a 👍 vote and
its redaction, a 👎 that passes a question on (and one that opens an answered one again), a poll
vote, and then drives every scheduled job in time order as the scheduler would. It plays it
plainly and then with a rollback forced at the end of the k-th outermost transaction of each
unit of work (after all its writes; unlike ``lazy.load`` it does not unwind the handler itself),
and requires:
- the same replies and the same rows in every table (a re-run that does anything differently);
- the same in-memory state right after each forced rollback as when that transaction began:
  scheduled jobs, the answer engine's entries and term counts (a change made inside the
  transaction that a rollback must undo, whether or not a re-run repeats it).
Every unit of work has at least one transaction (k = 1); today only jobs have a second one
(the reminders' delivery: k = 2).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import bot.lazy as lazy
from bot.events import IncomingPollResponse, IncomingReaction, IncomingRedaction
from commands import build_capabilities, command_registry
from commands.polls import option_id
from storage.database import Database
from tests.fakes import ALICE, BOB, COORD_ROOM, ROOM, Harness, make_config, make_harness, message

DM = "!dm-bob:example.org"
ALICE_DM = "!dm-alice:example.org"
CAROL = "@carol:example.org"
ERIN = "@erin:example.org"
TS = 1_769_680_800_000
JOB_HORIZON = timedelta(days=3)  # jobs due within it run in time order, the rest once
PINNED = "Wir sollten die Akten bis Mai digitalisieren."


@dataclass(frozen=True)
class Sent:
    """The homeserver accepted everything queued so far (event ids ``$out<row id>``)."""


@dataclass(frozen=True)
class React:
    sender: str
    room: str
    to: str  # an event id, or a text of the bot's latest message in the room to react to
    key: str
    event_id: str


@dataclass(frozen=True)
class Redact:
    sender: str
    room: str
    redacts: str
    event_id: str


@dataclass(frozen=True)
class Vote:
    sender: str
    room: str
    poll: str  # a text of the poll's message
    event_id: str


Step = Sent | React | Redact | Vote
SENT = Sent()

# Every command at least once, in an order that gives each something to work on, and the
# other events members send; the prefix is "!" throughout.
SCENARIO: list[tuple[str, str, str] | Step] = [
    (BOB, ROOM, "!hilfe"),
    (BOB, ROOM, "!hilfe anmelden"),
    (BOB, ROOM, "!frage Was ist eine Leitweg-ID?"),
    SENT,
    React(BOB, ROOM, "Leitweg-ID", "👍", "$vote-thumbs"),
    Redact(BOB, ROOM, "$vote-thumbs", "$redact-thumbs"),
    React(BOB, ROOM, "Leitweg-ID", "👎", "$vote-down"),  # his question goes to the coordination
    (BOB, DM, "Wie beantrage ich einen Personalausweis?"),
    (BOB, ROOM, "!themen"),
    (BOB, ROOM, "!thema e-rechnung"),
    (
        ALICE,
        COORD_ROOM,
        '!veranstaltung-neu p1-2027 titel="Plenum" beginn="28.01.2027 09:30" ende=16:00 plaetze=1',
    ),
    (ALICE, COORD_ROOM, "!workshop-anlegen p1-2027 ws1 1 Sicherheit"),
    (ALICE, COORD_ROOM, '!veranstaltung-aendern p1-2027 ort="Oldenburg"'),
    (BOB, ROOM, "!veranstaltungen"),
    (BOB, ROOM, "!organisation Stadt Musterstadt"),
    (BOB, ROOM, "!anmelden p1-2027 ws1"),
    (CAROL, ROOM, "!anmelden p1-2027; Landkreis Beispiel"),  # waiting list
    (CAROL, ROOM, "!workshop p1-2027 ws1"),
    (BOB, ROOM, "!meine-anmeldungen"),
    (ALICE, COORD_ROOM, "!teilnehmer p1-2027"),
    (ALICE, COORD_ROOM, "!export p1-2027"),
    (ALICE, COORD_ROOM, "!protokoll p1-2027"),
    (ALICE, ROOM, "!ankuendigen p1-2027"),
    SENT,
    React(ERIN, ROOM, "Anmelden: mit", "✅", "$erin-registers"),  # waiting list, .ics
    (ALICE, COORD_ROOM, "!rundschreiben p1-2027; Bitte Ausweis mitbringen"),
    (ALICE, COORD_ROOM, f"!nachruecken {CAROL} p1-2027"),
    (ALICE, COORD_ROOM, "!anmelden-fuer @dave:example.org p1-2027"),
    (ALICE, COORD_ROOM, "!entfernen @dave:example.org p1-2027"),
    (ALICE, COORD_ROOM, "!anmeldung-schliessen p1-2027"),
    (ALICE, COORD_ROOM, "!anmeldung-oeffnen p1-2027"),
    (CAROL, ROOM, "!abmelden p1-2027"),
    (ALICE, ROOM, "!workshop-raum p1-2027 ws1"),
    (BOB, ROOM, "!notiz Wir brauchen ein Konzept"),
    (BOB, ROOM, "Wir sollten die Akten bis Mai digitalisieren."),
    React(BOB, ROOM, "$pin-me", "📌", "$pin"),
    (BOB, ROOM, "!beschluss Konzept bis März"),
    (BOB, ROOM, "!aufgabe Entwurf schreiben @bob:example.org bis 15.02.2027"),
    (BOB, ROOM, "!notizen"),
    (BOB, ROOM, "!aufgaben"),
    (BOB, ROOM, "!erledigt 3"),
    (BOB, ROOM, "!notiz-entfernen 1"),
    (ALICE, ROOM, "!abstimmung Termin?; Montag; Dienstag"),
    SENT,
    Vote(BOB, ROOM, "Termin?", "$poll-vote"),
    (ALICE, ROOM, "!abstimmung-beenden"),
    (ALICE, ROOM, "!zusammenfassung"),
    (ALICE, ROOM, "!zusammenfassung-posten ; morgen 9:00"),
    (BOB, ROOM, "!zusammenfassungen"),
    (ALICE, ROOM, "!zusammenfassung-absagen 1"),
    (ALICE, ROOM, "!zusammenfassung-posten ; morgen 10:00"),  # posted by its job below
    (ALICE, ROOM, "!erinnerung werktags 7:45; Frühbesprechung"),
    (ALICE, ROOM, "!erinnerung morgen 10:00; Unterlagen lesen"),
    (BOB, DM, "!erinnere-mich in 2 stunden; Kaffee"),
    (BOB, ROOM, "!erinnerungen"),
    (ALICE, ROOM, "!erinnerung-loeschen 6"),
    (BOB, ROOM, "!erinnerungen-aus"),
    (BOB, ROOM, "!erinnerungen-an"),
    (ALICE, COORD_ROOM, "!offene-fragen"),
    (BOB, ROOM, "!frage Wie hoch ist der Mond über Bremen?"),
    (ALICE, COORD_ROOM, "!antworten {open} Etwa 384.000 km, wie überall."),
    (BOB, ROOM, "!frage Wie hoch ist der Mond über Bremen?"),
    SENT,
    React(BOB, ROOM, "Chat-Eintrag", "👎", "$moon-down"),  # the chat entry's answer: opened again
    (ALICE, COORD_ROOM, "!antworten {open} Im Mittel 384.400 km."),  # replaces the entry
    (ALICE, COORD_ROOM, "!faq-statistik"),
    (BOB, ROOM, "!datenschutz"),
    (BOB, DM, "!meine-daten"),
    (CAROL, ROOM, "!daten-loeschen"),
    (CAROL, ROOM, "!daten-loeschen bestätigen"),
    (ALICE, COORD_ROOM, "!status"),
    (ALICE, COORD_ROOM, "!absagen p1-2027 bestätigen"),
    (BOB, ROOM, "!gibtsnicht"),
    (BOB, ROOM, "!anmelden gibtsnicht"),
]


@dataclass
class _Work:
    transactions: int = 0
    rolled_back: bool = False


_work: contextvars.ContextVar[_Work | None] = contextvars.ContextVar("rerun_work", default=None)
_played: list[Harness] = []  # the harness being played, for the in-memory snapshots


def _memory(h: Harness) -> tuple[Any, ...]:
    """What lives in memory and must follow the database: the schedule and the answer index."""
    engine = next(c.engine for c in h.services.capabilities if c.name == "topics")  # type: ignore[attr-defined]
    jobs = sorted((j.id, str(j.next_run_time)) for j in h.services.jobs.scheduler.get_jobs())
    state = engine._state
    return tuple(jobs), tuple(sorted(state.entries)), sum(state.df.values())


@dataclass
class _Forced:
    rollbacks: int = 0
    memory_changed: list[str] = field(default_factory=list)


def _force_rollback_at(monkeypatch: pytest.MonkeyPatch, k: int) -> _Forced:
    """Each unit of work (an event's handling, a job) fails its k-th outermost transaction once,
    at the end of it, with ImportNeeded: rolled back, then handled again (bot/lazy.py)."""
    forced = _Forced()
    original_outside = lazy.outside_transactions
    original_transaction = Database.transaction

    async def outside(work: Any) -> Any:
        token = _work.set(_Work())
        try:
            return await original_outside(work)
        finally:
            _work.reset(token)

    @asynccontextmanager
    async def transaction(self: Database, durable: bool | None = None) -> AsyncIterator[Any]:
        state = _work.get()
        ours = (
            self._active() is None
            and state is not None
            and not state.rolled_back
            and lazy._deferrable.get() is asyncio.current_task()
        )
        before = _memory(_played[-1]) if ours else None
        try:
            async with original_transaction(self, durable) as conn:
                yield conn
                if ours and state is not None:
                    state.transactions += 1
                    if state.transactions == k:
                        state.rolled_back = True
                        forced.rollbacks += 1
                        raise lazy.ImportNeeded("json")
        except lazy.ImportNeeded:
            if before is not None and _memory(_played[-1]) != before:
                forced.memory_changed.append(f"{before} -> {_memory(_played[-1])}")
            raise

    monkeypatch.setattr("bot.router.outside_transactions", outside)
    monkeypatch.setattr("bot.jobs.outside_transactions", outside)
    monkeypatch.setattr(Database, "transaction", transaction)
    return forced


VOLATILE = {"sqlite_sequence", "kb_fts_data", "kb_fts_idx", "kb_fts_docsize", "kb_fts_config"}


async def _bot_message(h: Harness, room: str, text: str) -> str:
    """The event id of the bot's latest message in ``room`` containing ``text`` (sent)."""
    row = await h.db.fetchone(
        "SELECT sent_event_id FROM outbox WHERE room_id = ? AND content LIKE ? "
        "AND status = 'sent' ORDER BY id DESC LIMIT 1",
        (room, f"%{text}%"),
    )
    assert row is not None, text
    return str(row["sent_event_id"])


async def _step(h: Harness, index: int, step: tuple[str, str, str] | Step) -> None:
    if isinstance(step, tuple):
        sender, room, body = step
        if "{open}" in body:  # the open question on the moon
            row = await h.db.fetchone(
                "SELECT id FROM kb_unanswered WHERE status = 'open' AND question LIKE '%Mond%'"
            )
            body = body.replace("{open}", row["id"] if row else "-")
        event_id = "$pin-me" if body == PINNED else f"$s{index}"
        msg = replace(message(body, sender=sender, room_id=room), event_id=event_id)
        await h.router.handle(msg)
    elif isinstance(step, Sent):
        for row in await h.db.fetchall("SELECT id FROM outbox WHERE status = 'pending'"):
            await h.services.outbox.mark_sent(row["id"], f"$out{row['id']}", h.clock.timestamp())
    elif isinstance(step, React):
        to = step.to if step.to.startswith("$") else await _bot_message(h, step.room, step.to)
        reaction = IncomingReaction(step.room, step.event_id, step.sender, to, step.key, TS)
        await h.router.handle_reaction(reaction)
    elif isinstance(step, Redact):
        await h.router.handle_redaction(
            IncomingRedaction(step.room, step.event_id, step.sender, step.redacts)
        )
    else:
        poll = await _bot_message(h, step.room, step.poll)
        vote = IncomingPollResponse(
            step.room, step.event_id, step.sender, poll, (option_id(0),), TS
        )
        await h.router.handle_poll_response(vote)


async def _run_jobs(h: Harness) -> None:
    """As the scheduler would: the jobs due within JOB_HORIZON in time order (each re-armed by
    its trigger before it runs, as APScheduler does), then every job still left once, at its
    time."""
    scheduler = h.services.jobs.scheduler
    horizon = h.clock.now() + JOB_HORIZON
    for _ in range(200):
        due = [j for j in scheduler.get_jobs() if j.next_run_time and j.next_run_time <= horizon]
        if not due:
            break
        job = min(due, key=lambda j: (j.next_run_time, j.id))
        when = job.next_run_time
        if when > h.clock.now():
            h.clock.advance((when - h.clock.now()).total_seconds())
        following = job.trigger.get_next_fire_time(when, when)
        if following is None or following <= when:
            scheduler.remove_job(job.id)
        else:
            job.modify(next_run_time=following)
        await job.func(*job.args)
    for job in sorted(scheduler.get_jobs(), key=lambda j: (j.next_run_time, j.id)):
        if job.next_run_time > h.clock.now():
            h.clock.advance((job.next_run_time - h.clock.now()).total_seconds())
        await job.func(*job.args)


async def _play(tmp_path: Path) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    config = make_config(
        tmp_path,
        bot={"throttle_commands": 1000},
        access={"coordinators": [ALICE], "coordination_room": COORD_ROOM},
    )
    h = await make_harness(tmp_path, config=config, capabilities=build_capabilities)
    h.rooms.direct.update({DM, ALICE_DM})
    _played.append(h)
    try:
        for i, step in enumerate(SCENARIO):
            await _step(h, i, step)
        await _run_jobs(h)
        replies = [
            f"{r['room_id'] or r['user_id']}: {json.loads(r['content']).get('body')}"
            for r in await h.rows()
        ]
        tables = {}
        for (name,) in await h.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ):
            if name not in VOLATILE:
                rows = await h.db.fetchall(f'SELECT * FROM "{name}"')
                tables[name] = sorted((tuple(r) for r in rows), key=repr)
        return replies, tables
    finally:
        _played.pop()
        await h.db.close()


def test_the_scenario_uses_every_command() -> None:
    used = {s[2].split()[0][1:] for s in SCENARIO if isinstance(s, tuple) and s[2].startswith("!")}
    missing = [spec.name for spec in command_registry() if not ({spec.name, *spec.aliases} & used)]
    assert missing == []


@pytest.mark.parametrize("k", [1, 2])
async def test_every_unit_of_work_handled_again_after_a_rollback_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    plain = await _play(tmp_path / "plain")
    # The 👎 steps did what they are there for: two questions passed on, one opened again.
    downvoted = [r for r in plain[0] if "👎 auf die Antwort" in r]
    assert len(downvoted) == 2 and "erneut gefragt" in downvoted[1], downvoted
    assert sum("Danke für Ihre Rückmeldung" in r for r in plain[0]) == 2
    forced = _force_rollback_at(monkeypatch, k)
    again = await _play(tmp_path / "again")
    units = sum(1 for s in SCENARIO if not isinstance(s, Sent))
    # k = 1 reaches every event of the scenario; k = 2 the jobs with a second transaction.
    assert forced.rollbacks >= (units if k == 1 else 1), forced.rollbacks
    assert forced.memory_changed == []
    assert again[0] == plain[0]
    for name, rows in plain[1].items():
        assert again[1][name] == rows, name
