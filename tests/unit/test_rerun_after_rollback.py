"""Every command can be handled again after one of its transactions rolled back (REVIEW-12 F7).

bot/lazy.py relies on it: a module asked for inside a transaction rolls that transaction back,
is imported outside it, and the router handles the event again. Until now the rule "a handler
can be re-run" held by inspection only; this test enforces it for all commands at once. It
plays one scenario that uses every command of the registry (coordinator and member, group room,
DM and coordination room, errors included), once plainly and then with a rollback forced into
the k-th transaction of each event's handling (k = 1, 2: also after an earlier transaction of
the same event committed), and requires the same replies and the same database.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import bot.lazy as lazy
from commands import build_capabilities, command_registry
from storage.database import Database
from tests.fakes import ALICE, BOB, COORD_ROOM, ROOM, make_config, make_harness, message

DM = "!dm-bob:example.org"
ALICE_DM = "!dm-alice:example.org"
CAROL = "@carol:example.org"

# (sender, room, body): every command at least once, in an order that gives each something to
# work on; the prefix is "!" throughout.
SCENARIO: list[tuple[str, str, str]] = [
    (BOB, ROOM, "!hilfe"),
    (BOB, ROOM, "!hilfe anmelden"),
    (BOB, ROOM, "!frage Was ist eine Leitweg-ID?"),
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
    (ALICE, COORD_ROOM, "!rundschreiben p1-2027; Bitte Ausweis mitbringen"),
    (ALICE, COORD_ROOM, f"!nachruecken {CAROL} p1-2027"),
    (ALICE, COORD_ROOM, "!anmelden-fuer @dave:example.org p1-2027"),
    (ALICE, COORD_ROOM, "!entfernen @dave:example.org p1-2027"),
    (ALICE, COORD_ROOM, "!anmeldung-schliessen p1-2027"),
    (ALICE, COORD_ROOM, "!anmeldung-oeffnen p1-2027"),
    (CAROL, ROOM, "!abmelden p1-2027"),
    (ALICE, ROOM, "!workshop-raum p1-2027 ws1"),
    (BOB, ROOM, "!notiz Wir brauchen ein Konzept"),
    (BOB, ROOM, "!beschluss Konzept bis März"),
    (BOB, ROOM, "!aufgabe Entwurf schreiben @bob:example.org bis 15.02.2027"),
    (BOB, ROOM, "!notizen"),
    (BOB, ROOM, "!aufgaben"),
    (BOB, ROOM, "!erledigt 3"),
    (BOB, ROOM, "!notiz-entfernen 1"),
    (ALICE, ROOM, "!abstimmung Termin?; Montag; Dienstag"),
    (ALICE, ROOM, "!abstimmung-beenden"),
    (ALICE, ROOM, "!zusammenfassung"),
    (ALICE, ROOM, "!zusammenfassung-posten ; morgen 9:00"),
    (BOB, ROOM, "!zusammenfassungen"),
    (ALICE, ROOM, "!zusammenfassung-absagen 1"),
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


def _force_rollback_at(monkeypatch: pytest.MonkeyPatch, k: int) -> list[str]:
    """Each event's handling (and each job) fails its k-th outermost transaction once, at the
    end of it (after its writes), the way ``lazy.load`` does: ImportNeeded, then handled again.
    Returns the list that notes each forced rollback."""
    rolled: list[str] = []
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
        outermost = self._active() is None
        async with original_transaction(self, durable) as conn:
            yield conn
            state = _work.get()
            if outermost and state is not None and not state.rolled_back:
                if lazy._deferrable.get() is asyncio.current_task():
                    state.transactions += 1
                    if state.transactions == k:
                        state.rolled_back = True
                        rolled.append(f"transaction {k}")
                        raise lazy.ImportNeeded("json")

    monkeypatch.setattr("bot.router.outside_transactions", outside)
    monkeypatch.setattr("bot.jobs.outside_transactions", outside)
    monkeypatch.setattr(Database, "transaction", transaction)
    return rolled


VOLATILE = {"sqlite_sequence", "kb_fts_data", "kb_fts_idx", "kb_fts_docsize", "kb_fts_config"}


async def _play(tmp_path: Path) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    config = make_config(
        tmp_path,
        bot={"throttle_commands": 1000},
        access={"coordinators": [ALICE], "coordination_room": COORD_ROOM},
    )
    h = await make_harness(tmp_path, config=config, capabilities=build_capabilities)
    h.rooms.direct.update({DM, ALICE_DM})
    try:
        for i, (sender, room, body) in enumerate(SCENARIO):
            if "{open}" in body:
                row = await h.db.fetchone("SELECT id FROM kb_unanswered")
                body = body.replace("{open}", row["id"] if row else "-")
            msg = replace(message(body, sender=sender, room_id=room), event_id=f"$s{i}")
            await h.router.handle(msg)
        # Two days later every scheduled job runs once (reminders, the event's DMs, clean-ups),
        # through the same wrapper as in the bot (bot/jobs.py).
        h.clock.advance(2 * 86400)
        scheduler = h.services.jobs.scheduler
        for job_id in h.services.jobs.job_ids():
            job = scheduler.get_job(job_id)
            if job is not None:
                await job.func(*job.args)
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
        await h.db.close()


def test_the_scenario_uses_every_command() -> None:
    used = {body.split()[0][1:] for _, _, body in SCENARIO if body.startswith("!")}
    missing = [spec.name for spec in command_registry() if not ({spec.name, *spec.aliases} & used)]
    assert missing == []


@pytest.mark.parametrize("k", [1, 2])
async def test_every_command_handled_again_after_a_rollback_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    plain = await _play(tmp_path / "plain")
    rolled = _force_rollback_at(monkeypatch, k)
    again = await _play(tmp_path / "again")
    assert rolled, "no transaction was rolled back: the test would prove nothing"
    assert again[0] == plain[0]
    for name, rows in plain[1].items():
        assert again[1][name] == rows, name
