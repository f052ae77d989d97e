"""Rules of the eighteenth round of retrieval work (issue 8; branch round18). Each test names
the rule it checks and was run with its rule reverted and failed then. The questions are written
for these tests, not taken from the question sets. Measurements: docs/answer-quality.md."""

from __future__ import annotations

from bot.answers.engine import AnswerEngine
from bot.answers.text import office_slot_words


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
