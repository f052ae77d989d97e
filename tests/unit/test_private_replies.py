"""A reply in a member's DM is checked again when it is sent (REVIEW-10 R3).

The reply to ``!anmelden`` in a DM carries the registration details because the room was the
member's DM when the command ran. If the homeserver is away and the member invites a
colleague in the meantime, the queued reply must not go to that room: it goes to the member's
DM (a new one), the room gets a note without the details, once, also across a crash. Real
SQLite, the real router and outbox sender, a fake client and a fake clock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.backoff import Reachability
from bot.config import OutboxConfig
from bot.direct_rooms import DirectRoomInfo
from bot.events import IncomingReaction
from bot.matrix import MatrixError, MatrixUnavailable
from bot.outbox_sender import DIRECT, ROOMS, OutboxSender
from bot.posting import Poster
from commands import build_capabilities as build_all
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository
from tests.fakes import BOT, COORD_ROOM, FakeMatrixClient, Harness, SimClock, make_config
from tests.unit.conftest import HarnessFactory
from tests.unit.test_plenum import config as plenum_config
from tests.unit.test_plenum import event, make, member
from tests.unit.test_summaries import ALICE as COORDINATOR
from tests.unit.test_summaries import EVENT, REF, FakeMatrix, build_capabilities, summaries_config

DM = "!dm:example.org"
MEMBER, COLLEAGUE = member(1), member(2)
DETAILS = "Datenschutz:"  # in the registration details, never in the note


async def registered_in_dm(factory: HarnessFactory, tmp_path: Path) -> Harness:
    """``!anmelden`` in the member's DM while nothing can be sent: the reply is queued."""
    h = await make(factory, tmp_path, event())
    h.rooms.direct.add(DM)
    await DirectRoomRepository(h.db).remember(MEMBER, DM)  # the router's DM, as in the app
    await h.send("!anmelden", sender=MEMBER, room_id=DM)
    (reply,) = await h.db.fetchall("SELECT * FROM outbox WHERE room_id = ?", (DM,))
    assert reply["private_to"] == MEMBER and DETAILS in json.loads(reply["content"])["body"]
    return h


def sender_for(h: Harness, client: FakeMatrixClient) -> OutboxSender:
    """A new outbox sender on the harness's database (a new process after a restart)."""
    return OutboxSender(
        client,  # type: ignore[arg-type]
        OutboxRepository(h.db),
        DirectRoomRepository(h.db),
        h.clock,
        OutboxConfig(),
        reachability=Reachability(client.probe, SimClock()),
        poster=Poster(h.db, h.clock),
    )


async def send_all(s: OutboxSender, client: FakeMatrixClient) -> None:
    """Both lanes until nothing is left (a new DM is known after the next sync)."""
    for _ in range(4):
        await s.send_due()
        client.synced()
        s.clock.advance(60)


def sent_to(client: FakeMatrixClient, room: str) -> list[dict[str, Any]]:
    return [content for r, content, _ in client.sent if r == room]


