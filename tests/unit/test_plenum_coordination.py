"""Coordinator side of registration, reactions, retention and data protection (real DB)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.cli import main
from bot.events import IncomingReaction, IncomingRedaction
from commands.plenum import neutralise, render_csv
from tests.fakes import ALICE, COORD_ROOM, ROOM, Harness
from tests.unit.conftest import HarnessFactory
from tests.unit.test_plenum import (
    config,
    dm_files,
    dms,
    event,
    make,
    member,
    plenum_capabilities,
    plenum_of,
    room_replies,
)

TS = 1_769_680_800_000


async def coord(h: Harness, text: str) -> str:
    await h.send(text, sender=ALICE, room_id=COORD_ROOM)
    return (await room_replies(h, COORD_ROOM))[-1]


def calendar_entry(data: bytes):  # type: ignore[no-untyped-def]
    return Calendar.from_ical(data).walk("VEVENT")[0]


async def test_create_edit_and_move_an_event_in_chat(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    changed: list[str] = []

    async def listener(key: str) -> None:
        changed.append(key)

    plenum_of(h).on_event_changed(listener)
    reply = await coord(
        h,
        '!veranstaltung-neu sommer-2027 titel="Sommerforum <2027>" beginn="24.06.2027 10:00" '
        "ende=15:00 ort=Oldenburg plaetze=1",
    )
    assert reply.startswith("Angelegt: „Sommerforum <2027>“ (sommer-2027), Do, 24.06.2027, 10:00")
    assert changed == ["sommer-2027"]
    assert "Workshop „OZG“ (ozg) angelegt: 1 Plätze." == await coord(
        h, "!workshop-anlegen sommer-2027 ozg 1 OZG"
    )
    await h.send("!anmelden sommer-2027 ozg", sender=member(1))
    await h.send("!anmelden sommer-2027 ozg", sender=member(2))
    # Moving the start: the end moves along, attendees get the change with SEQUENCE 1.
    reply = await coord(h, '!veranstaltung-aendern sommer-2027 beginn="25.06.2027 10:00" plaetze=2')
    assert reply.startswith("Geändert: „Sommerforum <2027>“, Fr, 25.06.2027, 10:00–15:00 Uhr.")
    assert "Nachgerückt: 1." in reply
    assert changed == ["sommer-2027", "sommer-2027"]
    entry = calendar_entry((await dm_files(h, member(1)))[-1])
    assert int(entry["SEQUENCE"]) == 1 and str(entry["UID"]) == "sommer-2027@example.org"
    assert any(
        d["body"].startswith("Geändert: „Sommerforum <2027>“") for d in await dms(h, member(1))
    )
    # Escaped in HTML wherever a coordinator's text shows up.
    html = json.loads(
        (
            await h.db.fetchone(
                "SELECT content FROM outbox WHERE room_id = ? ORDER BY id LIMIT 1", (COORD_ROOM,)
            )
        )["content"]
    )["formatted_body"]
    assert "&lt;2027&gt;" in html and "<2027>" not in html
    # Config events are read-only in chat; bad input says what was expected.
    assert await coord(h, "!veranstaltung-aendern plenum-2027 plaetze=5") == (
        "„plenum-2027“ steht in der Konfigurationsdatei und wird nur dort geändert."
    )
    assert (await coord(h, "!veranstaltung-aendern sommer-2027 beginn=morgen")).startswith(
        "„morgen“ ist kein Zeitpunkt: erwartet z. B. 28.01.2027 09:30"
    )
    assert (await coord(h, "!veranstaltung-aendern sommer-2027 farbe=blau")).startswith(
        "„farbe=blau“ verstehe ich nicht: erwartet name=wert mit titel, beginn, ende"
    )
    assert (await coord(h, "!veranstaltung-neu herbst titel=Herbst")).startswith(
        "Es fehlt: beginn, ende. Beispiel: !veranstaltung-neu herbst"
    )
    assert (await coord(h, '!veranstaltung-aendern sommer-2027 ende="24.06.2027 09:00"')) == (
        "Das Ende muss nach dem Beginn liegen."
    )


async def test_coordinator_commands_only_for_coordinators_and_not_in_rooms(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    await h.send("!teilnehmer plenum-2027", sender=member(1), room_id=COORD_ROOM)
    await h.send("!teilnehmer plenum-2027", sender=ALICE, room_id=ROOM)
    await h.send("!export plenum-2027", sender=ALICE, room_id=ROOM)
    assert await room_replies(h, COORD_ROOM) == ["Dieser Befehl ist der Koordination vorbehalten."]
    assert (
        await room_replies(h, ROOM)
        == ["Diesen Befehl bitte im Koordinationsraum oder per Direktnachricht an mich senden."] * 2
    )
    assert await dms(h, ALICE) == []


async def test_close_reopen_and_register_for_someone(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    assert await coord(h, "!anmeldung-schliessen plenum-2027") == (
        "Anmeldung für „Plenum der ViR-Nordwest“ geschlossen."
    )
    await h.send("!anmelden", sender=member(1))
    assert (await room_replies(h))[-1] == "Zurzeit ist keine Veranstaltung zur Anmeldung offen."
    await h.send("!anmelden plenum-2027", sender=member(1))
    assert (await room_replies(h))[-1] == (
        "Die Anmeldung für „Plenum der ViR-Nordwest“ ist geschlossen."
    )
    # Coordinators may still register someone, e.g. a speaker.
    assert await coord(h, f"!anmelden-fuer {member(1)} plenum-2027 ; Stadt Emden") == (
        f"{member(1)} ist für „Plenum der ViR-Nordwest“ angemeldet."
    )
    (details, _ics) = await dms(h, member(1))
    assert details["body"].startswith("Die Koordination hat Sie angemeldet.")
    assert "Organisation: Stadt Emden" in details["body"]
    await coord(h, "!anmeldung-oeffnen plenum-2027")
    await h.send("!anmelden", sender=member(2))
    assert (await room_replies(h))[-1].startswith(
        "Sie sind für „Plenum der ViR-Nordwest“ angemeldet."
    )
    log = await coord(h, "!protokoll plenum-2027")
    assert log.startswith("Protokoll „Plenum der ViR-Nordwest“\n• ")  # heading on its own line
    assert "@alice:example.org: Anmeldung geschlossen" in log
    assert f"@alice:example.org: angemeldet {member(1)}" in log
    assert "@alice:example.org: Anmeldung geöffnet" in log


async def test_cancel_tells_everyone_with_a_cancelling_calendar_file(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send("!anmelden", sender=member(1))
    await h.send("!anmelden", sender=member(2))
    first = calendar_entry((await dm_files(h, member(1)))[0])
    assert await coord(h, "!absagen plenum-2027") == (
        "Das sagt „Plenum der ViR-Nordwest“ ab und benachrichtigt 2 Angemeldete. "
        "Zum Bestätigen: !absagen plenum-2027 bestätigen"
    )
    assert (await plenum_of(h).event_info("plenum-2027")).status == "open"  # type: ignore[union-attr]
    assert await coord(h, "!absagen plenum-2027 bestätigen") == (
        "„Plenum der ViR-Nordwest“ ist abgesagt. 2 Angemeldete bekommen eine Direktnachricht."
    )
    cancelled = calendar_entry((await dm_files(h, member(1)))[-1])
    assert str(cancelled["UID"]) == str(first["UID"])
    assert int(cancelled["SEQUENCE"]) > int(first["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert (await dms(h, member(2)))[-1]["body"].startswith("Abgesagt: „Plenum der ViR-Nordwest“")
    assert await dm_files(h, member(2)) == []  # the waiting member had no calendar entry
    assert await plenum_of(h).reminder_recipients("plenum-2027", h.clock.now()) == []
    await h.send("!anmelden plenum-2027", sender=member(3))
    assert (await room_replies(h))[-1] == "„Plenum der ViR-Nordwest“ ist abgesagt."


async def test_remove_promote_and_attendee_view(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    workshops = [{"key": "ozg", "title": "OZG", "capacity": 1}]
    h = await make(harness_factory, tmp_path, event(capacity=2, workshops=workshops))
    for n in range(4):
        await h.send(f"!anmelden ozg ; Org {n % 2}", sender=member(n), ts=TS + n)
    plenum = plenum_of(h)
    view = await coord(h, "!teilnehmer plenum-2027")
    assert "Angemeldet: 2 von 2 · Warteliste: 2" in view
    assert "OZG (ozg): 1/1, Warteliste 1" in view
    assert "Org 0: 1" in view and "Org 1: 1" in view
    assert f"1. {member(0)} (Org 0, ozg)" in view
    # Removing member 0 promotes member 2 (event) and member 1 (workshop).
    assert await coord(h, f"!entfernen {member(0)} plenum-2027") == (
        f"{member(0)} ist aus „Plenum der ViR-Nordwest“ entfernt."
    )
    assert (await dms(h, member(0)))[-1]["body"].startswith("Die Koordination hat Ihre Anmeldung")
    assert await plenum.is_attendee("plenum-2027", member(2))
    assert await plenum.is_attendee("plenum-2027", member(1), "ozg")
    # Manual promotion goes beyond the capacity.
    assert await coord(h, f"!nachruecken {member(3)} plenum-2027") == (
        f"{member(3)} ist nachgerückt und wird benachrichtigt."
    )
    assert await plenum.attendee_count("plenum-2027") == 3
    assert await plenum.attendee_count("plenum-2027", "ozg") == 2
    assert (await dms(h, member(3)))[-2]["body"].startswith("Sie sind nachgerückt")
    assert (await coord(h, f"!nachruecken {member(3)} plenum-2027")) == (
        f"{member(3)} hat schon einen Platz."
    )
    assert (await coord(h, "!entfernen bob plenum-2027")).startswith(
        "„bob“ ist keine Matrix-ID: erwartet z. B. @name:example.org."
    )
    log = await coord(h, "!protokoll plenum-2027")
    assert f"entfernt {member(0)}" in log and f"nachgerückt {member(3)}" in log


async def test_broadcast_goes_by_dm_to_attendees_only(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=2))
    for n in range(3):
        await h.send("!anmelden", sender=member(n), ts=TS + n)
    reply = await coord(h, "!rundschreiben plenum-2027; Bitte <Ausweis> mitbringen!")
    assert reply.startswith("Rundschreiben an 2 Angemeldete unterwegs")
    for n in (0, 1):
        message = (await dms(h, member(n)))[-1]
        assert message["msgtype"] == "m.text" and message["m.mentions"] == {}
        assert message["body"].endswith("Bitte <Ausweis> mitbringen!")
        assert "&lt;Ausweis&gt;" in message["formatted_body"]
    assert not any("Ausweis" in d["body"] for d in await dms(h, member(2)))
    assert (await coord(h, "!rundschreiben plenum-2027")).startswith(
        "Erwartet: !rundschreiben <veranstaltung>; <text>"
    )


async def test_export_only_into_the_coordinators_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send('!anmelden ; =HYPERLINK("x")', sender=member(1), ts=TS)
    await h.send("!anmelden ; Stadt Bremen", sender=member(2), ts=TS + 1)
    assert await coord(h, "!export plenum-2027") == (
        "Die Liste (2 Einträge) habe ich Ihnen per Direktnachricht geschickt."
    )
    rows = await h.db.fetchall(
        "SELECT o.user_id, o.room_id, f.filename, f.data FROM outbox AS o "
        "JOIN outbox_files AS f ON f.outbox_id = o.id WHERE f.mimetype = 'text/csv'"
    )
    assert [(r["user_id"], r["room_id"]) for r in rows] == [(ALICE, None)]
    data = bytes(rows[0]["data"])
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:7] == [
        "user_id",
        "display_name",
        "organisation",
        "workshop",
        "status",
        "position",
        "registered_at",
    ]
    assert table[1][0] == f"'{member(1)}" and table[1][2] == '\'=HYPERLINK("x")'
    assert table[2][4:6] == ["waitlist", "1"]
    assert table[1][6].startswith("2026-01-29T10:00:00+01:00")


def test_csv_variants() -> None:
    row = {
        "user_id": "@a:b",
        "display_name": "",
        "organisation": "-1+1",
        "workshop": "",
        "status": "registered",
        "position": "",
        "registered_at": "2027-01-01T10:00:00+01:00",
        "workshop_status": "",
        "workshop_position": "",
        "registered_via": "command",
    }
    plain = render_csv([row]).decode()
    assert plain.splitlines()[1] == "@a:b,,-1+1,,registered,,2027-01-01T10:00:00+01:00,,,command"
    assert neutralise("+49 421") == "'+49 421" and neutralise("Stadt") == "Stadt"


async def test_cli_export_prints_csv(
    harness_factory: HarnessFactory, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send("!anmelden", sender=member(1), ts=TS)
    await h.send("!anmelden", sender=member(2), ts=TS + 1)
    path = tmp_path / "config.toml"
    path.write_text(
        '[matrix]\nhomeserver = "http://x"\nuser_id = "@vir-bot:example.org"\n'
        f'[bot]\ndata_dir = "{tmp_path / "data"}"\n',
        encoding="utf-8",
    )
    # The command line runs its own event loop, as from a shell.
    assert await asyncio.to_thread(main, ["export", "plenum-2027", "--config", str(path)]) == 0
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines[0].startswith("user_id,display_name,organisation,workshop,status,position,")
    assert lines[1].startswith(f"{member(1)},,,,registered,,2026-01-29T10:00:00+01:00")
    assert lines[2].startswith(f"{member(2)},,,,waitlist,1,")
    assert await asyncio.to_thread(main, ["export", "nope", "--config", str(path)]) == 2


async def test_registration_by_reaction_and_its_removal(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send("!ankuendigen plenum-2027", sender=ALICE, room_id=ROOM)
    (announcement,) = await h.db.fetchall(
        "SELECT id, content FROM outbox WHERE room_id = ?", (ROOM,)
    )
    assert "mit ✅ auf diese Nachricht reagieren" in json.loads(announcement["content"])["body"]
    await h.services.outbox.mark_sent(announcement["id"], "$announcement", h.clock.timestamp())

    def reaction(n: int, key: str = "✅", reacts_to: str = "$announcement") -> IncomingReaction:
        return IncomingReaction(ROOM, f"$r{n}", member(n), reacts_to, key, TS + n)

    await h.router.handle_reaction(reaction(1))
    await h.router.handle_reaction(reaction(2, "✔️"))
    await h.router.handle_reaction(reaction(3, "👍"))
    await h.router.handle_reaction(reaction(4, reacts_to="$other"))
    plenum = plenum_of(h)
    assert await plenum.is_attendee("plenum-2027", member(1))
    assert (await dms(h, member(2)))[0]["body"].startswith(
        "„Plenum der ViR-Nordwest“ ist ausgebucht"
    )
    assert await dms(h, member(3)) == [] and await dms(h, member(4)) == []
    # Removing the reaction unregisters; member 2 moves up. Someone else's redaction does nothing.
    await h.router.handle_redaction(IncomingRedaction(ROOM, "$x1", member(9), "$r2"))
    await h.router.handle_redaction(IncomingRedaction(ROOM, "$x2", member(1), "$r1"))
    assert not await plenum.is_attendee("plenum-2027", member(1))
    assert await plenum.is_attendee("plenum-2027", member(2))
    assert "✅-Reaktion entfernt" in (await dms(h, member(1)))[-1]["body"]


async def test_argument_converters_answer_in_the_configured_language(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    cfg = config(tmp_path, event(), language="en")
    h = await harness_factory(config=cfg, capabilities=plenum_capabilities)
    assert await coord(h, "!attendees Plenum_2027") == (
        '"Plenum_2027" is not an event key: expected lower-case letters, digits and hyphens, '
        "e.g. plenum-2027.\nUsage: !attendees <event>"
    )
    reply = await coord(h, "!remove-attendee bob plenum-2027")
    assert reply.startswith('"bob" is not a Matrix id: expected e.g. @name:example.org.')
    reply = await coord(h, "!add-workshop plenum-2027 OZG! 5 OZG")
    assert reply.startswith('"OZG!" is not a workshop key: expected lower-case letters')
    reply = await coord(h, "!add-workshop plenum-2027 ozg many OZG")
    assert reply.startswith('"many" is not a number: expected a whole number')
    reply = await coord(h, "!new-event summer-2027 title=Summer starts=tomorrow")
    assert reply.startswith('"tomorrow" is not a date and time: expected e.g. 28.01.2027 09:30')
    assert "„" not in " ".join(await room_replies(h, COORD_ROOM))  # no German text left
    # German by default, as before.
    h = await make(harness_factory, tmp_path / "de", event())
    assert (await coord(h, "!teilnehmer Plenum_2027")).startswith(
        "„Plenum_2027“ ist kein Veranstaltungsschlüssel"
    )


async def test_a_failing_reaction_registration_is_undone_and_the_member_told(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    h = await make(harness_factory, tmp_path, event())
    await h.send("!ankuendigen plenum-2027", sender=ALICE, room_id=ROOM)
    (announcement,) = await h.db.fetchall("SELECT id FROM outbox WHERE room_id = ?", (ROOM,))
    await h.services.outbox.mark_sent(announcement["id"], "$announcement", h.clock.timestamp())
    plenum = plenum_of(h)

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("secret internals")  # after the registration row was written

    monkeypatch.setattr(plenum, "_detail_lines", broken)
    reaction = IncomingReaction(ROOM, "$r1", member(1), "$announcement", "✅", TS)
    await h.router.handle_reaction(reaction)
    assert not await plenum.is_attendee("plenum-2027", member(1))  # the writes were undone
    (notice,) = await dms(h, member(1))
    assert notice["body"].startswith("Interner Fehler (Ref: ") and "secret" not in notice["body"]
    ref = notice["body"].split("Ref: ")[1][:6]
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
    # Handled once: the same reaction again (a retried batch) changes nothing.
    monkeypatch.undo()
    await h.router.handle_reaction(reaction)
    assert not await plenum.is_attendee("plenum-2027", member(1))
    assert len(await dms(h, member(1))) == 1


async def test_retention_deletes_personal_data_and_keeps_counts(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send("!anmelden ; Stadt Bremen", sender=member(1), ts=TS)
    await h.send("!anmelden", sender=member(2), ts=TS + 1)
    plenum = plenum_of(h)
    due = h.services.jobs.next_run("plenum:retention")
    info = await plenum.event_info("plenum-2027")
    assert info is not None and due == info.ends + timedelta(days=90)
    assert await plenum.run_retention() == 0  # not yet
    h.clock.advance((due - h.clock.now()).total_seconds())
    assert await plenum.run_retention() == 2
    assert await h.db.fetchall("SELECT * FROM plenum_registrations") == []
    view = await coord(h, "!teilnehmer plenum-2027")
    assert "registered: 1" in view and "waitlist: 1" in view
    assert h.services.jobs.next_run("plenum:retention") is None


async def test_privacy_notice_access_and_erasure(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    cfg = config(tmp_path, event(capacity=1))
    cfg = type(cfg)(
        **{
            **cfg.__dict__,
            "privacy": type(cfg.privacy)(controller="ViR-Nordwest", contact="dsb@example.org"),
        }
    )
    from tests.unit.test_plenum import plenum_capabilities

    h = await harness_factory(config=cfg, capabilities=plenum_capabilities)
    await h.send("!datenschutz")
    assert (await room_replies(h))[-1].startswith(
        "Datenschutz: Verantwortlich ist ViR-Nordwest (dsb@example.org)."
    )
    await h.send("!anmelden ; Stadt Bremen", sender=member(1), ts=TS)
    await h.send("!anmelden", sender=member(2), ts=TS + 1)
    await h.send("!meine-daten", sender=member(1))
    files = await dm_files(h, member(1))
    data = json.loads(files[-1])
    assert data["plenum_profile"]["organisation"] == "Stadt Bremen"
    assert data["plenum_registrations"][0]["event"] == "plenum-2027"
    await h.send("!daten-loeschen", sender=member(1))
    assert (await room_replies(h))[-1].startswith(
        "Das löscht alles, was der Bot über Sie speichert"
    )
    assert await plenum_of(h).is_attendee("plenum-2027", member(1))
    await h.send("!daten-loeschen bestätigen", sender=member(1))
    assert (await room_replies(h))[-1].startswith("Erledigt:")
    assert not await plenum_of(h).is_attendee("plenum-2027", member(1))
    assert await plenum_of(h).is_attendee("plenum-2027", member(2))  # moved up
    assert (await dms(h, member(2)))[-2]["body"].startswith("Sie sind nachgerückt")
    left = await h.db.fetchall(
        "SELECT content FROM outbox WHERE status != 'pending' AND content LIKE ?",
        (f"%{member(1)}%",),
    )
    assert left == []  # nothing sent is marked sent in unit tests; pending replies remain
    assert (
        await h.db.fetchall("SELECT * FROM plenum_profiles WHERE user_id = ?", (member(1),)) == []
    )


async def test_coordinators_are_not_throttled(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=0))
    for n in range(15):
        await h.send(f"!anmelden-fuer {member(n)} plenum-2027", sender=ALICE, room_id=COORD_ROOM)
    assert await plenum_of(h).attendee_count("plenum-2027") == 15
    assert len(await room_replies(h, COORD_ROOM)) == 15
    # A member is still held back after the limit (10 per minute).
    for _ in range(12):
        await h.send("!veranstaltungen", sender=member(1))
    assert len(await room_replies(h)) == 11  # ten answers and one warning


async def test_long_lists_are_cut_and_long_broadcasts_refused(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=0))
    for n in range(155):
        await h.send(f"!anmelden-fuer {member(n)} plenum-2027", sender=ALICE, room_id=COORD_ROOM)
    view = await coord(h, "!teilnehmer plenum-2027")
    assert f"150. {member(149)}" in view and member(150) not in view
    assert view.endswith("… und 5 weitere; vollständig: !export plenum-2027")
    reply = await coord(h, "!rundschreiben plenum-2027; " + "x" * 4001)
    assert reply.startswith("Der Text ist zu lang: höchstens 4000 Zeichen.")
    assert not any("xxxx" in d["body"] for d in await dms(h, member(1)))


async def test_display_names_label_the_list_and_the_export(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    await h.send("!anmelden", sender=member(1), sender_name="Erika <Muster>")
    await h.send(f"!anmelden-fuer {member(2)} plenum-2027", sender=ALICE, room_id=COORD_ROOM)
    view = await coord(h, "!teilnehmer plenum-2027")
    assert f"1. Erika <Muster> ({member(1)})" in view
    assert f"2. {member(2)}" in view
    html = json.loads(
        (
            await h.db.fetchone(
                "SELECT content FROM outbox WHERE room_id = ? ORDER BY id DESC", (COORD_ROOM,)
            )
        )["content"]
    )["formatted_body"]
    assert "Erika &lt;Muster&gt;" in html
    await coord(h, "!export plenum-2027")
    (row,) = await h.db.fetchall(
        "SELECT f.data FROM outbox_files AS f JOIN outbox AS o ON o.id = f.outbox_id "
        "WHERE o.user_id = ? AND f.mimetype = 'text/csv'",
        (ALICE,),
    )
    table = list(csv.reader(io.StringIO(bytes(row["data"]).decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in table[1:]] == ["Erika <Muster>", ""]


async def test_promotion_dm_is_sent_although_registration_ids_are_reused(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    # SQLite reuses the rowids of deleted registrations: the message keys must not (review 1).
    h = await make(harness_factory, tmp_path, event(capacity=1))
    await h.send("!anmelden", sender=member(0), ts=TS)
    await h.send("!anmelden", sender=member(1), ts=TS + 1)
    await h.send("!abmelden", sender=member(0), ts=TS + 2)
    assert (await dms(h, member(1)))[-2]["body"].startswith("Sie sind nachgerückt")
    await h.send("!abmelden", sender=member(1), ts=TS + 3)
    assert await h.db.fetchall("SELECT id FROM plenum_registrations") == []
    await h.send("!anmelden", sender=member(2), ts=TS + 4)
    await h.send("!anmelden", sender=member(3), ts=TS + 5)
    await h.send("!abmelden", sender=member(2), ts=TS + 6)
    assert await plenum_of(h).is_attendee("plenum-2027", member(3))
    assert any(d["body"].startswith("Sie sind nachgerückt") for d in await dms(h, member(3)))
    # The same for the coordinator's manual promotion.
    await h.send("!anmelden", sender=member(4), ts=TS + 7)
    await h.send("!abmelden", sender=member(3), ts=TS + 8)
    await h.send("!anmelden", sender=member(5), ts=TS + 9)
    await h.send("!anmelden", sender=member(6), ts=TS + 10)
    await coord(h, f"!nachruecken {member(6)} plenum-2027")
    assert any(d["body"].startswith("Sie sind nachgerückt") for d in await dms(h, member(6)))


async def test_removal_dm_is_sent_although_registration_ids_are_reused(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    for n in range(2):
        await h.send("!anmelden", sender=member(n), ts=TS + n)
        await coord(h, f"!entfernen {member(n)} plenum-2027")
        assert (await dms(h, member(n)))[-1]["body"].startswith(
            "Die Koordination hat Ihre Anmeldung"
        )


async def test_events_created_or_moved_in_chat_arm_the_retention_job(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path)
    assert h.services.jobs.next_run("plenum:retention") is None
    await coord(
        h, '!veranstaltung-neu sommer-2027 titel=Sommer beginn="24.06.2027 10:00" ende=15:00'
    )
    info = await plenum_of(h).event_info("sommer-2027")
    assert info is not None
    assert h.services.jobs.next_run("plenum:retention") == info.ends + timedelta(days=90)
    await coord(h, '!veranstaltung-aendern sommer-2027 beginn="20.05.2027 10:00"')
    info = await plenum_of(h).event_info("sommer-2027")
    assert info is not None and info.ends.month == 5
    assert h.services.jobs.next_run("plenum:retention") == info.ends + timedelta(days=90)
