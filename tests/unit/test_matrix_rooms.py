"""The real Matrix adapter's room facts, fed with real sync responses (no homeserver): "not
synced yet" vs. "joined" vs. "gone", the DM marker that prevents a second DM, and a proxy's
502 with an HTML body counting as an outage."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from nio import ErrorResponse, SyncResponse

from bot.matrix import (
    DM_MARKER,
    MatrixClient,
    MatrixError,
    MatrixUnavailable,
    RoomStatus,
    _check,
)
from tests.fakes import ALICE, BOB, BOT, make_config

BATCHES = itertools.count(1)


def member(user: str, membership: str, sender: str | None = None) -> dict[str, Any]:
    return {
        "type": "m.room.member",
        "state_key": user,
        "sender": sender or user,
        "event_id": f"$m-{user}-{membership}",
        "origin_server_ts": 1,
        "content": {"membership": membership},
    }


def state_room(*events: dict[str, Any]) -> dict[str, Any]:
    return {"state": {"events": list(events)}, "timeline": {"events": [], "limited": False}}


def sync(join: dict[str, Any] | None = None, leave: dict[str, Any] | None = None) -> SyncResponse:
    resp = SyncResponse.from_dict(
        {
            "next_batch": f"s{next(BATCHES)}",  # nio skips a batch whose token did not change
            "rooms": {"join": join or {}, "leave": leave or {}, "invite": {}},
        }
    )
    assert isinstance(resp, SyncResponse), resp
    return resp


@pytest.fixture
async def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path)
    matrix = MatrixClient(config.matrix, tmp_path, state=None)  # type: ignore[arg-type]
    yield matrix
    await matrix.close()


async def feed(client: MatrixClient, resp: SyncResponse) -> None:
    """Pass a sync response through the adapter's sync(), as nio would deliver it."""

    async def nio_sync(**_: Any) -> SyncResponse:
        await client.nio.receive_response(resp)
        return resp

    client.nio.sync = nio_sync  # type: ignore[method-assign]
    await client.sync(since="s0", timeout_ms=0, full_state=True, sync_filter={})


async def test_nothing_is_gone_before_the_first_sync(client: MatrixClient) -> None:
    assert client.room_status("!a:x") is RoomStatus.NOT_YET
    await feed(client, sync(join={"!a:x": state_room(member(BOT, "join"), member(BOB, "join"))}))
    assert client.room_status("!a:x") is RoomStatus.JOINED
    assert client.room_status("!never:x") is RoomStatus.GONE  # after a full sync: not joined
    await feed(client, sync(leave={"!a:x": state_room(member(BOT, "leave", sender=BOB))}))
    assert client.room_status("!a:x") is RoomStatus.GONE  # kicked: nio keeps the room
    with pytest.raises(MatrixError, match="M_FORBIDDEN"):
        await client.send("!a:x", "m.room.message", {"body": "x"}, "txn")


async def test_a_dm_the_bot_opened_is_found_by_its_marker(client: MatrixClient) -> None:
    marker = {
        "type": DM_MARKER,
        "state_key": "",
        "sender": BOT,
        "event_id": "$marker",
        "origin_server_ts": 1,
        "content": {"user_id": ALICE},
    }
    forged = {**marker, "sender": BOB, "event_id": "$forged", "content": {"user_id": BOB}}
    await feed(
        client,
        sync(
            join={
                "!dm:x": state_room(
                    member(BOT, "join"), member(ALICE, "invite", BOT), marker, visibility("invited")
                ),
                "!other:x": state_room(member(BOT, "join"), member(BOB, "join"), forged),
            }
        ),
    )
    assert client.find_direct_room(ALICE) == "!dm:x"
    assert client.find_direct_room(BOB) is None  # only markers the bot itself set count
    await feed(client, sync(join={"!dm:x": state_room(member(ALICE, "leave"))}))
    assert client.find_direct_room(ALICE) is None  # the member left: a new DM is opened


