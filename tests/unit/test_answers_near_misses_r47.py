"""Issue 8, forty-seventh round: set 48's answered chit-chat and near misses, by kind, and two
asides that were forwarded. Each was answered from a neighbouring entry or passed on:

- a greeting to everyone with nothing else ("Guten Morgen in die Runde": "Runde" met the
  KoSIT entry's "rund"), the bot asked its name ("Hast du eigentlich einen Namen?": "Namen"
  met the Emotet entry), the bot tried ("ich teste nur mal kurz, ob hier jemand antwortet",
  set 21: the testbed's entry) — chit-chat, whatever words of the topics they share
  (vocabulary.GREETING_TO_ALL, BOTS_NAME, TRYING_THE_BOT);
- one's own household bill from the town's utility ("meine Stromrechnung bei den
  Stadtwerken"): the "stadt" of "Stadtwerke" read as a municipal subject and kept it
  (text.private_setting);
- a curse after the interrogative ("was zum Geier is xdomea?"): "Geier", a word no entry has,
  sank the answer below the threshold (text._IDIOMS);
- a market by its own name after "Und privat:" ("der Lamberti-Markt") was forwarded
  (vocabulary.EVERYDAY_LIFE).

Every question below is written for this test (none is in a question set). Each case of the
first lists was answered or forwarded on the code before the round (checked on the tree before
it); the KEPT cases name the same things and keep their answer (the precision guard)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import private_setting, strip_chatter
from tests.unit import test_answers_intent as intent
from tests.unit.aside_checks import assert_declined_as_aside

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

CHATTER = [
    "Guten Morgen in die Runde",
    "Moin moin zusammen!",
    "Hallo an alle!",
    "Hast du eigentlich einen Namen?",
    "Sag mal, wie heißt du eigentlich?",
    "Hallo, ich probiere nur mal aus, ob hier jemand antwortet.",
    "Habt ihr dem Bot einen Namen gegeben?",
    "Ich teste, ob du antwortest",
]

# Members' questions with the same words: answered.
KEPT = [
    ("Guten Morgen, wie beantrage ich eine Leitweg-ID?", "e-rechnung-leitweg-id-beantragen"),
    ("Hast du einen Namen für die Leitweg-ID-Stelle bei uns?", None),
    ("Wir testen gerade, ob das Backup funktioniert. Wie oft sollten wir das tun?", None),
    ("Müssen die Stadtwerke E-Rechnungen empfangen können?", None),
    # The bot's name or a try beside a question on the topics (review REVIEW-47-code: the
    # round's first version made each whole message chit-chat, never forwarded).
    (
        "Für unsere E-Vergabe-Plattform suchen wir einen Anbieter aus der Region. "
        "Hast du einen Namen?",
        None,
    ),
    ("Ich teste mal, ob du funktionierst: Was ist ein ISMS?", None),
    ("Wie heißt du, und kannst du mir sagen, was eine XRechnung ist?", None),
]


async def test_a_name_asked_for_the_first_questions_matter_is_passed_on(
    real: AnswerEngine,
) -> None:
    # "da" is what the first question asked about: a name for it, no chit-chat (review
    # REVIEW-47-code).
    answer = await real.ask(
        "Wer ist beim Land für die Leitweg-ID zuständig? Hast du da einen Namen?"
    )
    assert answer.entry is not None
    assert [part for part, _ in answer.unanswered] == ["Hast du da einen Namen?"]


@pytest.mark.parametrize("message", CHATTER)
async def test_a_greeting_to_all_or_the_bots_name_is_chatter(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is None
    assert answer.chatter


@pytest.mark.parametrize(("question", "entry"), KEPT)
async def test_a_members_question_on_the_same_words_keeps_its_answer(
    real: AnswerEngine, question: str, entry: str | None
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and not answer.chatter and not answer.private
    if entry is not None:
        assert answer.entry.id == entry


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Kann ich meine Stromrechnung bei den Stadtwerken per Lastschrift begleichen?", True),
        ("Meine Stromrechnung von den Stadtwerken ist zu hoch, was tun?", True),
        # the office speaking of the bill it processes, or a bill sent to the utility (review
        # REVIEW-47-code: the first version declined these as private)
        (
            "Ich mache die Buchhaltung der Kläranlage: meine Stromrechnung von den Stadtwerken "
            "kommt nur als PDF, müssen wir eine XRechnung verlangen?",
            False,
        ),
        (
            "Meine Abschlagsrechnung an die Stadtwerke als Lieferant: brauche ich eine Leitweg-ID?",
            False,
        ),
        (
            "Als Handwerker: muss meine Handwerkerrechnung an die Stadtwerke eine XRechnung sein?",
            False,
        ),
    ],
)
def test_ones_own_bill_from_the_towns_utility_is_private(text: str, private: bool) -> None:
    assert private_setting(text) is private


async def test_a_household_bill_from_the_utility_is_declined_as_private(
    real: AnswerEngine,
) -> None:
    answer = await real.ask("Kann ich meine Stromrechnung bei den Stadtwerken in Raten zahlen?")
    assert answer.entry is None and answer.private


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("was zum Geier ist xdomea?", "was  ist xdomea?"),
        ("Wie in aller Welt beantrage ich eine Leitweg-ID?", "Wie  beantrage ich eine Leitweg-ID?"),
        ("what the hell is an ISMS?", "what  is an ISMS?"),
        # not after an interrogative: no curse; "hell" after a German "wie" is bright
        ("Ist der Geier ein geschützter Vogel?", "Ist der Geier ein geschützter Vogel?"),
        ("Wie hell muss das Passfoto sein?", "Wie hell muss das Passfoto sein?"),
    ],
)
def test_a_curse_after_the_interrogative_is_no_subject(text: str, kept: str) -> None:
    assert strip_chatter(text) == kept


async def test_a_cursed_question_finds_its_entry(real: AnswerEngine) -> None:
    plain = await real.ask("was ist xdomea und brauchen wir das für die Abgabe ans Archiv?")
    cursed = await real.ask(
        "was zum geier ist xdomea und brauchen wir das für die Abgabe ans Archiv?"
    )
    assert plain.entry is not None
    assert cursed.entry is not None and cursed.entry.id == plain.entry.id


async def test_a_named_market_after_und_privat_is_declined(real: AnswerEngine) -> None:
    await assert_declined_as_aside(
        real,
        "Wie lange müssen wir E-Rechnungen aufbewahren?",
        "Und privat: wann macht eigentlich der Gallimarkt in Leer auf?",
    )
    await assert_declined_as_aside(
        real,
        "Was ist die 115?",
        "Und privat: weißt du, wann der Lamberti-Markt in Oldenburg öffnet?",
    )


@pytest.mark.parametrize(
    "later",
    [
        "Und gilt das für den ganzen EU-Markt?",
        # any "-markt" is no fair (review REVIEW-47-code)
        "Und wie groß ist der Cloud-Markt in Deutschland?",
    ],
)
async def test_a_market_of_goods_is_no_fair(real: AnswerEngine, later: str) -> None:
    answer = await real.ask(f"Was ist eine Markterkundung? {later}")
    assert answer.entry is not None
    assert answer.off_topic_parts == ()


# A good place to eat asked for after a question on a network event, "für danach" or "nach dem
# Plenum": one's own outing (vocabulary.EVENT_TIME), declined like one asked after any other
# question (sets 44, 46, 47, 48: forwarded; their judges rated those replies "partly" or "no").
TASTE_AFTER_AN_EVENT = [
    ("Wann ist das nächste Plenum?", "PS: Kennst du ein gemütliches Café in Walle für danach?"),
    (
        "Wie melde ich mich für den Workshop an?",
        "Und weißt du ein gutes Restaurant in Oldenburg für nach dem Workshop?",
    ),
    (
        "Wo werden die Workshop-Ergebnisse veröffentlicht?",
        "Ach, und wo kann man in Cloppenburg gut zu Mittag essen?",
    ),
    (
        "Wie viele Leute kommen zum Plenum?",
        "Nebenbei: hast du einen Tipp für ein gutes Fischrestaurant in Cuxhaven?",
    ),
    # the town's centre decides nothing (review REVIEW-47-code)
    ("Was ist XRechnung?", "Und wo gibt es in der Oldenburger Innenstadt eine gute Pizzeria?"),
    ("Wann ist das Plenum?", "Und wo kann man in der Fußgängerzone gut essen?"),
]

# The event's own meal and company stay forwarded (review r39e).
EVENTS_OWN_MEAL = [
    ("Wann ist das Plenum?", "Und gibt es danach ein gutes Restaurant für alle Teilnehmer?"),
    ("Wann ist das Plenum?", "Und wo essen wir nachher gemeinsam gut?"),
    ("Was ist das Plenum?", "Und wo kann man dort mittags gut essen?"),
]


@pytest.mark.parametrize(("first", "later"), TASTE_AFTER_AN_EVENT)
async def test_a_place_to_eat_after_an_event_is_declined(
    real: AnswerEngine, first: str, later: str
) -> None:
    await assert_declined_as_aside(real, first, later)


@pytest.mark.parametrize(("first", "later"), EVENTS_OWN_MEAL)
async def test_the_events_own_meal_is_still_forwarded(
    real: AnswerEngine, first: str, later: str
) -> None:
    answer = await real.ask(f"{first} {later}")
    assert answer.entry is not None
    assert answer.off_topic_parts == ()
