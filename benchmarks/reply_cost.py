"""What a reply's content costs the homeserver: Synapse's time per ``PUT /send`` for the
fields ViR-Bot's replies carry, against the echo bot's plain notice.

One client sends every kind of content in shuffled order, round after round, into a room
where another member is syncing (as in the round trip); the client-side time of each send is
taken (Synapse's processing is nearly all of it on loopback). Each kind is compared with the
echo bot's notice *of the same round*: the median of those paired differences, with its 95 %
interval, is what the kind costs beyond "pong" (the load of the moment cancels out of a pair).
The ``!hilfe`` reply is the bot's own: the overview rendered from the command registry, in
``reply_content`` as the router queues it. docs/performance.md, fourth and ninth rounds.

    python -m benchmarks.reply_cost [ROUNDS [OTHER_MEMBERS]]
"""

from __future__ import annotations

import asyncio
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from nio import AsyncClient

from benchmarks.common import (
    Bench,
    create_room,
    join_all,
    quantile,
    quantile_ci,
    send,
    synapse_requests,
)
from bot.context import CommandContext
from bot.events import IncomingMessage
from bot.replies import reply_content
from bot.synapse_local import LocalSynapse

WARMUP = 5
ECHO = "echo bot's notice"
HELP_REPLY = "ViR-Bot's !hilfe reply"


def help_reply(reply_to: str, member: str) -> dict[str, Any]:
    """The content ViR-Bot queues for a member's ``!hilfe`` (German, no coordinator rights)."""
    from commands import command_registry
    from commands.help import overview

    command = IncomingMessage("!room", reply_to, member, "!hilfe", "m.text", 0)
    ctx = CommandContext(
        message=command,
        services=SimpleNamespace(registry=command_registry()),  # type: ignore[arg-type]
        is_dm=False,
        is_coordination_room=False,
        is_coordinator=False,
        lang="de",
        prefix="!",
    )
    return reply_content(overview(ctx), command)


def contents(reply_to: str, member: str) -> dict[str, dict[str, Any]]:
    """The kinds compared: the echo bot's notice, ViR-Bot's reply, and each with one field
    added or taken away."""
    echo = {
        "msgtype": "m.notice",
        "body": "pong",
        "m.relates_to": {"m.in_reply_to": {"event_id": reply_to}},
    }
    ours = help_reply(reply_to, member)
    plain = {k: v for k, v in ours.items() if k not in ("format", "formatted_body")}
    return {
        ECHO: echo,
        "+ m.mentions (member)": {**echo, "m.mentions": {"user_ids": [member]}},
        "+ HTML <p>pong</p>": {
            **echo,
            "format": "org.matrix.custom.html",
            "formatted_body": "<p>pong</p>",
        },
        HELP_REPLY: ours,
        "  without m.mentions": {k: v for k, v in ours.items() if k != "m.mentions"},
        "  without HTML": plain,
    }


async def measure(
    synapse: LocalSynapse, work: Path, rounds: int, others: int = 0
) -> dict[str, list[float]]:
    bench = Bench(synapse, work)
    member, sender = await bench.member("member"), await bench.member("sender")
    room = await create_room(member, "reply-cost")
    # ``others`` more members who never speak, as the round trip's newcomers: Synapse works
    # through every member's push rules for each message in the room.
    await join_all([sender, *await bench.members(others, "other")], [room])
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
                txn = f"cost{list(kinds).index(kind)}.{index}"  # Synapse's log names it
                await sender.room_send(room, "m.room.message", kinds[kind], tx_id=txn)
                if index >= WARMUP:
                    times[kind].append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.05)  # the member's sync settles between sends
    finally:
        stop.set()
        syncing.cancel()
        await bench.close_all()
    return times


def paired(times: dict[str, list[float]]) -> dict[str, tuple[float, float, float]]:
    """Per kind: the median of (its time - the echo notice's time in the same round), with
    the 95 % interval of that median (binomial order statistics)."""
    out = {}
    for kind, values in times.items():
        diffs = [a - b for a, b in zip(values, times[ECHO], strict=True)]
        lo, hi = quantile_ci(diffs, 0.5) if len(diffs) > 1 else (diffs[0], diffs[0])
        out[kind] = (quantile(diffs, 0.5), lo, hi)
    return out


def synapse_cpu(log_path: Path, kinds: list[str]) -> dict[str, list[float]]:
    """Synapse's CPU per PUT of each kind (after the warm-up), from its access log."""
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    for request in synapse_requests(log_path):
        match = re.search(r"/send/m\.room\.message/cost(\d+)\.(\d+)", request.path)
        if request.method == "PUT" and match and int(match[2]) >= WARMUP:
            cpu[kinds[int(match[1])]].append(request.cpu_ms)
    return cpu


def main(rounds: int = 200, others: int = 0) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="vir-reply-cost-"))
    synapse = LocalSynapse(work / "synapse", access_log=True)
    synapse.start()
    try:
        times = asyncio.run(measure(synapse, work, rounds, others))
    finally:
        synapse.stop()
    try:
        cpu = synapse_cpu(synapse.log_path, list(times))
    finally:
        shutil.rmtree(work, ignore_errors=True)  # a homeserver's files: each run left them
    differences = paired(times)
    print(
        f"{rounds} rounds, {others + 2} members in the room: ms per PUT on the client (p50), "
        "its paired difference to the echo notice (median, 95 % interval), and Synapse's CPU "
        "per PUT (mean, its log's ms steps)"
    )
    for kind, values in times.items():
        diff, lo, hi = differences[kind]
        spent = f"{statistics.mean(cpu[kind]):5.2f} ms" if cpu[kind] else "  -"
        print(
            f"{kind:28s} p50 {statistics.median(values):6.2f} ms   "
            f"difference {diff:+6.2f} ms [{lo:+.2f}, {hi:+.2f}]   Synapse CPU {spent}"
        )
    return times


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
