"""Numbered schema migrations. Append only: never edit a step that has shipped.

Each step runs in its own transaction together with the version bump (see Database._migrate).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


class SchemaTooNewError(RuntimeError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"database schema version {found} is newer than this program knows ({known}); "
            "run the newer vir-bot version or restore a backup"
        )


async def _run(conn: aiosqlite.Connection, script: str) -> None:
    # Not executescript(): it COMMITs first and would break the step's transaction.
    for statement in script.split(";"):
        if statement.strip():
            await conn.execute(statement)


async def _v1_runtime(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        CREATE TABLE kv (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- Events that produced output: the last line against answering a command twice.
        CREATE TABLE processed_events (
            event_id   TEXT PRIMARY KEY,
            room_id    TEXT NOT NULL,
            handled_at REAL NOT NULL
        );
        CREATE INDEX processed_events_handled_at ON processed_events (handled_at);
        -- Server timestamp of the bot's own join per room: nothing older is ever a command.
        CREATE TABLE room_joins (
            room_id   TEXT PRIMARY KEY,
            joined_ts INTEGER NOT NULL
        );
        CREATE TABLE dm_rooms (
            user_id TEXT PRIMARY KEY,
            room_id TEXT NOT NULL
        );
        -- Every message the bot sends. txn_id is deterministic, so a resend after a crash is
        -- de-duplicated by the homeserver. Exactly one of room_id / user_id (a DM) is set.
        CREATE TABLE outbox (
            id            INTEGER PRIMARY KEY,
            txn_id        TEXT NOT NULL UNIQUE,
            room_id       TEXT,
            user_id       TEXT,
            event_type    TEXT NOT NULL DEFAULT 'm.room.message',
            content       TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'sent', 'failed')),
            attempts      INTEGER NOT NULL DEFAULT 0,
            not_before    REAL NOT NULL DEFAULT 0,
            created_at    REAL NOT NULL,
            sent_at       REAL,
            sent_event_id TEXT,
            last_error    TEXT,
            CHECK ((room_id IS NULL) != (user_id IS NULL))
        );
        CREATE INDEX outbox_pending ON outbox (status, not_before, id);
        """,
    )


async def _v2_knowledge(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- Pre-analysed terms (folded, stemmed, compounds split in Python) per knowledge entry.
        CREATE VIRTUAL TABLE kb_fts USING fts5(
            doc_id UNINDEXED,
            topic UNINDEXED,
            title,
            questions,
            keywords,
            body,
            topic_kw,
            tokenize = 'unicode61 remove_diacritics 0'
        );
        -- Content hash per knowledge file: the index is rebuilt only when one changes.
        CREATE TABLE kb_sources (
            path   TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL
        );
        -- FAQ entries added from chat, searchable at once and exportable as files.
        CREATE TABLE kb_faq (
            id         TEXT PRIMARY KEY,
            topic      TEXT NOT NULL,
            title      TEXT NOT NULL,
            questions  TEXT NOT NULL DEFAULT '[]',
            keywords   TEXT NOT NULL DEFAULT '[]',
            sources    TEXT NOT NULL DEFAULT '[]',
            body       TEXT NOT NULL,
            en_title   TEXT,
            en_answer  TEXT,
            updated    TEXT NOT NULL,
            added_by   TEXT,
            created_at REAL NOT NULL
        );
        -- Questions the bot abstained on. The id is derived from the normalised text, so the
        -- same question asked again keeps its id and only counts up.
        CREATE TABLE kb_unanswered (
            id          TEXT PRIMARY KEY,
            qkey        TEXT NOT NULL UNIQUE,
            question    TEXT NOT NULL,
            asked       INTEGER NOT NULL DEFAULT 1,
            first_asked REAL NOT NULL,
            last_asked  REAL NOT NULL,
            user_id     TEXT,
            room_id     TEXT,
            status      TEXT NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'answered', 'dismissed')),
            entry_id    TEXT
        );
        -- Every answer (or abstention) the bot gave. event_id is the bot's reply event.
        CREATE TABLE kb_answers (
            id       INTEGER PRIMARY KEY,
            event_id TEXT UNIQUE,
            question TEXT NOT NULL,
            topic    TEXT,
            entry_id TEXT,
            score    REAL NOT NULL,
            asked_at REAL NOT NULL,
            room_id  TEXT,
            user_id  TEXT
        );
        CREATE INDEX kb_answers_asked_at ON kb_answers (asked_at);
        CREATE INDEX kb_answers_entry ON kb_answers (entry_id);
        -- One vote per user and answer, a later reaction replaces the earlier one.
        CREATE TABLE kb_feedback (
            event_id TEXT NOT NULL,
            user_id  TEXT NOT NULL,
            vote     INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            voted_at REAL NOT NULL,
            PRIMARY KEY (event_id, user_id)
        );
        """,
    )


async def _v3_encryption(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- Files sent with an outbox message (CSV, ics, JSON exports), uploaded at send time
        -- so an encrypted room gets an encrypted attachment.
        CREATE TABLE outbox_files (
            outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
            filename  TEXT NOT NULL,
            mimetype  TEXT NOT NULL,
            data      BLOB NOT NULL
        );
        -- Events whose room key has not arrived yet: retried after each sync, kept across
        -- restarts because the sync token has already moved past them.
        CREATE TABLE undecrypted_events (
            event_id   TEXT PRIMARY KEY,
            room_id    TEXT NOT NULL,
            sender     TEXT NOT NULL,
            session_id TEXT NOT NULL,
            source     TEXT NOT NULL,
            first_seen REAL NOT NULL
        );
        -- When a sender was last told that their message could not be decrypted (once, not
        -- once per message).
        CREATE INDEX outbox_sent_event ON outbox (sent_event_id);
        CREATE TABLE decryption_notices (
            sender      TEXT PRIMARY KEY,
            notified_at REAL NOT NULL
        );
        """,
    )


