"""Registration on a real SQLite database through the real router (commands/plenum.py)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar

from bot.config import Config, parse_config
from bot.feature import Capability
from bot.registry import Registry
from bot.services import Services
from commands.help import Help
from commands.plenum import Plenum
from commands.privacy import Privacy
from tests.fakes import ALICE, BOT, COORD_ROOM, ROOM, Harness
from tests.unit.conftest import HarnessFactory

# FakeClock starts 2026-01-29 09:00 UTC; the event lies a year later.
STARTS = "2027-01-28T09:30"


def event(key: str = "plenum-2027", capacity: int = 3, **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": "Plenum der ViR-Nordwest",
        "starts": STARTS,
        "ends": "2027-01-28T16:00",
        "location": "Weser Tower, Bremen",
        "capacity": capacity,
        **extra,
    }


def config(tmp_path: Path, *events: dict[str, Any], **bot: Any) -> Config:
    data: dict[str, Any] = {
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": BOT, "password": "x"},
        "bot": {"data_dir": str(tmp_path / "data"), **bot},
        "access": {"coordinators": [ALICE], "coordination_room": COORD_ROOM},
        "events": list(events),
    }
    return parse_config(data, base_dir=tmp_path)


def plenum_capabilities(services: Services) -> list[Capability]:
    capabilities: list[Capability] = [Help(services), Plenum(services), Privacy(services)]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


def member(n: int) -> str:
    return f"@member{n}:example.org"


async def make(factory: HarnessFactory, tmp_path: Path, *events: dict[str, Any]) -> Harness:
    return await factory(config=config(tmp_path, *events), capabilities=plenum_capabilities)


def plenum_of(h: Harness) -> Plenum:
    return next(c for c in h.services.capabilities if isinstance(c, Plenum))


async def room_replies(h: Harness, room_id: str = ROOM) -> list[str]:
    rows = await h.db.fetchall(
        "SELECT content FROM outbox WHERE room_id = ? ORDER BY id", (room_id,)
    )
    return [json.loads(r["content"])["body"] for r in rows]


async def dms(h: Harness, user_id: str) -> list[dict[str, Any]]:
    rows = await h.db.fetchall(
        "SELECT content FROM outbox WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [json.loads(r["content"]) for r in rows]


async def dm_files(h: Harness, user_id: str) -> list[bytes]:
    rows = await h.db.fetchall(
        "SELECT f.data FROM outbox AS o JOIN outbox_files AS f ON f.outbox_id = o.id "
        "WHERE o.user_id = ? ORDER BY o.id",
        (user_id,),
    )
    return [bytes(r["data"]) for r in rows]


async def test_event_from_config_listed_with_seats(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(
        harness_factory, tmp_path, event(workshops=[{"key": "ozg", "title": "OZG", "capacity": 2}])
    )
    await h.send("!veranstaltungen")
    (reply,) = await room_replies(h)
    assert "Plenum der ViR-Nordwest (plenum-2027) – Do, 28.01.2027, 09:30–16:00 Uhr" in reply
    assert "3 von 3 Plätzen frei" in reply
    assert "OZG (ozg): 2 von 2 Plätzen frei" in reply


async def test_capacity_then_fifo_waiting_list_and_promotion_by_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=2))
    for n in range(4):
        await h.send("!anmelden", sender=member(n), ts=1_769_680_800_000 + n)
    replies = await room_replies(h)
    assert (
        replies[0]
        == "Sie sind für „Plenum der ViR-Nordwest“ angemeldet. Details per Direktnachricht."
    )
    assert replies[2] == (
        "„Plenum der ViR-Nordwest“ ist ausgebucht: Sie stehen auf der Warteliste (Platz 1). "
        "Details per Direktnachricht."
    )
    assert "Platz 2" in replies[3]
    plenum = plenum_of(h)
    assert await plenum.attendee_count("plenum-2027") == 2
    # The DM carries the details, the privacy notice (first registration) and the calendar.
    (details, _file) = await dms(h, member(0))
    assert "Datenschutz:" in details["body"] and "!abmelden plenum-2027" in details["body"]
    assert details["msgtype"] == "m.text" and details["m.mentions"] == {}
    (ics,) = await dm_files(h, member(0))
    entry = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(entry["UID"]) == "plenum-2027@example.org" and str(entry["STATUS"]) == "CONFIRMED"
    assert await dm_files(h, member(2)) == []  # no calendar entry without a seat

    await h.send("!abmelden", sender=member(0))
    assert (await room_replies(h))[-1] == "Sie sind von „Plenum der ViR-Nordwest“ abgemeldet."
    assert await plenum.is_attendee("plenum-2027", member(2))
    assert not await plenum.is_attendee("plenum-2027", member(3))
    promoted = await dms(h, member(2))
    assert promoted[-2]["body"].startswith("Sie sind nachgerückt")
    assert promoted[-2]["msgtype"] == "m.text"
    assert len(await dm_files(h, member(2))) == 1
    await h.send("!meine-anmeldungen", sender=member(3))
    assert "Warteliste, Platz 1" in (await room_replies(h))[-1]


async def test_registering_twice_changes_nothing(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    await h.send("!anmelden")
    await h.send("!register plenum-2027")
    assert (await room_replies(h))[-1] == (
        "Sie sind bereits für „Plenum der ViR-Nordwest“ angemeldet. Es bleibt alles, wie es ist."
    )
    rows = await h.db.fetchall("SELECT * FROM plenum_registrations")
    assert len(rows) == 1


async def test_concurrent_burst_never_exceeds_capacity(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=5))
    await asyncio.gather(
        *(h.send("!anmelden", sender=member(n), ts=1_769_680_800_000 + n) for n in range(20))
    )
    rows = await h.db.fetchall(
        "SELECT status, count(*) AS n FROM plenum_registrations GROUP BY status"
    )
    assert {r["status"]: r["n"] for r in rows} == {"registered": 5, "waitlist": 15}
    assert len(await room_replies(h)) == 20


async def test_workshop_capacity_and_waiting_list(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    workshops = [
        {"key": "ozg", "title": "OZG", "capacity": 1},
        {"key": "e-akte", "title": "E-Akte"},
    ]
    h = await make(harness_factory, tmp_path, event(capacity=10, workshops=workshops))
    await h.send("!anmelden plenum-2027 ozg", sender=member(1))
    plenum = plenum_of(h)
    reads = 0
    events = plenum.repo.events

    async def counted_events() -> Any:
        nonlocal reads
        reads += 1
        return await events()

    plenum.repo.events = counted_events  # type: ignore[method-assign]
    await h.send("!anmelden ozg", sender=member(2))  # the only open event: a word is a workshop
    assert reads == 1  # the open events are read once, not again to find the event
    plenum.repo.events = events  # type: ignore[method-assign]
    assert await plenum.is_attendee("plenum-2027", member(1), "ozg")
    assert await plenum.is_attendee("plenum-2027", member(2))
    assert not await plenum.is_attendee("plenum-2027", member(2), "ozg")
    (details, _) = await dms(h, member(2))
    assert "Workshop: OZG – ausgebucht, Sie stehen auf der Warteliste (Platz 1)." in details["body"]
    # Member 1 switches: the OZG place goes to member 2, who is told by DM.
    await h.send("!workshop e-akte", sender=member(1))
    assert (await room_replies(h))[-1] == "Ihr Workshop: „E-Akte“."
    assert await plenum.is_attendee("plenum-2027", member(2), "ozg")
    assert (await dms(h, member(2)))[-2]["body"].startswith("Sie sind im Workshop nachgerückt.")
    await h.send("!anmelden plenum-2027 kochen", sender=member(3))
    assert (await room_replies(h))[-1] == (
        "„Plenum der ViR-Nordwest“ hat keinen Workshop „kochen“. Workshops: ozg, e-akte."
    )


async def test_wrong_input_gets_a_german_message(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(), event("sommer-2027"))
    await h.send("!anmelden")
    await h.send("!anmelden Plenum!")
    await h.send("!anmelden winter-2027")
    await h.send("!abmelden")
    replies = await room_replies(h)
    assert replies[0] == (
        "Bitte die Veranstaltung angeben, offen sind: plenum-2027, sommer-2027. "
        "Zum Beispiel: !anmelden plenum-2027"
    )
    assert replies[1].startswith("„Plenum!“ ist kein Veranstaltungsschlüssel: erwartet")
    assert replies[2].startswith("Die Veranstaltung „winter-2027“ gibt es nicht.")
    assert replies[3] == "Sie sind für keine kommende Veranstaltung angemeldet."


async def test_closed_registration(harness_factory: HarnessFactory, tmp_path: Path) -> None:
    h = await make(harness_factory, tmp_path, event(registration_closes="2026-01-29T09:00"))
    # The FakeClock's message timestamp (2026-01-29 10:00 UTC) is after 09:00 Berlin.
    await h.send("!anmelden")
    assert (await room_replies(h))[
        -1
    ] == "Die Anmeldung für „Plenum der ViR-Nordwest“ ist geschlossen."


async def test_max_per_organisation_requires_organisation(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(max_per_organisation=1))
    await h.send("!anmelden", sender=member(1))
    assert (await room_replies(h))[-1].startswith(
        "Für „Plenum der ViR-Nordwest“ ist die Angabe Ihrer Organisation nötig: "
        "!anmelden plenum-2027 ; <Organisation>"
    )
    await h.send("!anmelden ; Stadt Bremen", sender=member(1))
    await h.send("!organisation  stadt   bremen ", sender=member(2))
    await h.send("!anmelden", sender=member(2))
    assert (await room_replies(h))[-1].startswith("Für „stadt bremen“ sind bei")
    assert not await plenum_of(h).is_attendee("plenum-2027", member(2))


async def test_unknown_organisation_is_asked_for_by_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    await h.send("!anmelden", sender=member(1))
    (details, _) = await dms(h, member(1))
    assert "Bitte einmal angeben: !organisation <Name>" in details["body"]
    await h.send("!organisation Landkreis <Diepholz>", sender=member(1))
    row = await h.db.fetchone("SELECT organisation FROM plenum_registrations")
    assert row["organisation"] == "Landkreis <Diepholz>"
    # Escaped wherever it is shown.
    await h.send("!meine-anmeldungen", sender=member(1))
    (last,) = [
        r for r in await h.replies() if "Landkreis" in r["body"] and "Organisation:" in r["body"]
    ]
    assert (
        "&lt;Diepholz&gt;" in last["formatted_body"] and "<Diepholz>" not in last["formatted_body"]
    )


async def test_in_a_dm_the_details_are_the_reply(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event())
    h.rooms.direct.add("!dm:example.org")
    await h.send("!anmelden", sender=member(1), room_id="!dm:example.org")
    (reply,) = await room_replies(h, "!dm:example.org")
    assert reply.startswith("Sie sind für „Plenum der ViR-Nordwest“ angemeldet.\n")
    assert "Datenschutz:" in reply
    assert [d["msgtype"] for d in await dms(h, member(1))] == ["m.file"]


async def test_contract_for_reminders_and_summaries(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(
        harness_factory, tmp_path, event(capacity=1, reminders=["1d"], announce_room=ROOM)
    )
    plenum = plenum_of(h)
    info = await plenum.event_info("plenum-2027")
    assert info is not None
    assert info.starts == datetime(2027, 1, 28, 8, 30, tzinfo=UTC)
    assert info.status == "open" and info.announce_room == ROOM and info.reminder_offsets == ("1d",)
    assert [e.key for e in await plenum.events()] == ["plenum-2027"]
    await h.send("!anmelden", sender=member(1))
    await h.send("!anmelden", sender=member(2))
    before = h.clock.now() - timedelta(seconds=1)
    assert await plenum.reminder_recipients("plenum-2027", before) == []
    recipients = await plenum.reminder_recipients("plenum-2027", h.clock.now())
    assert [r.user_id for r in recipients] == [member(1)]  # not the waiting member
    assert await plenum.event_info("nope") is None


async def test_config_sync_at_each_start(harness_factory: HarnessFactory, tmp_path: Path) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1), event("alt-2027"))
    plenum = plenum_of(h)
    await h.send("!anmelden plenum-2027", sender=member(1))
    await h.send("!anmelden plenum-2027", sender=member(2))
    changed: list[str] = []

    async def listener(key: str) -> None:
        changed.append(key)

    # Next start: alt-2027 is gone from the config, the plenum moves and grows.
    moved = event(capacity=2)
    moved["starts"] = "2027-01-28T10:00"
    restarted = Plenum(h.services)
    restarted.services = h.services
    object.__setattr__(h.services, "config", config(tmp_path, moved))
    restarted.on_event_changed(listener)
    await restarted.start()
    assert sorted(changed) == ["alt-2027", "plenum-2027"]
    alt = await plenum.event_info("alt-2027")
    assert alt is not None and alt.status == "closed"
    info = await plenum.event_info("plenum-2027")
    assert info is not None and info.sequence == 1 and info.capacity == 2
    # The raised capacity promoted member 2; every attendee got the new time with a calendar.
    assert await plenum.is_attendee("plenum-2027", member(2))
    (ics,) = (await dm_files(h, member(1)))[-1:]
    entry = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert int(entry["SEQUENCE"]) == 1
    assert any("Geändert" in d["body"] for d in await dms(h, member(1)))
    # Starting again with the same config changes nothing and tells nobody again.
    count = len(await h.rows())
    changed.clear()
    await restarted.start()
    assert changed == [] and len(await h.rows()) == count


async def test_waiting_list_follows_the_timeline_within_a_room_and_ts_across_rooms(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await make(harness_factory, tmp_path, event(capacity=1))
    t = 1_769_680_800_000
    await h.send("!anmelden", sender=member(0), ts=t)
    # Same room: handled in timeline order, even if a clock says otherwise.
    await h.send("!anmelden", sender=member(1), ts=t + 50)
    await h.send("!anmelden", sender=member(2), ts=t + 10)
    # Another room: its origin_server_ts counts.
    await h.send("!anmelden", sender=member(3), ts=t + 20, room_id="!other:example.org")
    event_id = (await plenum_of(h).event_info("plenum-2027")).id  # type: ignore[union-attr]
    waiting = [
        r.user_id for r in await plenum_of(h).repo.registrations(event_id) if r.status == "waitlist"
    ]
    assert waiting == [member(3), member(1), member(2)]


async def test_past_events_are_not_offered(harness_factory: HarnessFactory, tmp_path: Path) -> None:
    past = event("alt-2025")
    past["starts"], past["ends"] = "2025-01-28T09:30", "2025-01-28T16:00"
    h = await make(harness_factory, tmp_path, past, event())
    assert [e.key for e in await plenum_of(h).events()] == ["plenum-2027"]
    assert len(await plenum_of(h).events(include_closed=True)) == 2
    await h.send("!anmelden", sender=member(1))  # the one event still ahead
    assert await plenum_of(h).is_attendee("plenum-2027", member(1))
    await h.send("!anmelden alt-2025", sender=member(1))
    assert (await room_replies(h))[
        -1
    ] == "Die Anmeldung für „Plenum der ViR-Nordwest“ ist geschlossen."


async def test_english_texts(harness_factory: HarnessFactory, tmp_path: Path) -> None:
    h = await harness_factory(
        config=config(tmp_path, event(capacity=1), language="en"), capabilities=plenum_capabilities
    )
    await h.send("!events")
    await h.send("!register", sender=member(1))
    await h.send("!register", sender=member(2))
    await h.send("!my-registrations", sender=member(2))
    await h.send("!unregister", sender=member(1))
    replies = await room_replies(h)
    assert "Plenum der ViR-Nordwest (plenum-2027) – Thu, 28.01.2027, 09:30–16:00" in replies[0]
    assert "1 of 1 seats left" in replies[0]
    assert (
        replies[1] == 'You are registered for "Plenum der ViR-Nordwest". Details by direct message.'
    )
    assert replies[2].startswith('"Plenum der ViR-Nordwest" is full: you are on the waiting list')
    assert "waiting list, position 1" in replies[3]
    assert replies[4] == 'You are unregistered from "Plenum der ViR-Nordwest".'
    assert (await dms(h, member(2)))[-2]["body"].startswith("You moved up")
    (details, *_) = await dms(h, member(1))
    assert "Privacy: the controller is the ViR-Nordwest coordinators." in details["body"]


async def test_a_registration_reads_its_event_once_and_takes_one_savepoint(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    # Each statement is a round trip to SQLite's thread (docs/performance.md, ninth round):
    # the named event is read once, and only the seat check-and-insert has a savepoint of its
    # own (a UNIQUE violation there means "registered already"); the privacy mark and the
    # details DM with its calendar file join the command's transaction.
    from tests.unit.test_transactions import statements

    h = await make(harness_factory, tmp_path, event())
    seen = await statements(h.db)
    await h.send("!anmelden plenum-2027", sender=member(1))
    assert any("INSERT INTO plenum_registrations" in s for s in seen), seen
    assert any("INSERT INTO outbox_files" in s for s in seen), seen  # the calendar file
    assert sum("FROM plenum_events WHERE key" in s for s in seen) == 1, seen
    assert sum(s.startswith("SAVEPOINT") for s in seen) == 1, seen
