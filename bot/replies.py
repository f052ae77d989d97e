"""Event content for what the bot sends: replies in the command's thread, notices vs. texts.

Replies are ``m.notice`` (bots must not trigger bots); messages that must notify a person
(reminders, promotions, DMs that need action) are ``m.text``, because Synapse's default push
rules suppress notifications for notices.

``m.mentions`` says whom a message pings; with it, the legacy push rules that search the body
("@room", a member's name or ID) are skipped. Every ``m.text`` carries it, so nobody is pinged by
accident. A notice carries it only when its body holds what those rules read even for members
who let notices notify ("@room", a Matrix ID): otherwise the field changes nothing, and it costs
the homeserver (Synapse 1.163 checks the field's JSON schema itself on every event: 1.5 ms of
CPU per reply on a quiet machine, about 5 ms under load; docs/performance.md, fifth round).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.events import IncomingMessage
from bot.formatting import Message

HTML_FORMAT = "org.matrix.custom.html"


# What the legacy rules .m.rule.roomnotif and .m.rule.contains_user_name can find in a body.
LEGACY_PING = re.compile(r"@room\b|@[^\s:@]+:[^\s:]", re.IGNORECASE)


def message_content(
    message: Message, msgtype: str = "m.notice", mention: tuple[str, ...] = ()
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "msgtype": msgtype,
        "body": message.body,
        "format": HTML_FORMAT,
        "formatted_body": message.safe_html(),
    }
    if msgtype != "m.notice" or LEGACY_PING.search(message.body):
        content["m.mentions"] = {"user_ids": list(mention)} if mention else {}
    return content


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
