"""Issue 8, fifty-first round: engine cases of set 52. On the code before the round each of
these was answered from an entry of the topics, or its off-topic part was passed on to the
coordination as an open question, or a part the answer holds was passed on:

- a trader's own invoices and taxes in one's own voice ("Ich bin Elektriker und schreibe
  Rechnungen an Privatkunden", "als Kleinunternehmer Umsatzsteuer ausweisen": answered from
  the B2B e-invoicing entry): declined whatever entry's phrasing fits, and passed on like a
  club's or a shop's matter (text.trade_matter; vocabulary.PRIVATE_CUSTOMERS, TRADE_BOOKS,
  TAX_SHOWN: "ausweisen" names no ID card there);
- a recipe by compound ("Grünkohlrezept"), the German championship and a joke asked for after
  a question on the plenum: declined as off the topics, not forwarded; and named as declined
  when the message is answered as a whole (engine ``_declined_named``);
- a later part that leans on the first and whose one word of substance the answer holds ("Und
  in welchem Format sollten die geliefert werden?" after the metadata entry, which names the
  format): named as covered, not passed on (engine ``_states_its_word``: the word whole, the
  part's everyday words too, and a phrasing of the entry asking the part's kind of question).

The office's own questions on the same words stay answered (the guards below). Every question
here is written for this test (none is in a question set)."""

from __future__ import annotations

import pytest

from bot.answers.engine import Answer, AnswerEngine, _Declined, _declined_named
from bot.answers.text import trade_matter
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    "question",
    [
        # answered before from the entries on outgoing invoices, B2B e-invoicing, contents
        "Ich bin Installateur und stelle Rechnungen an Privatkunden. Muss ich die jetzt als "
        "E-Rechnung verschicken?",
        "Muss ich als Kleinunternehmerin auf meinen Rechnungen die Umsatzsteuer ausweisen?",
        "Ich bin nebenberuflich selbstständig als Kleinunternehmer. Wie schreibe ich eine "
        "Rechnung ohne Mehrwertsteuer?",
        # declined before too (kept as cases of the rule)
        "Ich bin Maler und schreibe meine Rechnungen an Privatkunden noch per Hand – muss ich "
        "auf E-Rechnung umstellen?",
        "Muss ich als Freiberufler auf meinen Rechnungen die Umsatzsteuer extra ausweisen?",
    ],
)
async def test_a_traders_own_invoices_are_declined(real: AnswerEngine, question: str) -> None:
    answer = await real.ask(question)
    # Passed on, not private: the rule may miss a member's real question.
    assert answer.entry is None and not answer.private, (question, answer.entry)


@pytest.mark.parametrize(
    "question",
    [
        # a public client's invoice, a tender, a topic's subject, the ID card: never private
        "Muss ich als Handwerker der Stadt eine XRechnung schicken?",
        "Muss ich als Handwerker meine Rechnung an öffentliche Auftraggeber elektronisch schicken?",
        "Ich bin Elektriker und will mich als Bieter auf eure Ausschreibung bewerben – wie "
        "registriere ich mich?",
        "Ich bin Handwerker – wie erkenne ich eine Phishing-Mail?",
        "Wie kann ich mich als Selbstständiger online mit dem Personalausweis ausweisen?",
        "Wie kann ich mich als Freiberufler online ausweisen?",
        # the office bills private customers; a supplier of a public body; a bid; an incident
        # (review REVIEW-51-code, M1-M3)
        "Ich arbeite in der Kämmerei. Muss ich Rechnungen an Privatkunden künftig auch als "
        "E-Rechnung ausstellen?",
        "Muss ich Rechnungen an Privatkunden für Brennholz vom Bauhof als E-Rechnung schicken?",
        "Als Elektriker habe ich für die Polizei gearbeitet. Wohin schicke ich meine Rechnung?",
        "Ich bin Tischler, meine Rechnung an die Kita wurde abgelehnt. Warum?",
        "Meine Firma hat für das Bürgeramt gearbeitet, wohin mit der Rechnung?",
        "Ich bin Maler und ein Kunde hat mir eine gefälschte Rechnung mit Schadsoftware "
        "geschickt. Was tun?",
        "Ich bin Elektriker und mein Rechner wurde verschlüsselt, alle Kunden sind weg. Was tun?",
        # the Land, a university, a hospital as the client (review REVIEW-51-final, S1)
        "Ich bin Maler und habe für das Land Niedersachsen gearbeitet. Wie muss meine Rechnung "
        "aussehen?",
        "Als Elektriker habe ich im Krankenhaus gearbeitet, wohin schicke ich meine Rechnung?",
        # e-invoicing between businesses is e-invoicing's (review REVIEW-33-code-b)
        "Muss ich als Kleinunternehmer E-Rechnungen empfangen können?",
        "Gilt die Rechnungspflicht nach § 14 UStG auch für mich als Kleinunternehmer?",
    ],
)
def test_a_traders_questions_of_the_topics_are_no_trade_matter(question: str) -> None:
    assert not trade_matter(question), question


