"""A database from each earlier schema version, with data in every table, migrates without
losing a row. (tests/unit/test_database.py upgrades empty databases; data is what a real
upgrade carries, and what a table rebuild in a careless migration would drop.)
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from pathlib import Path

import pytest

from storage import migrations
from storage.database import Database
from storage.migrations import MIGRATIONS

pytestmark = pytest.mark.reliability

# Tables a later migration drops or replaces on purpose: {table: why}. Empty so far.
RETIRED: dict[str, str] = {}

SAMPLE = {"INTEGER": 1, "REAL": 1.5, "TEXT": "x‮<b>'; --", "BLOB": b"\x00\x01"}


def fill_every_table(path: Path) -> dict[str, int]:
    """One row in each ordinary table, with values typed by column; a nullable column is
    filled too where a CHECK needs it (e.g. exactly one of room_id / user_id)."""
    conn = sqlite3.connect(path)
    counts: dict[str, int] = {}
    try:
        conn.execute("PRAGMA foreign_keys=OFF")  # rows stand alone; the schema is the test
        create_sql = {
            name: sql
            for (name, sql) in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='table'"
            )
            if sql and not sql.upper().startswith("CREATE VIRTUAL") and not _shadow(conn, name)
        }
        for table in create_sql:
            columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
            keys = [c for c in columns if c[5]]
            # An INTEGER PRIMARY KEY numbers itself; any other key column needs a value.
            rowid = keys[0][1] if len(keys) == 1 and keys[0][2].upper() == "INTEGER" else None
            fillable = [c for c in columns if c[1] != rowid]
            required = [c for c in fillable if (c[3] or c[5]) and c[4] is None]
            optional = [c for c in fillable if c not in required]
            for extra in itertools.chain([()], ((c,) for c in optional), [tuple(optional)]):
                chosen = [*required, *extra]
                values = [sample(create_sql[table], c[1], c[2]) for c in chosen]
                names = ", ".join(c[1] for c in chosen)
                marks = ", ".join("?" for _ in chosen)
                sql = (
                    f"INSERT INTO {table} ({names}) VALUES ({marks})"
                    if chosen
                    else f"INSERT INTO {table} DEFAULT VALUES"
                )
                try:
                    conn.execute(sql, values)
                    break
                except sqlite3.IntegrityError:
                    continue
            else:
                raise AssertionError(f"could not fill {table}: extend fill_every_table")
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        conn.commit()
    finally:
        conn.close()
    return counts


def sample(create_sql: str, column: str, declared: str) -> object:
    """A value of the column's type; the first allowed one for ``CHECK (column IN (...))``."""
    pattern = rf"CHECK\s*\(\s*{re.escape(column)}\s+IN\s*\(([^)]*)\)"
    allowed = re.search(pattern, create_sql, re.IGNORECASE)
    if allowed:
        first = allowed.group(1).split(",")[0].strip()
        return first.strip("'") if first.startswith("'") else int(first)
    return SAMPLE.get((declared or "TEXT").upper(), "x")


def _shadow(conn: sqlite3.Connection, table: str) -> bool:
    """FTS5 keeps its index in shadow tables named after the virtual table."""
    virtual = [
        n
        for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")
    ]
    return any(table.startswith(f"{v}_") for v in virtual)


@pytest.mark.parametrize("version", range(1, len(MIGRATIONS)))
async def test_upgrade_from_each_version_keeps_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int
) -> None:
    path = tmp_path / f"v{version}.db"
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:version])
    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS[:version])
    old = Database(path)
    await old.open()
    await old.close()
    before = fill_every_table(path)
    before.pop("schema_version")
    assert before, "nothing to carry over"

    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS)
    new = Database(path)
    await new.open()
    try:
        assert await new.schema_version() == len(MIGRATIONS)
        for table, count in before.items():
            if table in RETIRED:
                continue
            row = await new.fetchone(f"SELECT count(*) FROM {table}")
            assert row[0] == count, f"{table}: {count} rows at v{version}, {row[0]} after upgrade"
    finally:
        await new.close()


async def test_v17_counts_askers_of_answered_questions_as_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Askers told an answer before version 17 are not told it again when a 👎 opens the
    question once more; askers of a question still open are."""
    path = tmp_path / "v16.db"
    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS[:16])
    old = Database(path)
    await old.open()
    for qid, status in (("done", "answered"), ("todo", "open")):
        await old.execute(
            "INSERT INTO kb_unanswered (id, qkey, question, first_asked, last_asked, status)"
            " VALUES (?, ?, ?, 1, 1, ?)",
            (qid, qid, qid, status),
        )
        await old.execute(
            "INSERT INTO kb_unanswered_askers (qid, user_id, room_id, asked_at)"
            " VALUES (?, '@bob:x', '!r:x', 1)",
            (qid,),
        )
    await old.close()
    monkeypatch.setattr("storage.database.MIGRATIONS", MIGRATIONS)
    new = Database(path)
    await new.open()
    try:
        rows = await new.fetchall("SELECT qid, told FROM kb_unanswered_askers ORDER BY qid")
        assert [(r["qid"], r["told"]) for r in rows] == [("done", 1), ("todo", 0)]
    finally:
        await new.close()
