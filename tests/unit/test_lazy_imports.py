"""No module is imported while a database transaction is open (REVIEW-10 N1): an import
holds the event loop for 50-170 ms, and inside a transaction the write lock too. Modules used
by some commands only are loaded on first use (bot/lazy.py), outside the transaction."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.jobs import Jobs, create_scheduler
from bot.lazy import load, outside_transactions
from storage.database import Database
from tests.unit.conftest import HarnessFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def probe(tmp_path: Path) -> Iterator[str]:
    """A module never imported before; it notes whether a transaction was open then."""
    name = f"lazy_probe_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(
        "import storage.database as d\nIN_TRANSACTION = d._current.get() is not None\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield name
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)


async def test_a_module_needed_inside_a_transaction_is_imported_outside_it(
    db: Database, probe: str
) -> None:
    runs = 0

    async def work() -> str:
        nonlocal runs
        runs += 1
        async with db.transaction():
            await db.execute("INSERT OR REPLACE INTO kv VALUES ('run', ?)", (str(runs),))
            return str(load(probe).IN_TRANSACTION)

    assert await outside_transactions(work) == "False"
    assert runs == 2  # rolled back once, then done with the module there
    assert [r["value"] for r in await db.fetchall("SELECT value FROM kv WHERE key = 'run'")] == [
        "2"
    ]
    assert await outside_transactions(work) == "False" and runs == 3  # loaded: no second round


async def test_a_scheduled_job_imports_outside_its_transaction(db: Database, probe: str) -> None:
    scheduler = create_scheduler(ZoneInfo("Europe/Berlin"))
    scheduler.start(paused=True)
    jobs = Jobs(scheduler, FakeClock(), db)
    seen: list[bool] = []

    async def job() -> None:
        async with db.transaction():
            seen.append(load(probe).IN_TRANSACTION)

    jobs.at("probe", FakeClock().now(), job)
    (scheduled,) = scheduler.get_jobs()
    await scheduled.func(*scheduled.args)
    scheduler.shutdown(wait=False)
    assert seen == [False]


async def test_elsewhere_a_module_is_imported_at_once(db: Database, probe: str) -> None:
    """Work that cannot run again (no outside_transactions): imported where it is, as before."""
    async with db.transaction():
        assert load(probe).IN_TRANSACTION is True


def test_the_first_commands_of_a_new_bot_import_nothing_inside_a_transaction() -> None:
    """A new interpreter (nothing imported by other tests): an event created, a registration
    (its .ics: icalendar), a "werktags" reminder and the list of reminders (holidays), a
    question in a DM (the answer engine). ``python -m tests.lazy_imports_scenario -v`` shows
    where an import happened."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.lazy_imports_scenario"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded_before"] == []  # the start-up imports neither
    assert report["loaded"] == ["icalendar", "holidays.countries.germany"]  # the commands did
    assert report["inside"] == []
    assert any(body == "n1-2027.ics" for body in report["replies"])
    assert any("Feiertag" in body or "werktags" in body for body in report["replies"])


async def test_a_module_that_cannot_be_imported_fails_inside_the_work(db: Database) -> None:
    """REVIEW-12 F1: the import in the worker thread fails. The work runs once more importing
    inline, so the ImportError is raised inside it: the router's error boundary (here the
    work's own ``except Exception``) gets it at once and nothing escapes to the dispatcher."""
    caught: list[BaseException] = []
    runs = 0

    async def work() -> str:
        nonlocal runs
        runs += 1
        try:
            async with db.transaction():
                load("no_such_module_review12")
        except Exception as exc:  # the router's error boundary
            caught.append(exc)
            return "internal error reply"
        return "done"

    assert await outside_transactions(work) == "internal error reply"
    assert runs == 2
    assert [type(e) for e in caught] == [ModuleNotFoundError]


async def test_a_task_the_work_creates_imports_at_once(db: Database, probe: str) -> None:
    """REVIEW-12 F7: a child task inherits the context but nobody would run it again, so its
    load() imports where it is (logged) instead of dying of ImportNeeded."""
    import asyncio

    async def child() -> bool:
        async with db.transaction():
            return bool(load(probe).IN_TRANSACTION)

    async def work() -> bool:
        return await asyncio.create_task(child())

    assert await outside_transactions(work) is True


async def test_a_reaction_imports_outside_its_transaction(
    harness_factory: HarnessFactory, probe: str
) -> None:
    """REVIEW-12 F6: a reaction's hook (a ✅ registration makes an .ics: icalendar's first
    import) runs inside the router's transaction; the module is imported outside it."""
    from bot.events import IncomingReaction
    from bot.feature import Capability

    seen: list[bool] = []

    class Probe(Capability):
        async def on_reaction(self, reaction: IncomingReaction) -> None:
            seen.append(load(probe).IN_TRANSACTION)

    h = await harness_factory(capabilities=lambda services: [Probe(services)])
    reaction = IncomingReaction("!r:x", "$react", "@alice:x", "$msg", "✅", 1)
    await h.router.handle_reaction(reaction)
    assert seen == [False]
