"""Answer latency on a 500-entry knowledge base, against a naive linear-scan baseline.

    python -m benchmarks.answer_latency [--entries 500] [--questions 1000]

The knowledge base is the real one plus synthetic entries made from it (questions and
sentences of two entries of the same topic mixed), written to a temporary directory. Both
contenders get the same questions: the labelled set from tests/data/questions.toml plus
phrasings taken from the entries, cycled up to --questions. Target: engine p95 < 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import quantile  # noqa: E402
from benchmarks.question_sets import load_question_set  # noqa: E402
from bot.answers.engine import DEFAULT_KNOWLEDGE_DIR, AnswerEngine  # noqa: E402
from bot.answers.loader import Entry, load, render_entry_file  # noqa: E402
from bot.answers.text import is_stop, stem_de, tokenize  # noqa: E402
from storage.database import Database  # noqa: E402

QUESTIONS = ROOT / "tests" / "data" / "questions.toml"


def build_kb(target: Path, size: int, rng: random.Random) -> list[Entry]:
    """Copy the real knowledge base and add synthetic entries until there are ``size``."""
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, target)
    real = list(load(target).entries)
    by_topic: dict[str, list[Entry]] = {}
    for e in real:
        by_topic.setdefault(e.topic, []).append(e)
    entries = list(real)
    n = 0
    while len(entries) < size:
        a = rng.choice(real)
        b = rng.choice(by_topic[a.topic])
        sentences = re.split(r"(?<=[.!?])\s+", a.body) + re.split(r"(?<=[.!?])\s+", b.body)
        rng.shuffle(sentences)
        n += 1
        pool = list(dict.fromkeys([*a.questions, *b.questions]))
        questions = tuple(rng.sample(pool, k=min(4, len(pool))))
        synthetic = replace(
            a,
            id=f"{a.id}-syn{n}",
            title=f"{a.title} (Variante {n}: {b.title})",
            questions=tuple(f"{q} (Variante {n})" for q in questions),
            keywords=tuple(dict.fromkeys([*a.keywords, *b.keywords])),
            body=" ".join(sentences[: max(2, len(sentences) // 2)]),
            en=None,
            path=None,
        )
        path = target / a.topic / f"{synthetic.id}.md"
        path.write_text(render_entry_file(synthetic), encoding="utf-8")
        entries.append(synthetic)
    return entries


def make_questions(entries: list[Entry], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(question, expected topic or "") pairs: the labelled set first, then entry phrasings."""
    labelled = [(q["text"], q["topic"]) for q in load_question_set(QUESTIONS)]
    pool = [(q, e.topic) for e in entries if e.path is not None for q in e.questions]
    out = list(labelled)
    while len(out) < count:
        out.append(rng.choice(pool))
    return out[:count]


class LinearScan:
    """Baseline: stemmed token overlap with every entry, no index, no thresholds."""

    def __init__(self, entries: list[Entry]) -> None:
        self.docs = [
            (e, self.terms(" ".join([e.title, *e.questions, *e.keywords, e.body]))) for e in entries
        ]

    @staticmethod
    def terms(text: str) -> set[str]:
        return {stem_de(t) for t in tokenize(text) if not is_stop(t)}

    def ask(self, question: str) -> Entry | None:
        q = self.terms(question)
        best, best_score = None, 0.0
        for entry, terms in self.docs:
            score = len(q & terms) / (len(q) or 1)
            if score > best_score:
                best, best_score = entry, score
        return best if best_score >= 0.5 else None


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {q[49]:6.2f} ms  p95 {q[94]:6.2f} ms  p99 {q[98]:6.2f} ms  max {ms[-1]:6.2f} ms"


def accuracy(results: list[tuple[str, str]], labelled: int) -> str:
    on = [(want, got) for want, got in results[:labelled] if want]
    off = [(want, got) for want, got in results[:labelled] if not want]
    right = sum(want == got for want, got in on)
    abstained = sum(got == "" for _, got in off)
    return (
        f"labelled set: top-1 topic {right}/{len(on)} = {right / max(1, len(on)):.1%}, "
        f"off-topic abstained {abstained}/{len(off)} = {abstained / max(1, len(off)):.1%}"
    )


