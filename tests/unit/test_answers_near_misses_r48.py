"""Issue 8, forty-eighth round: set 49's engine cases, by kind. Each was declined or answered
wrongly on the code before the round:

- a member who clicked a link in a mail and typed a password ("… mein Passwort eingegeben, was
  mach ich jetzt?"): "mein Passwort" is a weak private hint, which declines an answer whose
  phrasing does not fit "directly"; a password typed in somewhere tells of a phishing click,
  whoever's it was (vocabulary.PRIVATE_HINTS), while one's own bank stays private (MY_BANK);
- one's family computer ("Familien-PC", "Familienrechner") asked in one's own voice: a private
  device, declined (vocabulary.SINGULAR_THINGS) — it was answered from the support-scam entry;
- one's own tax or charge notice paid by oneself ("Ist der Grundsteuerbescheid eine Rechnung,
  und bis wann muss ich zahlen?"), also when the paying is asked in a later question that names
  nothing of its own: answered from the municipality's outgoing invoices (text.pays_own_charge,
  charge_paid_across); an office paying stays a question (OFFICE_PAYER);
- one's own Wi-Fi or router in English ("my Wi-Fi", "my home Wi-Fi", "my router at home"):
  private like "mein WLAN zu Hause" (vocabulary.MY_HOME_NETWORK, MINE);
- private phones in the administration's Wi-Fi: a fact the BYOD entry did not state (guest
  network apart from the internal one), so the question was forwarded.

Every question below is written for this test (none is in a question set). Each case of the
first lists was declined, forwarded or answered from another entry on the code before the
round (checked on the tree before it); the KEPT cases keep their answers (precision guard)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import fold, is_stop, pays_own_charge, private_setting
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


@pytest.mark.parametrize(
    "message",
    [
        # one's own bank or private phone stays the account holder's (review REVIEW-48-code)
        "Ich habe auf einen Link in einer Mail von meiner Bank geklickt und mein Passwort "
        "eingegeben, was mach ich jetzt?",
        "Ich habe auf meinem Handy auf einen Paket-Link geklickt und mein Passwort eingegeben.",
        "Mein Passwort habe ich vergessen",
    ],
)
async def test_ones_own_bank_phone_or_password_stays_declined(
    real: AnswerEngine, message: str
) -> None:
    answer = await real.ask(message)
    assert answer.entry is None


FAMILY_DEVICES = [
    "Auf unserem Familienrechner ist ein Virus, was soll ich tun?",
    "Mein Familien-Laptop zeigt eine Warnung vor Schadsoftware, ist das gefährlich?",
    "Wie sichere ich den Familien-PC gegen Trojaner ab?",
]


@pytest.mark.parametrize("message", FAMILY_DEVICES)
async def test_the_family_computer_is_private(real: AnswerEngine, message: str) -> None:
    answer = await real.ask(message)
    assert answer.entry is None and answer.private


async def test_an_offices_family_laptop_is_not_private(real: AnswerEngine) -> None:
    # "Familien-" names the place (a youth centre), not one's own family (review REVIEW-48-code)
    answer = await real.ask(
        "Im Jugendtreff steht ein Familien-Laptop für Besucher, wie sichern wir den gegen "
        "Schadsoftware ab?"
    )
    assert not answer.private


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
        ("Ist mein Einkommensteuerbescheid eine Rechnung, und muss ich ihn sofort bezahlen?", True),
        # an office paying a charge (review REVIEW-48-code)
        ("Bis wann muss ich als Kämmerin die Müllgebühren für die Schule zahlen?", False),
        (
            "Der Abwasserverband schickt uns eine XRechnung über Abwassergebühren, bis wann "
            "muss ich die bezahlen?",
            False,
        ),
        ("Muss ich die Kfz-Steuer für unsere Dienstwagen per E-Rechnung bezahlen?", False),
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


async def test_a_topic_question_before_a_private_charge_part_keeps_its_answer(
    real: AnswerEngine,
) -> None:
    # the charge part is private on its own; the first question is still answered (review
    # REVIEW-48-code: the round's first version declined the whole message)
    answer = await real.ask(
        "Was ist eine XRechnung? Und bis wann muss ich meine Grundsteuer zahlen?"
    )
    assert answer.entry is not None and answer.entry.id == "e-rechnung-xrechnung"
    assert answer.private_parts == ("Und bis wann muss ich meine Grundsteuer zahlen?",)
    assert answer.unanswered == ()


@pytest.mark.parametrize(
    "message",
    [
        "Should I change the default password of my router at home?",
        "How can I make my Wi-Fi at home safer?",
        "How do I secure my Wi-Fi?",
        "How can I change the password of my home Wi-Fi?",
        "Wie sichere ich unser WLAN daheim?",
    ],
)
async def test_ones_own_home_network_is_private(real: AnswerEngine, message: str) -> None:
    answer = await real.ask(message)
    assert answer.entry is None and answer.private


# Members' questions on the same words keep their answers (the entries they got before).
KEPT = [
    (
        "Ein Kollege hat auf einen Link geklickt und sein Passwort eingegeben. Was tun?",
        "it-sicherheit-phishing-geklickt",
    ),
    (
        "Ist ein Gebührenbescheid eine Rechnung im Sinne der E-Rechnungspflicht?",
        "e-rechnung-kommune-rechnungsausgang",
    ),
    ("How do we secure the home office workplaces of our staff?", "it-sicherheit-privatgeraete"),
    (
        "My team is at home this week: how do we protect the laptops against phishing?",
        "it-sicherheit-phishing-schadsoftware",
    ),
    (
        "Die AusweisApp erkennt den Ausweis nicht, was mach ich jetzt?",
        "personalausweis-nfc-probleme",
    ),
]


@pytest.mark.parametrize(("question", "entry"), KEPT)
async def test_a_members_question_on_the_same_words_keeps_its_answer(
    real: AnswerEngine, question: str, entry: str
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == entry


async def test_private_phones_in_the_administrations_wifi_are_answered(
    real: AnswerEngine,
) -> None:
    answer = await real.ask("Wie halten wir es mit privaten Smartphones im Verwaltungs-WLAN?")
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-privatgeraete"
    assert "Gast-WLAN" in answer.entry.body


# Chat abbreviations and interjections are filler like "eigentlich" and "vielleicht" (set 47:
# "wer is bei euch eigtl alles mitglied" was declined at 0.12: "eigtl", a word no entry has,
# counted as an unknown word of the question).
@pytest.mark.parametrize("word", ["eigtl", "vllt", "vlt", "lol", "btw", "iwie", "grade", "haha"])
def test_chat_abbreviations_are_filler(word: str) -> None:
    assert is_stop(word)


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("btw wie lange gilt eigtl so ein perso?", "personalausweis-gueltigkeit"),
        ("was is eigtl der unterschied zwischen xrechnung und zugferd lol", None),
    ],
)
async def test_a_chat_question_with_abbreviations_is_answered(
    real: AnswerEngine, message: str, entry: str | None
) -> None:
    answer = await real.ask(message)
    assert answer.entry is not None
    assert answer.entry.id == (entry or "e-rechnung-xrechnung-zugferd")
    assert answer.direct


async def test_ones_own_pension_is_private(real: AnswerEngine) -> None:
    # "Rente" in one's own voice (it was answered from the PIN entry); the 115 asked about
    # pensions stays a question of the topics
    own = await real.ask("Wann bekomme ich meine Rente?")
    assert own.entry is None and own.private
    office = await real.ask("Beantwortet die 115 auch Fragen zur Rente?")
    assert not office.private


@pytest.mark.parametrize(
    ("message", "private"),
    [
        ("Mit meinem Welpen üben, wie oft am Tag ist gut?", True),
        ("Muss ich für meinen Hund Hundesteuer zahlen?", True),
        # staff's dogs at the town hall are the office's matter, not one's own pet
        ("Dürfen Mitarbeitende ihren Hund mit ins Rathaus bringen?", False),
    ],
)
async def test_ones_own_pet_is_private(real: AnswerEngine, message: str, private: bool) -> None:
    # round 14's "Wie oft muss ich mit dem Hund üben?" was answered at 0.40 from data backups
    # after round 48's merged statistics (OWN_PET)
    answer = await real.ask(message)
    assert answer.private is private
    if private:
        assert answer.entry is None
