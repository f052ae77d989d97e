"""`vir-bot run` as operators start it: a real process, real signals, real exit codes."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from bot.synapse_local import LocalSynapse
from tests.conftest import TEST_PASSWORD
from tests.integration.conftest import BotAccount, Inbox, create_room, send_text, wait_membership

pytestmark = pytest.mark.integration


def write_config(path: Path, synapse: LocalSynapse, user_id: str, password: str) -> Path:
    path.write_text(
        f"""
[matrix]
homeserver = "{synapse.url}"
user_id = "{user_id}"
password = "{password}"
[bot]
data_dir = "data"
[access]
invite_from = ["@member-*:{synapse.server_name}"]
""",
        encoding="utf-8",
    )
    return path


async def start(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def read_until(process: asyncio.subprocess.Process, marker: str, log: list[str]) -> None:
    assert process.stdout is not None
    async with asyncio.timeout(30):
        while True:
            line = (await process.stdout.readline()).decode()
            assert line, "process ended: " + "".join(log)
            log.append(line)
            if marker in line:
                return


async def test_run_answers_and_stops_cleanly_on_sigterm(
    synapse: LocalSynapse, bot_account: BotAccount, matrix_user, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", synapse, bot_account.user_id, TEST_PASSWORD)
    member = await matrix_user("member")
    process = await start(config)
    log: list[str] = []
    try:
        await read_until(process, "answering commands", log)
        room_id = await create_room(member, invite=[bot_account.user_id])
        await wait_membership(member, room_id, bot_account.user_id, "join")
        async with Inbox(member, bot_account.user_id) as inbox:
            await send_text(member, room_id, "!hilfe")
            await inbox.wait_for(1)
        process.send_signal(signal.SIGTERM)
        await read_until(process, "stopped", log)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert (tmp_path / "data" / "vir-bot.db").exists()  # data_dir relative to the config file
    assert "Traceback" not in "".join(log)


async def test_wrong_password_exits_1_with_a_clear_message(
    synapse: LocalSynapse, bot_account: BotAccount, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", synapse, bot_account.user_id, "wrong")
    process = await start(config)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert b"cannot log in" in out and b"Traceback" not in out


async def test_configuration_error_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[matrix]\nhomeserver = "x"\n', encoding="utf-8")
    process = await start(bad)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert b"matrix.homeserver: expected" in out