def test_a_proxy_502_with_an_html_body_is_an_outage() -> None:
    resp = ErrorResponse.from_dict({})  # what nio makes of "<html>502 Bad Gateway</html>"
    resp.transport_response = SimpleNamespace(status=502)  # type: ignore[assignment]
    with pytest.raises(MatrixUnavailable, match="HTTP 502"):
        _check(resp, SyncResponse)
    limited = ErrorResponse.from_dict(
        {"errcode": "M_LIMIT_EXCEEDED", "error": "slow", "retry_after_ms": 1500}
    )
    limited.transport_response = SimpleNamespace(status=429)  # type: ignore[assignment]
    with pytest.raises(MatrixError) as caught:
        _check(limited, SyncResponse)
    assert caught.value.is_rate_limit and caught.value.retry_after_ms == 1500
    assert not MatrixError("M_UNKNOWN_TOKEN", "revoked").is_permanent  # re-login, then send


async def test_a_new_dm_waits_until_a_sync_shows_its_encryption_and_the_invite(
    client: MatrixClient,
) -> None:
    """Synapse wakes /sync at the room's first event: a sync may show a new room before its
    m.room.encryption and the invite. Sending then would go out unencrypted."""
    client._created["!dm:x"] = ALICE  # what create_direct_room records
    encryption = {
        "type": "m.room.encryption",
        "state_key": "",
        "sender": BOT,
        "event_id": "$enc",
        "origin_server_ts": 1,
        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
    }
    await feed(client, sync(join={"!dm:x": state_room(member(BOT, "join"))}))
    assert client.room_status("!dm:x") is RoomStatus.NOT_YET
    await feed(client, sync(join={"!dm:x": state_room(encryption)}))
    assert client.room_status("!dm:x") is RoomStatus.NOT_YET  # the invite is not there yet
    await feed(client, sync(join={"!dm:x": state_room(member(ALICE, "invite", BOT))}))
    assert client.room_status("!dm:x") is RoomStatus.JOINED


async def test_a_dm_that_someone_else_joined_is_not_used_for_direct_messages(
    client: MatrixClient,
) -> None:
    """Review finding: an `!export` CSV went into a coordinator's "DM" a colleague had joined."""
    dm = state_room(member(BOT, "join"), member(ALICE, "join"), visibility("invited"))
    await feed(client, sync(join={"!dm:x": dm}))
    assert client.is_direct_with("!dm:x", ALICE)
    await feed(client, sync(join={"!dm:x": state_room(member(BOB, "join"))}))
    assert not client.is_direct_with("!dm:x", ALICE)
    await feed(client, sync(join={"!dm:x": state_room(member(BOB, "leave"))}))
    assert client.is_direct_with("!dm:x", ALICE)
    await feed(client, sync(join={"!dm:x": state_room(member(ALICE, "leave"))}))
    assert not client.is_direct_with("!dm:x", ALICE)  # the member left: open a new one


async def test_members_are_stale_only_after_a_failed_sync(client: MatrixClient) -> None:
    """A private reply waits for a sync after an outage (REVIEW-11 R2): only a failed sync
    makes who is in a room unknown; an upload answered with 500 while syncs go on does not
    hold back every member's DM."""
    await feed(client, sync())
    assert client.membership_current()

    async def upload_fails(*_: Any, **__: Any) -> Any:
        raise aiohttp.ClientConnectionError("media store down")

    client.nio.upload = upload_fails  # type: ignore[method-assign]
    with pytest.raises(MatrixUnavailable):
        await client.upload("!a:x", "x.ics", "text/calendar", b"x")
    assert client.membership_current()

    async def sync_fails(**_: Any) -> Any:
        raise aiohttp.ClientConnectionError("connection refused")

    client.nio.sync = sync_fails  # type: ignore[method-assign]
    with pytest.raises(MatrixUnavailable):
        await client.sync(since="s0", timeout_ms=0, full_state=False, sync_filter={})
    assert not client.membership_current()
    await feed(client, sync())
    assert client.membership_current()


