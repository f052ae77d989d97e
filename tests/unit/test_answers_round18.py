"""Rules of the eighteenth round of retrieval work (issue 8; branch round18). Each test names
the rule it checks and was run with its rule reverted and failed then. The questions are written
for these tests, not taken from the question sets. Measurements: docs/answer-quality.md."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import office_slot_words, said_private
from storage.database import Database
from tests.unit.conftest import entry_of


def test_an_office_after_a_preposition_of_place_is_where_the_asker_works() -> None:
    assert office_slot_words("Ein Mitarbeiter im Bauamt hat sein Passwort weitergegeben") == {
        "bauamt"
    }
    assert office_slot_words("Bei uns in der Kämmerei klemmt der Drucker") == {"kaemmerei"}
    assert office_slot_words("Kann ich als Kollege aus dem Bauhof mitmachen?") == {"bauhof"}
    # Named as the subject, not as the place: not an office slot.
    assert office_slot_words("Das Hauptamt fragt, ob wir archivieren müssen") == frozenset()
    # The citizens' offices are where ID-card questions tell their story: not listed.
    assert office_slot_words("Eine Bürgerin kam heute ins Bürgerbüro") == frozenset()


async def test_an_office_as_the_place_is_an_everyday_word_and_never_respelt(
    engine: AnswerEngine,
) -> None:
    # "Hauptamt" is no word of the knowledge base: as an unknown subject it weighed most and
    # sank the question; "Bauamt" was respelt to the knowledge base's "Bauart".
    analyzer = engine._state.analyzer
    units = {
        u.surface: u for u in analyzer.query("Im Hauptamt fragt man, was Archivierung ist").units
    }
    assert units["hauptamt"].general
    units = {u.surface: u for u in analyzer.query("Das Hauptamt fragt, was Archivierung ist").units}
    assert not units["hauptamt"].general
    surfaces = [
        u.surface
        for u in analyzer.query("Ein Mitarbeiter im Bauamt hat sein Passwort weitergegeben").units
    ]
    assert "bauamt" in surfaces and "bauart" not in surfaces


@pytest.mark.parametrize(
    "question",
    [
        "Der Fliesenleger hat mir privat eine völlig überzogene Rechnung geschickt. Muss ich das "
        "so bezahlen?",
        "Mein Handwerker hat mir privat eine Rechnung für die Küche geschickt. Muss ich die so "
        "bezahlen?",
    ],
)
async def test_a_matter_called_private_is_declined_even_when_a_phrasing_fits(
    db: Database, question: str
) -> None:
    # "Muss ich die so bezahlen?" fits an e-invoice entry's phrasing; these questions sat just
    # under the threshold, and any new entry could lift them over it. With no threshold at
    # all they are still declined: the asker calls the matter private.
    engine = AnswerEngine(db, threshold=0.0)
    await engine.refresh()
    assert await entry_of(engine, question) == "-"


def test_private_is_said_of_the_askers_matter_not_of_the_private_sector() -> None:
    assert said_private("Der Maler hat mir privat eine Rechnung geschickt")
    assert not said_private("Dürfen private Unternehmen E-Rechnungen an uns schicken?")
    assert not said_private("Dürfen Beschäftigte private Handys für Dienstmails nutzen?")
