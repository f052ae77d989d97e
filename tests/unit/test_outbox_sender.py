"""Outbox sending with a fake client and a fake clock: order, 429, outages, rooms not known
yet, give-up by age with a report, DMs that are never opened twice, retention."""

from __future__ import annotations

import json

from bot.backoff import Reachability
from bot.clock import FakeClock
from bot.config import OutboxConfig
from bot.matrix import MatrixError, MatrixUnavailable
from bot.outbox_sender import OutboxSender
from bot.posting import Poster, Target
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import Attachment, OutboxRepository, OutgoingMessage
from tests.fakes import ALICE, BOB, COORD_ROOM, FakeMatrixClient, SimClock, rate_limited

HOUR = 3600.0


def outgoing(n: int, room: str = "!a:x") -> OutgoingMessage:
    return OutgoingMessage(txn_id=f"t{room}{n}", content={"body": str(n)}, room_id=room)


def dm(n: int, user: str = ALICE) -> OutgoingMessage:
    return OutgoingMessage(txn_id=f"dm{user}{n}", content={"body": f"dm {n}"}, user_id=user)


async def sender(
    db: Database, client: FakeMatrixClient, coordination_room: str = "", **cfg: float
) -> OutboxSender:
    clock = FakeClock()
    return OutboxSender(
        client,  # type: ignore[arg-type]
        OutboxRepository(db),
        DirectRoomRepository(db),
        clock,
        OutboxConfig(**cfg),  # type: ignore[arg-type]
        # The probe runs on a clock of its own that never moves: tests say when it is back.
        reachability=Reachability(client.probe, SimClock()),
        poster=Poster(db, clock),
        coordination_room=coordination_room,
    )


async def rows(db: Database) -> list[dict]:
    return [dict(r) for r in await db.fetchall("SELECT * FROM outbox ORDER BY id")]


def bodies(client: FakeMatrixClient, room: str | None = None) -> list[str]:
    return [c["body"] for r, c, _ in client.sent if room is None or r == room]


async def test_sends_in_order_per_room_and_marks_sent(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client)
    await s.outbox.enqueue(
        [outgoing(i) for i in range(3)] + [outgoing(9, "!b:x")], now=s.clock.timestamp()
    )
    assert await s.send_due()
    assert bodies(client, "!a:x") == ["0", "1", "2"]
    assert (await s.outbox.counts()).sent == 4
    assert not await s.send_due()  # nothing left, nothing sent twice


async def test_enqueue_is_idempotent_by_txn_id(db: Database) -> None:
    s = await sender(db, FakeMatrixClient())
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    assert (await s.outbox.counts()).pending == 1


async def test_rate_limit_pauses_keeps_order_and_is_no_failed_attempt(db: Database) -> None:
    client = FakeMatrixClient(failures=[rate_limited(3000)])
    s = await sender(db, client)
    now = s.clock.timestamp()
    await s.outbox.enqueue([outgoing(1), outgoing(2)], now=now)
    await s.send_due()
    assert client.sent == []  # the second message did not overtake the first
    assert await s.outbox.due(s.clock.timestamp()) == []  # both wait for the pause
    assert [r["attempts"] for r in await rows(db)] == [0, 0]  # waiting for a 429 is no failure
    s.clock.advance(3.1)
    await s.send_due()
    assert bodies(client) == ["1", "2"]


async def test_outage_waits_for_the_homeserver_without_failing_or_counting(
    db: Database,
) -> None:
    client = FakeMatrixClient(reachable=False)
    s = await sender(db, client, give_up_after=HOUR)
    await s.outbox.enqueue([outgoing(1), outgoing(2), outgoing(3, "!b:x")], now=s.clock.timestamp())
    await s.send_due()
    assert not s.reachability.is_up
    tried = client.requests
    assert 1 <= tried <= 2  # at most one per room, then the sender stops asking
    for _ in range(20):  # however often it is woken meanwhile: no request while down
        s.clock.advance(60)
        await s.send_due()
    assert client.requests == tried
    client.reachable = True
    s.reachability.report_up()  # what the probe does once the homeserver answers
    await s.send_due()
    assert sorted(bodies(client)) == ["1", "2", "3"]
    assert bodies(client, "!a:x") == ["1", "2"]
    assert [t for _, _, t in client.sent if t.startswith("t!a:x")] == ["t!a:x1", "t!a:x2"]
    counts = await s.outbox.counts()
    assert (counts.sent, counts.failed) == (3, 0)
    assert {r["attempts"] for r in await rows(db)} == {1}  # only the successful send counts


async def test_a_502_while_the_probe_says_up_is_retried_not_failed(db: Database) -> None:
    client = FakeMatrixClient(failures=[MatrixUnavailable("HTTP 502: unknown error")])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    await s.send_due()
    assert (await s.outbox.counts()).failed == 0 and client.sent == []
    s.reachability.report_up()
    await s.send_due()
    assert bodies(client) == ["1"]


