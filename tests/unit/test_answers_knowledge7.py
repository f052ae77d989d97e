"""Issue 8, seventh round (knowledge for e-vergabe, 115, e-rechnung, vir-nordwest): the kinds of
question the new and extended entries answer find them, and private questions on the same
words stay declined. Phrasings written for this test, not taken from a question set."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)

# One engine per test, not per question: each engine indexes the whole knowledge base.
KINDS = [
    (
        "Wie viele Tage müssen wir nach dem Versand der Vorabinformation warten?",
        "e-vergabe-wartefrist",
    ),
    (
        "Ist eine Registerabfrage beim Bundeskartellamt auch bei kleinen Aufträgen nötig?",
        "e-vergabe-wettbewerbsregister",
    ),
    ("Welche Frist hat ein Bieter für eine Rüge?", "e-vergabe-nachpruefung"),
    ("Bekommen alle Bieter die Antwort auf eine Bieterfrage zu sehen?", "e-vergabe-bieterfragen"),
    (
        "Zählt beim Schwellenwert die ganze Vertragslaufzeit oder nur ein Jahr?",
        "e-vergabe-auftragswert",
    ),
    ("Darf die Leistungsbeschreibung einen Markennamen nennen?", "e-vergabe-produktneutral"),
    ("Nimmt die 115 Anträge entgegen?", "115-leistungsumfang"),
    ("Bekommt man bei der 115 auch Auskunft auf Englisch?", "115-sprachen"),
    (
        "Müssen wir PDF-Rechnungen von Lieferanten noch annehmen?",
        "e-rechnung-pdf-ablehnen",
    ),
    ("Müssen wir die XML-Datei einer XRechnung archivieren?", "e-rechnung-aufbewahrung"),
    ("Wie bringen wir einen Erfahrungsbericht ins Plenum ein?", "vir-nordwest-thema-einbringen"),
]

# Private questions built from the new entries' own terms: declined ("-"). (Two questions
# that shared no term with them were replaced in the eighth round, review REVIEW-7 T6.)
PRIVATE = [
    ("Wie lange hebe ich meine privaten Handwerkerrechnungen auf?", "-"),
    ("Muss ich als Privatperson die PDF-Rechnung meines Handwerkers annehmen?", "-"),
    ("Kann ich über die 115 meinen privaten Stromvertrag kündigen?", "-"),
    ("Wie lange bindet mich mein Angebot beim Autoverkauf?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
