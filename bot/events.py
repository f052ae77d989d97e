"""What the router sees of a Matrix message: a plain dataclass, built from nio in bot/matrix.py."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncomingMessage:
    room_id: str
    event_id: str
    sender: str
    body: str
    msgtype: str
    server_ts: int  # origin_server_ts in milliseconds: deadlines are judged by it
    thread_root: str | None = None
    is_edit: bool = False
    mentioned_user_ids: tuple[str, ...] = field(default_factory=tuple)
    encrypted: bool = False
    sender_name: str | None = None  # display name in the room at the last sync (for lists)


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted "> " lines a reply starts with (up to the first empty line).

    Without this a reply quoting "!befehl" would run the quoted command again.
    """
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and lines[index] == "":
        index += 1
    return "\n".join(lines[index:])


def is_command_text(body: str, prefix: str) -> bool:
    return body.startswith(prefix) and len(body) > len(prefix) and not body[len(prefix)].isspace()


@dataclass(frozen=True)
class IncomingReaction:
    room_id: str
    event_id: str
    sender: str
    reacts_to: str
    key: str
    server_ts: int
    sender_name: str | None = None


@dataclass(frozen=True)
class IncomingPollResponse:
    """A vote in a native Matrix poll (MSC3381): the answer ids chosen for ``poll_event_id``."""

    room_id: str
    event_id: str
    sender: str
    poll_event_id: str
    answers: tuple[str, ...]
    server_ts: int


@dataclass(frozen=True)
class IncomingRedaction:
    room_id: str
    event_id: str
    sender: str
    redacts: str


def addressed_text(msg: IncomingMessage, own_user_id: str, display_name: str) -> str | None:
    """The text of a room message addressed to the bot, or None if it is not for the bot.

    Addressed means: the bot is in ``m.mentions.user_ids``, or (older clients) the body starts
    with the bot's display name or localpart, e.g. "ViR-Bot: Was ist die 115?".
    """
    body = strip_reply_fallback(msg.body).strip()
    localpart = own_user_id.split(":", 1)[0].lstrip("@")
    for name in sorted({display_name, localpart, own_user_id}, key=len, reverse=True):
        if name and body.casefold().startswith(name.casefold()):
            rest = body[len(name) :]
            if not rest or rest[0] in " :,;!?-\u00a0":
                return rest.lstrip(" :,;-\u00a0")
    if own_user_id in msg.mentioned_user_ids:
        return body
    return None
