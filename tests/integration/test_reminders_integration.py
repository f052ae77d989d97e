"""Reminders against a real Synapse: on time once, once and marked late across a restart, and a
recurring reminder that fires twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.feature import Capability
from bot.services import Services
from bot.timeparse import Rule
from commands import build_capabilities
from commands.reminders import Reminders, job_id
from tests.integration.conftest import (
    BotFactory,
    Inbox,
    RunningBot,
    bot_messages,
    create_room,
    eventually,
    reply_target,
    send_text,
    wait_membership,
)
from tests.integration.test_plenum_integration import accept_dm_invite, event_ids, open_dm

pytestmark = pytest.mark.integration

TEXT = "Plenum <b>vorbereiten</b> & Raum 3.14 buchen 😀"


async def room_with_bot(member, bot_id: str) -> str:  # type: ignore[no-untyped-def]
    room_id = await create_room(member, invite=[bot_id])
    await wait_membership(member, room_id, bot_id, "join")
    return room_id


async def coordinator_room(start_bot: BotFactory, matrix_user):  # type: ignore[no-untyped-def]
    """A coordinator, the bot, and a room of both."""
    coordinator = await matrix_user("coord")
    running = await start_bot(coordinators=[coordinator.user_id])
    return coordinator, running, await room_with_bot(coordinator, running.user_id)


def reminders_of(running: RunningBot) -> Reminders:
    assert running.bot.services is not None
    (found,) = [c for c in running.bot.services.capabilities if isinstance(c, Reminders)]
    return found


def reminders_in(events: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in events if reply_target(e) is None]


async def test_room_reminder_arrives_once_as_text_verbatim(
    start_bot: BotFactory, matrix_user
) -> None:
    coordinator, running, room_id = await coordinator_room(start_bot, matrix_user)
    async with Inbox(coordinator, running.user_id) as inbox:
        command = await send_text(coordinator, room_id, f"!erinnerung in 3 Sekunden; {TEXT}")
        await inbox.wait_for(2, timeout=30)
        await asyncio.sleep(2.0)  # would a duplicate still arrive?
        (confirmation,) = inbox.replies_to(command)
        assert confirmation["content"]["body"].startswith("Erinnerung Nr. 1 gesetzt: ")
        (reminder,) = reminders_in(inbox.events)
        content = reminder["content"]
        assert content["msgtype"] == "m.text"
        assert content["body"] == f"⏰ Erinnerung: {TEXT}"
        assert "&lt;b&gt;vorbereiten&lt;/b&gt;" in content["formatted_body"]
        truth = await bot_messages(coordinator, room_id, running.user_id)
        assert len(reminders_in(truth)) == 1


async def test_reminder_due_while_stopped_arrives_once_after_restart_marked_late(
    start_bot: BotFactory, matrix_user
) -> None:
    coordinator, running, room_id = await coordinator_room(start_bot, matrix_user)
    async with Inbox(coordinator, running.user_id) as inbox:
        sent_at = asyncio.get_running_loop().time()
        command = await send_text(coordinator, room_id, "!erinnerung in 6 Sekunden; Tagesordnung")
        await inbox.wait_for(1)
        assert inbox.replies_to(command)
        await running.stop()
        assert asyncio.get_running_loop().time() - sent_at < 6, "stopped after the due time"
        # Stay down until well after the due time.
        await asyncio.sleep(max(0.0, 9 - (asyncio.get_running_loop().time() - sent_at)))
        running = await start_bot(coordinators=[coordinator.user_id])
        await inbox.wait_for(2, timeout=30)
        await asyncio.sleep(2.0)
        (reminder,) = reminders_in(inbox.events)
        body = reminder["content"]["body"]
        assert body.startswith("⏰ Erinnerung: Tagesordnung\n(Verspätet zugestellt: fällig war ")
        assert reminder["content"]["msgtype"] == "m.text"
        truth = await bot_messages(coordinator, room_id, running.user_id)
        assert len(reminders_in(truth)) == 1
        runs = await reminders_of(running).repo.runs(1)
        assert [r.outcome for r in runs] == ["late"]


async def test_recurring_reminder_fires_and_rearms_from_its_rule(
    start_bot: BotFactory, matrix_user
) -> None:
    """A recurring reminder in the real process: the first time is delivered once, and the next
    time is armed in the live scheduler from the rule (on the minute), not from "now". Waiting
    for the second delivery would cost up to a minute; the delivery of an armed job is what
    the one-off tests here prove, the rule's later times tests/unit/test_reminders.py."""
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    reminders = reminders_of(running)
    services = running.bot.services
    assert services is not None
    rule = Rule("cron", tuple(range(60)), tuple(range(24)), None, tuple(range(1, 13)), None)
    first = services.clock.now() + timedelta(seconds=2)
    async with Inbox(member, running.user_id) as inbox:
        reminder_id = await reminders.repo.add(
            "room",
            first,
            created_by=member.user_id,
            now=services.clock.timestamp(),
            room_id=room_id,
            payload="Jede Minute",
            rule=rule.to_json(),
        )
        reminders._wake_at(reminder_id, first)
        await inbox.wait_for(1, timeout=30)
        bodies = [e["content"]["body"] for e in reminders_in(inbox.events)]
        assert bodies == ["⏰ Erinnerung: Jede Minute"]
        runs = await reminders.repo.runs(reminder_id)
        assert [r.outcome for r in runs] == ["sent"]
        # The rule's next time after the delivery (re-armed from "now" it would not be on the
        # minute). Not the minute after ``first``: a delivery that crosses a minute boundary
        # rightly arms the one after (the test failed so in CI, started at 19:30:58 UTC).
        handled = datetime.fromtimestamp(runs[0].handled_at, UTC)
        following = (handled + timedelta(minutes=1)).replace(second=0, microsecond=0)
        row = await reminders.repo.get(reminder_id)
        assert row is not None and row.status == "scheduled" and row.due == following
        armed = services.jobs.next_run(job_id(reminder_id))
        assert armed is not None and armed == following


