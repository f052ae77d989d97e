"""Issue 8, seventeenth round, knowledge author A (e-vergabe, e-rechnung, 115, the network): the
kinds of question the new entries answer find them (a bidder who cannot register or a platform
outage during a tender, asking a bidder for missing documents, dialling 115 without an area code
from a mobile phone), the extended entries give the fact asked for (a municipality in Lower Saxony
can demand e-invoices in its own awards; the topic areas of the network's workshops), and private
questions on the same words stay declined. Phrasings written for this test, not taken from a
question set; without the round's knowledge each question of KINDS gets another entry or none,
and each of EXTENDED lacks its fact."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

KINDS = [
    (
        "Ein Unternehmen scheitert an der Registrierung auf unserer E-Vergabe-Plattform – wer ist "
        "zuständig?",
        "e-vergabe-plattform-stoerung",
    ),
    (
        "Unser Vergabeportal war am Tag vor Angebotsschluss stundenlang nicht erreichbar – "
        "was tun?",
        "e-vergabe-plattform-stoerung",
    ),
    (
        "Ein Bieter hat eine Bescheinigung vergessen, fordern wir die nach?",
        "e-vergabe-nachforderung",
    ),
    ("Darf man Preise im Angebot nachfordern, wenn sie fehlen?", "e-vergabe-nachforderung"),
    ("Ruft man die Behördennummer vom Smartphone mit Ortsvorwahl an?", "115-vorwahl"),
    ("Brauche ich für die 115 im Mobilfunknetz eine Vorwahl?", "115-vorwahl"),
]

# Questions the extended entries answered without their fact: (question, entry, the fact).
EXTENDED = [
    (
        "Können wir in Niedersachsen Lieferanten per Auftrag zur elektronischen Rechnung "
        "verpflichten?",
        "e-rechnung-niedersachsen",
        "bei Vergaben die Einreichung elektronischer Rechnungen einzufordern",
    ),
    (
        "Gibt es im Netzwerk feste Arbeitskreise, und zu welchen Themen?",
        "vir-nordwest-treffen-unterjaehrig",
        "Beim Plenum 2015 arbeiteten die Workshops zu sechs Themen",
    ),
]

# Private questions and near misses that share words with the new entries: declined ("-").
PRIVATE = [
    ("Mein Handy hat kein Netz, welche Vorwahl muss ich wählen?", "-"),
    ("Der Onlineshop war gestern nicht erreichbar, wie bekomme ich mein Geld zurück?", "-"),
    ("Kann ich bei meinem Sportverein in eine Arbeitsgruppe?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entries_give_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
