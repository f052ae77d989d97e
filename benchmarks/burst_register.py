"""Burst: many members send ``!anmelden`` at once to an event with fewer places, against the
echo bot answering as many ``!ping`` at once.

The members are spread over several rooms per bot (as registrations come in from several
rooms); every member sends once, all at the same moment (one ``asyncio.gather``, as fast as
the homeserver accepts them). Time: from the first send until the measuring member's client
has every reply. Correctness: registered and waiting counts from the bot's database, replies
per command from the rooms' history (/messages, ground truth).

A single burst varies a lot with the load of the moment (the same code gave 0.89 to 1.44 in
single runs), so the full run repeats it: each round registers the same members for an event
of its own, the two bots take turns going first, and the result is the median of the rounds'
ratios (every round's numbers are kept).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from nio import AsyncClient

from benchmarks import plenum
from benchmarks.arena import PING, Arena
from benchmarks.common import gather_limited, join, reply_target, room_history, send

TIMEOUT = 300.0
SETTLE_SECONDS = 2.0  # after the last reply: would a duplicate still come?
QUIET_TIMEOUT = 600.0  # for ViR-Bot's details DMs after a burst


@dataclass(frozen=True)
class Round:
    """One burst of each bot."""

    seconds: float
    echo_seconds: float
    registered: int
    waitlisted: int
    replies: int  # ViR-Bot's replies to the burst's commands (duplicates counted)
    echo_replies: int

    @property
    def ratio(self) -> float:
        return self.seconds / self.echo_seconds


@dataclass(frozen=True)
class Burst:
    n: int
    capacity: int
    rooms: int
    rounds: tuple[Round, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.rounds)

    @property
    def echo_seconds(self) -> float:
        return statistics.median(r.echo_seconds for r in self.rounds)

    @property
    def ratio(self) -> float:
        return statistics.median(r.ratio for r in self.rounds)

    @property
    def counted(self) -> Round:
        """The round whose counts are reported: the first one that is wrong, if any."""
        expected = (self.capacity, self.n - self.capacity, self.n, self.n)
        for r in self.rounds:
            if (r.registered, r.waitlisted, r.replies, r.echo_replies) != expected:
                return r
        return self.rounds[0]


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


async def _until_sent(arena: Arena) -> None:
    """After ViR-Bot's burst it still sends every member the details by DM (a room, keys, a
    calendar file: about ten requests each): the next burst, of either bot, waits until that is
    done, or it would compete with it."""
    deadline = time.monotonic() + QUIET_TIMEOUT
    while await plenum.pending_messages(arena.vir.data_dir):
        if time.monotonic() > deadline:
            raise TimeoutError(f"ViR-Bot still had messages to send after {QUIET_TIMEOUT:.0f} s")
        await asyncio.sleep(1.0)
    await asyncio.sleep(SETTLE_SECONDS)


async def measure(
    arena: Arena, n: int, capacity: int, rooms: int, event_keys: Sequence[str]
) -> Burst:
    """One round per event key (each event has ``capacity`` places)."""
    members = await arena.bench.members(n)
    vir_rooms, echo_rooms = await arena.rooms(rooms, "burst")
    await gather_limited(join(m, vir_rooms[i % rooms]) for i, m in enumerate(members))
    await gather_limited(join(m, echo_rooms[i % rooms]) for i, m in enumerate(members))
    rounds = []
    for index, key in enumerate(event_keys):
        command = plenum.register_command(key)

        async def echo() -> tuple[float, int]:
            return await _burst(arena, members, echo_rooms, PING, arena.echo_id)

        async def vir(command: str = command) -> tuple[float, int]:
            return await _burst(arena, members, vir_rooms, command, arena.vir_id)

        if index % 2 == 0:  # the bots take turns going first
            echo_seconds, echo_replies = await echo()
            seconds, replies = await vir()
            await _until_sent(arena)
        else:
            seconds, replies = await vir()
            # Before the echo bot's burst too: until 2 December the echo bot's burst started
            # while ViR-Bot still sent its details DMs, which slowed the echo bot in every
            # round where ViR-Bot went first (ratios 0.53-0.79 there, 0.99-1.76 in the others).
            await _until_sent(arena)
            echo_seconds, echo_replies = await echo()
        registered, waiting = await plenum.counts(arena.vir.data_dir, key)
        rounds.append(Round(seconds, echo_seconds, registered, waiting, replies, echo_replies))
    return Burst(n, capacity, rooms, tuple(rounds))