def reply_and_file(client: FakeMatrixClient, room: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The reply and the .ics in ``room``, in either order (two lanes)."""
    (ics,) = [c for c in sent_to(client, room) if c["msgtype"] == "m.file"]
    (reply,) = [c for c in sent_to(client, room) if c["msgtype"] != "m.file"]
    return reply, ics


async def test_a_dm_reply_whose_room_has_a_colleague_now_goes_to_a_new_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await registered_in_dm(harness_factory, tmp_path)
    # The homeserver is back; the last sync shows the colleague the member invited.
    client = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}})
    s = sender_for(h, client)
    await send_all(s, client)

    (note,) = sent_to(client, DM)  # the room gets only the note
    assert "per Direktnachricht" in note["body"] and DETAILS not in note["body"]
    assert "Plenum" not in note["body"] and "m.in_reply_to" in note["m.relates_to"]
    assert note["m.mentions"] == {"user_ids": [MEMBER]}
    (new_dm,) = client.created_dms
    reply, ics = reply_and_file(client, new_dm)  # the details and the .ics, in the new DM
    assert reply["body"].startswith("Sie sind für „Plenum der ViR-Nordwest“ angemeldet.")
    assert DETAILS in reply["body"] and "m.relates_to" not in reply and reply["m.mentions"] == {}
    assert ics["msgtype"] == "m.file"
    assert len(client.sent) == 3  # nothing else, nothing twice
    counts = await s.outbox.counts()
    assert (counts.pending, counts.failed) == (0, 0)
    # The moved row keeps nothing of the reply; no row names the member as private any more.
    assert await h.db.fetchall("SELECT 1 FROM outbox WHERE private_to IS NOT NULL") == []
    await send_all(s, client)
    assert len(client.sent) == 3


async def test_a_dm_reply_whose_room_is_still_the_dm_is_sent_there(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER}})
    s = sender_for(h, client)
    await send_all(s, client)

    reply, ics = reply_and_file(client, DM)
    assert DETAILS in reply["body"] and "m.in_reply_to" in reply["m.relates_to"]
    assert ics["msgtype"] == "m.file"
    assert client.created_dms == [] and len(client.sent) == 2


async def test_a_dm_reply_waits_for_the_first_sync_instead_of_moving(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """After a restart no room is known before the first sync: that is no reason to move."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(syncs=0)
    s = sender_for(h, client)
    await s.send_due()
    assert client.sent == [] and (await s.outbox.counts()).pending == 2
    client.members[DM] = {BOT, MEMBER}
    await send_all(s, client)
    assert DETAILS in reply_and_file(client, DM)[0]["body"] and client.created_dms == []


async def test_after_an_outage_a_dm_reply_waits_for_the_sync_that_shows_the_room(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """The homeserver was away and the member invited a colleague meanwhile: the members
    known from before the outage are not trusted, the next sync decides."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER}}, reachable=False)
    s = sender_for(h, client)
    await s.send_due()  # no homeserver
    client.reachable = True
    s.reachability.report_up()  # the probe answers again, no sync yet
    for _ in range(3):
        s.clock.advance(60)
        await s.send_due()
    assert client.sent == [] and client.created_dms == []  # neither the reply nor the .ics
    client.members[DM] = {BOT, MEMBER, COLLEAGUE}  # what the first sync after it shows
    await send_all(s, client)
    (note,) = sent_to(client, DM)
    assert DETAILS not in note["body"]
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"] and len(client.sent) == 3


async def test_a_dm_reply_moved_before_a_crash_is_sent_once_after_it(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    h = await registered_in_dm(harness_factory, tmp_path)
    first = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}})
    crashing = sender_for(h, first)
    await crashing.send_due(ROOMS)  # moved
    await crashing.send_due(ROOMS)  # the note sent; then the crash
    (note,) = first.sent
    assert note[0] == DM and DETAILS not in note[1]["body"] and first.created_dms == []

    # The next process: the colleague has left, the room is the member's DM again. The reply
    # is not sent to it a second time, and its copy for the DM goes out once.
    again = FakeMatrixClient(members={DM: {BOT, MEMBER}}, syncs=0)
    restarted = sender_for(h, again)
    await restarted.send_due(DIRECT)
    assert again.sent == []  # not synced yet
    await send_all(restarted, again)
    reply, _ = reply_and_file(again, DM)  # the room is the member's DM again
    assert DETAILS in reply["body"] and "m.relates_to" not in reply  # the copy, not the reply
    assert len(again.sent) == 2
    assert (await restarted.outbox.counts()).pending == 0


async def test_a_crash_while_moving_leaves_the_reply_to_be_checked_again(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move is one transaction: the row marked done and its copies queued, or nothing."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}})
    s = sender_for(h, client)
    calls = 0
    real_post = s.poster.post_content

    async def dies_on_the_note(*args: Any, **kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("the process dies between the copy and the note")
        return await real_post(*args, **kwargs)

    monkeypatch.setattr(s.poster, "post_content", dies_on_the_note)
    with pytest.raises(RuntimeError):
        await s.send_due(ROOMS)
    rows = await h.db.fetchall("SELECT status, private_to FROM outbox ORDER BY id")
    assert [(r["status"], r["private_to"]) for r in rows] == [
        ("pending", MEMBER),  # the reply, as before
        ("pending", None),  # the .ics by DM, queued by the command
    ]
    restarted = sender_for(h, client)
    await send_all(restarted, client)
    (note,) = sent_to(client, DM)
    assert DETAILS not in note["body"]
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"]
    assert len(client.sent) == 3


async def test_every_part_of_a_long_answer_in_a_dm_is_private(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """REVIEW-11 R1: a summary preview too long for one event is queued as the reply and
    more parts for the same room; the parts carry the owners of actions ("@carol") and must
    not reach the room after a colleague joined any more than the first part."""
    h = await harness_factory(config=summaries_config(tmp_path), capabilities=build_capabilities)
    h.services.matrix = FakeMatrix()
    await h.send(f"!workshop-raum {EVENT} e-rechnung", sender=COORDINATOR)
    start = 1_769_680_800_000
    for n in range(30):
        await h.send(
            f"!aufgabe Punkt {n:02d} " + "ä" * 3500 + " @carol:example.org",
            sender=COORDINATOR,
            ts=start + n * 60_000,
        )
    await h.db.execute("UPDATE outbox SET status = 'sent'")  # the workshop room's replies
    dm = "!dm-coordinator:example.org"
    h.rooms.direct.add(dm)
    await DirectRoomRepository(h.db).remember(COORDINATOR, dm)
    await h.send(f"!zusammenfassung {REF}", sender=COORDINATOR, room_id=dm, ts=start + 40 * 60_000)
    rows = await h.db.fetchall("SELECT private_to FROM outbox WHERE room_id = ?", (dm,))
    assert len(rows) > 1 and {r["private_to"] for r in rows} == {COORDINATOR}

    client = FakeMatrixClient(members={dm: {BOT, COORDINATOR, COLLEAGUE}})
    await send_all(sender_for(h, client), client)
    in_room = sent_to(client, dm)
    assert in_room and not any("carol" in c["body"] for c in in_room)
    (new_dm,) = client.created_dms
    assert sum("carol" in c["body"] for c in sent_to(client, new_dm)) == len(rows)


async def crashed_after_sending(h: Harness, monkeypatch: pytest.MonkeyPatch) -> FakeMatrixClient:
    """The reply and the .ics reach the member's DM, then the process dies before either row
    is marked sent (REVIEW-11 R6)."""
    first = FakeMatrixClient(members={DM: {BOT, MEMBER}})
    crashing = sender_for(h, first)

    async def dies(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed after the PUT, before the row is marked sent")

    monkeypatch.setattr(crashing.outbox, "mark_sent", dies)
    with pytest.raises(RuntimeError):
        await crashing.send_due()
    assert [room for room, _, _ in first.sent] == [DM, DM]
    assert (await crashing.outbox.counts()).pending == 2
    return first


async def test_a_reply_sent_just_before_a_crash_is_not_moved_when_a_colleague_joined(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The colleague joined while the bot was down; no sync of the restarted bot shows the
    reply (it came before the restored sync token). Moving it would give the member the
    reply twice: it is found in the room's history and marked sent instead."""
    h = await registered_in_dm(harness_factory, tmp_path)
    first = await crashed_after_sending(h, monkeypatch)
    again = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}}, history=first.history)
    restarted = sender_for(h, again)
    await send_all(restarted, again)

    assert again.sent == [] and again.created_dms == []  # no copy, no note, no second .ics
    rows = await h.db.fetchall("SELECT status, sent_event_id, private_to FROM outbox")
    assert sorted((r["status"], r["sent_event_id"], r["private_to"]) for r in rows) == [
        ("sent", "$sent1", None),
        ("sent", "$sent2", None),
    ]
    assert set(again.history_reads) == {DM}