async def test_pending_from_an_earlier_run_waits_for_the_first_sync(db: Database) -> None:
    """Before this process has synced, no room is known: that is no reason to fail."""
    client = FakeMatrixClient(joined={"!a:x"}, syncs=0)
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1), outgoing(2), dm(1)], now=s.clock.timestamp())
    for _ in range(5):
        await s.send_due()
        s.clock.advance(60)
    assert client.sent == [] and client.created_dms == []
    assert (await s.outbox.counts()).failed == 0
    client.synced()
    await s.send_due()
    s.clock.advance(60)
    client.synced()  # the new DM room is known after the next sync
    await s.send_due()
    assert bodies(client, "!a:x") == ["1", "2"]
    assert bodies(client) == ["1", "2", "dm 1"]
    assert (await s.outbox.counts()).failed == 0


async def test_not_joined_after_a_sync_fails_at_once_and_is_reported_once(db: Database) -> None:
    client = FakeMatrixClient(joined={"!a:x"})  # synced: !gone:x is not among the rooms
    s = await sender(db, client, coordination_room=COORD_ROOM)
    await s.outbox.enqueue([outgoing(1, "!gone:x"), outgoing(2, "!a:x")], now=s.clock.timestamp())
    client.joined.add(COORD_ROOM)  # type: ignore[union-attr]
    await s.send_due()
    await s.send_due()  # the report goes out like any message
    counts = await s.outbox.counts()
    assert (counts.failed, counts.sent) == (1, 2)
    (report,) = [c for room, c, _ in client.sent if room == COORD_ROOM]
    assert "outbox-1" in report["body"] and "!gone:x" in report["body"]
    assert "M_FORBIDDEN" in report["body"]
    # Reported once: the key outbox-failed:<id> is idempotent.
    assert not await s.poster.post_content(
        Target.room(COORD_ROOM), {"body": "again"}, key="outbox-failed:1"
    )
    (failure,) = await s.outbox.recent_failures()
    assert (failure.id, failure.target) == (1, "!gone:x") and "M_FORBIDDEN" in failure.error


async def test_kicked_during_the_run_fails_the_row(db: Database) -> None:
    client = FakeMatrixClient(joined={"!a:x"})
    s = await sender(db, client)
    client.left.add("!a:x")  # the sync showed the bot's leave (kick, ban)
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    await s.send_due()
    assert (await s.outbox.counts()).failed == 1 and client.requests == 0


async def test_gives_up_by_age_not_by_count(db: Database) -> None:
    client = FakeMatrixClient(failures=[MatrixError("M_UNKNOWN", "odd")] * 40)
    s = await sender(db, client, coordination_room=COORD_ROOM, give_up_after=24 * HOUR)
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    for _ in range(30):  # many more attempts than the old max_attempts of 12
        await s.send_due()
        s.clock.advance(0.4 * HOUR)
    assert (await s.outbox.counts()).failed == 0
    s.clock.advance(13 * HOUR)
    await s.send_due()
    assert (await s.outbox.counts()).failed == 1
    (failure,) = await s.outbox.recent_failures()
    assert "not delivered within 24 h" in failure.error and "M_UNKNOWN" in failure.error
    report = json.loads((await rows(db))[-1]["content"])
    assert "outbox-1" in report["body"]


async def test_a_failure_in_the_coordination_room_itself_is_not_reported_there(
    db: Database,
) -> None:
    client = FakeMatrixClient(joined=set())
    s = await sender(db, client, coordination_room=COORD_ROOM)
    await s.outbox.enqueue([outgoing(1, COORD_ROOM)], now=s.clock.timestamp())
    await s.send_due()
    assert [r["status"] for r in await rows(db)] == ["failed"]  # no report row was added


async def test_direct_message_room_created_once_and_reused(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client)
    await s.outbox.enqueue([dm(1), dm(2)], now=s.clock.timestamp())
    await s.send_due()
    client.synced()
    s.clock.advance(2)
    await s.send_due()
    assert client.created_dms == ["!dm-0:example.org"]
    assert [room for room, _, _ in client.sent] == ["!dm-0:example.org"] * 2
    assert await DirectRoomRepository(db).room_for(ALICE) == "!dm-0:example.org"
    assert client.m_direct == {ALICE: ["!dm-0:example.org"]}


async def test_dm_id_is_recorded_before_m_direct_can_fail(db: Database) -> None:
    client = FakeMatrixClient(fail_record_direct=True)
    s = await sender(db, client)
    await s.outbox.enqueue([dm(1)], now=s.clock.timestamp())
    await s.send_due()
    assert await DirectRoomRepository(db).room_for(ALICE) == "!dm-0:example.org"
    client.synced()
    s.clock.advance(2)
    await s.send_due()
    assert client.created_dms == ["!dm-0:example.org"] and bodies(client) == ["dm 1"]


