"""benchmarks/burst_timeline.py: a burst's per-reply timeline from the homeserver's tables."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.burst_timeline import report, timelines
from benchmarks.plenum import DB_NAME
from storage.database import Database
from storage.plenum import EventFields, PlenumRepository


def _synapse_db(path: Path, events: list[tuple[float, str, str, str, str | None]]) -> Path:
    """Synapse's two tables the tool reads: (seconds, event id, sender, body, reply to)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE events (event_id TEXT, type TEXT, received_ts INTEGER)")
    conn.execute("CREATE TABLE event_json (event_id TEXT, json TEXT)")
    for seconds, event_id, sender, body, reply_to in events:
        content: dict = {"msgtype": "m.text", "body": body}
        if reply_to:
            content = {"msgtype": "m.notice", "body": body}
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        conn.execute(
            "INSERT INTO events VALUES (?, 'm.room.message', ?)", (event_id, int(seconds * 1000))
        )
        conn.execute(
            "INSERT INTO event_json VALUES (?, ?)",
            (event_id, json.dumps({"sender": sender, "content": content})),
        )
    conn.commit()
    conn.close()
    return path


def _burst(start: float, bot: str, command: str, n: int, first: float, gap: float) -> list:
    events = [(start + i * 0.01, f"${bot}{start}c{i}", f"@m{i}:x", command, None) for i in range(n)]
    events += [
        (start + first + i * gap, f"${bot}{start}r{i}", f"@{bot}:x", "reply", f"${bot}{start}c{i}")
        for i in range(n)
    ]
    return events


def test_bursts_per_bot_with_first_reply_gap_and_early_count(tmp_path: Path) -> None:
    db = _synapse_db(
        tmp_path / "homeserver.db",
        _burst(1000.0, "echo", "!ping", 20, first=0.5, gap=0.1)
        + _burst(1100.0, "vir", "!anmelden bench", 20, first=1.0, gap=0.2)
        # a reply sent twice counts once (the first), an unanswered command is not a reply
        + [(1110.0, "$dup", "@vir:x", "reply", "$vir1100.0c0")],
    )
    echo, vir = timelines(db)
    assert (echo.bot, echo.commands, echo.replies) == ("echo", 20, 20)
    assert echo.first_reply_s == pytest.approx(0.5)
    assert echo.last_reply_s == pytest.approx(0.5 + 19 * 0.1)
    assert echo.reply_gap_p50_ms == pytest.approx(100, abs=1)
    assert echo.early_replies == 16  # 0.5 .. 2.0 s
    assert echo.arriving_s == pytest.approx(0.19)
    assert (vir.bot, vir.replies) == ("vir", 20)
    assert vir.reply_gap_p50_ms == pytest.approx(200, abs=1)
    assert vir.early_replies == 6  # 1.0 .. 2.0 s


def test_commands_far_apart_are_separate_bursts_and_small_ones_are_left_out(
    tmp_path: Path,
) -> None:
    events = _burst(1000.0, "echo", "!ping", 12, first=0.5, gap=0.05)
    events += _burst(1010.0, "echo", "!ping", 12, first=0.5, gap=0.05)  # 10 s later
    events += _burst(1020.0, "echo", "!ping", 3, first=0.5, gap=0.05)  # too small
    found = timelines(_synapse_db(tmp_path / "homeserver.db", events))
    assert [b.commands for b in found] == [12, 12]


async def _bot_db(path: Path, committed: list[float]) -> None:
    """A real ViR-Bot database (all migrations) with registrations committed at ``committed``."""
    db = Database(path)
    await db.open()
    repo = PlenumRepository(db)
    day = datetime(2026, 12, 1, 9, tzinfo=UTC)
    event = await repo.create_event(
        EventFields(key="plenum", title="Plenum", starts=day, ends=day + timedelta(hours=8)),
        source="config",
        created_by=None,
        now=999.0,
    )
    for n, now in enumerate(committed):
        await repo.insert_registration(
            event.id,
            f"@m{n}:test",
            organisation=None,
            status="registered",
            workshop=None,
            workshop_status=None,
            requested_ts=n,
            now=now,
        )
    await db.close()


def test_report_adds_vir_bots_commit_span(tmp_path: Path) -> None:
    (tmp_path / "synapse").mkdir()
    _synapse_db(
        tmp_path / "synapse" / "homeserver.db", _burst(1000.0, "vir", "!anmelden", 12, 1, 0.1)
    )
    # one registration before the burst and one long after it are not the burst's
    committed = [990.0, 1000.3, 1000.9, 1100.0]
    asyncio.run(_bot_db(tmp_path / "vir-1" / "data" / DB_NAME, committed))
    lines = report(tmp_path)
    assert len(lines) == 2
    assert "+0.30 .. +0.90 s" in lines[1]