async def _v4_feedback_reactions(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- The reaction that cast a vote: redacting (removing) it takes the vote back.
        ALTER TABLE kb_feedback ADD COLUMN reaction_event_id TEXT;
        CREATE INDEX kb_feedback_reaction ON kb_feedback (reaction_event_id)
        """,
    )


async def _v5_summaries(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- A room linked to one workshop: entries written there belong to it. who_may_add:
        -- 'all' (everyone in the room) or 'attendees' (registered attendees), coordinators always.
        CREATE TABLE workshop_rooms (
            room_id      TEXT PRIMARY KEY,
            event_key    TEXT NOT NULL,
            workshop_key TEXT NOT NULL,
            who_may_add  TEXT NOT NULL DEFAULT 'all',
            linked_by    TEXT NOT NULL,
            linked_at    REAL NOT NULL
        );
        CREATE INDEX workshop_rooms_workshop ON workshop_rooms (event_key, workshop_key);
        -- Notes, decisions and action items. source_event_id is the command or the pinned
        -- message (a message is pinned once), pin_reaction_id the 📌 that recorded it.
        CREATE TABLE workshop_entries (
            id              INTEGER PRIMARY KEY,
            event_key       TEXT NOT NULL,
            workshop_key    TEXT NOT NULL,
            kind            TEXT NOT NULL CHECK (kind IN ('note', 'decision', 'action')),
            text            TEXT NOT NULL,
            author          TEXT NOT NULL,
            created_at      REAL NOT NULL,
            room_id         TEXT,
            source_event_id TEXT,
            pin_reaction_id TEXT,
            owner           TEXT,
            due_date        TEXT,
            done_at         REAL,
            done_by         TEXT,
            reminded_at     REAL,
            overdue_at      REAL,
            UNIQUE (event_key, workshop_key, source_event_id)
        );
        CREATE INDEX workshop_entries_workshop ON workshop_entries (event_key, workshop_key);
        CREATE INDEX workshop_entries_open_actions ON workshop_entries (kind, done_at);
        -- A 📌 whose message text is still to be fetched from the homeserver.
        CREATE TABLE pending_pins (
            reaction_event_id TEXT PRIMARY KEY,
            room_id           TEXT NOT NULL,
            target_event_id   TEXT NOT NULL,
            sender            TEXT NOT NULL,
            created_at        REAL NOT NULL,
            attempts          INTEGER NOT NULL DEFAULT 0
        );
        -- Native (MSC3381) polls. The start event is sent through the outbox with the key
        -- poll:<id>, its event id is known once sent.
        CREATE TABLE polls (
            id            INTEGER PRIMARY KEY,
            event_key     TEXT NOT NULL,
            workshop_key  TEXT NOT NULL,
            room_id       TEXT NOT NULL,
            question      TEXT NOT NULL,
            options       TEXT NOT NULL,
            created_by    TEXT NOT NULL,
            created_at    REAL NOT NULL,
            ended_at      REAL,
            decision_id   INTEGER REFERENCES workshop_entries (id) ON DELETE SET NULL
        );
        CREATE INDEX polls_room ON polls (room_id, ended_at);
        -- The latest response per member and poll start event (also for polls not yet matched).
        CREATE TABLE poll_votes (
            poll_event_id TEXT NOT NULL,
            sender        TEXT NOT NULL,
            room_id       TEXT NOT NULL,
            answers       TEXT NOT NULL,
            voted_ts      INTEGER NOT NULL,
            vote_event_id TEXT NOT NULL,
            PRIMARY KEY (poll_event_id, sender)
        );
        -- Summaries posted or scheduled, with the text as posted (for the record).
        CREATE TABLE workshop_summaries (
            id           INTEGER PRIMARY KEY,
            event_key    TEXT NOT NULL,
            workshop_key TEXT NOT NULL,
            room_id      TEXT NOT NULL,
            status       TEXT NOT NULL CHECK (status IN ('scheduled', 'posted')),
            due_at       REAL NOT NULL,
            posted_at    REAL,
            reminder_id  INTEGER,
            created_by   TEXT NOT NULL,
            body         TEXT
        )
        """,
    )


