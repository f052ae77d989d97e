"""The long-lived collaborators a command may use, created once in bot/app.py (no globals)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.clock import Clock
from bot.config import Config
from bot.registry import Registry
from storage.database import Database
from storage.outbox import OutboxRepository

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler


@dataclass
class Services:
    config: Config
    db: Database
    clock: Clock
    registry: Registry
    outbox: OutboxRepository
    started_at: datetime
    scheduler: AsyncIOScheduler | None = None
    # Each capability that stores personal data adds a source for !meine-daten.
    personal_data_sources: list[Callable[[str], Awaitable[dict[str, Any]]]] = field(
        default_factory=list
    )
