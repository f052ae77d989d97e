"""Exponential back-off with jitter (1 s doubling to 5 min), and the homeserver's reachability.

Never a tight loop: every retry waits; and waiting for an outage to end is a cheap probe on a
short cap, so the long back-off never keeps the bot away once the homeserver is back.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from bot.clock import Clock

log = logging.getLogger(__name__)


class Backoff:
    def __init__(self, first: float = 1.0, cap: float = 300.0, rng: random.Random | None = None):
        self.first = first
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """Delay before the next attempt: full base for the first failure, then doubled,
        with up to 50 % jitter so many bots do not retry in lock-step."""
        base = min(self.cap, self.first * (2 ** min(self.failures, 30)))
        self.failures += 1
        return base * self._rng.uniform(0.5, 1.0) if self.failures > 1 else base

    def reset(self) -> None:
        self.failures = 0


async def first_of(*waits: Awaitable[object]) -> None:
    """Wait until the first of ``waits`` is done; cancel the others."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


class Reachability:
    """Whether the homeserver answers. After a failed request it is "down": one cheap probe
    runs every few seconds (2 s, then up to ``cap``; never faster), and everything waiting for
    the homeserver (sync loop, outbox sender) continues the moment a probe succeeds. So the bot
    is back within seconds after an outage of any length, without a tight loop during it."""

    def __init__(
        self,
        probe: Callable[[], Awaitable[bool]],
        clock: Clock,
        first: float = 2.0,
        cap: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        self.probe = probe
        self.clock = clock
        self.first = first
        self.cap = cap
        self._rng = rng
        self._up = asyncio.Event()
        self._up.set()
        self._task: asyncio.Task[None] | None = None
        self.probes = 0  # over the whole run

    @property
    def is_up(self) -> bool:
        return self._up.is_set()

    def report_down(self, reason: object) -> None:
        if self._up.is_set():
            log.warning("homeserver unreachable (%s); checking every few seconds", reason)
            self._up.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._probe_until_up(), name="reachability")

    def report_up(self) -> None:
        if not self._up.is_set():
            log.info("homeserver reachable again")
            self._up.set()

    async def wait_up(self) -> None:
        await self._up.wait()

    async def _probe_until_up(self) -> None:
        backoff = Backoff(self.first, self.cap, self._rng)
        while not self._up.is_set():
            await first_of(self.clock.sleep(backoff.next_delay()), self._up.wait())
            if self._up.is_set():
                return
            self.probes += 1
            try:
                answered = await self.probe()
            except Exception:  # a bug in the probe must not leave everything waiting forever
                log.exception("reachability probe failed; treating it as an answer")
                answered = True
            if answered:
                self.report_up()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
