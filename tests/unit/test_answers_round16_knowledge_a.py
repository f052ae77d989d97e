"""Issue 8, sixteenth round, knowledge author A (e-vergabe, e-rechnung, 115, the network): the
kinds of question the new entries answer find them (an XRechnung without the order number, what
the Land's e-invoice intake costs a municipality), the extended entry gives the fact asked for
(who takes the 115 calls of a municipality without its own service centre), and private
questions on the same words stay declined. Phrasings written for this test, not taken from a
question set; without the round's knowledge each question of KINDS gets another entry or none,
and the question of EXTENDED lacks its fact."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

KINDS = [
    (
        "Muss eine E-Rechnung an die Stadt zwingend eine Bestellnummer enthalten?",
        "e-rechnung-bestellnummer",
    ),
    (
        "Unser Programm lehnt XRechnungen ohne Bestellreferenz ab – ist die denn Pflicht?",
        "e-rechnung-bestellnummer",
    ),
    ("Wie teuer ist der Anschluss unserer Gemeinde an ZeRN?", "e-rechnung-zern-kosten"),
    ("Was verlangt IT.N von einer Kommune für die ePoststelle?", "e-rechnung-zern-kosten"),
]

# Questions the extended entry answered without its fact: (question, entry, the fact).
EXTENDED = [
    (
        "Wer nimmt die 115-Anrufe an, wenn eine Kommune kein Servicecenter betreibt?",
        "115-gemeinsames-servicecenter",
        "auf Grundlage einer Vereinbarung an das Servicecenter des Partners",
    ),
]

# Private questions and near misses that share words with the new entries: declined ("-").
PRIVATE = [
    ("Mein Paket kam ohne Bestellnummer, was mache ich jetzt?", "-"),
    ("Was kostet der Glasfaseranschluss für mein Haus?", "-"),
    ("Wer nimmt bei uns zu Hause die Anrufe an, wenn ich im Urlaub bin?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entry_gives_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
