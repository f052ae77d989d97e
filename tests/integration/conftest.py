"""Integration fixtures: the real bot (bot.app.Bot) against the session's real Synapse."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from nio import (
    Api,
    AsyncClient,
    MegolmEvent,
    RoomCreateResponse,
    RoomKeyRequest,
    RoomMessagesResponse,
    RoomSendResponse,
    SyncResponse,
)

from bot.app import Bot, CapabilityFactory
from bot.backoff import Backoff
from bot.config import Config, parse_config
from bot.synapse_local import LocalSynapse
from commands import build_capabilities
from tests.conftest import TEST_PASSWORD


@dataclass
class RunningBot:
    bot: Bot
    task: asyncio.Task[None]
    user_id: str
    data_dir: Path

    async def stop(self) -> None:
        self.bot.stop()
        await asyncio.wait_for(self.task, timeout=30)


@dataclass
class BotAccount:
    user_id: str
    localpart: str
    data_dir: Path


BotFactory = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
def bot_account(synapse: LocalSynapse, tmp_path: Path) -> BotAccount:
    localpart = f"virbot-{secrets.token_hex(3)}"
    user_id = synapse.register(localpart, TEST_PASSWORD)  # the bot sets its own name
    return BotAccount(user_id, localpart, tmp_path / "bot-data")


def bot_config(
    synapse: LocalSynapse,
    account: BotAccount,
    coordinators: Sequence[str],
    matrix: dict[str, Any] | None = None,
    coordination_room: str = "",
    outbox: dict[str, Any] | None = None,
    **bot: Any,
) -> Config:
    data = {
        "matrix": {
            "homeserver": synapse.url,
            "user_id": account.user_id,
            "password": TEST_PASSWORD,
            "pickle_key": "test-pickle-key",
            **(matrix or {}),
        },
        "bot": {"data_dir": str(account.data_dir), **bot},
        "access": {
            "coordinators": list(coordinators),
            "coordination_room": coordination_room,
            "invite_from": [f"@member-*:{synapse.server_name}", f"@coord-*:{synapse.server_name}"],
        },
        # Tests are not about pacing unless they say so.
        "outbox": {"messages_per_second": 1000, "burst": 1000} if outbox is None else outbox,
    }
    return parse_config(data, base_dir=account.data_dir.parent)


@pytest.fixture
async def start_bot(synapse: LocalSynapse, bot_account: BotAccount) -> AsyncIterator[BotFactory]:
    running: list[RunningBot] = []

    async def start(
        coordinators: Sequence[str] = (),
        capabilities: CapabilityFactory = build_capabilities,
        timeline_limit: int = 200,
        backoff: Backoff | None = None,
        key_wait: float | None = None,
        trust: str | None = None,
        blocklist: Sequence[str] = (),
        coordination_room: str = "",
        homeserver: str | None = None,
        **bot_settings: Any,
    ) -> RunningBot:
        """``homeserver``: another URL to reach Synapse by (e.g. a FaultyProxy's)."""
        matrix: dict[str, Any] = {"blocklist": list(blocklist)}
        if homeserver is not None:
            matrix["homeserver"] = homeserver
        if key_wait is not None:
            matrix["key_wait"] = key_wait
        if trust is not None:
            matrix["trust"] = trust
        config = bot_config(
            synapse, bot_account, coordinators, matrix, coordination_room, **bot_settings
        )
        bot = Bot(
            config,
            capabilities=capabilities,
            timeline_limit=timeline_limit,
            backoff=backoff,
        )
        task = asyncio.create_task(bot.run())
        ready = asyncio.create_task(bot.ready.wait())
        done, _ = await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()  # raises the start-up error
        assert ready in done, "bot did not finish its first sync"
        handle = RunningBot(bot, task, bot_account.user_id, bot_account.data_dir)
        running.append(handle)
        return handle

    yield start
    for handle in running:
        if not handle.task.done():
            await handle.stop()


# --- member-side helpers -------------------------------------------------------------------


@dataclass
class Inbox:
    """Follows a member client's sync and collects every event from the bot. With
    ``answer_key_requests`` the member's client answers room key requests by matrix-rust-sdk's
    rule (``answer_room_key_requests``); nio clients ignore other users' requests."""

    client: AsyncClient
    bot_id: str
    answer_key_requests: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    undecryptable: list[MegolmEvent] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # every event id in the timelines, anyone's
    _task: asyncio.Task[None] | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def __aenter__(self) -> Inbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> Inbox:
        resp = await self.client.sync(timeout=0)
        assert isinstance(resp, SyncResponse)
        await crypto_housekeeping(self.client)  # e.g. learn devices the bot added meanwhile
        self._task = asyncio.create_task(self._follow())
        return self

    async def _follow(self) -> None:
        while True:
            resp = await self.client.sync(
                timeout=5000, sync_filter={"room": {"timeline": {"limit": 500}}}
            )
            if not isinstance(resp, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            if self.answer_key_requests:
                answer_room_key_requests(self.client, resp)
            await crypto_housekeeping(self.client)  # sends the answers too
            for room_id, info in resp.rooms.join.items():
                for event in info.timeline.events:
                    self.seen.add(event.event_id)
                    if event.sender != self.bot_id:
                        continue
                    if isinstance(event, MegolmEvent):
                        self.undecryptable.append(event)
                    elif event.source.get("type") == "m.room.message":
                        self.events.append(
                            {"room_id": room_id, "decrypted": event.decrypted, **event.source}
                        )
            async with self._changed:
                self._changed.notify_all()

    def replies_to(self, event_id: str) -> list[dict[str, Any]]:
        return [e for e in self.events if reply_target(e) == event_id]

    def bodies_in(self, room_id: str) -> list[str]:
        """The bodies of the messages seen in one room (the coordination's notes)."""
        return [e["content"]["body"] for e in self.events if e["room_id"] == room_id]

    async def wait_for(self, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.events) >= count)
        return self.events

    async def wait_until(
        self, check: Callable[[list[dict[str, Any]]], bool], timeout: float = 30
    ) -> None:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: check(self.events))

    async def wait_seen(self, event_id: str, timeout: float = 30) -> None:
        """Until the timeline has reached ``event_id``: everything before it has arrived."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: event_id in self.seen)

    async def wait_undecryptable(self, count: int = 1, timeout: float = 15) -> None:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.undecryptable) >= count)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    """Poll state that offers nothing to wait on (e.g. the bot's database)."""
    async with asyncio.timeout(timeout):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def crypto_housekeeping(client: AsyncClient) -> None:
    """What sync_forever does between syncs for an encrypting member client."""
    if client.olm is None:
        return
    await client.send_to_device_messages()
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())


