"""benchmarks/frage_stages.py (where `!frage`'s in-process time goes): every stage is timed
once per `!frage`, none per `!hilfe`, and the module's patch of render_answer is undone."""

from __future__ import annotations

import commands.topics as topics_module
from benchmarks.frage_stages import measure


async def test_each_stage_is_timed_once_per_question() -> None:
    render = topics_module.render_answer
    rounds = 3
    timings = await measure(rounds)
    assert len(timings["!hilfe"]) == len(timings["!frage"]) == rounds
    for stage in ("engine.ask", "record_answer", "live_data", "render_answer"):
        assert len(timings[stage]) == rounds, stage
        assert all(t > 0 for t in timings[stage]), stage
    assert topics_module.render_answer is render
