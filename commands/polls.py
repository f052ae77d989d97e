"""Native Matrix polls (MSC3381): the events the bot sends and how votes are counted.

Element and other clients send and read the unstable ``org.matrix.msc3381.*`` names; the start
event also carries a plain-text fallback (``org.matrix.msc1767.text`` and ``body``) for clients
that do not know polls. Counting follows the MSC: one vote per member, the member's latest
response counts, a response without a valid answer spoils (withdraws) the member's vote, and
responses after the end are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage.summaries import Vote

POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"
MAX_OPTIONS = 20  # what the MSC allows
MAX_TEXT = 340  # Element's limit for a question or an answer


def option_id(index: int) -> str:
    return f"o{index + 1}"


def fallback_text(question: str, options: tuple[str, ...]) -> str:
    lines = [question, *(f"{n}. {option}" for n, option in enumerate(options, start=1))]
    return "\n".join(lines)


def poll_start_content(question: str, options: tuple[str, ...]) -> dict[str, Any]:
    """A disclosed single-choice poll (results visible while voting, as in a plenum)."""
    text = fallback_text(question, options)
    return {
        POLL_START: {
            "question": {TEXT: question, "body": question, "msgtype": "m.text"},
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": 1,
            "answers": [{"id": option_id(i), TEXT: option} for i, option in enumerate(options)],
        },
        TEXT: text,
        "body": text,
        "m.mentions": {},
    }


def poll_end_content(start_event_id: str, result_text: str) -> dict[str, Any]:
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": start_event_id},
        POLL_END: {},
        TEXT: result_text,
        "body": result_text,
        "m.mentions": {},
    }


@dataclass(frozen=True)
class Tally:
    options: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def winners(self) -> list[str]:
        """The option(s) with the most votes; empty when nobody voted."""
        if self.total == 0:
            return []
        best = max(self.counts)
        return [o for o, c in zip(self.options, self.counts, strict=True) if c == best]


def tally(options: tuple[str, ...], votes: Iterable[Vote], until_ts: int | None = None) -> Tally:
    """Count each member's stored (latest) response; its first valid answer is the vote."""
    valid = {option_id(i): i for i in range(len(options))}
    counts = [0] * len(options)
    for vote in votes:
        if until_ts is not None and vote.voted_ts > until_ts:
            continue
        chosen = next((valid[a] for a in vote.answers if a in valid), None)
        if chosen is not None:
            counts[chosen] += 1
    return Tally(options, tuple(counts))
