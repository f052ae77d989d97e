"""Where a burst's time goes, per reply, read from the homeserver's own database afterwards.

    python -m benchmarks --only burst --keep-dir      # keeps /tmp/vir-bench-XXXX
    python -m benchmarks.burst_timeline /tmp/vir-bench-XXXX

Both bots are seen the same way: Synapse's ``received_ts`` of every command and of every reply
that names it (``m.in_reply_to``), so the echo bot, which has no database of its own, is
measured like ViR-Bot. Per burst: when the commands reached the homeserver, when the first and
the last reply did, the median gap between two replies (the homeserver's time per reply when
the bot sends one after the other), and how many replies went out while commands were still
arriving and being handled (the first two seconds). For ViR-Bot it adds, from its database,
how long the registrations took to commit (through its own repository, as the bot reads
them).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from benchmarks.plenum import DB_NAME
from storage.database import Database
from storage.plenum import PlenumRepository

BURST_GAP_SECONDS = 5.0  # commands further apart than this belong to different bursts
EARLY_SECONDS = 2.0
COMMANDS = {"!ping": "echo"}  # anything else that starts with "!" is ViR-Bot's


@dataclass(frozen=True)
class BurstTimeline:
    bot: str
    commands: int
    arriving_s: float  # first to last command received by the homeserver
    first_reply_s: float  # after the first command
    last_reply_s: float
    replies: int
    reply_gap_p50_ms: float
    early_replies: int  # replies within EARLY_SECONDS of the first command
    started_at: float  # the first command's time, seconds since the epoch


def _messages(conn: sqlite3.Connection) -> list[tuple[float, str, dict]]:
    rows = conn.execute(
        "SELECT e.received_ts, e.event_id, j.json FROM events e"
        " JOIN event_json j USING (event_id)"
        " WHERE e.type = 'm.room.message' ORDER BY e.received_ts"
    )
    return [(ts / 1000, event_id, json.loads(text)) for ts, event_id, text in rows]


def _reply_to(event: dict) -> str | None:
    relates = event.get("content", {}).get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")


def _bursts(commands: list[tuple[float, str]]) -> list[list[tuple[float, str]]]:
    bursts: list[list[tuple[float, str]]] = []
    for command in commands:
        if bursts and command[0] - bursts[-1][-1][0] <= BURST_GAP_SECONDS:
            bursts[-1].append(command)
        else:
            bursts.append([command])
    return bursts


def timelines(synapse_db: Path, min_commands: int = 10) -> list[BurstTimeline]:
    """Every burst of at least ``min_commands`` commands of one bot, in time order."""
    with sqlite3.connect(synapse_db) as conn:
        messages = _messages(conn)
    by_bot: dict[str, list[tuple[float, str]]] = {}
    reply_times: dict[str, float] = {}
    for ts, event_id, event in messages:
        body = str(event.get("content", {}).get("body", ""))
        target = _reply_to(event)
        if target is not None:
            reply_times.setdefault(target, ts)  # the first reply counts
        elif body.startswith("!"):
            bot = COMMANDS.get(body.split()[0], "vir")
            by_bot.setdefault(bot, []).append((ts, event_id))
    found = []
    for bot, commands in by_bot.items():
        for burst in _bursts(commands):
            if len(burst) < min_commands:
                continue
            start = burst[0][0]
            replies = sorted(reply_times[e] for _, e in burst if e in reply_times)
            gaps = [b - a for a, b in pairwise(replies)]
            found.append(
                BurstTimeline(
                    bot=bot,
                    commands=len(burst),
                    arriving_s=burst[-1][0] - start,
                    first_reply_s=replies[0] - start if replies else float("nan"),
                    last_reply_s=replies[-1] - start if replies else float("nan"),
                    replies=len(replies),
                    reply_gap_p50_ms=statistics.median(gaps) * 1000 if gaps else float("nan"),
                    early_replies=sum(1 for r in replies if r - start <= EARLY_SECONDS),
                    started_at=start,
                )
            )
    return sorted(found, key=lambda b: b.started_at)


async def registration_times(bot_db: Path) -> list[float]:
    """When ViR-Bot committed each registration, read through its own repository."""
    db = Database(bot_db)
    await db.open()
    try:
        repo = PlenumRepository(db)
        times = []
        for event in await repo.events(include_closed=True):
            times += [reg.registered_at.timestamp() for reg in await repo.registrations(event.id)]
        return sorted(times)
    finally:
        await db.close()


def commit_span(times: list[float], start: float, until: float) -> tuple[float, float] | None:
    """Of the commit ``times``, those between ``start`` and ``until``: seconds from ``start``
    to the first and the last."""
    inside = [t for t in times if start <= t <= until]
    return (inside[0] - start, inside[-1] - start) if inside else None


def report(kept_dir: Path) -> list[str]:
    bot_dbs = sorted(kept_dir.glob(f"vir-*/data/{DB_NAME}"))
    lines = [
        "bot   commands  arriving  first reply  last reply  replies  gap p50  "
        f"in first {EARLY_SECONDS:g} s  commits (ViR-Bot)"
    ]
    commits = asyncio.run(registration_times(bot_dbs[0])) if bot_dbs else []
    for b in timelines(kept_dir / "synapse" / "homeserver.db"):
        span = (
            commit_span(commits, b.started_at, b.started_at + b.last_reply_s)
            if b.bot == "vir"
            else None
        )
        committed = f"{span[0]:+.2f} .. {span[1]:+.2f} s" if span else ""
        lines.append(
            f"{b.bot:5} {b.commands:8}  {b.arriving_s:6.2f} s  {b.first_reply_s:9.2f} s"
            f"  {b.last_reply_s:8.2f} s  {b.replies:7}  {b.reply_gap_p50_ms:4.0f} ms"
            f"  {b.early_replies:14}  {committed}"
        )
    return lines


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m benchmarks.burst_timeline KEPT_DIR")
    print("\n".join(report(Path(sys.argv[1]))))
