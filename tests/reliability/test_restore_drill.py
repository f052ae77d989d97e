"""Restore drill: `vir-bot backup` (a real process) while the bot runs and members write,
restore the folder into an empty data directory as the README says, start: same device, no
new device on the account, the encrypted room readable both ways (also when the bot's Olm
session with the member moved on after the backup), commands sent after the backup run again
but not answered twice, also one encrypted with a room key only the lost store had (the
restored bot asks the member's device for it, which answers by matrix-rust-sdk's rule).
(tests/integration/test_backup_restore.py checks the backup folder itself: files, modes,
device keys.)
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from nio import DevicesResponse

from bot.app import Bot
from bot.backup import MARKER
from bot.config import load_config
from bot.matrix import MatrixClient
from bot.replies import txn_id
from bot.synapse_local import LocalSynapse
from storage.sync_state import SyncStateRepository
from storage.undecrypted import UndecryptedRepository
from tests.integration.conftest import BotAccount, Inbox, reply_target, send_text
from tests.integration.test_encryption import encrypted_room_with_bot
from tests.reliability.world import write_bot_config

pytestmark = [pytest.mark.integration, pytest.mark.reliability]


async def vir_bot(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, out.decode()
    return out.decode()


async def backup_running_bot(config: Path, target: Path) -> None:
    """What the README tells operators to do while the bot runs."""
    await vir_bot("backup", "--config", str(config), "--out", str(target))


async def account_devices(bot: Bot) -> set[str]:
    """Every device of the bot's account (registration made one too)."""
    resp = await bot.client.nio.devices()  # type: ignore[union-attr]
    assert isinstance(resp, DevicesResponse), resp
    return {d.id for d in resp.devices}


EVENTS = """
[[events]]
key = "tagung-a"
title = "Tagung A"
starts = "2027-03-01T09:30"
ends = "2027-03-01T16:00"
location = "Bremen"
capacity = 10

[[events]]
key = "tagung-b"
title = "Tagung B"
starts = "2027-03-02T09:30"
ends = "2027-03-02T16:00"
location = "Oldenburg"
capacity = 10
"""


async def run_bot(config_path: Path) -> tuple[Bot, asyncio.Task[None]]:
    bot = Bot(load_config(config_path))
    task = asyncio.create_task(bot.run())
    await asyncio.wait_for(bot.ready.wait(), 30)
    return bot, task


async def stop_bot(bot: Bot, task: asyncio.Task[None]) -> None:
    if task.done():
        return
    bot.stop()
    await asyncio.wait_for(task, 30)


def registrations(db_path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT e.key, r.user_id FROM plenum_registrations AS r "
            "JOIN plenum_events AS e ON e.id = r.event_id ORDER BY e.key"
        ).fetchall()
    finally:
        conn.close()
    return [tuple(r) for r in rows]


