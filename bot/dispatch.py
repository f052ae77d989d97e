"""From a sync batch to router calls: invites, join times, back-fill, ordering per room.

Rooms are handled concurrently, the events of one room strictly in timeline order. Nothing older
than the bot's own join of a room is ever treated as a command.
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any

from nio import (
    Event,
    InviteMemberEvent,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomMemberEvent,
    RoomMessageEmote,
    RoomMessageNotice,
    RoomMessageText,
    SyncResponse,
    UnknownEvent,
)

from bot.clock import Clock
from bot.decryption import KeyWaiter
from bot.direct_rooms import DirectRoomInfo
from bot.events import (
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
)
from bot.formatting import Message
from bot.i18n import pick, tr
from bot.matrix import MatrixClient, MatrixError, MatrixUnavailable
from bot.posting import Poster, Target
from bot.router import Router
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.failed_events import FailedEventRepository
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

MAX_BACKFILL_PAGES = 20
ROOM_CONCURRENCY = 8
SEEN_CAPACITY = 5000
POISON_ATTEMPTS = 3
# ... spread over at least this long: a database locked for a few seconds or a short hiccup
# fails every event alike and must not set anything aside.
POISON_MIN_SECONDS = 30.0


class PoisonEvents:
    """Counts failed attempts per event; sets an event aside after POISON_ATTEMPTS failures
    spread over at least POISON_MIN_SECONDS."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        poster: Poster,
        coordination_room: str,
        lang: str,
        attempts: int = POISON_ATTEMPTS,
        min_seconds: float = POISON_MIN_SECONDS,
    ) -> None:
        self.min_seconds = min_seconds
        self.db = db
        self.repo = FailedEventRepository(db)
        self.state = SyncStateRepository(db)
        self.clock = clock
        self.poster = poster
        self.coordination_room = coordination_room
        self.lang = lang
        self.attempts = attempts

    async def failed(
        self,
        room_id: str,
        event_id: str,
        exc: BaseException,
        ref: str,
        tell: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Record a failed attempt; True if the event is set aside now (do not retry it).
        ``tell`` queues the sender's notice in the same transaction."""
        now = self.clock.timestamp()
        error = f"{type(exc).__name__}: {exc}"[:500]
        record = await self.repo.record_failure(event_id, room_id, error, ref, now)
        if record.attempts < self.attempts or now - record.first_failed < self.min_seconds:
            return False
        async with self.db.transaction():
            await self.repo.set_aside(event_id, now)
            await self.state.mark_handled(event_id, room_id, now)
            if tell is not None:
                await tell()
            if self.coordination_room:
                text = pick(
                    self.lang,
                    f"Ein Ereignis in {room_id} ließ sich {record.attempts}-mal nicht "
                    f"verarbeiten und wurde beiseitegelegt (Ref: {ref}, Ereignis {event_id}). "
                    "Details stehen im Log des Bots.",
                    f"An event in {room_id} failed {record.attempts} times and was set aside "
                    f"(ref: {ref}, event {event_id}). Details are in the bot's log.",
                )
                await self.poster.post(
                    Target.room(self.coordination_room),
                    Message.text(text),
                    key=f"poison:{event_id}",
                    msgtype="m.notice",
                )
        log.error(
            "set aside %s in %s after %d failed attempts (ref=%s): %s",
            event_id,
            room_id,
            record.attempts,
            ref,
            error,
        )
        return True


def to_reaction(room_id: str, event: Event) -> IncomingReaction | None:
    if not isinstance(event, ReactionEvent):
        return None
    return IncomingReaction(
        room_id=room_id,
        event_id=event.event_id,
        sender=event.sender,
        reacts_to=event.reacts_to,
        key=event.key,
        server_ts=int(event.server_timestamp),
    )


def to_redaction(room_id: str, event: Event) -> IncomingRedaction | None:
    if not isinstance(event, RedactionEvent):
        return None
    return IncomingRedaction(room_id, event.event_id, event.sender, event.redacts)


POLL_RESPONSE_TYPES = ("org.matrix.msc3381.poll.response", "m.poll.response")


def to_poll_response(room_id: str, event: Event) -> IncomingPollResponse | None:
    """A poll vote; Element sends the unstable MSC3381 names, the stable ones are read too."""
    if not isinstance(event, UnknownEvent) or event.type not in POLL_RESPONSE_TYPES:
        return None
    content: dict[str, Any] = event.source.get("content") or {}
    relates = content.get("m.relates_to") or {}
    if relates.get("rel_type") != "m.reference" or not isinstance(relates.get("event_id"), str):
        return None
    unstable = content.get("org.matrix.msc3381.poll.response")
    answers = (unstable or {}).get("answers") if isinstance(unstable, dict) else None
    if answers is None:
        answers = content.get("m.selections")
    if not isinstance(answers, list):
        answers = []  # a spoiled vote: it still replaces the member's earlier one
    return IncomingPollResponse(
        room_id=room_id,
        event_id=event.event_id,
        sender=event.sender,
        poll_event_id=relates["event_id"],
        answers=tuple(a for a in answers if isinstance(a, str)),
        server_ts=int(event.server_timestamp),
    )


def to_incoming(room_id: str, event: Event) -> IncomingMessage | None:
    if not isinstance(event, RoomMessageText | RoomMessageNotice | RoomMessageEmote):
        return None
    content: dict[str, Any] = event.source.get("content") or {}
    relates = content.get("m.relates_to") or {}
    mentions = content.get("m.mentions") or {}
    return IncomingMessage(
        room_id=room_id,
        event_id=event.event_id,
        sender=event.sender,
        body=str(content.get("body", "")),
        msgtype=str(content.get("msgtype", "")),
        server_ts=int(event.server_timestamp),
        thread_root=relates.get("event_id") if relates.get("rel_type") == "m.thread" else None,
        is_edit=relates.get("rel_type") == "m.replace",
        mentioned_user_ids=tuple(u for u in mentions.get("user_ids") or [] if isinstance(u, str)),
        encrypted=bool(getattr(event, "decrypted", False)),
    )


def invite_allowed(inviter: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(inviter, glob) for glob in globs)


class Dispatcher:
    def __init__(
        self,
        client: MatrixClient,
        router: Router,
        state: SyncStateRepository,
        direct_rooms: DirectRoomRepository,
        invite_from: tuple[str, ...],
        key_waiter: KeyWaiter,
        poison: PoisonEvents | None = None,
        poster: Poster | None = None,
        lang: str = "de",
    ) -> None:
        self.poison = poison
        self.poster = poster  # tells a member why their DM is not used for personal data
        self.lang = lang
        self.client = client
        self.router = router
        self.state = state
        self.direct_rooms = direct_rooms
        self.invite_from = invite_from
        self.key_waiter = key_waiter
        self._seen: OrderedDict[str, None] = OrderedDict()
        # room -> the bot's latest join time, read once per room (this process writes it)
        self._joined: dict[str, int | None] = {}
        self._dm_setups_checked = False  # member-opened DMs left half set up (dm_setup table)

    async def handle_batch(
        self, resp: SyncResponse, previous_token: str | None, run_commands: bool
    ) -> None:
        """Handle one sync response completely (raises only if it must be retried)."""
        for room_id, info in resp.rooms.invite.items():
            await self._handle_invite(room_id, info.invite_state)
        await self._finish_dm_setups()
        rooms = resp.rooms.join
        for room_id, info in rooms.items():
            await self._record_own_join(room_id, [*info.state, *info.timeline.events])
        if not run_commands:
            for info in rooms.values():
                self._mark_seen(e.event_id for e in info.timeline.events)
            return
        limit = asyncio.Semaphore(ROOM_CONCURRENCY)

        async def one_room(room_id: str) -> None:
            async with limit:
                timeline = rooms[room_id].timeline
                events = list(timeline.events)
                if (
                    timeline.limited
                    and timeline.prev_batch
                    and previous_token
                    and not self._joined_in(events)
                ):
                    events = (
                        await self._backfill(room_id, timeline.prev_batch, previous_token) + events
                    )
                await self._handle_room(room_id, events)

        # Every room task ends before the batch counts as failed (and is retried): a retry
        # never runs next to a task of the failed attempt, so no event is handled twice at once.
        results = await asyncio.gather(
            *(one_room(room_id) for room_id in rooms), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        # Room keys arrive as to-device messages: held events may decrypt now.
        await self.key_waiter.retry(self._guarded)

    def _joined_in(self, events: list[Event]) -> bool:
        """The bot joined in this very batch (e.g. a DM it just opened): nothing from before
        its join is ever handled, so the ``limited`` timeline Synapse sends for a new room
        needs no back-fill (it cost one /messages per new room, inside a room slot)."""
        return any(
            isinstance(e, RoomMemberEvent)
            and e.state_key == self.client.user_id
            and e.membership == "join"
            and e.prev_membership != "join"
            for e in events
        )

    async def seconds_until_wakeup(self) -> float | None:
        """When the sync loop must come back even if nothing happens (a key wait ends)."""
        return await self.key_waiter.seconds_until_next_deadline()

    async def _handle_room(self, room_id: str, events: list[Event]) -> None:
        if room_id not in self._joined:
            self._joined[room_id] = await self.state.joined_ts(room_id)
        joined_ts = self._joined[room_id]
        for event in events:
            event_id = getattr(event, "event_id", None)
            if not event_id or event_id in self._seen:
                continue
            if joined_ts is None or event.server_timestamp >= joined_ts:
                if isinstance(event, MegolmEvent):
                    # The bot's own messages never need handling: after a restore they may
                    # use keys only the lost store had, and asking or telling itself is noise
                    # (it once told itself in a member's DM to share its keys).
                    if event.sender != self.client.user_id:
                        await self.key_waiter.hold(room_id, event)
                else:
                    await self._guarded(room_id, event)
            # Only once handled: if handling raised, the batch is retried with this event.
            self._mark_seen([event_id])

    async def _guarded(self, room_id: str, event: Event) -> None:
        """Handle one event; if it keeps raising (outside the router's error boundary, e.g. a
        database or network error), set it aside after POISON_ATTEMPTS: recorded, reported to
        the coordination room with a reference, and marked handled, so it stalls nothing."""
        try:
            await self._handle_one(room_id, event)
        except (MatrixUnavailable, TimeoutError):
            raise  # the homeserver is away: not the event's fault, retried when it is back
        except Exception as exc:
            ref = secrets.token_hex(3)
            log.exception("handling %s in %s failed (ref=%s)", event.event_id, room_id, ref)
            if self.poison is None:
                raise
            tell = partial(self._tell_set_aside, room_id, event, ref)
            if not await self.poison.failed(room_id, event.event_id, exc, ref, tell):
                raise

    async def _tell_set_aside(self, room_id: str, event: Event, ref: str) -> None:
        """The member whose command (or reaction …) is set aside is told, not left waiting."""
        incoming = (
            to_incoming(room_id, event)
            or to_reaction(room_id, event)
            or to_redaction(room_id, event)
            or to_poll_response(room_id, event)
        )
        if incoming is not None:
            await self.router.tell_set_aside(incoming, ref)

    async def _handle_one(self, room_id: str, event: Event) -> None:
        message = to_incoming(room_id, event)
        if message is not None:
            name = self._sender_name(room_id, message.sender)
            await self.router.handle(replace(message, sender_name=name))
            return
        reaction = to_reaction(room_id, event)
        if reaction is not None:
            name = self._sender_name(room_id, reaction.sender)
            await self.router.handle_reaction(replace(reaction, sender_name=name))
            return
        redaction = to_redaction(room_id, event)
        if redaction is not None:
            await self.router.handle_redaction(redaction)
            return
        vote = to_poll_response(room_id, event)
        if vote is not None:
            await self.router.handle_poll_response(vote)

    def _sender_name(self, room_id: str, user_id: str) -> str | None:
        """A display name is a claim: it only labels lists (e.g. the attendee export)."""
        lookup = getattr(self.client, "display_name", None)  # absent in small test doubles
        return lookup(room_id, user_id) if lookup is not None else None

    async def _backfill(self, room_id: str, start: str, stop_token: str) -> list[Event]:
        """Fetch the gap of a ``limited`` timeline with /messages, oldest first."""
        collected: list[Event] = []
        token = start
        for _ in range(MAX_BACKFILL_PAGES):
            resp = await self.client.messages_before(room_id, token, stop_token)
            collected.extend(resp.chunk)
            # An empty page with a new end token is not the end of the gap (Synapse's
            # visibility filter can empty a whole page, REVIEW-12 F2).
            if not resp.end or resp.end == token:
                break
            token = resp.end
        else:
            log.warning("back-fill of %s stopped after %d pages", room_id, MAX_BACKFILL_PAGES)
        log.info("back-filled %d events in %s", len(collected), room_id)
        return list(reversed(collected))

    async def _record_own_join(self, room_id: str, events: list[Event]) -> None:
        for event in events:
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.client.user_id
                and event.membership == "join"
                and event.prev_membership != "join"
            ):
                await self.state.record_join(room_id, int(event.server_timestamp))
                self._joined.pop(room_id, None)  # read again: the stored one is the latest

    async def _handle_invite(self, room_id: str, invite_state: list[Event]) -> None:
        invite = next(
            (
                e
                for e in invite_state
                if isinstance(e, InviteMemberEvent)
                and e.state_key == self.client.user_id
                and e.membership == "invite"
            ),
            None,
        )
        if invite is None:
            return
        inviter = invite.sender
        direct = bool((invite.content or {}).get("is_direct"))
        try:
            if not invite_allowed(inviter, self.invite_from):
                log.info("refusing invite to %s from %s (not in invite_from)", room_id, inviter)
                await self.client.leave(room_id)
                return
            if direct:  # before joining: a crash from here on is finished at the next start
                await self.direct_rooms.setup_pending(room_id, inviter)
                self._dm_setups_checked = False
            await self.client.join(room_id)
        except MatrixError as exc:
            log.warning("could not answer invite to %s: %s", room_id, exc)
            return
        log.info("joined %s on invite from %s", room_id, inviter)
        if direct:
            await self._finish_dm_setup(room_id, inviter)

    async def _finish_dm_setups(self) -> None:
        """Member-opened DMs whose setup a crash or a homeserver error interrupted: once per
        start, and after a batch that left one pending."""
        if self._dm_setups_checked:
            return
        self._dm_setups_checked = True
        for room_id, inviter in await self.direct_rooms.pending_setups():
            await self._finish_dm_setup(room_id, inviter)

    async def _finish_dm_setup(self, room_id: str, inviter: str) -> None:
        """The member opened the DM with whatever history visibility their client chose
        (Element: "shared"). Personal data goes only to a DM whose history a later invitee
        cannot read; without the power to change it (403), the room stays a group room for the
        bot and DM messages go to a room the bot opens itself. A transient error is retried."""
        try:
            await self.client.hide_history_before_invite(room_id)
        except (MatrixError, MatrixUnavailable) as exc:
            transient = isinstance(exc, MatrixUnavailable) or (
                exc.is_rate_limit or (exc.status or 0) >= 500
            )
            if transient:
                self._dm_setups_checked = False  # retried with the next batch
                log.warning("DM %s with %s: history not restricted yet (%s)", room_id, inviter, exc)
                return
            log.warning(
                "not using %s as the DM with %s: history stays open (%s)", room_id, inviter, exc
            )
            await self._give_up_dm_setup(room_id, inviter)
            return
        await DirectRoomInfo(self.direct_rooms, self.client).record(inviter, room_id)
        await self.direct_rooms.setup_done(room_id)
        try:
            await self.client.record_direct(inviter, room_id)
        except (MatrixError, MatrixUnavailable) as exc:
            # The database knows the room; m.direct is only the copy for a lost database.
            log.warning("could not record the DM with %s in m.direct: %s", inviter, exc)

    async def _give_up_dm_setup(self, room_id: str, inviter: str) -> None:
        """The member is told once, in that room, where personal messages go instead, and
        that DM is opened at once (by its first message), so that it exists when they look."""
        if self.poster is None:
            await self.direct_rooms.setup_done(room_id)
            return
        async with self.poster.db.transaction():
            await self.direct_rooms.setup_done(room_id)
            await self.poster.post(
                Target.room(room_id),
                Message.text(tr(self.lang, "dm_history_open")),
                key=f"dm-history-open:{room_id}",
            )
            await self.poster.post(
                Target.direct(inviter),
                Message.text(tr(self.lang, "dm_opened")),
                key=f"dm-opened:{room_id}",
            )

    def _mark_seen(self, event_ids: Any) -> None:
        for event_id in event_ids:
            self._seen[event_id] = None
        while len(self._seen) > SEEN_CAPACITY:
            self._seen.popitem(last=False)
