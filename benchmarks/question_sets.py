"""Reading a question set (tests/data/questions*.toml): its ``[[q]]`` rows, each with the
question's ``text`` and expected ``topic`` ("" for off-topic) and, in most sets, its ``kind``
and what it ``asks`` for. Shared by the benchmark scripts and tests/answer_sets.py.

Judged files (``[[j]]`` verdicts) are not question sets; benchmarks/judging.py reads those.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def load_question_set(path: Path) -> list[dict[str, str]]:
    """The ``[[q]]`` rows of a question set, in file order (KeyError if it has none)."""
    with path.open("rb") as f:
        return tomllib.load(f)["q"]
