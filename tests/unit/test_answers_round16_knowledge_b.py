"""Issue 8, sixteenth round, knowledge author B (archive, ID card, IT security): a question
whether a municipality may hand its digital archiving to a provider, and who then stays
responsible for the archival records, finds the new entry `lza-dienstleister` (§ 7 NArchG,
Art. 28 GDPR); a question whether council minutes on a hard disk are archived finds
`lza-speichern-kein-archiv` (new phrasing); private phones for official mail (BYOD) find the
new `it-sicherheit-privatgeraete`; private questions on the same words stay declined.
Phrasings written for this test, not taken from a question set; without the round's knowledge
each question of KINDS gets another entry or none."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

KINDS = [
    (
        "Darf ein privates Rechenzentrum unser Archivgut im Auftrag speichern – wer trägt dann "
        "die Verantwortung?",
        "lza-dienstleister",
    ),
    (
        "Bleibt die Kommune für ihr Archivgut verantwortlich, wenn ein externer Anbieter das "
        "Archivsystem betreibt?",
        "lza-dienstleister",
    ),
    (
        "Dürfen wir den Betrieb unserer elektronischen Archivierung einem Dienstleister "
        "übertragen?",
        "lza-dienstleister",
    ),
    ("Can our town let a company run its digital archive?", "lza-dienstleister"),
    (
        "Reicht es, die Ratsprotokolle der letzten Jahrzehnte auf eine Festplatte zu legen?",
        "lza-speichern-kein-archiv",
    ),
    (
        "Welche Regeln brauchen wir, wenn Beschäftigte private Smartphones dienstlich nutzen "
        "wollen?",
        "it-sicherheit-privatgeraete",
    ),
]

# Private questions and near misses that share words with the new entry: declined ("-").
PRIVATE = [
    ("Darf ich meine Urlaubsfotos bei einer Firma archivieren lassen?", "-"),
    ("Wer haftet, wenn mein Umzugsunternehmen Kisten verliert?", "-"),
    ("Darf ich meine Fotos bei einem Cloud-Anbieter auslagern?", "-"),
    ("Wie lege ich meine Steuerunterlagen auf einer Festplatte ab?", "-"),
    ("Welches private Handy ist gerade am günstigsten?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
