"""Issue 8, forty-fourth round: a later part set apart as the member's own by "Und privat:"
(vocabulary.SUBJECT_CHANGED) that names a thing of another field is declined as off the topics,
as one after "Übrigens" or "Ganz andere Frage" was already (``asides.off_topic_part``
with ``_other_field``: nouns the knowledge base does not know and that are common German words
by their frequency, wordfreq, so no list of everyday things is needed). Set 45's "Und privat:
Wo kann man in Leer gut Fisch essen gehen?" was forwarded to the coordination as an open
question: fish is on no list of everyday things, and "Und privat:" was no change of subject for
that rule. Each case of DECLINED was forwarded before the round.

A bare "PS:" is no change of subject for that rule: it often adds to the first question. The
round's first version read it as one, and a review (103 own messages and 44 probes) found ten
on-topic parts it declined: they are PS_ADDS_TO_THE_FIRST, each declined by that version and
forwarded or answered now. KEPT are further parts on the topics, the office's work or a network
event with nouns the knowledge base lacks ("Checkliste", "Teeküche", "Rabatt")."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import fold
from bot.answers.vocabulary import ASIDE_OPENING
from tests.unit import test_answers_intent as intent
from tests.unit.aside_checks import assert_declined_as_aside

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

DECLINED = [
    (
        "Welche Metadaten brauchen wir mindestens, wenn wir Ratsprotokolle digital archivieren?",
        "Und privat: Wo kann man in Leer gut Fisch essen gehen?",
    ),
    ("Was ist ZUGFeRD?", "Und privat: Welches Auto soll ich mir kaufen?"),
    ("Was ist die BundID?", "Und privat: Wo kann man in Jever schön spazieren gehen?"),
    # The review's.
    ("Was ist digitale Langzeitarchivierung?", "Und privat: Wann blühen die Tulpen?"),
    ("Was ist ZUGFeRD?", "Privat: Wo kann man in Oldenburg gut Fisch essen?"),
]

# Declined by the round's first version, which read "PS:" as a change of subject (review r44).
PS_ADDS_TO_THE_FIRST = [
    (
        "Wie funktioniert Zwei-Faktor-Authentifizierung?",
        "PS: Was, wenn jemand sein Handy im Urlaub verliert?",
    ),
    (
        "Welche Fristen gelten bei einer öffentlichen Ausschreibung?",
        "PS: Verlängert sich die Frist über Weihnachten?",
    ),
    (
        "Welche Fristen gelten bei einer öffentlichen Ausschreibung?",
        "PS: Verlängert sich die Frist in den Sommerferien?",
    ),
    ("Darf ein Bieter uns etwas schenken?", "PS: Was ist mit einer Flasche Wein zu Weihnachten?"),
    ("Darf ein Bieter uns etwas schenken?", "PS: Darf man Blumen annehmen?"),
    ("Darf ein Bieter uns etwas schenken?", "PS: Was ist mit Essen auf einer Messe?"),
    ("Welche Fristen gelten bei einer öffentlichen Ausschreibung?", "PS: Verfällt die Frist?"),
    (
        "Welche Fristen gelten bei einer öffentlichen Ausschreibung?",
        "PS: Verfällt die Frist am Wochenende?",
    ),
    ("Was ist ZUGFeRD?", "PS: Wo bestellen wir die Pizza für die Weihnachtsfeier?"),
    ("Wie funktioniert eine Direktvergabe?", "PS: Wie bestellen wir Kaffee für die Kantine?"),
]

KEPT = [
    ("Wie beantrage ich eine Leitweg-ID?", "PS: Gibt es eine Checkliste für Neulinge?"),
    ("Wie beantrage ich eine Leitweg-ID?", "PS: Wer ist mein Ansprechpartner beim Land?"),
    (
        "Wie lange dauert die Ausstellung eines Personalausweises?",
        "PS: Kann man den Termin auch online buchen?",
    ),
    ("Brauchen wir eine Awareness-Schulung?", "PS: Muss der Personalrat zustimmen?"),
    ("Brauchen wir eine Awareness-Schulung?", "PS: Kann man die Schulung auch online machen?"),
    ("Was ist die 115?", "PS: Gilt das auch für Gehörlose?"),
    ("Wie archivieren wir E-Mails?", "PS: Was ist mit Fotos und Videos?"),
    (
        "Was kostet die Mitgliedschaft in der ViR-Nordwest?",
        "PS: Gibt es einen Rabatt für kleine Gemeinden?",
    ),
    ("Wann ist das nächste Plenum?", "PS: Gibt es Parkplätze vor Ort?"),
    ("Wie funktioniert die E-Vergabe?", "PS: Welche Software brauchen Bieter?"),
    ("Wie erkenne ich Phishing?", "PS: Gibt es ein Poster für die Teeküche?"),
    ("Wie sichern wir Backups?", "PS: Reicht eine externe Festplatte?"),
    ("Was ist ZUGFeRD?", "PS: Nimmt die Kämmerei auch Papierrechnungen?"),
    ("Wie melde ich mich zum Plenum an?", "Und privat: Gibt es dort Parkplätze?"),
]


async def test_a_thing_of_another_field_after_und_privat_is_declined(
    real: AnswerEngine,
) -> None:
    for first, later in DECLINED:
        await assert_declined_as_aside(real, first, later)


async def test_parts_after_ps_on_the_topics_or_the_offices_work_are_kept(
    real: AnswerEngine,
) -> None:
    for first, later in PS_ADDS_TO_THE_FIRST + KEPT:
        answer = await real.ask(f"{first} {later}")
        assert answer.off_topic_parts == (), later
        assert answer.entry is not None, first
        # Forwarded or answered, never dropped.
        forwarded = later in [text for text, _ in answer.unanswered]
        assert forwarded or later in answer.answered_questions, later


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("PS: Wo gibt es Fisch?", True),
        ("P.S. Wo gibt es Fisch?", True),
        ("Und PS: Wo gibt es Fisch?", True),
        ("Ach und PS: Wo gibt es Fisch?", True),
        ("PPS: Wo gibt es Fisch?", True),
        ("Und privat: Wo gibt es Fisch?", True),
        # Horsepower is no postscript (review r44).
        ("Wie hoch ist die PS-Zahl des Dienstwagens?", False),
        ("PS-Zahl egal?", False),
    ],
)
def test_a_postscript_opens_an_aside_but_horsepower_does_not(text: str, opens: bool) -> None:
    assert bool(ASIDE_OPENING.search(fold(text))) is opens
