"""Restore drill: `vir-bot backup` (a real process) while the bot runs and members write,
restore the folder into an empty data directory as the README says, start: same device, no
new device on the account, the encrypted room readable both ways, and a command sent after the
backup is run again but not answered twice. (tests/integration/test_backup_restore.py checks
the backup folder itself: files, modes, device keys.)
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from nio import DevicesResponse

from bot.app import Bot
from bot.synapse_local import LocalSynapse
from storage.sync_state import SyncStateRepository
from tests.integration.conftest import BotAccount, BotFactory, Inbox, bot_config, send_text
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


async def test_backup_while_running_restore_into_empty_dir_same_device(
    start_bot: BotFactory,
    synapse: LocalSynapse,
    bot_account: BotAccount,
    matrix_user,
    tmp_path: Path,
) -> None:
    member = await matrix_user("member", encrypted=True)
    running = await start_bot()
    device = running.bot.client.device_id  # type: ignore[union-attr]
    devices_before = await account_devices(running.bot)
    assert device in devices_before
    room_id = await encrypted_room_with_bot(member, running.user_id)
    config = write_bot_config(tmp_path / "config.toml", synapse, bot_account)
    async with Inbox(member, running.user_id) as inbox:
        before = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        await backup_running_bot(config, tmp_path / "backup")
        # After the backup: answered now, and its record is not in the backup.
        after_backup = await send_text(member, room_id, "!hilfe status")
        await inbox.wait_for(2)
        await running.stop()

        restored = BotAccount(bot_account.user_id, bot_account.localpart, tmp_path / "restored")
        shutil.copytree(tmp_path / "backup", restored.data_dir)
        bot = Bot(bot_config(synapse, restored, ()))
        task = asyncio.create_task(bot.run())
        try:
            await asyncio.wait_for(bot.ready.wait(), 30)
            assert bot.client.device_id == device, "the restore created a new device"  # type: ignore[union-attr]
            assert await account_devices(bot) == devices_before, "a new device was added"
            after_restore = await send_text(member, room_id, "!hilfe meine-daten")
            await inbox.wait_for(3, timeout=30)
            await asyncio.sleep(2.0)  # would a second reply still arrive?
            # The backup's sync token predates `after_backup`: the restored bot ran it again,
            # and the homeserver de-duplicated the reply by its transaction id (same device).
            assert await SyncStateRepository(bot.db).is_handled(after_backup)
        finally:
            bot.stop()
            await asyncio.wait_for(task, 30)

    for event_id in (before, after_backup, after_restore):
        replies = inbox.replies_to(event_id)
        assert len(replies) == 1, f"{len(replies)} replies to {event_id}"
        assert replies[0]["decrypted"], "the reply was not encrypted"
    assert not inbox.undecryptable, "the member could not read the restored bot's reply"
