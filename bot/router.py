"""The router: turns one incoming message into at most one reply, exactly once.

It is the single error boundary: user errors are shown as written (with the usage for bad
arguments), anything else is logged once with a short reference id and the member sees only
that id. The reply and the "handled" mark are committed in one transaction, so a crash either
leaves the event unhandled (it is handled after the restart) or handled with its reply queued.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.context import CommandContext, DirectMessage
from bot.errors import PermissionDenied, UsageError, UserError, WrongPlace
from bot.events import (
    IncomingMessage,
    IncomingReaction,
    IncomingRedaction,
    is_command_text,
    strip_reply_fallback,
)
from bot.formatting import Message
from bot.i18n import tr
from bot.registry import CommandSpec, Permission, Where
from bot.replies import message_content, reply_content, txn_id
from bot.services import Services
from bot.throttle import Throttle, Verdict
from storage.outbox import OutboxRepository, OutgoingMessage
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

# A non-command message handler (e.g. questions in DMs): returns True if it took the message.
MessageHandler = Callable[[CommandContext], Awaitable[bool]]
# Reactions (e.g. 👍/👎 on an answer) are recorded, never answered; so are their removals.
ReactionHandler = Callable[[IncomingReaction, Services], Awaitable[None]]
RedactionHandler = Callable[[IncomingRedaction, Services], Awaitable[None]]


class RoomInfo(Protocol):
    async def is_direct(self, room_id: str) -> bool: ...


class CoordinatorCheck(Protocol):
    async def is_coordinator(self, user_id: str) -> bool: ...


class Router:
    def __init__(
        self,
        services: Services,
        own_user_id: str,
        rooms: RoomInfo,
        permissions: CoordinatorCheck,
        message_handlers: list[MessageHandler] | None = None,
        reaction_handlers: list[ReactionHandler] | None = None,
        redaction_handlers: list[RedactionHandler] | None = None,
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.services = services
        self.own_user_id = own_user_id
        self.rooms = rooms
        self.permissions = permissions
        self.message_handlers = message_handlers or []
        self.reaction_handlers = reaction_handlers or []
        self.redaction_handlers = redaction_handlers or []
        self.on_enqueued = on_enqueued
        cfg = services.config.bot
        self.prefix = cfg.prefix
        self.lang = cfg.language
        self.throttle = Throttle(cfg.throttle_commands, cfg.throttle_window)
        self.sync_state = SyncStateRepository(services.db)

    def ignores(self, msg: IncomingMessage) -> bool:
        """Own events, notices (other bots) and edits never trigger anything."""
        return msg.sender == self.own_user_id or msg.msgtype == "m.notice" or msg.is_edit

    async def handle(self, msg: IncomingMessage) -> None:
        if self.ignores(msg) or msg.msgtype not in ("m.text", "m.emote"):
            return
        body = strip_reply_fallback(msg.body).strip()
        is_command = is_command_text(body, self.prefix)
        if await self.sync_state.is_handled(msg.event_id):
            return
        ctx = await self._context(msg)
        if is_command:
            # Throttle before running: commands may have side effects.
            if not self._admit(ctx):
                return
            if not ctx.replies:
                await self._run_guarded(ctx, lambda: self._run_command(ctx, body))
        else:
            taken = False
            for handler in self.message_handlers:
                if await self._run_guarded(ctx, lambda h=handler: h(ctx)):  # type: ignore[misc]
                    taken = True
                    break
            # Questions in DMs count against the same limit once a handler took them.
            if not taken or not self._admit(ctx):
                return
        await self._commit(ctx)

    def _admit(self, ctx: CommandContext) -> bool:
        """Apply the per-member throttle: False drops the message, a warning replaces output."""
        verdict = self.throttle.check(ctx.sender, ctx.message.server_ts / 1000)
        if verdict is Verdict.DROP:
            log.info("throttled %s in %s", ctx.sender, ctx.room_id)
            return False
        if verdict is Verdict.WARN:
            ctx.replies.clear()
            ctx.direct_messages.clear()
            ctx.room_posts.clear()
            ctx.reply(tr(self.lang, "throttled", seconds=int(self.throttle.window)))
        return True

    async def handle_reaction(self, reaction: IncomingReaction) -> None:
        await self._notify(self.reaction_handlers, reaction)

    async def handle_redaction(self, redaction: IncomingRedaction) -> None:
        await self._notify(self.redaction_handlers, redaction)

    async def _notify(
        self, handlers: list[Any], event: IncomingReaction | IncomingRedaction
    ) -> None:
        """Record-only events: no reply, and a failing handler is logged, never fatal."""
        if event.sender == self.own_user_id:
            return
        for handler in handlers:
            try:
                await handler(event, self.services)
            except Exception:
                log.exception("handler failed for %s", event.event_id)

    async def _context(self, msg: IncomingMessage) -> CommandContext:
        access = self.services.config.access
        return CommandContext(
            message=msg,
            services=self.services,
            is_dm=await self.rooms.is_direct(msg.room_id),
            is_coordination_room=bool(access.coordination_room)
            and msg.room_id == access.coordination_room,
            is_coordinator=False,  # resolved on demand in _run_command (may cost a request)
            lang=self.lang,
            prefix=self.prefix,
        )

    async def _run_guarded(
        self, ctx: CommandContext, work: Callable[[], Awaitable[object]]
    ) -> bool:
        try:
            return bool(await work())
        except UsageError as exc:
            ctx.reply(str(exc))
            return True
        except UserError as exc:
            ctx.reply(str(exc))
            return True
        except Exception:
            ref = secrets.token_hex(3)
            log.exception(
                "internal error ref=%s room=%s event=%s", ref, ctx.room_id, ctx.message.event_id
            )
            ctx.replies.clear()
            ctx.direct_messages.clear()
            ctx.room_posts.clear()
            ctx.reply(tr(self.lang, "internal_error", ref=ref))
            return True

    async def _run_command(self, ctx: CommandContext, body: str) -> bool:
        text = body[len(self.prefix) :]
        name = text.split(maxsplit=1)[0]
        rest = text[len(name) :]
        spec = self.services.registry.lookup(name)
        ctx.is_coordinator = await self.permissions.is_coordinator(ctx.sender)
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

    async def _commit(self, ctx: CommandContext) -> None:
        msg = ctx.message
        outgoing: list[OutgoingMessage] = []
        if ctx.replies:
            content = reply_content(Message.join(ctx.replies, "\n\n"), msg)
            outgoing.append(
                OutgoingMessage(txn_id=txn_id(msg.event_id), content=content, room_id=msg.room_id)
            )
        for index, direct in enumerate(ctx.direct_messages, start=1):
            outgoing.append(
                OutgoingMessage(
                    txn_id=txn_id(msg.event_id, index),
                    content=direct_content(direct),
                    user_id=direct.user_id,
                    attachment=direct.attachment,
                )
            )
        for index, post in enumerate(ctx.room_posts, start=100):
            outgoing.append(
                OutgoingMessage(
                    txn_id=txn_id(msg.event_id, index),
                    content=message_content(post.message, post.msgtype, mention=post.mention),
                    room_id=post.room_id,
                )
            )
        now = self.services.clock.timestamp()
        async with self.services.db.transaction() as conn:
            if not await SyncStateRepository.mark_handled(conn, msg.event_id, msg.room_id, now):
                return
            await OutboxRepository.enqueue_in(conn, outgoing, now)
        if outgoing:
            self.on_enqueued()


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
