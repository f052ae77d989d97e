"""Exponential back-off with jitter: 1 s doubling to 5 min, never a tight loop."""

from __future__ import annotations

import random


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
