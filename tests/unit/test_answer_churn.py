"""benchmarks/answer_churn.py (how many answers move when unrelated entries grow) on a handful
of questions: the grown copy really differs, and the original knowledge base is untouched."""

from __future__ import annotations

from pathlib import Path

from benchmarks.answer_churn import choices, churn, grow
from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR


def test_growing_appends_the_title_to_the_chosen_entries(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    (copy / "t").mkdir(parents=True)
    for name in ("a", "b", "c"):
        (copy / "t" / f"{name}.md").write_text(f'+++\ntitle = "Titel {name}"\n+++\nText.\n')
    grown = grow(copy, 2, seed=1)
    assert len(grown) == 2
    for name in ("a", "b", "c"):
        text = (copy / "t" / f"{name}.md").read_text()
        assert text.endswith(f"Zusammengefasst: Titel {name}\n") == (name in grown)


async def test_churn_asks_both_and_leaves_the_shipped_knowledge_alone() -> None:
    questions = ["Was ist die 115?", "Wie backe ich einen Käsekuchen?"]
    signature = sorted((p.name, p.stat().st_size) for p in DEFAULT_KNOWLEDGE_DIR.rglob("*.md"))
    grown, moved = await churn(questions, entries=3, seed=2)
    assert len(grown) == 3 and set(moved) <= set(questions)
    assert sorted((p.name, p.stat().st_size) for p in DEFAULT_KNOWLEDGE_DIR.rglob("*.md")) == (
        signature
    )
    assert await choices(DEFAULT_KNOWLEDGE_DIR, questions) == [("115-was-ist", ()), ("", ())]
