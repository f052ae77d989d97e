"""Where `!frage`'s time goes inside the bot, without a homeserver: the real router,
capabilities and a fresh SQLite database (the harness of the unit tests); `!hilfe` and
`!frage` alternate over questions.toml's on-topic questions as the round-trip benchmark cycles
them, and each stage of the answer (engine.ask, record_answer, live_data, render_answer) is
timed on its own. In-process only: what the homeserver and the members' clients add is the
round-trip benchmark's.

    python -m benchmarks.frage_stages [N]
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import commands.topics as topics_module
from benchmarks.roundtrip import on_topic_questions
from commands import build_capabilities
from commands.topics import Topics
from tests.fakes import ALICE, make_harness

WARMUP = 20


def _timed_async(
    acc: dict[str, list[float]], name: str, fn: Callable[..., Awaitable[Any]]
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            acc.setdefault(name, []).append(time.perf_counter() - start)

    return wrapper


def _timed(acc: dict[str, list[float]], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            acc.setdefault(name, []).append(time.perf_counter() - start)

    return wrapper


async def measure(rounds: int) -> dict[str, list[float]]:
    """Seconds per command kind and per stage of `!frage`, after WARMUP rounds."""
    stages: dict[str, list[float]] = {}
    totals: dict[str, list[float]] = {"!hilfe": [], "!frage": []}
    with tempfile.TemporaryDirectory() as tmp:
        harness = await make_harness(Path(tmp), capabilities=build_capabilities)
        render = topics_module.render_answer
        try:
            topics = next(c for c in harness.router.capabilities if isinstance(c, Topics))
            engine = topics.engine
            engine.ask = _timed_async(stages, "engine.ask", engine.ask)  # type: ignore[method-assign]
            engine.record_answer = _timed_async(stages, "record_answer", engine.record_answer)  # type: ignore[method-assign]
            topics.live_data = _timed_async(stages, "live_data", topics.live_data)  # type: ignore[method-assign]
            topics_module.render_answer = _timed(stages, "render_answer", render)
            questions = itertools.cycle(on_topic_questions())
            for i in range(rounds + WARMUP):
                if i == WARMUP:
                    stages.clear()
                for kind in totals:
                    text = kind if kind == "!hilfe" else f"!frage {next(questions)}"
                    start = time.perf_counter()
                    await harness.send(text, sender=ALICE)
                    if i >= WARMUP:
                        totals[kind].append(time.perf_counter() - start)
        finally:
            topics_module.render_answer = render
            harness.services.jobs.scheduler.shutdown(wait=False)
            await harness.db.close()
    return {**totals, **stages}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    for name, values in asyncio.run(measure(rounds)).items():
        print(
            f"{name:14s} median {statistics.median(values) * 1000:6.2f} ms"
            f"  mean {statistics.mean(values) * 1000:6.2f} ms  n={len(values)}"
        )


if __name__ == "__main__":
    main()
