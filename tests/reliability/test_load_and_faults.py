"""Flood, gap and a locked database, against the real bot and a real Synapse."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.i18n import tr
from tests.integration.conftest import (
    BotFactory,
    Inbox,
    bot_messages,
    eventually,
    reply_target,
    send_text,
)
from tests.integration.test_runtime import room_with_bot
from tests.reliability.safety import content_problems

pytestmark = [pytest.mark.integration, pytest.mark.reliability]


async def test_flood_is_throttled_politely_and_others_still_get_answers(
    start_bot: BotFactory, matrix_user, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.router")
    flooder = await matrix_user("member")
    other = await matrix_user("member")
    running = await start_bot()  # default throttle: 10 commands per 60 s and member
    room_id = await room_with_bot(flooder, running.user_id)
    await flooder.room_invite(room_id, other.user_id)
    await other.join(room_id)
    async with Inbox(other, running.user_id) as inbox:
        flood: list[str] = []
        others: list[str] = []
        started = time.monotonic()
        for n in range(100):  # 100 commands in about 10 s
            flood.append(await send_text(flooder, room_id, "!hilfe frage" if n % 3 else "!hilfe"))
            if n % 20 == 10:
                others.append(await send_text(other, room_id, "!hilfe frage"))
            await asyncio.sleep(max(0.0, started + (n + 1) * 0.1 - time.monotonic()))
        await inbox.wait_for(11 + len(others), timeout=60)
        await asyncio.sleep(1.0)  # would anything more arrive?

    targets = Counter(reply_target(e) for e in inbox.events)
    assert all(targets[event_id] == 1 for event_id in others), "the other member lost answers"
    answered = [event_id for event_id in flood if targets[event_id]]
    assert answered == flood[:11], "the first 10 answered, the 11th warned, then silence"
    assert max(targets.values()) == 1
    warning = next(e for e in inbox.events if reply_target(e) == flood[10])["content"]
    assert warning["body"] == tr("de", "throttled", seconds=60)
    assert warning["msgtype"] == "m.notice"
    assert content_problems(warning, {flooder.user_id}) == []
    assert caplog.text.count(f"throttled {flooder.user_id}") == 89
    truth = await bot_messages(other, room_id, running.user_id)
    assert len(truth) == 11 + len(others)


async def test_gap_of_60_messages_while_down_is_back_filled(
    start_bot: BotFactory, matrix_user, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.dispatch")
    member = await matrix_user("member")
    running = await start_bot(throttle_commands=100)
    room_id = await room_with_bot(member, running.user_id)
    await running.stop()
    commands: list[str] = []
    for n in range(60):  # 15 commands among 45 chat messages, the bot is down
        if n % 4 == 0:
            commands.append(await send_text(member, room_id, f"!hilfe {n}"))
        else:
            await send_text(member, room_id, f"Plauderei {n}: @room wer kommt mit?")
    # The homeserver's default timeline limit (10): the sync comes back "limited".
    running = await start_bot(timeline_limit=10, throttle_commands=100)
    after = await send_text(member, room_id, "!hilfe status")

    async def all_answered() -> bool:
        truth = await bot_messages(member, room_id, running.user_id)
        return len(truth) >= len(commands) + 1

    await eventually(all_answered, timeout=60)
    await asyncio.sleep(1.0)  # would a duplicate still arrive?
    targets = Counter(reply_target(e) for e in await bot_messages(member, room_id, running.user_id))
    assert targets == Counter([*commands, after]), "each command of the gap answered once"
    backfilled = [r.getMessage() for r in caplog.records if "back-filled" in r.getMessage()]
    assert backfilled, "the gap was not back-filled (the test did not test a gap)"


def hold_exclusive_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another process's view: a plain sqlite3 connection holding the write lock."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


async def test_database_locked_for_10_s_commands_wait_nothing_lost(
    start_bot: BotFactory, matrix_user, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        first = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        locked = threading.Event()
        holder = asyncio.create_task(
            asyncio.to_thread(hold_exclusive_lock, running.data_dir / "vir-bot.db", 10, locked)
        )
        await asyncio.to_thread(locked.wait, 30)
        during = [await send_text(member, room_id, f"!hilfe {n}") for n in range(5)]
        await holder
        await inbox.wait_for(1 + len(during), timeout=60)
        await asyncio.sleep(1.0)
    targets = Counter(reply_target(e) for e in inbox.events)
    assert targets == Counter([first, *during])
    assert not running.task.done(), "the bot gave up on a locked database"
    assert "database is locked" in caplog.text, "the lock was never met (the test tested nothing)"