async def test_event_reminder_reaches_the_registered_member_once_not_the_waiting_list(
    start_bot: BotFactory, matrix_user
) -> None:
    """An event reminder due 20 s after the start of the test (time enough for the two
    registrations): the member with the one seat gets the DM once (it is in their own DM
    timeline), the waiting-list member none."""
    coordinator, seated, waiting = [await matrix_user(n) for n in ("coord", "seated", "waiting")]
    tz = ZoneInfo("Europe/Berlin")
    now = datetime.now(tz)
    starts = (now + timedelta(minutes=4)).replace(second=0, microsecond=0)
    due = now + timedelta(seconds=20)
    offset = f"{int((starts - due).total_seconds())}s"

    def capabilities(services: Services) -> list[Capability]:
        # Only this event's one reminder, 20 s from now (the defaults are days ahead).
        cfg = services.config
        services.config = replace(cfg, reminders=replace(cfg.reminders, offsets=(offset,)))
        return build_capabilities(services)

    running = await start_bot(coordinators=[coordinator.user_id], capabilities=capabilities)
    room_id = await room_with_bot(coordinator, running.user_id)
    for member in (seated, waiting):
        await coordinator.room_invite(room_id, member.user_id)
        await member.join(room_id)
    coord_dm = await open_dm(coordinator, running.user_id)
    async with Inbox(coordinator, running.user_id) as inbox:
        # The end with its date: an hour after the start may be past midnight (a bare time
        # would then be read as before the start, and the test failed from 23:00 Berlin time).
        await send_text(
            coordinator,
            coord_dm,
            f'!veranstaltung-neu kurz-2027 titel="Kurzplenum" beginn="{starts:%d.%m.%Y %H:%M}" '
            f'ende="{starts + timedelta(hours=1):%d.%m.%Y %H:%M}" plaetze=1',
        )
        await inbox.wait_for(1)
        await send_text(seated, room_id, "!anmelden kurz-2027")
        await inbox.wait_for(2)
        await send_text(waiting, room_id, "!anmelden kurz-2027")
        await inbox.wait_for(3)
    assert datetime.now(tz) < due, "registrations must come before the reminder's time"
    db = running.bot.services.db  # type: ignore[union-attr]

    async def reminder_rows(user_id: str) -> list[Any]:
        return await db.fetchall(
            "SELECT status, sent_event_id, content FROM outbox WHERE user_id = ? "
            "AND content LIKE '%Erinnerung: Kurzplenum%'",
            (user_id,),
        )

    dm = await accept_dm_invite(seated, timeout=120)  # the bot opens the DM for the reminder

    async def arrived() -> bool:
        rows = await reminder_rows(seated.user_id)
        return bool(rows) and rows[0]["sent_event_id"] in await event_ids(seated, dm)

    await eventually(arrived, timeout=60)
    await asyncio.sleep(2.0)  # would a second one still go out?
    (row,) = await reminder_rows(seated.user_id)
    body = json.loads(row["content"])["body"]
    assert body.startswith("⏰ Erinnerung: Kurzplenum") and "Verspätet" not in body
    assert await reminder_rows(waiting.user_id) == []
