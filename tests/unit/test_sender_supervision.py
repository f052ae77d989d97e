"""The outbox sender is supervised: restarted after an error, the bot stops if it keeps failing,
and nothing is sent before this run's first sync (nio knows no room before it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import SENDER_MAX_FAILURES, Bot, SenderFailed
from bot.clock import FakeClock
from tests.fakes import make_config


class FakeSync:
    def __init__(self) -> None:
        self.synced_once = asyncio.Event()


class FlakySender:
    """Raises ``failures`` times, then runs until stopped."""

    def __init__(self, failures: int, progress: bool = False) -> None:
        self.failures = failures
        self.progress = progress
        self.runs = 0
        self.progressed = False
        self.stopping = asyncio.Event()

    async def run(self) -> None:
        self.runs += 1
        if self.runs <= self.failures:
            self.progressed = self.progress
            raise RuntimeError(f"bug {self.runs}")
        await self.stopping.wait()


def make_bot(tmp_path: Path) -> Bot:
    return Bot(make_config(tmp_path), clock=FakeClock())


async def test_the_sender_waits_for_the_first_sync(tmp_path: Path) -> None:
    bot, sync, sender = make_bot(tmp_path), FakeSync(), FlakySender(0)
    task = asyncio.create_task(bot._supervise_sender(sync, sender))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    assert sender.runs == 0
    sync.synced_once.set()
    await asyncio.sleep(0.05)
    assert sender.runs == 1
    sender.stopping.set()
    await asyncio.wait_for(task, 1)


async def test_a_failing_sender_is_restarted(tmp_path: Path) -> None:
    bot, sync, sender = make_bot(tmp_path), FakeSync(), FlakySender(SENDER_MAX_FAILURES - 1)
    sync.synced_once.set()
    task = asyncio.create_task(bot._supervise_sender(sync, sender))  # type: ignore[arg-type]
    for _ in range(100):
        await asyncio.sleep(0.01)
        if sender.runs == SENDER_MAX_FAILURES:
            break
    assert sender.runs == SENDER_MAX_FAILURES and not task.done()
    sender.stopping.set()
    await asyncio.wait_for(task, 1)


async def test_a_sender_that_keeps_failing_stops_the_bot(tmp_path: Path) -> None:
    bot, sync, sender = make_bot(tmp_path), FakeSync(), FlakySender(100)
    sync.synced_once.set()
    with pytest.raises(SenderFailed, match="bug 5"):
        await asyncio.wait_for(bot._supervise_sender(sync, sender), 2)  # type: ignore[arg-type]
    assert sender.runs == SENDER_MAX_FAILURES


async def test_failures_separated_by_progress_do_not_add_up(tmp_path: Path) -> None:
    bot, sync = make_bot(tmp_path), FakeSync()
    sender = FlakySender(SENDER_MAX_FAILURES + 3, progress=True)
    sync.synced_once.set()
    task = asyncio.create_task(bot._supervise_sender(sync, sender))  # type: ignore[arg-type]
    for _ in range(200):
        await asyncio.sleep(0.01)
        if sender.runs > SENDER_MAX_FAILURES + 3:
            break
    assert sender.runs > SENDER_MAX_FAILURES + 3 and not task.done()
    sender.stopping.set()
    await asyncio.wait_for(task, 1)
