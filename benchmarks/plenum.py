"""Registration (``!anmelden``, commands/plenum.py) as the benchmarks need it: whether it
exists in this checkout, the config of a benchmark event, the command, the registered/waiting
counts, and filling a database with registrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commands import command_registry

REGISTER = "anmelden"


def available() -> bool:
    return command_registry().lookup(REGISTER) is not None


def event(key: str, capacity: int) -> dict[str, Any]:
    return {"key": key, "capacity": capacity}


def config(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Extra config sections that define ``events`` (nothing while registration is missing)."""
    return {}


def register_command(key: str) -> str:
    return f"!{REGISTER} {key}"


async def fill(data_dir: Path, key: str, n: int, server_name: str) -> int:
    """Store ``n`` registrations for event ``key``; returns how many were stored."""
    return 0


async def counts(data_dir: Path, key: str) -> tuple[int, int]:
    """(registered, waiting) for event ``key`` in the bot's database."""
    raise NotImplementedError("registration is not available in this checkout")
