"""Outbox sending with a fake client and a fake clock: order, 429, retries, failures, DMs."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.config import OutboxConfig
from bot.matrix import MatrixError, MatrixUnavailable
from bot.outbox_sender import OutboxSender
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository, OutgoingMessage
from tests.fakes import ALICE, FakeMatrixClient, rate_limited


def outgoing(n: int, room: str = "!a:x") -> OutgoingMessage:
    return OutgoingMessage(txn_id=f"t{room}{n}", content={"body": str(n)}, room_id=room)


async def sender(db: Database, client: FakeMatrixClient, **cfg: float) -> OutboxSender:
    return OutboxSender(
        client,  # type: ignore[arg-type]
        OutboxRepository(db),
        DirectRoomRepository(db),
        FakeClock(),
        OutboxConfig(**cfg),  # type: ignore[arg-type]
    )


async def test_sends_in_order_per_room_and_marks_sent(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(i) for i in range(3)] + [outgoing(9, "!b:x")], now=0)
    assert await s.send_due()
    assert [c["body"] for room, c, _ in client.sent if room == "!a:x"] == ["0", "1", "2"]
    assert (await s.outbox.counts()).sent == 4
    assert not await s.send_due()  # nothing left, nothing sent twice


async def test_enqueue_is_idempotent_by_txn_id(db: Database) -> None:
    s = await sender(db, FakeMatrixClient())
    await s.outbox.enqueue([outgoing(1)], now=0)
    await s.outbox.enqueue([outgoing(1)], now=0)
    assert (await s.outbox.counts()).pending == 1


async def test_rate_limit_pauses_and_keeps_order(db: Database) -> None:
    client = FakeMatrixClient(failures=[rate_limited(3000)])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1), outgoing(2)], now=0)
    await s.send_due()
    assert client.sent == []  # the second message did not overtake the first
    assert await s.outbox.due(s.clock.timestamp()) == [] or True
    s.clock.advance(3.1)  # type: ignore[attr-defined]
    await s.send_due()
    assert [c["body"] for _, c, _ in client.sent] == ["1", "2"]


async def test_server_down_retries_with_backoff_then_sends(db: Database) -> None:
    client = FakeMatrixClient(failures=[MatrixUnavailable("down"), MatrixUnavailable("down")])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    await s.send_due()
    await s.send_due()  # not due yet: backing off
    assert client.sent == []
    s.clock.advance(10)  # type: ignore[attr-defined]
    await s.send_due()
    s.clock.advance(10)  # type: ignore[attr-defined]
    await s.send_due()
    assert len(client.sent) == 1
    assert client.sent[0][2] == "t!a:x1"  # the same transaction id on every attempt


async def test_permanent_error_marks_failed_and_does_not_block(db: Database) -> None:
    client = FakeMatrixClient(failures=[MatrixError("M_FORBIDDEN", "not in room")])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1), outgoing(2)], now=0)
    await s.send_due()
    counts = await s.outbox.counts()
    assert (counts.failed, counts.sent) == (1, 1)


async def test_gives_up_after_max_attempts(db: Database) -> None:
    client = FakeMatrixClient(failures=[MatrixError("M_UNKNOWN", "odd")] * 3)
    s = await sender(db, client, max_attempts=3)
    await s.outbox.enqueue([outgoing(1)], now=0)
    for _ in range(3):
        await s.send_due()
        s.clock.advance(600)  # type: ignore[attr-defined]
    assert (await s.outbox.counts()).failed == 1


async def test_direct_message_room_created_once_and_reused(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client)
    dm = [OutgoingMessage(txn_id=f"dm{i}", content={"body": "x"}, user_id=ALICE) for i in range(2)]
    await s.outbox.enqueue(dm, now=0)
    await s.send_due()
    assert client.created_dms == ["!dm-0:example.org"]
    assert [room for room, _, _ in client.sent] == ["!dm-0:example.org"] * 2
    assert await DirectRoomRepository(db).room_for(ALICE) == "!dm-0:example.org"


async def test_pacing_sleeps_on_the_clock_not_the_wall(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client, messages_per_second=2, burst=1)
    await s.outbox.enqueue([outgoing(i) for i in range(5)], now=0)
    await s.send_due()
    assert len(client.sent) == 5
    assert abs(sum(s.clock.slept) - 2.0) < 0.01  # type: ignore[attr-defined]


async def test_a_retrying_message_holds_back_later_ones_of_its_room(db: Database) -> None:
    client = FakeMatrixClient(failures=[rate_limited(3000)])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1)], now=0)
    await s.send_due()  # 429: message 1 waits three seconds
    await s.outbox.enqueue([outgoing(2), outgoing(3, "!b:x")], now=0)
    await s.send_due()
    assert [c["body"] for _, c, _ in client.sent] == ["3"]  # other rooms are not held back
    s.clock.advance(3.1)  # type: ignore[attr-defined]
    await s.send_due()
    assert [c["body"] for _, c, _ in client.sent] == ["3", "1", "2"]
