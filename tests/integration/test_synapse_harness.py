"""Checks that the local Synapse harness itself works, before bot tests rely on it."""

from __future__ import annotations

import asyncio

import pytest
from nio import (
    AsyncClient,
    JoinResponse,
    RoomCreateResponse,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)

from bot.synapse_local import LocalSynapse

pytestmark = pytest.mark.integration


async def _wait_for_text(client: AsyncClient, room_id: str, body: str) -> None:
    """Sync until ``body`` shows up in ``room_id``'s timeline (events may span syncs)."""
    async with asyncio.timeout(15):
        while True:
            resp = await client.sync(timeout=2000)
            assert isinstance(resp, SyncResponse), resp
            room = resp.rooms.join.get(room_id)
            events = room.timeline.events if room else []
            if any(isinstance(ev, RoomMessageText) and ev.body == body for ev in events):
                return


async def test_two_users_exchange_a_message(matrix_user) -> None:
    alice = await matrix_user("alice")
    bob = await matrix_user("bob")

    created = await alice.room_create(name="harness", invite=[bob.user_id])
    assert isinstance(created, RoomCreateResponse), created
    joined = await bob.join(created.room_id)
    assert isinstance(joined, JoinResponse), joined
    assert isinstance(await bob.sync(timeout=0), SyncResponse)  # baseline token

    sent = await alice.room_send(
        created.room_id, "m.room.message", {"msgtype": "m.text", "body": "Moin Bob"}
    )
    assert isinstance(sent, RoomSendResponse), sent
    await _wait_for_text(bob, created.room_id, "Moin Bob")


async def test_restart_keeps_data_and_tokens(synapse: LocalSynapse, matrix_user) -> None:
    alice = await matrix_user("alice")
    token, url = alice.access_token, synapse.url
    assert isinstance(await alice.whoami(), WhoamiResponse)

    await asyncio.to_thread(synapse.restart)

    assert synapse.url == url
    who = await alice.whoami()  # the pooled connection died with the old process
    assert isinstance(who, WhoamiResponse), who
    assert who.user_id == alice.user_id
    assert alice.access_token == token
    # The shared secret survived too, so registration still works.
    carol = await matrix_user("carol")
    assert isinstance(await carol.sync(timeout=0), SyncResponse)