async def test_an_own_message_is_found_in_the_rooms_history(client: MatrixClient) -> None:
    """REVIEW-11 R6: ``find_posted`` reads the bot's own events (filter), newest first, until
    the page that reaches back to when the row was queued; it never reads the whole room."""
    from nio import RoomMessagesResponse

    def own(n: int, ts_s: float) -> dict[str, Any]:
        return {
            "type": "m.room.message",
            "sender": BOT,
            "event_id": f"$own{n}",
            "origin_server_ts": int(ts_s * 1000),
            "content": {"msgtype": "m.notice", "body": str(n)},
            "unsigned": {"transaction_id": f"vb{n}.0"},
        }

    # 250 own events, one a minute, the newest first as /messages?dir=b returns them.
    events = [own(n, 1_000_000 + 60 * n) for n in range(249, -1, -1)]
    calls: list[dict[str, Any]] = []

    async def room_messages(room_id: str, start: str | None = None, **kw: Any) -> Any:
        calls.append({"start": start, **kw})
        offset = int(start or 0)
        chunk = events[offset : offset + kw["limit"]]
        end = str(offset + len(chunk)) if offset + len(chunk) < len(events) else None
        return RoomMessagesResponse.from_dict(
            {"chunk": chunk, "start": start or "0", **({"end": end} if end else {})}, room_id
        )

    client.nio.room_messages = room_messages  # type: ignore[method-assign]
    queued_at = 1_000_000 + 60 * 120  # the row: queued when event 120 was sent
    assert await client.find_posted("!a:x", "vb130.0", queued_at) == "$own130"
    assert [c["start"] for c in calls] == [None, "100"]
    assert calls[0]["message_filter"] == {"senders": [BOT]} and calls[0]["limit"] == 100
    calls.clear()
    # Not there: read back to the queue time less the clock margin (10 min), then stop.
    assert await client.find_posted("!a:x", "vb-never.0", queued_at) is None
    assert [c["start"] for c in calls] == [None, "100"]
    calls.clear()
    assert await client.find_posted("!a:x", "vb130.0", queued_at) == "$own130"  # remembered
    assert calls == []


def visibility(value: str) -> dict[str, Any]:
    return {
        "type": "m.room.history_visibility",
        "state_key": "",
        "sender": ALICE,
        "event_id": f"$hv-{value}",
        "origin_server_ts": 2,
        "content": {"history_visibility": value},
    }


async def test_a_dm_whose_history_was_opened_is_not_used_as_the_dm(client: MatrixClient) -> None:
    """REVIEW-10 R2: as of the last sync, a DM with history "shared" is no DM to send
    personal data to; "invited" (or "joined") makes it one again."""
    members = (member(BOT, "join"), member(ALICE, "join"))
    await feed(client, sync(join={"!dm:x": state_room(*members, visibility("invited"))}))
    assert client.is_direct_with("!dm:x", ALICE)
    await feed(client, sync(join={"!dm:x": state_room(visibility("shared"))}))
    assert client.history_visibility("!dm:x") == "shared"
    assert not client.is_direct_with("!dm:x", ALICE)
    await feed(client, sync(join={"!dm:x": state_room(visibility("joined"))}))
    assert client.is_direct_with("!dm:x", ALICE)


def _own_event(n: int, ts_s: float) -> dict[str, Any]:
    return {
        "type": "m.room.message",
        "sender": BOT,
        "event_id": f"$own{n}",
        "origin_server_ts": int(ts_s * 1000),
        "content": {"msgtype": "m.notice", "body": str(n)},
        "unsigned": {"transaction_id": f"vb{n}.0"},
    }


