"""Registration on a real Synapse: a burst for too few seats, the waiting list, a promotion told
by direct message, and the CSV export that only the coordinator's DM receives."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import Counter

import pytest
from nio import AsyncClient, DownloadResponse, RoomMessagesResponse, RoomPreset, SyncResponse

from commands.plenum import Plenum
from tests.integration.conftest import (
    BotFactory,
    Inbox,
    bot_messages,
    create_room,
    eventually,
    react,
    reply_target,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration

MEMBERS = 40
SEATS = 25


async def open_dm(client: AsyncClient, bot_id: str) -> str:
    room_id = await create_room(
        client, invite=[bot_id], is_direct=True, preset=RoomPreset.trusted_private_chat
    )
    await wait_membership(client, room_id, bot_id, "join")
    return room_id


async def accept_dm_invite(client: AsyncClient, timeout: float = 60) -> str:
    """Join the direct message the bot opened with ``client`` (is_direct invite)."""
    async with asyncio.timeout(timeout):
        while True:
            resp = await client.sync(timeout=2000)
            assert isinstance(resp, SyncResponse)
            for room_id in resp.rooms.invite:
                await client.join(room_id)
                return room_id


async def event_ids(client: AsyncClient, room_id: str) -> set[str]:
    resp = await client.room_messages(room_id, start="", limit=200)
    assert isinstance(resp, RoomMessagesResponse), resp
    return {e.event_id for e in resp.chunk}


async def test_burst_waiting_list_promotion_and_export(start_bot: BotFactory, matrix_user) -> None:
    coordinator = await matrix_user("coord")
    running = await start_bot(coordinators=[coordinator.user_id])
    bot_id = running.user_id
    assert running.bot.services is not None
    plenum = next(c for c in running.bot.services.capabilities if isinstance(c, Plenum))
    coord_dm = await open_dm(coordinator, bot_id)
    room_id = await create_room(coordinator, invite=[bot_id])
    await wait_membership(coordinator, room_id, bot_id, "join")
    members = [await matrix_user("member", displayname=f"Mitglied {i}") for i in range(MEMBERS)]
    names = {m.user_id: f"Mitglied {i}" for i, m in enumerate(members)}
    for member in members:
        await coordinator.room_invite(room_id, member.user_id)
        await member.join(room_id)

    async with Inbox(coordinator, bot_id) as inbox:
        created = await send_text(
            coordinator,
            coord_dm,
            f'!veranstaltung-neu burst-2027 titel="Plenum Burst" beginn="28.01.2027 09:30" '
            f"ende=16:00 plaetze={SEATS}",
        )
        await inbox.wait_for(1)
        assert inbox.replies_to(created)[0]["content"]["body"].startswith("Angelegt:")

        # 40 members register within about a second for 25 seats.
        commands = await asyncio.gather(
            *(send_text(m, room_id, "!anmelden burst-2027") for m in members)
        )
        await inbox.wait_for(1 + MEMBERS, timeout=120)
        await asyncio.sleep(1.0)  # would a second reply to anything still arrive?
        targets = Counter(reply_target(e) for e in inbox.events if e["room_id"] == room_id)
        assert set(targets) == set(commands) and max(targets.values()) == 1
        # An answer on the next plenum shows the open event as it stands now.
        asked = await send_text(coordinator, room_id, "!frage Wann ist das nächste Plenum?")
        await inbox.wait_until(lambda _: inbox.replies_to(asked))
        shown = inbox.replies_to(asked)[0]["content"]["body"]
        assert "Plenum Burst (burst-2027)" in shown and "ausgebucht, 15 auf der Warteliste" in shown

    # Ground truth of the arrival order: the room's timeline.
    resp = await coordinator.room_messages(room_id, start="", limit=500)
    assert isinstance(resp, RoomMessagesResponse)
    order = [
        e.sender
        for e in reversed(resp.chunk)
        if e.source.get("content", {}).get("body") == "!anmelden burst-2027"
    ]
    assert len(order) == MEMBERS
    seated = [r.user_id for r in await plenum.reminder_recipients("burst-2027", _far_future())]
    assert seated == order[:SEATS]
    assert await plenum.attendee_count("burst-2027") == SEATS
    event = await plenum.event_info("burst-2027")
    assert event is not None
    waiting = [r for r in await plenum.repo.registrations(event.id) if r.status == "waitlist"]
    assert [r.user_id for r in waiting] == order[SEATS:]
    positions = [await plenum.repo.waitlist_position(r) for r in waiting]
    assert positions == list(range(1, MEMBERS - SEATS + 1))
    replies = {e["content"]["body"] for e in await bot_messages(coordinator, room_id, bot_id)}
    assert any("Warteliste (Platz 15)" in body for body in replies)

    # A seat is freed: the first on the waiting list moves up and is told by direct message.
    by_id = {m.user_id: m for m in members}
    leaving, promoted = by_id[order[0]], by_id[order[SEATS]]
    await send_text(leaving, room_id, "!abmelden burst-2027")
    promoted_dm = await accept_dm_invite(promoted)  # the bot opened it for the details
    db = running.bot.services.db

    async def sent_promotion() -> str | None:
        row = await db.fetchone(
            "SELECT sent_event_id, content FROM outbox WHERE user_id = ? AND status = 'sent' "
            "AND content LIKE '%nachger%'",
            (promoted.user_id,),
        )
        return None if row is None else row["sent_event_id"]

    async def told() -> bool:
        event_id = await sent_promotion()
        return event_id is not None and event_id in await event_ids(promoted, promoted_dm)

    # The bot's DMs are encrypted and this member's client is not: the member's own view of
    # its DM timeline proves the promotion message arrived there; the outbox row holds the
    # text that was encrypted.
    await eventually(told, timeout=60)
    row = await db.fetchone(
        "SELECT content FROM outbox WHERE sent_event_id = ?", (await sent_promotion(),)
    )
    notice = json.loads(row["content"])
    assert notice["body"].startswith("Sie sind nachgerückt: Sie haben jetzt einen Platz")
    assert notice["msgtype"] == "m.text"  # notifies, unlike a notice
    assert await plenum.is_attendee("burst-2027", promoted.user_id)
    assert not await plenum.is_attendee("burst-2027", leaving.user_id)

    # The export: refused in the group room, delivered only into the coordinator's DM.
    async with Inbox(coordinator, bot_id) as inbox:
        refused = await send_text(coordinator, room_id, "!export burst-2027")
        asked = await send_text(coordinator, coord_dm, "!export burst-2027")
        await inbox.wait_for(3, timeout=60)
        assert inbox.replies_to(refused)[0]["content"]["body"].startswith(
            "Diesen Befehl bitte im Koordinationsraum oder per Direktnachricht"
        )
        assert inbox.replies_to(asked)[0]["content"]["body"].startswith("Die Liste (39 Einträge)")
        files = [e for e in inbox.events if e["content"].get("msgtype") == "m.file"]
        assert [f["room_id"] for f in files] == [coord_dm]
    assert not [
        m
        for m in await bot_messages(coordinator, room_id, bot_id)
        if m["content"].get("msgtype") == "m.file"
    ]
    download = await coordinator.download(files[0]["content"]["url"])
    assert isinstance(download, DownloadResponse), download
    table = list(csv.reader(io.StringIO(download.body.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:5] == ["user_id", "display_name", "organisation", "workshop", "status"]
    assert len(table) == MEMBERS  # header + 39 registrations (one left)
    # The display name each member had in the room when registering.
    assert {row[0].removeprefix("'"): row[1] for row in table[1:]} == {
        uid: name for uid, name in names.items() if uid != leaving.user_id
    }
    statuses = Counter(row[4] for row in table[1:])
    assert statuses == {"registered": SEATS, "waitlist": MEMBERS - SEATS - 1}


def _far_future():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2100, 1, 1, tzinfo=UTC)


async def test_reactions_register_also_while_the_bot_was_down(
    start_bot: BotFactory, matrix_user
) -> None:
    coordinator = await matrix_user("coord")
    first, second = await matrix_user("member"), await matrix_user("member")
    running = await start_bot(coordinators=[coordinator.user_id])
    bot_id = running.user_id
    coord_dm = await open_dm(coordinator, bot_id)
    room_id = await create_room(coordinator, invite=[bot_id])
    await wait_membership(coordinator, room_id, bot_id, "join")
    for member in (first, second):
        await coordinator.room_invite(room_id, member.user_id)
        await member.join(room_id)
    async with Inbox(coordinator, bot_id) as inbox:
        await send_text(
            coordinator,
            coord_dm,
            '!veranstaltung-neu react-2027 titel="Forum" beginn="28.01.2027 09:30" ende=16:00',
        )
        await inbox.wait_for(1)
        await send_text(coordinator, room_id, "!ankuendigen react-2027")
        await inbox.wait_for(2)
        (announcement,) = [e for e in inbox.events if "mit ✅" in e["content"]["body"]]
    assert announcement["content"]["msgtype"] == "m.text"

    def plenum_of(handle) -> Plenum:  # type: ignore[no-untyped-def]
        return next(c for c in handle.bot.services.capabilities if isinstance(c, Plenum))

    reaction = await react(first, room_id, announcement["event_id"])

    async def first_registered() -> bool:
        return await plenum_of(running).is_attendee("react-2027", first.user_id)

    await eventually(first_registered)
    # While the bot is down: the first member takes the ✅ back, the second gives one.
    await running.stop()
    await first.room_redact(room_id, reaction)
    await react(second, room_id, announcement["event_id"], "✔️")
    running = await start_bot(coordinators=[coordinator.user_id])

    async def caught_up() -> bool:
        plenum = plenum_of(running)
        return await plenum.is_attendee("react-2027", second.user_id) and not (
            await plenum.is_attendee("react-2027", first.user_id)
        )

    await eventually(caught_up, timeout=30)
    assert await plenum_of(running).attendee_count("react-2027") == 1
