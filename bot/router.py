"""The router: turns one incoming message into at most one reply, exactly once.

It is the single error boundary: user errors are shown as written (with the usage for bad
arguments), anything else is logged once with a short reference id and the member sees only
that id. The reply and the "handled" mark are committed in one transaction, so a crash either
leaves the event unhandled (it is handled after the restart) or handled with its reply queued.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from bot.context import CommandContext, DirectMessage
from bot.errors import PermissionDenied, UsageError, UserError, WrongPlace, is_transient
from bot.events import (
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    is_command_text,
    strip_reply_fallback,
)
from bot.formatting import Message
from bot.i18n import tr
from bot.lazy import outside_transactions
from bot.posting import Target
from bot.registry import CommandSpec, Permission, Where
from bot.replies import message_content, reply_content
from bot.throttle import Throttle, Verdict
from storage.sync_state import SyncStateRepository

if TYPE_CHECKING:
    from bot.feature import Capability
    from bot.services import Services

log = logging.getLogger(__name__)


class RoomInfo(Protocol):
    async def is_direct(self, room_id: str) -> bool: ...

    async def history_opened(self, room_id: str) -> str | None: ...


class CoordinatorCheck(Protocol):
    async def is_coordinator(self, user_id: str) -> bool: ...


# Events older than this (by their server time) are checked against the handled marks before
# anything else: see Router._may_be_replay.
REPLAY_AGE_MS = 60_000


class _Discard(Exception):
    """Roll the event's transaction back: nothing to store and nothing to say."""


class _UndoWrites(Exception):
    """Roll the event's transaction back, then mark the event handled with only the message
    its context holds now (an error, a throttle warning)."""


