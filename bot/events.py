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
