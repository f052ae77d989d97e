"""Recovery: the homeserver goes away under both bots and comes back.

Synapse is stopped for ``outage`` seconds while both bots run, then started again. As soon as
it answers, the measuring member sends one command to each bot; the time from Synapse being
back until each reply reaches the member is how long each bot needed to notice and answer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from benchmarks.arena import HELP, PING, Arena
from benchmarks.common import send

# How long to wait for a bot after the homeserver is back before calling it "no answer".
GIVE_UP_SECONDS = 300.0


@dataclass(frozen=True)
class Recovery:
    outage_s: float
    bot_s: float | None  # None: no answer within GIVE_UP_SECONDS
    echo_s: float | None


async def measure(arena: Arena, outage: float) -> Recovery:
    synapse = arena.bench.synapse
    await asyncio.to_thread(synapse.stop)
    await asyncio.sleep(outage)
    await asyncio.to_thread(synapse.start)
    back = time.perf_counter()
    vir_event = await send(arena.observer, arena.vir_room, HELP)
    echo_event = await send(arena.observer, arena.echo_room, PING)

    async def answered(event_id: str) -> float | None:
        try:
            return await arena.watch.reply_to(event_id, GIVE_UP_SECONDS) - back
        except TimeoutError:
            return None

    bot_s, echo_s = await asyncio.gather(answered(vir_event), answered(echo_event))
    return Recovery(outage, bot_s, echo_s)
