"""End-to-end encryption with real encrypting member clients (nio with vodozemac)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.integration.conftest import (
    BotFactory,
    Inbox,
    create_room,
    eventually,
    reply_target,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration

ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


async def encrypted_room_with_bot(member, bot_id: str) -> str:  # type: ignore[no-untyped-def]
    room_id = await create_room(member, invite=[bot_id], initial_state=[ENCRYPTION])
    await wait_membership(member, room_id, bot_id, "join")
    return room_id


async def test_command_in_encrypted_room_gets_encrypted_reply(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        command_id = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1, timeout=30)
        (reply,) = inbox.replies_to(command_id)
        assert reply["decrypted"] is True
        assert "!hilfe [<befehl>]" in reply["content"]["body"]
        assert not inbox.undecryptable


async def encrypted_dm_with_bot(member, bot_id: str) -> str:  # type: ignore[no-untyped-def]
    from nio import RoomPreset

    room_id = await create_room(
        member,
        invite=[bot_id],
        is_direct=True,
        preset=RoomPreset.trusted_private_chat,
        initial_state=[ENCRYPTION],
    )
    await wait_membership(member, room_id, bot_id, "join")
    return room_id


async def download_decrypted(client, content: dict) -> bytes:  # type: ignore[no-untyped-def]
    from nio import DownloadResponse
    from nio.crypto.attachments import decrypt_attachment

    file = content["file"]
    resp = await client.download(file["url"])
    assert isinstance(resp, DownloadResponse), resp
    return decrypt_attachment(resp.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"])


async def test_encrypted_dm_reply_and_file_arrive_encrypted(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    dm = await encrypted_dm_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        command_id = await send_text(member, dm, "!meine-daten")
        await inbox.wait_for(2, timeout=30)
        (reply,) = inbox.replies_to(command_id)
        assert reply["decrypted"] and reply["room_id"] == dm
        (file_event,) = [e for e in inbox.events if e["content"].get("msgtype") == "m.file"]
        assert file_event["decrypted"] and file_event["room_id"] == dm
        assert "url" not in file_event["content"]  # only the encrypted form
        data = json.loads(await download_decrypted(member, file_event["content"]))
        assert data["user_id"] == member.user_id
        assert data["direct_message_room"] == dm


async def test_encrypted_reply_after_bot_restart(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        first = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        device = running.bot.client.device_id  # type: ignore[union-attr]
        await running.stop()
        while_down = await send_text(member, room_id, "!hilfe status")
        running = await start_bot()
        assert running.bot.client.device_id == device  # type: ignore[union-attr]
        after = await send_text(member, room_id, "!hilfe meine-daten")
        await inbox.wait_for(3, timeout=30)
        for event_id in (first, while_down, after):
            (reply,) = inbox.replies_to(event_id)
            assert reply["decrypted"]
        assert not inbox.undecryptable


async def test_new_member_device_receives_next_messages(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
    localpart = member.user_id.split(":")[0][1:]
    second = await matrix_user("member", encrypted=True, localpart=localpart)
    async with Inbox(second, running.user_id) as second_inbox:
        await asyncio.sleep(1.0)  # let the bot see the device list change
        command_id = await send_text(member, room_id, "!hilfe status")
        await second_inbox.wait_for(1, timeout=30)
        (reply,) = second_inbox.replies_to(command_id)
        assert reply["decrypted"]
        assert not second_inbox.undecryptable


async def send_without_sharing_key(member, room_id: str, body: str) -> str:  # type: ignore[no-untyped-def]
    """Encrypt with the member's outbound session but withhold the key from the bot,
    as a client that refuses keys to unverified devices does."""
    from nio import Api, RoomSendResponse

    olm = member.olm
    if room_id not in olm.outbound_group_sessions:
        olm.create_outbound_group_session(room_id)
    session = olm.outbound_group_sessions[room_id]
    session.shared = True  # pretend, so nio encrypts without sending the key
    _, content = member.encrypt(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    method, path, data = Api.room_send(
        member.access_token, room_id, "m.room.encrypted", content, f"t{body}{id(content)}"
    )
    resp = await member._send(RoomSendResponse, method, path, data, (room_id,))
    assert isinstance(resp, RoomSendResponse), resp
    return resp.event_id


async def prepare_key_share(member, room_id: str) -> list:  # type: ignore[no-untyped-def]
    """Encrypt the room key for the room's devices now (at message index 0), send it later."""
    missing = member.get_missing_sessions(room_id)
    if missing:
        await member.keys_claim(missing)
    users = list(member.rooms[room_id].users)
    return [
        to_device
        for _, to_device in member.olm.share_group_session_parallel(
            room_id, users, ignore_unverified_devices=True
        )
    ]