def answer_room_key_requests(client: AsyncClient, resp: SyncResponse) -> int:
    """What matrix-rust-sdk (the crypto of Element X and Element Web) does with a room key
    request from another user's device when its room key forwarding is on (GossipMachine::
    should_share_key): it forwards its *current* room key of that room, and only to a device
    it shared that key with. Queued for ``crypto_housekeeping`` to send; returns how
    many were answered."""
    olm = client.olm
    if olm is None:
        return 0
    own_key = olm.account.identity_keys["curve25519"]
    answered = 0
    for event in resp.to_device_events:
        if not isinstance(event, RoomKeyRequest) or event.sender == client.user_id:
            continue
        current = olm.outbound_group_sessions.get(event.room_id)
        if current is None or current.id != event.session_id or event.sender_key != own_key:
            continue
        if (event.sender, event.requesting_device_id) not in current.users_shared_with:
            continue
        device = olm.device_store[event.sender].get(event.requesting_device_id)
        session = olm.session_store.get(device.curve25519) if device else None
        key = olm.inbound_group_store.get(event.room_id, own_key, event.session_id)
        if device is None or session is None or key is None:
            continue
        olm.outgoing_to_device_messages.append(
            olm._encrypt_forwarding_key(event.room_id, key, session, device)
        )
        answered += 1
    return answered


def reply_target(event: dict[str, Any]) -> str | None:
    relates = event.get("content", {}).get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")


async def create_room(client: AsyncClient, invite: Sequence[str] = (), **kwargs: Any) -> str:
    resp = await client.room_create(invite=list(invite), **kwargs)
    assert isinstance(resp, RoomCreateResponse), resp
    return resp.room_id


async def wait_membership(
    client: AsyncClient, room_id: str, user_id: str, membership: str, timeout: float = 20
) -> None:
    async with asyncio.timeout(timeout):
        while True:
            resp = await client.room_get_state_event(room_id, "m.room.member", user_id)
            if getattr(resp, "content", {}).get("membership") == membership:
                return
            await asyncio.sleep(0.1)


async def send_text(client: AsyncClient, room_id: str, body: str, **extra: Any) -> str:
    resp = await client.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": body, **extra},
        ignore_unverified_devices=True,
    )
    event_id = getattr(resp, "event_id", None)
    assert event_id, resp
    return event_id


async def react(client: AsyncClient, room_id: str, event_id: str, key: str = "✅") -> str:
    """A reaction as Element sends it: encrypted in an encrypted room by an encrypting client
    (nio's room_send would send it in the clear), the relation left readable."""
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    room = client.rooms.get(room_id)
    if client.olm is None or room is None or not room.encrypted:
        resp = await client.room_send(room_id, "m.reaction", content)
    else:
        if not room.members_synced:
            await client.joined_members(room_id)
        await crypto_housekeeping(client)  # e.g. learn the bot's devices
        if client.olm.should_share_group_session(room_id):
            await client.share_group_session(room_id, ignore_unverified_devices=True)
        event_type, encrypted = client.encrypt(room_id, "m.reaction", content)
        method, path, data = Api.room_send(
            client.access_token, room_id, event_type, encrypted, str(uuid4())
        )
        resp = await client._send(RoomSendResponse, method, path, data, (room_id,))
    reaction_id = getattr(resp, "event_id", None)
    assert reaction_id, resp
    return str(reaction_id)


async def bot_messages(client: AsyncClient, room_id: str, bot_id: str) -> list[dict[str, Any]]:
    """Everything the bot ever posted in the room, read back with /messages (ground truth)."""
    found: list[dict[str, Any]] = []
    token = ""
    for _ in range(50):
        resp = await client.room_messages(room_id, start=token, limit=500)
        assert isinstance(resp, RoomMessagesResponse), resp
        found.extend(
            e.source
            for e in resp.chunk
            if e.sender == bot_id and e.source.get("type") == "m.room.message"
        )
        if not resp.chunk or not resp.end:
            break
        token = resp.end
    return found
