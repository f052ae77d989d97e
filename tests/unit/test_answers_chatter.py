"""Chatter and questions on the bot itself: "what can you do?" reaches the entry on the bot,
chit-chat with the bot and test messages are chatter (declined, not forwarded), and a subject
named after "can you" is what is asked.
Each test names the rule it checks and was run once with its rule reverted and failed then (where
its comment names the reverted code, that is what was reverted). The questions are written for
these tests, not taken from the question sets. The tests come from the retrieval rounds of
issue 8 (seventh to nineteenth); the measurements are in docs/answer-quality.md, in each round's
section."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import asks_what_the_bot_can

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    "question",
    [
        "Hallo Bot, was kannst du denn so alles?",
        "Wobei kannst du uns eigentlich helfen?",
        "What can you do?",
        "Was weiß der Bot denn alles?",
        "Speichert dieser Chatbot meine Fragen?",
    ],
)
async def test_a_question_on_the_bot_itself_reaches_the_entry_on_the_bot(
    engine: AnswerEngine, question: str
) -> None:
    # Fails without text.asks_what_the_bot_can (a question of filler words only: chit-chat,
    # 0.0) and without keeping "Bot" after a definite article ("bot" was filler everywhere,
    # so even the entry's own phrasing "was weiß der bot eigentlich alles" scored 0.0).
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-bot"


@pytest.mark.parametrize(
    "question",
    [
        "Bist du ein Mensch oder ein Bot?",
        "Kannst du mir ein Hotel in Hamburg empfehlen?",
        "Kannst du mir einen Witz erzählen?",
    ],
)
async def test_chit_chat_with_the_bot_stays_declined(engine: AnswerEngine, question: str) -> None:
    # "ein Bot" (indefinite) stays filler; only "was kannst du ..." with nothing else asked is
    # a question on the bot. (With "bot" removed from the filler words, the first was answered
    # from the entry on the bot at 0.76.)
    assert (await engine.ask(question)).entry is None


async def test_a_subject_named_after_can_you_is_what_is_asked(engine: AnswerEngine) -> None:
    answer = await engine.ask("Was kannst du mir über die E-Rechnung sagen?")
    assert answer.topic is not None and answer.topic.id == "e-rechnung"
    answer = await engine.ask("Bot, was ist eine Leitweg-ID?")
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"


@pytest.mark.parametrize("message", ["Test 1 2 3", "hallo, nur ein test", "Testnachricht 42"])
async def test_a_test_message_is_chatter(engine: AnswerEngine, message: str) -> None:
    # Found through set 19 after its measure: "test" is a keyword (penetration tests), so a
    # member trying the bot got an IT-security answer. Not forwarded either.
    answer = await engine.ask(message)
    assert answer.entry is None and answer.chatter


@pytest.mark.parametrize(
    "message", ["Hallo, ich teste dich mal eben kurz.", "Nur ein Test, bitte ignorieren"]
)
async def test_trying_the_bot_in_words_is_chatter(engine: AnswerEngine, message: str) -> None:
    # Round 46 (set 44's "ich teste dich nur mal kurz" got the entry on the testbed): "teste",
    # "kurz", "ignorieren" are test words too. A question on testing keeps its answer.
    answer = await engine.ask(message)
    assert answer.entry is None and answer.chatter
    answer = await engine.ask("Wie testen wir die Wiederherstellung unserer Backups?")
    assert answer.entry is not None


# Nineteenth round: asked colloquially or from the member's side (text._CAN_YOU). Own
# phrasings, none taken from a question set.
@pytest.mark.parametrize(
    "question",
    [
        "Wat kannste so?",
        "Moin, watt machste hier eigentlich?",
        "Was sollte ich dich denn fragen?",
        "Was darf ich dich alles fragen?",
        "Was kann man dich fragen?",
        "Was können wir Sie fragen?",
        "What can I ask you?",
        "Hey, wat kannste so? Was darf man dich fragen?",
    ],
)
async def test_a_colloquial_or_members_side_question_on_the_bot_reaches_its_entry(
    engine: AnswerEngine, question: str
) -> None:
    # Only filler and stop words ("wat", "kannste", "dich", "fragen"): chit-chat at 0.0 before
    # (and "What can I ask you?" got a procurement entry at 0.53).
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-bot"


@pytest.mark.parametrize(
    "message",
    [
        "Wie kannste nur?",
        "Wie kannst du das wissen?",
        "Was machste gerade?",
        "Was machst du gerade?",
    ],
)
def test_a_reproach_or_small_talk_in_the_second_person_is_no_question_on_the_bot(
    message: str,
) -> None:
    # Review REVIEW-19, 7: any stop word after the verb counted as "nothing else asked", so
    # these got the bot's self-description; now only words of asking what it can may follow.
    assert not asks_what_the_bot_can(message)


def test_a_subject_after_asking_the_bot_is_no_question_on_the_bot() -> None:
    # These guard the check of what follows the verb (they also held before the rule, which
    # matched none of these forms): a named subject is what is asked.
    assert not asks_what_the_bot_can("Was kann ich dich zur E-Rechnung fragen?")
    assert not asks_what_the_bot_can("Wat kannste mir über die 115 sagen?")
    assert not asks_what_the_bot_can("Was soll ich dich fragen, wie das Wetter wird?")


async def test_a_subject_after_asking_the_bot_is_what_is_answered(engine: AnswerEngine) -> None:
    answer = await engine.ask("Wat kannste mir über die 115 sagen?")
    assert answer.topic is not None and answer.topic.id == "service-center-115"


@pytest.mark.parametrize(
    "message",
    [
        "Hi, pleased to meet you.",
        "Nice to meet you!",
        # The German forms were declined but not chit-chat, so passed on to the coordination
        # as open questions; fail without the German alternatives in text._GREETING.
        "Schön, Sie kennenzulernen!",
        "Freut mich, dich kennenzulernen!",
        "Hallo, freut mich!",
    ],
)
async def test_a_social_formula_is_chatter(engine: AnswerEngine, message: str) -> None:
    # Found through set 27's measure: "Hello, nice to meet you!" was answered with the
    # network's meetings ("meet"). Fails without the formula in text._GREETING (0.41, answered).
    answer = await engine.ask(message)
    assert answer.entry is None and answer.chatter


async def test_a_question_after_a_social_formula_is_answered(engine: AnswerEngine) -> None:
    # The guard of the rule above: the formula is cut, the question after it stays.
    answer = await engine.ask("Nice to meet you! When does the plenum take place?")
    assert answer.topic is not None and answer.topic.id == "vir-nordwest"


async def test_a_question_after_a_german_social_formula_is_answered(engine: AnswerEngine) -> None:
    answer = await engine.ask("Freut mich, Sie kennenzulernen. Wann ist das nächste Plenum?")
    assert answer.topic is not None and answer.topic.id == "vir-nordwest"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # "blick" weighed as a subject the entry had to name: declined before.
        ("pdf/a-2 oder pdf/a-3 fürs archiv? blick da echt nich durch", "lza-pdf-a"),
        # "Plan" outweighed OAIS: declined before.
        ("OAIS? null Plan was das sein soll", "lza-oais"),
        # "Lehrgang" and "gehört" outweighed OAIS: declined before.
        ("OAIS – hab ich auf dem Lehrgang gehört. Kurz erklärt?", "lza-oais"),
        # "blicken" as the subject: declined before.
        (
            "wann is dat nächste plenum? würde mich da gern mal blicken lassen",
            "vir-nordwest-plenum-ort",
        ),
    ],
)
async def test_a_chat_idiom_is_no_subject(engine: AnswerEngine, question: str, entry: str) -> None:
    # Rule: text._IDIOMS in strip_chatter (idioms of not knowing or coming along, an
    # interjection, where one heard of it). Each was declined with its pattern removed.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


@pytest.mark.parametrize("message", ["Ich blick da nich durch", "null Plan", "Was ist 3 mal drei?"])
async def test_an_idiom_alone_or_arithmetic_in_words_is_chatter(
    engine: AnswerEngine, message: str
) -> None:
    # An idiom leaves nothing to answer; a number word is an operand (text._OPERAND). Before,
    # "Ich blick da nich durch" got the entry on the procurement rules (0.72).
    answer = await engine.ask(message)
    assert answer.entry is None and answer.chatter


@pytest.mark.parametrize(
    "text",
    [
        # The idiom's words with their own meaning (review REVIEW-33-code, M1-M3).
        "Gibt es für die Umstellung auf die E-Akte keinen Plan?",
        "Was tun, wenn kein Plan für den IT-Notfall vorliegt?",
        "Warum läuft der Check nicht durch?",
        "Warum klappt der Barrierefreiheits-Check nicht?",
        "Wann reicht der IT-Grundschutz-Check nicht mehr aus?",
        "Alter: ab wann gibt es den Personalausweis?",
        "Was habe ich bei der Übergabe gelesen?",
    ],
)
def test_words_of_an_idiom_stay_where_they_mean_something(text: str) -> None:
    from bot.answers.text import strip_chatter

    assert strip_chatter(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Leitweg-ID? keine Ahnung, wo wir die herbekommen",
        "Transport-PIN, keinen Plan wie das geht",
        "Ich hab keinen Plan, was eine Leitweg-ID ist",
    ],
)
def test_no_clue_before_the_question_is_an_idiom(text: str) -> None:
    from bot.answers.text import strip_chatter

    stripped = strip_chatter(text).lower()
    assert "plan" not in stripped and "ahnung" not in stripped


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("PIN 3x falsch eingegeben", "PIN dreimal falsch eingegeben"),
        ("schon 2-mal versucht", "schon zweimal versucht"),
        # The particle "mal" and arithmetic keep their digits (REVIEW-33-code, M4).
        ("Kannst du mir Art. 3 mal erklären?", "Kannst du mir Art. 3 mal erklären?"),
        ("Was ist 3 mal drei?", "Was ist 3 mal drei?"),
        ("Was ist 3x4?", "Was ist 3x4?"),
        ("2-3x im Jahr", "2-3x im Jahr"),
    ],
)
def test_times_written_as_a_digit_are_the_word(text: str, words: str) -> None:
    # Rule: text.times_in_words.
    from bot.answers.text import times_in_words

    assert times_in_words(text) == words


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Declined before (0.42): "termin verschwitzt" was read as part of the question.
        ("wann ist das nächste plenum? hab den termin verschwitzt", "vir-nordwest-plenum-ort"),
        # Declined before (0.38): "kollegen stöhnen" weighed as the subject.
        (
            "brauchen wir echt zwei-faktor für alles? die kollegen stöhnen schon",
            "it-sicherheit-zwei-faktor",
        ),
    ],
)
async def test_a_remark_after_the_question_is_context(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # Rule: text._remarks_apart (a lower-case remark after "?" is a sentence of its own, and
    # so context). Each was declined with it reverted.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


async def test_a_remark_naming_the_thing_stays_with_the_question(engine: AnswerEngine) -> None:
    # Guards the knowledge-base-word check of text._remarks_apart (it passes without the rule
    # too): with every lower-case remark split off, "smart-eid" became context and the
    # question got the entry on NFC problems.
    answer = await engine.ask("geht der perso auch aufs handy? hab was von smart-eid gehört")
    assert answer.entry is not None and answer.entry.id == "personalausweis-smart-eid"


@pytest.mark.parametrize(
    "question",
    [
        # A private remark stays with the question (review REVIEW-34-code, M1: split off, the
        # first two were answered from the MFA entry, the third from the passwords entry).
        "brauchen wir zwei-faktor? für meinen privaten laptop",
        "brauchen wir echt zwei-faktor? für mein privates handy",
        "wie sicher ist das passwort? für mein privates mailkonto",
        # A remark naming another field's subject is context, and the question alone is too
        # vague to answer (these two were declined before the rule too: they guard it).
        "was kostet das? also für die hundesteuer",
        "was kostet der antrag? für den angelschein",
    ],
)
async def test_a_private_or_foreign_remark_keeps_the_question_declined(
    engine: AnswerEngine, question: str
) -> None:
    assert (await engine.ask(question)).entry is None


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        (
            "Gilt das auch für den ganzen E-Rechnungs-Kram?",
            "Gilt das auch für den ganzen E-Rechnungs?",
        ),
        ("muss ich den ausschreibungskram machen?", "muss ich den ausschreibungs machen?"),
        ("wie les ich so'n XML-Ding?", "wie les ich so'n XML?"),
        ("wer macht das Vergabe-Gedöns?", "wer macht das Vergabe?"),
        ("ist das nur EU-Zeugs?", "ist das nur EU?"),
        # Words of their own keep their ending.
        ("Gilt das für Fahrzeuge und Werkzeug?", "Gilt das für Fahrzeuge und Werkzeug?"),
        ("Welche Bedingung gilt für das Fahrzeug-Ding?", "Welche Bedingung gilt für das Fahrzeug?"),
        ("Was ist ein Fahrzeug?", "Was ist ein Fahrzeug?"),
    ],
)
def test_a_stuff_tail_names_its_head(text: str, stripped: str) -> None:
    # Rule: text._STUFF_TAIL ("der E-Vergabe-Kram" is e-procurement).
    from bot.answers.text import strip_chatter

    assert strip_chatter(text) == stripped


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Declined before (0.30 and 0.31): the tail weighed as an unknown subject.
        ("welche arbeitsgruppe kümmert sich um das e-rechnungs-gedöns?", "vir-nordwest-themen"),
        ("ab wann gilt der e-rechnungs-kram für uns?", "e-rechnung-pflicht-kommunen"),
    ],
)
async def test_a_question_on_a_thing_called_stuff_is_answered(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # Rule: text._STUFF_TAIL; each was declined with it reverted.
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


async def test_where_one_heard_the_word_is_no_subject(engine: AnswerEngine) -> None:
    # Rule: the "heard it in" idiom of text._IDIOMS, also without "ich" and with "im"/"beim":
    # "meeting" and "gehört" weighed as the subject and the question was declined (0.17).
    answer = await engine.ask("sag mal, was isn eine leitweg-id? hab das wort im meeting gehört")
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # vocabulary.CHAT_WORDS: "zickt" is a fault ("Störung"), "lütt" small, "olle" old;
        # each was declined (0.22, 0.20, 0.13) when the words were respelt or unknown.
        (
            "die vergabeplattform zickt seit heute früh, was machen wir mit der frist?",
            "e-vergabe-plattform-stoerung",
        ),
        ("dürfen wir für die lütte gemeinde nen direktauftrag machen?", "e-vergabe-direktauftrag"),
        ("wat is olle xrechnung 2.0, gilt die noch?", "e-rechnung-xrechnung"),
        # With round 35b's knowledge (the Smart-eID entry answers "fake?"); declined before.
        (
            "kann man den perso jetz aufm handy haben oder is das fake?",
            "personalausweis-smart-eid",
        ),
    ],
)
async def test_chat_and_low_german_words_are_their_standard_word(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        # Code review of round 35: each was answered by a first version of the rules.
        "Wie reduzieren wir den Papierkram in der Verwaltung?",  # not "Papier"
        "Wir heizen das Archiv noch mit Kohle, ist das für die Akten ok?",  # coal, not money
    ],
)
async def test_words_of_their_own_stay_what_they_are(engine: AnswerEngine, question: str) -> None:
    assert (await engine.ask(question)).entry is None


async def test_what_was_heard_is_no_idiom(engine: AnswerEngine) -> None:
    # "Habe im Fernsehen gehört, die sei gehackt" says what was heard: the question stays
    # answered (code review of round 35: the widened idiom declined it).
    answer = await engine.ask(
        "Wie sicher ist die Online-Ausweisfunktion? Habe im Fernsehen gehört, die sei gehackt."
    )
    assert answer.entry is not None and answer.entry.id == "personalausweis-eid-sicherheit"


@pytest.mark.parametrize(
    ("question", "word"),
    [
        # vocabulary.GERMAN_FILLER: chat "isn" ("ist ein") weighed as an unknown subject;
        # without it as filler this was declined (0.31).
        ("jo, was isn eine leitweg-id? hab das wort im meeting gehört und nur genickt", "isn"),
    ],
)
async def test_chat_spellings_of_stop_words_are_filler(
    engine: AnswerEngine, question: str, word: str
) -> None:
    units = {u.surface for u in engine._state.analyzer.query(question).units}
    assert word not in units
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"


async def test_a_day_count_between_two_dates_is_arithmetic(engine: AnswerEngine) -> None:
    # Round 46 (set 40's day count was answered from the e-invoicing duty's dates): the months
    # are operands, not subjects. With a word of the topics it stays a question on them.
    answer = await engine.ask("Wie viele Tage liegen zwischen dem 3. März und dem 20. Mai?")
    assert answer.entry is None and answer.chatter
    answer = await engine.ask(
        "Wie viele Tage liegen zwischen dem 3. März und dem 20. Mai bei der Angebotsfrist?"
    )
    assert not answer.chatter
