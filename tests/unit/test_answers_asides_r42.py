"""Issue 8, forty-second round: a later part of a message that changes the subject at its very
start ("Themawechsel: ...", "Ganz andere Sache: ...", "Übrigens, ...", "Apropos Bremen, ...",
"Und privat: ...", "PS: ...", "By the way, ...": vocabulary.ASIDE_OPENING) to everyday life
(the weather, a restaurant, a derby, the canteen, a private appointment: vocabulary.OFF_DUTY
and the lists before it), or that asks the weather as such, is named as no topic of the
network and never forwarded to the coordination: engine ``AnswerEngine._plain_aside``. Sets
42 and 43 had seven such parts forwarded (their judges rated those replies "partly"); each
declined case below was forwarded, or claimed as "covered" by the first answer, before the
rule. The kept cases are the precision guard: a word of the topics, the office dealing with
the thing, a mail or SMS, a pointer to a network event's own lunch, a condition on the
weather."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

DECLINED_ASIDES = [
    # Sets 42 and 43's wordings.
    (
        "Wie lange dürfen wir eine fehlerhafte E-Rechnung liegen lassen, bevor wir sie "
        "zurückweisen?",
        "Themawechsel: Weißt du, ob es morgen in Oldenburg regnet?",
    ),
    (
        "Gibt es zum Plenum vorab eine Teilnehmerliste?",
        "Ganz andere Sache: Was gibt es am Freitag in der Kantine?",
    ),
    (
        "Dürfen wir die Ratsprotokolle künftig nur noch digital archivieren?",
        "Übrigens, wer hat gestern eigentlich das Nordderby gewonnen?",
    ),
    (
        "Dürfen wir bei einer Verhandlungsvergabe nach UVgO auch nur ein einziges Unternehmen "
        "ansprechen?",
        "Übrigens, weißt du, ob es morgen in Oldenburg regnet?",
    ),
    (
        "Wie oft sollten wir die Integrität der archivierten Dateien eigentlich prüfen?",
        "Und privat: Kennst du ein gutes Fischrestaurant in Cuxhaven?",
    ),
    (
        "Kann man sich fürs Plenum auch noch spontan vor Ort anmelden?",
        "Apropos Bremen, wo isst man da abends gut?",
    ),
    # Other openings, other everyday things, after first questions of all seven topics.
    (
        "Wie beantrage ich eine Leitweg-ID?",
        "Ach ja, und privat: Wo gibt's in Oldenburg die besten Fischbrötchen?",
    ),
    ("Was ist TR-ESOR?", "Anderes Thema: Weißt du, wann der Zahnarzt am Markt aufmacht?"),
    ("Was ist XRechnung?", "Wird es morgen in Bremen schneien?"),
    (
        "Wie lange muss eine E-Akte aufbewahrt werden?",
        "Und weißt du, ob es am Wochenende regnet?",
    ),
    (
        "Wie funktioniert die Online-Ausweisfunktion?",
        "By the way, who won the derby yesterday?",
    ),
    ("Was ist ein ISMS?", "PS: Wie wird das Wetter am Samstag in Emden?"),
    (
        "Wann ist die 115 erreichbar?",
        "Mal was ganz anderes: Kennst du ein gutes Restaurant in Vechta?",
    ),
]

KEPT_PARTS = [
    # A word of the topics decides.
    ("Was kostet ein Personalausweis?", "Themawechsel: Wie lange ist ein Reisepass gültig?"),
    ("Was ist die 115?", "Übrigens, ist die 115 auch abends erreichbar?"),
    ("Wann ist das Plenum?", "Übrigens, findet der Workshop auch statt, wenn es schneit?"),
    # The office deals with the thing or must do something.
    (
        "Müssen wir E-Rechnungen annehmen?",
        "Ganz andere Frage: Dürfen wir für die Kantine eine Pacht verlangen?",
    ),
    # A mail or SMS carries it: IT security's.
    ("Wie erkenne ich Phishing?", "PS: Ist die Unwetter-Warnung per SMS von heute echt?"),
    # A network event's own lunch and parking may be that event's.
    ("Wann ist das nächste Plenum?", "Apropos Plenum, gibt es da ein Mittagessen?"),
    ("Wie melde ich mich zum Plenum an?", "Übrigens, gibt es dort Parkplätze?"),
]


async def test_an_aside_on_everyday_life_is_declined_and_never_forwarded(
    real: AnswerEngine,
) -> None:
    for first, later in DECLINED_ASIDES:
        answer = await real.ask(f"{first} {later}")
        assert answer.entry is not None, first
        assert answer.off_topic_parts == (later,), later
        assert later not in [text for text, _ in answer.unanswered], later
        assert later not in answer.covered, later
        assert later not in answer.answered_questions, later


async def test_parts_on_the_topics_or_the_offices_business_are_not_declined(
    real: AnswerEngine,
) -> None:
    for first, later in KEPT_PARTS:
        answer = await real.ask(f"{first} {later}")
        assert answer.entry is not None, first
        assert answer.off_topic_parts == (), later


@pytest.mark.parametrize(
    "question", ["Regnet es morgen in Bremen?", "Wird es am Wochenende schneien?"]
)
async def test_the_weather_asked_alone_is_chatter_not_an_open_question(
    real: AnswerEngine, question: str
) -> None:
    # Before the round both were passed on to the coordination as open questions.
    answer = await real.ask(question)
    assert answer.entry is None and answer.chatter, question
