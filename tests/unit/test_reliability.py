"""The runtime's reliability paths with fakes and simulated time: back within seconds after an
outage of any length (without a tight loop during it), 429 on sync, re-login retried, failed
batches retried only after every room task ended, poison events set aside, !status failures,
the outbox's config and retention."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from nio import RoomMessageText

from bot.backoff import Backoff, Reachability, first_of
from bot.config import ConfigError
from bot.dispatch import Dispatcher, PoisonEvents
from bot.matrix import LoginFailed, MatrixError, MatrixUnavailable
from bot.posting import Poster
from bot.scheduling import add_housekeeping, create_scheduler
from bot.sync import SyncLoop
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.failed_events import FailedEventRepository
from storage.outbox import OutboxRepository, OutgoingMessage
from storage.sync_state import SyncStateRepository
from tests.fakes import ALICE, COORD_ROOM, SimClock, make_config

# --- a homeserver that goes away, in simulated time ----------------------------------------


class Homeserver:
    """Fake client for the sync loop: long-polls, outages, a request log with times."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.down = False
        self.sync_broken = False  # the probe answers, /sync fails (e.g. a broken worker)
        self.requests: list[tuple[float, str]] = []
        self.waiting: list[str] = []
        self.changed = asyncio.Event()
        self.sync_errors: list[Exception] = []
        self.login_errors: list[Exception] = []
        self.logins = 0

    def _log(self, kind: str) -> None:
        self.requests.append((self.clock.timestamp(), kind))

    async def upload_filter(self, sync_filter: dict[str, Any]) -> str:
        # Not logged: these tests count the sync loop's requests; the loop syncs inline.
        raise MatrixError("M_UNRECOGNIZED", "filters are not stored here")

    async def sync(self, since: Any, timeout_ms: int, full_state: bool, sync_filter: Any) -> Any:
        self._log("sync")
        if self.down or self.sync_broken:
            raise MatrixUnavailable("ClientConnectorError: connection refused")
        if self.sync_errors:
            raise self.sync_errors.pop(0)
        if not self.waiting and timeout_ms:
            self.changed.clear()
            await first_of(self.clock.sleep(timeout_ms / 1000), self.changed.wait())
        if self.down:
            raise MatrixUnavailable("ServerDisconnectedError")
        events, self.waiting = self.waiting, []
        return SimpleNamespace(next_batch=f"b{len(self.requests)}", events=events)

    async def probe(self) -> bool:
        self._log("probe")
        return not self.down

    async def relogin(self) -> None:
        self._log("login")
        if self.login_errors:
            raise self.login_errors.pop(0)
        self.logins += 1

    async def crypto_housekeeping(self) -> None:
        pass

    def go_down(self) -> None:
        self.down = True
        self.changed.set()  # the open long-poll breaks

    def command(self, body: str) -> None:
        self.waiting.append(body)
        self.changed.set()


class Handled:
    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.at: dict[str, float] = {}

    async def handle_batch(self, resp: Any, token: Any, run_commands: bool) -> None:
        for event in resp.events:
            self.at.setdefault(event, self.clock.timestamp())

    async def seconds_until_wakeup(self) -> None:
        return None


class MemoryToken:
    def __init__(self) -> None:
        self.token = "start"

    async def since_token(self) -> str:
        return self.token

    async def store_since_token(self, token: str) -> None:
        self.token = token


def sync_loop(clock: SimClock, server: Homeserver, handled: Handled) -> SyncLoop:
    return SyncLoop(
        server,  # type: ignore[arg-type]
        handled,  # type: ignore[arg-type]
        MemoryToken(),  # type: ignore[arg-type]
        clock,
        backoff=Backoff(rng=random.Random(7)),
        reachability=Reachability(server.probe, clock, rng=random.Random(7)),
    )


async def stop(loop: SyncLoop, task: asyncio.Task[None], clock: SimClock) -> None:
    loop.stop()
    await clock.run_for(1)
    await task
    await loop.reachability.close()


@pytest.mark.parametrize("outage", [60.0, 600.0])
async def test_back_within_seconds_after_an_outage_without_a_tight_loop(outage: float) -> None:
    clock = SimClock()
    server = Homeserver(clock)
    handled = Handled(clock)
    loop = sync_loop(clock, server, handled)
    task = asyncio.create_task(loop.run())
    await clock.run_for(95)  # quiet long-polls
    down_at = clock.timestamp()
    server.go_down()
    await clock.run_for(outage)
    up_at = clock.timestamp()
    server.down = False
    server.command("!hilfe")  # the first command after the homeserver is back
    await clock.run_for(60, stop=lambda: "!hilfe" in handled.at)
    await stop(loop, task, clock)

    assert handled.at["!hilfe"] - up_at <= 5.0  # target: within 10 s, whatever the outage
    during = [t for t, _ in server.requests if down_at <= t < up_at]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert min(gaps) >= 2.0  # never more than one request every two seconds
    assert max(gaps) <= 5.0  # and a check at least every five
    assert len(during) <= outage / 2.5 + 2
    kinds = {k for t, k in server.requests if down_at <= t < up_at}
    assert kinds == {"probe"}  # the open long-poll broke; while away, only the probe asks
    print(f"outage {outage:.0f} s: {len(during)} requests, first command handled "
          f"{handled.at['!hilfe'] - up_at:.1f} s after the homeserver was back")  # fmt: skip