async def deliver_key_share(member, to_device_messages: list) -> None:  # type: ignore[no-untyped-def]
    from uuid import uuid4

    from nio import Api, ToDeviceResponse

    for content in to_device_messages:
        method, path, data = Api.to_device(
            member.access_token, "m.room.encrypted", content, uuid4()
        )
        resp = await member._send(ToDeviceResponse, method, path, data, response_data=(None,))
        assert isinstance(resp, ToDeviceResponse), resp


async def test_late_room_key_is_used_and_command_answered(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    inbox = await Inbox(member, running.user_id).start()  # syncs: member knows the bot's device
    try:
        await member.joined_members(room_id)
        if member.should_query_keys:
            await member.keys_query()
        key_share = await prepare_key_share(member, room_id)
        withheld = await send_without_sharing_key(member, room_id, "!hilfe")
        await asyncio.sleep(1.0)
        assert inbox.replies_to(withheld) == []  # the bot cannot read it yet
        await deliver_key_share(member, key_share)
        await inbox.wait_for(1, timeout=30)
        (reply,) = inbox.replies_to(withheld)
        assert "!hilfe [<befehl>]" in reply["content"]["body"]
    finally:
        await inbox.stop()


async def test_missing_key_reported_once_per_sender(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot(key_wait=1)
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        await member.joined_members(room_id)
        if member.should_query_keys:
            await member.keys_query()
        first = await send_without_sharing_key(member, room_id, "!hilfe")
        await send_without_sharing_key(member, room_id, "!hilfe status")
        await inbox.wait_for(1, timeout=30)
        await asyncio.sleep(2.5)  # the second message's wait runs out too: no second notice
        (notice,) = inbox.events
        assert reply_target(notice) == first
        assert notice["content"]["msgtype"] == "m.text"
        assert notice["content"]["body"].startswith("Ich konnte Ihre Nachricht nicht entschlüsseln")


async def test_bot_device_is_cross_signed_by_its_owner(start_bot: BotFactory, matrix_user) -> None:
    from bot.cross_signing import verify_json

    observer = await matrix_user("member")
    running = await start_bot()
    device_id = running.bot.client.device_id  # type: ignore[union-attr]
    # What another member's client (Element) sees of the bot's device.
    body = json.dumps({"device_keys": {running.user_id: []}})
    headers = {"Authorization": f"Bearer {observer.access_token}"}
    resp = await observer.send("POST", "/_matrix/client/v3/keys/query", body, headers)
    keys = await resp.json()
    ssk = keys["self_signing_keys"][running.user_id]
    (ssk_public,) = ssk["keys"].values()
    device = keys["device_keys"][running.user_id][device_id]
    assert verify_json(device, running.user_id, ssk_public)
    assert (running.data_dir / "cross_signing.json").stat().st_mode & 0o077 == 0


async def test_blocklisted_device_gets_no_room_key(start_bot: BotFactory, matrix_user) -> None:
    blocked = await matrix_user("member", encrypted=True)
    other = await matrix_user("member", encrypted=True)
    running = await start_bot(blocklist=[blocked.device_id])
    room_id = await encrypted_room_with_bot(other, running.user_id)
    await other.room_invite(room_id, blocked.user_id)
    await blocked.join(room_id)
    blocked_inbox = await Inbox(blocked, running.user_id).start()
    other_inbox = await Inbox(other, running.user_id).start()
    try:
        command_id = await send_text(other, room_id, "!hilfe")
        await other_inbox.wait_for(1)
        assert other_inbox.replies_to(command_id)[0]["decrypted"]
        await blocked_inbox.wait_undecryptable()
        assert blocked_inbox.events == []  # the blocked device could not read the reply
    finally:
        await blocked_inbox.stop()
        await other_inbox.stop()


async def test_tofu_trusts_first_devices_only(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot(trust="tofu")
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)  # first contact: the member's device is trusted
        localpart = member.user_id.split(":")[0][1:]
        later = await matrix_user("member", encrypted=True, localpart=localpart)
        async with Inbox(later, running.user_id) as later_inbox:
            await asyncio.sleep(1.0)  # the bot sees the new device in the device list
            command_id = await send_text(member, room_id, "!hilfe status")
            await inbox.wait_for(2)
            assert inbox.replies_to(command_id)[0]["decrypted"]
            await later_inbox.wait_undecryptable()
            assert later_inbox.replies_to(command_id) == []


async def test_lost_crypto_store_reported_and_bot_continues_as_new_device(
    start_bot: BotFactory, matrix_user, caplog: pytest.LogCaptureFixture
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    old_device = running.bot.client.device_id  # type: ignore[union-attr]
    await running.stop()
    for store in (running.data_dir / "crypto").glob("*.db"):
        store.unlink()
    running = await start_bot()
    assert running.bot.client.device_id != old_device  # type: ignore[union-attr]
    assert "crypto store for device" in caplog.text and "restore data_dir/crypto" in caplog.text
    room_id = await encrypted_room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        command_id = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        assert inbox.replies_to(command_id)[0]["decrypted"]


async def test_wrong_pickle_key_stops_with_clear_message(
    start_bot: BotFactory, synapse, bot_account
) -> None:
    from bot.app import Bot
    from bot.matrix import CryptoStoreError
    from tests.integration.conftest import bot_config

    running = await start_bot()
    await running.stop()
    config = bot_config(synapse, bot_account, (), {"pickle_key": "another-key"})
    with pytest.raises(CryptoStoreError, match="pickle key"):
        await Bot(config).run()


async def test_revoked_token_logs_in_again_on_the_same_device(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    client = running.bot.client
    device = client.device_id  # type: ignore[union-attr]
    room_id = await encrypted_room_with_bot(member, running.user_id)
    sync_loop = running.bot.sync_loop
    sync_loop.session_ready.clear()  # type: ignore[union-attr]
    # An administrator ends the bot's session (this deletes the device's keys too).
    await client.raw_request("POST", "/_matrix/client/v3/logout", {})  # type: ignore[union-attr]
    await asyncio.wait_for(sync_loop.session_ready.wait(), 20)  # type: ignore[union-attr]
    assert sync_loop.sessions == 2  # type: ignore[union-attr]
    async with Inbox(member, running.user_id) as inbox:
        command_id = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1, timeout=30)
        assert inbox.replies_to(command_id)[0]["decrypted"]
        assert client.device_id == device  # type: ignore[union-attr]


async def test_bot_opens_an_encrypted_direct_message_and_reuses_it(
    start_bot: BotFactory, matrix_user
) -> None:
    from nio import InviteMemberEvent, SyncResponse

    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    await member.sync(timeout=0)  # the member's client learns the room before sending
    await send_text(member, room_id, "!meine-daten")  # personal data: sent by DM
    dm_id = None
    async with asyncio.timeout(30):
        while dm_id is None:
            resp = await member.sync(timeout=3000)
            assert isinstance(resp, SyncResponse)
            for invited, info in resp.rooms.invite.items():
                for event in info.invite_state:
                    if isinstance(event, InviteMemberEvent) and event.content.get("is_direct"):
                        dm_id = invited
    outbox = running.bot.outbox_sender.outbox  # type: ignore[union-attr]

    async def file_sent() -> bool:
        # Sent, not merely "not pending": a file given up (failed) must fail this test.
        counts = await outbox.counts()
        assert counts.failed == 0, "the file for the new DM was given up"
        return counts.pending == 0 and counts.sent >= 2  # the notice in the room, the file

    await eventually(file_sent)  # the file goes out while the member is only invited
    await member.join(dm_id)
    state = await member.room_get_state_event(dm_id, "m.room.history_visibility")
    assert state.content["history_visibility"] == "invited"
    encryption = await member.room_get_state_event(dm_id, "m.room.encryption")
    assert encryption.content["algorithm"] == "m.megolm.v1.aes-sha2"
    async with Inbox(member, running.user_id) as inbox:
        # The file sent before the member joined is readable (history from the invite on).
        resp = await member.room_messages(dm_id, start="", limit=50)
        files = [
            e
            for e in resp.chunk
            if getattr(e, "source", {}).get("content", {}).get("msgtype") == "m.file"
        ]
        assert files and all(getattr(e, "decrypted", False) for e in files)
        await send_text(member, room_id, "!meine-daten")
        await inbox.wait_for(2)  # the notice in the room and the second file in the same DM
        assert {e["room_id"] for e in inbox.events if e["content"].get("msgtype") == "m.file"} == {
            dm_id
        }
    # Recorded in the bot's m.direct (written right after creating the room, before sending).
    direct = await running.bot.client.raw_request(  # type: ignore[union-attr]
        "GET", f"/_matrix/client/v3/user/{running.user_id}/account_data/m.direct"
    )
    assert direct[member.user_id] == [dm_id]


async def test_direct_message_reused_after_the_database_is_lost(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    dm_id = await encrypted_dm_with_bot(member, running.user_id)
    room_id = await encrypted_room_with_bot(member, running.user_id)
    await member.sync(timeout=0)
    async with Inbox(member, running.user_id) as inbox:
        await send_text(member, room_id, "!meine-daten")
        await inbox.wait_for(2)
    await running.stop()
    (running.data_dir / "vir-bot.db").unlink()  # lost: only m.direct still knows the DM
    for suffix in ("-wal", "-shm"):
        (running.data_dir / f"vir-bot.db{suffix}").unlink(missing_ok=True)
    running = await start_bot()  # a new device too: the session was in the database
    async with Inbox(member, running.user_id) as inbox:  # learns the bot's new device
        await send_text(member, room_id, "!meine-daten")
        await inbox.wait_for(2)
        files = [e for e in inbox.events if e["content"].get("msgtype") == "m.file"]
        assert [e["room_id"] for e in files] == [dm_id]
