"""Question sets for the answer engine (tests/data/*.toml) and how a set is scored.

Top-1 topic accuracy counts an on-topic question right only if the engine answers (does not
abstain) with an entry of the expected topic; off-topic questions must be abstained on.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.question_sets import load_question_set
from bot.answers.engine import AnswerEngine
from bot.answers.loader import TOPIC_IDS

DATA = Path(__file__).resolve().parent / "data"
TOPICS = TOPIC_IDS


def load_questions(name: str) -> list[dict[str, str]]:
    return load_question_set(DATA / name)


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


def judgements(name: str) -> dict[tuple[str, str], str]:
    """A judged file: (question, answered entry) -> yes / partly / no."""
    with (DATA / name).open("rb") as f:
        rows = tomllib.load(f)["j"]
    return {(r["text"], r["entry"]): r["verdict"] for r in rows}


@dataclass
class Judged:
    """One run of a judged set: topic accuracy, declines, and the verdicts of the answers,
    also per topic and per kind of question (docs/answer-quality.md reports these)."""

    on: int = 0
    on_right: int = 0
    off: int = 0
    off_declined: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    by_topic: dict[str, Counter[str]] = field(default_factory=dict)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    unjudged: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(self.verdicts.values())

    def share(self, *verdicts: str) -> float:
        return sum(self.verdicts[v] for v in verdicts) / self.answered if self.answered else 0.0

    @property
    def yes_per_on_topic(self) -> float:
        """ "Yes" answers per on-topic question: unlike ``share``, declining a question that
        got a weak answer does not raise it (review REVIEW-7, R5)."""
        return self.verdicts["yes"] / self.on if self.on else 0.0

    def report(self, label: str) -> str:
        lines = [
            f"\n{label}: topic {self.on_right}/{self.on}, declined {self.off_declined}/{self.off}, "
            f"answers {dict(self.verdicts)} of {self.answered}, "
            f"yes per on-topic question {self.yes_per_on_topic:.3f}"
        ]
        for name, groups in (("topic", self.by_topic), ("kind", self.by_kind)):
            for key, counts in sorted(groups.items()):
                lines.append(f"  {name} {key or '(decline)':<22} {dict(counts)}")
        return "\n".join([*lines, *self.unjudged])


async def judged_run(engine: AnswerEngine, set_name: str, judged_name: str) -> Judged:
    """Ask every question of a judged set; an answer nobody judged counts as not "yes"."""
    judged = judgements(judged_name)
    result = Judged()
    for q in load_questions(set_name):
        answer = await engine.ask(q["text"])
        got = answer.topic.id if answer.topic else ""
        topic_counts = result.by_topic.setdefault(q["topic"], Counter())
        kind_counts = result.by_kind.setdefault(q["kind"], Counter())
        if q["topic"]:
            result.on += 1
            right = answer.entry is not None and got == q["topic"]
            result.on_right += right
            topic_counts["topic right"] += right
            kind_counts["topic right"] += right
        else:
            result.off += 1
            result.off_declined += answer.entry is None
        topic_counts["n"] += 1
        kind_counts["n"] += 1
        if answer.entry is None:
            continue
        verdict = judged.get((q["text"], answer.entry.id), "unjudged")
        result.verdicts[verdict] += 1
        topic_counts[verdict] += 1
        kind_counts[verdict] += 1
        if verdict == "unjudged":
            result.unjudged.append(f"UNJUDGED {answer.entry.id:<40} {q['text']}")
    return result
