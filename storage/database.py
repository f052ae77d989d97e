"""The one SQLite wrapper: WAL, synchronous=FULL, foreign keys, serialised write transactions.

aiosqlite runs one thread per connection, and coroutines sharing a connection share its
transaction: another task's COMMIT would commit our half-done work. So writes go through one
connection behind an asyncio.Lock with an explicit ``BEGIN IMMEDIATE``, and reads use a second
connection that only ever sees committed data (WAL allows readers next to the writer).

Transactions are *ambient*: inside ``async with db.transaction()`` every repository call of the
same task (``execute``, ``fetchone``, a nested ``transaction()``) joins that transaction and
reads its uncommitted writes. That is how a command's writes, its "handled" mark and its
replies commit together or not at all, without passing a connection through every call. A
nested ``transaction()`` is a SAVEPOINT: its failure undoes only its own writes. ``atomic()``
groups statements that only stand or fall with the whole: inside a transaction it joins it
without a savepoint (two round trips to SQLite's thread less), and if it fails the transaction
can no longer commit.

Every commit waits for the disk (``synchronous=FULL``) unless the transaction is opened with
``durable=False``: then it commits in WAL mode without an fsync (``synchronous=NORMAL``). Such a
commit survives a crash of the process (it is in the operating system's cache) but may be undone
by a power failure, together with everything committed after it, until the next durable commit
(the fsync of the log covers the earlier frames too). That is only for work that is simply done
again after such a loss: the transaction of a command whose second handling reproduces all it
wrote (see CommandSpec.durable).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import MIGRATIONS, SchemaTooNewError

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # the writer's default; see Database._begin
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


@dataclass(frozen=True)
class Written:
    """What one write statement did."""

    lastrowid: int
    rowcount: int


@dataclass
class _Transaction:
    """The open write transaction of one task (see ``Database.transaction``)."""

    db: Database
    task: asyncio.Task[Any] | None
    durable: bool = True
    depth: int = 0
    # Savepoint depth at which an ``atomic()`` part failed (its writes may be half done), and
    # its failure: COMMIT is refused unless a savepoint around it was rolled back.
    broken_at: int | None = None
    broken_by: BaseException | None = None
    # (savepoint depth, callback): a rolled-back savepoint drops what it registered.
    after_commit: list[tuple[int, Callable[[], None]]] = field(default_factory=list)


# Which transaction the current task is in. Child tasks inherit context variables, so the
# owning task is checked too: a task spawned inside a transaction does not join it.
_current: contextvars.ContextVar[_Transaction | None] = contextvars.ContextVar(
    "vir_bot_transaction", default=None
)


def transaction_open() -> bool:
    """Whether the current task is inside a write transaction (of any database): it holds
    the write lock, and nothing slow (an import) should happen now (bot/lazy.py)."""
    tx = _current.get()
    if tx is None:
        return False
    try:
        return tx.task is asyncio.current_task()
    except RuntimeError:  # a worker thread: no task, and it does not hold the lock
        return False


class Database:
    """Owns the connections; repositories (storage/*.py) take it and hold all SQL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        # The writer connection's level; None: unknown (a switch failed or was cancelled).
        self._synchronous: str | None = "FULL"

    def _active(self) -> _Transaction | None:
        tx = _current.get()
        if tx is None or tx.db is not self or tx.task is not asyncio.current_task():
            return None
        return tx

    @property
    def in_transaction(self) -> bool:
        return self._active() is not None

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the current transaction has committed (at once if none is
        open); dropped on rollback. E.g. waking the outbox sender for a queued message."""
        tx = self._active()
        if tx is None:
            callback()
        else:
            tx.after_commit.append((tx.depth, callback))

    async def open(self) -> None:
        # The database holds the access token: owner-only whatever the umask. SQLite gives
        # the -wal and -shm files the mode of the database file.
        private_dir(self.path.parent)
        for path in (self.path, *_sidecars(self.path)):
            if path == self.path or path.exists():
                private_file(path)
        self._writer = await self._connect()
        await self._migrate()
        self._reader = await self._connect()

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in PRAGMAS:
            async with conn.execute(pragma):
                pass
        return conn

    async def _migrate(self) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
            )
            async with conn.execute("SELECT version FROM schema_version") as cursor:
                rows = list(await cursor.fetchall())
            if not rows:
                await conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            current = rows[0][0] if rows else 0
        latest = len(MIGRATIONS)
        if current > latest:
            raise SchemaTooNewError(current, latest)
        for version in range(current + 1, latest + 1):
            async with self.transaction() as conn:
                await MIGRATIONS[version - 1](conn)
                await conn.execute("UPDATE schema_version SET version = ?", (version,))
            log.info("database migrated to version %d", version)

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT version FROM schema_version")
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self, durable: bool | None = None) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back on any exception.

        Inside an open transaction of the same task this is a SAVEPOINT instead: an exception
        undoes the nested writes only, and the outer transaction decides about the rest (and
        about ``durable``). ``durable=False``: the commit does not wait for the disk (see the
        module's docstring); only for work that is redone if a power failure undoes it. The
        default waits for the disk; asking for that inside a non-durable transaction is an error
        (it could not be kept).
        """
        conn = self._require(self._writer)
        outer = self._active()
        if outer is not None:
            if durable and not outer.durable:
                raise RuntimeError("a durable transaction cannot nest in a non-durable one")
            outer.depth += 1
            name = f"sp{outer.depth}"
            await conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                await conn.execute(f"ROLLBACK TO {name}")
                outer.after_commit = [(d, c) for d, c in outer.after_commit if d < outer.depth]
                if outer.broken_at is not None and outer.broken_at >= outer.depth:
                    outer.broken_at = None  # the failed atomic() part is undone with it
                    outer.broken_by = None
                await conn.execute(f"RELEASE {name}")
                raise
            else:
                await conn.execute(f"RELEASE {name}")
                # Released: what it registered or broke now belongs to the enclosing level, so
                # a later sibling savepoint's rollback must not drop or clear it.
                inner = outer.depth
                outer.after_commit = [(min(d, inner - 1), c) for d, c in outer.after_commit]
                if outer.broken_at is not None and outer.broken_at >= inner:
                    outer.broken_at = inner - 1
            finally:
                outer.depth -= 1
            return
        async with self._write_lock:
            tx = _Transaction(self, asyncio.current_task(), durable=durable is not False)
            token = _current.set(tx)
            try:
                await self._begin(conn, "FULL" if tx.durable else "NORMAL")
                try:
                    yield conn
                    self.check_intact()
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                try:
                    await conn.execute("COMMIT")
                except BaseException:
                    # Never leave it open: the next BEGIN would fail, or commit it later
                    # although its caller was told it failed.
                    await self._discard_open(conn)
                    raise
            finally:
                _current.reset(token)
        for _, callback in tx.after_commit:
            callback()

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[aiosqlite.Connection]:
        """Statements that stand or fall together, and with the work around them.

        Outside a transaction this is ``transaction()``. Inside one it joins it without a
        SAVEPOINT (a savepoint costs two round trips to SQLite's thread): a failure is not
        undone on its own but fails the whole transaction, which then refuses to commit even
        if the exception is caught. So use ``transaction()`` where a caller catches the
        failure and carries on (e.g. a UNIQUE violation that means "registered already").
        """
        tx = self._active()
        if tx is None:
            async with self.transaction() as conn:
                yield conn
            return
        try:
            yield self._require(self._writer)
        except BaseException as exc:
            if tx.broken_at is None or tx.depth < tx.broken_at:
                tx.broken_at = tx.depth
                tx.broken_by = exc
            raise

    def check_intact(self) -> None:
        """Raise if a part of the task's transaction failed inside ``atomic()`` and was not
        undone by a savepoint: the transaction cannot commit. The router checks this after a
        handler returns, so such a handler ends in its error reply, not in a failed event."""
        tx = self._active()
        if tx is not None and tx.broken_at is not None:
            raise RuntimeError(
                "a part of this transaction failed (atomic), so it cannot commit"
            ) from tx.broken_by

    async def _begin(self, conn: aiosqlite.Connection, synchronous: str) -> None:
        """BEGIN IMMEDIATE at the given level. The level cannot change inside a transaction,
        so a change goes with the BEGIN in one call (one round trip to the connection's
        thread, as a plain BEGIN). executescript would first COMMIT a transaction left open,
        so none may be: see _discard_open."""
        await self._discard_open(conn)
        if synchronous == self._synchronous:
            await conn.execute("BEGIN IMMEDIATE")
            return
        await self._set_level(
            synchronous, conn.executescript(f"PRAGMA synchronous={synchronous}; BEGIN IMMEDIATE")
        )

    async def _set_level(self, synchronous: str, switch: Awaitable[object]) -> None:
        """Track the writer's level across ``switch``; unknown if it fails or is cancelled
        (the statement may still have run in the connection's thread)."""
        self._synchronous = None
        await switch
        self._synchronous = synchronous

    async def _discard_open(self, conn: aiosqlite.Connection) -> None:
        """Roll back a transaction left open on the writer (a BEGIN or COMMIT that failed or
        was cancelled after it ran in the connection's thread). Only called behind the write
        lock, so it is nobody's live transaction."""
        if conn.in_transaction:
            log.warning("rolling back a transaction left open on the writer connection")
            await conn.execute("ROLLBACK")

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement in its own transaction; returns lastrowid."""
        return (await self.write(sql, params)).lastrowid

    async def write(self, sql: str, params: Params = ()) -> Written:
        """One write statement, atomic by itself: inside the task's transaction it joins it
        (no savepoint needed for a single statement), else it commits on its own (autocommit,
        behind the write lock). One round trip to the connection's thread instead of three:
        each round trip is two thread wake-ups, and on a loaded machine each waits for a core.
        """
        conn = self._require(self._writer)
        if self._active() is not None:
            cursor = await conn.execute(sql, params)
            return Written(cursor.lastrowid or 0, cursor.rowcount)
        async with self._write_lock:
            await self._discard_open(conn)
            if self._synchronous != "FULL":  # after a durable=False transaction
                await self._set_level("FULL", conn.execute("PRAGMA synchronous=FULL"))
            cursor = await conn.execute(sql, params)
            return Written(cursor.lastrowid or 0, cursor.rowcount)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    def _read_connection(self) -> aiosqlite.Connection:
        # Inside a transaction read through it: the caller must see its own writes, and a
        # check-then-write (capacity) must not read outside the lock it holds.
        if self._active() is not None:
            return self._require(self._writer)
        return self._require(self._reader)

    # Reads are one round trip to the connection's thread (execute, fetch and close together),
    # not three. fetchone is for queries of at most a few rows (by key, LIMIT, aggregates).

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = list(await self._read_connection().execute_fetchall(sql, params))
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return list(await self._read_connection().execute_fetchall(sql, params))

    async def backup(self, target: Path) -> None:
        """Consistent copy including the WAL (never copy the .db file alone), owner-only."""
        private_file(target)  # VACUUM INTO accepts an empty file and keeps its mode
        async with aiosqlite.connect(self.path) as conn:
            await conn.execute("VACUUM INTO ?", (str(target),))

    @staticmethod
    def _require(conn: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if conn is None:
            raise RuntimeError("database is not open")
        return conn


# --- files: owner-only, and consistent copies of any SQLite file ------------------------------

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (with parents) as an owner-only folder, or tighten an existing one.

    mkdir's mode is filtered by the umask (often 0o022), so the mode is set explicitly.
    """
    path.mkdir(parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only if missing; tighten it if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    os.close(fd)
    _tighten(path, PRIVATE_FILE)
    return path


def _tighten(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)
    except PermissionError:
        log.warning("cannot make %s owner-only (mode %o): not its owner", path, mode)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def is_sqlite_sidecar(path: Path) -> bool:
    """-wal, -shm and -journal files belong to their database and are never copied alone."""
    return path.name.endswith(("-wal", "-shm", "-journal"))


async def copy_sqlite_file(source: Path, target: Path) -> None:
    """A consistent, owner-only copy of any SQLite file (e.g. the crypto store another
    library writes), with SQLite's online backup API: safe while the file is in use."""

    def copy() -> None:
        private_file(target)
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()

    await asyncio.to_thread(copy)
