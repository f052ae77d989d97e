"""A command's writes, its "handled" mark and its replies commit together, or none does."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import types
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.context import CommandContext
from bot.errors import UserError
from bot.events import IncomingReaction
from bot.feature import Capability
from bot.formatting import Message
from bot.posting import Target
from bot.registry import Registry, command
from bot.services import Services
from storage.database import Database
from tests.fakes import BOB, ROOM, core_capabilities, make_config, message

COORD_ROOM = "!coord:example.org"

# --- the database's ambient transaction ----------------------------------------------------


async def count(db: Database) -> int:
    row = await db.fetchone("SELECT count(*) AS n FROM kv")
    return int(row["n"])


async def test_nested_transaction_is_a_savepoint(db: Database) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO kv VALUES ('outer', '1')")
        try:
            async with db.transaction():
                await db.execute("INSERT INTO kv VALUES ('inner', '1')")
                assert await count(db) == 2  # reads inside see the open transaction
                raise RuntimeError
        except RuntimeError:
            pass
    assert await count(db) == 1
    assert await db.fetchone("SELECT 1 FROM kv WHERE key = 'outer'") is not None


async def test_rollback_undoes_everything_and_drops_after_commit(db: Database) -> None:
    woken: list[str] = []
    try:
        async with db.transaction():
            await db.execute("INSERT INTO kv VALUES ('a', '1')")
            db.after_commit(lambda: woken.append("a"))
            raise RuntimeError
    except RuntimeError:
        pass
    assert await count(db) == 0 and woken == []
    async with db.transaction():
        db.after_commit(lambda: woken.append("b"))
        assert woken == []  # not before the commit
    assert woken == ["b"]


async def test_a_task_spawned_inside_does_not_join_the_transaction(db: Database) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO kv VALUES ('a', '1')")
        other = asyncio.create_task(db.execute("INSERT INTO kv VALUES ('b', '1')"))
        await asyncio.sleep(0.05)
        assert not other.done()  # it waits for our commit instead of writing into it
    await other
    assert await count(db) == 2


async def test_readers_outside_see_only_committed_data(db: Database) -> None:
    seen: list[int] = []
    async with db.transaction():
        await db.execute("INSERT INTO kv VALUES ('a', '1')")
        seen.append(await asyncio.create_task(count(db)))
    assert seen == [0]
    assert await count(db) == 1


# --- commands through the router --------------------------------------------------------------


class Counter(Capability):
    """Counts in the database; "!zaehle-kaputt" counts and then fails."""

    name = "counter"

    async def bump(self) -> None:
        await self.services.db.execute(
            "INSERT INTO kv VALUES ('n', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    async def value(self) -> int:
        row = await self.services.db.fetchone("SELECT value FROM kv WHERE key = 'n'")
        return int(row["value"]) if row else 0

    @command("zaehle", help="x", help_en="x")
    async def zaehle(self, ctx: CommandContext) -> None:
        await self.bump()
        ctx.reply("gezählt")

    @command("zaehle-kaputt", help="x", help_en="x")
    async def zaehle_kaputt(self, ctx: CommandContext) -> None:
        await self.bump()
        raise RuntimeError("boom")

    @command("zaehle-falsch", help="x", help_en="x")
    async def zaehle_falsch(self, ctx: CommandContext) -> None:
        await self.bump()
        raise UserError("Falsche Eingabe.")

    @command("zaehle-verschluckt", help="x", help_en="x")
    async def zaehle_verschluckt(self, ctx: CommandContext) -> None:
        """Catches the failure of an atomic() part and carries on (what it must not do)."""
        try:
            async with self.services.db.atomic():
                await self.bump()
                raise ValueError("broken part")
        except ValueError:
            pass
        ctx.reply("gezählt")

    async def on_message(self, ctx: CommandContext) -> bool:
        if ctx.is_dm and ctx.message.body == "kaputt":
            await self.bump()
            raise RuntimeError("boom")
        if ctx.is_dm:
            await self.bump()
            ctx.reply("notiert")
            return True
        return False

    busy = True  # "⏳" and !zaehle-besetzt meet a busy database until a test clears this

    @command("zaehle-besetzt", help="x", help_en="x")
    async def zaehle_besetzt(self, ctx: CommandContext) -> None:
        await self.bump()
        if self.busy:
            raise busy()
        ctx.reply("gezählt")

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        await self.bump()
        if reaction.key == "💥":
            raise RuntimeError("boom")
        if reaction.key == "⏳" and self.busy:
            raise busy()


def busy() -> sqlite3.OperationalError:
    """What SQLite raises when another writer held the database beyond busy_timeout."""
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
    return exc


def with_counter(services: Services) -> list[Capability]:
    capabilities = [*core_capabilities(services), Counter(services)]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


async def counter_harness(harness_factory, **config):  # type: ignore[no-untyped-def]
    cfg = make_config(Path(config.pop("tmp_path")), **config) if config else None
    h = await harness_factory(config=cfg, capabilities=with_counter)
    counter = next(c for c in h.services.capabilities if isinstance(c, Counter))
    return h, counter


async def test_writes_and_reply_commit_together_once(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory)
    msg = message("!zaehle")
    await h.router.handle(msg)
    await h.router.handle(msg)  # the same event again (a retried batch, a restart)
    assert await counter.value() == 1
    assert [r["body"] for r in await h.replies()] == ["gezählt"]


async def test_a_failing_command_leaves_no_writes_only_the_error(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory)
    await h.send("!zaehle-kaputt")
    assert await counter.value() == 0
    (reply,) = await h.replies()
    assert reply["body"].startswith("Interner Fehler (Ref: ")


async def test_a_wrong_input_after_writes_leaves_only_its_message(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory)
    await h.send("!zaehle-falsch")
    assert await counter.value() == 0
    assert [r["body"] for r in await h.replies()] == ["Falsche Eingabe."]


async def test_a_failed_command_is_marked_handled_with_its_error(harness_factory) -> None:  # type: ignore[no-untyped-def]
    """The error reply and the handled mark commit together: a replay after a restart does
    not run the command again (it could succeed and leave the member with an error for a
    command that took effect)."""
    h, counter = await counter_harness(harness_factory)
    for body in ("!zaehle-kaputt", "!zaehle-falsch"):
        msg = message(body)
        await h.router.handle(msg)
        assert await h.router.sync_state.is_handled(msg.event_id)
    assert await counter.value() == 0 and len(await h.replies()) == 2


async def test_a_crash_before_commit_leaves_nothing_and_the_retry_runs_once(
    harness_factory, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory)
    msg = message("!zaehle")
    original = h.services.poster.post_content

    async def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")  # e.g. the process dies while queueing the reply

    monkeypatch.setattr(h.services.poster, "post_content", crash)
    try:
        await h.router.handle(msg)
    except OSError:
        pass
    assert await counter.value() == 0 and await h.replies() == []
    assert not await h.router.sync_state.is_handled(msg.event_id)
    monkeypatch.setattr(h.services.poster, "post_content", original)
    await h.router.handle(msg)
    assert await counter.value() == 1
    assert len(await h.replies()) == 1


async def test_a_throttled_message_stores_nothing(tmp_path, harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(
        harness_factory, tmp_path=tmp_path, bot={"throttle_commands": 1, "throttle_window": 60}
    )
    h.rooms.direct.add("!dm:example.org")
    for n in range(4):
        await h.send("hallo", room_id="!dm:example.org", ts=1_769_680_800_000 + n)
    # one counted, one warned (its writes undone: the warning replaces the output), two dropped
    assert await counter.value() == 1
    assert len(await h.replies()) == 2


async def test_a_failing_message_handler_still_counts_against_the_throttle(
    tmp_path, harness_factory
) -> None:  # type: ignore[no-untyped-def]
    """A DM that makes a handler fail gets its error reply once, then the warning, then
    nothing: a member cannot make the bot answer (and log) a failure per message."""
    h, _ = await counter_harness(
        harness_factory, tmp_path=tmp_path, bot={"throttle_commands": 1, "throttle_window": 60}
    )
    h.rooms.direct.add("!dm:example.org")
    for n in range(4):
        await h.send("kaputt", room_id="!dm:example.org", ts=1_769_680_800_000 + n)
    bodies = [r["body"] for r in await h.replies()]
    assert len(bodies) == 2
    assert bodies[0].startswith("Interner Fehler (Ref: ")
    assert bodies[1].startswith("Sie senden gerade sehr viele Nachrichten an mich")


async def test_a_reaction_is_recorded_once(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory)
    reaction = IncomingReaction(ROOM, "$reaction", BOB, "$answer", "👍", 0)
    await h.router.handle_reaction(reaction)
    await h.router.handle_reaction(reaction)
    assert await counter.value() == 1


async def test_a_failing_reaction_is_undone_and_answered_in_the_configured_language(
    tmp_path, harness_factory, caplog
) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(harness_factory, tmp_path=tmp_path, bot={"language": "en"})
    reaction = IncomingReaction(ROOM, "$reaction", BOB, "$answer", "💥", 0)
    await h.router.handle_reaction(reaction)
    await h.router.handle_reaction(reaction)  # handled once: no second notice
    assert await counter.value() == 0
    (row,) = await h.rows()
    assert row["user_id"] == BOB  # by direct message: a reaction has no thread to answer in
    body = json.loads(row["content"])["body"]
    assert body.startswith("Internal error (ref: ") and "boom" not in body
    ref = body.split("ref: ")[1][:6]
    assert [r.exc_info is not None for r in caplog.records if ref in r.getMessage()] == [True]


async def test_a_busy_database_is_retried_not_answered(harness_factory) -> None:  # type: ignore[no-untyped-def]
    """BUSY from inside a handler: rare in WAL mode once BEGIN IMMEDIATE holds the write lock
    (the realistic path, BUSY at BEGIN IMMEDIATE, is the next test); kept for the router's
    own re-raise of a transient error."""
    h, counter = await counter_harness(harness_factory)
    reaction = IncomingReaction(ROOM, "$reaction", BOB, "$answer", "⏳", 0)
    with pytest.raises(sqlite3.OperationalError):
        await h.router.handle_reaction(reaction)
    msg = message("!zaehle-besetzt")
    with pytest.raises(sqlite3.OperationalError):
        await h.router.handle(msg)
    # Nothing stored, nothing said, neither marked handled: the dispatcher retries the batch.
    assert await counter.value() == 0 and await h.rows() == []
    assert not await h.router.sync_state.is_handled("$reaction")
    assert not await h.router.sync_state.is_handled(msg.event_id)
    counter.busy = False  # the other writer is done: the retried batch goes through
    await h.router.handle(msg)
    await h.router.handle_reaction(reaction)
    assert await counter.value() == 2
    assert [json.loads(r["content"])["body"] for r in await h.rows()] == ["gezählt"]


# --- a database locked by another connection (REVIEW-2 F3, F4) -------------------------------


def locked_setup(h):  # type: ignore[no-untyped-def]
    """The real path: another connection (e.g. another process) holds the write lock, so the
    bot's BEGIN IMMEDIATE raises SQLITE_BUSY, before any command code runs. SQLite's wait
    (busy_timeout, 5 s) is cut to nothing here: the test does not wait for wall-clock time."""
    from bot.dispatch import Dispatcher, PoisonEvents
    from storage.sync_state import SyncStateRepository
    from tests.unit.test_reliability import NoKeys

    db = h.services.db
    other = sqlite3.connect(db.path, isolation_level=None)
    poison = PoisonEvents(db, h.clock, h.services.poster, COORD_ROOM, "de")
    d = Dispatcher(
        types.SimpleNamespace(user_id="@bot:example.org"),  # type: ignore[arg-type]
        h.router,
        SyncStateRepository(db),
        types.SimpleNamespace(),  # type: ignore[arg-type]
        (),
        NoKeys(),  # type: ignore[arg-type]
        poison,
    )
    return other, d


def command_event(event_id: str, body: str):  # type: ignore[no-untyped-def]
    from nio import RoomMessageText

    return RoomMessageText.from_dict(
        {
            "event_id": event_id,
            "sender": BOB,
            "origin_server_ts": 1_769_680_800_000,
            "type": "m.room.message",
            "content": {"msgtype": "m.text", "body": body},
        }
    )


async def test_a_lock_held_elsewhere_is_waited_out_and_the_command_counted_once(
    tmp_path, harness_factory
) -> None:  # type: ignore[no-untyped-def]
    h, counter = await counter_harness(
        harness_factory, tmp_path=tmp_path, bot={"throttle_commands": 2, "throttle_window": 60}
    )
    await h.services.db._writer.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
    other, d = locked_setup(h)
    other.execute("BEGIN IMMEDIATE")
    event = command_event("$cmd", "!zaehle")
    for _ in range(5):  # minutes of lock: the batch fails at BEGIN IMMEDIATE each time
        with pytest.raises(sqlite3.OperationalError) as raised:
            await d._handle_room(ROOM, [event])
        assert raised.value.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
        h.clock.advance(60)
    # Nothing recorded while locked (not even the failure): never set aside, nobody told.
    assert await h.db.fetchall("SELECT * FROM failed_events") == []
    assert await h.rows() == []
    other.execute("ROLLBACK")
    other.close()
    await d._handle_room(ROOM, [event])
    await h.send("!zaehle", sender=BOB)  # the member's next command within the minute
    # The five failed attempts did not count against the throttle (F4): both counted.
    assert await counter.value() == 2
    assert [r["body"] for r in await h.replies()] == ["gezählt", "gezählt"]


async def test_a_command_set_aside_is_answered_with_its_reference(
    tmp_path, harness_factory
) -> None:  # type: ignore[no-untyped-def]
    """Another process writes every time the command is tried (its failure is recorded in
    between): after three attempts over 30 s it is set aside, and the member is told, with
    the reference the coordination room gets too, instead of silence (F3)."""
    h, counter = await counter_harness(harness_factory)
    await h.services.db._writer.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
    other, d = locked_setup(h)
    handle = h.router.handle

    async def handle_while_locked(msg):  # type: ignore[no-untyped-def]
        other.execute("BEGIN IMMEDIATE")
        try:
            await handle(msg)
        finally:
            other.execute("ROLLBACK")

    h.router.handle = handle_while_locked  # type: ignore[method-assign]
    event = command_event("$cmd", "!zaehle")
    for _ in range(3):
        with pytest.raises(sqlite3.OperationalError):
            await d._handle_room(ROOM, [event])
        h.clock.advance(10)
    await d._handle_room(ROOM, [event])  # the fourth, 30 s after the first: set aside
    other.close()
    assert await counter.value() == 0
    rows = {r["room_id"]: json.loads(r["content"]) for r in await h.rows()}
    reply, notice = rows[ROOM], rows[COORD_ROOM]
    assert reply["body"].startswith("Interner Fehler (Ref: ")
    assert reply["m.relates_to"]["m.in_reply_to"]["event_id"] == "$cmd"
    ref = reply["body"].split("Ref: ")[1][:6]
    assert f"Ref: {ref}" in notice["body"]
    await d._handle_room(ROOM, [event])  # delivered again: set aside stays set aside
    assert len(await h.rows()) == 2


async def test_who_is_told_when_an_event_is_set_aside(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h, _ = await counter_harness(harness_factory)
    async with h.db.transaction():
        await h.router.tell_set_aside(message("Guten Morgen zusammen"), "aa1111")
        await h.router.tell_set_aside(IncomingReaction(ROOM, "$re", BOB, "$x", "✅", 0), "bb2222")
    (row,) = await h.rows()  # room chatter: nobody asked the bot; a reaction: by DM
    assert row["user_id"] == BOB and "Ref: bb2222" in json.loads(row["content"])["body"]


# --- post() -----------------------------------------------------------------------------------


async def test_post_is_idempotent_by_key_and_wakes_after_commit(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = await harness_factory()
    woken: list[int] = []
    h.services.poster.wake = lambda: woken.append(1)
    db = h.services.db
    async with db.transaction():
        assert await h.services.poster.post(Target.room(ROOM), Message.text("a"), "reminder:1")
        assert not await h.services.poster.post(Target.room(ROOM), Message.text("a"), "reminder:1")
        assert woken == []
    assert woken == [1]
    (row,) = await h.rows()
    assert row["room_id"] == ROOM and row["status"] == "pending"


async def test_post_to_a_user_goes_to_their_direct_message(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = await harness_factory()
    await h.services.poster.post(Target.direct(BOB), Message.text("Hallo"), "promotion:7")
    (row,) = await h.rows()
    assert row["user_id"] == BOB and row["room_id"] is None


# --- jobs -------------------------------------------------------------------------------------


async def test_a_job_due_in_the_past_runs_at_once_not_never(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = await harness_factory()
    jobs = h.services.jobs
    now = h.services.clock.now()

    async def noop() -> None:
        return None

    jobs.at("reminder:1", now - timedelta(hours=3), noop)
    jobs.at("reminder:2", now + timedelta(days=2), noop)
    assert jobs.next_run("reminder:1") - now < timedelta(seconds=1)
    assert jobs.next_run("reminder:2") == now + timedelta(days=2)
    jobs.at("reminder:2", now + timedelta(days=3), noop)  # replaced by name, not added twice
    assert jobs.job_ids("reminder:") == ["reminder:1", "reminder:2"]
    jobs.cancel("reminder:1")
    assert jobs.job_ids("reminder:") == ["reminder:2"]


# --- one shape for every capability ------------------------------------------------------------


def test_every_capability_is_built_by_the_one_function(tmp_path: Path) -> None:
    import commands

    services = types.SimpleNamespace(config=make_config(tmp_path), db=None, clock=FakeClock())
    built = {type(c) for c in commands.build_capabilities(services)}  # type: ignore[arg-type]
    assert built == set(commands.CAPABILITY_CLASSES)
    names = [c.name for c in commands.CAPABILITY_CLASSES]
    assert all(names) and len(set(names)) == len(names)


async def test_after_commit_of_a_rolled_back_savepoint_is_dropped(db: Database) -> None:
    woken: list[str] = []
    async with db.transaction():
        db.after_commit(lambda: woken.append("outer"))
        try:
            async with db.transaction():
                db.after_commit(lambda: woken.append("inner"))
                raise RuntimeError
        except RuntimeError:
            pass
    assert woken == ["outer"]


async def test_jobs_change_only_when_the_transaction_commits(harness_factory) -> None:  # type: ignore[no-untyped-def]
    h = await harness_factory()
    jobs, db = h.services.jobs, h.services.db
    now = h.services.clock.now()

    async def noop() -> None:
        return None

    try:
        async with db.transaction():
            jobs.at("reminder:9", now + timedelta(hours=1), noop)
            raise RuntimeError  # e.g. the command failed after arming its job
    except RuntimeError:
        pass
    assert jobs.next_run("reminder:9") is None
    async with db.transaction():
        jobs.at("reminder:9", now + timedelta(hours=1), noop)
        assert jobs.next_run("reminder:9") is None  # not before the commit
    assert jobs.next_run("reminder:9") == now + timedelta(hours=1)
    try:
        async with db.transaction():
            jobs.cancel("reminder:9")
            raise RuntimeError
    except RuntimeError:
        pass
    assert jobs.next_run("reminder:9") is not None  # the cancel was rolled back with its rows


# -- atomic(): joins the transaction without a savepoint, and a failure fails the whole ------


async def statements(db: Database) -> list[str]:
    """Every statement the writer connection runs from now on (SQLite's trace callback)."""
    seen: list[str] = []
    assert db._writer is not None
    await db._writer.set_trace_callback(seen.append)  # called in aiosqlite's thread
    return seen


async def test_atomic_joins_the_transaction_without_a_savepoint(db: Database) -> None:
    seen = await statements(db)
    async with db.transaction():
        async with db.atomic():
            await db.execute("INSERT INTO kv VALUES ('a', '1')")
            await db.execute("INSERT INTO kv VALUES ('b', '1')")
    assert any("INSERT INTO kv" in s for s in seen), seen  # the trace saw the statements
    assert not any("SAVEPOINT" in s or "RELEASE" in s for s in seen), seen
    assert await count(db) == 2


async def test_atomic_outside_a_transaction_commits_or_rolls_back_on_its_own(
    db: Database,
) -> None:
    async with db.atomic():
        await db.execute("INSERT INTO kv VALUES ('a', '1')")
    with pytest.raises(RuntimeError):
        async with db.atomic():
            await db.execute("INSERT INTO kv VALUES ('b', '1')")
            raise RuntimeError
    assert await count(db) == 1


async def test_a_caught_atomic_failure_still_fails_the_transaction(db: Database) -> None:
    # Without a savepoint the half-done part cannot be undone alone: committing the rest
    # would keep it, so the transaction refuses to commit and rolls everything back.
    with pytest.raises(RuntimeError, match="cannot commit"):
        async with db.transaction():
            await db.execute("INSERT INTO kv VALUES ('outer', '1')")
            try:
                async with db.atomic():
                    await db.execute("INSERT INTO kv VALUES ('half', '1')")
                    raise ValueError
            except ValueError:
                pass
    assert await count(db) == 0


async def test_an_atomic_failure_inside_a_rolled_back_savepoint_is_undone_with_it(
    db: Database,
) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO kv VALUES ('outer', '1')")
        try:
            async with db.transaction():
                async with db.atomic():
                    await db.execute("INSERT INTO kv VALUES ('half', '1')")
                    raise ValueError
        except ValueError:
            pass
    assert await count(db) == 1
    assert await db.fetchone("SELECT 1 FROM kv WHERE key = 'outer'") is not None


async def test_an_atomic_failure_in_a_released_savepoint_survives_a_sibling_rollback(
    db: Database,
) -> None:
    # The savepoint around the failed part was released (kept), so its half-done write is
    # still in; a later, unrelated savepoint that rolls back must not clear the mark.
    with pytest.raises(RuntimeError, match="cannot commit") as failed:
        async with db.transaction():
            async with db.transaction():
                try:
                    async with db.atomic():
                        await db.execute("INSERT INTO kv VALUES ('half', '1')")
                        raise ValueError("the part's own failure")
                except ValueError:
                    pass
            try:
                async with db.transaction():
                    raise KeyError
            except KeyError:
                pass
    assert isinstance(failed.value.__cause__, ValueError)  # the log shows the real cause
    assert await count(db) == 0


async def test_after_commit_of_a_released_savepoint_survives_a_sibling_rollback(
    db: Database,
) -> None:
    # E.g. the router's savepoint per capability: one capability's hook succeeded and
    # registered a wake-up, a later one failed; the first one's rows and wake-up both stay.
    ran: list[str] = []
    async with db.transaction():
        async with db.transaction():
            await db.execute("INSERT INTO kv VALUES ('a', '1')")
            db.after_commit(lambda: ran.append("a"))
        try:
            async with db.transaction():
                raise KeyError
        except KeyError:
            pass
    assert await count(db) == 1
    assert ran == ["a"]


async def test_a_handler_that_swallows_an_atomic_failure_gets_the_error_reply(
    harness_factory,
) -> None:  # type: ignore[no-untyped-def]
    # Not an event that fails at COMMIT and is retried with its batch: the error boundary
    # sees the failure, undoes the writes and marks the event handled with its error.
    h, counter = await counter_harness(harness_factory)
    msg = message("!zaehle-verschluckt")
    await h.router.handle(msg)
    (reply,) = await h.replies()
    assert reply["body"].startswith("Interner Fehler (Ref: ")
    assert await counter.value() == 0
    assert await h.router.sync_state.is_handled(msg.event_id)


async def test_an_answer_is_logged_without_a_savepoint(harness_factory) -> None:  # type: ignore[no-untyped-def]
    # The answer log joins the command's transaction through atomic(): two round trips to
    # SQLite's thread less per question than a nested transaction().
    from commands import build_capabilities

    h = await harness_factory(capabilities=build_capabilities)
    seen = await statements(h.db)
    await h.send("!frage Was ist eine Leitweg-ID?")
    assert any("INSERT INTO kb_answers" in s for s in seen), seen
    assert not any(s.startswith(("SAVEPOINT", "RELEASE")) for s in seen), seen
