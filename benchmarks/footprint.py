"""Footprint: ViR-Bot's resident memory and its time to the first handled command, with a
realistic amount of state (rooms joined, registrations and reminders in the database).

The bot runs once to join its rooms and store its sync token, and is stopped; the database is
filled through the repositories; a member sends ``!hilfe`` while the bot is down; then the bot
process is started and timed from the start of the process until the member has the reply.
Memory is the process's peak resident set (VmHWM) after that reply.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from benchmarks import plenum, reminders
from benchmarks.arena import HELP
from benchmarks.common import (
    Bench,
    ReplyWatch,
    create_room,
    gather_limited,
    join_as,
    register,
    send,
    until_answered,
    vir_bot_process,
)

SETTLE_SECONDS = 1.0


@dataclass(frozen=True)
class Footprint:
    rooms: int
    registrations: int  # actually stored (0 where registration does not exist yet)
    reminders: int
    rss_mb: float  # peak resident set
    rss_now_mb: float
    first_command_s: float


async def measure(bench: Bench, rooms: int, registrations: int, reminder_rows: int) -> Footprint:
    synapse = bench.synapse
    owner = await bench.member("member-footprint")
    bot_id = await register(synapse, "virbot-footprint")
    room_ids = await gather_limited(create_room(owner, f"footprint {i}") for i in range(rooms))
    await join_as(synapse, bot_id, room_ids)
    watch = await ReplyWatch(owner, {bot_id}).start()
    bench.later(watch.stop)

    work = bench.folder("footprint")
    extra = plenum.config([plenum.event("footprint", capacity=registrations)])
    bot = await bench.started(vir_bot_process(synapse, bot_id, work, extra))
    await until_answered(owner, room_ids[0], HELP, watch)
    await bot.stop()

    data_dir = work / "data"
    stored_regs = await plenum.fill(data_dir, "footprint", registrations, synapse.server_name)
    stored_reminders = await reminders.fill(data_dir, reminder_rows, room_ids)

    event_id = await send(owner, room_ids[-1], HELP)
    await bot.start()
    arrived = await watch.reply_to(event_id, timeout=180)
    first_command_s = arrived - bot.started_at
    await asyncio.sleep(SETTLE_SECONDS)
    now_mb, peak_mb = bot.memory_mb()
    await bot.stop()
    return Footprint(rooms, stored_regs, stored_reminders, peak_mb, now_mb, first_command_s)