async def test_a_sync_that_keeps_failing_while_the_probe_answers_backs_off() -> None:
    clock = SimClock()
    server = Homeserver(clock)
    loop = sync_loop(clock, server, Handled(clock))
    task = asyncio.create_task(loop.run())
    await clock.run_for(1)
    server.sync_broken = True
    server.changed.set()
    start = clock.timestamp()
    await clock.run_for(600)
    await stop(loop, task, clock)
    syncs = [t for t, k in server.requests if k == "sync" and t >= start]
    assert len(server.requests) <= 40  # 10 minutes: a probe and a sync per back-off step
    gaps = [b - a for a, b in itertools.pairwise(syncs)]
    assert gaps[-1] >= 60  # the sync's own back-off grew


async def test_rate_limited_sync_waits_as_asked_and_is_no_failure() -> None:
    clock = SimClock()
    server = Homeserver(clock)
    server.sync_errors = [MatrixError("M_LIMIT_EXCEEDED", "slow down", 429, 7000)]
    loop = sync_loop(clock, server, Handled(clock))
    task = asyncio.create_task(loop.run())
    await clock.run_for(10)
    await stop(loop, task, clock)
    first, second = server.requests[0][0], server.requests[1][0]
    assert second - first == pytest.approx(7.0)
    assert loop.backoff.failures == 0 and server.requests[1][1] == "sync"


class LockedDatabase(Handled):
    """Handling fails while another process holds the database (SQLITE_BUSY at BEGIN)."""

    def __init__(self, clock: SimClock, server: Homeserver) -> None:
        super().__init__(clock)
        self.server = server
        self.locked_until = 0.0

    async def handle_batch(self, resp: Any, token: Any, run_commands: bool) -> None:
        if self.clock.timestamp() < self.locked_until:
            from tests.unit.test_transactions import busy

            await self.clock.sleep(5)  # SQLite's busy_timeout, spent before it gives up
            self.server.waiting[:0] = resp.events  # the same token syncs them again
            raise busy()
        await super().handle_batch(resp, token, run_commands)


async def test_a_long_database_lock_delays_commands_only_while_it_lasts() -> None:
    """REVIEW-2 F3: a lock held elsewhere stalls every room (each needs the database), but
    the batch is tried again every few seconds, not after a back-off grown during the lock."""
    clock = SimClock()
    server = Homeserver(clock)
    handled = LockedDatabase(clock, server)
    loop = sync_loop(clock, server, handled)
    task = asyncio.create_task(loop.run())
    await clock.run_for(1)
    handled.locked_until = clock.timestamp() + 130
    server.command("!hilfe")
    await clock.run_for(300, stop=lambda: "!hilfe" in handled.at)
    await stop(loop, task, clock)
    # One busy wait and a second; with the back-off it was 65 s after the lock ended.
    assert handled.at["!hilfe"] - handled.locked_until <= 7.0


async def test_failed_relogin_is_retried_only_a_refused_password_stops() -> None:
    clock = SimClock()
    server = Homeserver(clock)
    loop = sync_loop(clock, server, Handled(clock))
    task = asyncio.create_task(loop.run())
    await clock.run_for(1)
    # An administrator revokes the token while the homeserver restarts behind its proxy.
    server.sync_errors = [MatrixError("M_UNKNOWN_TOKEN", "token revoked", 401)]
    server.login_errors = [MatrixUnavailable("connection refused"), MatrixUnavailable("HTTP 502")]
    server.changed.set()
    await clock.run_for(60)
    assert not task.done() and server.logins == 1 and loop.sessions == 2
    logins = [t for t, k in server.requests if k == "login"]
    assert len(logins) == 3 and logins[1] - logins[0] >= 1.0  # backed off, no tight loop
    server.sync_errors = [MatrixError("M_UNKNOWN_TOKEN", "token revoked", 401)]
    server.login_errors = [LoginFailed("login refused: M_FORBIDDEN")]
    server.changed.set()
    await clock.run_for(60)
    with pytest.raises(LoginFailed):
        await task
    await loop.reachability.close()


# --- dispatcher: structured retries and poison events -------------------------------------


