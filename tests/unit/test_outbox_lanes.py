"""Room messages and direct messages leave in two lanes: a DM that takes long to open (room
creation, keys) never holds up a reply in a room (docs/performance.md, burst)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.clock import FakeClock
from bot.config import OutboxConfig
from bot.outbox_sender import OutboxSender
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository, OutgoingMessage
from tests.fakes import ALICE, FakeMatrixClient


@dataclass
class SlowDirectClient(FakeMatrixClient):
    """Opening a DM waits until the test releases it."""

    opening: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def create_direct_room(self, user_id: str) -> str:
        self.opening.set()
        await self.release.wait()
        return await super().create_direct_room(user_id)


def lane_sender(db: Database, client: FakeMatrixClient) -> OutboxSender:
    return OutboxSender(
        client,  # type: ignore[arg-type]
        OutboxRepository(db),
        DirectRoomRepository(db),
        FakeClock(),
        OutboxConfig(),
    )


def to_room(txn_id: str, room_id: str = "!room:x", body: str = "reply") -> OutgoingMessage:
    return OutgoingMessage(txn_id=txn_id, content={"body": body}, room_id=room_id)


def to_member(txn_id: str, user_id: str = ALICE, body: str = "dm") -> OutgoingMessage:
    return OutgoingMessage(txn_id=txn_id, content={"body": body}, user_id=user_id)


async def queue(s: OutboxSender, *messages: OutgoingMessage) -> None:
    await s.outbox.enqueue(list(messages), now=s.clock.timestamp())


async def until(check: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(10):
        while not await check():  # noqa: ASYNC110 (the database has nothing to wait on)
            await asyncio.sleep(0.01)


async def test_a_slow_dm_does_not_hold_up_a_room_reply(db: Database) -> None:
    client = SlowDirectClient()
    s = lane_sender(db, client)
    dm = to_member("dm1", body="details")
    await queue(s, dm)
    task = asyncio.create_task(s.run())
    try:
        await asyncio.wait_for(client.opening.wait(), 10)  # the DM lane is busy opening
        reply = to_room("r1")
        await queue(s, reply)
        s.wake()

        async def sent(n: int) -> bool:
            return (await s.outbox.counts()).sent == n

        await until(lambda: sent(1))
        assert [c["body"] for _, c, _ in client.sent] == ["reply"]
        assert not client.release.is_set()  # the reply went out while the DM was still opening

        client.release.set()

        async def opened() -> bool:
            return bool(client.created_dms)

        await until(opened)
        client.synced()  # the new DM room is known after the next sync
        s.clock.advance(2)  # type: ignore[attr-defined]
        s.wake()
        await until(lambda: sent(2))
        assert client.sent[1][0] == client.created_dms[0]
    finally:
        s.stopping.set()
        s.wake()
        await asyncio.wait_for(task, 10)


async def test_send_due_without_a_lane_sends_both(db: Database) -> None:
    client = FakeMatrixClient()
    s = lane_sender(db, client)
    await queue(s, to_member("d"), to_room("r", body="room"))
    assert await s.send_due("rooms")
    assert [c["body"] for _, c, _ in client.sent] == ["room"]
    assert await s.send_due()  # both lanes: the DM room is opened, known after the next sync
    client.synced()
    s.clock.advance(2)  # type: ignore[attr-defined]
    assert await s.send_due()
    assert sorted(c["body"] for _, c, _ in client.sent) == ["dm", "room"]
    assert not await s.send_due()


async def test_a_lane_is_not_starved_by_many_rows_of_the_other(db: Database) -> None:
    """More DMs pending than one read returns: the room lane still sees its reply."""
    client = FakeMatrixClient()
    s = lane_sender(db, client)
    dms = [to_member(f"d{i}", f"@m{i}:x") for i in range(150)]
    reply = to_room("r")
    await queue(s, *dms, reply)
    assert await s.send_due("rooms")
    assert [c["body"] for _, c, _ in client.sent] == ["reply"]


@dataclass
class SlowRoomClient(FakeMatrixClient):
    """Sending into a room waits until the test releases it."""

    sending: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(
        self, room_id: str, event_type: str, content: dict[str, object], txn_id: str
    ) -> str:
        if not room_id.startswith("!dm-"):
            self.sending.set()
            await self.release.wait()
        return await super().send(room_id, event_type, content, txn_id)  # type: ignore[arg-type]


async def test_replies_in_rooms_go_before_direct_messages(db: Database) -> None:
    client = SlowRoomClient()
    s = lane_sender(db, client)
    reply = to_room("r")
    await queue(s, reply)
    task = asyncio.create_task(s.run())
    try:
        await asyncio.wait_for(client.sending.wait(), 10)  # the room lane is busy
        dm = to_member("d")
        await queue(s, dm)
        s.wake()
        await asyncio.sleep(0.2)
        assert client.created_dms == []  # the DM waits while a reply is being sent
        client.release.set()

        async def sent(n: int) -> bool:
            return (await s.outbox.counts()).sent == n

        async def opened() -> bool:
            return bool(client.created_dms)

        await until(opened)
        client.synced()  # the new DM room is known after the next sync
        s.clock.advance(2)  # type: ignore[attr-defined]
        s.wake()
        await until(lambda: sent(2))
        assert [c["body"] for _, c, _ in client.sent] == ["reply", "dm"]
    finally:
        s.stopping.set()
        s.wake()
        await asyncio.wait_for(task, 10)


@dataclass
class SlowBothClient(SlowRoomClient):
    """Room sends wait for ``release``; opening a DM waits for ``release_dm``."""

    opened: list[str] = field(default_factory=list)
    release_dm: asyncio.Event = field(default_factory=asyncio.Event)

    async def create_direct_room(self, user_id: str) -> str:
        self.opened.append(user_id)
        await self.release_dm.wait()
        return await super().create_direct_room(user_id)


async def test_a_batch_of_direct_messages_yields_to_a_reply_queued_meanwhile(
    db: Database,
) -> None:
    """Replies first holds before every DM, not only before a batch: in a burst the DM lane
    (room creation, keys) must not keep competing with the replies members wait for."""
    client = SlowBothClient()
    s = lane_sender(db, client)
    dms = [to_member(f"d{i}", f"@m{i}:x") for i in range(6)]
    await queue(s, *dms)
    task = asyncio.create_task(s.run())
    try:

        async def opening(n: int) -> bool:
            return len(client.opened) == n

        await until(lambda: opening(4))  # four DMs at a time: the batch is under way
        reply = to_room("r")
        await queue(s, reply)
        s.wake()
        await asyncio.wait_for(client.sending.wait(), 10)  # the reply is being sent
        client.release_dm.set()
        await asyncio.sleep(0.2)
        assert len(client.opened) == 4  # the rest of the batch waits for the reply
        client.release.set()
        await until(lambda: opening(6))
    finally:
        s.stopping.set()
        s.wake()
        await asyncio.wait_for(task, 10)


@dataclass
class OneSlowRoomClient(FakeMatrixClient):
    """Sends to ``!slow:x`` wait for ``release``; counts the sends open at once."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    open_now: int = 0
    most_open: int = 0

    async def send(
        self, room_id: str, event_type: str, content: dict[str, object], txn_id: str
    ) -> str:
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            await asyncio.sleep(0.01)
            if room_id == "!slow:x":
                await self.release.wait()
            return await super().send(room_id, event_type, content, txn_id)  # type: ignore[arg-type]
        finally:
            self.open_now -= 1


