"""Every column that can hold a Matrix user id is in !meine-daten and handled by !daten-loeschen.

The schema's columns are all classified below. A new column fails
``test_every_column_is_classified`` until it is added to USER_ID_COLUMNS (with a row that puts
a member's id there) or to OTHER_COLUMNS; a user-id column then fails the coverage test until
the export shows it and the erasure deletes or anonymises it.
"""

from __future__ import annotations

import json
from typing import Any

from commands import build_capabilities
from commands.privacy import Privacy
from storage.database import Database
from tests.unit.conftest import HarnessFactory

MEMBER = "@erased:example.org"
OTHER = "@other:example.org"

# (table, column) -> a row with the member's id (:u) in that column (:o is someone else).
USER_ID_COLUMNS: dict[tuple[str, str], str] = {
    ("decryption_notices", "sender"): "INSERT INTO decryption_notices VALUES (:u, 1)",
    ("dm_rooms", "user_id"): "INSERT INTO dm_rooms VALUES (:u, '!dm:example.org')",
    ("dm_setup", "user_id"): "INSERT INTO dm_setup VALUES ('!new-dm:example.org', :u)",
    ("dm_former_rooms", "user_id"): "INSERT INTO dm_former_rooms VALUES ('!old-dm:x', :u)",
    ("kb_answers", "user_id"): "INSERT INTO kb_answers (event_id, question, score, asked_at, "
    "room_id, user_id) VALUES ('$answer', 'Was ist die 115?', 1, 1, '!r:x', :u)",
    ("kb_faq", "added_by"): "INSERT INTO kb_faq (id, topic, title, sources, body, updated, "
    "added_by, created_at) VALUES ('faq-1', 'ozg', 'Titel', "
    "'[\"Chat-Eintrag von ' || :u || '\"]', 'Antwort', '2027-01-01', :u, 1)",
    ("kb_feedback", "user_id"): "INSERT INTO kb_feedback (event_id, user_id, vote, voted_at) "
    "VALUES ('$answer', :u, 1, 1)",
    ("kb_unanswered", "user_id"): "INSERT INTO kb_unanswered (id, qkey, question, first_asked, "
    "last_asked, user_id) VALUES ('q1', 'frage', 'Frage?', 1, 1, :u)",
    # Another member asked the same question too: the member is one of its askers.
    ("kb_unanswered_askers", "user_id"): "INSERT INTO kb_unanswered (id, qkey, question, "
    "first_asked, last_asked, user_id) VALUES ('q2', 'andere', 'Andere?', 1, 1, :o); "
    "INSERT INTO kb_unanswered_askers VALUES ('q2', :o, '!r:x', 1, 0), ('q2', :u, '!dm:x', 2, 0)",
    ("outbox", "user_id"): "INSERT INTO outbox (txn_id, user_id, content, status, created_at, "
    "sent_at) VALUES ('t-dm', :u, '{\"body\": \"Hallo\"}', 'sent', 1, 2)",
    # A reply to the member in their DM, given up (failed) before it was sent.
    ("outbox", "private_to"): "INSERT INTO outbox (txn_id, room_id, private_to, content, "
    "status, created_at, failed_at) VALUES ('t-private', '!dm:x', :u, '{\"body\": \"Platz\"}', "
    "'failed', 1, 2)",
    ("pending_pins", "sender"): "INSERT INTO pending_pins (reaction_event_id, room_id, "
    "target_event_id, sender, created_at) VALUES ('$pin', '!r:x', '$said', :u, 1)",
    ("plenum_audit", "actor"): "INSERT INTO plenum_audit (event_id, at, actor, action) "
    "VALUES (1, 1, :u, 'updated')",
    ("plenum_audit", "subject"): "INSERT INTO plenum_audit (event_id, at, actor, action, "
    "subject) VALUES (1, 2, :o, 'promoted', :u)",
    ("plenum_events", "created_by"): "INSERT INTO plenum_events (key, title, starts, ends, "
    "source, created_by, created_at, updated_at) VALUES ('mine', 'Mine', 1, 2, 'chat', :u, 1, 1)",
    ("plenum_profiles", "user_id"): "INSERT INTO plenum_profiles (user_id, organisation, "
    "updated_at) VALUES (:u, 'Stadt Bremen', 1)",
    ("plenum_registrations", "user_id"): "INSERT INTO plenum_registrations (event_id, user_id, "
    "status, requested_ts, registered_at) VALUES (1, :u, 'registered', 1, 1)",
    ("plenum_registrations", "registered_by"): "INSERT INTO plenum_registrations (event_id, "
    "user_id, status, requested_ts, registered_at, via, registered_by) "
    "VALUES (1, :o, 'registered', 2, 2, 'coordinator', :u)",
    ("poll_votes", "sender"): "INSERT INTO poll_votes VALUES ('$poll', :u, '!r:x', '[\"a\"]', "
    "1, '$vote')",
    ("polls", "created_by"): "INSERT INTO polls (event_key, workshop_key, room_id, question, "
    "options, created_by, created_at) VALUES ('base', 'ozg', '!r:x', 'Q?', '[\"a\", \"b\"]', "
    ":u, 1)",
    ("reminder_opt_out", "user_id"): "INSERT INTO reminder_opt_out VALUES (:u, 1)",
    ("reminders", "user_id"): "INSERT INTO reminders (kind, user_id, created_by, payload, due, "
    "created_at) VALUES ('personal', :u, :o, 'Tee', 1, 1)",
    ("reminders", "created_by"): "INSERT INTO reminders (kind, room_id, created_by, payload, "
    "due, created_at) VALUES ('room', '!r:x', :u, 'Pause', 1, 1)",
    ("undecrypted_events", "sender"): "INSERT INTO undecrypted_events VALUES ('$enc', '!r:x', "
    ":u, 'session', '{}', 1)",
    ("workshop_entries", "author"): "INSERT INTO workshop_entries (event_key, workshop_key, "
    "kind, text, author, created_at) VALUES ('base', 'ozg', 'note', 'Notiz', :u, 1)",
    ("workshop_entries", "owner"): "INSERT INTO workshop_entries (event_key, workshop_key, "
    "kind, text, author, created_at, owner) VALUES ('base', 'ozg', 'action', 'Tun', :o, 2, :u)",
    ("workshop_entries", "done_by"): "INSERT INTO workshop_entries (event_key, workshop_key, "
    "kind, text, author, created_at, done_at, done_by) "
    "VALUES ('base', 'ozg', 'action', 'Getan', :o, 3, 4, :u)",
    ("workshop_rooms", "linked_by"): "INSERT INTO workshop_rooms (room_id, event_key, "
    "workshop_key, linked_by, linked_at) VALUES ('!w:x', 'base', 'ozg', :u, 1)",
    ("workshop_summaries", "created_by"): "INSERT INTO workshop_summaries (event_key, "
    "workshop_key, room_id, status, due_at, created_by) "
    "VALUES ('base', 'ozg', '!w:x', 'scheduled', 1, :u)",
}

