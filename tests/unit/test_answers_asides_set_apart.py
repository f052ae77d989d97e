"""Issue 8, forty-fourth round: a later part set apart at its start by "PS:" or "Und privat:"
(vocabulary.ASIDE_OPENING) that names a thing of another field is declined as off the topics,
as one after "Übrigens" or "Ganz andere Frage" was already (engine ``AnswerEngine._off_topic_part``
with ``_other_field``: nouns the knowledge base does not know and that are common German words
by their frequency, wordfreq, so no list of everyday things is needed). Set 45's "Und privat:
Wo kann man in Leer gut Fisch essen gehen?" was forwarded to the coordination as an open
question: fish is on no list of everyday things, and "Und privat:" was no change of subject for
that rule. Each case of DECLINED was forwarded before the round.

KEPT is the precision guard: parts after "PS:" on the topics, on the office's work or on a
network event, with nouns the knowledge base lacks ("Checkliste", "Teeküche", "Rabatt"); each
is forwarded, covered or answered, as before the round."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

DECLINED = [
    (
        "Welche Metadaten brauchen wir mindestens, wenn wir Ratsprotokolle digital archivieren?",
        "Und privat: Wo kann man in Leer gut Fisch essen gehen?",
    ),
    ("Was ist ZUGFeRD?", "Und privat: Welches Auto soll ich mir kaufen?"),
    ("Was ist die BundID?", "Und privat: Wo kann man in Jever schön spazieren gehen?"),
    ("Was ist TR-ESOR?", "PS: Wann beginnt der Weihnachtsmarkt in Oldenburg?"),
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
]


async def test_a_thing_of_another_field_set_apart_by_ps_or_privat_is_declined(
    real: AnswerEngine,
) -> None:
    for first, later in DECLINED:
        answer = await real.ask(f"{first} {later}")
        assert answer.entry is not None, first
        assert answer.off_topic_parts == (later,), later
        assert later not in [text for text, _ in answer.unanswered], later
        assert later not in answer.answered_questions, later


async def test_parts_set_apart_on_the_topics_or_the_offices_work_are_kept(
    real: AnswerEngine,
) -> None:
    for first, later in KEPT:
        answer = await real.ask(f"{first} {later}")
        assert answer.off_topic_parts == (), later
        assert answer.entry is not None, first
