"""Issue 8, eleventh round (knowledge from the misses of sets 10 to 12): the kinds of question
the new and corrected entries answer find them, the corrected NTVergG value is the one of § 2
NTVergG, and private questions on the same words stay declined. Phrasings written for this
test, not taken from a question set."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

# One engine per test, not per question: each engine indexes the whole knowledge base.
KINDS = [
    (
        "Kann der Ehemann den fertigen Personalausweis seiner Frau abholen?",
        "personalausweis-abholung-vollmacht",
    ),
    (
        "Wie bereiten wir einen Notbetrieb vor, wenn alle Computer im Rathaus ausfallen?",
        "it-sicherheit-notbetrieb",
    ),
    (
        "Wie arbeiten wir weiter, wenn das Rechenzentrum tagelang ausfällt?",
        "it-sicherheit-notbetrieb",
    ),
    (
        "Gibt es zwischen den Plenen Arbeitsgruppen der ViR-Nordwest?",
        "vir-nordwest-treffen-unterjaehrig",
    ),
    ("Trifft sich das Netzwerk auch unterjährig?", "vir-nordwest-treffen-unterjaehrig"),
    ("Ab welchem Auftragswert muss das NTVergG angewendet werden?", "e-vergabe-ntvergg"),
]

# Private questions that share words with the new entries: declined ("-").
PRIVATE = [
    ("Kann meine Nachbarin mein Paket bei der Post abholen?", "-"),
    ("Mein Laptop zu Hause ist kaputt, wie arbeite ich weiter?", "-"),
    ("Mein Sportverein trifft sich auch zwischen den Turnieren, wie organisiere ich das?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []


async def test_ntvergg_value_is_that_of_section_2(real: AnswerEngine) -> None:
    # Set 12's judges found 10,000 euros; § 2 Abs. 1 NTVergG in force says 20,000 euros.
    answer = await real.ask("Ab welchem Auftragswert muss das NTVergG angewendet werden?")
    assert answer.entry is not None
    assert "20.000 Euro" in answer.entry.body and "10.000" not in answer.entry.body
    assert answer.entry.en is not None and "20,000 euros" in answer.entry.en.answer
