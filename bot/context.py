"""What a command handler gets: the message, the caller's facts, services, and reply()."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.events import IncomingMessage
from bot.formatting import Message
from bot.i18n import pick
from storage.outbox import Attachment

if TYPE_CHECKING:
    from bot.services import Services


@dataclass(frozen=True)
class DirectMessage:
    user_id: str
    message: Message
    msgtype: str = "m.text"
    attachment: Attachment | None = None


@dataclass(frozen=True)
class RoomPost:
    """A message to another room than the command's (e.g. the coordination room)."""

    room_id: str
    message: Message
    msgtype: str = "m.text"
    mention: tuple[str, ...] = ()


@dataclass
class CommandContext:
    message: IncomingMessage
    services: Services
    is_dm: bool
    is_coordination_room: bool
    is_coordinator: bool
    lang: str
    prefix: str
    # The member of a recorded DM whose history they opened to later members (REVIEW-12 F5):
    # not ``is_dm`` (no personal data here), yet every message in it is for the bot.
    history_opened_by: str | None = None
    replies: list[Message] = field(default_factory=list)
    direct_messages: list[DirectMessage] = field(default_factory=list)
    room_posts: list[RoomPost] = field(default_factory=list)
    warned: bool = False  # the throttle replaced the output with a warning

    @property
    def sender(self) -> str:
        return self.message.sender

    @property
    def room_id(self) -> str:
        return self.message.room_id

    @property
    def sent_at(self) -> datetime:
        """When the member sent the command (server time): judge deadlines by this."""
        return datetime.fromtimestamp(self.message.server_ts / 1000, UTC)

    def reply(self, message: Message | str) -> None:
        """Add to the one reply this command gets in its room (several calls are joined).

        In a DM (``is_dm``) the reply is private to the sender: it reaches this room only
        while it is still their DM when it is sent, else their DM (bot/outbox_sender.py)."""
        self.replies.append(Message.text(message) if isinstance(message, str) else message)

    def send_direct(self, user_id: str, message: Message, msgtype: str = "m.text") -> None:
        """Further output (details, personal data) goes to a direct message."""
        self.direct_messages.append(DirectMessage(user_id, message, msgtype))

    def post_to_room(
        self, room_id: str, message: Message, msgtype: str = "m.text", mention: tuple[str, ...] = ()
    ) -> None:
        self.room_posts.append(RoomPost(room_id, message, msgtype, mention))

    def send_file(self, user_id: str, filename: str, mimetype: str, data: bytes) -> None:
        """A file (export, calendar, ...) to a member's direct message, encrypted there."""
        self.direct_messages.append(
            DirectMessage(
                user_id, Message.text(filename), "m.file", Attachment(filename, mimetype, data)
            )
        )

    def t(self, de: str, en: str, **values: Any) -> str:
        return pick(self.lang, de, en).format(**values)
