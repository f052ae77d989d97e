"""Reminders (commands/reminders.py) as the benchmarks need them: whether they exist in this
checkout, and filling a database with due reminders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def available() -> bool:
    try:
        import commands.reminders  # noqa: F401
    except ImportError:
        return False
    return True


async def fill(data_dir: Path, n: int, room_ids: Sequence[str]) -> int:
    """Store ``n`` future reminders spread over ``room_ids``; returns how many were stored."""
    return 0