@pytest.mark.parametrize(
    "unreadable",
    [MatrixUnavailable("HTTP 502"), MatrixError("M_FORBIDDEN", "not allowed", 403)],
    ids=["homeserver away", "refused"],
)
async def test_a_reply_whose_room_history_cannot_be_read_waits_instead_of_moving(
    harness_factory: HarnessFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unreadable: Exception,
) -> None:
    """Whether it reached the room is unknown: neither moved (twice) nor sent to the room
    (a leak); once the history can be read it is found there."""
    h = await registered_in_dm(harness_factory, tmp_path)
    first = await crashed_after_sending(h, monkeypatch)
    again = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}}, history=first.history)
    s = sender_for(h, again)
    for _ in range(3):
        again.history_failures = [unreadable, unreadable]
        await s.send_due()
        s.reachability.report_up()
        s.clock.advance(600)
    assert again.sent == [] and again.created_dms == []
    assert (await s.outbox.counts()).pending == 2
    again.history_failures.clear()
    s.reachability.report_up()
    await send_all(s, again)
    assert again.sent == [] and again.created_dms == []
    assert (await s.outbox.counts()).pending == 0


async def test_a_reply_never_sent_is_moved_after_looking_for_it(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """Not in the room's history: moved as before, after reading it."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}})
    await send_all(sender_for(h, client), client)
    # The reply; and the first direct message for the member (their recorded DM has a
    # colleague now), before the new DM is recorded for the rest.
    assert client.history_reads == [DM, DM]
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"] and len(client.sent) == 3


async def test_a_reply_in_a_room_the_bot_was_banned_from_goes_to_the_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """A room the bot was banned from can never be read again: waiting cannot tell, the
    member gets the reply in their DM."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER}}, left={DM})
    # Every read of the room is refused (REVIEW-12 F6: not only the first two).
    client.history_failures = [MatrixError("M_FORBIDDEN", "banned", 403)] * 100
    s = sender_for(h, client)
    await s.send_due()  # one pass: moved at once, not after waiting for a read that succeeds
    rows = await h.db.fetchall("SELECT status, last_error FROM outbox WHERE room_id = ?", (DM,))
    assert {(r["status"], r["last_error"]) for r in rows} == {
        ("sent", "moved to the direct message")
    }
    await send_all(s, client)
    assert sent_to(client, DM) == []
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"] and len(client.sent) == 2


async def test_a_dm_reply_whose_room_history_the_member_opened_goes_to_a_new_dm(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """REVIEW-10 R2: the member set their DM's history to "shared" before the reply went out:
    anyone they invite next would read it (Synapse judges each event by the setting when it
    was sent). The details and the .ics go to a DM of the bot's own, the room gets the note."""
    h = await registered_in_dm(harness_factory, tmp_path)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER}}, visibility={DM: "shared"})
    await send_all(sender_for(h, client), client)

    (note,) = sent_to(client, DM)
    assert DETAILS not in note["body"] and "per Direktnachricht" in note["body"]
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"] and len(client.sent) == 3


