"""The answer engine's shortcuts (docs/performance.md, fifteenth round) compute exactly what the
plain computation does: coverage on an entry's term sets cut to the question's terms, the kind
weights of question shapes summed once per shape, the topic names' terms once per state."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import engine as engine_module
from bot.answers.engine import AnswerEngine
from bot.answers.text import _KIND_WEIGHT, OTHER_SIDE, Shape
from storage.database import Database
from tests.unit import test_answers_intent as intent
from tests.unit.test_answers_loader import write_kb

real = intent.real  # the engine on the real knowledge base (fixture)

QUESTIONS = (
    "Was ist die XRechnung?",
    "Wie lange dauert die Rechnungseingangsplattform-Registrierung?",
    "Wir sind eine kleine Gemeinde. Ab wann müssen wir E-Rechnungen empfangen?",
    "Gibt es kostenlose Schulungen zum Online-Banking und zur Langzeitarchivierung?",
    "Was kostet die 115 und wann ist sie erreichbar?",
    "Ein Lieferant schickt uns ein PDF. Ist das so eine Datei, die wir annehmen müssen?",
)


def plain_coverage(
    state: engine_module._State, doc_id: str, weights: engine_module._Weights
) -> tuple[float, float]:
    """``_coverage`` as it was: every word against the entry's whole term sets."""
    head = state.head.get(doc_id, frozenset())
    body = state.terms.get(doc_id, frozenset())
    got = anchor = 0.0
    for word in weights.words:
        unit = word.unit
        credit = unit.coverage(head) or engine_module.BODY_CREDIT * unit.coverage(body)
        got += word.idf_weight * credit
        if not unit.general:
            key = unit.anchor(head) or engine_module.BODY_CREDIT * unit.anchor(body)
            anchor = max(anchor, word.key_weight * max(key, engine_module.PLAIN_ANCHOR * credit))
    return (got / weights.total if weights.total else 0.0), anchor


@pytest.mark.parametrize("question", QUESTIONS)
async def test_coverage_on_cut_term_sets_is_exact(engine: AnswerEngine, question: str) -> None:
    state = engine._state
    query = state.analyzer.query(question)
    weights = engine_module._unit_weights(state, query)
    assert weights.terms == frozenset().union(*(u.terms for u in query.units))
    for doc_id in state.entries:
        # Bit for bit, for every entry (not only the hits): the answers must not move.
        assert engine_module._coverage(state, doc_id, weights) == plain_coverage(
            state, doc_id, weights
        )


def plain_similarity(question: Shape, phrasing: Shape) -> float:
    """``Shape.similarity`` as it was (with the engine's weights): the kinds' union summed."""
    kinds = question.kinds | phrasing.kinds
    union = sum(_KIND_WEIGHT.get(k, 1.0) for k in kinds)
    both = sum(_KIND_WEIGHT.get(k, 1.0) for k in question.kinds & phrasing.kinds)
    kind = engine_module.KIND_SHARE * both / union if union else 0.0
    extra = engine_module.CONTENT_WEIGHT - 1.0
    size = len(question.words) + len(phrasing.words)
    size += extra * (len(question.content) + len(phrasing.content))
    both = len(question.words & phrasing.words) + extra * len(question.content & phrasing.content)
    fit = kind + (1.0 - engine_module.KIND_SHARE) * (2.0 * both / size if size else 0.0)
    if question.voice == {"first"} and phrasing.voice == {"third"}:
        fit *= OTHER_SIDE
    return fit


@pytest.mark.parametrize("question", QUESTIONS)
async def test_similarity_with_cached_kind_weights_is_exact(
    engine: AnswerEngine, question: str
) -> None:
    state = engine._state
    shape = state.analyzer.shape(question)
    for shapes in state.shapes.values():
        for phrasing in shapes:
            fit = shape.similarity(phrasing, engine_module.KIND_SHARE, engine_module.CONTENT_WEIGHT)
            assert fit == plain_similarity(shape, phrasing)


async def test_topic_names_cached_per_state_stay_right(db: Database, tmp_path: Path) -> None:
    engine = AnswerEngine(db, write_kb(tmp_path / "kb"))
    await engine.refresh()

    def recomputed() -> dict[str, frozenset[str]]:
        a = engine._state.analyzer
        return {
            t.id: frozenset(a.doc_terms(f"{t.title} {t.title_en}", english=True))
            for t in engine._state.topics.values()
        }

    assert engine._state.topic_names == recomputed() != {}
    # A chat entry adds terms to the index, not to the analyser's vocabulary: the topic names'
    # terms stay what the analyser makes of them.
    entry = await engine.add_faq_entry(
        "e-rechnung",
        "Wie funktioniert die Rechnungseingangsplattform mit Peppol-Zugang?",
        "Über den Peppol-Zugangspunkt der Plattform.",
    )
    assert entry.id in engine._state.entries
    assert engine._state.topic_names == recomputed()
    assert await engine.remove_faq_entry(entry.id)
    assert engine._state.topic_names == recomputed()


# Declined as a whole, answered by the second look without its colloquial alternative (set
# 11). (Set 13's "Ist XRechnung 3.0 eigentlich was Neues …" served until the thirty-seventh
# round: a phrasing of the XRechnung entry answers it as a whole now.)
SECOND_LOOK = (
    "Na, kann man bei der 115 eigentlich auch am Wochenende anrufen oder ist da Schicht im Schacht?"
)


async def test_a_message_is_analysed_once_for_both_looks(
    real: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ask`` hands its analysis of the whole message to ``_second_look`` instead of analysing
    it again; the second look's answer is the one a fresh analysis gives."""
    analyzer = real._state.analyzer
    fresh = analyzer.query(SECOND_LOOK)
    expected = await real._second_look(SECOND_LOOK, "service-center-115", fresh)
    assert expected is not None and expected.entry is not None  # premise: the second look answers

    whole: list[str] = []
    query = analyzer.query

    def counting(text: str, *args: object, **kwargs: object) -> object:
        if text == SECOND_LOOK:
            whole.append(text)
        return query(text, *args, **kwargs)

    monkeypatch.setattr(analyzer, "query", counting)
    answer = await real.ask(SECOND_LOOK)
    assert answer.entry is not None and answer.entry.id == expected.entry.id
    assert answer.score == expected.score
    assert len(whole) == 1