def text_event(event_id: str, body: str = "!hilfe") -> RoomMessageText:
    return RoomMessageText.from_dict(
        {
            "event_id": event_id,
            "sender": "@a:x",
            "origin_server_ts": 1,
            "type": "m.room.message",
            "content": {"msgtype": "m.text", "body": body},
        }
    )


def batch(rooms: dict[str, list[RoomMessageText]]) -> Any:
    join = {
        room: SimpleNamespace(
            state=[], timeline=SimpleNamespace(events=events, limited=False, prev_batch=None)
        )
        for room, events in rooms.items()
    }
    return SimpleNamespace(rooms=SimpleNamespace(invite={}, join=join))


class Router:
    def __init__(self) -> None:
        self.handled: list[str] = []
        self.running: set[str] = set()
        self.overlap = False
        self.release = asyncio.Event()
        self.failing: dict[str, Exception] = {}
        self.told: list[tuple[str, str]] = []  # set aside: (event id, reference)

    async def tell_set_aside(self, event: Any, ref: str) -> None:
        self.told.append((event.event_id, ref))

    async def handle(self, message: Any) -> None:
        if message.event_id in self.running:
            self.overlap = True  # the same event handled twice at once
        self.running.add(message.event_id)
        try:
            if message.event_id in self.failing:
                raise self.failing[message.event_id]
            if message.room_id == "!slow:x":
                await self.release.wait()
            self.handled.append(message.event_id)
        finally:
            self.running.discard(message.event_id)


class NoKeys:
    async def retry(self, handle: Any) -> None:
        pass


def dispatcher(router: Router, db: Database, poison: PoisonEvents | None = None) -> Dispatcher:
    state = SyncStateRepository(db)
    return Dispatcher(
        SimpleNamespace(user_id="@bot:x"),  # type: ignore[arg-type]
        router,  # type: ignore[arg-type]
        state,
        DirectRoomRepository(db),
        (),
        NoKeys(),  # type: ignore[arg-type]
        poison,
    )


async def test_a_failed_batch_ends_only_after_every_room_task_ended(db: Database) -> None:
    router = Router()
    router.failing["$bad"] = RuntimeError("database is locked")
    d = dispatcher(router, db)
    resp = batch({"!fast:x": [text_event("$bad")], "!slow:x": [text_event("$slow")]})
    attempt = asyncio.create_task(d.handle_batch(resp, "t0", run_commands=True))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not attempt.done()  # the failure waits for the slow room's task
    router.release.set()
    with pytest.raises(RuntimeError, match="locked"):
        await attempt
    del router.failing["$bad"]
    await d.handle_batch(resp, "t0", run_commands=True)  # the retried batch
    assert sorted(router.handled) == ["$bad", "$slow"] and not router.overlap


async def poison(db: Database, clock: SimClock) -> PoisonEvents:
    return PoisonEvents(db, clock, Poster(db, clock), COORD_ROOM, "de")


async def test_a_poison_event_is_set_aside_after_three_attempts(db: Database) -> None:
    clock = SimClock()
    router = Router()
    router.failing["$bad"] = RuntimeError("no such column: x")
    d = dispatcher(router, db, await poison(db, clock))
    events = [text_event("$bad"), text_event("$after")]
    for _ in range(3):  # three quick failures (e.g. a short database lock): still retried
        with pytest.raises(RuntimeError):
            await d._handle_room("!r:x", events)
    assert router.handled == []  # the failed attempts are retries of the batch
    clock.advance(30)
    await d._handle_room("!r:x", events)  # failing for 30 s: set aside, the room goes on
    assert router.handled == ["$after"]
    assert await SyncStateRepository(db).is_handled("$bad")
    (record,) = await FailedEventRepository(db).recent_set_aside()
    assert (record.event_id, record.attempts) == ("$bad", 4)
    assert "no such column" in record.last_error
    (report,) = await db.fetchall("SELECT room_id, content FROM outbox")
    assert report["room_id"] == COORD_ROOM
    assert record.ref in report["content"] and "$bad" in report["content"]
    assert router.told == [("$bad", record.ref)]  # the member is told too, same reference
    await d._handle_room("!r:x", events)  # delivered again: nothing runs twice
    assert router.handled == ["$after"]


async def test_an_outage_never_makes_an_event_poison(db: Database) -> None:
    router = Router()
    router.failing["$e"] = MatrixUnavailable("connection refused")
    d = dispatcher(router, db, await poison(db, SimClock()))
    for _ in range(5):
        with pytest.raises(MatrixUnavailable):
            await d._handle_room("!r:x", [text_event("$e")])
    assert await FailedEventRepository(db).recent_set_aside() == []
    assert not await SyncStateRepository(db).is_handled("$e")


# --- !status, config, retention ---------------------------------------------------------------


