"""Issue 8, seventeenth round, knowledge author B (archive, ID card, IT security): the kinds of
question the new entries answer find them (the IT-Grundschutz profile for municipal
administrations, how many copies of digital archival data and where), the extended entries give
the fact asked for (NIS-2 for municipal utilities, a provisional ID card for a flight within the
EU, the surcharge at a non-responsible ID authority, the NDIG in Lower Saxony, formats of
existing scans, old media with civil-status data), and private questions on the same words stay
declined. Phrasings written for this test, not taken from a question set; without the round's
knowledge each question of KINDS gets another entry or none, and each of EXTENDED lacks its
fact."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

KINDS = [
    (
        "Für welche Verwaltungen ist das Grundschutz-Profil der Kommunen gemacht, und was "
        "regelt es?",
        "it-sicherheit-grundschutz-profil-kommune",
    ),
    (
        "Was steht zur Referenzarchitektur im kommunalen Grundschutz-Profil?",
        "it-sicherheit-grundschutz-profil-kommune",
    ),
    (
        "Wie viele Kopien des digitalen Archivbestands braucht ein Stadtarchiv, und wo sollen "
        "sie liegen?",
        "lza-kopien-standorte",
    ),
    (
        "Sollen die Kopien unseres Archivguts an getrennten Standorten liegen?",
        "lza-kopien-standorte",
    ),
]

# (question, entry, a fact the round added to that entry)
EXTENDED = [
    (
        "Muss sich unser Abwasserbetrieb wegen NIS-2 beim BSI registrieren?",
        "it-sicherheit-nis2",
        "50 Beschäftigten oder mehr als 10 Mio. Euro Jahresumsatz und Jahresbilanzsumme",
    ),
    (
        "Welche Meldefristen gelten für Abwasserbetriebe unter NIS-2?",
        "it-sicherheit-nis2",
        "Frühwarnung binnen 24 Stunden",
    ),
    (
        "Reicht der vorläufige Personalausweis für eine Flugreise in ein anderes EU-Land?",
        "personalausweis-vorlaeufig",
        "im Schengen-Raum als Identitätsdokument bei der Einreise",
    ),
    (
        "Ausweis verloren, Flug nach Mallorca in zwei Tagen – hilft ein vorläufiger Ausweis?",
        "personalausweis-vorlaeufig",
        "Reiseausweis als Passersatz",
    ),
    (
        "Was kostet es mehr, wenn jemand den Ausweis bei einer nicht zuständigen Behörde "
        "beantragt?",
        "personalausweis-zustaendigkeit",
        "**13 Euro**",
    ),
    (
        "Schreibt das NDIG in Niedersachsen einen Informationssicherheitsbeauftragten vor?",
        "it-sicherheit-isb",
        "Eine ausdrückliche Pflicht, einen ISB zu bestellen, steht in diesen Paragrafen nicht.",
    ),
    (
        "Gescannte Bauakten als JPEG: welches Format braucht das Archiv, und muss neu gescannt "
        "werden?",
        "lza-tr-resiscan",
        "für die Übernahme ins Archiv ist ein kompletter Neuscan also nicht zwingend",
    ),
    (
        "Disketten mit Daten vom Standesamt im Keller – was ist zu beachten?",
        "lza-alte-datentraeger",
        "Standesamt und Datenschutzbeauftragte beteiligen",
    ),
]

# Private questions and near misses that share words with the new facts: declined ("-").
PRIVATE = [
    ("Wie viele Sicherungskopien meiner Urlaubsfotos sollte ich machen?", "-"),
    ("Welcher Reiseveranstalter fliegt am günstigsten nach Spanien?", "-"),
    ("Wie oft muss ich meine Kläranlage im Garten warten lassen?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entries_give_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
