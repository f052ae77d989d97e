"""The second question set of issue 8: floors slightly below what was measured, so a regression
fails. The questions were written before the knowledge base was read; since 2026-12-01 (second
round of issue 8) the set is a development set (a new held-out set 3 measures, see
docs/answer-quality.md): its failures were studied per pattern.
questions_heldout2_judged.toml holds a human judgement of each (question, answered entry) pair:
does the answer answer the question asked (yes / partly / no)?

An answer with a pair nobody judged yet counts as not "yes" and is printed: judge it (add it to
the judged file) rather than changing the engine towards single questions. Method and
numbers: docs/answer-quality.md.
"""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest

from bot.answers.engine import AnswerEngine
from storage.database import Database
from tests.answer_sets import DATA, TOPICS, load_questions

# Measured 2026-12-01, second round (docs/answer-quality.md): topic 121/125, declined 58/60,
# 105 of 123 answers judged "yes" and 14 "partly" (first round: 103/125, 57/60, 61 of 107, 24).
MIN_TOPIC = 0.95
MIN_DECLINED = 0.95
MIN_YES = 0.82
MIN_YES_OR_PARTLY = 0.94


def judgements() -> dict[tuple[str, str], str]:
    with (DATA / "questions_heldout2_judged.toml").open("rb") as f:
        rows = tomllib.load(f)["j"]
    return {(r["text"], r["entry"]): r["verdict"] for r in rows}


def test_set_shape_and_judgements_are_well_formed() -> None:
    questions = load_questions("questions_heldout2.toml")
    on = [q for q in questions if q["topic"]]
    assert len(questions) >= 150 and len(questions) - len(on) >= 50
    assert {q["topic"] for q in on} == set(TOPICS)
    assert len({q["text"] for q in questions}) == len(questions)
    texts = {q["text"] for q in questions}
    for (text, _entry), verdict in judgements().items():
        assert text in texts and verdict in {"yes", "partly", "no"}, text


@pytest.fixture
async def engine(db: Database) -> AnswerEngine:
    answer_engine = AnswerEngine(db)
    await answer_engine.refresh()
    return answer_engine


async def test_heldout2_floors(engine: AnswerEngine) -> None:
    judged = judgements()
    verdicts: Counter[str] = Counter()
    on = on_right = off = off_declined = 0
    unjudged: list[str] = []
    for q in load_questions("questions_heldout2.toml"):
        answer = await engine.ask(q["text"])
        got = answer.topic.id if answer.topic else ""
        if q["topic"]:
            on += 1
            on_right += got == q["topic"]
        else:
            off += 1
            off_declined += answer.entry is None
        if answer.entry is not None:
            verdict = judged.get((q["text"], answer.entry.id), "unjudged")
            verdicts[verdict] += 1
            if verdict == "unjudged":
                unjudged.append(f"UNJUDGED {answer.entry.id:<40} {q['text']}")
    answered = sum(verdicts.values())
    print(
        f"\nheldout2: topic {on_right}/{on}, declined {off_declined}/{off}, "
        f"answers {dict(verdicts)} of {answered}",
        *unjudged,
        sep="\n",
    )
    assert on_right / on >= MIN_TOPIC
    assert off_declined / off >= MIN_DECLINED
    assert verdicts["yes"] / answered >= MIN_YES
    assert (verdicts["yes"] + verdicts["partly"]) / answered >= MIN_YES_OR_PARTLY