class Router:
    def __init__(
        self,
        services: Services,
        own_user_id: str,
        rooms: RoomInfo,
        permissions: CoordinatorCheck,
        capabilities: Sequence[Capability] = (),
    ) -> None:
        self.services = services
        self.own_user_id = own_user_id
        self.rooms = rooms
        self.permissions = permissions
        self.capabilities = list(capabilities)
        cfg = services.config.bot
        self.prefix = cfg.prefix
        self.lang = cfg.language
        self.throttle = Throttle(cfg.throttle_commands, cfg.throttle_window)
        self.sync_state = SyncStateRepository(services.db)

    def ignores(self, msg: IncomingMessage) -> bool:
        """Own events, notices (other bots) and edits never trigger anything."""
        return msg.sender == self.own_user_id or msg.msgtype == "m.notice" or msg.is_edit

    async def handle(self, msg: IncomingMessage) -> None:
        """Handle one message exactly once: the handler's writes, the "handled" mark and the
        queued replies commit in one transaction, or none of them does. A module the handler
        loads on first use is imported outside that transaction (bot/lazy.py)."""
        await outside_transactions(lambda: self._handle(msg))

    async def _handle(self, msg: IncomingMessage) -> None:
        if self.ignores(msg) or msg.msgtype not in ("m.text", "m.emote"):
            return
        body = strip_reply_fallback(msg.body).strip()
        is_command = is_command_text(body, self.prefix)
        if self._may_be_replay(msg) and await self.sync_state.is_handled(msg.event_id):
            return
        ctx = await self._context(msg)
        if is_command:
            # Resolved before the transaction: it may cost a request to the homeserver.
            ctx.is_coordinator = await self.permissions.is_coordinator(ctx.sender)
        durable = not is_command or self._durable(body)
        db = self.services.db
        try:
            try:
                async with db.transaction(durable=durable):
                    await self._claim(msg)
                    await self._note_open_history(ctx)
                    if is_command:
                        # Throttle before running: commands may have side effects.
                        # Coordinators are not held back (registering a group of people is
                        # many commands in a minute).
                        if not ctx.is_coordinator and not self._admit(ctx):
                            raise _Discard
                        if not ctx.warned:  # a throttle warning replaces the command
                            await self._run_guarded(ctx, lambda: self._run_command(ctx, body))
                    elif not await self._offer_within_limit(ctx):
                        raise _Discard  # not for the bot, or dropped by the throttle
                    await self._queue_output(ctx)
            except _UndoWrites:
                # The handler failed (or was throttled): its writes went with the rollback;
                # the event is marked handled with only the message ctx holds now.
                async with db.transaction(durable=durable):
                    await self._claim(msg)
                    await self._queue_output(ctx)
        except _Discard:
            return

    def _may_be_replay(self, msg: IncomingMessage) -> bool:
        """An event older than a minute may have been handled before (a restart, a back-fill):
        one read drops it before its context costs reads and requests to the homeserver. A
        live command skips that read; the claim in its transaction de-duplicates it."""
        return self.services.clock.timestamp() * 1000 - msg.server_ts > REPLAY_AGE_MS

    async def _claim(self, msg: IncomingMessage) -> None:
        """First in the event's transaction: mark it handled, or give up if it was (a replay
        after a restart, a concurrent retry). One statement instead of a check before the
        transaction and a mark at its end."""
        now = self.services.clock.timestamp()
        if not await self.sync_state.mark_handled(msg.event_id, msg.room_id, now):
            raise _Discard

    def _durable(self, body: str) -> bool:
        """Whether the command's commit must wait for the disk (CommandSpec.durable); an
        unknown command only gets a reply."""
        spec = self.services.registry.lookup(command_name(body, self.prefix))
        return spec is not None and spec.durable

    async def _note_open_history(self, ctx: CommandContext) -> None:
        """REVIEW-12 F5: the member's DM no longer counts as private (they opened its history
        to later members). Its questions are still answered there, but personal messages go
        to a direct chat of the bot's own: said once per room, with how to undo it."""
        if ctx.history_opened_by is None or ctx.sender != ctx.history_opened_by:
            return
        await self.services.poster.post(
            Target.room(ctx.room_id),
            Message.text(tr(self.lang, "dm_history_opened_by_member")),
            key=f"dm-history-opened:{ctx.room_id}",
        )

    async def _offer_within_limit(self, ctx: CommandContext) -> bool:
        """Offer the message; once taken it counts against the sender's limit, and a
        throttled message stores nothing (its writes are undone, only a warning may stay)."""
        try:
            taken = await self._offer(ctx)
        except _UndoWrites:
            # A failing handler took the message too: its error reply counts like any reply.
            if not self._admit(ctx):
                raise _Discard from None
            raise
        if not taken:
            return False
        if not self._admit(ctx):
            return False
        if ctx.warned:
            raise _UndoWrites  # keep only the warning
        return True

    async def _offer(self, ctx: CommandContext) -> bool:
        """A non-command message to each capability in turn, until one takes it."""
        for capability in self.capabilities:
            if await self._run_guarded(ctx, lambda c=capability: c.on_message(ctx)):  # type: ignore[misc]
                return True
        return False

    def _admit(self, ctx: CommandContext) -> bool:
        """Apply the per-member throttle: False drops the message, a warning replaces output."""
        msg = ctx.message
        verdict = self.throttle.check(ctx.sender, msg.server_ts / 1000, msg.event_id)
        if verdict is Verdict.DROP:
            log.info("throttled %s in %s", ctx.sender, ctx.room_id)
            return False
        if verdict is Verdict.WARN:
            clear_output(ctx)
            ctx.warned = True
            ctx.reply(tr(self.lang, "throttled", seconds=int(self.throttle.window)))
        return True

    async def handle_reaction(self, reaction: IncomingReaction) -> None:
        await self._record(reaction, lambda c: c.on_reaction(reaction))

    async def handle_redaction(self, redaction: IncomingRedaction) -> None:
        await self._record(redaction, lambda c: c.on_redaction(redaction))

    async def handle_poll_response(self, vote: IncomingPollResponse) -> None:
        await self._record(vote, lambda c: c.on_poll_response(vote))

    async def _record(
        self,
        event: IncomingReaction | IncomingRedaction | IncomingPollResponse,
        hook: Callable[[Capability], Awaitable[None]],
    ) -> None:
        await outside_transactions(lambda: self._record_once(event, hook))

    async def _record_once(
        self,
        event: IncomingReaction | IncomingRedaction | IncomingPollResponse,
        hook: Callable[[Capability], Awaitable[None]],
    ) -> None:
        """Events without a command: exactly once (marked handled with their writes). A failing
        capability is handled like a failing command: its writes are undone, the failure is
        logged with a reference and the member gets that reference by direct message."""
        if event.sender == self.own_user_id:
            return
        async with self.services.db.transaction():
            if not await self.sync_state.mark_handled(
                event.event_id, event.room_id, self.services.clock.timestamp()
            ):
                return
            for capability in self.capabilities:
                try:
                    async with self.services.db.transaction():
                        await hook(capability)
                except Exception as exc:
                    if is_transient(exc):
                        raise  # retried with the batch, see _run_guarded
                    ref = secrets.token_hex(3)
                    log.exception("%s failed for %s (ref=%s)", capability.name, event.event_id, ref)
                    await self.services.poster.post(
                        Target.direct(event.sender),
                        Message.text(tr(self.lang, "internal_error", ref=ref)),
                        key=f"{event.event_id}:error",  # one notice even if two hooks fail
                    )

    async def tell_set_aside(
        self,
        event: IncomingMessage | IncomingReaction | IncomingRedaction | IncomingPollResponse,
        ref: str,
    ) -> None:
        """Inside the transaction that sets a failing event aside (PoisonEvents): its sender
        learns it was not carried out, with the reference; a command or a DM in its room
        (the reply's key, so at most once), a reaction, redaction or vote by DM."""
        text = Message.text(tr(self.lang, "internal_error", ref=ref))
        if event.sender == self.own_user_id:
            return
        poster = self.services.poster
        if not isinstance(event, IncomingMessage):
            await poster.post(Target.direct(event.sender), text, key=f"{event.event_id}:error")
            return
        if self.ignores(event) or event.msgtype not in ("m.text", "m.emote"):
            return
        body = strip_reply_fallback(event.body).strip()
        if (
            is_command_text(body, self.prefix)
            or await self.rooms.is_direct(event.room_id)
            or await self.rooms.history_opened(event.room_id) == event.sender
        ):
            content = reply_content(text, event)
            await poster.post_content(Target.room(event.room_id), content, key=event.event_id)

    async def _context(self, msg: IncomingMessage) -> CommandContext:
        access = self.services.config.access
        is_dm = await self.rooms.is_direct(msg.room_id)
        return CommandContext(
            message=msg,
            services=self.services,
            is_dm=is_dm,
            history_opened_by=None if is_dm else await self.rooms.history_opened(msg.room_id),
            is_coordination_room=bool(access.coordination_room)
            and msg.room_id == access.coordination_room,
            is_coordinator=False,  # resolved on demand in _run_command (may cost a request)
            lang=self.lang,
            prefix=self.prefix,
        )

    async def _run_guarded(
        self, ctx: CommandContext, work: Callable[[], Awaitable[object]]
    ) -> bool:
        """The error boundary. If the work fails, the event's transaction is rolled back with
        all the work wrote (_UndoWrites), and only the error message remains. No savepoint:
        the rare failure pays for a second transaction instead of every command paying two
        more round trips to the database thread."""
        try:
            done = bool(await work())
            self.services.db.check_intact()  # a caught atomic() failure is still a failure
            return done
        except UserError as exc:
            clear_output(ctx)
            ctx.reply(str(exc))
            raise _UndoWrites from None
        except Exception as exc:
            if is_transient(exc):
                # The database stayed busy beyond busy_timeout: that passes by itself. Like a
                # job queue retrying a transient failure, undo the whole event (it stays
                # unhandled) and let the dispatcher retry it with its batch, instead of telling
                # the member to redo what works a moment later. PoisonEvents bounds the retries
                # and reports an event that keeps failing to the coordinators.
                raise
            ref = secrets.token_hex(3)
            log.exception(
                "internal error ref=%s room=%s event=%s", ref, ctx.room_id, ctx.message.event_id
            )
            clear_output(ctx)
            ctx.reply(tr(self.lang, "internal_error", ref=ref))
            raise _UndoWrites from None

    async def _run_command(self, ctx: CommandContext, body: str) -> bool:
        name = command_name(body, self.prefix)
        rest = body[len(self.prefix) + len(name) :]
        spec = self.services.registry.lookup(name)
        if spec is None or (spec.hidden and not ctx.is_coordinator):
            ctx.reply(self._unknown(ctx, name))
            return True
        self._check_allowed(ctx, spec)
        try:
            kwargs = spec.parse(rest, self.lang)
        except UsageError as exc:
            usage = tr(self.lang, "usage", usage=spec.usage(self.prefix, self.lang))
            raise UsageError(f"{exc}\n{usage}") from None
        await spec.handler(ctx, **kwargs)
        return True

    def _check_allowed(self, ctx: CommandContext, spec: CommandSpec) -> None:
        if spec.permission is Permission.COORDINATOR and not ctx.is_coordinator:
            raise PermissionDenied(tr(self.lang, "coordinators_only"))
        place = place_of(ctx)
        if place not in spec.where:
            if spec.where == Where.COORDINATION | Where.DM:
                raise WrongPlace(tr(self.lang, "where_coordination_or_dm"))
            if spec.where == Where.DM:
                raise WrongPlace(tr(self.lang, "where_dm"))
            if spec.where == Where.COORDINATION:
                raise WrongPlace(tr(self.lang, "where_coordination"))
            raise WrongPlace(tr(self.lang, "where_room"))

    def _unknown(self, ctx: CommandContext, name: str) -> Message:
        text = tr(self.lang, "unknown_command", name=name)
        allowed = {s.name for s in self.services.registry if may_run(ctx, s) and not s.hidden}
        close = [n for n in self.services.registry.closest(name) if n in allowed]
        if close:
            names = ", ".join(f"{self.prefix}{n}" for n in close)
            text += " " + tr(self.lang, "did_you_mean", names=names)
        help_name = "help" if self.lang == "en" else "hilfe"
        text += " " + tr(self.lang, "see_help", help=f"{self.prefix}{help_name}")
        return Message.text(text)

    async def _queue_output(self, ctx: CommandContext) -> None:
        """Inside the event's transaction: queue what it produced. A reply in a DM is private
        to the sender: what it shows was chosen because the room was their DM (``ctx.is_dm``:
        registration details, coordinator views, personal reminders, the place checks of DM
        commands), so it goes to this room only if that still holds when it is sent, and
        else to their DM (see OutboxSender)."""
        msg = ctx.message
        poster = self.services.poster
        if ctx.replies:
            content = reply_content(Message.join(ctx.replies, "\n\n"), msg)
            await poster.post_content(
                Target.room(msg.room_id),
                content,
                key=msg.event_id,
                private_to=ctx.sender if ctx.is_dm else None,
            )
        for index, direct in enumerate(ctx.direct_messages, start=1):
            await poster.post_content(
                Target.direct(direct.user_id),
                direct_content(direct),
                key=f"{msg.event_id}:dm:{index}",
                attachment=direct.attachment,
            )
        for index, post in enumerate(ctx.room_posts, start=1):
            # More parts of the answer in the same DM (a long summary) are as private as it.
            private = ctx.is_dm and post.room_id == msg.room_id
            await poster.post(
                Target.room(post.room_id),
                post.message,
                key=f"{msg.event_id}:post:{index}",
                msgtype=post.msgtype,
                mention=post.mention,
                private_to=ctx.sender if private else None,
            )


def command_name(body: str, prefix: str) -> str:
    """The word after the prefix of a command text (see is_command_text)."""
    return body[len(prefix) :].split(maxsplit=1)[0]


def clear_output(ctx: CommandContext) -> None:
    ctx.replies.clear()
    ctx.direct_messages.clear()
    ctx.room_posts.clear()


def direct_content(direct: DirectMessage) -> dict[str, Any]:
    if direct.attachment is None:
        return message_content(direct.message, direct.msgtype)
    file = direct.attachment
    return {
        "msgtype": "m.file",
        "body": file.filename,
        "filename": file.filename,
        "info": {"mimetype": file.mimetype, "size": len(file.data)},
        "m.mentions": {},
    }


def place_of(ctx: CommandContext) -> Where:
    if ctx.is_dm:
        return Where.DM
    if ctx.is_coordination_room:
        return Where.COORDINATION
    return Where.ROOM


def may_run(ctx: CommandContext, spec: CommandSpec) -> bool:
    """What help and suggestions show a caller: only commands they are allowed to run."""
    return spec.permission is Permission.MEMBER or ctx.is_coordinator
