"""One focused example per rule of the answer engine that no other test pinned (REVIEW-4
finding 9: removing the rule failed no test). Each test names the rule it guards; each was
checked to fail with its rule removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine, _tie_break
from bot.answers.render import render_answer
from storage.database import Database
from storage.knowledge import Hit
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_loader import write_entry, write_topic

real = intent.real  # the engine on the real knowledge base (fixture)


async def test_a_private_hint_declines_an_answer_that_does_not_fit(real: AnswerEngine) -> None:
    """Rule: "daheim", "zu Hause", "privat", "mein Passwort" decline an answer whose phrasing
    does not fit the question (engine._ask_one: ``private_hint(mine) and not direct``)."""
    # The backup entry is sure on content (0.74) but says nothing on when to back up at home.
    declined = await real.ask("Wann erstelle ich daheim eine Datensicherung?")
    assert declined.entry is None and not declined.private
    # The same words asking what the entry answers: answered, "daheim" or not.
    fitting = await real.ask("Wie erstelle ich daheim eine Datensicherung?")
    assert fitting.entry is not None and fitting.entry.id == "it-sicherheit-datensicherung"


@pytest.mark.parametrize(
    "question",
    [
        # Answered from the entry on a municipality's first steps before (sets 12, 20, 21).
        "Wie sichere ich mein WLAN zu Hause richtig ab?",
        # Answered from the entry on suppliers' software before (sets 19, 23).
        "Mein Handwerker hat mir privat eine viel zu hohe Rechnung geschickt. Muss ich zahlen?",
        # Answered from the entry on migration and emulation before.
        "Wie archiviere ich meine alten Fotos am besten?",
    ],
)
async def test_a_private_setting_declines_even_a_fitting_answer(
    real: AnswerEngine, question: str
) -> None:
    """Rule: one's home with something of one's own, "mir privat", one's own household bill or
    old photos, with no municipal subject, decline whatever phrasing fits, as private
    (engine._ask_one: ``private_setting(mine)``; not passed on, like private_sphere)."""
    answer = await real.ask(question)
    assert answer.entry is None and answer.private


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # One's own device at work is the work device (review REVIEW-32-code, M1-M2).
        ("Mein Computer ist mit Ransomware verschlüsselt. Was tun?", "it-sicherheit"),
        ("Mein Laptop wurde gestohlen, was muss ich jetzt tun?", "it-sicherheit"),
        ("I clicked a phishing link on my computer, what should I do?", "it-sicherheit"),
        ("Wie ändere ich die Transport-PIN mit meinem Smartphone?", "personalausweis"),
        ("My card reader is not recognised, what can I do?", "personalausweis"),
        # "zu Hause" as where a citizen or the member is (M3).
        (
            "Eine Bürgerin hat ihren PIN-Brief zu Hause verlegt. Was kann sie tun?",
            "personalausweis",
        ),
        ("Wie melde ich mich zum Plenum an, wenn ich zu Hause bin?", "vir-nordwest"),
        # Work at home is work (vocabulary.WORK_AT_HOME).
        ("Wie sichere ich mein Homeoffice zu Hause ab?", "it-sicherheit"),
        # "privat" other than "mir privat", and one's photos other than old ones, are hints.
        ("Darf ich mich privat für den Workshop anmelden?", "vir-nordwest"),
        ("Wie archiviere ich meine Fotos von der Ratssitzung?", "langzeitarchivierung"),
    ],
)
async def test_ones_device_or_home_alone_is_no_private_setting(
    real: AnswerEngine, question: str, topic: str
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.topic == topic


async def test_private_mail_in_the_home_office_stays_private(real: AnswerEngine) -> None:
    """Rule: "private" before a noun stays a hint in the home office too (declined as not
    fitting, not answered from the two-factor entry)."""
    assert (await real.ask("Darf ich im Homeoffice private E-Mails lesen?")).entry is None


@pytest.fixture
async def invoices(db: Database, tmp_path: Path) -> AnswerEngine:
    kb = tmp_path / "kb"
    write_topic(kb, "e-rechnung", "Elektronische Rechnung", ["E-Rechnung", "XRechnung"])
    write_entry(
        kb,
        "e-rechnung",
        "validator",
        "Welche Prüfwerkzeuge gibt es für die E-Rechnung?",
        ["Womit prüfe ich eine XRechnung?"],
        "Der Validator der KoSIT prüft XRechnungen kostenlos.",
        ["Validator", "Prüfung"],
    )
    write_entry(
        kb,
        "e-rechnung",
        "kosten",
        "Was kostet die Einführung der E-Rechnung?",
        ["Welche Kosten hat die E-Rechnung?"],
        "Die Einführung kostet je nach Software einige tausend Euro.",
        ["Kosten"],
    )
    engine = AnswerEngine(db, kb)
    await engine.refresh()
    return engine


async def test_passt_eher_only_for_an_entry_on_the_questions_subject(
    invoices: AnswerEngine,
) -> None:
    """Rule: a runner-up is offered ("Passt eher") only if it has a word of the question's own
    subject (engine._decide: ``_covers_subject(state, subject, also.doc_id)``)."""
    state = invoices._state
    query = state.analyzer.query("Was kostet ein Validator für die E-Rechnung?")
    # The cost entry is close behind the validator's on content (BM25 ahead, coverage behind),
    # close enough to be offered, but it shares only "kostet" and the topic's "E-Rechnung".
    hits = [Hit("validator", "e-rechnung", 1.0), Hit("kosten", "e-rechnung", 1.3)]
    decision = invoices._decide(state, query, hits)
    assert decision.pick.doc_id == "validator"
    assert decision.also is None


async def test_no_offer_for_the_other_part_off_its_subject(db: Database) -> None:
    """Rule: the other of two questions gets no "Passt eher" for an entry that shares only the
    first question's subject with it (engine._ask_one: a part's pick off its subject or its
    things is declined, never offered)."""
    strict = AnswerEngine(db, threshold=0.9)  # the salary part is below it, the 115 above
    await strict.refresh()
    answer = await strict.ask("Was ist die 115 und wie hoch ist das Gehalt dort?")
    assert answer.entry is not None and answer.entry.id == "115-was-ist"
    assert answer.also is None and not answer.parts
    assert answer.unanswered_question == "Was ist die 115? Wie hoch ist das Gehalt dort?"
    assert "Passt eher" not in render_answer(answer).body


async def test_a_chit_chat_part_is_neither_answered_nor_forwarded(real: AnswerEngine) -> None:
    """Rule: a chit-chat part of a message is neither answered nor forwarded
    (engine._ask_parts: ``answer.chatter``); one that asks the bot for something (a joke) is
    named as off the network's topics (thirty-seventh round, set 38's judges: "must decline"),
    a greeting or "wie geht's?" is dropped."""
    answer = await real.ask("Was ist die 115? Erzähl mir einen Witz?")
    assert answer.entry is not None and answer.entry.id == "115-was-ist"
    assert answer.unanswered == () and answer.also is None and not answer.parts
    assert answer.off_topic_parts == ("Erzähl mir einen Witz?",)
    assert "nicht zu den Themen des Netzwerks" in render_answer(answer).body
    answer = await real.ask("Was ist die 115? Und wie geht es dir?")
    assert answer.entry is not None and answer.entry.id == "115-was-ist"
    assert answer.unanswered == () and answer.off_topic_parts == ()
    assert "geht es dir" not in render_answer(answer).body


async def test_the_entry_for_the_place_asked_beats_the_general_one(
    db: Database, tmp_path: Path
) -> None:
    """Rule: an entry whose title names the place the question names gains PLACE_BONUS in the
    choice, and wins against a general one slightly ahead on content."""
    kb = tmp_path / "kb"
    write_topic(kb, "service-center-115", "Servicestelle", ["Servicestelle"])
    write_entry(
        kb,
        "service-center-115",
        "zeiten",
        "Wann ist die Servicestelle erreichbar?",
        ["Öffnungszeiten der Servicestelle"],
        "Werktags von 8 bis 18 Uhr.",
    )
    write_entry(
        kb,
        "service-center-115",
        "zeiten-bremen",
        "Wann ist die Servicestelle in Bremen erreichbar?",
        ["Öffnungszeiten der Servicestelle in Bremen"],
        "In Bremen werktags von 7 bis 19 Uhr.",
    )
    engine = AnswerEngine(db, kb)
    await engine.refresh()
    state = engine._state
    query = state.analyzer.query("Wann ist die Servicestelle in Bremen erreichbar?")
    ranked = [
        Hit("zeiten", "service-center-115", 1.0),
        Hit("zeiten-bremen", "service-center-115", 0.9),
    ]
    # The general entry is ahead on content by a tenth (more than its phrasing loses).
    vals = {"zeiten": 1.0, "zeiten-bremen": 0.9}
    assert _tie_break(state, query, ranked, vals)[0].doc_id == "zeiten-bremen"


@pytest.mark.parametrize(
    "question",
    [
        "Wie lange ist ein Personalausweis für unter 24-Jährige gültig?",
        "Wie lange gilt der Personalausweis bei 20-Jährigen?",
    ],
)
async def test_an_age_word_is_no_subject_of_its_own(real: AnswerEngine, question: str) -> None:
    """Rule: "24-Jährige" names an age, as "Jahre" does (vocabulary.GENERAL_WORDS): it is no
    subject the entry must contain, or the validity entry (it says "24 Jahre alt") would be
    declined as off the question's subject (engine._ask_one: ``off_subject``)."""
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == "personalausweis-gueltigkeit"


