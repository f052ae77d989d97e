"""Answer quality on tests/data/questions.toml (written from the domain facts, not the KB).

Top-1 topic accuracy counts an on-topic question right only if the engine answers (does not
abstain) with an entry of the expected topic. Misses are printed for the knowledge authors.
"""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from storage.database import Database

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.toml"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated database per test (local, so these tests need no shared conftest)."""
    database = Database(tmp_path / "answers.db")
    await database.open()
    yield database
    await database.close()


def load_questions() -> list[dict[str, str]]:
    with QUESTIONS.open("rb") as f:
        return tomllib.load(f)["q"]


def test_question_set_shape() -> None:
    questions = load_questions()
    on = [q for q in questions if q["topic"]]
    off = [q for q in questions if not q["topic"]]
    assert len(on) >= 90 and len(off) >= 25
    for topic in (
        "e-vergabe",
        "langzeitarchivierung",
        "service-center-115",
        "e-rechnung",
        "personalausweis",
        "it-sicherheit",
        "vir-nordwest",
    ):
        assert sum(q["topic"] == topic for q in on) >= 12, topic


async def test_topic_accuracy_and_abstention(db: Database) -> None:
    engine = AnswerEngine(db)
    await engine.refresh()
    on_right = on_total = off_right = off_total = 0
    misses: list[str] = []
    for q in load_questions():
        answer = await engine.ask(q["text"])
        got = answer.topic.id if answer.topic else ""
        entry = answer.entry.id if answer.entry else "-"
        if q["topic"]:
            on_total += 1
            if got == q["topic"]:
                on_right += 1
            else:
                misses.append(
                    f"MISS  {answer.score:.2f} want {q['topic']:<22} got "
                    f"{got or 'abstain':<22} {entry:<36} {q['text']}"
                )
        else:
            off_total += 1
            if answer.entry is None:
                off_right += 1
            else:
                misses.append(
                    f"FALSE {answer.score:.2f} answered {got:<22} {entry:<36} {q['text']}"
                )
    accuracy, abstention = on_right / on_total, off_right / off_total
    print(
        f"\non-topic top-1 accuracy {on_right}/{on_total} = {accuracy:.1%}, "
        f"off-topic abstention {off_right}/{off_total} = {abstention:.1%}"
    )
    print("\n".join(misses))
    assert accuracy >= 0.90
    assert abstention >= 0.90
