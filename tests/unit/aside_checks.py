"""One check for the aside tests (test_answers_asides_*.py, test_answers_everyday_life.py): a
later part declined as off the network's topics is named as such and nowhere else."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine


async def assert_declined_as_aside(engine: AnswerEngine, first: str, later: str) -> None:
    """``later`` after ``first`` is declined as off the topics: the first question answered,
    the part named as off-topic, neither forwarded, covered nor among the answered questions
    (a 👎 would pass those on)."""
    answer = await engine.ask(f"{first} {later}")
    assert answer.entry is not None, first
    assert answer.off_topic_parts == (later,), later
    assert later not in [text for text, _ in answer.unanswered], later
    assert later not in answer.covered, later
    assert later not in answer.answered_questions, later