@pytest.mark.parametrize("question", ["Was gilt für 18-Jährige?", "Was dürfen 16-Jährige?"])
async def test_a_number_beside_everyday_words_names_nothing(
    real: AnswerEngine, question: str
) -> None:
    """Rule: with the age word general, the number was the question's only subject and
    picked whichever entry says "18" (the 115's hours; engine._numbers_only_subject).
    Declined, but no chatter: it goes to the coordination."""
    answer = await real.ask(question)
    assert answer.entry is None and not answer.chatter


async def test_a_compound_sharing_a_part_with_the_topics_name_names_a_subject(
    real: AnswerEngine,
) -> None:
    """Rule: only the topic's name itself is no subject (engine._subject_units): "Service-
    versprechen" shares "Service" with "Service Center und Behördennummer 115" but names a
    subject of its own, which the service promise's entry covers; counted as the topic's name,
    the question's only subject was "Kennzahlen", which that entry lacks, and it was declined
    as off its subject. (The question was "Welche Kennzahlen gehören zum ...": it sat at 0.403,
    and the twentieth round's knowledge moved it to 0.39996 by word statistics alone. Since the
    fiftieth round's knowledge the entry on measuring the promise answers it, which states the
    same figures: either entry of the promise keeps the rule.)"""
    answer = await real.ask("Welche Kennzahlen stehen im Serviceversprechen der 115?")
    assert answer.entry is not None
    assert answer.entry.id in {"115-serviceversprechen", "115-servicelevel-messung"}
    assert "75 %" in answer.entry.body


