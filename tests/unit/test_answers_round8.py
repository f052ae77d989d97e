"""Rules of the eighth round (issue 8, retrieval) and the open items of review REVIEW-7. Each
test names the rule it checks; every one was run with its rule reverted and failed then
(the reverted code is named in the test's comment). The questions are written for these
tests, not taken from the question sets. Measurements: docs/answer-quality.md, "Eighth round:
retrieval"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from storage.database import Database
from tests.unit.conftest import entry_of
from tests.unit.test_answers_loader import write_entry, write_topic


@pytest.mark.parametrize(
    "question",
    [
        "Welchen Lohn müssen Bieter nach dem NTVergG in der Tariftreueerklärung zusagen?",
        "What wages must contractors pay under the NTVergG?",
    ],
)
async def test_a_wage_contractors_pay_is_no_ones_earnings(
    engine: AnswerEngine, question: str
) -> None:
    # REVIEW-7 D2/T2. Fails with "lohn"/"wages" back in the "salary" pattern (text.py): the
    # NTVergG entry, whose subject is the wage bidders pay, was declined.
    assert await entry_of(engine, question) == "e-vergabe-ntvergg"


@pytest.mark.parametrize(
    "question",
    [
        "Was verdient die Leiterin des Erprobungsraums?",
        "Wie viel Lohn bekommt ein Mitarbeiter im 115-Servicecenter?",
        "How much does a 115 agent earn?",
    ],
)
async def test_what_a_person_earns_stays_a_near_miss(engine: AnswerEngine, question: str) -> None:
    # The counter-examples of the rule above: a person's pay is still nobody's entry.
    assert await entry_of(engine, question) == "-"


@pytest.mark.parametrize("town", ["Stuhr", "Zeven", "Weyhe"])
def test_town_names_are_not_respelt(engine: AnswerEngine, town: str) -> None:
    # REVIEW-7 R4. Fails without the REGION_PLACES check in Analyzer.respell: "Stuhr" became
    # "stuhl", "Zeven" "zehen", "Weyhe" "wehe" (everyday words a letter away).
    analyzer = engine._state.analyzer
    assert analyzer.respell(town.lower()) == town.lower()
    units = engine.features(f"Ist die Gemeinde {town} schon bei der 115 dabei?").units
    assert town.lower() in {u.surface for u in units}
    # ... while a misspelt everyday word is still respelt.
    assert analyzer.respell("schwiegermuter") == "schwiegermutter"


@pytest.fixture
def big_topic_kb(tmp_path: Path) -> Path:
    """One topic of 45 entries that all contain "Servicestelle" once; the one on its start
    date has the longest body, so that BM25 ranks it last among equals."""
    kb = tmp_path / "kb"
    write_topic(kb, "vir-nordwest", "ViR-Nordwest", ["Netzwerk"])
    for n in range(44):
        write_entry(
            kb,
            "vir-nordwest",
            f"sst-{n}",
            f"Welche Aufgabe Nummer {n} übernimmt die Servicestelle?",
            [f"Aufgabe {n} der Servicestelle"],
            f"Die Servicestelle übernimmt Aufgabe {n}.",
        )
    write_entry(
        kb,
        "vir-nordwest",
        "sst-start",
        "Seit wann gibt es die Servicestelle?",
        ["Wann öffnete die Servicestelle?"],
        "Die Servicestelle ist seit dem 1. März 2019 für alle Kommunen da; vorher berieten "
        "die Kreise einzeln, mit eigenen Sprechzeiten, Formularen und Ansprechpersonen.",
    )
    write_topic(kb, "e-rechnung", "E-Rechnung", ["XRechnung"])
    write_entry(kb, "e-rechnung", "xr", "Was ist XRechnung?", [], "Ein Standard.")
    return kb


async def test_every_entry_of_a_large_topic_is_compared_by_shape(
    db: Database, big_topic_kb: Path
) -> None:
    # REVIEW-7 R3. Fails with the fixed SEARCH_LIMIT of 30 hits and MAX_CLOSE = 24: the entry
    # whose phrasing asks "seit wann" ranked 45th on content and was never compared.
    engine = AnswerEngine(db, big_topic_kb, threshold=0.0)
    assert await entry_of(engine, "Seit wann gibt es die Servicestelle?") == "sst-start"
