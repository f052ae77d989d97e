"""Reminder lateness: many one-off room reminders due at random whole seconds within a short
window, across many rooms: how many arrive, how many twice, and how late.

The reminders are stored (storage/reminders.py, built-in kind "room") before ViR-Bot starts,
due from a lead time on, so the bot is up and synced before the first one is due; the bot
rebuilds its jobs from the rows at start. Lateness is the reminder's ``origin_server_ts``
(when the homeserver accepted it) minus its due time; counts come from the rooms' history.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks import reminders
from benchmarks.common import (
    Bench,
    ReplyWatch,
    create_room,
    gather_limited,
    join_as,
    quantile,
    register,
    room_history,
    vir_bot_process,
)

LEAD_SECONDS = 10.0  # bot start-up (process, login, first sync) before the first is due
GRACE_SECONDS = 60.0  # after the window: then whatever has not arrived counts as lost
SETTLE_SECONDS = 3.0
NUMBER = re.compile(r"Benchmark-Erinnerung #(\d+)#")


def body(source: dict[str, Any]) -> str:
    return str((source.get("content") or {}).get("body", ""))


@dataclass(frozen=True)
class Lateness:
    n: int
    rooms: int
    window_s: float
    delivered: int  # distinct reminders that arrived
    duplicates: int  # extra copies
    p50_ms: float | None
    p95_ms: float | None


async def measure(bench: Bench, n: int, rooms: int, window_s: float, seed: int = 12) -> Lateness:
    synapse = bench.synapse
    owner = await bench.member("member-reminders")
    bot_id = await register(synapse, "virbot-reminders")
    room_ids = await gather_limited(create_room(owner, f"reminders {i}") for i in range(rooms))
    await join_as(synapse, bot_id, room_ids)
    watch = await ReplyWatch(owner, {bot_id}).start()
    bench.later(watch.stop)

    bot = vir_bot_process(synapse, bot_id, bench.folder("reminders"))
    rng = random.Random(seed)
    first = datetime.fromtimestamp(math.ceil(time.time() + LEAD_SECONDS), UTC)
    due = [
        (first + timedelta(seconds=rng.randrange(max(1, int(window_s)))), room_ids[i % rooms])
        for i in range(n)
    ]
    await reminders.store(bot.data_dir, due, owner.user_id)
    await bench.started(bot)

    def arrived() -> set[int]:
        found = (NUMBER.search(body(a.source)) for a in watch.arrivals)
        return {int(m.group(1)) for m in found if m}

    deadline = max(d for d, _ in due).timestamp() + GRACE_SECONDS - time.time()
    await watch.wait(lambda: len(arrived()) >= n, max(1.0, deadline))
    await asyncio.sleep(SETTLE_SECONDS)

    copies: Counter[int] = Counter()
    first_ts: dict[int, int] = {}
    for room_id in room_ids:
        for event in await room_history(owner, room_id):
            match = NUMBER.search(body(event))
            if event.get("sender") != bot_id or match is None:
                continue
            index = int(match.group(1))
            copies[index] += 1
            first_ts[index] = min(
                first_ts.get(index, event["origin_server_ts"]), event["origin_server_ts"]
            )
    lateness = [ts - due[i][0].timestamp() * 1000 for i, ts in first_ts.items()]
    await bot.stop()
    return Lateness(
        n=n,
        rooms=rooms,
        window_s=window_s,
        delivered=len(copies),
        duplicates=sum(c - 1 for c in copies.values()),
        p50_ms=quantile(lateness, 0.5) if lateness else None,
        p95_ms=quantile(lateness, 0.95) if lateness else None,
    )
