"""A story followed by a short evaluative question that names nothing ("Ist das noch
aktuell?", "Ist das Betrug?", "Geht das so?"): the question judges the story, so the story's
everyday things the knowledge base decides by (a password, a mail) decide the entry (round 40,
helper e). The questions are written for these tests, not taken from the question sets; each
answered one was declined or answered from another entry before the round."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.loader import TOPIC_IDS
from bot.answers.text import evaluates_story

from .conftest import entry_of

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    ("message", "judges"),
    [
        ("Der Chef will, dass wir das Passwort alle 90 Tage ändern. Ist das noch aktuell?", True),
        ("Eine Mail vom Bürgermeister will Gutscheine. Ist das Betrug?", True),
        ("Die Kollegen teilen sich ein Passwort. Stimmt das so?", True),
        ("Wir scannen die Bauakten und vernichten sie. Geht das so?", True),
        ("Das Passwort hat nur acht Zeichen. Reicht das?", True),
        ("Der Chef will, dass wir das Passwort alle 90 Tage ändern. Muss das sein?", True),
        ("Der Chef will, dass wir das Passwort alle 90 Tage ändern. Ist das erlaubt?", True),
        # No story before it: nothing to judge.
        ("Ist das noch aktuell?", False),
        # A question with a subject of its own, or a longer one, is no bare judgement.
        ("Der Chef will neue Passwörter. Ist das DSGVO-konform?", False),
        ("Der Chef will neue Passwörter. Wie oft sollten wir sie ändern?", False),
        # A private story (one's own things or home), a club's or one's own people's.
        ("Mein Nachbar will, dass ich mein WLAN-Passwort ändere. Ist das nötig?", False),
        ("Unser Verein will, dass alle das Passwort alle 90 Tage ändern. Ist das aktuell?", False),
        ("Mein Zahnarzt hat den Termin per Mail abgesagt. Ist das normal?", False),
        # "soll" and "Darf man das?" judge too; "man" with a question of its own does not.
        ("Der Chef will, dass wir das Passwort alle 90 Tage ändern. Soll das so sein?", True),
        ("Der Kollege leitet dienstliche Mails an sein Gmail-Konto weiter. Darf man das?", True),
        ("Der Chef will neue Passwörter. Darf man dort parken?", False),
        # One's workplace is no private story.
        ("Meine Chefin will, dass wir das Passwort jeden Monat ändern. Ist das sinnvoll?", True),
    ],
)
def test_a_short_evaluative_question_after_a_story_judges_it(message: str, judges: bool) -> None:
    # Fails without text.evaluates_story (vocabulary.EVALUATIVE_QUESTION, OWN_NON_WORK).
    assert evaluates_story(message) is judges


STORIES_ANSWERED = [
    # The password rules: regular changes without cause are no longer recommended.
    (
        "Der Chef will, dass wir das Passwort alle 90 Tage ändern. Ist das noch aktuell?",
        "it-sicherheit-passwoerter",
    ),
    (
        "Der Chef schreibt das Passwort auf einen Zettel am Monitor. Ist das schlimm?",
        "it-sicherheit-passwoerter",
    ),
    # The password, not the archive's specialist procedures (before the round).
    (
        "Der Kämmerer will, dass alle dasselbe Passwort für das Fachverfahren nutzen. Geht das so?",
        "it-sicherheit-passwoerter",
    ),
    # "Soll das so sein?" judges as "Sollte das so sein?" does.
    (
        "Der Chef will, dass wir das Passwort alle 90 Tage ändern. Soll das so sein?",
        "it-sicherheit-passwoerter",
    ),
    # The boss scam: a mail and gift cards ("Gutscheine": the knowledge base's
    # "Gutscheinkarten", vocabulary.THING_SYNONYMS).
    (
        "Ich habe eine Mail vom Bürgermeister bekommen, ich soll dringend Gutscheine "
        "kaufen. Ist das Betrug?",
        "it-sicherheit-ceo-fraud",
    ),
]


async def test_the_story_decides_what_the_evaluative_question_asks(engine: AnswerEngine) -> None:
    # Fails without the story's things freed in Analyzer.query (text.evaluates_story).
    for question, expected in STORIES_ANSWERED:
        assert await entry_of(engine, question) == expected, question


STORIES_WITH_OWN_SUBJECT = [
    # The knowledge base's own words stay decisive: "Geschenkkarten" is no everyday word
    # (a synonym group of GENERAL_SYNONYMS would have made it one).
    (
        "In der Kämmerei kam eine Mail der Amtsleitung an, wir sollen sofort Geschenkkarten "
        "besorgen und die Codes schicken. Ist das echt?",
        "it-sicherheit-ceo-fraud",
    ),
    (
        "Unser Hausmeister klebt das Passwort für den Server unter die Tastatur. Ist das okay?",
        "it-sicherheit-passwoerter",
    ),
    # A story with a word of the topics of its own behaves as before (the test below checks
    # its topic: the entry was a near tie of two wrong ones, the online function's history
    # before round 41 and the lost card's after; the validity entry is wanted, see
    # docs/answer-quality.md "Still weak").
    ("Mein Sohn sagt, sein Perso läuft ab. Stimmt das?", "personalausweis"),
    (
        "Ein Bieter hat sein Angebot per Mail statt über die Vergabeplattform geschickt. "
        "Ist das zulässig?",
        "e-vergabe-angebote-e-mail",
    ),
]


async def test_stories_with_their_own_subject_keep_their_answer(engine: AnswerEngine) -> None:
    for question, expected in STORIES_WITH_OWN_SUBJECT:
        answer = await engine.ask(question)
        got = answer.entry.id if answer.entry else "-"
        if expected in TOPIC_IDS:
            got = answer.topic.id if answer.topic and answer.entry else "-"
        assert got == expected, question


STORIES_DECLINED = [
    # Private: one's own WLAN, bank, household, cat.
    "Mein Nachbar will, dass ich mein WLAN-Passwort ändere. Ist das nötig?",
    "Meine Bank schickt mir eine Mail, ich soll mein Passwort bestätigen. Ist das Betrug?",
    "Meine Oma bekommt Mails, sie soll Gutscheine kaufen. Ist das Betrug?",
    "Meine Katze hat einen Virus. Ist das schlimm?",
    # A club's password is no office's (vocabulary.HOUSEHOLD).
    "Unser Verein will, dass alle Mitglieder das Passwort alle 90 Tage ändern. "
    "Ist das noch aktuell?",
    # Off the topics.
    "Die Kantine hat jetzt vegane Gerichte. Ist das gut?",
    "Mein Chef will, dass ich am Wochenende arbeite. Ist das erlaubt?",
    "Der Bürgermeister will neue Dienstwagen kaufen. Muss das sein?",
    "Der Hausmeister hat eine Mail zum Grillfest geschickt. Ist das eine gute Idee?",
    # Mails, but no entry names what is done with them (sending to all citizens is not
    # archiving them): engine._misses_practice.
    "Der Bürgermeister will die Mails an alle Bürger verschicken. Geht das so?",
]


async def test_private_and_off_topic_stories_stay_declined(engine: AnswerEngine) -> None:
    # The club's and the mass mail's fail without their rules (HOUSEHOLD in evaluates_story,
    # engine._misses_practice); the others guard the freed things.
    for question in STORIES_DECLINED:
        assert await entry_of(engine, question) == "-", question


@pytest.mark.parametrize(
    "question",
    [
        # "per" only carries the told thing "Mail": no subject of the story's own that would
        # switch off engine._misses_practice (THING_CARRIERS), and the story's own thing is
        # one the knowledge base decides nothing by (leave requests, a Christmas party).
        "Der Chef will, dass wir Urlaubsanträge per Mail stellen. Reicht das?",
        "Der Chef will die Gutscheine für die Weihnachtsfeier per Mail verschicken. Geht das so?",
        "Die Personalstelle will Dienstpläne via Mail verteilen. Ist das okay?",
        # "per" alone switched the practice check off (answered from personalausweis-ozg-bundid).
        "Der Chef will das Passwort per Mail verschicken. Geht das so?",
    ],
)
async def test_a_thing_sent_per_mail_is_no_subject_of_the_story(
    engine: AnswerEngine, question: str
) -> None:
    # Fails without THING_CARRIERS and the story's undecided thing in engine._misses_practice
    # (the first was answered from e-vergabe-angebote-e-mail, the second from ceo-fraud).
    assert await entry_of(engine, question) == "-"


async def test_words_of_the_question_are_no_practice_of_the_story(engine: AnswerEngine) -> None:
    # Fails without "u.surface not in asked" in engine._misses_practice: "sicher" is what is
    # asked, not what is done with the mails (answered from it-sicherheit-privatgeraete).
    question = "Der Bürgermeister will die Mails an alle Bürger verschicken. Ist das sicher?"
    assert await entry_of(engine, question) == "-"


@pytest.mark.parametrize(
    "question",
    [
        "Ein Bürger bezahlt seine Gebühren mit einem Gutschein. Geht das so?",
        "Ein Bürger bezahlt seine Gebühren mit einem Gutschein. Ist das okay?",
        "Ein Bürger bezahlt seine Gebühren mit einem Gutschein.",
        "Was ist ein Gutschein?",
    ],
)
async def test_gift_card_synonyms_hold_only_where_a_story_s_things_decide(
    engine: AnswerEngine, question: str
) -> None:
    # Fails without the THING_SYNONYMS concepts dropped in Analyzer.query when no story's
    # thing decides (the first three were answered from 115-verbund).
    assert await entry_of(engine, question) == "-"


async def test_a_colleague_s_virus_is_no_computer_virus(engine: AnswerEngine) -> None:
    # A virus decides only on a computer (VIRUS_WORDS), also in a judged story.
    question = "Der Kollege hat ein Virus erwischt und liegt im Bett. Ist das schlimm?"
    assert await entry_of(engine, question) == "-"
