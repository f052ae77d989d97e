"""End-to-end encryption with real encrypting member clients (nio with vodozemac)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.integration.conftest import (
    BotFactory,
    Inbox,
    create_room,
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
    inbox = await Inbox(member, running.user_id).start()
    try:
        command_id = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1, timeout=30)
        (reply,) = inbox.replies_to(command_id)
        assert reply["decrypted"] is True
        assert "!hilfe [<befehl>]" in reply["content"]["body"]
        assert not inbox.undecryptable
    finally:
        await inbox.stop()


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
    inbox = await Inbox(member, running.user_id).start()
    try:
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
    finally:
        await inbox.stop()


async def test_encrypted_reply_after_bot_restart(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    inbox = await Inbox(member, running.user_id).start()
    try:
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
    finally:
        await inbox.stop()


async def test_new_member_device_receives_next_messages(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    room_id = await encrypted_room_with_bot(member, running.user_id)
    inbox = await Inbox(member, running.user_id).start()
    try:
        await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
    finally:
        await inbox.stop()
    localpart = member.user_id.split(":")[0][1:]
    second = await matrix_user("member", encrypted=True, localpart=localpart)
    second_inbox = await Inbox(second, running.user_id).start()
    try:
        await asyncio.sleep(1.0)  # let the bot see the device list change
        command_id = await send_text(member, room_id, "!hilfe status")
        await second_inbox.wait_for(1, timeout=30)
        (reply,) = second_inbox.replies_to(command_id)
        assert reply["decrypted"]
        assert not second_inbox.undecryptable
    finally:
        await second_inbox.stop()
