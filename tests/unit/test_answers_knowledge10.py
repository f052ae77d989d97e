"""Issue 8, tenth round (knowledge from the misses of sets 10 and 11): the kinds of question
the new and extended entries answer find them, the archive's offering question keeps its entry,
and private questions on the same words stay declined. Phrasings written for this test, not
taken from a question set."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

# One engine per test, not per question: each engine indexes the whole knowledge base.
KINDS = [
    ("Wie lange darf eine Rahmenvereinbarung höchstens laufen?", "e-vergabe-rahmenvereinbarung"),
    ("Müssen Bauleistungen nach Gewerken getrennt vergeben werden?", "e-vergabe-lose"),
    ("Was ist das AVPQ?", "e-vergabe-praequalifikation"),
    (
        "Dürfen wir eine Ausschreibung aufheben, wenn alle Angebote zu teuer sind?",
        "e-vergabe-aufhebung",
    ),
    ("Wie wählen wir eine Vergabeplattform aus?", "e-vergabe-plattform-auswahl"),
    ("Worauf achten wir beim Wechsel auf ein neues DMS?", "lza-dms-migration"),
    (
        "Wie verhalten wir uns bei Anrufen von falschen Microsoft-Mitarbeitern?",
        "it-sicherheit-support-betrug",
    ),
    (
        "Was verlangen wir von unserem kommunalen IT-Dienstleister?",
        "it-sicherheit-it-dienstleister",
    ),
    ("Welche Kartenleser sind für den Ausweis geeignet?", "personalausweis-kartenleser"),
    ("Ausweis im Ausland verloren, was tun?", "personalausweis-verlust"),
    # Last round's waiting entries moved this to bidder registration (round 7 pins it too).
    ("Wie bietet man Unterlagen an?", "lza-aussonderung-ablauf"),
]

# Private questions that share words with the new entries: declined ("-").
PRIVATE = [
    ("Ich habe meinen Ausweis im Urlaub verloren, wie komme ich nach Hause?", "-"),
    ("Mein Opa bekommt Anrufe von angeblichen Microsoft-Leuten, was soll er tun?", "-"),
    ("Wie lange darf mein Handyvertrag laufen?", "-"),
    ("Welchen Kartenleser brauche ich für meine Bankkarte?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
