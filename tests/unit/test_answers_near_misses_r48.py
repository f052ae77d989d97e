"""Issue 8, forty-eighth round: set 49's engine cases, by kind. Each was declined or answered
wrongly on the code before the round:

- a member who clicked a link in a mail and typed a password, asking "was mach ich jetzt?":
  "was mache ich jetzt" named no kind of question, so the phishing entry's phrasing did not
  fit "directly" and the weak private hint "mein Passwort" declined it (text.QUESTION_KINDS,
  "how");
- one's family computer ("Familien-PC", "Familienrechner"): a private device, declined
  (vocabulary.PRIVATE_THINGS) — it was answered from the support-scam entry;
- one's own tax or charge notice paid by oneself ("Ist der Grundsteuerbescheid eine Rechnung,
  und bis wann muss ich zahlen?"), even across the message's two questions: answered from the
  municipality's outgoing invoices (text.pays_own_charge);
- one's own router at home asked in English ("my ... at home"): English "my" is one's own like
  "mein" (vocabulary.MINE);
- private phones in the administration's Wi-Fi: a fact the BYOD entry did not state (guest
  network apart from the internal one), so the question was forwarded.

Every question below is written for this test (none is in a question set). Each case of the
first lists was declined, forwarded or answered from another entry on the code before the
round (checked on the tree before it); the KEPT cases keep their answers (precision guard)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import fold, pays_own_charge, private_setting
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

PHISHING_TOLD = [
    "hab eben in ner mail auf nen link gedrückt und mein kennwort eingetippt, was mach ich jetz",
    "Ich habe gerade über einen Link aus einer Mail mein Passwort eingegeben. Was mache ich nun?",
    "Oh nein, ich habe mein Passwort auf so einer Mail-Seite eingegeben – was machen wir jetzt?",
]


@pytest.mark.parametrize("message", PHISHING_TOLD)
async def test_a_phishing_click_told_in_ones_own_voice_is_answered(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-phishing-geklickt"
    assert answer.direct


FAMILY_DEVICES = [
    "Auf unserem Familienrechner ist ein Virus, was soll ich tun?",
    "Der Familien-Laptop zeigt eine Warnung vor Schadsoftware, ist das gefährlich?",
    "Wie sichere ich den Familien-PC gegen Trojaner ab?",
]


@pytest.mark.parametrize("message", FAMILY_DEVICES)
async def test_the_family_computer_is_private(real: AnswerEngine, message: str) -> None:
    answer = await real.ask(message)
    assert answer.entry is None and answer.private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Bis wann muss ich die Grundsteuer für mein Haus zahlen?", True),
        ("Kann ich die Hundesteuer auch in Raten bezahlen?", True),
        ("Ist der Abfallgebührenbescheid eine Rechnung? Und wann muss ich den begleichen?", True),
        # the office's question on its notices, and a payment that is no charge of one's own
        ("Ist ein Gebührenbescheid eine Rechnung im Sinne der E-Rechnungspflicht?", False),
        ("Müssen wir Grundsteuerbescheide als E-Rechnung verschicken?", False),
        ("Bis wann muss ich eine E-Rechnung bezahlen?", False),
    ],
)
def test_ones_own_charge_notice_paid_by_oneself_is_private(text: str, private: bool) -> None:
    assert pays_own_charge(fold(text)) is private
    assert private_setting(text) is private


async def test_a_charge_notice_and_its_payment_in_two_questions_are_declined(
    real: AnswerEngine,
) -> None:
    answer = await real.ask(
        "Ist der Bescheid über die Hundesteuer eigentlich eine Rechnung, und bis wann muss "
        "ich die überweisen?"
    )
    assert answer.entry is None and answer.private
    assert answer.unanswered == ()


@pytest.mark.parametrize(
    "message",
    [
        "Should I change the default password of my router at home?",
        "How can I make my Wi-Fi at home safer?",
    ],
)
async def test_ones_own_home_in_english_is_private(real: AnswerEngine, message: str) -> None:
    answer = await real.ask(message)
    assert answer.entry is None and answer.private


# Members' questions on the same words: answered.
KEPT = [
    ("Ein Kollege hat auf einen Link geklickt und sein Passwort eingegeben. Was tun?", None),
    ("Ist ein Gebührenbescheid eine Rechnung im Sinne der E-Rechnungspflicht?", None),
    ("How do we secure the home office workplaces of our staff?", None),
    ("Was machen wir mit E-Rechnungen, die keine Leitweg-ID enthalten?", None),
]


@pytest.mark.parametrize(("question", "entry"), KEPT)
async def test_a_members_question_on_the_same_words_keeps_its_answer(
    real: AnswerEngine, question: str, entry: str | None
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and not answer.chatter and not answer.private
    if entry is not None:
        assert answer.entry.id == entry


async def test_private_phones_in_the_administrations_wifi_are_answered(
    real: AnswerEngine,
) -> None:
    answer = await real.ask("Wie halten wir es mit privaten Smartphones im Verwaltungs-WLAN?")
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-privatgeraete"
    assert "Gast-WLAN" in answer.entry.body
