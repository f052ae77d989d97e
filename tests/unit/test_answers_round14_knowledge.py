"""Issue 8, fourteenth round (knowledge from the misses of sets 14 and 15): no entry opens with a
bare "Ja." / "Nein." that only answers its own title question (a member asking the other way
round reads it as the wrong answer); the kinds of question the new entries answer find them,
the extended entries (the bot, the emergency manual) give the facts asked for, and private
questions on the same words stay declined. Phrasings written for this test, not taken from a
question set; without the round's knowledge every question of KINDS gets another entry or none."""

from __future__ import annotations

import re

from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, AnswerEngine
from bot.answers.loader import load
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

# A bare yes/no opening: "Ja.", "Nein,", "**Ja.**", "Yes:", "No –".
BARE_YES_NO = re.compile(r"^\**(?:ja|nein|yes|no)\b\**\s*[.,:;!–-]", re.I)

KINDS = [
    (
        "Wie lange darf die Ausweisbehörde Registerdaten nach Ablauf des Ausweises behalten?",
        "personalausweis-register",
    ),
    (
        "Muss das Personalausweisregister alte Einträge irgendwann löschen?",
        "personalausweis-register",
    ),
    (
        "Braucht eine unzuständige Ausweisbehörde eine Ermächtigung vom Wohnort?",
        "personalausweis-zustaendigkeit",
    ),
    (
        "Kann ein Bürger mit Hauptwohnung in einer anderen Stadt bei uns einen Personalausweis "
        "beantragen?",
        "personalausweis-zustaendigkeit",
    ),
    (
        "Ist Microsoft 365 in der Kommunalverwaltung datenschutzrechtlich problematisch?",
        "it-sicherheit-microsoft-365",
    ),
    ("Was hat die DSK zu Office 365 gesagt?", "it-sicherheit-microsoft-365"),
    (
        "Müssen wir das TLS-Zertifikat der Webseite bald häufiger tauschen?",
        "it-sicherheit-tls-zertifikate",
    ),
    ("Welche maximale Laufzeit haben SSL-Zertifikate ab 2027?", "it-sicherheit-tls-zertifikate"),
]

# Questions the extended entries answered without their fact: (question, entry, the fact).
EXTENDED = [
    (
        "Wer pflegt eigentlich die Antworten, die der Bot gibt?",
        "vir-nordwest-bot",
        "Die Koordination der ViR-Nordwest pflegt die Wissensbasis",
    ),
    ("Versteht der Bot englische Fragen?", "vir-nordwest-bot", "auf Deutsch oder Englisch"),
    (
        "Wie oft sollten wir eine Notfallübung für die IT machen?",
        "it-sicherheit-notfallhandbuch",
        "Tests und Übungen",
    ),
]

# Private questions and near misses that share words with the new entries: declined ("-").
PRIVATE = [
    ("Wie lösche ich mein privates Microsoft-Konto?", "-"),
    ("Welches Office-Paket ist am billigsten?", "-"),
    ("Mein Zertifikat vom Erste-Hilfe-Kurs ist abgelaufen, was nun?", "-"),
    # "Homepage" as a keyword of the certificate entry lifted this to 0.39; removed.
    ("Wie baue ich mir eine eigene Homepage?", "-"),
    ("Wo melde ich meinen Hauptwohnsitz um?", "-"),
    ("Wie lange speichert mein Fitnessstudio meine Daten?", "-"),
    ("Kann ich mir Pakete an die Packstation schicken lassen?", "-"),
    ("Wie oft muss ich mit dem Hund üben?", "-"),
]


def test_no_entry_opens_with_a_bare_yes_or_no() -> None:
    knowledge = load(DEFAULT_KNOWLEDGE_DIR)
    openings = [(e.id, e.body) for e in knowledge.entries]
    openings += [(e.id + " [en]", e.en.answer) for e in knowledge.entries if e.en]
    assert [i for i, text in openings if BARE_YES_NO.match(text.lstrip())] == []


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entries_give_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