async def test_lost_create_answer_never_opens_a_second_dm(db: Database) -> None:
    """The homeserver created the room but its answer was lost (or the bot crashed before
    recording it): the next sync shows the room by its marker, and it is reused."""
    client = FakeMatrixClient(joined=set(), lose_create_response=True)
    s = await sender(db, client)
    await s.outbox.enqueue([dm(1)], now=s.clock.timestamp())
    await s.send_due()  # created on the server, the answer timed out
    s.reachability.report_up()  # the probe answers: the homeserver is fine
    for _ in range(3):  # no sync yet: waiting, not creating again
        s.clock.advance(60)
        await s.send_due()
    assert client.created_dms == ["!dm-0:example.org"]
    client.synced()
    s.clock.advance(60)
    await s.send_due()
    assert client.created_dms == ["!dm-0:example.org"]
    assert bodies(client) == ["dm 1"]
    assert await DirectRoomRepository(db).room_for(ALICE) == "!dm-0:example.org"


async def test_after_a_restart_the_dm_opened_before_the_crash_is_found(db: Database) -> None:
    first = FakeMatrixClient(joined=set(), lose_create_response=True)
    s = await sender(db, first)
    await s.outbox.enqueue([dm(1)], now=s.clock.timestamp())
    await s.send_due()  # the process dies here: the database does not know the room
    assert await DirectRoomRepository(db).room_for(ALICE) is None
    # The next process: its first sync (full state) shows the room with the bot's marker.
    again = FakeMatrixClient(joined=set(), syncs=0)
    again._on_server = dict(first._on_server)
    restarted = await sender(db, again)
    await restarted.send_due()  # not synced yet: nothing happens
    again.synced()
    restarted.clock.advance(60)
    await restarted.send_due()
    assert again.created_dms == [] and bodies(again) == ["dm 1"]


async def test_pacing_sleeps_on_the_clock_not_the_wall(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client, messages_per_second=2, burst=1)
    await s.outbox.enqueue([outgoing(i) for i in range(5)], now=s.clock.timestamp())
    await s.send_due()
    assert len(client.sent) == 5
    assert abs(sum(s.clock.slept) - 2.0) < 0.01  # type: ignore[attr-defined]


async def test_a_retrying_message_holds_back_later_ones_of_its_room(db: Database) -> None:
    client = FakeMatrixClient(failures=[rate_limited(3000)])
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1)], now=s.clock.timestamp())
    await s.send_due()  # 429: message 1 waits three seconds
    await s.outbox.enqueue([outgoing(2), outgoing(3, "!b:x")], now=s.clock.timestamp())
    await s.send_due()
    assert bodies(client) == ["3"]  # other rooms are not held back
    s.clock.advance(3.1)
    await s.send_due()
    assert bodies(client) == ["3", "1", "2"]


async def test_retention_drops_content_and_files_keeps_answer_feedback(db: Database) -> None:
    client = FakeMatrixClient()
    s = await sender(db, client)
    outbox = s.outbox
    now = s.clock.timestamp()
    export = Attachment("daten.json", "application/json", b'{"user": "bob"}')
    await outbox.enqueue(
        [
            outgoing(1),  # an answer in a room: its event id must still map to its key
            OutgoingMessage("file", {"body": "daten.json"}, user_id=BOB, attachment=export),
            outgoing(2, "!gone:x"),
        ],
        now=now,
    )
    client.left.add("!gone:x")
    await s.send_due()
    client.synced()
    s.clock.advance(2)
    await s.send_due()
    await outbox.enqueue([outgoing(3)], now=now)  # still pending: never touched
    answer_event = (await rows(db))[0]["sent_event_id"]
    assert [r["status"] for r in await rows(db)] == ["sent", "sent", "failed", "pending"]
    assert await outbox.forget_before(now - 1) == 0  # nothing is old enough yet
    assert await outbox.forget_before(s.clock.timestamp() + 1) == 3
    left = await rows(db)
    assert [(r["txn_id"], r["status"], r["content"]) for r in left] == [
        ("t!a:x1", "sent", "{}"),
        ("t!a:x3", "pending", json.dumps({"body": "3"})),
    ]
    assert await db.fetchall("SELECT * FROM outbox_files") == []
    # The file was uploaded once, when the new DM was known (encrypted exactly when it is).
    assert [status.value for _, status in client.uploads] == ["joined"]
    assert await outbox.txn_for_event(answer_event) == "t!a:x1"


async def test_a_row_already_in_the_timeline_is_not_sent_again_however_old(db: Database) -> None:
    """After a restore the database is as old as the backup: replies and reminders the bot
    had sent after it are due again. The timeline read again shows them with the bot's
    transaction ids; such a row is marked sent with that event, not sent a second time. The
    fake client, like a homeserver after 24 hours, de-duplicates nothing: every send counts."""
    client = FakeMatrixClient()
    s = await sender(db, client)
    await s.outbox.enqueue([outgoing(1), outgoing(2)], now=s.clock.timestamp())
    client.posted[outgoing(1).txn_id] = "$sent-before-the-restore"
    assert await s.send_due()
    assert bodies(client) == ["2"]
    sent = {r["txn_id"]: r["sent_event_id"] for r in await rows(db)}
    assert sent[outgoing(1).txn_id] == "$sent-before-the-restore"
