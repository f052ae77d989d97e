"""The domain model (bot/answers/domain.py) and the engine's veto on messages that read like
no member's question on the topics (engine.DOMAIN_VETO)."""

from __future__ import annotations

import json

import pytest

import bot.answers.engine as engine_module
from bot.answers.domain import MODEL_PATH, DomainModel, shipped_model
from bot.answers.engine import AnswerEngine


def test_the_plain_python_reading_matches_scikit_learns_logits() -> None:
    """benchmarks/fit_domain.py stores texts with the logit scikit-learn gave them; the bot's own
    reading of the exported weights must reproduce them (tokens, pieces, idf, norm per block)."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = DomainModel.from_dict(data)
    assert len(data["checks"]) >= 20
    for text, logit in data["checks"]:
        assert model.logit(text, clip=False) == pytest.approx(logit, abs=1e-6), text


def test_word_pieces_are_scikit_learns_char_wb_ngrams() -> None:
    assert DomainModel.pieces_of("Ab 115") == [" ab ", " 115", "115 "]
    assert DomainModel.pieces_of("a  b") == [" a ", " b "]  # short words: one piece each


def test_member_questions_and_private_ones_fall_on_their_sides() -> None:
    model = shipped_model()
    assert model.logit("Wie beantragen wir als Gemeinde eine Leitweg-ID?") > 0
    assert model.logit("Wie sichere ich mein WLAN zu Hause gegen die Nachbarn ab?") < -2.5


NEAR_MISS = "Wie sichere ich mein WLAN zu Hause richtig ab?"


async def test_a_message_that_reads_private_is_declined_and_not_forwarded(
    engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = await engine.ask(NEAR_MISS)
    assert answer.entry is None and answer.private  # private: never forwarded (commands/topics)
    # Without the veto the match statistics alone answer it (from the IT-security entries).
    monkeypatch.setattr(engine_module, "DOMAIN_VETO", float("-inf"))
    assert (await engine.ask(NEAR_MISS)).entry is not None


@pytest.mark.parametrize(
    "question",
    ["Wie nutze ich die eID?", "Wie steige ich in eine Arbeitsgruppe des Netzwerks ein?"],
)
async def test_a_members_short_question_in_the_first_person_is_not_vetoed(
    engine: AnswerEngine, question: str
) -> None:
    assert shipped_model().logit(question) > engine_module.DOMAIN_VETO
    assert (await engine.ask(question)).entry is not None