async def _v6_plenum(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- Events attendees register for. Times are UTC epoch seconds. source 'config' events
        -- are rewritten from the configuration at each start and read-only in chat.
        CREATE TABLE plenum_events (
            id                   INTEGER PRIMARY KEY,
            key                  TEXT NOT NULL UNIQUE,
            title                TEXT NOT NULL,
            starts               REAL NOT NULL,
            ends                 REAL NOT NULL,
            location             TEXT NOT NULL DEFAULT '',
            capacity             INTEGER NOT NULL DEFAULT 0,
            registration_closes  REAL,
            max_per_organisation INTEGER NOT NULL DEFAULT 0,
            status               TEXT NOT NULL DEFAULT 'open'
                                 CHECK (status IN ('open', 'closed', 'cancelled')),
            source               TEXT NOT NULL CHECK (source IN ('config', 'chat')),
            announce_room        TEXT,
            reminder_offsets     TEXT,
            sequence             INTEGER NOT NULL DEFAULT 0,
            created_by           TEXT,
            created_at           REAL NOT NULL,
            updated_at           REAL NOT NULL,
            purged_at            REAL,
            aggregate            TEXT
        );
        CREATE TABLE plenum_workshops (
            event_id INTEGER NOT NULL REFERENCES plenum_events (id),
            key      TEXT NOT NULL,
            title    TEXT NOT NULL,
            capacity INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (event_id, key)
        );
        -- One row per member and event (UNIQUE: the last line against double registration).
        -- status is the event seat, workshop_status the place in the chosen workshop.
        -- requested_ts (origin_server_ts, ms) orders the waiting lists.
        CREATE TABLE plenum_registrations (
            id                INTEGER PRIMARY KEY,
            event_id          INTEGER NOT NULL REFERENCES plenum_events (id),
            user_id           TEXT NOT NULL,
            organisation      TEXT,
            status            TEXT NOT NULL CHECK (status IN ('registered', 'waitlist')),
            workshop          TEXT,
            workshop_status   TEXT CHECK (workshop_status IN ('registered', 'waitlist')),
            workshop_ts       INTEGER,
            requested_ts      INTEGER NOT NULL,
            registered_at     REAL NOT NULL,
            seated_at         REAL,
            via               TEXT NOT NULL DEFAULT 'command'
                              CHECK (via IN ('command', 'reaction', 'coordinator')),
            reaction_event_id TEXT,
            registered_by     TEXT,
            UNIQUE (event_id, user_id)
        );
        CREATE INDEX plenum_registrations_queue
            ON plenum_registrations (event_id, status, requested_ts, id);
        CREATE INDEX plenum_registrations_user ON plenum_registrations (user_id);
        CREATE INDEX plenum_registrations_reaction ON plenum_registrations (reaction_event_id);
        -- A member's profile: the organisation given once, whether the privacy notice was shown.
        CREATE TABLE plenum_profiles (
            user_id          TEXT PRIMARY KEY,
            organisation     TEXT,
            privacy_shown_at REAL,
            updated_at       REAL NOT NULL
        );
        -- Every coordinator action, readable by coordinators (!protokoll).
        CREATE TABLE plenum_audit (
            id       INTEGER PRIMARY KEY,
            event_id INTEGER REFERENCES plenum_events (id),
            at       REAL NOT NULL,
            actor    TEXT NOT NULL,
            action   TEXT NOT NULL,
            subject  TEXT,
            detail   TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX plenum_audit_event ON plenum_audit (event_id, id);
        -- Announcements a reaction registers for, by the outbox transaction id of the post.
        CREATE TABLE plenum_announcements (
            txn_id     TEXT PRIMARY KEY,
            event_id   INTEGER NOT NULL REFERENCES plenum_events (id),
            room_id    TEXT NOT NULL,
            created_at REAL NOT NULL
        )
        """,
    )


async def _v7_reminders(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- Every scheduled message (room, personal and event reminders, and kinds other
        -- capabilities register): the next due time in UTC seconds and a status. APScheduler
        -- jobs are rebuilt from these rows at start, and only wake the capability.
        CREATE TABLE reminders (
            id           INTEGER PRIMARY KEY,
            kind         TEXT NOT NULL,
            room_id      TEXT,
            user_id      TEXT,
            origin_room  TEXT,
            created_by   TEXT NOT NULL,
            payload      TEXT NOT NULL DEFAULT '',
            rule         TEXT,
            due          INTEGER NOT NULL,
            status       TEXT NOT NULL DEFAULT 'scheduled'
                         CHECK (status IN ('scheduled', 'done', 'cancelled', 'missed')),
            event_key    TEXT,
            event_offset TEXT,
            event_starts INTEGER,
            created_at   REAL NOT NULL,
            UNIQUE (event_key, event_offset)
        );
        CREATE INDEX reminders_due ON reminders (status, due);
        CREATE INDEX reminders_room ON reminders (room_id, status);
        -- One row per handled occurrence: the same occurrence is never handled twice.
        CREATE TABLE reminder_runs (
            reminder_id INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
            due         INTEGER NOT NULL,
            outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'late', 'missed', 'skipped')),
            handled_at  REAL NOT NULL,
            recipients  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (reminder_id, due)
        );
        -- Members who switched event reminder DMs off (!erinnerungen-aus).
        CREATE TABLE reminder_opt_out (
            user_id TEXT PRIMARY KEY,
            since   REAL NOT NULL
        )
        """,
    )


async def _v8_plenum_rooms(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- The room a registration (and a workshop choice) came from: within one room the
        -- waiting list follows the timeline, which origin_server_ts alone does not give.
        ALTER TABLE plenum_registrations ADD COLUMN room_id TEXT;
        ALTER TABLE plenum_registrations ADD COLUMN workshop_room_id TEXT
        """,
    )


async def _v9_plenum_names(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- The member's display name when registering (for the attendee list and export).
        ALTER TABLE plenum_registrations ADD COLUMN display_name TEXT
        """,
    )


async def _v10_runtime_reliability(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- When a message was given up (for !status and the coordination room's report).
        ALTER TABLE outbox ADD COLUMN failed_at REAL;
        CREATE INDEX outbox_failed_at ON outbox (failed_at);
        CREATE INDEX outbox_sent_at ON outbox (sent_at);
        -- Events whose handling raised outside the router's error boundary (a database or
        -- network error), counted per attempt. After a few they are set aside (marked handled,
        -- reported) so one bad event never stalls the rooms and the events after it.
        CREATE TABLE failed_events (
            event_id     TEXT PRIMARY KEY,
            room_id      TEXT NOT NULL,
            attempts     INTEGER NOT NULL,
            last_error   TEXT NOT NULL,
            ref          TEXT NOT NULL,
            first_failed REAL NOT NULL,
            set_aside_at REAL
        )
        """,
    )


async def _v11_summary_states(conn: aiosqlite.Connection) -> None:
    # A scheduled summary can also be missed (the bot was down too long) or called off; SQLite
    # cannot change a CHECK, so the table is rebuilt with its rows.
    await _run(
        conn,
        """
        CREATE TABLE workshop_summaries_v11 (
            id           INTEGER PRIMARY KEY,
            event_key    TEXT NOT NULL,
            workshop_key TEXT NOT NULL,
            room_id      TEXT NOT NULL,
            status       TEXT NOT NULL
                         CHECK (status IN ('scheduled', 'posted', 'missed', 'cancelled')),
            due_at       REAL NOT NULL,
            posted_at    REAL,
            reminder_id  INTEGER,
            created_by   TEXT NOT NULL,
            body         TEXT
        );
        INSERT INTO workshop_summaries_v11 (id, event_key, workshop_key, room_id, status, due_at,
            posted_at, reminder_id, created_by, body)
        SELECT id, event_key, workshop_key, room_id, status, due_at, posted_at, reminder_id,
            created_by, body FROM workshop_summaries;
        DROP TABLE workshop_summaries;
        ALTER TABLE workshop_summaries_v11 RENAME TO workshop_summaries
        """,
    )


async def _v12_askers_and_answer_entries(conn: aiosqlite.Connection) -> None:
    # Every member who asked an open question (the same text from two members is one open
    # question; !antworten tells each of them once), and every entry a reply answered (a
    # two-part reply answers from two entries; a vote on it counts for each).
    await _run(
        conn,
        """
        CREATE TABLE kb_unanswered_askers (
            qid      TEXT NOT NULL,
            user_id  TEXT NOT NULL,
            room_id  TEXT,
            asked_at REAL NOT NULL,
            PRIMARY KEY (qid, user_id)
        );
        INSERT INTO kb_unanswered_askers (qid, user_id, room_id, asked_at)
        SELECT id, user_id, room_id, first_asked FROM kb_unanswered WHERE user_id IS NOT NULL;
        CREATE TABLE kb_answer_entries (
            answer_id INTEGER NOT NULL,
            part      INTEGER NOT NULL,
            entry_id  TEXT NOT NULL,
            topic     TEXT,
            PRIMARY KEY (answer_id, part)
        );
        CREATE INDEX kb_answer_entries_entry ON kb_answer_entries (entry_id);
        INSERT INTO kb_answer_entries (answer_id, part, entry_id, topic)
        SELECT id, 0, entry_id, topic FROM kb_answers WHERE entry_id IS NOT NULL
        """,
    )


async def _v13_dm_setup(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- A DM a member opened, from before the bot joins until its history is restricted:
        -- a crash or a homeserver error in between is finished later, not forgotten.
        CREATE TABLE dm_setup (
            room_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL
        );
        """,
    )


async def _v14_private_replies(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- A reply to a command sent in a member's DM: it may carry their personal data, so it
        -- is sent to that room only while the room is still the DM with this member (checked
        -- at send time, else it goes to their DM instead). NULL once sent. No semicolons in
        -- these comments: _run splits the script at them.
        ALTER TABLE outbox ADD COLUMN private_to TEXT
            CHECK (private_to IS NULL OR room_id IS NOT NULL);
        """,
    )


async def _v15_private_copies(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- A private reply moved to the member's DM is a new row (a copy with its own
        -- transaction id). copy_of names the transaction id of the reply it copies, so a
        -- reaction to the copy counts as feedback on the same answer (answers are logged by
        -- their reply's transaction id).
        ALTER TABLE outbox ADD COLUMN copy_of TEXT;
        -- Copies queued or sent before this version (REVIEW-12 F8): a direct message whose
        -- transaction id is the reply's with the suffix of a moved copy (only the outbox
        -- sender makes those) copies that reply.
        UPDATE outbox SET copy_of = substr(txn_id, 1, length(txn_id) - 8)
            WHERE user_id IS NOT NULL AND copy_of IS NULL AND txn_id LIKE '%:private';
        -- The room a direct message was last sent to (noted before the request, REVIEW-12
        -- F4): if it would go to another room later (the member opened a new DM meanwhile),
        -- that room's history is read first, so it is not sent twice.
        ALTER TABLE outbox ADD COLUMN sent_to TEXT
        """,
    )


async def _v16_former_direct_rooms(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- A member's DM whose history they opened, after the bot opened a DM of its own for
        -- their personal messages (dm_rooms names that one now). Still a room opened as a DM
        -- with them: while it has the two of them alone it is their conversation with the
        -- bot (REVIEW-12 F5), and their DM again once they close its history.
        CREATE TABLE dm_former_rooms (
            room_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL
        );
        """,
    )


async def _v17_downvote_forwarding(conn: aiosqlite.Connection) -> None:
    await _run(
        conn,
        """
        -- The open question the asker's 👎 on this reply passed on to the coordination. Set
        -- once: taking the 👎 back and giving it again does not pass it on twice.
        ALTER TABLE kb_answers ADD COLUMN forwarded_qid TEXT;
        -- What that 👎 passes on when it is not the whole question: the answered parts of a
        -- message asking several (never a private part). NULL: the question itself.
        ALTER TABLE kb_answers ADD COLUMN forward TEXT;
        -- Whether the asker was told an answer since they (last) asked: a question opened
        -- again by a 👎 and answered again tells only who has not had that answer yet.
        ALTER TABLE kb_unanswered_askers ADD COLUMN told INTEGER NOT NULL DEFAULT 0;
        UPDATE kb_unanswered_askers SET told = 1
            WHERE qid IN (SELECT id FROM kb_unanswered WHERE status = 'answered')
        """,
    )


MIGRATIONS: list[Migration] = [
    _v1_runtime,
    _v2_knowledge,
    _v3_encryption,
    _v4_feedback_reactions,
    _v5_summaries,
    _v6_plenum,
    _v7_reminders,
    _v8_plenum_rooms,
    _v9_plenum_names,
    _v10_runtime_reliability,
    _v11_summary_states,
    _v12_askers_and_answer_entries,
    _v13_dm_setup,
    _v14_private_replies,
    _v15_private_copies,
    _v16_former_direct_rooms,
    _v17_downvote_forwarding,
]
