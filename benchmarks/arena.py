"""The two contenders side by side on one homeserver: ViR-Bot and the echo bot, each in a room
of its own (a bot that answers unknown commands would otherwise answer the echo's pings too),
both watched by one measuring member. Round trip, burst and recovery share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nio import AsyncClient

from benchmarks import plenum
from benchmarks.common import (
    Bench,
    BotProcess,
    ReplyWatch,
    create_room,
    echo_bot_process,
    join_as,
    register,
    until_answered,
    vir_bot_process,
)

HELP = "!hilfe"
PING = "!ping"


@dataclass
class Arena:
    bench: Bench
    observer: AsyncClient  # the measuring member: in both rooms, its /sync sees every reply
    vir_id: str
    echo_id: str
    vir: BotProcess
    echo: BotProcess
    vir_room: str
    echo_room: str
    watch: ReplyWatch

    async def rooms(self, n: int, name: str) -> tuple[list[str], list[str]]:
        """``n`` more rooms per bot (created by the observer, the bot joined to them)."""
        vir_rooms = [await create_room(self.observer, f"{name} ViR {i}") for i in range(n)]
        echo_rooms = [await create_room(self.observer, f"{name} echo {i}") for i in range(n)]
        await join_as(self.bench.synapse, self.vir_id, vir_rooms)
        await join_as(self.bench.synapse, self.echo_id, echo_rooms)
        return vir_rooms, echo_rooms

    async def ready(self) -> None:
        """Both bots answer (after a start, or after an outage)."""
        await until_answered(self.observer, self.vir_room, HELP, self.watch)
        await until_answered(self.observer, self.echo_room, PING, self.watch)


async def open_arena(bench: Bench, events: list[dict[str, Any]] | None = None) -> Arena:
    synapse = bench.synapse
    observer = await bench.member("member-observer")
    vir_id = await register(synapse, "virbot")
    echo_id = await register(synapse, "echo")
    vir_room = await create_room(observer, "benchmark ViR-Bot")
    echo_room = await create_room(observer, "benchmark echo")
    await join_as(synapse, vir_id, [vir_room])
    await join_as(synapse, echo_id, [echo_room])
    extra = plenum.config(events) if events else None
    vir = await bench.started(vir_bot_process(synapse, vir_id, bench.folder("vir"), extra))
    echo = await bench.started(echo_bot_process(synapse, echo_id, bench.folder("echo")))
    watch = await ReplyWatch(observer, {vir_id, echo_id}).start()
    bench.later(watch.stop)
    arena = Arena(bench, observer, vir_id, echo_id, vir, echo, vir_room, echo_room, watch)
    try:
        await arena.ready()
    except TimeoutError:
        raise RuntimeError(
            f"a bot did not answer after its start.\nViR-Bot log:\n{vir.log_tail()}\n"
            f"echo log:\n{echo.log_tail()}"
        ) from None
    return arena
