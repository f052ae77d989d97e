"""Back-fill of ``limited`` timelines: a room the bot joined in the same batch (a DM it just
opened) is not back-filled (nothing before the join is ever handled); any other is. And which
undecryptable events wait for their key."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from nio import MegolmEvent, RoomMemberEvent, RoomMessageText

from bot.dispatch import Dispatcher

BOT = "@bot:x"


def member_join(user: str, ts: int) -> Any:
    return RoomMemberEvent.from_dict(
        {
            "event_id": f"$join-{user}",
            "sender": user,
            "state_key": user,
            "origin_server_ts": ts,
            "type": "m.room.member",
            "content": {"membership": "join"},
        }
    )


def text(event_id: str, ts: int) -> Any:
    return RoomMessageText.from_dict(
        {
            "event_id": event_id,
            "sender": "@a:x",
            "origin_server_ts": ts,
            "type": "m.room.message",
            "content": {"msgtype": "m.text", "body": "!hilfe"},
        }
    )


class Client:
    user_id = BOT

    def __init__(self) -> None:
        self.backfilled: list[str] = []

    async def messages_before(self, room_id: str, start: str, end: str | None) -> Any:
        self.backfilled.append(room_id)
        return SimpleNamespace(chunk=[text(f"$old-{room_id}", 5)], end=None)


class State:
    def __init__(self) -> None:
        self.joins: dict[str, int] = {"!old:x": 0}

    async def record_join(self, room_id: str, ts: int) -> None:
        self.joins[room_id] = ts

    async def joined_ts(self, room_id: str) -> int | None:
        return self.joins.get(room_id)


class Router:
    def __init__(self) -> None:
        self.handled: list[str] = []

    async def handle(self, message: Any) -> None:
        self.handled.append(message.event_id)


class KeyWaiter:
    def __init__(self) -> None:
        self.held: list[str] = []

    async def hold(self, room_id: str, event: MegolmEvent) -> None:
        self.held.append(event.event_id)

    async def retry(self, handle: Any) -> None:
        return None


def encrypted(event_id: str, sender: str) -> Any:
    return MegolmEvent.from_dict(
        {
            "event_id": event_id,
            "sender": sender,
            "origin_server_ts": 200,
            "type": "m.room.encrypted",
            "content": {
                "algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": "AwgA",
                "device_id": "DEV",
                "sender_key": "key",
                "session_id": "session",
            },
        }
    )


def limited(*events: Any) -> Any:
    timeline = SimpleNamespace(events=list(events), limited=True, prev_batch="prev")
    return SimpleNamespace(state=[], timeline=timeline)


class NoDirectRooms:
    async def pending_setups(self) -> list[tuple[str, str]]:
        return []


async def test_a_room_joined_in_the_batch_is_not_back_filled_but_others_are() -> None:
    client, router = Client(), Router()
    dispatcher = Dispatcher(
        client,  # type: ignore[arg-type]
        router,  # type: ignore[arg-type]
        State(),  # type: ignore[arg-type]
        NoDirectRooms(),  # type: ignore[arg-type]
        (),
        KeyWaiter(),  # type: ignore[arg-type]
    )
    rooms = SimpleNamespace(
        invite={},
        join={
            "!new:x": limited(member_join(BOT, 100), text("$after-join", 101)),
            "!old:x": limited(text("$recent", 102)),
        },
    )
    await dispatcher.handle_batch(SimpleNamespace(rooms=rooms), "since", run_commands=True)  # type: ignore[arg-type]
    assert client.backfilled == ["!old:x"]
    assert sorted(router.handled) == ["$after-join", "$old-!old:x", "$recent"]


async def test_only_other_peoples_undecryptable_events_wait_for_their_key() -> None:
    """After a restore the bot re-reads its own messages sent after the backup, encrypted
    with keys only the lost store had: they are never commands, so it neither asks itself for
    the key nor tells itself (in a member's DM) to share it."""
    waiter = KeyWaiter()
    dispatcher = Dispatcher(
        Client(),  # type: ignore[arg-type]
        Router(),  # type: ignore[arg-type]
        State(),  # type: ignore[arg-type]
        NoDirectRooms(),  # type: ignore[arg-type]
        (),
        waiter,  # type: ignore[arg-type]
    )
    timeline = SimpleNamespace(
        events=[encrypted("$own", BOT), encrypted("$member", "@a:x")], limited=False
    )
    rooms = SimpleNamespace(
        invite={}, join={"!old:x": SimpleNamespace(state=[], timeline=timeline)}
    )
    await dispatcher.handle_batch(SimpleNamespace(rooms=rooms), "since", run_commands=True)  # type: ignore[arg-type]
    assert waiter.held == ["$member"]


async def test_the_back_fill_goes_on_past_an_empty_page_with_a_next_token() -> None:
    """REVIEW-12 F2: a page the homeserver's filter emptied still has an ``end`` token; the
    command on the page after it is handled."""

    class Paging(Client):
        async def messages_before(self, room_id: str, start: str, end: str | None) -> Any:
            self.backfilled.append(start)
            if start == "prev":
                return SimpleNamespace(chunk=[], end="p1")
            return SimpleNamespace(chunk=[text("$behind-empty-page", 5)], end=None)

    client, router = Paging(), Router()
    dispatcher = Dispatcher(
        client,  # type: ignore[arg-type]
        router,  # type: ignore[arg-type]
        State(),  # type: ignore[arg-type]
        NoDirectRooms(),  # type: ignore[arg-type]
        (),
        KeyWaiter(),  # type: ignore[arg-type]
    )
    rooms = SimpleNamespace(invite={}, join={"!old:x": limited(text("$recent", 102))})
    await dispatcher.handle_batch(SimpleNamespace(rooms=rooms), "since", run_commands=True)  # type: ignore[arg-type]
    assert client.backfilled == ["prev", "p1"]
    assert sorted(router.handled) == ["$behind-empty-page", "$recent"]
