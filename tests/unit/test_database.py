from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage import migrations
from storage.database import Database
from storage.migrations import MIGRATIONS, SchemaTooNewError


async def test_fresh_database_is_migrated_to_latest(db: Database) -> None:
    assert await db.schema_version() == len(MIGRATIONS)
    journal = await db.fetchone("PRAGMA journal_mode")
    assert journal[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1


async def test_upgrade_from_each_earlier_version(tmp_path: Path, monkeypatch) -> None:
    for version in range(len(MIGRATIONS)):
        path = tmp_path / f"v{version}.db"
        monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:version])
        monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS[:version])
        old = Database(path)
        await old.open()
        assert await old.schema_version() == version
        await old.close()
        monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS)
        new = Database(path)
        await new.open()
        assert await new.schema_version() == len(MIGRATIONS)
        await new.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    await db.open()
    await db.execute("UPDATE schema_version SET version = 999")
    await db.close()
    again = Database(tmp_path / "x.db")
    with pytest.raises(SchemaTooNewError, match="999"):
        await again.open()
    await again.close()


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO kv (key, value) VALUES ('a', '1')")
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM kv WHERE key = 'a'") is None


async def test_concurrent_transactions_do_not_share_work(db: Database) -> None:
    """A failing transaction must not be committed by another task's commit."""
    started = asyncio.Event()

    async def failing() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO kv (key, value) VALUES ('bad', '1')")
                started.set()
                await asyncio.sleep(0.05)
                raise RuntimeError("boom")

    async def succeeding() -> None:
        await started.wait()
        await db.execute("INSERT INTO kv (key, value) VALUES ('good', '1')")

    await asyncio.gather(failing(), succeeding())
    keys = [r["key"] for r in await db.fetchall("SELECT key FROM kv")]
    assert keys == ["good"]


async def test_backup_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    await db.execute("INSERT INTO kv (key, value) VALUES ('k', 'v')")
    await db.backup(tmp_path / "backup.db")
    copy = Database(tmp_path / "backup.db")
    await copy.open()
    assert (await copy.fetchone("SELECT value FROM kv WHERE key = 'k'"))["value"] == "v"
    await copy.close()


async def test_a_single_write_joins_the_transaction_or_commits_alone(db: Database) -> None:
    """``write`` is one statement without a savepoint: inside a transaction it is undone with
    it; alone it is committed (the reading connection sees it at once)."""
    with pytest.raises(RuntimeError):
        async with db.transaction():
            written = await db.write("INSERT INTO kv (key, value) VALUES ('in', '1')")
            assert written.rowcount == 1
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM kv WHERE key = 'in'") is None
    assert (await db.write("INSERT INTO kv (key, value) VALUES ('alone', '1')")).rowcount == 1
    again = await db.write("INSERT OR IGNORE INTO kv (key, value) VALUES ('alone', '2')")
    assert again.rowcount == 0
    assert (await db.fetchone("SELECT value FROM kv WHERE key = 'alone'"))["value"] == "1"


async def synchronous_level(db: Database) -> int:
    """The writer's level inside the current transaction: 1 = NORMAL, 2 = FULL."""
    row = await db.fetchone("PRAGMA synchronous")
    assert row is not None
    return int(row[0])


async def test_a_transaction_waits_for_the_disk_unless_opened_not_durable(db: Database) -> None:
    async with db.transaction():
        assert await synchronous_level(db) == 2
    async with db.transaction(durable=False):
        await db.execute("INSERT INTO kv (key, value) VALUES ('quick', '1')")
        assert await synchronous_level(db) == 1
        async with db.transaction():  # a savepoint keeps the outer level
            assert await synchronous_level(db) == 1
    async with db.transaction():
        assert await synchronous_level(db) == 2
    assert await db.fetchone("SELECT 1 FROM kv WHERE key = 'quick'") is not None


async def writer_level(db: Database) -> int:
    """The level the writer connection is left at, outside any transaction."""
    writer = db._require(db._writer)
    rows = list(await writer.execute_fetchall("PRAGMA synchronous"))
    return int(rows[0][0])


async def test_a_single_write_after_a_quick_transaction_waits_for_the_disk(db: Database) -> None:
    async with db.transaction(durable=False):
        await db.execute("INSERT INTO kv (key, value) VALUES ('a', '1')")
    assert await writer_level(db) == 1
    await db.execute("INSERT INTO kv (key, value) VALUES ('b', '1')")  # e.g. the sync token
    assert await writer_level(db) == 2


async def test_a_durable_transaction_cannot_nest_in_a_quick_one(db: Database) -> None:
    async with db.transaction(durable=False):
        with pytest.raises(RuntimeError, match="cannot nest"):
            async with db.transaction(durable=True):
                pass
        async with db.transaction():  # the default joins whatever is open
            await db.execute("INSERT INTO kv (key, value) VALUES ('inner', '1')")
    assert await db.fetchone("SELECT 1 FROM kv WHERE key = 'inner'") is not None


async def test_a_transaction_left_open_is_rolled_back_never_committed_later(db: Database) -> None:
    """A BEGIN cancelled after it ran in the connection's thread leaves a transaction open;
    the next transaction must not commit its writes (executescript would, silently)."""
    writer = db._require(db._writer)
    await writer.execute("BEGIN IMMEDIATE")
    await writer.execute("INSERT INTO kv (key, value) VALUES ('orphan', '1')")
    async with db.transaction(durable=False):  # switches the level: executescript
        await db.execute("INSERT INTO kv (key, value) VALUES ('next', '1')")
    keys = [r["key"] for r in await db.fetchall("SELECT key FROM kv")]
    assert keys == ["next"]


async def test_a_failed_commit_leaves_nothing_open(db: Database) -> None:
    """A COMMIT that fails (here: a deferred foreign key) is rolled back, so its writes are
    not committed by the next transaction."""
    await db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    await db.execute(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER "
        "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction():
            await db.execute("INSERT INTO kv (key, value) VALUES ('lost', '1')")
            await db.execute("INSERT INTO child (id, parent) VALUES (1, 99)")
    async with db.transaction(durable=False):
        await db.execute("INSERT INTO kv (key, value) VALUES ('kept', '1')")
    keys = [r["key"] for r in await db.fetchall("SELECT key FROM kv")]
    assert keys == ["kept"]


async def test_version_15_names_the_reply_of_copies_moved_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REVIEW-12 F8: a private reply moved to the DM before the upgrade (``<txn>:private``,
    a direct message) gets ``copy_of``: a 👍/👎 on it still counts, retention keeps it."""
    path = tmp_path / "v14.db"
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:14])
    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS[:14])
    old = Database(path)
    await old.open()
    rows = [
        ("vb1.0:private", None, "@m:x"),  # the moved copy
        ("vb2.0", None, "@m:x"),  # a direct message
        ("vb3.0:private", "!r:x", None),  # a room row (no copy)
    ]
    for txn, room, user in rows:
        await old.execute(
            "INSERT INTO outbox (txn_id, room_id, user_id, event_type, content, created_at) "
            "VALUES (?, ?, ?, 'm.room.message', '{}', 1)",
            (txn, room, user),
        )
    await old.close()
    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS)
    new = Database(path)
    await new.open()
    got = await new.fetchall("SELECT txn_id, copy_of FROM outbox ORDER BY id")
    await new.close()
    assert [(r["txn_id"], r["copy_of"]) for r in got] == [
        ("vb1.0:private", "vb1.0"),
        ("vb2.0", None),
        ("vb3.0:private", None),
    ]
