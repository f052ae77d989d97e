"""Issue 8, fifteenth round, knowledge (b): archive, ID card and IT security. The misses of sets
9-16 and the questions municipal staff typically ask showed facts no entry had: closure periods
of archival records, reading old floppies and CD-ROMs, where servers belong, who appoints the
information security officer, what a security policy contains, whether multi-factor login is a
legal duty, where the IT-Grundschutz Compendium is, when records must be offered to the archive
and whether a municipality needs an archive statute, what to do with a found ID card, from what
age the online ID works and how validity and fee change at 24. Phrasings written for this test,
not taken from a question set; without the round's knowledge every question of KINDS gets
another entry or none, and every fact of EXTENDED is missing."""

from __future__ import annotations

from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, AnswerEngine
from bot.answers.loader import load
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import missing_facts, wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

# New entries: the kinds of question they answer find them.
KINDS = [
    (
        "Ab wann darf ein Doktorand Akten aus unserem Stadtarchiv über verstorbene Personen "
        "nutzen?",
        "lza-schutzfristen",
    ),
    ("Auf alten CD-ROMs im Bauamt liegen Pläne – wie lesen wir die aus?", "lza-alte-datentraeger"),
    (
        "Braucht das Rathaus für seine Server einen eigenen Raum mit USV?",
        "it-sicherheit-serverraum",
    ),
]

# Questions the extended entries answered (or an entry of the topic answered) without the fact:
# (question, entry, the fact now in its body).
EXTENDED = [
    (
        "Wer muss in der Stadtverwaltung den Informationssicherheitsbeauftragten ernennen?",
        "it-sicherheit-isb",
        "**Wer bestellt den ISB?** Die Leitung der Verwaltung",
    ),
    (
        "Welche Punkte gehören in unsere Informationssicherheitsleitlinie?",
        "it-sicherheit-leitlinie-kommune",
        "**Was in die Leitlinie gehört**",
    ),
    (
        "Ist Mehr-Faktor-Anmeldung für Kommunen gesetzlich vorgeschrieben?",
        "it-sicherheit-zwei-faktor",
        "Eine allgemeine gesetzliche Pflicht",
    ),
    (
        "Wo lädt man das IT-Grundschutz-Kompendium herunter?",
        "it-sicherheit-grundschutz",
        "kostenlos auf seiner Website bereit (bsi.bund.de",
    ),
    (
        "Bis wann müssen Akten spätestens dem Archiv angeboten werden?",
        "lza-anbietungspflicht",
        "spätestens 30 Jahre nach der letzten inhaltlichen Bearbeitung",
    ),
    ("Braucht unsere Gemeinde eine Archivsatzung?", "lza-anbietungspflicht", "**Archivsatzung**"),
    (
        "Der Bürger hat seinen als verloren gemeldeten Ausweis wiedergefunden – was muss er tun?",
        "personalausweis-verlust",
        "§ 27 Abs. 1 Nr. 3 PAuswG",
    ),
]

# Facts added to entries that already answer: the entry's own title question now carries them.
FACTS = [
    ("personalausweis-eid-aktivierung", "erst ab 16 Jahren"),
    ("personalausweis-eid-aktivierung", "116 116"),
    ("personalausweis-gueltigkeit", "§ 6 Abs. 3 PAuswG"),
    ("lza-schutzfristen", "10 Jahre nach dem Tod"),
]

# Private questions and near misses that share words with the new text: declined ("-").
PRIVATE = [
    ("Wie lange halten DVDs mit meinen Urlaubsfotos?", "-"),
    ("Mein Minecraft-Server zu Hause wird zu heiß, was tun?", "-"),
    ("Wann darf ich das Tagebuch meiner Oma lesen?", "-"),
    ("Ich habe meinen Schlüsselbund wiedergefunden.", "-"),
    ("Wie richte ich Zwei-Faktor für mein privates Instagram ein?", "-"),
    ("Welche Satzung braucht unser Sportverein?", "-"),
    ("Wo kann ich Spiele kostenlos herunterladen?", "-"),
    # "Geburtstag" in the validity paragraph answered a birthday-poem request; reworded.
    ("Schreib mir ein Gedicht zum Geburtstag meines Chefs.", "-"),
    # "BSI-Seite" in the Compendium paragraph lifted a printer question over the threshold.
    ("Der Kopierer zieht keine Seiten mehr ein, wen rufe ich an?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_extended_entries_give_the_fact_asked_for(real: AnswerEngine) -> None:
    assert await wrong_entries(real, [(q, entry_id) for q, entry_id, _ in EXTENDED]) == []
    assert await missing_facts(real, EXTENDED) == []


def test_entries_carry_the_added_facts() -> None:
    bodies = {e.id: e.body for e in load(DEFAULT_KNOWLEDGE_DIR).entries}
    assert [(i, f) for i, f in FACTS if f not in bodies.get(i, "")] == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