async def test_status_lists_recent_failures_with_reference_and_reason(harness_factory) -> None:
    h = await harness_factory()
    outbox = h.services.outbox
    await outbox.enqueue(
        [OutgoingMessage("t1", {"body": "x"}, room_id="!gone:x")], h.clock.timestamp()
    )
    await outbox.mark_failed(1, "M_FORBIDDEN: the bot is not in room !gone:x", h.clock.timestamp())
    await FailedEventRepository(h.db).record_failure("$p", "!r:x", "OperationalError", "ab12cd", 0)
    await FailedEventRepository(h.db).set_aside("$p", h.clock.timestamp())
    await h.send("!status", sender=ALICE)
    body = (await h.replies())[-1]["body"]
    assert "1 fehlgeschlagen" in body
    assert "outbox-1" in body and "!gone:x" in body and "M_FORBIDDEN" in body
    assert "Ref ab12cd" in body and "$p" in body


def test_outbox_durations_from_config(tmp_path: Path, caplog) -> None:
    config = make_config(tmp_path, outbox={"give_up_after": "36h", "retention": "14d"})
    assert config.outbox.give_up_after == 36 * 3600
    assert config.outbox.retention == 14 * 86400
    assert make_config(tmp_path, outbox={"give_up_after": 7200}).outbox.give_up_after == 7200
    default = make_config(tmp_path).outbox
    assert (default.give_up_after, default.retention) == (86400, 7 * 86400)
    with pytest.raises(ConfigError, match=r"outbox\.give_up_after: expected a duration"):
        make_config(tmp_path, outbox={"give_up_after": "einen Tag"})
    with pytest.raises(ConfigError, match=r"outbox\.retention"):
        make_config(tmp_path, outbox={"retention": "10s"})
    make_config(tmp_path, outbox={"max_attempts": 12})  # old configs still start
    assert "max_attempts is deprecated" in caplog.text


async def test_housekeeping_applies_the_outbox_retention(db: Database) -> None:
    clock = SimClock(datetime(2026, 3, 10, tzinfo=UTC))
    outbox = OutboxRepository(db)
    for n, age in ((1, timedelta(days=8)), (2, timedelta(days=1))):
        sent = (clock.now() - age).timestamp()
        await outbox.enqueue([OutgoingMessage(f"t{n}", {"body": "personal"}, user_id=ALICE)], sent)
        await outbox.mark_sent(n, f"$e{n}", sent)
    scheduler = create_scheduler(make_config(Path("/tmp")).bot.tz)
    add_housekeeping(scheduler, SyncStateRepository(db), clock, retention=7 * 86400)
    await scheduler.get_job("housekeeping").func()
    left = await db.fetchall("SELECT txn_id FROM outbox")
    assert [r["txn_id"] for r in left] == ["t2"]


async def test_a_probe_that_raises_never_leaves_the_bot_waiting_forever() -> None:
    clock = SimClock()

    async def broken_probe() -> bool:
        raise RuntimeError("session closed")

    reachability = Reachability(broken_probe, clock)
    reachability.report_down("connection refused")
    await clock.run_for(10, stop=lambda: reachability.is_up)
    assert reachability.is_up and reachability.probes == 1
    await reachability.close()


class FilteringHomeserver(Homeserver):
    """Remembers the filter each /sync asked with; storing a filter may fail."""

    def __init__(self, clock: SimClock, store_fails: bool) -> None:
        super().__init__(clock)
        self.store_fails = store_fails
        self.filters: list[Any] = []

    async def upload_filter(self, sync_filter: dict[str, Any]) -> str:
        self._log("filter")
        if self.store_fails:
            raise MatrixUnavailable("HTTP 502")
        return "f1"

    async def sync(self, since: Any, timeout_ms: int, full_state: bool, sync_filter: Any) -> Any:
        self.filters.append(sync_filter)
        return await super().sync(since, timeout_ms, full_state, sync_filter)


@pytest.mark.parametrize("store_fails", [False, True])
async def test_the_sync_filter_is_stored_once_else_sent_inline(store_fails: bool) -> None:
    """The homeserver checks an inline filter on every /sync: it is stored once and referred
    to by id; if storing fails, /sync still works with the filter inline."""
    clock = SimClock()
    server = FilteringHomeserver(clock, store_fails)
    handled = Handled(clock)
    loop = sync_loop(clock, server, handled)
    task = asyncio.create_task(loop.run())
    await clock.run_for(1)
    server.command("!hilfe")
    await clock.run_for(5)
    await stop(loop, task, clock)
    assert "!hilfe" in handled.at
    assert [kind for _, kind in server.requests].count("filter") == 1
    assert len(server.filters) >= 2
    expected = loop.filter if store_fails else "f1"
    assert all(f == expected for f in server.filters)