@pytest.mark.parametrize(
    "question",
    [
        # Answered before from the ID card's entries (AusweisApp, forgotten PIN, Smart-eID,
        # using the card).
        "Wie setze ich die PIN unserer SIM-Karte im Diensthandy zurück?",
        "SIM-PIN vergessen, was tun?",
        "Die PIN für unser Diensthandy ist gesperrt, wo bekomme ich die PUK der SIM?",
        "Wie lautet die Standard-PIN für den Drucker?",
        # Got the ID card's PUK entry once "3x" became "dreimal" (REVIEW-33-code-c, M6).
        "PIN 3x falsch eingegeben, Diensthandy gesperrt",
        # Answered before from the entry on review procedures / joint procurement.
        "Wie läuft eine Stellenausschreibung bei uns ab?",
        # Answered before from the entry on introducing the e-file.
        "Wie schreiben wir eine Stelle für das Hauptamt aus?",
        # Answered before from the entry on invoices between businesses.
        "Wo melde ich mein Gewerbe an?",
        "Wie melden wir ein Gewerbe an, und was kostet das?",
        "Welche Frist gilt für die Abmeldung eines Gewerbes?",
        "Wie schreibe ich als Kleinunternehmerin eine Rechnung ohne Umsatzsteuer?",
    ],
)
async def test_a_question_in_another_field_is_not_answered_from_the_topic_sharing_its_words(
    real: AnswerEngine, question: str
) -> None:
    """Rule: a SIM card's or printer's PIN, a job advertisement, registering a trade, or one's
    own small business's invoice leave out the topic that only shares their words
    (engine._ask_one and _ask_parts: ``borrowed_words_topics``; vocabulary.FOREIGN_PIN,
    JOB_POSTING, TRADE_REGISTRATION, OWN_BUSINESS); nothing else fits, so they are declined
    (and forwarded, not private)."""
    answer = await real.ask(question)
    assert answer.entry is None and not answer.private


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # The other topics keep their questions on the same words (review REVIEW-33-code-b:
        # each was declined when the rules declined the whole question).
        (
            "Wie schützen wir mobile Geräte für den Fall, dass sie verloren gehen – reicht "
            "eine Handy-PIN?",
            "it-sicherheit",
        ),
        ("Kann ich mich bei der BundID mit der PIN vom Handy anmelden?", "personalausweis"),
        (
            "Derzeit schreiben wir eine Stelle für die IT-Sicherheit aus. "
            "Welche Aufgaben hat ein ISB?",
            "it-sicherheit",
        ),
        (
            "Wir haben eine Stellenausschreibung für die IT-Sicherheit – "
            "welche Qualifikation braucht ein ISB?",
            "it-sicherheit",
        ),
        ("Fragen zur Gewerbeanmeldung – kann man dafür D115 anrufen?", "service-center-115"),
        (
            "Ist die 115 auch für Firmen da, zum Beispiel bei der Gewerbeanmeldung?",
            "service-center-115",
        ),
        (
            "Gilt die Rechnungspflicht nach § 14 UStG auch für mich als Kleinunternehmer?",
            "e-rechnung",
        ),
        ("Muss ich als Kleinunternehmer E-Rechnungen empfangen können?", "e-rechnung"),
        ("Meine Firma hat eine Phishing-Mail bekommen, was tun?", "it-sicherheit"),
        ("Wie ändere ich die PIN des Ausweises mit dem Diensthandy?", "personalausweis"),
        # Declined by the second version (REVIEW-33-code-c, M1-M5).
        ("Muss ich als Kleinunternehmer X-Rechnungen ausstellen?", "e-rechnung"),
        ("Bewerbung mit Makro im Anhang auf unsere Stellenanzeige – öffnen?", "it-sicherheit"),
        ("Ab welchem Wert muss die Stelle ausschreiben?", "e-vergabe"),
        ("Welche PIN ist gemeint, die 6-stellige oder die PIN vom Handy?", "personalausweis"),
        (
            "Wo kann ich mein Gewerbe anmelden, kann das die Hotline beantworten?",
            "service-center-115",
        ),
    ],
)
async def test_the_topics_own_questions_on_the_same_words_are_answered(
    real: AnswerEngine, question: str, topic: str
) -> None:
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.topic == topic


@pytest.mark.parametrize(
    "question",
    [
        # Answered from the entries on platform outages and on choosing a platform.
        "Was ist die E-Vergabe und wer haftet, wenn die Plattform ausfällt?",
        "Was ist die E-Vergabe und wer haftet für Fehler der Vergabeplattform?",
    ],
)
async def test_liability_is_answered_only_by_an_entry_that_speaks_of_it(
    real: AnswerEngine, question: str
) -> None:
    """Rule: liability asked and the entry says nothing of it: off the subject, the part is
    forwarded (engine._decide: ``_misses_liability``)."""
    answer = await real.ask(question)
    assert answer.entry is not None and answer.entry.id == "e-vergabe-kommunen"
    assert not answer.parts and answer.unanswered_question.startswith("Wer haftet")


async def test_liability_in_an_entry_that_speaks_of_it_is_answered(real: AnswerEngine) -> None:
    answer = await real.ask("Wer haftet in einer Bietergemeinschaft?")
    assert answer.entry is not None and answer.entry.id == "e-vergabe-bietergemeinschaft"
