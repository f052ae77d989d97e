"""A DM a member opened stays private after the fact: someone the member invites later must
not read what the bot sent there before (REVIEW-9, R2)."""

from __future__ import annotations

import pytest
from nio import AsyncClient, RoomGetStateEventResponse, RoomPreset

from storage.direct_rooms import DirectRoomRepository
from tests.integration.conftest import (
    BotFactory,
    Inbox,
    bot_messages,
    create_room,
    reply_target,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration


async def _dm_answered(
    member: AsyncClient, bot_id: str, preset: RoomPreset, text: str, notices: int = 0
) -> tuple[str, list[str]]:
    """The member opens a DM with the bot (is_direct invite), asks, gets an answer: the room's
    id and the bodies of the bot's other messages there (``notices`` of them are expected)."""
    dm_id = await create_room(member, invite=[bot_id], is_direct=True, preset=preset)
    await wait_membership(member, dm_id, bot_id, "join")
    async with Inbox(member, bot_id) as inbox:
        asked = await send_text(member, dm_id, text)
        await inbox.wait_for(1 + notices, timeout=30)
        assert inbox.replies_to(asked)
    others = [e["content"]["body"] for e in inbox.events if reply_target(e) != asked]
    assert len(others) == notices
    return dm_id, others


async def _history_visibility(client: AsyncClient, room_id: str) -> str:
    state = await client.room_get_state_event(room_id, "m.room.history_visibility")
    assert isinstance(state, RoomGetStateEventResponse), state
    return state.content["history_visibility"]


async def test_later_invitee_does_not_read_the_bots_earlier_dm_messages(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member")
    colleague = await matrix_user("colleague")
    running = await start_bot()
    # Element's way: trusted_private_chat, history "shared" (Synapse's default). Answered
    # without a command: the bot took it as the member's DM.
    dm_id, _ = await _dm_answered(
        member, running.user_id, RoomPreset.trusted_private_chat, "Wie lange gilt ein Ausweis?"
    )
    assert await _history_visibility(member, dm_id) == "invited"
    assert await bot_messages(member, dm_id, running.user_id)  # the member still reads it all

    await member.room_invite(dm_id, colleague.user_id)
    await colleague.join(dm_id)
    await wait_membership(member, dm_id, colleague.user_id, "join")
    assert await bot_messages(colleague, dm_id, running.user_id) == []


async def test_dm_whose_history_the_bot_cannot_restrict_is_no_dm_for_it(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member")
    running = await start_bot()
    # private_chat: the invited bot has power level 0 and may not change the history setting;
    # commands work as in any room.
    dm_id, notices = await _dm_answered(
        member,
        running.user_id,
        RoomPreset.private_chat,
        "!frage Wie lange gilt ein Ausweis?",
        notices=1,
    )
    # The invite was handled before the reply: the room is not the member's DM for the bot,
    # and the member was told where personal messages go instead.
    assert await DirectRoomRepository(running.bot.db).user_for(dm_id) is None
    assert await _history_visibility(member, dm_id) == "shared"
    assert "eigenen Direktchat" in notices[0]
