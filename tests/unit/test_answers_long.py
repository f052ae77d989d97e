"""Long questions: a story of two or three sentences, then the question (round 39, helper f).
Each test was run once with its rule reverted and failed then. The questions are written for
these tests, not taken from the question sets."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import Analyzer, _story_theme, fold, office_slot_words, surface_words
from bot.answers.vocabulary import RELAY_QUESTION

# A gathering of the network that the story tells of is about another topic's subject: the
# theme is context, the question asks about the gathering.


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        ("Wir möchten einen ViR-Workshop ausrichten, Thema E-Akte.", "e-akte"),
        ("Im Plenum wurde ein Workshop zur XRechnung angekündigt.", "xrechnung angekuendigt"),
        # Up to the clause's end: the gathering after "und" is no theme.
        (
            "Wir haben Erfahrungen mit der E-Vergabe gesammelt und würden im Plenum berichten.",
            "der e-vergabe gesammelt",
        ),
        # Of what is shown, only what it is on: the project is the network's own word.
        ("Wir möchten im Plenum unser Projekt zur Smart-eID vorstellen.", "smart-eid"),
        (
            "Wir möchten im Workshop die eigene Terminbuchung vorstellen.",
            "die eigene terminbuchung",
        ),
    ],
)
def test_the_theme_of_a_gathering_is_cut_out_of_its_sentence(sentence: str, theme: str) -> None:
    # Fails without vocabulary.EVENT_THEME's alternatives, its clause end (_THEME_END) and
    # THEME_ON, in this order.
    assert [part for part, about in _story_theme(sentence) if about] == [theme]


def test_the_theme_is_context_and_no_subject_in_a_story_of_a_gathering() -> None:
    # Fails without the theme in text._focus_tokens: the E-Akte was a word of the question.
    a = Analyzer(surface_words(["E-Akte", "Workshop", "ausrichten", "Ablauf"]))
    query = a.query(
        "Wir möchten einen ViR-Workshop ausrichten, Thema E-Akte. Wie läuft das ab, und wen "
        "sprechen wir an?"
    )
    units = {u.surface: u for u in query.units}
    assert units["e-akte"].theme and units["e-akte"].context
    assert not units["vir-workshop"].theme
    # Only a story of the network's gathering has a theme: experiences with e-invoices told
    # before a question on them are the question's subject.
    query = a.query("Wir haben gute Erfahrungen mit der E-Akte. Wie läuft die Ablage ab?")
    assert not any(u.theme for u in query.units)


async def test_a_question_on_a_gathering_is_not_answered_by_its_theme(
    engine: AnswerEngine,
) -> None:
    # Fails without Unit.theme: the E-Vergabe of the story decided, and the entry on
    # learning the e-procurement platform answered (0.56).
    answer = await engine.ask(
        "Unser Bauamt möchte beim nächsten Workshop seine Erfahrungen mit der E-Vergabe "
        "vorstellen. Das haben wir noch nie gemacht. Wie läuft das ab?"
    )
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-thema-einbringen"
    # ... and the question's own subject still decides when it asks about the theme.
    answer = await engine.ask(
        "Im letzten Plenum wurde ein Workshop zur E-Rechnung angekündigt. Ab wann müssen wir "
        "als Gemeinde E-Rechnungen empfangen können?"
    )
    assert answer.topic is not None and answer.topic.id == "e-rechnung"


# One's own department, named by its kind and name, tells who asks, not what is asked.


def test_the_name_of_ones_own_department_is_an_office() -> None:
    # Fails without the third alternative of vocabulary.OFFICE_SLOT.
    assert office_slot_words("Unser Fachbereich Bürgerdienste möchte etwas vorstellen.") == {
        "buergerdienste"
    }
    assert office_slot_words("Unser Fachdienst Finanzen bucht die Rechnungen.") == {"finanzen"}
    # Only one's own: another department's name may be the subject.
    assert office_slot_words("Was macht ein Fachbereich Bürgerdienste?") == frozenset()


async def test_a_story_told_by_a_department_is_not_about_its_name(engine: AnswerEngine) -> None:
    # Fails without the office rule: "Bürgerdienste" (a word of many topics' entries) weighed
    # as the question's subject; the message was declined as a whole and its last sentences,
    # asked alone, got the entry on the network's organisation (0.50).
    answer = await engine.ask(
        "Unser Fachbereich Bürgerdienste möchte im nächsten Plenum die digitale Terminbuchung "
        "vorstellen. Das haben wir noch nie gemacht. Wie läuft das ab, und an wen wenden wir uns?"
    )
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-thema-einbringen"


# A question sentence that asks what to tell someone of the story asks the story's question.


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("Was kann ich dem Gemeinderat vorlegen?", " dem gemeinderat vorlegen"),
        ("Was soll ich ihr sagen?", " ihr sagen"),
        ("Was sollen wir dem Bieter antworten?", " dem bieter antworten"),
        # What it is told about is the subject: no relay.
        ("Was kann ich ihr über die Kosten sagen?", None),
        ("Was muss ich beim Antrag beachten?", None),
    ],
)
def test_a_relay_question_names_whom_it_is_told(sentence: str, told: str | None) -> None:
    # Fails without vocabulary.RELAY_QUESTION.
    m = RELAY_QUESTION.match(fold(sentence))
    assert (m.group("told") if m else None) == told


async def test_a_relay_question_is_answered_by_the_story_question(engine: AnswerEngine) -> None:
    # Fails without the relay in text._focus_tokens: "Bieter" of the question sentence weighed
    # fully and the entry on bidders' questions answered (0.53).
    answer = await engine.ask(
        "Ein Bieter fragt, ob er sein Angebot auch per E-Mail schicken darf. Was sollen wir dem "
        "Bieter antworten?"
    )
    assert answer.entry is not None and answer.entry.id == "e-vergabe-angebote-e-mail"
