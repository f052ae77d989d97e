"""Event reminders with the real plenum capability: who gets them, moving and cancelling the
event, opting out, late and missed after downtime, and the announcement room."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.config import Config
from bot.feature import Capability
from bot.registry import Registry
from bot.router import Router
from commands.help import Help
from commands.plenum import Plenum
from commands.privacy import Privacy
from commands.reminders import Reminders
from tests.fakes import ALICE, BOT, COORD_ROOM, FakePermissions, FakeRooms, Harness, make_services
from tests.unit.test_plenum import config as plenum_config
from tests.unit.test_plenum import event, member

ANNOUNCE = "!announce:example.org"
# The event starts 2027-01-28 09:30 Berlin = 08:30 UTC.
STARTS = datetime(2027, 1, 28, 8, 30, tzinfo=UTC)
T0 = STARTS - timedelta(days=10)


class Bot:
    """Plenum and reminders on one database, started (and restarted) as in bot/app.py."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.harness: Harness | None = None

    async def start(self, at: datetime, *events: dict[str, Any]) -> Harness:
        await self.stop()
        cfg: Config = plenum_config(self.tmp_path, *events)
        services = await make_services(cfg, FakeClock(at))
        self.plenum = Plenum(services)
        self.reminders = Reminders(services, self.plenum)
        capabilities: list[Capability] = [
            Help(services),
            self.plenum,
            self.reminders,
            Privacy(services),
        ]
        services.capabilities = capabilities
        services.registry = Registry.from_capabilities(capabilities)
        for capability in capabilities:
            await capability.start()
        rooms = FakeRooms()
        router = Router(services, BOT, rooms, FakePermissions(), capabilities=capabilities)
        self.harness = Harness(services.db, router, services, rooms, services.clock)  # type: ignore[arg-type]
        return self.harness

    async def stop(self) -> None:
        if self.harness is not None:
            self.harness.services.jobs.scheduler.shutdown(wait=False)
            await self.harness.db.close()
            self.harness = None


@pytest.fixture
async def bot(tmp_path: Path):  # type: ignore[no-untyped-def]
    handle = Bot(tmp_path)
    yield handle
    await handle.stop()


def plenum_event(**extra: Any) -> dict[str, Any]:
    return event(
        capacity=2,
        announce_room=ANNOUNCE,
        workshops=[{"key": "ozg", "title": "OZG-Umsetzung", "capacity": 5}],
        **extra,
    )


