"""Homeserver outage: connections refused, then 502 Bad Gateway, 20 s in all, while a
room reminder falls due and a member sends commands (straight to Synapse, which is up).

The bot talks to Synapse through tests.fakes.FaultyProxy, which counts its requests.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from bot.app import Bot
from bot.backoff import Backoff
from bot.synapse_local import LocalSynapse
from tests.fakes import FaultyProxy
from tests.integration.conftest import (
    BotAccount,
    Inbox,
    bot_config,
    bot_messages,
    reply_target,
    send_text,
)
from tests.integration.test_runtime import room_with_bot

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

DUE_TEXT = "Erinnerung: Plenum beginnt"
# Seconds of each phase (refused, then 502): with the back-off capped at 4 s a longer outage only
# adds one attempt per 2-4 s; the suite's time budget is better spent elsewhere.
OUTAGE_PHASE = 10


@pytest.fixture
async def proxy(synapse: LocalSynapse) -> AsyncIterator[FaultyProxy]:
    faulty = await FaultyProxy(synapse.url).start()
    yield faulty
    await faulty.stop()


async def test_outage_backs_off_then_delivers_everything_once(
    synapse: LocalSynapse, bot_account: BotAccount, proxy: FaultyProxy, matrix_user
) -> None:
    member = await matrix_user("member")
    config = bot_config(
        synapse,
        bot_account,
        [member.user_id],  # a coordinator: room reminders are theirs to set
        matrix={"homeserver": proxy.url},
        throttle_commands=100,
    )
    bot = Bot(config, backoff=Backoff(first=0.5, cap=4))
    task = asyncio.create_task(bot.run())
    try:
        await asyncio.wait_for(bot.ready.wait(), 30)
        room_id = await room_with_bot(member, bot_account.user_id)
        async with Inbox(member, bot_account.user_id) as inbox:
            ack = await send_text(member, room_id, f"!erinnerung in 5 Sekunden; {DUE_TEXT}")
            await inbox.wait_for(1)
            failed_before = bot.sync_loop.failed_attempts  # type: ignore[union-attr]

            await proxy.refuse()
            during = [await send_text(member, room_id, f"!hilfe {n}") for n in range(3)]
            await asyncio.sleep(OUTAGE_PHASE)  # the notice falls due in here
            refused_attempts = bot.sync_loop.failed_attempts - failed_before  # type: ignore[union-attr]
            assert bot.services is not None and not bot.services.health.online  # reminders wait

            await proxy.bad_gateway()
            during += [await send_text(member, room_id, f"!hilfe status {n}") for n in range(2)]
            await asyncio.sleep(OUTAGE_PHASE)
            await proxy.passing()

            await inbox.wait_for(1 + len(during) + 1, timeout=60)
            assert bot.services.health.online  # a sync succeeded again
            await asyncio.sleep(1.5)  # would a duplicate still arrive?
        targets = Counter(reply_target(e) for e in inbox.events)
        truth = await bot_messages(member, room_id, bot_account.user_id)
    finally:
        bot.stop()
        await asyncio.wait_for(task, 30)

    assert targets == Counter([ack, *during, None]), "each command once, plus the reminder"
    reminders = [e for e in truth if reply_target(e) is None]
    assert len(reminders) == 1, "the reminder was delivered exactly once"
    assert DUE_TEXT in reminders[0]["content"]["body"]
    assert reminders[0]["content"]["msgtype"] == "m.text"  # it must notify
    assert len(truth) == 1 + len(during) + 1
    # No tight loop: with back-off capped at 4 s, 10 s refused is a handful of sync attempts,
    # and 10 s of 502 a handful of requests (a tight loop makes hundreds per second).
    assert 1 <= refused_attempts <= 8, refused_attempts
    bad_gateway = proxy.requests[FaultyProxy.BAD_GATEWAY]
    assert 1 <= bad_gateway <= 15, proxy.paths
    print(f"refused: {refused_attempts} sync attempts; 502: {bad_gateway} requests {proxy.paths}")
