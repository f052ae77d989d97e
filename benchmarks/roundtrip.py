"""Round trip: from a member sending a command until the member's client has the reply.

One command at a time, the kinds interleaved (each round sends one of every kind, in an order
shuffled per round), so both bots see the same homeserver load over the run. ``!hilfe`` and
``!frage`` come from the measuring member (throttle raised); ``!anmelden`` from a fresh member
each time (its reply is seen by the measuring member's client in the same room); ``!ping`` to
the echo bot in its own room. A few warm-up rounds are not counted.

``!anmelden`` in a group room also opens a direct message to the member with the details and a
calendar file. That work follows the reply, so the next command waits until the member has
both messages in the DM (it joins the DM on the invite): each sample starts on a quiet
homeserver. (Waiting only for the invite plus 0.5 s left the DM's key sharing, upload and
messages running into the next sample in about half of the cases.)

The newcomers join the echo bot's room too (and never speak there): both bots answer in rooms
of the same size. With 100 members in ViR-Bot's room only, Synapse took some 7 ms longer for
every message there (push rules and notifications per member), which is no work of the bot.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Callable, Iterator

from nio import AsyncClient, SyncResponse

from benchmarks import plenum
from benchmarks.arena import HELP, PING, Arena
from benchmarks.common import ROOT, join_all, round_trip
from benchmarks.question_sets import load_question_set

WARMUP_ROUNDS = 3
PAUSE_SECONDS = 0.05  # between samples
DM_MESSAGES = 2  # the registration details and the calendar file
DM_TYPES = ("m.room.message", "m.room.encrypted")
DM_SETTLE_SECONDS = 0.2  # after the DM's messages: the bot marks them sent
DM_WAIT_SECONDS = 15.0
QUESTIONS = ROOT / "tests" / "data" / "questions.toml"


def on_topic_questions() -> list[str]:
    """Questions the knowledge base answers (so ``!frage`` measures an answer, not a miss)."""
    return [q["text"] for q in load_question_set(QUESTIONS) if q["topic"]]


async def measure(arena: Arena, samples: int, register_event: str | None) -> dict[str, list[float]]:
    """Seconds per kind: ``echo``, ``help``, ``ask`` and (if registration exists) ``register``."""
    questions: Iterator[str] = itertools.cycle(on_topic_questions())
    fresh: list[AsyncClient] = []
    if register_event is not None:
        fresh = await arena.bench.members(samples + WARMUP_ROUNDS)
        await join_all(fresh, [arena.vir_room, arena.echo_room])
    newcomers = iter(fresh)
    watch = arena.watch

    kinds: dict[str, Callable[[], tuple[AsyncClient, str, str]]] = {
        "echo": lambda: (arena.observer, arena.echo_room, PING),
        "help": lambda: (arena.observer, arena.vir_room, HELP),
        "ask": lambda: (arena.observer, arena.vir_room, f"!frage {next(questions)}"),
    }
    if register_event is not None:
        command = plenum.register_command(register_event)
        kinds["register"] = lambda: (next(newcomers), arena.vir_room, command)

    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    names = list(kinds)
    rng = random.Random(5)
    for round_no in range(WARMUP_ROUNDS + samples):
        for kind in rng.sample(names, len(names)):
            member, room_id, body = kinds[kind]()
            seconds = await round_trip(member, room_id, body, watch)
            if round_no >= WARMUP_ROUNDS:
                results[kind].append(seconds)
            if kind == "register":
                await direct_message_arrived(member, arena.vir_id)
            await asyncio.sleep(PAUSE_SECONDS)
    return results


async def direct_message_arrived(member: AsyncClient, bot_id: str) -> None:
    """Wait until ``member`` has the bot's DM with its registration details and calendar file
    (joining the DM on the bot's invite), or DM_WAIT_SECONDS have passed."""
    deadline = time.monotonic() + DM_WAIT_SECONDS
    dm: str | None = None
    seen = 0
    while time.monotonic() < deadline:
        resp = await member.sync(timeout=2000, full_state=False)
        if not isinstance(resp, SyncResponse):
            continue
        if dm is None and resp.rooms.invite:
            dm = next(iter(resp.rooms.invite))
            await member.join(dm)
        if dm is not None and dm in resp.rooms.join:
            seen += sum(
                1
                for e in resp.rooms.join[dm].timeline.events
                if e.sender == bot_id and e.source.get("type") in DM_TYPES
            )
            if seen >= DM_MESSAGES:
                await asyncio.sleep(DM_SETTLE_SECONDS)
                return