async def reminder_dms(h: Harness, user_id: str) -> list[str]:
    rows = await h.db.fetchall(
        "SELECT content FROM outbox WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    bodies = [json.loads(r["content"]).get("body", "") for r in rows]
    return [b for b in bodies if b.startswith("⏰")]


async def posts(h: Harness, room_id: str) -> list[str]:
    rows = await h.db.fetchall(
        "SELECT content FROM outbox WHERE room_id = ? ORDER BY id", (room_id,)
    )
    return [json.loads(r["content"])["body"] for r in rows]


async def event_rows(h: Harness) -> list[tuple[str, str, int]]:
    rows = await h.db.fetchall(
        "SELECT event_offset, status, due FROM reminders WHERE kind = 'event' ORDER BY id"
    )
    return [(r["event_offset"], r["status"], r["due"]) for r in rows]


async def at(h: Harness, bot: Bot, moment: datetime) -> None:
    h.clock._now = moment  # type: ignore[attr-defined]
    await bot.reminders.deliver_due()


async def test_reminders_go_to_those_registered_at_that_moment(bot: Bot) -> None:
    h = await bot.start(T0, plenum_event())
    assert [(o, s) for o, s, _ in await event_rows(h)] == [
        ("7d", "scheduled"),
        ("1d", "scheduled"),
        ("1h", "scheduled"),
    ]
    await h.send("!anmelden plenum-2027 ozg", sender=member(1))
    await h.send("!anmelden", sender=member(2))
    await h.send("!anmelden", sender=member(3))  # waiting list: capacity 2
    await h.send("!erinnerungen-aus", sender=member(2))
    await at(h, bot, STARTS - timedelta(days=7))
    (first,) = await reminder_dms(h, member(1))
    assert first.startswith(
        "⏰ Erinnerung: Plenum der ViR-Nordwest\nBeginn: Donnerstag, 28. Januar"
    )
    assert "Ort: Weser Tower, Bremen" in first and "Ihr Workshop: OZG-Umsetzung" in first
    assert "(Sie erhalten diese Erinnerung eine Woche vorher." in first
    assert await reminder_dms(h, member(2)) == []  # switched off
    assert await reminder_dms(h, member(3)) == []  # waiting list
    (announcement,) = await posts(h, ANNOUNCE)
    assert announcement.startswith("⏰ Erinnerung: Plenum der ViR-Nordwest")
    assert "Ihr Workshop" not in announcement
    # Registered after the 7-day reminder: gets the later ones only. One cancels meanwhile.
    await h.send("!erinnerungen-an", sender=member(2))
    await h.send("!abmelden", sender=member(1))  # member 3 moves up from the waiting list
    await at(h, bot, STARTS - timedelta(days=1))
    assert len(await reminder_dms(h, member(1))) == 1
    assert len(await reminder_dms(h, member(2))) == 1
    # Promoted after the moment of 7d reminder, before the 1d one.
    assert len(await reminder_dms(h, member(3))) == 1
    await at(h, bot, STARTS - timedelta(hours=1))
    await at(h, bot, STARTS - timedelta(minutes=59))
    assert len(await reminder_dms(h, member(2))) == 2
    assert len(await posts(h, ANNOUNCE)) == 3
    runs = await bot.reminders.repo.runs(3)
    assert [(r.outcome, r.recipients) for r in runs] == [("sent", 2)]


async def test_moving_the_event_moves_its_reminders(bot: Bot) -> None:
    h = await bot.start(T0, plenum_event())
    before = await event_rows(h)
    later = event(capacity=2, starts="2027-02-04T09:30", ends="2027-02-04T16:00")
    h = await bot.start(T0 + timedelta(hours=1), later)  # the config moved it by a week
    after = await event_rows(h)
    assert [(o, s) for o, s, _ in after] == [(o, s) for o, s, _ in before]
    assert [a[2] - b[2] for a, b in zip(after, before, strict=True)] == [7 * 86400] * 3
    # The 7-day reminder of the event a week later: at the old start time.
    assert h.services.jobs.next_run("reminder:1") == STARTS
    # Moved so close that the 7-day reminder's time has passed: that one is dropped, said so.
    sooner = event(capacity=2, starts="2027-01-20T09:30", ends="2027-01-20T16:00")
    h = await bot.start(T0 + timedelta(hours=2), sooner)
    assert [(o, s) for o, s, _ in await event_rows(h)] == [
        ("7d", "cancelled"),
        ("1d", "scheduled"),
        ("1h", "scheduled"),
    ]


async def test_cancelled_event_cancels_its_reminders(bot: Bot) -> None:
    h = await bot.start(T0, plenum_event())
    await h.send("!anmelden", sender=member(1))
    await h.send("!absagen plenum-2027 bestätigen", sender=ALICE, room_id=COORD_ROOM)
    assert [s for _, s, _ in await event_rows(h)] == ["cancelled"] * 3
    assert h.services.jobs.job_ids("reminder:") == []
    await at(h, bot, STARTS - timedelta(hours=1))
    assert await reminder_dms(h, member(1)) == []


async def test_after_downtime_late_before_the_start_missed_after_it(bot: Bot) -> None:
    h = await bot.start(T0, plenum_event())
    await h.send("!anmelden", sender=member(1))
    # Down over the 7-day and the 1-day reminder, back 2 hours after the latter: the 1-day
    # one is sent late, the 7-day one (beyond the grace time) is reported missed.
    h = await bot.start(STARTS - timedelta(hours=22), plenum_event())
    await bot.reminders.deliver_due()
    (late,) = await reminder_dms(h, member(1))
    assert "(Verspätet zugestellt: fällig war Mittwoch, 27. Januar 2027, 09:30 Uhr" in late
    (report,) = [p for p in await posts(h, COORD_ROOM) if "nicht verschickt" in p]
    assert report.startswith("Die Erinnerung „Plenum der ViR-Nordwest“ (eine Woche vorher, fällig ")
    # Down over the 1-hour reminder and the start: not sent after the start, reported.
    h = await bot.start(STARTS + timedelta(minutes=5), plenum_event())
    await bot.reminders.deliver_due()
    assert len(await reminder_dms(h, member(1))) == 1
    reports = [p for p in await posts(h, COORD_ROOM) if "nicht verschickt" in p]
    assert len(reports) == 2 and "(eine Stunde vorher" in reports[1]
    assert [s for _, s, _ in await event_rows(h)] == ["missed", "done", "missed"]


async def test_event_created_and_moved_in_chat(bot: Bot) -> None:
    h = await bot.start(T0)

    async def coord(text: str) -> None:
        await h.send(text, sender=ALICE, room_id=COORD_ROOM)

    await coord(
        '!veranstaltung-neu sommer-2027 titel="Sommerforum" beginn="24.06.2027 10:00" '
        "ende=15:00 ort=Oldenburg plaetze=5"
    )
    starts = datetime(2027, 6, 24, 8, 0, tzinfo=UTC)  # 10:00 summer time
    assert [(o, s, d) for o, s, d in await event_rows(h)] == [
        ("7d", "scheduled", int((starts - timedelta(days=7)).timestamp())),
        ("1d", "scheduled", int((starts - timedelta(days=1)).timestamp())),
        ("1h", "scheduled", int((starts - timedelta(hours=1)).timestamp())),
    ]
    await coord('!veranstaltung-aendern sommer-2027 beginn="25.06.2027 10:00"')
    moved = [d for _, _, d in await event_rows(h)]
    assert moved == [
        int((starts + timedelta(days=1) - offset).timestamp())
        for offset in (timedelta(days=7), timedelta(days=1), timedelta(hours=1))
    ]
    await h.send("!anmelden sommer-2027", sender=member(4))
    await at(h, bot, starts + timedelta(days=1) - timedelta(hours=1))
    (dm,) = await reminder_dms(h, member(4))
    assert "Sommerforum" in dm and "Freitag, 25. Juni 2027, 10:00 Uhr" in dm


async def test_moved_back_to_an_already_reminded_time_is_not_left_due(bot: Bot) -> None:
    """Review finding 13: the 1-hour reminder was sent; the clock then stood earlier (stepped
    back) while the event moved away and back. The row came back "scheduled" at the handled
    time and was refused for ever (the run exists); it must be settled, not sent again."""
    h = await bot.start(T0, plenum_event())
    await h.send("!anmelden", sender=member(1))
    await at(h, bot, STARTS - timedelta(hours=1))
    assert len(await reminder_dms(h, member(1))) == 1
    later = plenum_event(starts="2027-01-28T10:30", ends="2027-01-28T16:00")
    h = await bot.start(STARTS - timedelta(hours=2), later)
    h = await bot.start(STARTS - timedelta(hours=2), plenum_event())
    assert ("1h", "scheduled", int((STARTS - timedelta(hours=1)).timestamp())) in (
        await event_rows(h)
    )
    await at(h, bot, STARTS - timedelta(hours=1))
    assert [(o, s) for o, s, _ in await event_rows(h)][2] == ("1h", "done")
    assert await bot.reminders.repo.due_at(STARTS) == []
    assert len(await reminder_dms(h, member(1))) == 1  # not sent twice
