"""``post()``: the one way a message enters the outbox.

Replies, direct messages, reminders, promotions and summaries all end up here. The transaction
id derives from a stable key (a command's event id, or a business key such as
``reminder:<id>:<due>``), so queueing the same thing twice, or re-sending it after a crash, can
never post twice. ``post()`` joins the caller's open transaction (the state change that caused
the message commits with it, or neither does) and wakes the sender once that has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.formatting import Message
from bot.replies import message_content, txn_id
from storage.database import Database
from storage.outbox import Attachment, OutboxRepository, OutgoingMessage


@dataclass(frozen=True)
class Target:
    """Where a message goes: a room, or the direct message with a user (opened on demand)."""

    room_id: str | None = None
    user_id: str | None = None

    @classmethod
    def room(cls, room_id: str) -> Target:
        return cls(room_id=room_id)

    @classmethod
    def direct(cls, user_id: str) -> Target:
        return cls(user_id=user_id)

    def __post_init__(self) -> None:
        if (self.room_id is None) == (self.user_id is None):
            raise ValueError("a target is either a room or a user")


class Poster:
    def __init__(self, db: Database, clock: Clock, wake: Callable[[], None] = lambda: None):
        self.db = db
        self.clock = clock
        self.wake = wake  # replaced by the outbox sender's wake() once it exists

    async def post(
        self,
        target: Target,
        message: Message,
        key: str,
        *,
        msgtype: str = "m.text",
        mention: tuple[str, ...] = (),
        attachment: Attachment | None = None,
        private_to: str | None = None,
    ) -> bool:
        """Queue ``message`` for ``target``; False if ``key`` was queued before (no-op).

        ``m.text`` by default: a message no command asked for must notify (Synapse's push
        rules suppress notices). ``private_to``: see ``post_content``.
        """
        content = message_content(message, msgtype, mention=mention)
        return await self.post_content(
            target, content, key, attachment=attachment, private_to=private_to
        )

    async def post_content(
        self,
        target: Target,
        content: dict[str, Any],
        key: str,
        *,
        attachment: Attachment | None = None,
        event_type: str = "m.room.message",
        private_to: str | None = None,
        copy_of: str | None = None,
    ) -> bool:
        """Like ``post`` for content built elsewhere (replies, files, polls).

        ``private_to``: the message is for this member alone (a reply in their DM): the
        sender posts it to ``target``'s room only while that is still the DM with them, and
        else to their DM (see OutboxSender). ``copy_of``: see OutgoingMessage."""
        if private_to is not None and target.room_id is None:
            raise ValueError("only a room message can be private to a member")
        message = OutgoingMessage(
            txn_id=txn_id(key),
            content=content,
            room_id=target.room_id,
            user_id=target.user_id,
            event_type=event_type,
            attachment=attachment,
            private_to=private_to,
            copy_of=copy_of,
        )
        queued = await OutboxRepository(self.db).enqueue_one(message, self.clock.timestamp())
        if queued:
            self.db.after_commit(self._wake)
        return bool(queued)

    def _wake(self) -> None:
        self.wake()