def recording_send(sends: dict[str, dict[str, Any]]) -> Any:
    """MatrixClient.send, recording each transaction id sent with its content."""
    send = MatrixClient.send

    async def recorded(
        self: MatrixClient, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        sends[txn_id] = content
        return await send(self, room_id, event_type, content, txn_id)

    return recorded


def reply_txn(event_id: str) -> str:
    return txn_id(event_id)


def posted(inbox: Inbox, marker: str) -> int:
    return sum(marker in e["content"].get("body", "") and not reply_target(e) for e in inbox.events)


async def test_backup_while_running_restore_into_empty_dir_same_device(
    synapse: LocalSynapse,
    bot_account: BotAccount,
    matrix_user,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sends: dict[str, dict[str, Any]] = {}
    caplog.set_level(logging.INFO, logger="bot.outbox_sender")
    caplog.set_level(logging.INFO, logger="bot.matrix")
    member = await matrix_user("member", encrypted=True)
    config = write_bot_config(
        tmp_path / "config.toml", synapse, bot_account, EVENTS, coordinators=(member.user_id,)
    )
    bot, task = await run_bot(config)
    try:
        device = bot.client.device_id  # type: ignore[union-attr]
        devices_before = await account_devices(bot)
        room_id = await encrypted_room_with_bot(member, bot_account.user_id)
        async with Inbox(member, bot_account.user_id, answer_key_requests=True) as inbox:
            before = [
                await send_text(member, room_id, "!anmelden tagung-a"),
                # Due while the old bot still runs, after the backup: posted by the old bot,
                # pending again in the restored database.
                await send_text(member, room_id, "!erinnerung in 8 Sekunden; Marke-vorher"),
                # Due after the restore (ready some 12 s after this even on a loaded machine;
                # the drill's length is this wait).
                await send_text(member, room_id, "!erinnerung in 25 Sekunden; Marke-danach"),
            ]
            await inbox.wait_for(3)
            await backup_running_bot(config, tmp_path / "backup")
            # After the backup: answered now, not recorded in the backup.
            after_backup = await send_text(member, room_id, "!meine-anmeldungen")
            await inbox.wait_for(4, timeout=30)
            # The bot restarts (an update, a reboot). nio keeps no outbound room keys, so its
            # next message sends a new key to the member over their Olm session: that session
            # moves past the copy in the backup, as it does whenever the bot opens a room or
            # rotates a key after a backup. A restored bot that kept using the copied session
            # sent keys the member could not decrypt. (Restarting only after a command was
            # handled also keeps the restarted bot's first sync from being the restored bot's:
            # Synapse would answer the restored bot from its 2-minute cache of sync responses.)
            await stop_bot(bot, task)
            bot, task = await run_bot(config)
            after_restart = await send_text(member, room_id, "!hilfe anmelden")
            await inbox.wait_for(6, timeout=30)  # its reply and the first reminder
            assert posted(inbox, "Marke-vorher") == 1
            # The member's client rotates its room key (clients do after 100 messages, a
            # week, or when someone leaves): the new key reaches only the running bot, the
            # backup never has it. The restored bot must ask the member's device for it.
            member.invalidate_outbound_session(room_id)
            rotated = await send_text(member, room_id, "!anmelden tagung-b")
            await inbox.wait_for(7, timeout=30)
            await stop_bot(bot, task)

            restored = BotAccount(bot_account.user_id, bot_account.localpart, tmp_path / "new")
            await asyncio.to_thread(shutil.copytree, tmp_path / "backup", restored.data_dir)
            restored_config = write_bot_config(
                tmp_path / "restored.toml",
                synapse,
                restored,
                EVENTS,
                coordinators=(member.user_id,),
            )
            caplog.clear()
            # What the restored bot really sends. Counting the member's inbox cannot show a
            # reply sent twice here: the drill restores within seconds, and Synapse answers a
            # transaction id it saw in the last 24 hours with the first event, posting nothing.
            # The restored bot must not send those rows at all (after 24 h they would appear
            # twice), so its sends are counted where they leave it.
            monkeypatch.setattr(MatrixClient, "send", recording_send(sends))
            bot, task = await run_bot(restored_config)
            assert bot.client.device_id == device, "the restore created a new device"  # type: ignore[union-attr]
            assert not (restored.data_dir / MARKER).exists(), "fresh Olm sessions not started"
            assert await account_devices(bot) == devices_before, "a new device was added"
            after_restore = await send_text(member, room_id, "!hilfe")
            await inbox.wait_for(9, timeout=60)  # its reply and the second reminder
            # The backup's sync token predates all three: the restored bot ran them again
            # (the rotated one once the member's device sent the key back). Their replies, and
            # the first reminder, were in the timeline it read again, with its transaction
            # ids: not sent again (so not posted twice even after the homeserver's 24 hours).
            ours = ("bot.outbox_sender", "bot.matrix")  # others' records may not format
            logged = [(r.name, r.getMessage()) for r in caplog.records if r.name in ours]
            seen = [m for name, m in logged if name == "bot.outbox_sender" and "timeline" in m]
            assert len(seen) >= 4, seen
            assert any(name == "bot.matrix" and "sent again" in m for name, m in logged)
            state = SyncStateRepository(bot.db)
            assert await state.is_handled(after_backup)
            assert await state.is_handled(after_restart)
            assert await state.is_handled(rotated), "the rotated key was not recovered"
            # No member message is left unreadable; the bot's own from the lost part wait for
            # nothing (it never asks itself for keys).
            assert await UndecryptedRepository(bot.db).held() == []
            # Stopped with the inbox still following (the stop flushes the outbox), then
            # read up to a message the member sends afterwards: whatever the bot sent is
            # before it in the room's timeline, so a late duplicate cannot slip past.
            await stop_bot(bot, task)
            await inbox.wait_seen(await send_text(member, room_id, "Ende der Übung"))
    finally:
        await stop_bot(bot, task)

    # The restored bot sent the reply to the one command after the restore and the second
    # reminder (the recording works), nothing it found in the timeline again.
    bodies = [content.get("body", "") for content in sends.values()]
    assert reply_txn(after_restore) in sends and sum("Marke-danach" in b for b in bodies) == 1
    for event_id in (*before, after_backup, after_restart, rotated):
        assert reply_txn(event_id) not in sends, f"the reply to {event_id} was sent again"
    assert not any("Marke-vorher" in b for b in bodies), "the first reminder was sent again"

    for event_id in (*before, after_backup, after_restart, rotated, after_restore):
        replies = inbox.replies_to(event_id)
        assert len(replies) == 1, f"{len(replies)} replies to {event_id}"
        assert replies[0]["decrypted"], "the reply was not encrypted"
    assert posted(inbox, "Marke-vorher") == 1, "a reminder from before the restore came twice"
    assert posted(inbox, "Marke-danach") == 1
    assert not inbox.undecryptable, "the member could not read the restored bot's messages"
    # The registration from before the backup is restored, the one after it redone (from a
    # message whose key the restored bot had to ask for).
    assert registrations(restored.data_dir / "vir-bot.db") == [
        ("tagung-a", member.user_id),
        ("tagung-b", member.user_id),
    ]
