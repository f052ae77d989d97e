"""Issue 8, third round: e-procurement practice, the members' own situations, specific cases
and everyday words find their entry and answer it directly, on the real knowledge base (each
case missed before)."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from bot.answers.text import question_shape
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_subject import wrong_entries

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

real = intent.real  # the engine on the real knowledge base (fixture)


# One engine per test, not per question: each engine indexes the whole knowledge base.
PRACTICE = [
    # Before: the entry on signatures of e-invoices (another topic).
    ("Braucht ein elektronisches Angebot eine Unterschrift?", "e-vergabe-angebote-textform"),
    # Before: the rules for construction, or which regime applies.
    (
        "Müssen wir unterhalb der EU-Schwelle elektronisch ausschreiben?",
        "e-vergabe-uvgo-elektronisch",
    ),
    (
        "Ab wann müssen wir bei kleinen Aufträgen elektronisch vergeben?",
        "e-vergabe-uvgo-elektronisch",
    ),
    # Before: which regime applies (everyday words for a construction contract).
    (
        "Wir wollen eine Turnhalle sanieren lassen, Auftragswert 800.000 Euro. "
        "Nach welchen Regeln?",
        "e-vergabe-bauleistungen",
    ),
    # The specific case gets its own entry, not the general one (the service promise).
    ("Wann ist die 115 in Bremen erreichbar?", "115-bremen"),
    # Everyday words: before declined, or the town's security guideline.
    ("Was muss man blechen, um bei der 115 dabei zu sein?", "115-teilnahme-kosten"),
    (
        "Unsere Kollegin im Bürgerbüro fragt, ob die 115 auch am Samstag erreichbar ist.",
        "115-serviceversprechen",
    ),
    ("Wer ist bei uns für die Informationssicherheit zuständig?", "it-sicherheit-isb"),
    # The separable verb says what is asked: cancel, not register (before: registration).
    ("Wie melde ich mich vom Plenum ab?", "vir-nordwest-plenum-abmelden"),
    # Who: the members and the operator, not how it is organised or what XRechnung is.
    ("Wer sind die Mitglieder der ViR-Nordwest?", "vir-nordwest-mitglieder"),
    ("Wer betreibt die ZRE?", "e-rechnung-zre-ozg-re"),
    # Set 2, judged "no" / "partly" before: e-mail archiving for the duty to offer records,
    # trainings for where to start, the plenum's place for how to sign up.
    (
        "Wann müssen elektronische Unterlagen dem Archiv angeboten werden?",
        "lza-anbietungspflicht",
    ),
    ("Wie fangen wir mit Informationssicherheit an?", "it-sicherheit-wiba"),
    ("How do I sign up for the next plenum?", "vir-nordwest-plenum-anmeldung"),
    # What it is good for (before: what the 115 is, what a call costs).
    ("Würde uns die Behördennummer helfen?", "115-nutzen"),
    (
        "Unsere Telefonzentrale ist völlig überlastet, weil jeden Tag hunderte Bürger "
        "anrufen. Ein Kollege hat von der 115 erzählt. Würde uns das entlasten?",
        "115-nutzen",
    ),
    # "zuerst" says what is asked (first steps), it is no subject that entries on first
    # steps in an emergency share (before: declined, the two topics too close).
    (
        "Was müssen wir als Gemeinde zuerst tun, um E-Rechnungen annehmen zu können?",
        "e-rechnung-kommunen",
    ),
    # "ist weg" is lost, not the way an invoice is sent (before: declined).
    ("Meine PUK ist weg, was nun?", "personalausweis-puk-can"),
    # Receiving by e-mail is a channel (before: what an e-invoice is).
    ("Können wir E-Rechnungen auch per E-Mail empfangen?", "e-rechnung-uebermittlung"),
    # Colloquial joining (before: calling the 115 from abroad).
    ("Wie kommen wir bei der Behördennummer rein?", "115-teilnahme"),
]


async def test_practice_questions_find_their_entry(real: AnswerEngine) -> None:
    assert await wrong_entries(real, PRACTICE) == []


DIRECT = [
    # Before: answered as a neighbouring question ("Dazu passt am ehesten ...").
    ("Wo sehe ich, welche Veranstaltungen es gibt?", "vir-nordwest-plenum-anmeldung"),
    ("Müssen wir für die Mitgliedschaft im Netzwerk zahlen?", "vir-nordwest-kosten"),
    (
        "Reicht es, wenn der Bieter seinen Namen unter das Angebot tippt?",
        "e-vergabe-angebote-textform",
    ),
]


async def test_member_situations_are_answered_directly(real: AnswerEngine) -> None:
    answers = [(await real.ask(question), entry) for question, entry in DIRECT]
    assert [
        a.question for a, entry in answers if a.entry is None or a.entry.id != entry or not a.direct
    ] == []


def test_separable_verbs_say_register_or_cancel() -> None:
    assert "cancel" in question_shape("Wie melde ich mich vom Plenum ab?").kinds
    assert "register" in question_shape("Wie melde ich mich zum Plenum an?").kinds
    assert "cancel" not in question_shape("Welche Angebote gibt es ab 2020?").kinds


def test_benefit_and_colloquial_joining_are_kinds_of_question() -> None:
    assert "benefit" in question_shape("Was bringt uns das?").kinds
    assert "join" in question_shape("Wie kommen wir als Kommune an die 115 ran?").kinds


def test_paying_asks_for_a_cost() -> None:
    assert "cost" in question_shape("Müssen wir dafür zahlen?").kinds
    assert "cost" in question_shape("Was bezahlt eine Kommune?").kinds
    assert "cost" not in question_shape("Wie hoch ist die Zahl der Mitglieder?").kinds


async def test_a_question_without_question_mark_is_the_sentence_that_asks(
    real: AnswerEngine,
) -> None:
    # Not the last sentence ("Sie ist 30."), but the one that asks.
    query = real.features("Wie lange gilt der Ausweis für Erwachsene. Sie ist 30.")
    assert query.focus_text == "Wie lange gilt der Ausweis für Erwachsene."
    assert (
        await intent.entry_of(real, "Wie lange gilt der Ausweis für Erwachsene. Sie ist 30.")
        == "personalausweis-gueltigkeit"
    )


async def test_a_sentence_lent_to_a_short_question_does_not_end_its_reference(
    real: AnswerEngine,
) -> None:
    # "so etwas" points back at the malware, past the sentence lent to the short question.
    query = real.features(
        "In unserer Verwaltung wurde ein Rechner mit Schadsoftware infiziert. Der "
        "IT-Dienstleister hat das schnell bereinigt. Müssen wir so etwas irgendwo melden?"
    )
    assert query.refers_back


async def test_opening_hours_are_no_duration(real: AnswerEngine) -> None:
    # "Wie lange ... geöffnet" asks for hours: an entry on how long things take does not
    # answer it directly (before: the ID-card application, as if it were the answer).
    answer = await real.ask("Wie lange hat das Bürgeramt geöffnet?")
    assert answer.entry is None or not answer.direct
    # "available" is English for reachable (before: declined).
    assert await intent.entry_of(real, "When is 115 available?") == "115-serviceversprechen"
