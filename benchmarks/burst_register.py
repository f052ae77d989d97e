"""Burst: many members send ``!anmelden`` at once to an event with fewer places, against the
echo bot answering as many ``!ping`` at once.

The members are spread over several rooms per bot (as registrations come in from several
rooms); every member sends once, all at the same moment (one ``asyncio.gather``, as fast as
the homeserver accepts them). Time: from the first send until the measuring member's client
has every reply. Correctness: registered and waiting counts from the bot's database, replies
per command from the rooms' history (/messages, ground truth).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

from nio import AsyncClient

from benchmarks import plenum
from benchmarks.arena import PING, Arena
from benchmarks.common import gather_limited, join, reply_target, room_history, send

TIMEOUT = 300.0
SETTLE_SECONDS = 2.0  # after the last reply: would a duplicate still come?


@dataclass(frozen=True)
class Burst:
    n: int
    capacity: int
    rooms: int
    seconds: float
    echo_seconds: float
    registered: int
    waitlisted: int
    replies: int  # ViR-Bot's replies to the burst's commands (duplicates counted)
    echo_replies: int

    @property
    def ratio(self) -> float:
        return self.seconds / self.echo_seconds


async def _burst(
    arena: Arena, members: list[AsyncClient], rooms: list[str], body: str, bot_id: str
) -> tuple[float, int]:
    """Seconds until every command has a reply, and the replies counted from history."""
    watch = arena.watch
    t0 = time.perf_counter()
    ids = await asyncio.gather(
        *(send(m, rooms[i % len(rooms)], body) for i, m in enumerate(members))
    )
    if not await watch.wait(lambda: all(e in watch.first_reply for e in ids), TIMEOUT):
        missing = sum(e not in watch.first_reply for e in ids)
        raise TimeoutError(f"{missing} of {len(ids)} commands had no reply after {TIMEOUT:.0f} s")
    seconds = max(watch.first_reply[e] for e in ids) - t0
    await asyncio.sleep(SETTLE_SECONDS)
    wanted = set(ids)
    replies: Counter[str] = Counter()
    for room_id in rooms:
        for event in await room_history(arena.observer, room_id):
            target = reply_target(event)
            if event.get("sender") == bot_id and target in wanted:
                replies[target] += 1
    return seconds, sum(replies.values())


async def measure(arena: Arena, n: int, capacity: int, rooms: int, event_key: str) -> Burst:
    members = await arena.bench.members(n)
    vir_rooms, echo_rooms = await arena.rooms(rooms, "burst")
    await gather_limited(join(m, vir_rooms[i % rooms]) for i, m in enumerate(members))
    await gather_limited(join(m, echo_rooms[i % rooms]) for i, m in enumerate(members))
    echo_seconds, echo_replies = await _burst(arena, members, echo_rooms, PING, arena.echo_id)
    command = plenum.register_command(event_key)
    seconds, replies = await _burst(arena, members, vir_rooms, command, arena.vir_id)
    registered, waiting = await plenum.counts(arena.vir.data_dir, event_key)
    return Burst(
        n, capacity, rooms, seconds, echo_seconds, registered, waiting, replies, echo_replies
    )
