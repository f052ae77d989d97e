"""All SQL of the answer feature: FTS5 index, file hashes, chat FAQ, unanswered, feedback, stats.

The FTS5 table holds terms already analysed in Python (bot/answers/text.py); ranking is
FTS5's own ``bm25()`` with one weight per column.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.database import Database

# Column order of kb_fts after the two UNINDEXED columns (doc_id, topic).
FTS_COLUMNS = ("title", "questions", "keywords", "body", "topic_kw")


@dataclass(frozen=True)
class IndexDoc:
    doc_id: str
    topic: str
    title: str
    questions: str
    keywords: str
    body: str
    topic_kw: str

    def row(self) -> tuple[str, ...]:
        return (
            self.doc_id,
            self.topic,
            self.title,
            self.questions,
            self.keywords,
            self.body,
            self.topic_kw,
        )


@dataclass(frozen=True)
class Hit:
    doc_id: str
    topic: str
    score: float  # -bm25: larger is better


@dataclass(frozen=True)
class FaqRow:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    en_title: str | None
    en_answer: str | None
    updated: str  # ISO date
    added_by: str | None
    created_at: float


@dataclass(frozen=True)
class Unanswered:
    id: str
    question: str
    asked: int
    first_asked: float
    last_asked: float
    user_id: str | None
    room_id: str | None
    status: str
    entry_id: str | None


@dataclass(frozen=True)
class Asker:
    """A member who asked an open question, and where (the room or DM they asked in)."""

    user_id: str
    room_id: str | None
    asked_at: float


@dataclass(frozen=True)
class LoggedAnswer:
    """One logged reply, as a 👎 on it needs it: whose question it answered, from which entry,
    and the open question a 👎 of the asker already passed it on as (if any)."""

    id: int
    question: str  # what a 👎 passes on: the answered parts of a message asking several
    entry_id: str | None
    user_id: str | None
    room_id: str | None
    forwarded_qid: str | None


@dataclass(frozen=True)
class EntryVotes:
    entry_id: str
    topic: str | None
    down: int
    up: int


def short_id(key: str, length: int = 6) -> str:
    """Stable id for a normalised question: same text, same id, on every machine."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: ids get typed in chat
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest(), "big")
    out = []
    for _ in range(length):
        digest, rem = divmod(digest, len(alphabet))
        out.append(alphabet[rem])
    return "".join(out)


class KnowledgeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- index ------------------------------------------------------------------------------------

    async def source_hashes(self) -> dict[str, str]:
        rows = await self.db.fetchall("SELECT path, sha256 FROM kb_sources")
        return {r["path"]: r["sha256"] for r in rows}

    async def replace_index(self, docs: Iterable[IndexDoc], hashes: Mapping[str, str]) -> None:
        """Swap the whole index and the remembered hashes in one transaction."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM kb_fts")
            await conn.executemany(
                "INSERT INTO kb_fts (doc_id, topic, title, questions, keywords, body, topic_kw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [d.row() for d in docs],
            )
            await conn.execute("DELETE FROM kb_sources")
            await conn.executemany(
                "INSERT INTO kb_sources (path, sha256) VALUES (?, ?)", sorted(hashes.items())
            )

    async def upsert_doc(self, doc: IndexDoc) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM kb_fts WHERE doc_id = ?", (doc.doc_id,))
            await conn.execute(
                "INSERT INTO kb_fts (doc_id, topic, title, questions, keywords, body, topic_kw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                doc.row(),
            )

    async def index_docs(self) -> list[IndexDoc]:
        rows = await self.db.fetchall(
            "SELECT doc_id, topic, title, questions, keywords, body, topic_kw FROM kb_fts"
        )
        return [IndexDoc(*(str(v) for v in r)) for r in rows]

    async def search(
        self,
        terms: Sequence[str],
        weights: Sequence[float],
        limit: int = 30,
        *,
        other_than: str | None = None,
    ) -> list[Hit]:
        """BM25 over an OR of the given (already analysed, alphanumeric) terms; with
        ``other_than``, only entries of the other topics."""
        clean = [t for t in dict.fromkeys(terms) if t.isalnum()]
        if not clean:
            return []
        match = " OR ".join(f'"{t}"' for t in clean)
        topic = " AND topic != ?" if other_than is not None else ""
        rows = await self.db.fetchall(
            "SELECT doc_id, topic, bm25(kb_fts, 0, 0, ?, ?, ?, ?, ?) AS rank FROM kb_fts"
            f" WHERE kb_fts MATCH ?{topic} ORDER BY rank LIMIT ?",
            (*weights, match, *((other_than,) if other_than is not None else ()), limit),
        )
        return [Hit(r["doc_id"], r["topic"], -float(r["rank"])) for r in rows]

    # -- FAQ entries from chat -----------------------------------------------------------------

    async def add_faq(self, row: FaqRow, doc: IndexDoc) -> None:
        """Store the entry and its index row together: searchable at once, never half-added."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO kb_faq (id, topic, title, questions, keywords, sources, body,"
                " en_title, en_answer, updated, added_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.id,
                    row.topic,
                    row.title,
                    _json(row.questions),
                    _json(row.keywords),
                    _json(row.sources),
                    row.body,
                    row.en_title,
                    row.en_answer,
                    row.updated,
                    row.added_by,
                    row.created_at,
                ),
            )
            await conn.execute("DELETE FROM kb_fts WHERE doc_id = ?", (doc.doc_id,))
            await conn.execute(
                "INSERT INTO kb_fts (doc_id, topic, title, questions, keywords, body, topic_kw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                doc.row(),
            )

    async def delete_faq(self, faq_id: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM kb_faq WHERE id = ?", (faq_id,))
            await conn.execute("DELETE FROM kb_fts WHERE doc_id = ?", (faq_id,))
            return cur.rowcount > 0

    async def faq_ids(self) -> set[str]:
        return {r["id"] for r in await self.db.fetchall("SELECT id FROM kb_faq")}

    async def faq_entries(self) -> list[FaqRow]:
        rows = await self.db.fetchall("SELECT * FROM kb_faq ORDER BY created_at, id")
        return [_faq(r) for r in rows]

    # -- unanswered questions ------------------------------------------------------------------

    async def record_unanswered(
        self,
        qkey: str,
        question: str,
        user_id: str | None,
        room_id: str | None,
        now: float | None = None,
        *,
        reopen: bool = False,
    ) -> str:
        """``reopen``: an answered question asked again is open again (a 👎 on the answer);
        a dismissed one always is."""
        now = time.time() if now is None else now
        async with self.db.transaction() as conn:
            cur = await conn.execute("SELECT id FROM kb_unanswered WHERE qkey = ?", (qkey,))
            row = await cur.fetchone()
            if row is not None:
                qid = str(row[0])
                await conn.execute(
                    "UPDATE kb_unanswered SET asked = asked + 1, last_asked = ?,"
                    " status = CASE WHEN status = 'dismissed' OR ? THEN 'open' ELSE status END"
                    " WHERE id = ?",
                    (now, reopen, qid),
                )
                await self._add_asker(conn, qid, user_id, room_id, now)
                return qid
            # Lengthen the id on the (rare) collision with a different question.
            for length in range(6, 14):
                qid = short_id(qkey, length)
                cur = await conn.execute("SELECT 1 FROM kb_unanswered WHERE id = ?", (qid,))
                if await cur.fetchone() is None:
                    break
            await conn.execute(
                "INSERT INTO kb_unanswered (id, qkey, question, first_asked, last_asked,"
                " user_id, room_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (qid, qkey, question, now, now, user_id, room_id),
            )
            await self._add_asker(conn, qid, user_id, room_id, now)
            return qid

    @staticmethod
    async def _add_asker(
        conn: Any, qid: str, user_id: str | None, room_id: str | None, now: float
    ) -> None:
        """Every asker is told the answer once: a member asking again is one asker, told
        where they asked last."""
        if user_id is None:
            return
        await conn.execute(
            "INSERT INTO kb_unanswered_askers (qid, user_id, room_id, asked_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (qid, user_id) DO UPDATE SET"
            " room_id = excluded.room_id, asked_at = excluded.asked_at, told = 0",
            (qid, user_id, room_id, now),
        )

    async def askers(self, qid: str, *, untold: bool = False) -> list[Asker]:
        """Who asked an open question, in the order they first asked it. ``untold``: only
        those not yet told an answer since they (last) asked it."""
        rows = await self.db.fetchall(
            "SELECT user_id, room_id, asked_at FROM kb_unanswered_askers WHERE qid = ?"
            + (" AND told = 0" if untold else "")
            + " ORDER BY rowid",
            (qid,),
        )
        return [Asker(r["user_id"], r["room_id"], float(r["asked_at"])) for r in rows]

    async def mark_told(self, qid: str, user_id: str) -> None:
        await self.db.execute(
            "UPDATE kb_unanswered_askers SET told = 1 WHERE qid = ? AND user_id = ?",
            (qid, user_id),
        )

    async def unanswered(self, status: str | None = "open", limit: int = 50) -> list[Unanswered]:
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = await self.db.fetchall(
            f"SELECT * FROM kb_unanswered {where} ORDER BY asked DESC, last_asked DESC LIMIT ?",
            (*params, limit),
        )
        return [_unanswered(r) for r in rows]

    async def get_unanswered(self, qid: str) -> Unanswered | None:
        row = await self.db.fetchone("SELECT * FROM kb_unanswered WHERE id = ?", (qid,))
        return _unanswered(row) if row else None

    async def set_unanswered_status(
        self, qid: str, status: str, entry_id: str | None = None
    ) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE kb_unanswered SET status = ?, entry_id = ? WHERE id = ?",
                (status, entry_id, qid),
            )
            return cur.rowcount > 0

    # -- answers and feedback ------------------------------------------------------------------

    async def log_answer(
        self,
        question: str,
        topic: str | None,
        entry_id: str | None,
        score: float,
        event_id: str | None,
        room_id: str | None,
        user_id: str | None,
        now: float | None = None,
        entries: Sequence[tuple[str, str | None]] = (),
        forward: str | None = None,
    ) -> int:
        """Log one reply; ``entries`` are the (entry, topic) pairs it answered from, in order
        (two for a two-part reply): a vote on the reply counts for each of them. ``forward``:
        what a 👎 passes on when it is not the whole question (the answered parts of several)."""
        now = time.time() if now is None else now
        async with self.db.atomic() as conn:  # a command's answer: no savepoint of its own
            # Idempotent per answer key: a command handled again after a crash logs once.
            cursor = await conn.execute(
                "INSERT INTO kb_answers (event_id, question, topic, entry_id, score, asked_at,"
                " room_id, user_id, forward) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO NOTHING",
                (event_id, question, topic, entry_id, score, now, room_id, user_id, forward),
            )
            if cursor.rowcount == 1:
                answer_id = cursor.lastrowid or 0
            else:
                existing = await conn.execute(
                    "SELECT id FROM kb_answers WHERE event_id = ?", (event_id,)
                )
                row = await existing.fetchone()
                answer_id = int(row[0]) if row else 0
            await conn.executemany(
                "INSERT INTO kb_answer_entries (answer_id, part, entry_id, topic)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(answer_id, n, e, t) for n, (e, t) in enumerate(entries)],
            )
            return answer_id

    async def personal_data(self, user_id: str) -> dict[str, object]:
        """What the Q&A feature stores about one member (for !meine-daten)."""
        asked = await self.db.fetchall(
            "SELECT question, topic, entry_id, asked_at FROM kb_answers WHERE user_id = ? "
            "ORDER BY asked_at",
            (user_id,),
        )
        open_questions = await self.db.fetchall(
            "SELECT id, question, status FROM kb_unanswered WHERE user_id = ?"
            " OR id IN (SELECT qid FROM kb_unanswered_askers WHERE user_id = ?)",
            (user_id, user_id),
        )
        askings = await self.db.fetchall(
            "SELECT qid, room_id, asked_at FROM kb_unanswered_askers WHERE user_id = ?",
            (user_id,),
        )
        votes = await self.db.fetchall(
            "SELECT event_id, vote, voted_at FROM kb_feedback WHERE user_id = ?", (user_id,)
        )
        added = await self.db.fetchall(
            "SELECT id, title, created_at FROM kb_faq WHERE added_by = ? ORDER BY created_at",
            (user_id,),
        )
        return {
            "knowledge_entries_added": [dict(r) for r in added],
            "questions_asked": [dict(r) for r in asked],
            "unanswered_questions": [dict(r) for r in open_questions],
            "unanswered_questions_asked_in": [dict(r) for r in askings],
            "answer_feedback": [dict(r) for r in votes],
        }

    async def delete_personal_data(self, user_id: str) -> int:
        """Erasure: votes and unanswered questions go; asked questions stay, without the name
        (the statistics count them); answers they added from chat stay (others rely on
        them) but no longer name them. Returns the number of rows touched."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE kb_faq SET added_by = NULL, sources = replace(sources, ?, ?) "
                "WHERE added_by = ?",
                (_json([chat_source(user_id)])[1:-1], _json([chat_source(None)])[1:-1], user_id),
            )
            touched = cursor.rowcount
            for sql in (
                "DELETE FROM kb_feedback WHERE user_id = ?",
                "DELETE FROM kb_unanswered_askers WHERE user_id = ?",
                # Their open questions go, unless another member asked the same: then it
                # stays for them, without the member's name.
                "DELETE FROM kb_unanswered WHERE user_id = ?"
                " AND id NOT IN (SELECT qid FROM kb_unanswered_askers)",
                "UPDATE kb_unanswered SET user_id = NULL, room_id = NULL WHERE user_id = ?",
                "UPDATE kb_answers SET user_id = NULL WHERE user_id = ?",
            ):
                cursor = await conn.execute(sql, (user_id,))
                touched += cursor.rowcount
            return touched

    async def logged_answer(self, event_id: str) -> LoggedAnswer | None:
        """The reply logged under ``event_id`` (its transaction id), if any."""
        row = await self.db.fetchone(
            "SELECT id, coalesce(forward, question) AS question, entry_id, user_id, room_id,"
            " forwarded_qid FROM kb_answers WHERE event_id = ?",
            (event_id,),
        )
        if row is None:
            return None
        return LoggedAnswer(
            int(row["id"]),
            row["question"],
            row["entry_id"],
            row["user_id"],
            row["room_id"],
            row["forwarded_qid"],
        )

    async def set_forwarded(self, answer_id: int, qid: str) -> None:
        """Note that a 👎 passed this reply's question on as ``qid``. The caller checks
        ``forwarded_qid`` first, in the same transaction (a question is passed on once per
        reply, however often its 👎 is taken back and given again); the first one stays."""
        await self.db.write(
            "UPDATE kb_answers SET forwarded_qid = ? WHERE id = ? AND forwarded_qid IS NULL",
            (qid, answer_id),
        )

    async def set_answer_event(self, answer_id: int, event_id: str) -> None:
        await self.db.execute(
            "UPDATE kb_answers SET event_id = ? WHERE id = ?", (event_id, answer_id)
        )

    async def add_feedback(
        self,
        event_id: str,
        user_id: str,
        vote: int,
        now: float | None = None,
        reaction_event_id: str | None = None,
    ) -> bool:
        """Store a vote on a known answer event; False if the event is not an answer."""
        now = time.time() if now is None else now
        async with self.db.transaction() as conn:
            cur = await conn.execute("SELECT 1 FROM kb_answers WHERE event_id = ?", (event_id,))
            if await cur.fetchone() is None:
                return False
            await conn.execute(
                "INSERT INTO kb_feedback (event_id, user_id, vote, voted_at, reaction_event_id)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id, user_id) DO UPDATE SET vote = excluded.vote,"
                " voted_at = excluded.voted_at, reaction_event_id = excluded.reaction_event_id",
                (event_id, user_id, vote, now, reaction_event_id),
            )
            return True

    async def remove_feedback(self, event_id: str, user_id: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM kb_feedback WHERE event_id = ? AND user_id = ?", (event_id, user_id)
            )
            return cur.rowcount > 0

    async def remove_feedback_by_reaction(self, reaction_event_id: str, user_id: str) -> bool:
        """A member removed their 👍/👎: the vote it cast no longer counts. Only the voter's
        own redaction counts (a redaction names any event id)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM kb_feedback WHERE reaction_event_id = ? AND user_id = ?",
                (reaction_event_id, user_id),
            )
            return cur.rowcount > 0

    # -- statistics ------------------------------------------------------------------------------

    async def top_topics(self, since: float = 0.0, limit: int = 7) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT topic, count(*) AS n FROM kb_answers WHERE topic IS NOT NULL AND asked_at >= ?"
            " GROUP BY topic ORDER BY n DESC, topic LIMIT ?",
            (since, limit),
        )
        return [(r["topic"], int(r["n"])) for r in rows]

    async def abstention_counts(self, since: float = 0.0) -> tuple[int, int]:
        """(abstentions, all questions) since the given time."""
        row = await self.db.fetchone(
            "SELECT coalesce(sum(entry_id IS NULL), 0), count(*) FROM kb_answers"
            " WHERE asked_at >= ?",
            (since,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def most_downvoted(self, limit: int = 10) -> list[EntryVotes]:
        rows = await self.db.fetchall(
            "SELECT a.entry_id, max(a.topic) AS topic,"
            " sum(f.vote < 0) AS down, sum(f.vote > 0) AS up"
            " FROM kb_feedback f JOIN kb_answers r ON r.event_id = f.event_id"
            " JOIN kb_answer_entries a ON a.answer_id = r.id"
            " GROUP BY a.entry_id HAVING down > 0"
            " ORDER BY down DESC, up ASC, a.entry_id LIMIT ?",
            (limit,),
        )
        return [EntryVotes(r["entry_id"], r["topic"], int(r["down"]), int(r["up"])) for r in rows]


def chat_source(added_by: str | None) -> str:
    """The source an answer added from chat cites: who added it, until they are erased."""
    return f"Chat-Eintrag von {added_by}" if added_by else "Chat-Eintrag"


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _faq(r: Any) -> FaqRow:
    return FaqRow(
        r["id"],
        r["topic"],
        r["title"],
        tuple(json.loads(r["questions"])),
        tuple(json.loads(r["keywords"])),
        tuple(json.loads(r["sources"])),
        r["body"],
        r["en_title"],
        r["en_answer"],
        r["updated"],
        r["added_by"],
        float(r["created_at"]),
    )


def _unanswered(r: Any) -> Unanswered:
    return Unanswered(
        r["id"],
        r["question"],
        int(r["asked"]),
        float(r["first_asked"]),
        float(r["last_asked"]),
        r["user_id"],
        r["room_id"],
        r["status"],
        r["entry_id"],
    )
