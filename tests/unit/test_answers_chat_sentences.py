"""Chat in lower case (round 45): a full stop before a lower-case word and an emoji end a
sentence too, a lower-case remark after a question mark is left out on the second look, and a
boss who demands a password change on a schedule makes it a work password. The messages are
written for these tests, not taken from the question sets; each answered one was declined
before the round."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import evaluates_story, question_segments, split_sentences

from .conftest import entry_of

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Lower case after a full stop that ends a word of four letters or more.
        (
            "kam ne mail, ich soll gutscheine kaufen. is das fake?",
            ["kam ne mail, ich soll gutscheine kaufen.", "is das fake?"],
        ),
        # ... and after an emoji.
        ("soll gutscheine kaufen 😬 is das fake?", ["soll gutscheine kaufen 😬", "is das fake?"]),
        # Abbreviations and short words are no sentence ends.
        (
            "das gilt z. b. für die kasse. und sonst?",
            ["das gilt z. b. für die kasse.", "und sonst?"],
        ),
        ("das kostet evtl. mehr als gedacht", ["das kostet evtl. mehr als gedacht"]),
        ("gilt das bzw. die regel auch hier?", ["gilt das bzw. die regel auch hier?"]),
        # A lower-case remark after a question mark stays with its question here.
        ("muss ich das ändern? nervt voll", ["muss ich das ändern? nervt voll"]),
        # Capitals as before.
        ("Das ist neu. Gilt das schon?", ["Das ist neu.", "Gilt das schon?"]),
    ],
)
def test_sentences_end_in_chat_style(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "message",
    [
        # Before the round these were one sentence: no evaluative question was found.
        "kam grad ne mail vom bürgermeister, ich soll eilig gutscheine kaufen. is das fake?",
        "kam grad ne mail vom bürgermeister, ich soll eilig gutscheine kaufen 😬 is das fake?",
        # "is" judges as "ist" does.
        "Der Chef will, dass wir das Passwort alle 90 Tage ändern. Is das noch aktuell?",
    ],
)
def test_a_lower_case_story_is_judged_by_its_question(message: str) -> None:
    assert evaluates_story(message)


def test_the_second_look_asks_the_question_without_its_remark() -> None:
    segments = question_segments("muss ich alle 90 tage mein passwort ändern? nervt voll")
    assert "muss ich alle 90 tage mein passwort ändern?" in segments


@pytest.mark.parametrize(
    "question",
    [
        # The remark "total nervig" sank the question (declined at 0.54).
        "muss ich wirklich alle 60 tage mein passwort wechseln? total nervig",
        # The IT or the boss demanding the change: a work password (declined at 0.10, 0.24).
        "die it verlangt alle 90 tage ein neues passwort. ist das noch sinnvoll?",
        "unsere chefin will dass alle alle 90 tage das passwort ändern. is das noch sinnvoll?",
    ],
)
async def test_a_password_rule_asked_in_chat_style_is_answered(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "it-sicherheit-passwoerter"


@pytest.mark.parametrize(
    "question",
    [
        # Private stories stay private in lower case too.
        "mein nachbar will dass ich alle 90 tage mein wlan-passwort ändere. is das nötig?",
        "meine bank will alle 90 tage ein neues passwort. is das normal?",
        "mein sportverein will per mail dass ich gutscheine kaufe. is das fake?",
    ],
)
async def test_private_stories_in_chat_style_stay_declined(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "-"
