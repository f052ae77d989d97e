"""Secret values written into a question are masked (bot/answers/redact.py) before the
question is answered, logged, quoted or forwarded."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.redact import MASK, mask_secrets

ENGINE_READ_ONLY = True  # its tests only ask: one engine for all (tests/unit/conftest.py)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "Wie ändere ich die PIN meines Handys, die ist 0815?",
            f"Wie ändere ich die PIN meines Handys, die ist {MASK}?",
        ),
        (
            "Mein Passwort ist Sommer2024! Ist das sicher?",
            f"Mein Passwort ist {MASK} Ist das sicher?",
        ),
        ("Meine Ausweis-PIN 123456 geht nicht mehr", f"Meine Ausweis-PIN {MASK} geht nicht mehr"),
        ("PIN: 1234 und PUK 12345678", f"PIN: {MASK} und PUK {MASK}"),
        ("Das Kennwort lautet Sonnenschein.", f"Das Kennwort lautet {MASK}."),
        ("Passwort: letmein", f"Passwort: {MASK}"),
        (
            "Mein WLAN-Passwort „Sommer2024“ ist das gut?",
            f"Mein WLAN-Passwort „{MASK}“ ist das gut?",
        ),
        ("Die CAN 654321 steht vorne", f"Die CAN {MASK} steht vorne"),
        ("my password is hunter2, is it safe?", f"my password is {MASK}, is it safe?"),
        (
            "Meine Kollegin hat das Passwort Hallo123 gesetzt",
            f"Meine Kollegin hat das Passwort {MASK} gesetzt",
        ),
    ],
)
def test_a_secret_value_is_masked(text: str, masked: str) -> None:
    assert mask_secrets(text) == masked
    assert mask_secrets(masked) == masked  # idempotent: the engine masks what the command did


@pytest.mark.parametrize(
    "text",
    [
        # Sizes, counts, rules, compounds that name no value, and "ist" before no value.
        "Die 6-stellige PIN nach 3 Fehlversuchen gesperrt, was nun?",
        "Muss ich mein Passwort alle 90 Tage ändern?",
        "Die PIN ist 5-stellig, oder?",
        "Mein Passwort ist zu kurz, was tun?",
        "Seit 2021 gibt es keinen PIN-Rücksetzbrief mehr?",
        "Ist ein Passwortmanager 2024 noch empfohlen?",
        "Wie lautet meine Kreditkarten-PIN?",
        "Was ist eine Transport-PIN und wo finde ich die CAN?",
        "Can I use my eID with a PIN of 6 digits?",
        "Gilt der Schwellenwert von 221000 Euro auch für Passwörter?",
    ],
)
def test_no_value_no_mask(text: str) -> None:
    assert mask_secrets(text) == text


async def test_the_engine_never_quotes_a_secret(engine: AnswerEngine) -> None:
    answer = await engine.ask(
        "Was ist eine Leitweg-ID? Meine Kollegin hat das Passwort Hallo123 für alle gesetzt, "
        "ist das ok?"
    )
    assert answer.entry is not None and answer.entry.id == "e-rechnung-leitweg-id"
    assert "Hallo123" not in answer.question
    assert answer.unanswered and all(
        "Hallo123" not in asked and "Hallo123" not in forward
        for asked, forward in answer.unanswered
    )


@pytest.mark.parametrize(
    "question",
    [
        "Was ist die 115? Und wie ändere ich die PIN meines Handys?",
        "Was ist die 115? Und wie ändere ich meine Bank-PIN 4711?",
    ],
)
async def test_a_phone_or_bank_pin_part_is_private(engine: AnswerEngine, question: str) -> None:
    answer = await engine.ask(question)
    assert answer.entry is not None and answer.entry.id == "115-was-ist"
    assert answer.private_parts and not answer.unanswered
    assert all("4711" not in part for part in answer.private_parts)


async def test_a_work_phone_pin_stays_an_open_question(engine: AnswerEngine) -> None:
    answer = await engine.ask("Wie ändere ich die PIN meines Diensthandys?")
    assert answer.abstained and not answer.private


async def test_ones_private_mail_account_is_private(engine: AnswerEngine) -> None:
    # Round 40: knowledge of the round lifted "für mein privates Mailkonto" to the BundID
    # entry (0.53); one's own account called private is a private thing.
    answer = await engine.ask("Wie schütze ich mein privates Mailkonto?")
    assert answer.abstained and answer.private
