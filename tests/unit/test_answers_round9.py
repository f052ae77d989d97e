"""Rules of the ninth round (issue 8, retrieval) and the open items of review REVIEW-8. Each
test names the rule it checks; every one was run with its rule reverted and failed then (the
reverted code is named in the test's comment). The questions are written for these tests, not
taken from the question sets. Measurements: docs/answer-quality.md, "Ninth round: retrieval"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.answers import engine as engine_module
from bot.answers.engine import AnswerEngine
from storage.database import Database
from storage.knowledge import Hit
from tests.unit.conftest import entry_of
from tests.unit.test_answers_loader import write_entry, write_topic
from tests.unit.test_answers_round8 import write_servicestelle_topic


@pytest.mark.parametrize("town", ["Rhede", "Lathen", "Rehden", "Stuhr"])
async def test_a_town_in_a_place_slot_is_neither_respelt_nor_unknown(
    engine: AnswerEngine, town: str
) -> None:
    # REVIEW-8 R1. Fails without the place slot in Analyzer.query (text.place_slot_words):
    # "Rhede" became "rede", "Lathen" "lachen", "Rehden" "reden" (only towns of
    # vocabulary.REGION_PLACES were left alone), and every unrespelt town ("Stuhr") was an
    # unknown word: known share 0.75, confidence 0.41 instead of 0.76.
    question = f"Wir sind die Gemeinde {town}, wie kommen wir an eine Leitweg-ID?"
    query = engine.features(question)
    assert town.lower() in {u.surface for u in query.units}
    assert query.known_share == engine.features("Wie kommen wir an eine Leitweg-ID?").known_share
    answer = await engine.ask(question)
    plain = await engine.ask("Wir sind eine Gemeinde, wie kommen wir an eine Leitweg-ID?")
    assert answer.entry is not None and answer.entry == plain.entry
    assert answer.score == pytest.approx(plain.score, abs=0.1)
    # ... after "in" too.
    query = engine.features(f"Wie erreichen Bürger die 115 in {town}?")
    assert query.known_share == engine.features("Wie erreichen Bürger die 115?").known_share


@pytest.mark.parametrize(
    ("question", "word"),
    [
        # A misspelt word of the knowledge base in the slot is still corrected ...
        ("Welche Vergabeplattform nutzen Gemeinden in Niedersachsn?", "niedersachsn"),
        ("Gibt es die 115 auch in Gebärdenspache?", "gebaerdenspache"),
    ],
)
def test_a_misspelt_word_in_a_place_slot_is_no_town(
    engine: AnswerEngine, question: str, word: str
) -> None:
    # The counter-examples of the rule above: the slot takes no word the knowledge base
    # corrects.
    unit = next(u for u in engine.features(question).units if u.surface == word)
    assert unit.known and not unit.general


def test_a_common_word_after_in_is_no_town(engine: AnswerEngine) -> None:
    # "in Outlook" names a thing the knowledge base does not know: it stays a subject (after
    # "in"/"aus" only a word of no language is taken for a town).
    unit = next(
        u
        for u in engine.features("Können wir E-Rechnungen in Outlook öffnen?").units
        if u.surface == "outlook"
    )
    assert not unit.general and not unit.known


@pytest.mark.parametrize(
    "question",
    [
        "Darf die Gemeinde Glasfaser selbst ausschreiben?",
        "Wie bekommt die Gemeinde Fördermittel für die E-Akte?",
    ],
)
async def test_a_noun_after_an_office_is_what_is_asked_not_a_town(
    engine: AnswerEngine, question: str
) -> None:
    # Review REVIEW-9, D1: with any word after "Gemeinde" taken for a town, these were
    # answered with confidence (the joint-tender entry at 0.59, the archive's first steps at
    # 0.75); the subject they ask about is in no entry, so they are passed on.
    noun = question.split("Gemeinde ")[1].split()[0].lower().replace("ö", "oe")
    unit = next(u for u in engine.features(question).units if u.surface == noun)
    assert not unit.general
    assert await entry_of(engine, question) == "-"


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


def _checklist_kb(root: Path, body: str) -> Path:
    """One entry on a checklist whose answer says ``body``; another topic for the margin."""
    kb = root / "kb"
    write_topic(kb, "it-sicherheit", "IT-Sicherheit", ["Informationssicherheit"])
    write_entry(
        kb,
        "it-sicherheit",
        "pruefliste",
        "Was ist die Musterprüfliste?",
        ["Musterprüfliste für Kommunen"],
        body,
        ["Musterprüfliste"],
    )
    write_topic(kb, "e-rechnung", "E-Rechnung", ["XRechnung"])
    write_entry(kb, "e-rechnung", "xr", "Was ist XRechnung?", [], "Ein Standard.")
    return kb


@pytest.mark.parametrize(
    ("body", "passed_on"),
    [
        # A year in a name or an edition tells no "wann": the part is passed on ...
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen; die Ausgabe von 2017 hat 19 "
            "Kapitel und gilt als Einstieg.",
            True,
        ),
        # ... a date does.
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen und für Kommunen seit dem "
            "1. März 2019 verbindlich.",
            False,
        ),
        (
            "Die Musterprüfliste ist ein Katalog von Prüffragen und ab 2027 für Kommunen "
            "verbindlich.",
            False,
        ),
    ],
)
async def test_a_when_part_needs_a_date_not_any_year(
    db: Database, tmp_path: Path, body: str, passed_on: bool
) -> None:
    # REVIEW-8 R2. Fails with the old "date" of engine.BODY_VALUES (any 19xx/20xx year): the
    # edition's year counted as the answer to "wann" and the part was not passed on.
    engine = AnswerEngine(db, _checklist_kb(tmp_path, body), threshold=0.0)
    answer = await engine.ask("Was ist die Musterprüfliste, und wann müssen wir sie umsetzen?")
    assert answer.entry is not None and answer.entry.id == "pruefliste"
    assert bool(answer.unanswered) == passed_on


@pytest.mark.parametrize(
    ("question", "joining"),
    [
        ("Wie kann sich unsere Gemeinde an der 115 beteiligen?", True),
        ("Können wir uns als kleine Kommune auch beteiligen?", True),
        # Paying a share or bidding is no joining:
        ("Müssen wir uns an den Kosten beteiligen?", False),
        ("Wie können wir uns an der Finanzierung des Servicecenters beteiligen?", False),
        ("Wie können sich Firmen an unseren Ausschreibungen beteiligen?", False),
        (
            "Darf sich ein Bieter an einer Ausschreibung beteiligen, die er mit vorbereitet hat?",
            False,
        ),
        # ... decided per sentence (REVIEW-9, R1: the whole message was read, so costs in the
        # story undid the joining question after it).
        (
            "An den Kosten der Telefonanlage beteiligt sich der Landkreis. Wie kann sich "
            "unsere Gemeinde an der 115 beteiligen?",
            True,
        ),
        ("Wir haben uns an den Kosten beteiligt. Wie können wir uns beteiligen?", True),
    ],
)
def test_taking_a_share_in_costs_or_a_tender_is_no_joining(
    engine: AnswerEngine, question: str, joining: bool
) -> None:
    # REVIEW-8 R4. Fails with the unconditional "beteiligen" of the "join" kind
    # (text.QUESTION_KINDS before the _NOT_JOINED lookahead) for the last four.
    assert ("join" in engine._state.analyzer.shape(question).kinds) == joining


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


async def test_a_verb_spelt_like_an_everyday_thing_is_no_thing(engine: AnswerEngine) -> None:
    # Cause "asked verb": "schulen" (to train) was the everyday thing "Schulen" (schools),
    # weighed 0.3 and never decided, so the password entry ("wie oft" ändern) beat the one on
    # training (set 10: "staff training -> passwords"). Fails without the lower-case check in
    # Analyzer.query (text.only_a_thing, lower_case_words): it-sicherheit-datensicherung.
    question = "Wie oft sollen wir unser Personal zu Informationssicherheit schulen?"
    assert await entry_of(engine, question) == "it-sicherheit-schulungen"
    unit = next(u for u in engine.features(question).units if u.surface == "schulen")
    assert not unit.general
    # The noun stays an everyday thing, and so does a word of GENERAL_WORDS in lower case.
    units = engine.features("Brauchen Schulen in unserer Gemeinde ein ISMS?").units
    assert next(u for u in units if u.surface == "schulen").general
    units = engine.features("Wie beantragen wir die Leitweg-ID?").units
    assert next(u for u in units if u.surface == "beantragen").general
    # ... and a place's adjective names the place ("Bremen", an everyday thing), though it is
    # written in lower case: no anchor of its own (it gave a decline topic suggestions).
    units = engine.features("Sind das nur niedersächsische Kommunen?").units
    assert next(u for u in units if u.surface == "niedersaechsische").general


async def test_a_part_pointing_back_is_not_answered_from_another_topic(
    engine: AnswerEngine,
) -> None:
    # Cause "neighbouring question": "... und gibt es dafür kostenlose Angebote?" is about the
    # first question's subject ("dafür"), but its own thing "Angebote" was read as tenders'
    # bids (e-vergabe-angebote-e-mail). Fails without the refers_back check for parts that
    # name a thing in AnswerEngine._ask_parts (checked).
    answer = await engine.ask(
        "Wie sensibilisieren wir die Beschäftigten für IT-Sicherheit, und gibt es dafür "
        "kostenlose Angebote?"
    )
    assert answer.entry is not None and answer.entry.id == "it-sicherheit-schulungen"
    assert not answer.parts
    assert [text for text, _ in answer.unanswered] == ["Gibt es dafür kostenlose Angebote?"]
    # Counter-example: an answer from the first's topic stays.
    answer = await engine.ask("Was ist ein ISMS, und welche Angebote gibt es dafür?")
    assert [a.entry.id for a in answer.parts if a.entry] == [
        "it-sicherheit-isms",
        "it-sicherheit-bsi",
    ]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Woher kriegen wir unsere Leitweg-ID?", "e-rechnung-leitweg-id-beantragen"),
        # The other side asking, or asked about, keeps the supplier's entry:
        ("Wo bekommen unsere Lieferanten die Leitweg-ID her?", "e-rechnung-leitweg-id-lieferant"),
        ("Wo findet ein Handwerker die Leitweg-ID der Stadt?", "e-rechnung-leitweg-id-lieferant"),
    ],
)
async def test_our_own_thing_is_not_what_the_other_side_gets(
    engine: AnswerEngine, question: str, entry: str
) -> None:
    # Cause "asker's perspective" (sets 3, 4, 9): "where do *we* get ours" got "where a
    # supplier finds it", whose phrasing asks the same kinds (wo, bekommen). A phrasing asked
    # by the other side (a supplier, bidder, company) fits a question of "wir/unsere" less
    # (text.Shape.voice, OTHER_SIDE). Fails with OTHER_SIDE = 1.0 for the first (checked).
    assert await entry_of(engine, question) == entry


def test_who_asks_is_told_by_the_question_sentence(engine: AnswerEngine) -> None:
    # The voice comes from the question sentence, not from a story before it naming the
    # other side. Fails with the voice taken from the whole text ({"first", "third"}).
    shape = engine._state.analyzer.shape(
        "Ein Lieferant will uns eine XRechnung schicken. Woher kriegen wir unsere Leitweg-ID?"
    )
    assert shape.voice == {"first"}


async def test_respelt_slang_does_not_rule_an_answer_out(engine: AnswerEngine) -> None:
    # Cause "colloquial": slang the knowledge base and wordfreq's common words do not know is
    # respelt to a common word ("Murks" -> "marks"); that guess became the question's only
    # subject, no entry had it, and the question was declined although it scored 0.60.
    # Fails without the `guessed` check in engine._subject_units (checked). Since the
    # eighteenth round "Murks" is a listed everyday word and no longer respelt; "Stuss" still
    # is ("stoss").
    question = "Kann man Mails einfach als .msg-Dateien ablegen oder is das Stuss?"
    assert await entry_of(engine, question) == "lza-e-mail"
    state = engine._state
    query = state.analyzer.query(question)
    guessed = [u for u in query.units if u.guessed]
    assert [u.surface for u in guessed] == ["stoss"]
    subject = engine_module._subject_units(state, query, "langzeitarchivierung")
    assert not any(u.guessed for u in subject)
    murks = "Kann man Mails einfach als .msg-Dateien ablegen oder is das Murks?"
    assert await entry_of(engine, murks) == "lza-e-mail"


@pytest.mark.parametrize(
    "question",
    ["Wer muss bei uns den ISB benennen?", "Muss eine Gemeinde eine ISB ernennen?"],
)
async def test_appointing_an_officer_is_one_verb(engine: AnswerEngine, question: str) -> None:
    # Cause "asked verb" (REVIEW-8's open ISB case): the ISB entry says the officer is
    # "bestellt", the data-protection comparison says the DSB is "benannt", so "benennen"
    # went to the comparison. Fails without the appointing group in
    # vocabulary.GENERAL_SYNONYMS for the first (it-sicherheit-datenschutz-unterschied).
    assert await entry_of(engine, question) == "it-sicherheit-isb"