async def test_feedback_on_a_moved_answer_counts_and_the_copy_notifies(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """REVIEW-11 R5: a question answered in the member's DM, the answer moved to a new DM
    (a colleague joined). The member's 👍 on the copy counts for the answer (answers are
    logged by their reply's transaction id, the copy has its own), also after retention
    cleared the copy. The copy is an m.text: a notice would not notify the member."""
    config = make_config(tmp_path, access={"coordination_room": COORD_ROOM})
    h = await harness_factory(config=config, capabilities=build_all)
    h.rooms.direct.add(DM)
    await DirectRoomRepository(h.db).remember(MEMBER, DM)
    await h.send("Was ist die 115?", sender=MEMBER, room_id=DM)
    (answer,) = await h.db.fetchall("SELECT event_id FROM kb_answers")
    client = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}})
    await send_all(sender_for(h, client), client)
    (new_dm,) = client.created_dms
    ((copy, copy_event),) = [
        (content, f"$sent{n}")
        for n, (room, content, _) in enumerate(client.sent, start=1)
        if room == new_dm
    ]
    assert "115" in copy["body"] and copy["msgtype"] == "m.text" and copy["m.mentions"] == {}
    (note,) = sent_to(client, DM)
    assert note["msgtype"] == "m.notice" and note["m.mentions"] == {"user_ids": [MEMBER]}

    async def vote(key: str, n: int) -> list[tuple[str, int]]:
        await h.router.handle_reaction(
            IncomingReaction(new_dm, f"$vote{n}", MEMBER, copy_event, key, 0)
        )
        rows = await h.db.fetchall("SELECT event_id, vote FROM kb_feedback")
        return [(r["event_id"], r["vote"]) for r in rows]

    assert await vote("👍", 1) == [(answer["event_id"], 1)]
    await OutboxRepository(h.db).forget_before(h.clock.timestamp() + 1)  # retention
    assert (
        await h.db.fetchall(
            "SELECT 1 FROM outbox WHERE user_id = ? OR content LIKE '%115%'", (MEMBER,)
        )
        == []
    )
    assert await vote("👎", 2) == [(answer["event_id"], -1)]  # still the same answer


async def test_a_dm_whose_history_the_member_opened_stays_theirs_after_the_bot_opened_its_own(
    harness_factory: HarnessFactory, tmp_path: Path
) -> None:
    """REVIEW-12 F5: the member opened their DM's history and registers there; the details go
    to a DM the bot opens, their recorded DM from then on. The room they opened must stay
    theirs: the bot still answers their questions there (it did not: the room was forgotten,
    no DM of anyone), and it is their DM again once they close its history, as the bot's
    note there tells them."""
    h = await harness_factory(config=plenum_config(tmp_path, event()), capabilities=build_all)
    repo = DirectRoomRepository(h.db)
    await repo.remember(MEMBER, DM)
    client = FakeMatrixClient(members={DM: {BOT, MEMBER}}, visibility={DM: "shared"})
    h.router.rooms = DirectRoomInfo(repo, client)  # type: ignore[arg-type]
    await h.send("!anmelden", sender=MEMBER, room_id=DM)
    await send_all(sender_for(h, client), client)
    (new_dm,) = client.created_dms
    assert DETAILS in reply_and_file(client, new_dm)[0]["body"]
    assert DETAILS not in " ".join(c["body"] for c in sent_to(client, DM))
    assert await repo.room_for(MEMBER) == new_dm

    async def last_reply(question: str) -> dict[str, Any]:
        await h.send(question, sender=MEMBER, room_id=DM)
        row = await h.db.fetchone("SELECT * FROM outbox ORDER BY id DESC LIMIT 1")
        assert row["room_id"] == DM and "115" in json.loads(row["content"])["body"]
        return dict(row)

    assert (await last_reply("Was ist die 115?"))["private_to"] is None  # answered, not private
    client.visibility[DM] = "invited"  # closed again: their DM (replies private to them)
    assert (await last_reply("Was kostet ein Anruf bei der 115?"))["private_to"] == MEMBER
    assert await repo.room_for(MEMBER) == new_dm  # direct messages still go to the bot's DM


