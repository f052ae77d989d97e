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

    from bot.answers.engine import AnswerEngine


@dataclass
class Services:
    config: Config
    db: Database
    clock: Clock
    registry: Registry
    outbox: OutboxRepository
    started_at: datetime
    own_user_id: str = ""
    scheduler: AsyncIOScheduler | None = None
    answers: AnswerEngine | None = None  # set by commands.topics.setup
    # Each capability that stores personal data adds a source for !meine-daten.
    personal_data_sources: list[Callable[[str], Awaitable[dict[str, Any]]]] = field(
        default_factory=list
    )
