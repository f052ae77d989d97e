"""Scheduled work for capabilities: one hook over APScheduler, the database stays the truth.

A capability adds its jobs in ``start()`` from its rows (``jobs.at(...)`` per due row), and
again whenever a row changes. A job only wakes the capability, which then asks the database
what is due at ``clock.now()``; so losing a job (APScheduler is at-most-once, in memory) loses
nothing, and a restart rebuilds every job from the rows. Jobs are named, looked up and
replaced by name; errors of all jobs go to one listener that logs them with a reference.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.lazy import outside_transactions
from storage.database import Database

log = logging.getLogger(__name__)

# A late job still runs (the default of 1 s silently skips it); what it does when it runs late
# is the capability's decision (e.g. a reminder sent late says so).
MISFIRE_GRACE_SECONDS = 7 * 24 * 3600

JobFunc = Callable[..., Awaitable[Any]]


def create_scheduler(tz: ZoneInfo) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=tz,
        job_defaults={
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            "coalesce": True,
            "max_instances": 1,
        },
    )

    def on_error(event: JobExecutionEvent) -> None:
        ref = secrets.token_hex(3)
        log.error("scheduled job %s failed (ref=%s)", event.job_id, ref, exc_info=event.exception)

    scheduler.add_listener(on_error, EVENT_JOB_ERROR)
    return scheduler


class Jobs:
    """Named jobs. Changes made inside a database transaction take effect when it commits
    (and never if it rolls back), so the in-memory schedule cannot drift from the rows."""

    def __init__(
        self, scheduler: AsyncIOScheduler, clock: Clock, db: Database | None = None
    ) -> None:
        self.scheduler = scheduler
        self.clock = clock
        self.db = db

    def _on_commit(self, change: Callable[[], None]) -> None:
        if self.db is None:
            change()
        else:
            self.db.after_commit(change)

    @property
    def tz(self) -> ZoneInfo:
        return self.scheduler.timezone  # type: ignore[no-any-return]

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: Any) -> None:
        """Run once at ``when`` (aware); a time already past runs at once, never skipped."""

        def add() -> None:
            run_at = max(when, self.clock.now() + timedelta(milliseconds=10))
            self._add(job_id, DateTrigger(run_date=run_at), func, args)

        self._on_commit(add)

    def every(self, job_id: str, seconds: float, func: JobFunc, *args: Any) -> None:
        self._on_commit(lambda: self._add(job_id, IntervalTrigger(seconds=seconds), func, args))

    def daily(self, job_id: str, hour: int, minute: int, func: JobFunc, *args: Any) -> None:
        """Wall-clock time in the bot's zone. Avoid 02:00-03:00 (DST gap and overlap)."""
        trigger = CronTrigger(hour=hour, minute=minute, timezone=self.tz)
        self._on_commit(lambda: self._add(job_id, trigger, func, args))

    def cancel(self, job_id: str) -> None:
        def remove() -> None:
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)

        self._on_commit(remove)

    def next_run(self, job_id: str) -> datetime | None:
        job = self.scheduler.get_job(job_id)
        return None if job is None else job.next_run_time

    def job_ids(self, prefix: str = "") -> list[str]:
        return sorted(j.id for j in self.scheduler.get_jobs() if j.id.startswith(prefix))

    def _add(self, job_id: str, trigger: Any, func: JobFunc, args: tuple[Any, ...]) -> None:
        self.scheduler.add_job(
            _outside_transactions,
            trigger,
            args=(func, *args),
            id=job_id,
            name=job_id,
            replace_existing=True,
        )


async def _outside_transactions(func: JobFunc, *args: Any) -> Any:
    """A job imports a module it loads on first use outside its transaction (bot/lazy.py):
    jobs only ask the database what is due, so running one again is what they are made for."""
    return await outside_transactions(lambda: func(*args))
