"""Scheduler glue: time zone, explicit misfire grace, housekeeping job that really prunes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.scheduling import MISFIRE_GRACE_SECONDS, add_housekeeping, create_scheduler
from storage.database import Database
from storage.sync_state import SyncStateRepository

BERLIN = ZoneInfo("Europe/Berlin")


async def test_scheduler_zone_and_defaults() -> None:
    scheduler = create_scheduler(BERLIN)
    assert scheduler.timezone == BERLIN
    assert scheduler._job_defaults["misfire_grace_time"] == MISFIRE_GRACE_SECONDS


async def test_housekeeping_runs_daily_at_0317_local_time_across_dst(db: Database) -> None:
    scheduler = create_scheduler(BERLIN)
    add_housekeeping(scheduler, SyncStateRepository(db), FakeClock())
    job = scheduler.get_job("housekeeping")
    # The night of the October change (02:00-03:00 happens twice): one run, at 03:17 CET.
    before = datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN)
    fire = job.trigger.get_next_fire_time(None, before)
    assert fire == datetime(2026, 10, 25, 3, 17, tzinfo=BERLIN)
    assert fire.utcoffset() == timedelta(hours=1)
    march = job.trigger.get_next_fire_time(None, datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN))
    assert march.hour == 3 and march.minute == 17 and march.utcoffset() == timedelta(hours=2)


async def test_housekeeping_forgets_only_old_event_ids(db: Database) -> None:
    clock = FakeClock(datetime(2026, 3, 1, tzinfo=UTC))
    state = SyncStateRepository(db)
    async with db.transaction():
        await state.mark_handled("$old", "!r", (clock.now() - timedelta(days=31)).timestamp())
        await state.mark_handled("$new", "!r", (clock.now() - timedelta(days=1)).timestamp())
    scheduler = create_scheduler(BERLIN)
    add_housekeeping(scheduler, state, clock)
    await scheduler.get_job("housekeeping").func()
    assert not await state.is_handled("$old")
    assert await state.is_handled("$new")