async def test_an_empty_history_page_with_a_next_token_is_not_the_end(
    client: MatrixClient,
) -> None:
    """REVIEW-12 F2: Synapse returns ``chunk: []`` with an ``end`` token when its visibility
    filter removed a whole page. The search goes on to the next page; only a page without a
    (new) ``end`` token is the start of the room."""
    from nio import RoomMessagesResponse

    queued_at = 1_000_000.0
    pages = {
        None: {"chunk": [], "end": "p1"},
        "p1": {"chunk": [], "end": "p2"},
        "p2": {"chunk": [_own_event(7, queued_at + 5)], "end": "p3"},
    }
    calls: list[str | None] = []

    async def room_messages(room_id: str, start: str | None = None, **kw: Any) -> Any:
        calls.append(start)
        return RoomMessagesResponse.from_dict({"start": start or "s", **pages[start]}, room_id)

    client.nio.room_messages = room_messages  # type: ignore[method-assign]
    assert await client.find_posted("!a:x", "vb7.0", queued_at) == "$own7"
    assert calls == [None, "p1", "p2"]
    # An empty page without an end token is the start of the room: not there.
    calls.clear()
    pages[None] = {"chunk": []}
    assert await client.find_posted("!a:x", "vb-never.0", queued_at) is None
    assert calls == [None]


async def test_a_history_too_long_to_read_is_unknown_not_absent(client: MatrixClient) -> None:
    """REVIEW-12 F6: more pages of own events since the row was queued than the bound: the
    message may be on the next page, so the answer is HistoryUnknown (the row waits), never
    None (the row would be moved: twice)."""
    from nio import RoomMessagesResponse

    from bot.matrix import MAX_HISTORY_PAGES, HistoryUnknown

    queued_at = 1_000_000.0
    calls: list[str | None] = []

    async def room_messages(room_id: str, start: str | None = None, **kw: Any) -> Any:
        calls.append(start)
        n = int(start or 0)
        chunk = [_own_event(n * 1000 + i, queued_at + 3600 - n) for i in range(kw["limit"])]
        return RoomMessagesResponse.from_dict(
            {"chunk": chunk, "start": str(n), "end": str(n + 1)}, room_id
        )

    client.nio.room_messages = room_messages  # type: ignore[method-assign]
    with pytest.raises(HistoryUnknown):
        await client.find_posted("!a:x", "vb-never.0", queued_at)
    assert len(calls) == MAX_HISTORY_PAGES


async def test_the_history_is_read_back_ten_minutes_before_the_row_was_queued(
    client: MatrixClient,
) -> None:
    """REVIEW-12 F6: the homeserver's clock may run behind the bot's. An own event stamped up
    to 10 minutes before its row was queued is still looked for (the page before it does not
    end the search); one stamped earlier ends it."""
    from nio import RoomMessagesResponse

    queued_at = 1_000_000.0
    pages = {
        None: {"chunk": [_own_event(1, queued_at - 540)], "end": "p1"},  # 9 min earlier
        "p1": {"chunk": [_own_event(2, queued_at - 560)], "end": "p2"},
        "p2": {"chunk": [_own_event(3, queued_at - 660)], "end": "p3"},  # 11 min earlier
        "p3": {"chunk": [_own_event(4, queued_at - 700)], "end": "p4"},
    }
    calls: list[str | None] = []

    async def room_messages(room_id: str, start: str | None = None, **kw: Any) -> Any:
        calls.append(start)
        return RoomMessagesResponse.from_dict({"start": start or "s", **pages[start]}, room_id)

    client.nio.room_messages = room_messages  # type: ignore[method-assign]
    assert await client.find_posted("!a:x", "vb2.0", queued_at) == "$own2"
    assert await client.find_posted("!a:x", "vb4.0", queued_at) is None
    assert calls == [None, "p1", None, "p1", "p2"]


async def test_a_slow_history_is_unknown_after_the_look_ups_time_limit(
    client: MatrixClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REVIEW-12 F3: the whole look-up has a time limit (the sender's pass waits for it):
    a /messages that does not answer makes the answer unknown, not an outage."""
    import asyncio
    import time

    from bot import matrix
    from bot.matrix import HistoryUnknown

    monkeypatch.setattr(matrix, "HISTORY_LOOKUP_SECONDS", 0.05)

    async def room_messages(room_id: str, start: str | None = None, **kw: Any) -> Any:
        await asyncio.sleep(30)

    client.nio.room_messages = room_messages  # type: ignore[method-assign]
    began = time.monotonic()
    with pytest.raises(HistoryUnknown):
        await client.find_posted("!a:x", "vb1.0", 1_000_000.0)
    assert time.monotonic() - began < 5
