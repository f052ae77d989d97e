"""Per-member command throttle: one polite notice, then the excess is ignored for the window.

Judged by the events' server timestamps, so a backlog answered after a restart is not mistaken
for a burst, and other members are never slowed down.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import Enum

MAX_TRACKED = 1000  # senders remembered before idle ones are dropped
MAX_DECIDED = 5000  # event ids whose verdict is remembered (a retried batch is not counted again)


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first command over the limit: tell the member once
    DROP = "drop"


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    warned_until: float = 0.0


class Throttle:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._senders: dict[str, _Window] = {}
        self._decided: OrderedDict[str, Verdict] = OrderedDict()

    def check(self, sender: str, at: float, event_id: str | None = None) -> Verdict:
        """The verdict for one event; the same event again (its batch retried after a
        transient failure undid it) gets the same verdict and is not counted twice."""
        if event_id is not None:
            if (known := self._decided.get(event_id)) is not None:
                return known
            verdict = self._check(sender, at)
            self._decided[event_id] = verdict
            if len(self._decided) > MAX_DECIDED:
                self._decided.popitem(last=False)
            return verdict
        return self._check(sender, at)

    def _check(self, sender: str, at: float) -> Verdict:
        if len(self._senders) > MAX_TRACKED:
            self.forget_idle(at)
        state = self._senders.setdefault(sender, _Window())
        while state.times and state.times[0] <= at - self.window:
            state.times.popleft()
        if len(state.times) < self.limit:
            state.times.append(at)
            return Verdict.ALLOW
        if at < state.warned_until:
            return Verdict.DROP
        state.warned_until = state.times[0] + self.window
        return Verdict.WARN

    def forget_idle(self, now: float) -> None:
        """Drop senders with no recent commands so the map does not grow forever."""
        idle = [
            s for s, w in self._senders.items() if not w.times or w.times[-1] < now - self.window
        ]
        for sender in idle:
            del self._senders[sender]
