"""A backup taken while the bot runs restores it completely: same device, same keys.

Run with the usual umask 0o022, under which libraries create world-readable files: the data
directory must still be owner-only, including the crypto store nio writes itself.
"""

from __future__ import annotations

import asyncio
import shutil
import stat
from pathlib import Path

import pytest

from bot.app import Bot
from bot.backup import backup
from bot.config import Config
from bot.synapse_local import LocalSynapse
from tests.integration.conftest import BotAccount, bot_config

pytestmark = pytest.mark.integration


async def start(config: Config) -> tuple[Bot, asyncio.Task[None]]:
    bot = Bot(config)
    task = asyncio.create_task(bot.run())
    ready = asyncio.create_task(bot.ready.wait())
    done, _ = await asyncio.wait({task, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
    assert ready in done, "bot did not finish its first sync"
    return bot, task


async def stop(bot: Bot, task: asyncio.Task[None]) -> None:
    bot.stop()
    await asyncio.wait_for(task, 30)


def identity(bot: Bot) -> tuple[str | None, dict[str, str]]:
    assert bot.client is not None and bot.client.nio.olm is not None
    return bot.client.device_id, dict(bot.client.nio.olm.account.identity_keys)


def loose_modes(folder: Path) -> dict[str, str]:
    found = {}
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            found[str(path.relative_to(folder))] = oct(mode)
    return found


async def test_restore_from_a_backup_keeps_device_and_keys(
    synapse: LocalSynapse, bot_account: BotAccount, tmp_path: Path, loose_umask: None
) -> None:
    # No configured pickle key: the generated data_dir/pickle.key must be in the backup.
    config = bot_config(synapse, bot_account, [], matrix={"pickle_key": ""})
    data_dir = config.bot.data_dir
    bot, task = await start(config)
    try:
        before = identity(bot)
        report = await backup(config, tmp_path / "backup")  # while the bot runs
        running_modes = loose_modes(data_dir)
    finally:
        await stop(bot, task)
    assert running_modes == {}, "data_dir not owner-only while running"
    assert loose_modes(tmp_path / "backup") == {}
    store_files = [name for name in report.copied if name.startswith("crypto/")]
    assert store_files and {"vir-bot.db", "pickle.key", "cross_signing.json"} <= set(report.copied)

    # Disaster: the data directory is gone. Restore it from the backup and start again.
    shutil.rmtree(data_dir)
    shutil.copytree(tmp_path / "backup", data_dir)
    bot, task = await start(config)
    try:
        after = identity(bot)
    finally:
        await stop(bot, task)
    assert after == before  # same device id, same device keys: no new device for members
    assert before[0] is not None and before[1]["ed25519"]
