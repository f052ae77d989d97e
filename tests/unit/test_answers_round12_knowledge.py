"""Issue 8, twelfth round (knowledge from the misses of sets 11 to 13): the kinds of question
the new entries answer find them, and private questions on the same words stay declined.
Phrasings written for this test, not taken from a question set; without the new entries
every question of KINDS gets another entry or none."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

real = intent.real  # the engine on the real knowledge base (fixture)

# One engine per test, not per question: each engine indexes the whole knowledge base.
KINDS = [
    (
        "Zwei Malerbetriebe bieten als Arbeitsgemeinschaft an – wer lädt das Angebot hoch?",
        "e-vergabe-bietergemeinschaft",
    ),
    (
        "Wie schnell müssen wir einem abgelehnten Bieter auf Nachfrage die Gründe nennen?",
        "e-vergabe-unterlegene-bieter",
    ),
    ("Muss das billigste Angebot gewinnen?", "e-vergabe-unterlegene-bieter"),
    (
        "Dürfen Verhandlungen in der Verhandlungsvergabe mündlich geführt werden?",
        "e-vergabe-kommunikation-muendlich",
    ),
    (
        "Die Rechnungsplattform sagt, unsere Leitweg-ID sei ungültig",
        "e-rechnung-leitweg-id-fehler",
    ),
    (
        "Kann ein Heimbewohner ohne gültigen Personalausweis bleiben?",
        "personalausweis-befreiung-ausweispflicht",
    ),
    (
        "Ist der Personalausweis nach einer Scheidung mit neuem Namen noch gültig?",
        "personalausweis-namensaenderung",
    ),
    (
        "Welche Unterlagen braucht ein Jugendlicher für den ersten Ausweis?",
        "personalausweis-erstantrag",
    ),
    ("Welcher Messenger ist für Beschäftigte einer Kommune erlaubt?", "it-sicherheit-messenger"),
    (
        "Was bewirkt meine Bewertung mit 👎 bei einer Antwort des Bots?",
        "vir-nordwest-bot-rueckmeldung",
    ),
    (
        "Wird der alte Personalausweis bei der Ausgabe des neuen entwertet?",
        "personalausweis-alten-abgeben",
    ),
    ("Wie erstellt ein Kommunalarchiv ein Dokumentationsprofil?", "lza-bewertung"),
    (
        "Mitarbeiter erhalten Antworten auf alte Mails mit Word-Anhang – Schadsoftware?",
        "it-sicherheit-emotet",
    ),
]

# Private questions that share words with the new entries: declined ("-").
PRIVATE = [
    ("Meine Schwester heiratet im Mai, was schenke ich ihr?", "-"),
    ("Mein Opa zieht ins Pflegeheim, was kostet das im Monat?", "-"),
    ("Was verlangt die Sparkasse an Papieren für ein Darlehen?", "-"),
    ("Bis wann gilt der Kinderpass meiner Tochter noch?", "-"),
    ("Wie teuer ist ein Reisepass für meinen Urlaub?", "-"),
    ("Wo bekomme ich eine neue Geburtsurkunde für mich?", "-"),
    ("Ist WhatsApp sicher für meine Familie?", "-"),
    # Thanks with a thumbs-up is chit-chat, not a question on rating the bot's answers.
    ("Super, das war hilfreich, vielen Dank 👍", "-"),
    ("Daumen hoch für die schnelle Antwort!", "-"),
    ("Mein Opa hat seinen alten Ausweis noch in der Schublade, ist das schlimm?", "-"),
    ("Wie bewerte ich meinen alten Gebrauchtwagen?", "-"),
    ("Ich habe auf meinem privaten Laptop komische Mails bekommen, habe ich einen Virus?", "-"),
    ("Wie lege ich in Outlook Ordner für meine Urlaubsmails an?", "-"),
]


async def test_new_kinds_of_question_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, KINDS) == []


async def test_private_questions_on_the_same_words_stay_declined(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRIVATE) == []
