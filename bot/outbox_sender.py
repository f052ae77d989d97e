"""Sends the outbox: concurrently across rooms, in order within a room, paced, 429-aware.

A row is marked sent only after the homeserver accepted it; its transaction id is fixed in the
row, so a crash between sending and marking re-sends with the same id and the homeserver
de-duplicates it.

Nothing pending is lost: a room this process has not synced yet, an unreachable homeserver
(connection errors, timeouts, 5xx) and a 429 are waits, not failures; a row fails only for a
reason that will not go away (the bot is not in the room any more, M_FORBIDDEN, the room is
gone) or when it could not be delivered within ``outbox.give_up_after`` (default 24 h). Every
failed row is reported once in the coordination room (key ``outbox-failed:<id>``) and listed
in !status. A direct message never opens a second DM room: the new room id is recorded the
moment the homeserver returns it, and a room created before a crash is found again by its
marker (bot/matrix.py DM_MARKER) before anything new is created.

A private reply (a reply in a member's DM, ``private_to``) is sent to its room only if, once
the room is known, it is still the DM with that member (the router's own check,
bot/direct_rooms.py). Else it is moved: in one transaction the row is marked done and a copy
is queued for the member's DM (key ``<txn>:private``, which opens a new DM when the old one has
others in it), with a short note in the room that names nothing (key ``<txn>:moved``). The
copy is an ``m.text`` (it notifies, like every direct message), and names the reply it copies
(``copy_of``), so reactions to it count as feedback on the same answer. A crash
before that commit leaves the row to be checked again; after it, the new rows are sent like
any other, so the reply goes out once, and never to the room.

A row that goes elsewhere than its room (a private reply moved, a direct message whose DM is
no longer usable) may have reached that room already: sent just before a crash, the PUT on
the server but the row not marked sent, and no sync of this process showing it (it came
before the restored sync token, or in a gap). Before it goes elsewhere, the room's history is
read for its transaction id (``MatrixClient.find_posted``); found there, the row is marked
sent instead (REVIEW-11 R6). While the history cannot be read, or not far enough (at most
10 pages and 20 s per look-up), the row waits with a counted attempt, backing off (and fails
after ``give_up_after``, reported): it is never sent twice. A failed or slow history read does
not pause the sender as an outage would (REVIEW-12 F3). Only a room the bot was banned from
cannot be read at all, ever: then it goes to the DM.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.backoff import Reachability, first_of
from bot.clock import Clock
from bot.config import OutboxConfig
from bot.direct_rooms import DirectRoomInfo
from bot.formatting import Message
from bot.i18n import pick, tr
from bot.matrix import (
    HistoryUnknown,
    MatrixClient,
    MatrixError,
    MatrixUnavailable,
    RoomNotSynced,
    RoomStatus,
)
from bot.posting import Poster, Target
from bot.replies import message_content
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository, OutboxRow

log = logging.getLogger(__name__)

TARGET_CONCURRENCY = 4
# One request to the homeserver at a time per lane, unless it is slow: a request still open
# after SLOW_SEND_SECONDS lets the next room go ahead (up to TARGET_CONCURRENCY rooms), so a
# stuck room never holds up the others. Measured on Synapse (SQLite) in a burst of 200
# replies: 4 sends at once took 380 ms each (its database time per send 100 ms: the requests
# contend for its one connection), one at a time 35 ms: ~10 replies/s against ~28.
SLOW_SEND_SECONDS = 1.0
IDLE_POLL_SECONDS = 30.0
# Room messages and direct messages are sent in two lanes: opening a DM (room creation, keys,
# an upload) must not hold up the replies members are waiting for in their rooms (a burst of
# !anmelden was 7-14x slower than an echo bot). Replies first: before each direct message the
# DM lane waits while the room lane has anything to send (a createRoom costs the homeserver as
# much as a dozen replies); after ROOMS_FIRST_SECONDS it goes ahead, one DM at a time, so DMs
# are never starved but take little from a burst of replies.
ROOMS, DIRECT = "rooms", "direct"
LANES = (ROOMS, DIRECT)
OTHER_LANE_POLL_SECONDS = 1.0
ROOMS_FIRST_SECONDS = 5.0
# Replies come in waves (one per sync batch): a DM starts only once the room lane has been
# idle this long, not in the gap between two waves (it would compete with the next one).
ROOMS_QUIET_SECONDS = 0.3
ROOM_WAIT_CAP = 30.0  # a room not synced yet is checked again at least this often
# A room the bot has just created or joined is usually known after the next sync (well under
# a second): the first checks come soon, so a DM's details do not wait a full second.
ROOM_WAIT_FIRST = 0.25
ERROR_RETRY_CAP = 300.0  # other errors: 1 s doubling up to 5 min, until give_up_after


class TokenBucket:
    """Paces sends: at most ``burst`` at once, then ``rate`` per second."""

    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.clock = clock
        self.updated = clock.timestamp()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        async with self._lock:
            while True:
                now = self.clock.timestamp()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await self.clock.sleep((1 - self.tokens) / self.rate)


class _StopEvent(asyncio.Event):
    """The sender's stop: setting it also wakes the lanes, so an idle lane waits on its own
    wake event alone (see ``OutboxSender._sleep_until_next``)."""

    def __init__(self, wake_all: Callable[[], None]) -> None:
        super().__init__()
        self._wake_all = wake_all

    def set(self) -> None:
        super().set()
        self._wake_all()


class OutboxSender:
    def __init__(
        self,
        client: MatrixClient,
        outbox: OutboxRepository,
        direct_rooms: DirectRoomRepository,
        clock: Clock,
        config: OutboxConfig,
        *,
        reachability: Reachability | None = None,
        poster: Poster | None = None,
        coordination_room: str = "",
        lang: str = "de",
    ) -> None:
        self.client = client
        self.outbox = outbox
        self.direct_rooms = direct_rooms
        self.rooms = DirectRoomInfo(direct_rooms, client)
        self.clock = clock
        self.config = config
        self.reachability = reachability or Reachability(client.probe, clock)
        self.poster = poster or Poster(outbox.db, clock)
        self.coordination_room = coordination_room
        self.lang = lang
        self.bucket = TokenBucket(config.messages_per_second, config.burst, clock)
        self._wakes = {lane: asyncio.Event() for lane in LANES}
        self._rooms_idle = asyncio.Event()  # set while the room lane has nothing to send
        self._rooms_idle.set()
        self._idle_since = 0.0  # loop time when the room lane last became idle after sending
        self._rooms_were_busy = False
        self._dm_turn = asyncio.Lock()  # one DM at a time while replies are waiting
        self._waiting_for_sync = False  # a row waits for a room the next sync may show
        self._paused_until = 0.0
        self._dm_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        # user -> client.syncs when a DM creation had an unknown outcome (e.g. a timeout):
        # no new room until a sync that started after it could show the room.
        self._uncertain_dm: dict[str, int] = {}
        self.stopping: asyncio.Event = _StopEvent(self._set_wakes)
        self.progressed = False  # a row was sent since the supervisor last looked

    def wake(self) -> None:
        # Something may be queued for a room: DMs wait until the room lane has looked.
        self._rooms_idle.clear()
        self._set_wakes()

    def _set_wakes(self) -> None:
        for event in self._wakes.values():
            event.set()

    def after_sync(self) -> None:
        """After each sync batch: wake only if a row waits for a room to be known (an idle
        wake costs both lanes a read, and holds the next sync, see ``rooms_sent``)."""
        if self._waiting_for_sync:
            self._waiting_for_sync = False
            self.wake()

    async def rooms_sent(self, seconds: float) -> None:
        """Until the room lane has nothing left to send, at most ``seconds``. The sync loop
        waits for this before its next long-poll: a /sync open while the bot sends its replies
        is woken by each of them, and that work of the homeserver competes with the replies."""
        if not self._rooms_idle.is_set():
            await self._first(self._rooms_idle, self.stopping, seconds=seconds)

    async def run(self) -> None:
        lanes = [asyncio.create_task(self._run_lane(lane), name=f"outbox {lane}") for lane in LANES]
        try:
            done, _ = await asyncio.wait(lanes, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            for task in lanes:
                task.cancel()
            await asyncio.gather(*lanes, return_exceptions=True)

    async def _run_lane(self, lane: str) -> None:
        wake = self._wakes[lane]
        while not self.stopping.is_set():
            if not self.reachability.is_up:
                # While the homeserver is away, wait for its probe instead of retrying rows.
                await first_of(self.reachability.wait_up(), self.stopping.wait())
                if self.stopping.is_set():
                    return
            wake.clear()
            if lane == DIRECT:
                # Replies first: while members wait for replies in rooms, DMs wait (a while).
                await self._first(self._rooms_idle, self.stopping, seconds=ROOMS_FIRST_SECONDS)
            sent_any = await self.send_due(lane)
            if lane == ROOMS:
                self._room_lane_checked(sent_any)
            if sent_any:
                continue
            await self._sleep_until_next(wake)

    def _room_lane_checked(self, sent_any: bool) -> None:
        if sent_any:
            self._rooms_were_busy = True
        elif not self._rooms_idle.is_set():
            if self._rooms_were_busy:  # quiet from now on (a wake for nothing changes nothing)
                self._idle_since = asyncio.get_running_loop().time()
                self._rooms_were_busy = False
            self._rooms_idle.set()

    async def _sleep_until_next(self, wake: asyncio.Event) -> None:
        next_at = await self.outbox.next_due_at()
        timeout = IDLE_POLL_SECONDS
        if next_at is not None:
            # Due already: a row of the other lane, which that lane is sending (a new row of
            # this lane wakes it).
            wait = next_at - self.clock.timestamp()
            timeout = min(timeout, wait if wait > 0 else OTHER_LANE_POLL_SECONDS)
        # On the wake event alone (a stop sets it too), not through ``_first``: its helper
        # tasks cost the reply just committed three more turns of the event loop, each one
        # behind whatever else is ready then (the rest of the sync batch).
        try:
            async with asyncio.timeout(timeout):
                await wake.wait()
        except TimeoutError:
            pass

    @staticmethod
    async def _first(*events: asyncio.Event, seconds: float) -> None:
        """Until one of ``events`` is set, or ``seconds`` have passed."""
        waiters = [asyncio.ensure_future(event.wait()) for event in events]
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def send_due(self, lane: str | None = None) -> bool:
        """Send every row that is due now, of one lane or of both; True if any was attempted."""
        rooms = None if lane is None else lane == ROOMS
        rows = await self.outbox.due(self.clock.timestamp(), rooms=rooms)
        if rows and lane == ROOMS:
            self._rooms_idle.clear()  # the DM lane waits until this lane has sent them
        if not rows:
            return False
        by_target: dict[str, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_target[row.room_id or f"dm:{row.user_id}"].append(row)
        limit = asyncio.Semaphore(TARGET_CONCURRENCY)
        turn = asyncio.Semaphore(1)

        async def send_target(target_rows: list[OutboxRow]) -> None:
            async with limit:
                for row in target_rows:
                    if lane == DIRECT:
                        await self._replies_first()
                    if not await self._send_row(row, turn):
                        break  # keep the room's order: the rest waits for this one

        if len(by_target) == 1:  # the usual case: no task to start, no turn of the loop lost
            await send_target(next(iter(by_target.values())))
            return True
        results = await asyncio.gather(
            *(send_target(r) for r in by_target.values()), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return True

    async def _replies_first(self) -> None:
        """Before a direct message: wait while the room lane has replies to send (and until
        it has been quiet for ROOMS_QUIET_SECONDS); after ROOMS_FIRST_SECONDS go ahead, but
        only one DM at a time while the rooms stay busy."""
        loop = asyncio.get_running_loop()
        if self._rooms_idle.is_set() and loop.time() - self._idle_since >= ROOMS_QUIET_SECONDS:
            return
        deadline = loop.time() + ROOMS_FIRST_SECONDS
        async with self._dm_turn:
            while not self.stopping.is_set():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                if not self._rooms_idle.is_set():
                    await self._first(self._rooms_idle, self.stopping, seconds=remaining)
                    continue
                quiet = loop.time() - self._idle_since
                if quiet >= ROOMS_QUIET_SECONDS:
                    return
                await self._first(
                    self.stopping, seconds=min(ROOMS_QUIET_SECONDS - quiet, remaining)
                )

    async def flush(self, seconds: float) -> bool:
        """On shutdown: try to send everything due; True if nothing is left pending now."""
        try:
            async with asyncio.timeout(seconds):
                while self.reachability.is_up and await self.outbox.due(self.clock.timestamp()):
                    if not await self.send_due():
                        break
        except TimeoutError:
            pass
        return not await self.outbox.due(self.clock.timestamp())

    @staticmethod
    @asynccontextmanager
    async def _turn(turn: asyncio.Semaphore | None) -> AsyncIterator[None]:
        """Hold ``turn`` while talking to the homeserver, but give it up after
        SLOW_SEND_SECONDS if the request is still open (the next room goes ahead)."""
        if turn is None:
            yield
            return
        await turn.acquire()
        released = False

        def release_early() -> None:
            nonlocal released
            released = True
            turn.release()

        early = asyncio.get_running_loop().call_later(SLOW_SEND_SECONDS, release_early)
        try:
            yield
        finally:
            early.cancel()
            if not released:
                turn.release()

    async def _send_row(self, row: OutboxRow, turn: asyncio.Semaphore | None = None) -> bool:
        """True if the row is done (sent or failed); False if it waits (and holds back the
        later rows of its room)."""
        if not self.reachability.is_up:
            return False
        posted = self.client.posted_event(row.txn_id)
        if posted is not None:
            # On the server already: sent before a restore from a backup (or a crash), and
            # seen again in the timeline. Not sent again, however old the first one is.
            log.info(
                "outbox row %d (%s) is already in the timeline as %s", row.id, row.txn_id, posted
            )
            await self.outbox.mark_sent(row.id, posted, self.clock.timestamp())
            self.progressed = True
            return True
        age = self.clock.timestamp() - row.created_at
        if age >= self.config.give_up_after:
            hours = self.config.give_up_after / 3600
            await self._fail(
                row, f"not delivered within {hours:g} h (last error: {row.last_error})"
            )
            return True
        wait = self._paused_until - self.clock.timestamp()
        if wait > 0:
            await self.clock.sleep(wait)
        await self.bucket.take()
        try:
            async with self._turn(turn):
                if row.private_to is not None and await self._moved_to_direct(row, row.private_to):
                    return True
                if row.room_id is None and await self._in_former_direct_room(row):
                    return True
                room_id = row.room_id or await self._direct_room(row.user_id or "")
                if row.room_id is None and row.sent_to != room_id:
                    await self.outbox.note_sending_to(row.id, room_id)
                self.client.ensure_sendable(room_id)
                content = await self._with_attachment(room_id, row)
                event_id = await self.client.send(room_id, row.event_type, content, row.txn_id)
        except MatrixError as exc:
            if exc.is_rate_limit:
                delay = (exc.retry_after_ms or 5000) / 1000
                self._paused_until = self.clock.timestamp() + delay
                log.info("rate limited by the homeserver; pausing sends for %.1f s", delay)
                await self.outbox.mark_retry(row.id, self._paused_until, str(exc), counts=False)
                return False
            if exc.is_permanent:
                await self._fail(row, str(exc))
                return True
            return await self._retry_later(row, exc, ERROR_RETRY_CAP)
        except RoomNotSynced as exc:
            self._waiting_for_sync = True
            return await self._retry_later(row, exc, ROOM_WAIT_CAP, first=ROOM_WAIT_FIRST)
        except HistoryUnknown as exc:
            # Whether it reached its room is unknown: neither sent again nor moved, yet.
            return await self._retry_later(row, exc, ERROR_RETRY_CAP)
        except (MatrixUnavailable, TimeoutError) as exc:
            # Not the message's fault: no delay of its own, the sender waits for the probe.
            self.reachability.report_down(exc)
            await self.outbox.mark_retry(row.id, 0, str(exc) or type(exc).__name__, counts=False)
            return False
        await self.outbox.mark_sent(row.id, event_id, self.clock.timestamp())
        self.progressed = True
        return True

    async def _moved_to_direct(self, row: OutboxRow, user_id: str) -> bool:
        """A private reply whose room is no longer the DM with ``user_id``: queue it for their
        DM instead (and a note without its content for the room), mark the row done; True.
        False while it may go to its room (still their DM, or not known yet: the send waits).
        RoomNotSynced (wait) after a request found no homeserver, until a sync shows the room
        as it is now: during an outage the member may have invited someone."""
        room_id = row.room_id or ""
        status = self.client.room_status(room_id)
        if status is RoomStatus.NOT_YET:
            return False
        if not self.client.membership_current():
            raise RoomNotSynced(f"{room_id}: who is in it is known after the next sync")
        if status is RoomStatus.JOINED and await self.rooms.partner(room_id) == user_id:
            return False
        if await self._found_in(room_id, row, status):
            return True
        log.info(
            "outbox row %d (%s): %s is no longer the DM with its member; sent to their DM",
            row.id,
            row.txn_id,
            room_id,
        )
        content = {k: v for k, v in row.content.items() if k != "m.relates_to"}
        content["m.mentions"] = {}  # no reply to a command in another room, nobody pinged
        if content.get("msgtype") == "m.notice":
            # A reply the member waits for, arriving somewhere they did not ask: it must
            # notify them, as every direct message of the bot does (Synapse's default push
            # rules suppress notices, and the note in the room is one).
            content["msgtype"] = "m.text"
        members = self.client.joined_members(room_id) if status is RoomStatus.JOINED else None
        async with self.outbox.db.transaction():
            await self.outbox.mark_moved(row.id, self.clock.timestamp())
            await self.poster.post_content(
                Target.direct(user_id),
                content,
                f"{row.txn_id}:private",
                event_type=row.event_type,
                copy_of=row.txn_id,  # a 👍/👎 on the copy counts for the reply's answer
            )
            if members is not None and user_id in members:
                note = message_content(
                    Message.text(tr(self.lang, "private_reply_moved")), "m.notice", (user_id,)
                )
                if "m.relates_to" in row.content:
                    note["m.relates_to"] = row.content["m.relates_to"]
                await self.poster.post_content(Target.room(room_id), note, f"{row.txn_id}:moved")
        self.progressed = True
        return True

    async def _in_former_direct_room(self, row: OutboxRow) -> bool:
        """A direct message that may have reached another room than the one it goes to now:
        the room of its last send attempt (``sent_to``) when the member's recorded DM is
        another one now (they opened a new DM meanwhile, REVIEW-12 F4) or no longer usable
        (someone else is in it); for a row never tried (or tried before ``sent_to`` existed),
        the recorded DM while it is not usable. True (marked sent) if it is there already."""
        user_id = row.user_id or ""
        if self.client.syncs == 0 or not self.client.membership_current():
            return False  # _direct_room waits for the sync
        known = await self.direct_rooms.room_for(user_id)
        earlier = row.sent_to or known
        if earlier is None:
            return False
        if earlier == known and self.client.is_direct_with(known, user_id):
            return False  # it goes to that room again (the homeserver de-duplicates)
        return await self._found_in(earlier, row, self.client.room_status(earlier))

    async def _found_in(self, room_id: str, row: OutboxRow, status: RoomStatus) -> bool:
        """Before ``row`` goes elsewhere than ``room_id``: True if it reached ``room_id``
        before (then it is marked sent with that event), False if it did not. Raises
        HistoryUnknown while that cannot be told (the row waits)."""
        try:
            event_id = await self.client.find_posted(room_id, row.txn_id, row.created_at)
        except MatrixError as exc:
            if exc.is_rate_limit:
                raise
            if exc.is_permanent and status is RoomStatus.GONE:
                # Banned: its history stays closed to the bot for good, waiting cannot help.
                log.warning(
                    "outbox row %d (%s): cannot read %s (%s); whether it reached that room "
                    "before the bot was removed is unknown",
                    row.id,
                    row.txn_id,
                    room_id,
                    exc,
                )
                return False
            raise HistoryUnknown(f"cannot read the history of {room_id}: {exc}") from exc
        except (MatrixUnavailable, TimeoutError) as exc:
            # A history read that fails or times out is no proof the homeserver is away (a
            # long /messages can be slow while sends work): the row waits with a counted
            # attempt and backs off, failing (reported) after give_up_after, instead of
            # pausing the whole sender and being read again at once (REVIEW-12 F3). A real
            # outage shows in the next send or sync anyway.
            raise HistoryUnknown(f"cannot read the history of {room_id}: {exc}") from exc
        if event_id is None:
            return False
        log.info(
            "outbox row %d (%s) reached %s before (%s): marked sent, not sent elsewhere",
            row.id,
            row.txn_id,
            room_id,
            event_id,
        )
        await self.outbox.mark_sent(row.id, event_id, self.clock.timestamp())
        self.progressed = True
        return True

    async def _with_attachment(self, room_id: str, row: OutboxRow) -> dict[str, Any]:
        """Upload the row's file now, so it is encrypted exactly when the room is."""
        attachment = await self.outbox.attachment(row.id) if row.has_file else None
        if attachment is None:
            return row.content
        media = await self.client.upload(
            room_id, attachment.filename, attachment.mimetype, attachment.data
        )
        return {**row.content, **media}

    async def _retry_later(
        self, row: OutboxRow, exc: BaseException, cap: float, first: float = 1.0
    ) -> bool:
        delay = min(cap, first * 2.0 ** min(row.attempts, 12))
        log.warning("outbox row %d not sent (%s); retry in %.1f s", row.id, exc, delay)
        await self.outbox.mark_retry(row.id, self.clock.timestamp() + delay, str(exc))
        return False

    async def _fail(self, row: OutboxRow, reason: str) -> None:
        """Give the row up, and report it once in the coordination room (same transaction)."""
        log.error(
            "outbox row %d (%s) to %s failed for good: %s", row.id, row.txn_id, row.target, reason
        )
        async with self.outbox.db.transaction():
            await self.outbox.mark_failed(row.id, reason, self.clock.timestamp())
            room = self.coordination_room
            if not room or row.room_id == room:
                return  # nowhere else to say it: the log and !status show it
            text = pick(
                self.lang,
                f"Eine Nachricht des Bots an {row.target} konnte nicht zugestellt werden "
                f"(Ref: outbox-{row.id}). Grund: {reason}",
                f"A message of the bot to {row.target} could not be delivered "
                f"(ref: outbox-{row.id}). Reason: {reason}",
            )
            await self.poster.post(
                Target.room(room),
                Message.text(text),
                key=f"outbox-failed:{row.id}",
                msgtype="m.notice",
            )

    async def _direct_room(self, user_id: str) -> str:
        """The DM room with ``user_id``: the recorded one while usable, else one the bot opened
        before (found in the synced rooms), else a new one, recorded at once."""
        if self.client.syncs == 0:
            raise RoomNotSynced(f"the DM with {user_id}: no sync yet shows the bot's rooms")
        if not self.client.membership_current():
            # After an outage: the member may have invited someone into it meanwhile.
            raise RoomNotSynced(f"the DM with {user_id}: who is in it is known after the next sync")
        async with self._dm_locks[user_id]:
            known = await self.direct_rooms.room_for(user_id)
            if known and self.client.is_direct_with(known, user_id):
                return known
            found = self.client.find_direct_room(user_id)
            if found is not None:
                await self.rooms.record(user_id, found)
                return found
            uncertain = self._uncertain_dm.get(user_id)
            if uncertain is not None and self.client.syncs < uncertain + 2:
                raise RoomNotSynced(f"the DM with {user_id} may exist already; next sync tells")
            self._uncertain_dm[user_id] = self.client.syncs
            room_id = await self.client.create_direct_room(user_id)
            await self.rooms.record(user_id, room_id)
            del self._uncertain_dm[user_id]
            try:
                await self.client.record_direct(user_id, room_id)
            except (MatrixError, MatrixUnavailable) as exc:
                # The database knows the room; m.direct is only the copy for a lost database.
                log.warning("could not record the DM with %s in m.direct: %s", user_id, exc)
            return room_id
