"""Unit-test fixtures: a router harness on a real SQLite database, closed after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.answers.engine import AnswerEngine
from bot.config import Config
from bot.registry import Registry
from storage.database import Database
from tests.fakes import Harness, make_harness

HarnessFactory = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def harness_factory(tmp_path: Path) -> AsyncIterator[HarnessFactory]:
    made: list[Harness] = []

    async def make(
        registry: Registry | None = None, config: Config | None = None, **kwargs: Any
    ) -> Harness:
        harness = await make_harness(tmp_path, registry, config, **kwargs)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.services.jobs.scheduler.shutdown(wait=False)
        await harness.db.close()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "test.db")
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def engine(db: Database) -> AnswerEngine:
    """The answer engine over the repository's knowledge base."""
    answer_engine = AnswerEngine(db)
    await answer_engine.refresh()
    return answer_engine


async def entry_of(engine: AnswerEngine, question: str) -> str:
    """The id of the entry that answers ``question``, "-" if none does (declined)."""
    answer = await engine.ask(question)
    return answer.entry.id if answer.entry else "-"