# (table, column) -> a row whose stored text quotes the member's id (:u) while no user-id
# column names them: a rendered or free text must be exported and rewritten on erasure too.
QUOTING_COLUMNS: dict[tuple[str, str], str] = {
    ("workshop_summaries", "body"): "INSERT INTO workshop_summaries (event_key, workshop_key, "
    "room_id, status, due_at, posted_at, created_by, body) VALUES ('base', 'ozg', '!w:x', "
    "'posted', 5, 5, :o, 'Aufgaben: Beamer besorgen (zuständig: ' || :u || ')')",
    ("workshop_entries", "text"): "INSERT INTO workshop_entries (event_key, workshop_key, "
    "kind, text, author, created_at) VALUES ('base', 'ozg', 'decision', "
    "'Vorschlag von ' || :u || ' angenommen', :o, 5)",
    ("outbox", "content"): "INSERT INTO outbox (txn_id, room_id, content, status, created_at, "
    "sent_at) VALUES ('t-room', '!w:x', '{\"body\": \"zuständig: ' || :u || '\"}', 'sent', 5, 6)",
}

# Kept on erasure, and why.
KEPT_ON_ERASURE = {
    # The DM room lives on the homeserver and in the bot's m.direct; without the row the bot
    # would no longer recognise it as the member's DM (and relearn it from m.direct anyway).
    ("dm_rooms", "user_id"),
    # A DM the member opened whose setup is not finished yet: finished or given up with the
    # next sync batch, then the row is gone (bot/dispatch.py, _finish_dm_setup).
    ("dm_setup", "user_id"),
}

