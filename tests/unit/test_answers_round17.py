"""Rules of the seventeenth round of retrieval work (issue 8; branch round17). Each test names
the rule it checks and was run with its rule reverted and failed then. The questions are written
for these tests, not taken from the question sets. Measurements: docs/answer-quality.md."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import other_numbers_in
from tests.unit.conftest import entry_of


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        (
            "Unsere Kollegen schreiben sich das Passwort auf einen Zettel am Bildschirm – "
            "wie gewöhnen wir ihnen das ab?",
            "it-sicherheit-passwoerter",
        ),
    ],
)
async def test_an_office_thing_asked_at_work_is_a_subject(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # "Passwort" is an everyday thing (one's own online banking): alone it decides nothing.
    # Asked at work ("Kollegen", "Ordnungsamt") in the question sentence, it is what IT
    # security is asked about; without the rule both questions are declined.
    assert await entry_of(engine, question) == entry


@pytest.mark.parametrize(
    "question",
    [
        "Ich habe mein Passwort fürs Online-Banking vergessen, was nun?",
        "Mein Laptop zu Hause startet nicht mehr, was kann ich tun?",
        "Welchen Laptop soll ich mir privat kaufen?",
        # The review's probes (REVIEW-17, 7): no office named, or a laptop at work whose
        # battery, not its security, is asked about.
        "Unsere Familie teilt sich einen Laptop, wie richten wir getrennte Passwörter ein?",
        "Samt Laptop wurde mein Rucksack gestohlen, was nun?",
        "Mein Chef im Fitnessstudio hat sein Passwort vergessen.",
        "Der Akku vom Laptop meiner Kollegin hält nur noch eine Stunde, was tun?",
        "Im Rathaus habe ich mein Passwort fürs private Online-Banking vergessen.",
    ],
)
async def test_ones_own_password_or_laptop_stays_declined(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "-"


async def test_the_workplace_must_be_named_in_the_question_sentence(engine: AnswerEngine) -> None:
    # "bei uns im Bürgerbüro" in the story does not make the laptop of the citizen in the
    # question sentence an office device (a set question went from the PIN entry to the one
    # on lost devices when the whole message counted).
    question = (
        "Bei uns im Bürgerbüro war heute ein Herr, der die Online-Funktion seines Ausweises "
        "nie genutzt hat und den PIN-Brief nicht mehr findet. Er hat kein Handy, nur einen "
        "Laptop. Was genau muss er tun?"
    )
    assert await entry_of(engine, question) != "it-sicherheit-geraeteverlust"


async def test_the_words_of_a_value_asked_search_by_their_group(engine: AnswerEngine) -> None:
    # "erreichbar", "Uhr" are everyday words and were no search terms, so the entry on the
    # 115's hours was not among the hits at all and the entry on accessibility answered.
    # Their synonym group (opening hours, like "kostet" for costs: SEARCHED_KINDS) is.
    question = "Um wie viel Uhr ist die Behördennummer erreichbar?"
    assert await entry_of(engine, question) == "115-serviceversprechen"


@pytest.mark.parametrize(
    "question",
    [
        "Wann ist meine Hausarztpraxis telefonisch erreichbar?",
        "Was kostet ein Anruf beim Kundenservice meiner Bank?",
        "Zu welchen Zeiten hat das Freibad geöffnet?",
    ],
)
async def test_searching_the_value_asked_answers_no_near_miss(
    engine: AnswerEngine, question: str
) -> None:
    assert await entry_of(engine, question) == "-"


async def test_printing_is_an_everyday_verb(engine: AnswerEngine) -> None:
    # "druckt" matched the ID-card entries' "Druck" words: with "Bürgerbüro" a printer fault
    # was answered from the entry on applying for an ID card (a decline-set question tipped
    # over the threshold by an unrelated new entry). Printing is everyday office work.
    question = "Der Drucker bei uns im Bürgerbüro druckt alles doppelt, was können wir machen?"
    assert await entry_of(engine, question) == "-"
    assert await entry_of(engine, "Dürfen wir E-Rechnungen ausdrucken und abheften?") == (
        "e-rechnung-aufbewahrung"
    )


async def test_a_language_asked_in_stays_a_subject(engine: AnswerEngine) -> None:
    # Tried in this round: "auf Englisch" as an everyday word like "Deutsch". It answered a
    # bid in English from the entry on shared platforms and "can I take part in English?"
    # from the plenum's attendance entry (both judged "no"): a language asked about is the
    # subject, and no entry has it.
    question = (
        "Eine belgische Firma fragt, ob sie ihr Angebot auch auf Englisch über unsere "
        "Vergabeplattform einreichen darf."
    )
    assert await entry_of(engine, question) == "-"


async def test_an_application_for_admission_is_joining(engine: AnswerEngine) -> None:
    # "Aufnahmeantrag" is a word of joining (GENERAL_SYNONYMS), not a subject of its own that
    # the entry on joining lacks.
    question = "Wie stellt unsere Stadt einen Aufnahmeantrag bei der ViR-Nordwest?"
    assert await entry_of(engine, question) == "vir-nordwest-mitmachen"
    assert await entry_of(engine, "Gibt es einen Aufnahmeantrag für den Sportverein?") == "-"


@pytest.mark.parametrize("message", ["Test 1 2 3", "hallo, nur ein test", "Testnachricht 42"])
async def test_a_test_message_is_chatter(engine: AnswerEngine, message: str) -> None:
    # Found through set 19 after its measure: "test" is a keyword (penetration tests), so a
    # member trying the bot got an IT-security answer. Not forwarded either.
    answer = await engine.ask(message)
    assert answer.entry is None and answer.chatter


async def test_a_number_of_a_bus_line_or_room_is_not_the_115(engine: AnswerEngine) -> None:
    # Found through set 19 after its measure: "Linie 115" is a bus, not the service number;
    # "die 115 … Zimmer 115" still names the service number.
    assert await entry_of(engine, "Ist die Linie 115 morgens pünktlich?") == "-"
    assert other_numbers_in("wann faehrt die linie 115 ab hauptbahnhof") == {"115"}
    assert other_numbers_in("ist die 115 auch fuer zimmer 115 zustaendig") == frozenset()
