"""How many answers move when unrelated entries grow: a copy of the knowledge base in which
``--entries`` randomly chosen entries get one sentence more (their own title), and every question
of the given sets asked against both (a fresh SQLite database each). It measures how stable
the entry choice is against the collection's statistics (docs/answer-quality.md, twenty-sixth
round: near ties).

    python -m benchmarks.answer_churn --seed 1 --entries 10 tests/data/questions_heldout2*.toml
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import tempfile
from pathlib import Path

from benchmarks.question_sets import load_question_set
from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, AnswerEngine
from bot.answers.loader import split_front_matter
from storage.database import Database

Choice = tuple[str, tuple[str, ...]]  # the answered entry ("" declined) and each part's entry


async def choices(knowledge: Path, questions: list[str]) -> list[Choice]:
    """The entry each question is answered with, by an engine on ``knowledge``."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "churn.db")
        await db.open()
        try:
            engine = AnswerEngine(db, knowledge)
            await engine.refresh()
            out: list[Choice] = []
            for text in questions:
                answer = await engine.ask(text)
                entry = answer.entry.id if answer.entry and not answer.abstained else ""
                out.append((entry, tuple(p.entry.id for p in answer.parts if p.entry)))
            return out
        finally:
            await db.close()


def grow(knowledge: Path, entries: int, seed: int) -> list[str]:
    """Append each chosen entry's title to its body, in place; the chosen files' names."""
    files = sorted(knowledge.rglob("*.md"))
    chosen = random.Random(seed).sample(files, min(entries, len(files)))
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        title = str(split_front_matter(text)[0].get("title", ""))
        path.write_text(text.rstrip("\n") + f"\n\nZusammengefasst: {title}\n", encoding="utf-8")
    return [p.stem for p in chosen]


async def churn(
    questions: list[str], entries: int, seed: int, knowledge: Path = DEFAULT_KNOWLEDGE_DIR
) -> tuple[list[str], list[str]]:
    """The grown entries (of a copy of ``knowledge``; it stays untouched) and the questions
    whose answer moved."""
    before = await choices(knowledge, questions)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "knowledge"
        shutil.copytree(knowledge, copy)
        grown = grow(copy, entries, seed)
        after = await choices(copy, questions)
    moved = [q for q, b, a in zip(questions, before, after, strict=True) if b != a]
    return grown, moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question_sets", type=Path, nargs="+")
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    questions = [q["text"] for path in args.question_sets for q in load_question_set(path)]
    grown, moved = asyncio.run(churn(questions, args.entries, args.seed))
    print(f"grown: {', '.join(grown)}")
    for text in moved:
        print(f"moved: {text[:100]}")
    print(f"{len(moved)} of {len(questions)} answers moved")


if __name__ == "__main__":
    main()
