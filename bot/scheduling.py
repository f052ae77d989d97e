"""Scheduler glue: APScheduler's AsyncIOScheduler in the configured zone, started after login.

The database is the source of truth for anything scheduled; APScheduler only wakes the bot.
Jobs get an explicit misfire grace (the default of 1 s silently skips a late job) and
coalescing, and every job error is logged by one listener.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.clock import Clock
from bot.config import OutboxConfig
from bot.jobs import MISFIRE_GRACE_SECONDS, create_scheduler
from storage.failed_events import FailedEventRepository
from storage.outbox import OutboxRepository
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

HANDLED_EVENTS_KEPT = timedelta(days=30)

__all__ = ["MISFIRE_GRACE_SECONDS", "add_housekeeping", "create_scheduler"]


def add_housekeeping(
    scheduler: AsyncIOScheduler,
    state: SyncStateRepository,
    clock: Clock,
    retention: float = OutboxConfig.retention,
) -> None:
    """Daily at 03:17 local time (outside the DST gap and overlap, which lie in 02:00-03:00):
    forget old handled event ids, and apply the outbox retention (``outbox.retention``: sent
    and failed messages lose their content and files, so nothing personal stays forever)."""

    async def housekeeping() -> None:
        now = clock.now()
        removed = await state.forget_handled_before((now - HANDLED_EVENTS_KEPT).timestamp())
        cutoff = now.timestamp() - retention
        outbox = await OutboxRepository(state.db).forget_before(cutoff)
        failed = await FailedEventRepository(state.db).forget_before(cutoff)
        log.info(
            "housekeeping: forgot %d handled event ids, %d old outbox messages, %d failed events",
            removed,
            outbox,
            failed,
        )

    _add_daily(scheduler, "housekeeping", housekeeping, hour=3, minute=17)


def _add_daily(
    scheduler: AsyncIOScheduler,
    job_id: str,
    func: Callable[[], Awaitable[None]],
    hour: int,
    minute: int,
) -> None:
    scheduler.add_job(
        func,
        CronTrigger(hour=hour, minute=minute, timezone=scheduler.timezone),
        id=job_id,
        name=job_id,
        replace_existing=True,
    )