# Columns that never hold a user id. Free texts typed by members or coordinators may quote one
# where the bot does not look for it: plenum_audit.detail (event details, broadcast texts),
# polls.question/options, reminders.payload, kb_*.question, kb_answers.forward;
# failed_events.last_error is an error description; undecrypted_events.source is ciphertext
# plus its own row's sender (the row goes with the sender). The columns the bot itself writes
# ids into are QUOTING_COLUMNS.
OTHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "decryption_notices": ("notified_at",),
    "dm_former_rooms": ("room_id",),
    "dm_rooms": ("room_id",),
    "dm_setup": ("room_id",),
    "failed_events": (
        "event_id", "room_id", "attempts", "last_error", "ref", "first_failed", "set_aside_at",
    ),
    "kb_answers": (
        "id", "event_id", "question", "topic", "entry_id", "score", "asked_at", "room_id",
        "forwarded_qid", "forward",
    ),
    "kb_answer_entries": ("answer_id", "part", "entry_id", "topic"),
    "kb_faq": (
        "id", "topic", "title", "questions", "keywords", "sources", "body", "en_title",
        "en_answer", "updated", "created_at",
    ),
    "kb_feedback": ("event_id", "vote", "voted_at", "reaction_event_id"),
    "kb_fts": ("doc_id", "topic", "title", "questions", "keywords", "body", "topic_kw"),
    "kb_fts_config": ("k", "v"),
    "kb_fts_content": ("id", "c0", "c1", "c2", "c3", "c4", "c5", "c6"),
    "kb_fts_data": ("id", "block"),
    "kb_fts_docsize": ("id", "sz"),
    "kb_fts_idx": ("segid", "term", "pgno"),
    "kb_sources": ("path", "sha256"),
    "kb_unanswered": (
        "id", "qkey", "question", "asked", "first_asked", "last_asked", "room_id", "status",
        "entry_id",
    ),
    "kb_unanswered_askers": ("qid", "room_id", "asked_at", "told"),
    "kv": ("key", "value"),
    "outbox": (
        "id", "txn_id", "room_id", "event_type", "status", "attempts", "not_before",
        "created_at", "sent_at", "sent_event_id", "last_error", "failed_at", "copy_of",
        "sent_to",
    ),
    "outbox_files": ("outbox_id", "filename", "mimetype", "data"),
    "pending_pins": ("reaction_event_id", "room_id", "target_event_id", "created_at", "attempts"),
    "plenum_announcements": ("txn_id", "event_id", "room_id", "created_at"),
    "plenum_audit": ("id", "event_id", "at", "action", "detail"),
    "plenum_events": (
        "id", "key", "title", "starts", "ends", "location", "capacity", "registration_closes",
        "max_per_organisation", "status", "source", "announce_room", "reminder_offsets",
        "sequence", "created_at", "updated_at", "purged_at", "aggregate",
    ),
    "plenum_profiles": ("organisation", "privacy_shown_at", "updated_at"),
    "plenum_registrations": (
        "id", "event_id", "organisation", "status", "workshop", "workshop_status", "workshop_ts",
        "requested_ts", "registered_at", "seated_at", "via", "reaction_event_id", "room_id",
        "workshop_room_id", "display_name",
    ),
    "plenum_workshops": ("event_id", "key", "title", "capacity"),
    "poll_votes": ("poll_event_id", "room_id", "answers", "voted_ts", "vote_event_id"),
    "polls": (
        "id", "event_key", "workshop_key", "room_id", "question", "options", "created_at",
        "ended_at", "decision_id",
    ),
    "processed_events": ("event_id", "room_id", "handled_at"),
    "reminder_opt_out": ("since",),
    "reminder_runs": ("reminder_id", "due", "outcome", "handled_at", "recipients"),
    "reminders": (
        "id", "kind", "room_id", "origin_room", "payload", "rule", "due", "status", "event_key",
        "event_offset", "event_starts", "created_at",
    ),
    "room_joins": ("room_id", "joined_ts"),
    "schema_version": ("version",),
    "undecrypted_events": ("event_id", "room_id", "session_id", "source", "first_seen"),
    "workshop_entries": (
        "id", "event_key", "workshop_key", "kind", "created_at", "room_id",
        "source_event_id", "pin_reaction_id", "due_date", "done_at", "reminded_at", "overdue_at",
    ),
    "workshop_rooms": ("room_id", "event_key", "workshop_key", "who_may_add", "linked_at"),
    "workshop_summaries": (
        "id", "event_key", "workshop_key", "room_id", "status", "due_at", "posted_at",
        "reminder_id",
    ),
}  # fmt: skip