async def test_a_reply_whose_room_history_is_too_long_to_check_waits_and_is_never_moved(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REVIEW-12 F6: "cannot tell" is not "not there". A history too long to read back to the
    row (HistoryUnknown) leaves the reply pending: neither moved (the member would get it
    twice) nor sent to the room (a leak), pass after pass."""
    from bot.matrix import HistoryUnknown

    h = await registered_in_dm(harness_factory, tmp_path)
    first = await crashed_after_sending(h, monkeypatch)
    again = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}}, history=first.history)
    again.history_failures = [HistoryUnknown("more than 2000 own events")] * 100
    s = sender_for(h, again)
    for _ in range(5):
        await s.send_due()
        again.synced()
        s.clock.advance(600)
    assert again.sent == [] and again.created_dms == []
    rows = await h.db.fetchall("SELECT status, attempts FROM outbox")
    assert {r["status"] for r in rows} == {"pending"}
    assert len(again.history_reads) >= 5


async def test_a_history_read_that_times_out_waits_counted_and_fails_reported_in_the_end(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REVIEW-12 F3: a /messages that times out is no outage of the homeserver (the sender
    is not paused for it, the rows back off with counted attempts), and a reply whose room
    can never be checked fails after give_up_after, reported, and is never sent twice."""
    h = await registered_in_dm(harness_factory, tmp_path)
    first = await crashed_after_sending(h, monkeypatch)
    again = FakeMatrixClient(members={DM: {BOT, MEMBER, COLLEAGUE}}, history=first.history)
    again.history_failures = [MatrixUnavailable("timed out after 60 s")] * 1000
    s = sender_for(h, again)
    s.coordination_room = COORD_ROOM
    for _ in range(3):
        await s.send_due()
        assert s.reachability.is_up  # the homeserver is not taken for away
        again.synced()
        s.clock.advance(600)
    rows = await h.db.fetchall("SELECT status, attempts FROM outbox WHERE room_id = ?", (DM,))
    assert {r["status"] for r in rows} == {"pending"} and all(r["attempts"] >= 3 for r in rows)
    s.clock.advance(OutboxConfig().give_up_after)
    await send_all(s, again)
    rows = await h.db.fetchall("SELECT status FROM outbox WHERE room_id = ?", (DM,))
    assert {r["status"] for r in rows} == {"failed"}
    assert sent_to(again, DM) == [] and again.created_dms == []
    reports = [c["body"] for r, c, _ in again.sent if r == COORD_ROOM]
    assert len(reports) == 2 and all("outbox-" in body for body in reports)


async def test_a_direct_message_sent_before_a_crash_is_not_sent_to_a_dm_opened_since(
    harness_factory: HarnessFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REVIEW-12 F4: the .ics (a direct message) reached the member's DM, then a crash before
    it was marked sent; meanwhile the member opened a new DM with the bot, which is recorded
    now and usable. The row notes the room of its send attempt, so that room's history is
    read before it goes to the new one: found there, it is not sent twice."""
    h = await registered_in_dm(harness_factory, tmp_path)
    first = await crashed_after_sending(h, monkeypatch)
    new_dm = "!dm-new:example.org"
    await DirectRoomRepository(h.db).remember(MEMBER, new_dm)
    again = FakeMatrixClient(
        members={DM: {BOT, MEMBER}, new_dm: {BOT, MEMBER}}, history=first.history
    )
    await send_all(sender_for(h, again), again)
    assert again.sent == [] and again.created_dms == []
    rows = await h.db.fetchall("SELECT status, sent_event_id FROM outbox ORDER BY id")
    assert sorted((r["status"], r["sent_event_id"]) for r in rows) == [
        ("sent", "$sent1"),
        ("sent", "$sent2"),
    ]
