"""Reminder lateness: many one-off reminders due at random seconds within a short window,
across many rooms: how many arrive, how many twice, and how late."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lateness:
    n: int
    rooms: int
    window_s: float
    delivered: int  # distinct reminders that arrived
    duplicates: int  # extra copies
    p50_ms: float | None
    p95_ms: float | None
