"""Reminders against a real Synapse: on time once, once and marked late across a restart, and a
recurring reminder that fires twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.timeparse import Rule
from commands.reminders import Reminders
from tests.integration.conftest import (
    BotFactory,
    Inbox,
    RunningBot,
    bot_messages,
    create_room,
    reply_target,
    send_text,
    wait_membership,
)

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
        command = await send_text(coordinator, room_id, "!erinnerung in 10 Sekunden; Tagesordnung")
        await inbox.wait_for(1)
        assert inbox.replies_to(command)
        stopped_at = asyncio.get_running_loop().time()
        await running.stop()
        # Stay down until well after the due time.
        await asyncio.sleep(max(0.0, 14 - (asyncio.get_running_loop().time() - stopped_at)))
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


async def test_recurring_reminder_fires_twice(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    reminders = reminders_of(running)
    services = running.bot.services
    assert services is not None
    # Every minute, first due in two seconds: the second time comes from the rule.
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
        await inbox.wait_for(2, timeout=90)
        bodies = [e["content"]["body"] for e in reminders_in(inbox.events)]
        assert bodies == ["⏰ Erinnerung: Jede Minute"] * 2
        runs = await reminders.repo.runs(reminder_id)
        assert [r.outcome for r in runs] == ["sent", "sent"]
        assert runs[1].due - runs[0].due <= timedelta(seconds=60)
        assert runs[1].due.second == 0  # on the minute, from the rule, not from "now"