@dataclass(frozen=True)
class Prepared:
    engine: AnswerEngine
    entries: list[Entry]
    questions: list[tuple[str, str]]
    labelled: int
    build_s: float
    reload_s: float
    rebuilt: bool


@asynccontextmanager
async def prepared(size: int, count: int, seed: int) -> AsyncIterator[Prepared]:
    """A ``size``-entry knowledge base indexed in a temporary database, and the questions."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="answer-bench-") as tmp:
        kb_dir = Path(tmp) / "knowledge"
        entries = build_kb(kb_dir, size, rng)
        questions = make_questions(entries, count, rng)
        labelled = len(load_question_set(QUESTIONS))
        db = Database(Path(tmp) / "bench.db")
        await db.open()
        try:
            engine = AnswerEngine(db, kb_dir, check_interval=3600)
            t0 = time.perf_counter()
            await engine.refresh()
            build = time.perf_counter() - t0
            t0 = time.perf_counter()
            rebuilt = await AnswerEngine(db, kb_dir).refresh()
            reload = time.perf_counter() - t0
            yield Prepared(engine, entries, questions, labelled, build, reload, rebuilt)
        finally:
            await db.close()


async def engine_times(
    engine: AnswerEngine, questions: list[tuple[str, str]]
) -> tuple[list[float], list[tuple[str, str]]]:
    """Seconds per question and (expected, answered) topics, after the same warm-up."""
    for q, _ in questions[:20]:  # warm caches the same way for both
        await engine.ask(q)
    times, results = [], []
    for q, want in questions:
        t0 = time.perf_counter()
        answer = await engine.ask(q)
        times.append(time.perf_counter() - t0)
        results.append((want, answer.topic.id if answer.topic else ""))
    return times, results


@dataclass(frozen=True)
class AskLatency:
    entries: int
    questions: int
    p50_ms: float
    p95_ms: float


async def measure(size: int = 500, count: int = 1000, seed: int = 7) -> AskLatency:
    """The engine's ``ask`` latency (for ``python -m benchmarks``)."""
    async with prepared(size, count, seed) as p:
        times, _ = await engine_times(p.engine, p.questions)
        ms = [t * 1000 for t in times]
        return AskLatency(len(p.engine.entries), len(ms), quantile(ms, 0.5), quantile(ms, 0.95))


async def run(size: int, count: int, seed: int) -> int:
    async with prepared(size, count, seed) as p:
        engine, labelled = p.engine, p.labelled
        print(
            f"knowledge base: {len(engine.entries)} entries in {len(engine.topics)} topics; "
            f"index build {p.build_s * 1000:.0f} ms, restart without rebuild "
            f"{p.reload_s * 1000:.0f} ms (rebuilt: {p.rebuilt})"
        )
        print(f"questions: {len(p.questions)} ({labelled} labelled + entry phrasings)")
        times, results = await engine_times(engine, p.questions)
        engine_p95 = quantile(times, 0.95) * 1000
        print(f"engine (FTS5 bm25)  {percentiles(times)}")
        print(f"                    {accuracy(results, labelled)}")

        baseline = LinearScan(p.entries)
        times, results = [], []
        for q, want in p.questions:
            t0 = time.perf_counter()
            entry = baseline.ask(q)
            times.append(time.perf_counter() - t0)
            results.append((want, entry.topic if entry else ""))
        print(f"baseline (scan)     {percentiles(times)}")
        print(f"                    {accuracy(results, labelled)}")
    verdict = "OK" if engine_p95 < 10 else "SLOW"
    print(f"target p95 < 10 ms: {verdict} ({engine_p95:.2f} ms)")
    return 0 if engine_p95 < 10 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(run(args.entries, args.questions, args.seed))


if __name__ == "__main__":
    raise SystemExit(main())
