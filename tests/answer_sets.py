"""Question sets for the answer engine (tests/data/*.toml) and how a set is scored.

Top-1 topic accuracy counts an on-topic question right only if the engine answers (does not
abstain) with an entry of the expected topic; off-topic questions must be abstained on.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.answers.engine import AnswerEngine
from bot.answers.loader import TOPIC_IDS

DATA = Path(__file__).resolve().parent / "data"
TOPICS = TOPIC_IDS


def load_questions(name: str) -> list[dict[str, str]]:
    with (DATA / name).open("rb") as f:
        return tomllib.load(f)["q"]


@dataclass
class Score:
    on_right: int = 0
    on_total: int = 0
    off_right: int = 0
    off_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.on_right / self.on_total if self.on_total else 1.0

    @property
    def abstention(self) -> float:
        return self.off_right / self.off_total if self.off_total else 1.0

    def report(self, label: str) -> str:
        head = (
            f"\n{label}: on-topic top-1 accuracy {self.on_right}/{self.on_total} = "
            f"{self.accuracy:.1%}, off-topic abstention {self.off_right}/{self.off_total} = "
            f"{self.abstention:.1%}"
        )
        return "\n".join([head, *self.misses])


async def score(
    engine: AnswerEngine,
    questions: list[dict[str, str]],
    rewrite: Callable[[str, int], str] = lambda text, n: text,
) -> Score:
    """Ask every question (optionally rewritten, e.g. with a typo) and count right and wrong."""
    result = Score()
    for n, q in enumerate(questions):
        text = rewrite(q["text"], n)
        answer = await engine.ask(text)
        got = answer.topic.id if answer.topic else ""
        entry = answer.entry.id if answer.entry else "-"
        if q["topic"]:
            result.on_total += 1
            if got == q["topic"]:
                result.on_right += 1
            else:
                result.misses.append(
                    f"MISS  {answer.score:.2f} want {q['topic']:<22} got "
                    f"{got or 'abstain':<22} {entry:<36} {text}"
                )
        else:
            result.off_total += 1
            if answer.entry is None:
                result.off_right += 1
            else:
                result.misses.append(
                    f"FALSE {answer.score:.2f} answered {got:<22} {entry:<36} {text}"
                )
    return result
