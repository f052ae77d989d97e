"""Issue 8, fifteenth round, knowledge author A (e-vergabe, e-rechnung, 115, the network): the
kinds of question the new entries answer find them (changing or merging procurement platforms,
the EEE, the 115 network's documents and bodies), the extended entries give the fact asked for
(computing the Leitweg-ID's check digit, a ZUGFeRD BASIC invoice rejected, the first steps to
accept only electronic bids, who may come to the plenum), and private questions on the same
words stay declined. Phrasings written for this test, not taken from a question set; without the
round's knowledge each question of KINDS gets another entry or none, and each of EXTENDED lacks
its fact."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

KINDS = [
    (
        "Was passiert mit den Vergabeakten, wenn wir den Anbieter der Vergabeplattform wechseln?",
        "e-vergabe-plattform-wechsel",
    ),
    (
        "Wir ziehen alle Vergaben auf eine gemeinsame Plattform um – was ist mit laufenden "
        "Verfahren?",
        "e-vergabe-plattform-wechsel",
    ),
    ("Wo bekommen 115-Teilnehmer Zugang zum Teamraum?", "115-teilnehmer-unterlagen"),
    ("Welche Arbeitsgruppen gibt es im 115-Verbund?", "115-teilnehmer-unterlagen"),
    ("Reicht die EEE als Eignungsnachweis im EU-Verfahren?", "e-vergabe-eee"),
    (
        "Ersetzt die Einheitliche Europäische Eigenerklärung die Nachweise endgültig?",
        "e-vergabe-eee",
    ),
]

# Questions the extended entries answered without their fact: (question, entry, the fact).
EXTENDED = [
    (
        "Wie wird die Prüfziffer einer Leitweg-ID konkret berechnet?",
        "e-rechnung-leitweg-id",
        "04011000-1234512345-06",
    ),
    (
        "Eine ZUGFeRD-Rechnung im Profil BASIC wird von unserem Eingangsportal abgelehnt – "
        "was nun?",
        "e-rechnung-zugferd",
        "lehnt die Prüfung der Behörde sie ab",
    ),
    (
        "Wir wollen künftig ausschließlich elektronische Angebote – was sollten wir zuerst "
        "erledigen?",
        "e-vergabe-einfuehrung",
        "Nur noch elektronische Angebote annehmen",
    ),
    (
        "Dürfen auch Sachbearbeiter aus den Fachämtern am Plenum teilnehmen?",
        "vir-nordwest-plenum-teilnahme",
        "auch an die Fachleute aus den Ämtern",
    ),
]

# Private questions and near misses that share words with the new entries: declined ("-").
PRIVATE = [
    ("Wie wechsle ich meinen Stromanbieter?", "-"),
    ("Wo bekomme ich Plakate für unser Dorffest?", "-"),
    ("Welche Arbeitsgruppen gibt es in unserem Sportverein?", "-"),
    ("Wie ziehe ich meine Fotos auf eine neue Festplatte um?", "-"),
    ("Wie melde ich mich für den Volkshochschulkurs an?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entries_give_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
