"""Issue 8, fiftieth round: engine cases of set 51. On the code before the round each of these
was answered from an entry of the topics, or its off-topic part was passed on to the
coordination as an open question:

- another body's paper asked for oneself: a disabled person's pass ("Schwerbehindertenausweis",
  answered from the network's benefits), one's ELSTER certificate (answered from the BundID);
  vocabulary.PERSONAL_PAPERS;
- one's own insurance of any kind ("die 0180er-Nummer meiner Versicherung", answered from the
  115's call costs), like one's health insurer before; vocabulary.MY_INSURER;
- one's own doctor ("wann mein Hausarzt heute Sprechstunde hat") and a team sport by name ("wer
  hat beim Handball gewonnen") asked after a question of the topics: declined as off the
  topics, not forwarded; vocabulary EVERYDAY_LIFE (_APPOINTMENTS, _SPORTS).

The office's own questions on the same words stay answered (the guards below). Every question
here is written for this test (none is in a question set)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.engine import AnswerEngine, _asked_under_heading
from bot.answers.loader import Entry
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    "question",
    [
        "Wo bekomme ich einen Schwerbehindertenausweis und welche Vorteile hat er?",
        "Mein Elster-Zertifikat ist abgelaufen, wie bekomme ich ein neues?",
        "Ich muss mein ELSTER-Zertifikat erneuern – geht das online?",
        "Wie teuer ist ein Anruf bei der Servicenummer meiner Versicherung?",
        "Wann muss ich meine Hausratversicherung kündigen?",
        "Wie verlängere ich mein Elster Zertifikat?",
        # unlocking one's own phone (round 18's near miss, tipped by round 50's merge)
        "Wie kann ich mein Smartphone mit Gesichtserkennung entsperren?",
    ],
)
async def test_another_bodys_paper_or_ones_own_insurance_is_declined_as_private(
    real: AnswerEngine, question: str
) -> None:
    answer = await real.ask(question)
    assert answer.entry is None and answer.private, (question, answer.entry)


@pytest.mark.parametrize(
    "question",
    [
        # the office's voice or the ID card named: the office's question, never private (the
        # knowledge base has no entry on it, so it is declined and passed on)
        "Akzeptieren wir im Bürgerbüro einen Schwerbehindertenausweis als Identitätsnachweis "
        "statt des Personalausweises?",
        "Unsere Kämmerei nutzt ein ELSTER-Zertifikat für die Umsatzsteuer – wer darf es verwalten?",
        # a topic's subject with one's own insurance or certificate (review REVIEW-50-code, M1,
        # M2, S1): the topics' questions, answered or passed on
        "Ersetzt meine Cyber-Versicherung IT-Sicherheitsmaßnahmen?",
        "Ich habe eine Phishing-Mail angeblich von meiner Versicherung bekommen und auf den Link "
        "geklickt – was tun?",
        "Welches Vertrauensniveau hat mein ELSTER-Zertifikat?",
        "Ein Bieter fragt: Reicht meine Versicherung an Eides statt als Eigenerklärung?",
        "Deckt meine Haftpflichtversicherung Fehler, die ich als ISB mache?",
        # a scam about one's insurer's hotline, the office procuring insurance (final review)
        "Ich habe eine Phishing-Mail mit der Servicenummer meiner Versicherung bekommen und auf "
        "den Link geklickt – was tun?",
        "Ein Anruf angeblich von meiner Versicherung wollte mein Passwort – was tun?",
        "Muss ich meine Kfz-Versicherung für den Fuhrpark europaweit ausschreiben?",
        "Wie entsperre ich die Online-Funktion meines Ausweises?",
    ],
)
async def test_the_offices_questions_on_the_same_papers_are_not_private(
    real: AnswerEngine, question: str
) -> None:
    answer = await real.ask(question)
    assert not answer.private and not answer.chatter, question


async def test_the_115s_call_costs_stay_answered(real: AnswerEngine) -> None:
    answer = await real.ask("Was kostet ein Anruf bei der 115 vom Handy?")
    assert answer.topic is not None and answer.topic.id == "service-center-115", answer.entry


@pytest.mark.parametrize(
    "message",
    [
        "Ab wann muss eine Gemeinde XRechnungen annehmen? Und privat: weißt du, ob meine "
        "Hausärztin mittwochs Sprechstunde hat?",
        "Wie lange ist ein Personalausweis gültig? Wer hat eigentlich gestern beim Handball "
        "gewonnen?",
        "Was ist ein ISMS? Und wer hat am Sonntag im Basketball gewonnen?",
    ],
)
async def test_ones_doctor_or_a_game_after_a_question_is_declined_not_forwarded(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None, message
    assert answer.unanswered == () and len(answer.off_topic_parts) == 1, (
        answer.unanswered,
        answer.off_topic_parts,
    )


@pytest.mark.parametrize(
    "message",
    [
        # the office's concerns with the same words (review REVIEW-50-code, S2, S6)
        "Wie läuft eine Markterkundung? Und wie findet man einen neuen Hausarzt fürs Dorf?",
        "Welche Fristen gelten bei der Ausschreibung? Und was gilt beim Handball-Verein?",
    ],
)
async def test_the_offices_doctor_or_club_in_a_later_part_is_passed_on(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.off_topic_parts == () and len(answer.unanswered) == 1, answer.off_topic_parts


async def test_a_club_of_the_town_in_a_later_part_is_still_the_offices(real: AnswerEngine) -> None:
    # The town procures for its handball club's hall: not a game, passed on if unsure.
    answer = await real.ask(
        "Wie hoch ist der EU-Schwellenwert für Bauleistungen? Und müssen wir den Hallenboden "
        "für den Handballverein europaweit ausschreiben?"
    )
    assert answer.entry is not None and answer.off_topic_parts == ()


def _entry(body: str) -> Entry:
    return Entry("x", "langzeitarchivierung", "X", (), (), (), date(2026, 12, 7), body)


@pytest.mark.parametrize(
    ("part", "covered"),
    [
        ("Brauchen wir dat als kleine Gemeinde?", True),
        ("Und brauchen wir so etwas überhaupt?", True),
        ("Muss man da wirklich jedes Jahr umstellen?", True),
        # a lead-in word missing, or a subject of its own besides the lead-in's words
        ("Muss man da wirklich umstellen?", False),
        ("Brauchen wir dafür eine Schulung für den Datenschutz?", False),
        # an everyday thing, a number, a compound's tail, another kind of question (review
        # REVIEW-50-code, M3-M5)
        ("Brauchen wir dafür einen neuen Drucker?", False),
        ("Brauchen wir das für die 115?", False),
        ("Wie hoch ist der Stromverbrauch?", False),
        ("Wo brauchen wir das?", False),
        ("Brauchen wir das als kleine Samtgemeinde überhaupt?", True),
    ],
)
def test_a_part_asked_under_a_bold_lead_in_of_the_entry(part: str, covered: bool) -> None:
    entry = _entry(
        "Text. **Brauchen wir das?** Nur für signierte Unterlagen. **Jedes Jahr umstellen?** "
        "Meist ein- bis zweimal im Jahr."
    )
    assert _asked_under_heading(part, entry) is covered


@pytest.mark.parametrize(
    "message",
    [
        "Was ist TR-ESOR, und brauchen wir das als kleine Samtgemeinde überhaupt?",
        "Welche XRechnung-Version ist aktuell, und müssen wir da wirklich jedes Jahr umstellen?",
    ],
)
async def test_a_leaning_part_the_answer_asks_itself_is_covered_not_forwarded(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None and answer.unanswered == (), answer.unanswered
    assert len(answer.covered) == 1, answer.covered


@pytest.mark.parametrize(
    ("message", "part"),
    [
        (
            "Welche XRechnung-Version ist aktuell, und wer bezahlt die Umstellung?",
            "Wer bezahlt die Umstellung?",
        ),
        # a subject of its own, a duration against "**Antrag?**" (review REVIEW-50-code)
        (
            "Wer hat den ViR gegründet? Und wer hat die 115 gegründet?",
            "Und wer hat die 115 gegründet?",
        ),
        (
            "Wie wird unsere Gemeinde Teil der 115? Und wie lange dauert der Antrag?",
            "Und wie lange dauert der Antrag?",
        ),
        (
            "Welche Schulungen zur IT-Sicherheit gibt es? Und was kostet ein neuer Drucker?",
            "Und was kostet ein neuer Drucker?",
        ),
    ],
)
async def test_a_part_no_lead_in_asks_is_still_forwarded(
    real: AnswerEngine, message: str, part: str
) -> None:
    answer = await real.ask(message)
    assert [asked for asked, _ in answer.unanswered] == [part], answer.covered