@pytest.mark.parametrize(
    "question",
    [
        # one's own business without "als" (vocabulary.TRADER_SELF), the tax word kept when
        # "ausweisen" is masked (TAX_SHOWN; review REVIEW-51-code, S2)
        "Ich bin Kleinunternehmerin. Wie schreibe ich eine Rechnung ohne Umsatzsteuer?",
        "Muss ich als Kleinunternehmer Umsatzsteuer ausweisen?",
    ],
)
def test_a_traders_own_books_are_a_trade_matter(question: str) -> None:
    assert trade_matter(question), question


async def test_a_public_clients_invoice_is_still_answered(real: AnswerEngine) -> None:
    answer = await real.ask("Muss ich als Handwerker der Stadt eine XRechnung schicken?")
    assert answer.entry is not None and answer.entry.topic == "e-rechnung"


@pytest.mark.parametrize(
    "message",
    [
        "Was ist eine Leitweg-ID? Und hast du ein gutes Suppenrezept?",
        "Wie melden wir einen IT-Sicherheitsvorfall? Und wer wird nächstes Jahr Deutscher Meister?",
        "Wie viele Leute kommen zum ViR-Plenum? Und kennst du einen Witz für die Pause?",
        "Bekommen die Teilnehmenden beim ViR-Plenum ein Mittagessen? Und kennst du einen guten "
        "Witz für die Pause?",
        # a recipe is no event's either
        "Wird beim Plenum auch gefilmt? Und hast du ein gutes Kuchenrezept?",
    ],
)
async def test_a_recipe_a_championship_or_a_joke_is_declined_not_forwarded(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None, message
    assert answer.unanswered == () and len(answer.off_topic_parts) == 1, (
        answer.unanswered,
        answer.off_topic_parts,
    )
    # A 👎 passes on the rest, never the joke or the recipe.
    assert all(part not in answer.forward_if_unhelpful for part in answer.off_topic_parts)


@pytest.mark.parametrize(
    "message",
    [
        # a recipe for the office's work is no dish's (review REVIEW-51-code, M4)
        "Wie führen wir die E-Akte ein? Gibt es ein Erfolgsrezept?",
        "Wie bekommen wir mehr Bieter auf unsere Ausschreibungen? Gibt es ein Patentrezept?",
    ],
)
async def test_a_recipe_for_the_offices_work_is_passed_on(real: AnswerEngine, message: str) -> None:
    answer = await real.ask(message)
    assert answer.off_topic_parts == () and len(answer.unanswered) == 1, answer.off_topic_parts


async def test_a_master_craftsmans_certificate_is_no_championship(real: AnswerEngine) -> None:
    answer = await real.ask("Wie läuft eine Ausschreibung? Und brauchen Bieter einen Meisterbrief?")
    assert answer.off_topic_parts == () and len(answer.unanswered) == 1, answer.off_topic_parts


async def test_a_leaning_part_whose_word_the_answer_holds_is_covered(real: AnswerEngine) -> None:
    answer = await real.ask("Was ist die 115-Wissensdatenbank eigentlich, und wer pflegt die?")
    assert answer.entry is not None and answer.entry.id == "115-wissensdatenbank", answer.entry
    assert answer.unanswered == () and len(answer.covered) == 1, answer.unanswered


@pytest.mark.parametrize(
    "message",
    [
        # review REVIEW-51-code, S1: a compound's parts ("Datenschutz"), everyday words the
        # entry lacks ("bar oder mit Karte"), a kind of question it does not ask ("wer")
        "Welche Metadaten braucht das Archiv? Und was sagt der Datenschutz dazu?",
        "Was kostet ein Personalausweis? Und wie zahlt man das dann, bar oder mit Karte?",
        "Wie führen wir die E-Akte ein? Und wer ist dafür der Ansprechpartner?",
    ],
)
async def test_a_leaning_part_the_entry_does_not_answer_is_still_forwarded(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.covered == () and len(answer.unanswered) == 1, answer.covered


async def test_a_part_with_a_subject_of_its_own_is_still_forwarded(real: AnswerEngine) -> None:
    # One word of substance is enough only for a part that leans on the first question.
    answer = await real.ask(
        "Ab welchem Alter bekommt ein Kind einen Personalausweis, und wer unterschreibt beim "
        "Reisepass?"
    )
    assert answer.covered == (), answer.covered


def test_a_message_answered_as_a_whole_names_its_declined_parts() -> None:
    # No part sure, the message answered as a whole (or sentence by sentence): the parts
    # declined before are named as such, and a 👎 passes on only the rest (set 52: the joke was
    # answered with the plenum's entry and not declined).
    message = "Gibt es beim Plenum Mittagessen? Und kennst du einen guten Witz für die Pause?"
    declined = _Declined(off_topic=["Und kennst du einen guten Witz für die Pause?"])
    answer = _declined_named(Answer(message, None, None, 0.5), declined)
    assert answer.off_topic_parts == ("Und kennst du einen guten Witz für die Pause?",)
    assert answer.forward_if_unhelpful == "Gibt es beim Plenum Mittagessen?"
    # A private part left among the rest names nothing (the answer stays as it was).
    kept = _Declined(private=["..., die ist 4711"], private_kept=True)
    assert _declined_named(Answer(message, None, None, 0.5), kept).private_parts == ()


@pytest.mark.parametrize(
    "question",
    [
        # review REVIEW-51-final, M1: a phrasing of the cancelling entry drew these
        "Wie kann ich am Workshop teilnehmen?",
        "Wie kann ich an einem Workshop teilnehmen?",
        "Ich möchte beim Workshop mitmachen, wie geht das?",
    ],
)
async def test_joining_a_workshop_is_not_answered_with_cancelling(
    real: AnswerEngine, question: str
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == "vir-nordwest-plenum-anmeldung", (
        question,
        answer.entry,
    )


async def test_a_private_part_that_drew_the_whole_answer_is_named_and_not_forwarded(
    real: AnswerEngine,
) -> None:
    # No part sure: the message was answered as a whole from the password entry, which only
    # its private part drew, and a 👎 would have passed the private part on. Now the rest is
    # answered again without it (engine ``_rest_answered``; review REVIEW-51-final).
    private = "Und wie sicher ist mein privates Onlinebanking-Passwort?"
    answer = await real.ask(
        f"Bekommen die Teilnehmenden beim ViR-Plenum ein Mittagessen? {private}"
    )
    assert answer.entry is not None and answer.entry.topic == "vir-nordwest", answer.entry
    assert answer.private_parts == (private,)
    assert "Onlinebanking" not in answer.forward_if_unhelpful


async def test_an_answer_only_the_declined_parts_drew_is_not_given(real: AnswerEngine) -> None:
    # The rest finds nothing of its own: the whole message's answer (the PIN entry, drawn by
    # the PIN sentence) is not given; the joke is declined and the rest passed on without it.
    joke = "Und kennst du einen guten Witz für die Pause?"
    answer = await real.ask(
        f"Gibt es beim ViR-Plenum Mittagessen? {joke} Und meine PIN ist 123456, geht die?"
    )
    assert answer.entry is None and answer.off_topic_parts == (joke,), answer.entry
    assert answer.unanswered and all("Witz" not in asked for _, asked in answer.unanswered)
