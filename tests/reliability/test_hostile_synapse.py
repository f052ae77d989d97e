"""The fixed hostile set through a real Synapse: one bot, one member, all messages, then assert."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.events import is_command_text, strip_reply_fallback
from tests.integration.conftest import BotFactory, Inbox, bot_messages, reply_target, send_text
from tests.integration.test_runtime import room_with_bot
from tests.reliability.safety import HOSTILE_MESSAGES, content_problems

pytestmark = [pytest.mark.integration, pytest.mark.reliability]


def is_command(body: str) -> bool:
    return is_command_text(strip_reply_fallback(body).strip(), "!")


async def test_hostile_messages_get_one_safe_reply_each(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member")
    running = await start_bot(throttle_commands=100)  # the flood test covers the throttle
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        commands: list[str] = []
        others: list[str] = []
        for body, extra in HOSTILE_MESSAGES:
            # Modern clients send m.mentions; a hostile one may claim a room ping (extra).
            event_id = await send_text(member, room_id, body, **{"m.mentions": {}, **extra})
            (commands if is_command(body) else others).append(event_id)
        edit = await send_text(
            member,
            room_id,
            "* !hilfe",
            **{
                "m.new_content": {"msgtype": "m.text", "body": "!hilfe"},
                "m.relates_to": {"rel_type": "m.replace", "event_id": commands[0]},
            },
        )
        marker = await send_text(member, room_id, "!hilfe status")
        await inbox.wait_for(len(commands) + 1, timeout=90)
        await asyncio.sleep(1.0)  # would a duplicate or a late extra reply still arrive?

    targets = Counter(reply_target(e) for e in inbox.events)
    assert targets == Counter([*commands, marker]), "each command exactly one reply, nothing else"
    assert edit not in targets and not set(others) & set(targets)
    for event in inbox.events:
        content = event["content"]
        assert content_problems(content, {member.user_id}) == [], content
        assert content["msgtype"] == "m.notice"
        assert not content["body"].startswith("Interner Fehler"), content["body"]
    # Ground truth from the server: nothing else was posted (e.g. into the room twice).
    truth = await bot_messages(member, room_id, running.user_id)
    assert len(truth) == len(commands) + 1
