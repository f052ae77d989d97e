"""Which entries are compared: every entry of a topic is compared by the shape of its phrasings
(the search window follows the largest topic, grows and shrinks with FAQ entries, and an empty
knowledge base declines), and the margin over the best entry of another topic does not depend
on the window (the rival topic is sought without fetching the whole index).
Each test names the rule it checks and was run once with its rule reverted and failed then (where
its comment names the reverted code, that is what was reverted). The questions are written for
these tests, not taken from the question sets. The tests come from the retrieval rounds of
issue 8 (seventh to eighteenth); the measurements are in docs/answer-quality.md, in each round's
section."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from storage.database import Database
from storage.knowledge import Hit
from tests.unit.conftest import entry_of
from tests.unit.test_answers_loader import write_entry, write_topic


async def test_all_entries_of_a_topic_are_compared_by_shape(engine: AnswerEngine) -> None:
    # All 115 entries match "115" alike: the one whose phrasing asks what the 115 brings
    # (entlasten) must be among those compared, more than twelve.
    question = (
        "Unser Bürgerbüro ist überlastet. Der Landrat fragt, ob uns die 115 da entlasten würde."
        " Was kann ich ihm sagen?"
    )
    assert await entry_of(engine, question) == "115-nutzen"


def write_servicestelle_topic(kb: Path, count: int) -> None:
    """The topic vir-nordwest with ``count`` alike entries that all contain "Servicestelle"."""
    write_topic(kb, "vir-nordwest", "ViR-Nordwest", ["Netzwerk"])
    for n in range(count):
        write_entry(
            kb,
            "vir-nordwest",
            f"sst-{n}",
            f"Welche Aufgabe Nummer {n} übernimmt die Servicestelle?",
            [f"Aufgabe {n} der Servicestelle"],
            f"Die Servicestelle übernimmt Aufgabe {n}.",
        )


@pytest.fixture
def big_topic_kb(tmp_path: Path) -> Path:
    """One topic of 45 entries that all contain "Servicestelle" once; the one on its start
    date has the longest body, so that BM25 ranks it last among equals."""
    kb = tmp_path / "kb"
    write_servicestelle_topic(kb, 44)
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


async def test_the_search_window_follows_the_largest_topic_both_ways(
    db: Database, big_topic_kb: Path
) -> None:
    # The window is derived from the entries per topic: FAQ entries added in chat widen it,
    # and removing them narrows it again (it only ever grew while it was stored).
    engine = AnswerEngine(db, big_topic_kb, threshold=0.0)
    await engine.refresh()
    before = engine._state.search_limit
    added = [
        await engine.add_faq_entry("vir-nordwest", f"Was tut die Servicestelle am Tag {n}?", "Ja.")
        for n in range(3)
    ]
    assert engine._state.search_limit == before + 3
    for entry in added:
        assert await engine.remove_faq_entry(entry.id)
    assert engine._state.search_limit == before


async def test_a_knowledge_base_without_entries_declines(db: Database, tmp_path: Path) -> None:
    # The search window is derived from the entries per topic (30c38ed); with none it raised
    # TypeError (max() of SEARCH_LIMIT alone), so every question of a fresh deployment with an
    # empty knowledge folder got an internal error instead of "not known".
    kb = tmp_path / "kb"
    kb.mkdir()
    engine = AnswerEngine(db, kb)
    await engine.refresh()
    answer = await engine.ask("Was ist eine Leitweg-ID?")
    assert answer.entry is None and answer.topic is None


def _grown_kb(root: Path, id_card_entries: int) -> Path:
    """An ID-card topic of ``id_card_entries`` entries with "Ausweis" in their titles, a
    library entry of another topic that has it once in its body, and filler entries of four
    more topics (none larger than the ID-card one, so the window is the ID-card topic's size)."""
    write_topic(root, "personalausweis", "Personalausweis", ["Personalausweis"])
    for n in range(id_card_entries):
        write_entry(
            root,
            "personalausweis",
            f"ausweis-{n}",
            f"Was gilt für den Ausweis im Fall {n}?",
            [f"Ausweis im Fall {n}"],
            f"Im Fall {n} gilt die Regel {n}.",
        )
    write_topic(root, "vir-nordwest", "ViR-Nordwest", ["Netzwerk"])
    write_entry(
        root,
        "vir-nordwest",
        "bibliothek",
        "Welche Angebote hat die Bibliothek des Netzwerks?",
        ["Was verleiht die Bibliothek?"],
        "Die Bibliothek verleiht Fachbücher gegen Vorlage von Ausweis und Leserkarte.",
    )
    for topic in ("e-vergabe", "e-rechnung", "it-sicherheit", "langzeitarchivierung"):
        write_topic(root, topic, topic, [topic])
        for n in range(20):
            write_entry(
                root,
                topic,
                f"{topic}-{n}",
                f"Welche Frist Nummer {n} gilt für {topic}?",
                [f"Frist {n} bei {topic}"],
                f"Für {topic} gilt die Frist {n} in Tagen.",
            )
    return root


@pytest.mark.parametrize("grown", [31, 40])
async def test_the_margin_does_not_depend_on_the_window(tmp_path: Path, grown: int) -> None:
    # Found by the knowledge author: one more ID-card entry containing "Ausweis" pushed the
    # last hit of another topic out of the fetched window, the margin became 1.0 and near
    # misses were answered. Fails without the search for other topics' hits beyond the
    # window (AnswerEngine._ask_one, "rivals"): with 31 or 40 ID-card entries the window
    # holds only them, the margin is 1.0 and the confidence rises.
    question = "Welche Regel gilt beim Ausweis?"
    seen = []
    for name, size in (("small", 20), ("grown", grown)):
        database = Database(tmp_path / f"{name}.db")
        await database.open()
        try:
            # The threshold lies between the confidences with and without the margin's
            # jump (0.645 vs 0.696), so that the jump flips the decision.
            kb = _grown_kb(tmp_path / name, size)
            engine = AnswerEngine(database, kb, threshold=0.67)
            answer = await engine.ask(question)
            seen.append((answer.entry is None, engine.last_features[1], answer.score))
        finally:
            await database.close()
    (small_declined, small_margin, small_score), (declined, margin, score) = seen
    assert small_declined
    assert declined, "the near miss is answered once the topic has grown"
    assert margin < 1.0
    assert abs(margin - small_margin) < 0.05
    assert abs(score - small_score) < 0.02


async def test_the_rival_topic_is_sought_without_fetching_the_whole_index(
    db: Database, tmp_path: Path
) -> None:
    # REVIEW-8 N3b. When the window holds one topic's entries only, the best entry of another
    # topic gives the margin: it is sought by a search that leaves that topic out, fetching no
    # more than the window. Fails with the whole-index search (a limit of every entry plus the
    # window, d0206e5). The margin itself is the round-8 test's
    # (test_the_margin_does_not_depend_on_the_window).
    kb = tmp_path / "kb"
    write_servicestelle_topic(kb, 31)
    write_topic(kb, "service-center-115", "Behördennummer 115", ["115"])
    write_entry(
        kb,
        "service-center-115",
        "sc",
        "Was ist das Servicecenter?",
        [],
        "Die Servicestelle der 115 nimmt Anrufe an.",
    )
    engine = AnswerEngine(db, kb, threshold=0.0)
    await engine.refresh()
    calls: list[tuple[int, str | None]] = []
    search = engine.store.search

    async def spy(
        terms: Sequence[str], weights: Sequence[float], limit: int = 30, **kw: str | None
    ) -> list[Hit]:
        calls.append((limit, kw.get("other_than")))
        return await search(terms, weights, limit, **kw)

    engine.store.search = spy  # type: ignore[method-assign]
    answer = await engine.ask("Welche Aufgaben hat die Servicestelle?")
    assert answer.entry is not None and answer.entry.topic == "vir-nordwest"
    window = engine._state.search_limit
    assert calls == [(window, None), (window, "vir-nordwest")]
    assert engine.last_features[1] < 1.0  # the other topic's entry was found: a margin < 1
    hits = await search(["servicestell"], (4.0, 3.0, 3.0, 1.0, 0.5), 50, other_than="vir-nordwest")
    assert [h.doc_id for h in hits] == ["sc"]
