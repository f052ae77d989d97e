"""Event content for what the bot sends: replies in the command's thread, notices vs. texts.

Replies are ``m.notice`` (bots must not trigger bots); messages that must notify a person
(reminders, promotions, DMs that need action) are ``m.text``, because Synapse's default push
rules suppress notifications for notices. ``m.mentions`` is always set, so nobody is pinged by
accident.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.events import IncomingMessage
from bot.formatting import Message

HTML_FORMAT = "org.matrix.custom.html"


def message_content(
    message: Message, msgtype: str = "m.notice", mention: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "msgtype": msgtype,
        "body": message.body,
        "format": HTML_FORMAT,
        "formatted_body": message.safe_html(),
        "m.mentions": {"user_ids": list(mention)} if mention else {},
    }


def reply_content(message: Message, to: IncomingMessage) -> dict[str, Any]:
    """A notice replying to ``to``; inside its thread when it came from one."""
    content = message_content(message, "m.notice", mention=(to.sender,))
    if to.thread_root:
        content["m.relates_to"] = {
            "rel_type": "m.thread",
            "event_id": to.thread_root,
            "is_falling_back": False,
            "m.in_reply_to": {"event_id": to.event_id},
        }
    else:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": to.event_id}}
    return content


def txn_id(source: str, index: int = 0) -> str:
    """Deterministic transaction id: the same source always yields the same id, so a resend
    after a crash is de-duplicated by the homeserver instead of posted twice."""
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    return f"vb{digest}.{index}"
