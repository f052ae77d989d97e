"""benchmarks/answer_churn.py (how many answers move when unrelated entries grow) on a handful
of questions: the grown copy really differs, the original knowledge base is untouched, and on a
tiny knowledge base exactly the question whose answer moved is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.answer_churn import choices, churn, grow
from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR
from tests.unit.test_answers_loader import write_entry, write_topic

TIED = "Zuschuss"  # only in the titles of "kitas" and "schulen", which are alike otherwise
QUESTIONS = [TIED, "Wie hoch ist der Mitgliedsbeitrag?", "Wie backe ich einen Käsekuchen?"]


def grants_kb(root: Path) -> Path:
    """A tiny knowledge base in which "Zuschuss" ties two entries: growing either one by its
    title (one more "Zuschuss" in its body) decides the tie for it."""
    write_topic(root, "vir-nordwest", "Verein", ["Verein"])
    for eid, who in (("kitas", "Kitas"), ("schulen", "Schulen")):
        write_entry(
            root,
            "vir-nordwest",
            eid,
            f"Zuschuss für {who}",
            [f"Gibt es Geld für {who}?"],
            f"{who} erhalten Geld vom Land.",
        )
    write_entry(
        root,
        "vir-nordwest",
        "beitrag",
        "Mitgliedsbeitrag des Vereins",
        ["Was kostet die Mitgliedschaft?"],
        "Der Beitrag beträgt zehn Euro im Jahr.",
    )
    return root


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


def _files(kb: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in kb.rglob("*.md")}


async def test_churn_reports_the_question_whose_answer_moved(tmp_path: Path) -> None:
    kb = grants_kb(tmp_path / "knowledge")
    files = _files(kb)
    # the tie goes to "kitas"; the other two questions: "beitrag", and declined
    assert await choices(kb, QUESTIONS) == [("kitas", ()), ("beitrag", ()), ("", ())]
    grown, moved = await churn(QUESTIONS, entries=1, seed=0, knowledge=kb)
    assert grown == ["schulen"]
    assert moved == [TIED]
    assert _files(kb) == files  # grown in a copy


@pytest.mark.parametrize(("seed", "grown_entry"), [(5, "kitas"), (2, "beitrag"), (1, "index")])
async def test_churn_reports_nothing_when_no_answer_moved(
    tmp_path: Path, seed: int, grown_entry: str
) -> None:
    """Growing the tie's winner, the other answered entry or the topic file moves nothing."""
    kb = grants_kb(tmp_path / "knowledge")
    grown, moved = await churn(QUESTIONS, entries=1, seed=seed, knowledge=kb)
    assert grown == [grown_entry]
    assert moved == []