async def schema(db: Database) -> set[tuple[str, str]]:
    tables = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    columns = set()
    for table in tables:
        for column in await db.fetchall(f"PRAGMA table_info({table['name']})"):
            columns.add((table["name"], column["name"]))
    return columns


async def test_every_column_is_classified(db: Database) -> None:
    others = {(t, c) for t, names in OTHER_COLUMNS.items() for c in names}
    named = set(USER_ID_COLUMNS) | set(QUOTING_COLUMNS)
    assert not others & named
    unclassified = await schema(db) - others - named
    assert unclassified == set(), "classify these columns above: can they hold a user id?"
    assert others | named == await schema(db)  # nothing listed that is gone


async def test_every_user_id_column_is_exported_and_erased(
    harness_factory: HarnessFactory,
) -> None:
    h = await harness_factory(capabilities=build_capabilities)
    db = h.services.db
    privacy = next(c for c in h.services.capabilities if isinstance(c, Privacy))
    names = {"u": MEMBER, "o": OTHER}
    await db.execute(
        "INSERT INTO plenum_events (id, key, title, starts, ends, source, created_at, "
        "updated_at) VALUES (1, 'base', 'Plenum', 1, 2, 'chat', 1, 1)"
    )

    async def export() -> str:
        return json.dumps(await privacy.collect(MEMBER), sort_keys=True, default=str)

    missing = []
    for (table, column), sql in {**USER_ID_COLUMNS, **QUOTING_COLUMNS}.items():
        before = await export()
        for statement in sql.split("; "):  # a row may need another one first
            await db.execute(statement, names)
        if await export() == before:
            missing.append(f"{table}.{column}")
    assert missing == [], "not in !meine-daten"

    await privacy.erase(MEMBER)
    left: dict[str, Any] = {}
    for table, column in await schema(db):
        if (table, column) in KEPT_ON_ERASURE:
            continue
        row = await db.fetchone(
            f"SELECT count(*) AS n FROM {table} WHERE CAST({column} AS TEXT) LIKE ?",
            (f"%{MEMBER}%",),
        )
        if row["n"]:
            left[f"{table}.{column}"] = row["n"]
    assert left == {}, "still naming the member after !daten-loeschen"
    # The others' data stays consistent: their registration, action items and the workshop's
    # poll, room link and summary remain, with the member's name replaced.
    for sql in (
        "SELECT 1 FROM plenum_registrations WHERE user_id = :o AND registered_by IS NULL",
        "SELECT 1 FROM workshop_entries WHERE text = 'Tun' AND owner IS NULL",
        "SELECT 1 FROM workshop_entries WHERE text = 'Getan' AND done_by IS NULL",
        "SELECT 1 FROM polls WHERE created_by = '(gelöscht)'",
        "SELECT 1 FROM workshop_rooms WHERE linked_by = '(gelöscht)'",
        "SELECT 1 FROM workshop_summaries WHERE created_by = '(gelöscht)'",
        "SELECT 1 FROM kb_faq WHERE sources = '[\"Chat-Eintrag\"]' AND added_by IS NULL",
        # The open question another member asked too stays theirs.
        "SELECT 1 FROM kb_unanswered_askers WHERE qid = 'q2' AND user_id = :o",
        "SELECT 1 FROM kb_unanswered WHERE id = 'q2' AND user_id = :o",
        "SELECT 1 FROM workshop_summaries WHERE body LIKE '%(zuständig: (gelöscht))'",
        "SELECT 1 FROM workshop_entries WHERE text = 'Vorschlag von (gelöscht) angenommen'",
    ):
        assert await db.fetchone(sql, names) is not None, sql
