"""Chat in lower case (round 45): a full stop or an emoji before a lower-case evaluative
question ends a sentence too, a loose lower-case remark after a question mark is left out on
the second look, and a boss who demands a password change on a schedule makes it a work
password. The messages are
written for these tests, not taken from the question sets; each answered one was declined
before the round."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import evaluates_story, private_sphere, question_segments, split_sentences

from .conftest import entry_of

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A lower-case evaluative question after a full stop that ends a word of four letters
        # or more.
        (
            "kam ne mail, ich soll gutscheine kaufen. is das fake?",
            ["kam ne mail, ich soll gutscheine kaufen.", "is das fake?"],
        ),
        (
            "das gilt z. b. für die kasse. is das so?",
            ["das gilt z. b. für die kasse.", "is das so?"],
        ),
        # ... not one that names a subject of its own (set 43's "is das phishing?" went from
        # the entry on a clicked phishing link to the one on Emotet).
        (
            "kam ne mail, soll gutscheine kaufen. is das phishing?",
            ["kam ne mail, soll gutscheine kaufen. is das phishing?"],
        ),
        # Other lower-case sentences stay with the story, whose private words then count
        # (review REVIEW-45-code: this one was answered from the archive's entry).
        (
            "meine fotos will ich sichern. reicht ne externe festplatte?",
            ["meine fotos will ich sichern. reicht ne externe festplatte?"],
        ),
        # Abbreviations and short words are no sentence ends.
        ("das zahlt ggfs. is das so?", ["das zahlt ggfs. is das so?"]),
        ("das zahlt Ggfs. is das so?", ["das zahlt Ggfs. is das so?"]),
        ("gilt das bzw. is das neu?", ["gilt das bzw. is das neu?"]),
        # An emoji before a question ends a sentence (also one with a variation selector),
        # one inside a clause does not.
        ("soll gutscheine kaufen 😬 is das fake?", ["soll gutscheine kaufen 😬", "is das fake?"]),
        ("⚠️ is das fake?", ["⚠️", "is das fake?"]),
        ("mein 📱 ist weg", ["mein 📱 ist weg"]),
        ("unter ☎ 115 anrufen?", ["unter ☎ 115 anrufen?"]),
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


def test_the_second_look_asks_the_question_without_a_loose_remark(engine: AnswerEngine) -> None:
    knows = engine._state.analyzer.knows
    segments = question_segments("muss ich alle 90 tage mein passwort ändern? nervt voll", knows)
    assert "muss ich alle 90 tage mein passwort ändern?" in segments
    # A remark that makes it private stays with it (review REVIEW-45-code: answered).
    segments = question_segments("brauchen wir zwei-faktor? für meinen privaten laptop", knows)
    assert "brauchen wir zwei-faktor?" not in segments


@pytest.mark.parametrize(
    "question",
    [
        # The remark "voll der aufwand" sank the question (declined at 0.30). ("nervt echt"
        # stood here at first: it was answered before the round too, the test could not fail.)
        "soll ich alle 90 tage ein neues passwort machen? voll der aufwand",
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
        # A bank or a health insurer demanding a new password is no employer; with "is das"
        # the story is judged, and the insurer's portal was answered (review REVIEW-45-code).
        "die app von meiner bank verlangt alle 90 tage ein neues passwort. is das sinnvoll?",
        "vorgabe von meiner krankenkasse: alle 90 tage neues passwort. is das sinnvoll?",
        # Private stories the review's first look answered.
        "meine fotos vom urlaub will ich langfristig sichern. reicht ne externe festplatte?",
        "mein privates 📱 hat ne komische sms bekommen. soll ich den link klicken?",
        "meine bank 🏦 will alle 90 tage ein neues passwort. is das normal?",
        "was mach ich wenn ich auf nen phishing-link geklickt hab? war auf meinem privaten handy",
    ],
)
async def test_private_stories_in_chat_style_stay_declined(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "-"


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Welche Telefonnummer hat meine Krankenkasse?", True),
        ("meine pflegekasse will ein neues passwort", True),
        # "meine Kasse" may be the town's cash office, another body's hotline is no own thing.
        ("Meine Kasse bekommt nur PDF-Rechnungen, reicht das?", False),
        ("Wie lautet die Hotline der Krankenkasse?", False),
    ],
)
def test_ones_own_health_insurer_is_private(text: str, private: bool) -> None:
    assert private_sphere(text) is private
