"""What a reply's content costs the homeserver: Synapse's time per ``PUT /send`` for the
fields ViR-Bot's replies carry, against the echo bot's plain notice.

One client sends every kind of content in shuffled order, round after round, into a room
where another member is syncing (as in the round trip); the client-side time of each send is
taken (Synapse's processing is nearly all of it on loopback). docs/performance.md, fourth
round, has a run.

    python -m benchmarks.reply_cost [ROUNDS]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nio import AsyncClient

from benchmarks.common import Bench, create_room, join_all, send
from bot.synapse_local import LocalSynapse

WARMUP = 5
LONG = "\n".join(f"• !befehl-{i} <argument> – Eine Zeile der Befehlsübersicht." for i in range(45))


def contents(reply_to: str, member: str) -> dict[str, dict[str, Any]]:
    """The kinds compared, each a step from the echo bot's notice towards ViR-Bot's reply."""
    echo = {
        "msgtype": "m.notice",
        "body": "pong",
        "m.relates_to": {"m.in_reply_to": {"event_id": reply_to}},
    }
    html = {"format": "org.matrix.custom.html", "formatted_body": "<p>pong</p>"}
    mention = {"m.mentions": {"user_ids": [member]}}
    long_html = {"format": "org.matrix.custom.html", "formatted_body": LONG.replace("\n", "<br>")}
    return {
        "echo bot's notice": echo,
        "+ m.mentions (member)": {**echo, **mention},
        "+ m.mentions (empty)": {**echo, "m.mentions": {}},
        "+ m.mentions + HTML": {**echo, **html, **mention},
        "long overview + HTML + m.mentions": {**echo, "body": LONG, **long_html, **mention},
    }


async def measure(synapse: LocalSynapse, work: Path, rounds: int) -> dict[str, list[float]]:
    bench = Bench(synapse, work)
    member, sender = await bench.member("member"), await bench.member("sender")
    room = await create_room(member, "reply-cost")
    await join_all([sender], [room])
    stop = asyncio.Event()

    async def keep_syncing(client: AsyncClient) -> None:
        since = (await client.sync(timeout=0)).next_batch
        while not stop.is_set():
            since = (await client.sync(timeout=30_000, since=since)).next_batch

    syncing = asyncio.create_task(keep_syncing(member))
    reply_to = await send(member, room, "!hilfe")
    kinds = contents(reply_to, member.user_id)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    try:
        for index in range(WARMUP + rounds):
            order = list(kinds)
            random.shuffle(order)
            for kind in order:
                started = time.perf_counter()
                await sender.room_send(room, "m.room.message", kinds[kind])
                if index >= WARMUP:
                    times[kind].append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.05)  # the member's sync settles between sends
    finally:
        stop.set()
        syncing.cancel()
        await bench.close_all()
    return times


def main(rounds: int) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="vir-reply-cost-"))
    synapse = LocalSynapse(work / "synapse")
    synapse.start()
    try:
        times = asyncio.run(measure(synapse, work, rounds))
    finally:
        synapse.stop()
    for kind, values in times.items():
        q = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
        print(
            f"{kind:36s} p50 {statistics.median(values):6.2f} ms  (p25 {q[0]:.2f}, p75 {q[2]:.2f})"
        )
    return times


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
