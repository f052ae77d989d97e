"""Issue 8, forty-sixth round: set 47's answered near misses, by kind. A private person's own
household bill with an adjective ("meiner letzten Stromrechnung"), a payment provider
(Klarna, like PayPal), the PIN of one's "elektronische Gesundheitskarte" ("elektronisch" read
as an e-invoicing word kept it), one's own device called private as the subject (only later
parts were declined so before), and which insurer or bank has the better hotline: each was
answered from a neighbouring entry (0.44-0.87). Declined now; the private ones are not
forwarded to the coordination either.

Every question below is written for this test (none is in a question set). Each DECLINED case
was answered before the round's change (checked on the tree before it); the KEPT cases name
the same things and keep their answer (the precision guard)."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import other_bodys_line, private_setting, private_sphere, tradesmans_bill
from tests.unit import test_answers_intent as intent

real = intent.real  # the engine on the real knowledge base (fixture)
ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)

# (question, declined as private: not forwarded) — each answered before the round.
DECLINED = [
    ("Muss ich meine letzte Stromrechnung aufbewahren und wie lange?", True),
    ("Kann ich meine aktuelle Stromrechnung als E-Rechnung bekommen?", True),
    ("Wie lange gilt bei Klarna das Zahlungsziel für eine Rechnung?", True),
    ("Ich habe die PIN für meine elektronische Gesundheitskarte vergessen. Was tun?", True),
    ("Brauche ich für die E-Rezept-App eine PIN meiner elektronischen Gesundheitskarte?", True),
    ("Wie sichere ich meine Daten von meinem privaten Handy am besten?", True),
    ("Wie verschlüssele ich die Daten auf meinem privaten Laptop?", True),
    # Another body's line compared: declined, and forwarded like any question nothing fits.
    ("Welche Versicherung hat die beste Servicenummer?", False),
]

# Members' questions on the same words: answered from these entries before and after.
KEPT = [
    ("Darf ich mein privates Handy für dienstliche Mails nutzen?", "it-sicherheit-privatgeraete"),
    (
        "Mein privater Laptop wurde gestohlen, da waren Dienstdaten drauf. Was tun?",
        "it-sicherheit-geraeteverlust",
    ),
    ("Wie schütze ich mein privates Smartphone vor Schadsoftware?", None),
    ("Welche Servicezeiten hat die 115-Hotline?", None),
    ("Welche Behörden sind über die 115 erreichbar, auch die Krankenkasse?", None),
    # A thing of the topics done on one's private device (review REVIEW-46-code: declined as
    # private by the round's first version).
    ("Wie erstelle ich eine XRechnung auf meinem privaten PC?", None),
    ("Kann ich mich mit meinem privaten Smartphone beim Vergabeportal registrieren?", None),
    ("Kann ich die AusweisApp auf meinem privaten Smartphone installieren?", None),
    (
        "Können Bürger die elektronische Gesundheitskarte statt des Personalausweises vorzeigen?",
        None,
    ),
]


@pytest.mark.parametrize(("question", "private"), DECLINED)
async def test_a_private_or_other_bodys_matter_is_declined(
    real: AnswerEngine, question: str, private: bool
) -> None:
    answer = await real.ask(question)
    assert answer.entry is None
    assert answer.private is private


@pytest.mark.parametrize(("question", "entry"), KEPT)
async def test_a_members_question_on_the_same_words_keeps_its_answer(
    real: AnswerEngine, question: str, entry: str | None
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and not answer.private
    if entry is not None:
        assert answer.entry.id == entry


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("eine Kopie meiner letzten Stromrechnung", True),
        ("meine jährliche Stromrechnung", True),
        ("die Stromrechnung des Rathauses", False),
        ("Zahlen wir die letzte Stromrechnung der Schule per Überweisung?", False),
    ],
)
def test_ones_own_household_bill_with_an_adjective(text: str, private: bool) -> None:
    assert private_setting(text) is private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Fotos von meinem privaten Handy in die Cloud", True),
        ("Welcher Drucker passt zu meinem privaten Laptop?", True),
        # its work use, a mail or link on it, or an incident: IT security's
        ("Darf ich meinen privaten Laptop im Homeoffice verwenden?", False),
        ("Auf meinem privaten Handy kam eine SMS mit Link", False),
        ("Mein privates Handy ist mit Schadsoftware befallen, was jetzt?", False),
        # the municipality's devices
        ("Wie sichern wir die privaten Handys der Verwaltung?", False),
        # a thing of the topics done on it, or a network event (review REVIEW-46-code)
        ("Kann ich eine E-Rechnung auf meinem privaten Laptop öffnen und prüfen?", False),
        ("Wie speichere ich Rechnungen auf meinem privaten Rechner revisionssicher?", False),
        ("Kann ich mit meinem privaten Smartphone am Plenum online teilnehmen?", False),
    ],
)
def test_ones_own_private_device_is_private(text: str, private: bool) -> None:
    assert private_sphere(text) is private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Kann ich bei Klarna später zahlen?", True),
        ("Wo finde ich meine Klarna-Zugangsdaten?", True),
        # a real name is no payment provider (review REVIEW-46-code: "klarna" was a prefix)
        ("Sind Klarnamen in E-Mail-Adressen ein Sicherheitsrisiko?", False),
        ("Brauche ich einen Klarnamen für die BundID?", False),
    ],
)
def test_a_pay_later_service_is_private_a_real_name_is_not(text: str, private: bool) -> None:
    assert private_sphere(text) is private


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Welche Krankenkasse hat die am schnellsten erreichbare Service-Hotline?", True),
        ("Welche Bank hat die beste Hotline?", True),
        # the 115 named: the 115's question
        ("Welche Krankenkasse ist über die 115-Hotline erreichbar?", False),
        # a body named, no line
        ("Welche Krankenkasse ist für Beamte zuständig?", False),
    ],
)
def test_which_other_body_has_the_better_line(text: str, asked: bool) -> None:
    assert other_bodys_line(text) is asked


@pytest.mark.parametrize(
    ("text", "private"),
    [
        # The merge's knowledge answered it from the entry on PDF invoices (0.41).
        (
            "Mein Handwerker hat mir die Rechnung nur als PDF geschickt, kann ich die bei der "
            "Steuer absetzen?",
            True,
        ),
        # the office's invoice as a PDF stays its question
        ("Der Dachdecker schickt uns seine Rechnung nur als PDF. Müssen wir die annehmen?", False),
    ],
)
def test_a_tradesmans_pdf_bill_to_oneself_is_private(text: str, private: bool) -> None:
    assert tradesmans_bill(text) is private
