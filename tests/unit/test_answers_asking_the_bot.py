"""Questions on what the bot can do, asked colloquially or from the member's side (nineteenth
round of issue 8). Each case was checked to fail with the rule (text._CAN_YOU) reverted.
Measurements: docs/answer-quality.md."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import asks_what_the_bot_can


@pytest.mark.parametrize(
    "question",
    [
        "Wat kannste so?",
        "Moin, watt machste hier eigentlich?",
        "Wozu soll ich dich überhaupt fragen?",
        "Was darf ich dich alles fragen?",
    ],
)
async def test_a_colloquial_or_members_side_question_on_the_bot_reaches_its_entry(
    engine: AnswerEngine, question: str
) -> None:
    # Only filler and stop words ("wat", "kannste", "dich", "fragen"): chit-chat at 0.0 before.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-bot"


def test_a_subject_after_asking_the_bot_is_no_question_on_the_bot() -> None:
    assert not asks_what_the_bot_can("Was kann ich dich zur E-Rechnung fragen?")
    assert not asks_what_the_bot_can("Wat kannste mir über die 115 sagen?")
    assert not asks_what_the_bot_can("Was soll ich dich fragen, wie das Wetter wird?")


async def test_a_subject_after_asking_the_bot_is_what_is_answered(engine: AnswerEngine) -> None:
    answer = await engine.ask("Wat kannste mir über die 115 sagen?")
    assert answer.topic is not None and answer.topic.id == "service-center-115"