async def test_one_send_at_a_time_unless_one_is_slow(db: Database) -> None:
    """Sends to several rooms go one after the other (a homeserver answers several at once
    more slowly, docs/performance.md); a send still open after SLOW_SEND_SECONDS lets the
    other rooms go ahead, so one stuck room never holds up the rest."""
    client = OneSlowRoomClient()
    s = lane_sender(db, client)
    fast = [to_room(f"f{i}", f"!fast{i}:x", "fast") for i in range(3)]
    await queue(s, *fast)
    assert await s.send_due("rooms")
    assert client.most_open == 1 and len(client.sent) == 3

    slow = to_room("s", "!slow:x", "slow")
    more = to_room("m", "!more:x", "more")
    await queue(s, slow, more)
    sending = asyncio.create_task(s.send_due("rooms"))
    await asyncio.sleep(0.1)
    assert [c["body"] for _, c, _ in client.sent[3:]] == []  # the next room waits its turn

    async def more_sent() -> bool:
        return [c["body"] for _, c, _ in client.sent[3:]] == ["more"]

    await until(more_sent)  # after SLOW_SEND_SECONDS the slow one gave way
    assert not client.release.is_set()
    client.release.set()
    await asyncio.wait_for(sending, 10)
    assert sorted(c["body"] for _, c, _ in client.sent[3:]) == ["more", "slow"]


async def test_a_stop_ends_idle_lanes_at_once(db: Database) -> None:
    """An idle lane waits on its wake event alone (no helper tasks between a commit and the
    send); a stop must wake it, not leave it asleep until its next poll (30 s)."""
    s = lane_sender(db, FakeMatrixClient())
    running = asyncio.create_task(s.run())
    await queue(s, to_room("r1"))
    s.wake()
    await until(lambda: _sent(s.client, 1))  # type: ignore[arg-type]
    s.stopping.set()
    async with asyncio.timeout(10):
        await running


async def _sent(client: FakeMatrixClient, n: int) -> bool:
    return len(client.sent) >= n
