"""Unit-test fixtures: a router harness on a real SQLite database, closed after each test."""

from __future__ import annotations

import hashlib
import inspect
import pickle
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import bot.answers.engine as answer_engine
from bot.answers.engine import AnswerEngine
from bot.config import Config
from bot.registry import Registry
from storage.database import Database
from tests.fakes import Harness, make_harness

HarnessFactory = Callable[..., Awaitable[Harness]]

# The answer engine's index, built once per test process. Building the index of the real
# knowledge base takes 2.5 s of CPU (12-15 s on a loaded machine), and a few hundred unit tests
# each need a fresh engine: that was most of the unit suite's time. A fresh build (no stored
# index rows) depends on the knowledge, the entries and the analysis settings below, so each
# distinct input is built for real once and every later engine gets its own unpickled copy
# (0.1 s): tests may change their engine without touching another's. Builds from a stored
# index are not cached (the restart path stays exercised), nor are integration tests' bots.
# A test that checks the build itself asks for ``real_index_build``.

_built_states: dict[bytes, bytes] = {}
_build_state = answer_engine._build_state


def _build_inputs() -> tuple[Any, ...]:
    """What the build reads besides its arguments: a test that patches one builds anew."""
    return (
        answer_engine.INDEX_VERSION,
        answer_engine.COMMON_TOPICS,
        answer_engine.GENERAL_SYNONYMS,
        answer_engine.PLACES,
        answer_engine.PLACE_NAMES,
    )


def _build_state_once(knowledge, entries, stored=None):  # type: ignore[no-untyped-def]
    if stored:
        return _build_state(knowledge, entries, stored)
    key = hashlib.sha256(pickle.dumps((knowledge, entries, _build_inputs()))).digest()
    if key not in _built_states:
        _built_states[key] = pickle.dumps(_build_state(knowledge, entries))
    return pickle.loads(_built_states[key])


@pytest.fixture(autouse=True, scope="session")
def answer_index_built_once() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(answer_engine, "_build_state", _build_state_once)
        yield


@pytest.fixture
def real_index_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's engines build their index for real (their side effects are checked)."""
    monkeypatch.setattr(answer_engine, "_build_state", _build_state)


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


# A test module whose tests only ask the engine (no chat FAQ entries, votes, patches or
# refreshes) says so with ``ENGINE_READ_ONLY = True``: its tests then share one engine. A
# fresh engine per test costs about half a second (the knowledge parsed, the index copied
# and written to SQLite): across the answer tests that was most of the unit suite's time.


def _engine_read_only(module: object) -> bool:
    return bool(getattr(module, "ENGINE_READ_ONLY", False))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The async tests of a read-only module run in the event loop of its shared engine."""
    for item in items:
        module = getattr(item, "module", None)
        if _engine_read_only(module) and inspect.iscoroutinefunction(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.asyncio(loop_scope="module"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AnswerEngine]:
    """One engine for all tests of a read-only module."""
    database = Database(tmp_path_factory.mktemp("shared-engine") / "engine.db")
    await database.open()
    answer_engine = AnswerEngine(database)
    await answer_engine.refresh()
    yield answer_engine
    await database.close()


@pytest.fixture
async def fresh_engine(db: Database) -> AnswerEngine:
    """An engine of this test's own, on its own database."""
    answer_engine = AnswerEngine(db)
    await answer_engine.refresh()
    return answer_engine


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> AnswerEngine:
    """The answer engine over the repository's knowledge base: the module's shared one if the
    module is read-only (above), else a fresh one."""
    read_only = _engine_read_only(request.module)
    return request.getfixturevalue("shared_engine" if read_only else "fresh_engine")


async def entry_of(engine: AnswerEngine, question: str) -> str:
    """The id of the entry that answers ``question``, "-" if none does (declined)."""
    answer = await engine.ask(question)
    return answer.entry.id if answer.entry else "-"
