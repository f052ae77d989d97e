"""Answer quality on tests/data/questions_heldout.toml: chat-style member questions.

The set was written from the domain facts only, never from the knowledge entries, and the
engine is not tuned against single questions in it: greetings and filler words, typos,
compounds, abbreviations, English and very short questions, plus off-topic questions that share
a word with the domain ("Rechnung vom Handwerker", "Ausweis für den Sportverein"). Misses are
printed for the knowledge authors and the engine's maintainers.
"""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from storage.database import Database

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions_heldout.toml"
TOPICS = (
    "e-vergabe",
    "langzeitarchivierung",
    "service-center-115",
    "e-rechnung",
    "personalausweis",
    "it-sicherheit",
    "vir-nordwest",
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "answers.db")
    await database.open()
    yield database
    await database.close()


def load_questions() -> list[dict[str, str]]:
    with QUESTIONS.open("rb") as f:
        return tomllib.load(f)["q"]


def test_heldout_set_shape() -> None:
    questions = load_questions()
    on = [q for q in questions if q["topic"]]
    off = [q for q in questions if not q["topic"]]
    assert len(on) >= 120 and len(off) >= 40
    for topic in TOPICS:
        assert sum(q["topic"] == topic for q in on) >= 15, topic
    assert {q["topic"] for q in on} <= set(TOPICS)
    texts = [q["text"] for q in questions]
    assert len(texts) == len(set(texts)), "duplicate questions"


async def test_heldout_accuracy_and_abstention(db: Database) -> None:
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
        f"\nheld-out: on-topic top-1 accuracy {on_right}/{on_total} = {accuracy:.1%}, "
        f"off-topic abstention {off_right}/{off_total} = {abstention:.1%}"
    )
    print("\n".join(misses))
    assert accuracy >= 0.90
    assert abstention >= 0.90


# Deterministic chat wrappers and typos: each on-topic question once with each kind.
PREFIXES = (
    "Hallo zusammen, kurze Frage: ",
    "Weiß jemand, ",
    "Moin! ",
    "Kann mir jemand sagen: ",
    "Hey, sorry für die dumme Frage, aber ",
    "Hallo ViR-Bot, ",
    "Guten Morgen, wisst ihr vielleicht, ",
)
SUFFIXES = (" Danke schon mal!", " LG", " Viele Grüße, Anna", "", " Vielen Dank im Voraus!")


def with_filler(text: str, n: int) -> str:
    return PREFIXES[n % len(PREFIXES)] + text[0].lower() + text[1:] + SUFFIXES[n % len(SUFFIXES)]


def with_typo(text: str, n: int) -> str:
    """Swap, drop or double a letter inside the longest word (a typical chat typo)."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) < 7:
        return text
    j = 2 + n % (len(w) - 4)
    kind = n % 3
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


@pytest.mark.parametrize(("variant", "minimum"), [(with_filler, 0.9), (with_typo, 0.85)])
async def test_heldout_variants(
    db: Database, variant: Callable[[str, int], str], minimum: float
) -> None:
    """Greetings, sign-offs and typos around the held-out questions keep the answers right
    (on-topic) and the abstentions (off-topic, with filler only)."""
    engine = AnswerEngine(db)
    await engine.refresh()
    right = total = 0
    misses: list[str] = []
    for n, q in enumerate(load_questions()):
        if not q["topic"] and variant is with_typo:
            continue
        text = variant(q["text"], n)
        answer = await engine.ask(text)
        got = answer.topic.id if answer.topic else ""
        total += 1
        if got == q["topic"]:
            right += 1
        else:
            misses.append(
                f"{answer.score:.2f} want {q['topic'] or '-':<22} got {got or '-':<22} {text}"
            )
    print(f"\n{variant.__name__}: {right}/{total} = {right / total:.1%}")
    print("\n".join(misses))
    assert right / total >= minimum
