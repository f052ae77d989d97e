"""Homeserver outage: connections refused, then 502 Bad Gateway, 20 s in all, while a
scheduled message falls due and a member sends commands (straight to Synapse, which is up).

The bot talks to Synapse through tests.fakes.FaultyProxy, which counts its requests.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import Bot
from bot.backoff import Backoff
from bot.context import CommandContext
from bot.feature import Capability
from bot.formatting import Message
from bot.posting import Target
from bot.registry import Arg, Registry, command
from bot.services import Services
from bot.synapse_local import LocalSynapse
from commands import build_capabilities
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


class DueNotice(Capability):
    """A stand-in for room reminders until they land: a job that posts at a due time, with
    the business key a reminder uses (delivered once, whenever the homeserver is back)."""

    name = "due-notice"

    @command(
        "testerinnerung",
        help="Test: postet nach n Sekunden eine Erinnerung.",
        help_en="Test: posts a reminder after n seconds.",
        args=[Arg("sekunden", int)],
    )
    async def testerinnerung(self, ctx: CommandContext, sekunden: int) -> None:
        when = ctx.services.clock.now() + timedelta(seconds=sekunden)
        key = f"reminder:{ctx.message.event_id}:{when.isoformat()}"
        ctx.services.jobs.at(key, when, self.fire, ctx.room_id, key)
        ctx.reply("Vorgemerkt.")

    async def fire(self, room_id: str, key: str) -> None:
        async with self.services.db.transaction():
            await self.services.poster.post(
                Target.room(room_id), Message.text(DUE_TEXT), key=key, msgtype="m.text"
            )


def with_due_notice(services: Services) -> list[Capability]:
    capabilities = [*build_capabilities(services), DueNotice(services)]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


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
        synapse, bot_account, (), matrix={"homeserver": proxy.url}, throttle_commands=100
    )
    bot = Bot(config, capabilities=with_due_notice, backoff=Backoff(first=0.5, cap=4))
    task = asyncio.create_task(bot.run())
    try:
        await asyncio.wait_for(bot.ready.wait(), 30)
        room_id = await room_with_bot(member, bot_account.user_id)
        async with Inbox(member, bot_account.user_id) as inbox:
            ack = await send_text(member, room_id, "!testerinnerung 5")
            await inbox.wait_for(1)
            failed_before = bot.sync_loop.failed_attempts  # type: ignore[union-attr]

            await proxy.refuse()
            during = [await send_text(member, room_id, f"!hilfe {n}") for n in range(3)]
            await asyncio.sleep(OUTAGE_PHASE)  # the notice falls due in here
            refused_attempts = bot.sync_loop.failed_attempts - failed_before  # type: ignore[union-attr]

            await proxy.bad_gateway()
            during += [await send_text(member, room_id, f"!hilfe status {n}") for n in range(2)]
            await asyncio.sleep(OUTAGE_PHASE)
            await proxy.passing()

            await inbox.wait_for(1 + len(during) + 1, timeout=60)
            await asyncio.sleep(1.5)  # would a duplicate still arrive?
        targets = Counter(reply_target(e) for e in inbox.events)
        truth = await bot_messages(member, room_id, bot_account.user_id)
    finally:
        bot.stop()
        await asyncio.wait_for(task, 30)

    assert targets == Counter([ack, *during, None]), "each command once, plus the notice"
    notices = [e for e in truth if e["content"]["body"] == DUE_TEXT]
    assert len(notices) == 1, "the due notice was delivered exactly once"
    assert len(truth) == 1 + len(during) + 1
    # No tight loop: with back-off capped at 4 s, 10 s refused is a handful of sync attempts,
    # and 10 s of 502 a handful of requests (a tight loop makes hundreds per second).
    assert 1 <= refused_attempts <= 8, refused_attempts
    bad_gateway = proxy.requests[FaultyProxy.BAD_GATEWAY]
    assert 1 <= bad_gateway <= 15, proxy.paths
    print(f"refused: {refused_attempts} sync attempts; 502: {bad_gateway} requests {proxy.paths}")
