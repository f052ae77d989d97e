"""Rules of the eighteenth round of retrieval work (issue 8; branch round18). Each test names
the rule it checks and was run with its rule reverted and failed then. The questions are written
for these tests, not taken from the question sets. Measurements: docs/answer-quality.md."""

from __future__ import annotations

import pytest

from bot.answers.engine import AnswerEngine
from bot.answers.text import _NAMED_NUMBER, fold, office_slot_words
from tests.unit.conftest import entry_of


def test_an_office_after_a_preposition_of_place_is_where_the_asker_works() -> None:
    assert office_slot_words("Ein Mitarbeiter im Bauamt hat sein Passwort weitergegeben") == {
        "bauamt"
    }
    assert office_slot_words("Bei uns in der Kämmerei klemmt der Drucker") == {"kaemmerei"}
    assert office_slot_words("Kann ich als Kollege aus dem Bauhof mitmachen?") == {"bauhof"}
    assert office_slot_words("Eine Kollegin aus der Kämmerei fragt") == {"kaemmerei"}
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


async def test_a_later_part_that_points_back_keeps_the_first_parts_topic(
    engine: AnswerEngine,
) -> None:
    # "dafür" is the 115 question's subject; the first part is not sure enough to answer,
    # and its best entry is the 115's. The later part's own words ("liefern") found the
    # procurement thresholds for supplies (0.83) and answered them alone.
    question = (
        "Bürger aus dem Umland rufen beim Bürgertelefon an. Kann Bremen unsere Leistungen "
        "mitbeantworten, und was müssten wir dafür liefern?"
    )
    assert await entry_of(engine, question) == "-"


@pytest.mark.parametrize("word", ["Kram", "Krams", "Murks", "Gedöns", "Zeug"])
async def test_a_vague_colloquial_noun_is_an_everyday_word(engine: AnswerEngine, word: str) -> None:
    # Unknown to the knowledge base, "Kram" weighed as a subject of its own and sank the
    # question; "Murks" and "Krams" were respelt to "Marks" and "krass".
    question = f"Was machen wir mit dem ganzen digitalen {word} im Archiv?"
    units = {u.surface: u for u in engine._state.analyzer.query(question).units}
    folded = word.lower().replace("ö", "oe")
    assert folded in units and units[folded].general


def test_an_age_is_no_named_number() -> None:
    # "20-Jährigen" named the number 20 like "BSI 200-2", and the new ID-copy entry's
    # "§ 20 PAuswG" took a question on the card's validity (test_answers_rules caught it).
    assert _NAMED_NUMBER.findall(fold("Was gilt bei 20-Jährigen und 16-jährigen?")) == []
    assert _NAMED_NUMBER.findall(fold("BSI-Standard 200-2 und § 20 PAuswG")) == ["200", "2", "§ 20"]
