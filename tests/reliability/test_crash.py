"""SIGKILL in the middle of a burst of 100 registrations and 10 room reminders, then restart:
every command answered exactly once, every registration stored once, every due reminder
delivered once, every direct message on the server once.

The bot runs as a real process (tests.fakes.BotProcess) so the kill is a real one: no clean-up,
no flush, the database left as the kernel found it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from nio import AsyncClient, JoinedRoomsResponse, RoomMessagesResponse

from bot.synapse_local import LocalSynapse
from storage.database import Database
from storage.sync_state import SyncStateRepository
from tests.fakes import BotProcess
from tests.integration.conftest import BotAccount, Inbox, bot_messages, reply_target, send_text
from tests.integration.test_runtime import room_with_bot
from tests.reliability.world import write_bot_config

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

MEMBERS = 10
EVENTS = [f"tagung-{n}" for n in range(1, 11)]  # 10 members x 10 events = 100 registrations
CAPACITY = 8  # 2 per event on the waiting list
REMINDERS = 10  # set by a coordinator at the start, due every 2 s: before, during, after the kill


def crash_config(path: Path, synapse: LocalSynapse, account: BotAccount, coordinator: str) -> Path:
    events = "".join(
        f"""
[[events]]
key = "{key}"
title = "Tagung {n}"
starts = "2027-03-{n:02d}T09:30"
ends = "2027-03-{n:02d}T16:00"
location = "Bremen"
capacity = {CAPACITY}
"""
        for n, key in enumerate(EVENTS, start=1)
    )
    # Twenty commands from one member: this test is not about the throttle.
    return write_bot_config(
        path, synapse, account, "throttle_commands = 30\n" + events, coordinators=(coordinator,)
    )


def stored_registrations(db_path: Path) -> Counter[tuple[str, str]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT e.key, r.user_id, r.status FROM plenum_registrations AS r "
            "JOIN plenum_events AS e ON e.id = r.event_id"
        ).fetchall()
    finally:
        conn.close()
    return Counter((key, status) for key, _, status in rows) + Counter(
        (key, user) for key, user, _ in rows
    )


async def direct_messages_on_server(synapse: LocalSynapse, db_path: Path) -> dict[str, int]:
    """Per member: the bot's events in the DM room, read with the bot's own session."""
    db = Database(db_path)
    await db.open()
    try:
        session = await SyncStateRepository(db).session()
        rows = await db.fetchall("SELECT user_id, room_id FROM dm_rooms")
    finally:
        await db.close()
    assert session is not None
    client = AsyncClient(synapse.url, session.user_id, device_id=session.device_id)
    client.restore_login(session.user_id, session.device_id, session.access_token)
    counts: dict[str, int] = {}
    try:
        # One DM room per member: a second one the bot opened (and forgot) would hold DMs
        # the rows below do not read.
        joined = await client.joined_rooms()
        assert isinstance(joined, JoinedRoomsResponse), joined
        dm_rooms = {row["room_id"] for row in rows}
        assert len(dm_rooms) == len({row["user_id"] for row in rows}) == len(rows)
        assert len(set(joined.rooms) - dm_rooms) == 1, "a room besides the DMs and the group"
        for row in rows:
            resp = await client.room_messages(row["room_id"], start="", limit=200)
            assert isinstance(resp, RoomMessagesResponse), resp
            counts[row["user_id"]] = sum(
                1
                for e in resp.chunk
                if e.sender == session.user_id
                and e.source.get("type") in ("m.room.message", "m.room.encrypted")
            )
    finally:
        await client.close()
    return counts


def direct_message_status(db_path: Path) -> Counter[str]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT status, count(*) FROM outbox WHERE user_id IS NOT NULL GROUP BY status"
        ).fetchall()
    finally:
        conn.close()
    return Counter(dict(rows))


async def direct_messages_drained(db_path: Path, timeout: float) -> Counter[str]:
    """Wait until no direct message is pending; returns the outbox's DM rows by status."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status = direct_message_status(db_path)
        if status["pending"] == 0 or asyncio.get_running_loop().time() > deadline:
            return status
        await asyncio.sleep(0.5)


def sent_direct_messages(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT user_id, count(*) FROM outbox WHERE user_id IS NOT NULL AND status = 'sent' "
            "GROUP BY user_id"
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


async def test_sigkill_during_registration_burst_loses_and_doubles_nothing(
    synapse: LocalSynapse, bot_account: BotAccount, matrix_user, tmp_path: Path
) -> None:
    db_path = bot_account.data_dir / "vir-bot.db"
    members = [await matrix_user("member") for _ in range(MEMBERS)]
    config = crash_config(tmp_path / "config.toml", synapse, bot_account, members[0].user_id)
    bot = await BotProcess.start(config)
    try:
        room_id = await room_with_bot(members[0], bot_account.user_id)
        for member in members[1:]:
            await members[0].room_invite(room_id, member.user_id)
            await member.join(room_id)
        async with Inbox(members[0], bot_account.user_id) as inbox:

            async def register(member: AsyncClient) -> list[str]:
                return [await send_text(member, room_id, f"!anmelden {key}") for key in EVENTS]

            async def remind() -> list[str]:
                return [
                    await send_text(
                        members[0], room_id, f"!erinnerung in {2 * n} Sekunden; Marke-{n:02d}"
                    )
                    for n in range(1, REMINDERS + 1)
                ]

            reminders = asyncio.create_task(remind())
            burst = asyncio.gather(*(register(m) for m in members))
            await inbox.wait_for(25, timeout=120)  # in the middle of the burst
            await bot.kill()
            killed_after = len(inbox.events)
            commands = [event_id for sent in await burst for event_id in sent]
            commands += await reminders
            bot = await BotProcess.start(config)
            await inbox.wait_for(len(commands) + REMINDERS, timeout=180)
            # DMs go out after the room replies (one new DM room per member first): wait for
            # the outbox to drain instead of a fixed time, which a loaded machine overran.
            dm_status = await direct_messages_drained(db_path, timeout=120)
            await asyncio.sleep(2.0)  # would a duplicate still arrive?
        assert await bot.stop() == 0
    finally:
        await bot.kill()

    assert 25 <= killed_after < len(commands), "the kill did not land inside the burst"
    targets = Counter(reply_target(e) for e in inbox.events)
    assert targets == Counter([*commands, *[None] * REMINDERS]), "each command answered once"
    truth = await bot_messages(members[0], room_id, bot_account.user_id)
    assert len(truth) == len(commands) + REMINDERS
    posted = [e["content"]["body"] for e in truth if reply_target(e) is None]
    for n in range(1, REMINDERS + 1):
        assert sum(f"Marke-{n:02d}" in body for body in posted) == 1, f"reminder {n}"

    stored = stored_registrations(db_path)
    for key in EVENTS:
        assert stored[(key, "registered")] == CAPACITY
        assert stored[(key, "waitlist")] == MEMBERS - CAPACITY
        for member in members:
            assert stored[(key, member.user_id)] == 1
    # Each member's DMs (confirmations, .ics, privacy notice): on the server exactly as sent.
    assert dm_status["pending"] == dm_status["failed"] == 0, f"DMs not all sent: {dm_status}"
    sent = sent_direct_messages(db_path)
    assert set(sent) == {m.user_id for m in members}
    assert await direct_messages_on_server(synapse, db_path) == sent
    late = sum("verspätet" in body.casefold() for body in posted)
    print(
        f"killed after {killed_after} of {len(commands)} replies; {late} reminders late; DMs {sent}"
    )
