"""The bot against a homeserver that rate-limits it (Synapse's rc_message, no exemption)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from nio import AsyncClient, AsyncClientConfig

from bot.app import Bot
from bot.synapse_local import LocalSynapse
from tests.conftest import TEST_PASSWORD
from tests.integration.conftest import (
    BotAccount,
    Inbox,
    bot_config,
    create_room,
    reply_target,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def limited_synapse(tmp_path: Path) -> Iterator[LocalSynapse]:
    # One message per second after a burst of three: a broadcast-sized burst must queue.
    server = LocalSynapse(tmp_path / "limited", message_rate_limit=(1.0, 3))
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_rate_limited_replies_are_all_delivered_once_and_in_order(
    limited_synapse: LocalSynapse, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.outbox_sender")
    server = limited_synapse
    bot_id = server.register("virbot-limited", TEST_PASSWORD)
    member_id = server.register("member-limited", TEST_PASSWORD, admin=True)
    token, _ = server.login("member-limited", TEST_PASSWORD)
    server.override_ratelimit(member_id, token)  # only the bot is limited
    account = BotAccount(bot_id, "virbot-limited", tmp_path / "bot-data")
    # Default pacing (5/s): the homeserver's limit is the tighter one.
    bot = Bot(bot_config(server, account, (), outbox={}))
    task = asyncio.create_task(bot.run())
    member = AsyncClient(server.url, member_id, config=AsyncClientConfig(max_timeouts=3))
    await member.login(TEST_PASSWORD)
    try:
        await asyncio.wait_for(bot.ready.wait(), 30)
        room_id = await create_room(member, invite=[bot_id])
        await wait_membership(member, room_id, bot_id, "join")
        async with Inbox(member, bot_id) as inbox:
            commands = [await send_text(member, room_id, f"!hilfe {n}") for n in range(8)]
            await inbox.wait_for(8, timeout=60)
            await asyncio.sleep(1.0)
            targets = [reply_target(e) for e in inbox.events]
            assert Counter(targets) == Counter(commands)  # each answered exactly once
            assert targets == commands  # in the order they were sent
        assert "rate limited by the homeserver" in caplog.text  # the limit was really hit
    finally:
        bot.stop()
        await asyncio.wait_for(task, 30)
        await member.close()
