"""Issue 8, third round, on the real knowledge base: private near misses are declined, and an
answer (or a "Passt eher") must be about the question's own subject, not only its topic."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from bot.answers.text import asking_words, private_sphere
from tests.unit import test_answers_intent as intent

# The engine on the real knowledge base, and the entry it answers with.
real = intent.real
entry_of = intent.entry_of


async def wrong_entries(engine: AnswerEngine, cases: list[tuple[str, str]]) -> list[str]:
    """The cases (question, entry) answered with another entry ("-": declined), as lines."""
    wrong = []
    for question, entry in cases:
        got = await entry_of(engine, question)
        if got != entry:
            wrong.append(f"{question}: {got}, not {entry}")
    return wrong


# One engine per test, not per question: each engine indexes the whole knowledge base.
PRIVATE = [
    # A PIN, but not the ID card's: answered with the ID-card PIN entry before.
    "PIN meiner Bankkarte vergessen, was tun?",
    "Ich habe die PIN meiner Kreditkarte vergessen",
    "PIN für meine EC-Karte vergessen",
    "Ich habe die PIN für mein Online-Banking vergessen, was soll ich tun?",
    # An invoice, but a private one.
    "Netflix Rechnung doppelt abgebucht",
    # A security incident, but at home.
    "Mein Instagram wurde gehackt",
    "Wie mache ich ein Backup von meinem privaten iPhone?",
]


async def test_private_near_misses_are_declined(real: AnswerEngine) -> None:
    answers = [await real.ask(question) for question in PRIVATE]
    assert [(a.question, a.entry.id) for a in answers if a.entry] == []
    # Declined like any unknown question (forwarded), not brushed off as chit-chat.
    assert not any(a.chatter for a in answers)


async def test_the_id_card_and_the_office_are_not_private(real: AnswerEngine) -> None:
    assert not private_sphere("Die Handys unserer Verwaltung: wie sichern wir sie?")
    cases = [
        ("Ich habe die PIN meines Personalausweises vergessen", "personalausweis-pin-vergessen"),
        # One's own phone, but for the ID card: the ID card's question.
        ("Mein Handy hat kein NFC, geht die AusweisApp trotzdem?", "personalausweis-ausweisapp"),
    ]
    assert await wrong_entries(real, cases) == []


async def test_own_things_on_the_topics_are_still_answered(real: AnswerEngine) -> None:
    # "mein Passwort", "im Urlaub": many questions on the topics say so; only a private thing
    # of its own (a bank card, Netflix) declines on its own, a possessive only an answer that
    # does not fit the question anyway.
    assert not private_sphere("Wer vertritt den ISB im Urlaub?")
    assert not private_sphere("Wie sicher muss mein Passwort sein?")
    assert (
        await entry_of(real, "Wie sicher muss mein Passwort sein?") == "it-sicherheit-passwoerter"
    )


async def test_an_answer_sharing_only_the_topic_word_is_declined(real: AnswerEngine) -> None:
    # "Personalausweis" is the topic's name; "Konto eröffnen" is in no entry. Answered with
    # the entry on the plenum of 2015 before.
    assert await entry_of(real, "Kann man mit dem Personalausweis ein Konto eröffnen?") == "-"


async def test_verbs_and_common_words_name_no_subject(real: AnswerEngine) -> None:
    cases = [
        # "regelt" says what is asked, not what about: the regulation is the subject.
        (
            "Was regelt die Rechnungseingangsverordnung in Niedersachsen?",
            "e-rechnung-niedersachsen",
        ),
        # "Behörde" is used in every topic: no subject the answer must contain.
        (
            "Was brauchen wir als Behörde, um die eID-Funktion in unseren Onlinediensten "
            "anzubieten?",
            "personalausweis-berechtigungszertifikat",
        ),
    ]
    assert await wrong_entries(real, cases) == []


def test_asking_words_are_verbs_and_interrogatives() -> None:
    words = asking_words("Was regelt die Rechnungseingangsverordnung in Niedersachsen?")
    assert "regelt" in words
    assert not {"rechnungseingangsverordnung", "niedersachsen"} & words
    # Without capitals only the words of a kind of question tell.
    words = asking_words("wie beantrage ich eine leitweg-id")
    assert "beantrage" in words and "leitweg-id" not in words


async def test_a_fitting_answer_about_another_thing_is_declined(real: AnswerEngine) -> None:
    # The retention-periods entry fits "Wie lange muss man ... aufbewahren?" well, but names
    # neither tax records nor payslips (the index does not even know the word): answered
    # with the entry on the archives' retention periods before.
    assert await entry_of(real, "Wie lange muss man Steuerunterlagen aufbewahren?") == "-"
    assert await entry_of(real, "Wie lange muss man Lohnabrechnungen aufbewahren?") == "-"
    # ... while a question on the entry's own subject is still answered.
    assert (
        await entry_of(real, "Wie lange muss die Verwaltung ihre Akten aufbewahren?")
        == "lza-aufbewahrungsfristen"
    )
    assert (
        await entry_of(real, "Wie schnell muss bei der 115 abgehoben werden?")
        == "115-serviceversprechen"
    )
