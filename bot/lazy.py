"""Modules imported on first use, never while a database transaction is open (REVIEW-10 N1).

Some packages are large and used only by some commands: icalendar (a registration's calendar
file, ≈ 2 MB resident), holidays (Germany's calendar for "werktags" reminders, ≈ 9 MB) and
wordfreq (words of other scripts, ≈ 8 MB). Importing them at start would cost every bot that
never needs them that memory. But an import takes 50–170 ms of the event loop, and inside a
command's transaction it would hold the database's write lock all that time.

So such a module is asked for with ``load(name)``. Inside a transaction of work run by
``outside_transactions`` (the router's handling of an event, every scheduled job), a module not
imported yet raises ``ImportNeeded``: the transaction is rolled back (the work writes nothing
that is not redone), the module is imported in a worker thread, and the work runs again. This
happens once per module and process (tests/unit/test_rerun_after_rollback.py holds every command
and job to that). Anywhere else the module is imported at once (logged if
a transaction is open: some caller was missed).

``ImportNeeded`` is a BaseException, like CancelledError: ``except Exception`` (the router's
error boundary, a capability's own) lets it through to ``outside_transactions``.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import logging
import sys
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import TypeVar

from storage.database import transaction_open

log = logging.getLogger(__name__)

T = TypeVar("T")

# Set by outside_transactions to the task running the work: that work can be run again, so
# load() may ask for that. A task the work creates inherits the variable but is another task
# (nobody would run it again): there load() imports at once (REVIEW-12 F7).
_deferrable: contextvars.ContextVar[asyncio.Task[object] | None] = contextvars.ContextVar(
    "vir_bot_imports_deferrable", default=None
)
# Imports running in a worker thread: until done, the module in sys.modules is half made.
_loading: dict[str, asyncio.Future[None]] = {}
# At most this many rounds (one per module the work needs); then, and after an import that
# failed in the worker thread, the work runs once more importing inline (errors raised in it).
MAX_ROUNDS = 8


class ImportNeeded(BaseException):
    """Raised inside a transaction for a module that is not imported yet."""

    def __init__(self, module: str) -> None:
        super().__init__(module)
        self.module = module


def load(name: str) -> ModuleType:
    """The module ``name``, imported now unless that would happen inside a transaction of
    work ``outside_transactions`` can run again (then ImportNeeded)."""
    module = sys.modules.get(name)
    if module is not None and name not in _loading:
        return module
    if transaction_open():
        owner = _deferrable.get()
        if owner is not None and owner is _current_task():
            raise ImportNeeded(name)
        log.warning("importing %s inside a database transaction (it holds the write lock)", name)
    return importlib.import_module(name)


def _current_task() -> asyncio.Task[object] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no event loop running
        return None


async def import_outside(name: str) -> None:
    """Import ``name`` in a worker thread (the event loop goes on meanwhile)."""
    pending = _loading.get(name)
    if pending is None:
        pending = _loading[name] = asyncio.ensure_future(
            asyncio.to_thread(importlib.import_module, name)  # type: ignore[arg-type]
        )
        pending.add_done_callback(lambda _: _loading.pop(name, None))
    await asyncio.shield(pending)


async def outside_transactions(work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work``; if it needed a module inside a transaction, import that and run it
    again. ``work`` must be safe to run again after its transaction rolled back (the router's
    handling of an event, a scheduled job: both are redone after a failure anyway)."""
    token = _deferrable.set(_current_task())
    try:
        for _ in range(MAX_ROUNDS):
            try:
                return await work()
            except ImportNeeded as need:
                log.info("importing %s outside the transaction, then handling again", need.module)
                try:
                    await import_outside(need.module)
                except Exception:
                    # The module cannot be imported (REVIEW-12 F1). Run the work once more
                    # importing inline: the ImportError is raised inside it, where the
                    # router's error boundary answers the member with a reference at once
                    # (not an event that "keeps failing" and stalls the sync loop).
                    log.exception(
                        "importing %s failed; handling once more without deferring", need.module
                    )
                    break
        _deferrable.set(None)
        return await work()
    finally:
        _deferrable.reset(token)
