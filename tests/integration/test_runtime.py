"""The runtime against a real Synapse with real member clients."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.backoff import Backoff
from bot.context import CommandContext
from bot.feature import Capability
from bot.registry import Registry, command
from bot.services import Services
from bot.synapse_local import LocalSynapse
from commands import build_capabilities
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


class Broken(Capability):
    name = "broken"

    @command(
        "kaputt", aliases=["broken"], help="Wirft absichtlich einen Fehler.", help_en="Raises."
    )
    async def kaputt(self, ctx: CommandContext) -> None:
        raise ValueError("internal detail that must not leak")


def with_broken_command(services: Services) -> list[Capability]:
    capabilities = [*build_capabilities(services), Broken(services)]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


async def room_with_bot(member, bot_id: str) -> str:  # type: ignore[no-untyped-def]
    room_id = await create_room(member, invite=[bot_id])
    await wait_membership(member, room_id, bot_id, "join")
    return room_id


async def test_help_unknown_and_coordinator_only(start_bot: BotFactory, matrix_user) -> None:
    coordinator = await matrix_user("coord")
    member = await matrix_user("member")
    running = await start_bot(coordinators=[coordinator.user_id])
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        help_id = await send_text(member, room_id, "!hilfe")
        unknown_id = await send_text(member, room_id, "!hilf")
        status_id = await send_text(member, room_id, "!status")
        await inbox.wait_for(3)
        (help_reply,) = inbox.replies_to(help_id)
        assert help_reply["content"]["msgtype"] == "m.notice"
        assert "!hilfe [<befehl>]" in help_reply["content"]["body"]
        assert "!status" not in help_reply["content"]["body"]
        (unknown,) = inbox.replies_to(unknown_id)
        assert "Meinten Sie: !hilfe?" in unknown["content"]["body"]
        (refused,) = inbox.replies_to(status_id)
        assert refused["content"]["body"] == "Dieser Befehl ist der Koordination vorbehalten."

    # The coordinator (listed in config) may run it, in the same room.
    await member.room_invite(room_id, coordinator.user_id)
    await coordinator.join(room_id)
    async with Inbox(coordinator, running.user_id) as coord_inbox:
        status_id = await send_text(coordinator, room_id, "!status")
        await coord_inbox.wait_for(1)
        (ok,) = coord_inbox.replies_to(status_id)
        assert ok["content"]["body"].startswith("ViR-Bot läuft")


async def test_burst_of_60_commands_from_30_members_answered_once(
    start_bot: BotFactory, matrix_user
) -> None:
    owner = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(owner, running.user_id)
    members = [await matrix_user("member") for _ in range(30)]
    for member in members:
        await owner.room_invite(room_id, member.user_id)
        await member.join(room_id)
    async with Inbox(owner, running.user_id) as inbox:
        sends = [send_text(m, room_id, cmd) for m in members for cmd in ("!hilfe", "!hilfe status")]
        event_ids = await asyncio.gather(*sends)
        await inbox.wait_for(60, timeout=90)
        await asyncio.sleep(1.0)  # would any duplicate still arrive?
        targets = Counter(reply_target(e) for e in inbox.events)
        assert set(targets) == set(event_ids)
        assert max(targets.values()) == 1
        truth = await bot_messages(owner, room_id, running.user_id)
        assert len(truth) == 60


async def test_restart_answers_missed_commands_once_and_replays_nothing(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        before = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        await running.stop()
        # Twelve commands while the bot is down; the timeline limit of 5 forces a back-fill.
        missed = [await send_text(member, room_id, f"!hilfe {n}") for n in range(8)]
        running = await start_bot(timeline_limit=5)
        await inbox.wait_for(1 + len(missed), timeout=60)
        after = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(2 + len(missed))
        await asyncio.sleep(1.0)
        targets = Counter(reply_target(e) for e in inbox.events)
        assert targets == Counter([before, *missed, after])


async def test_no_command_from_before_first_start_or_before_join(
    start_bot: BotFactory, matrix_user, synapse: LocalSynapse
) -> None:
    member = await matrix_user("member")
    room_id = await create_room(member, preset=None)
    # Shared history: the bot could read this old command after it joins.
    old = await send_text(member, room_id, "!hilfe")
    running = await start_bot()
    await member.room_invite(room_id, running.user_id)
    await wait_membership(member, room_id, running.user_id, "join")
    async with Inbox(member, running.user_id) as inbox:
        new = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1)
        await asyncio.sleep(1.0)
        assert [reply_target(e) for e in inbox.events] == [new]
        assert old not in [reply_target(e) for e in inbox.events]


async def test_invite_from_outside_invite_from_is_refused(
    start_bot: BotFactory, matrix_user
) -> None:
    stranger = await matrix_user("stranger")
    member = await matrix_user("member")
    running = await start_bot()
    refused = await create_room(stranger, invite=[running.user_id])
    await wait_membership(stranger, refused, running.user_id, "leave")
    accepted = await create_room(member, invite=[running.user_id])
    await wait_membership(member, accepted, running.user_id, "join")


async def test_handler_exception_does_not_stop_the_loop(start_bot: BotFactory, matrix_user) -> None:
    member = await matrix_user("member")
    running = await start_bot(capabilities=with_broken_command)
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        broken = await send_text(member, room_id, "!kaputt")
        after = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(2)
        (error,) = inbox.replies_to(broken)
        body = error["content"]["body"]
        assert body.startswith("Interner Fehler (Ref: ") and "internal detail" not in body
        assert len(inbox.replies_to(after)) == 1


async def test_reply_in_thread_and_reply_fallback_not_rerun(
    start_bot: BotFactory, matrix_user
) -> None:
    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    async with Inbox(member, running.user_id) as inbox:
        root = await send_text(member, room_id, "Thema: Anmeldung")
        in_thread = await send_text(
            member,
            room_id,
            "!hilfe",
            **{
                "m.relates_to": {
                    "rel_type": "m.thread",
                    "event_id": root,
                    "is_falling_back": True,
                    "m.in_reply_to": {"event_id": root},
                }
            },
        )
        await inbox.wait_for(1)
        (reply,) = inbox.replies_to(in_thread)
        assert reply["content"]["m.relates_to"]["rel_type"] == "m.thread"
        assert reply["content"]["m.relates_to"]["event_id"] == root
        quoted = await send_text(member, room_id, "> <@x:localhost> !hilfe\n\nDanke")
        edit = await send_text(
            member,
            room_id,
            "* !hilfe",
            **{
                "m.new_content": {"msgtype": "m.text", "body": "!hilfe"},
                "m.relates_to": {"rel_type": "m.replace", "event_id": root},
            },
        )
        marker = await send_text(member, room_id, "!hilfe status")
        await inbox.wait_for(2)
        await asyncio.sleep(0.5)
        targets = [reply_target(e) for e in inbox.events]
        assert quoted not in targets and edit not in targets and marker in targets


async def test_homeserver_restart_recovers_without_tight_loop(
    start_bot: BotFactory, matrix_user, synapse: LocalSynapse
) -> None:
    member = await matrix_user("member")
    running = await start_bot(backoff=Backoff(first=0.5, cap=4))
    room_id = await room_with_bot(member, running.user_id)
    await asyncio.to_thread(synapse.stop)
    await asyncio.sleep(3.0)  # the bot meets a dead homeserver for a while
    await asyncio.to_thread(synapse.start)
    async with Inbox(member, running.user_id) as inbox:
        command_id = await send_text(member, room_id, "!hilfe")
        await inbox.wait_for(1, timeout=60)
        assert len(inbox.replies_to(command_id)) == 1
    failures = running.bot.sync_loop.failed_attempts  # type: ignore[union-attr]
    # 3 s down with back-off 0.5, 1, 2, 4 s: a handful of attempts, not hundreds.
    assert 1 <= failures <= 6, failures


async def test_crash_between_send_and_mark_does_not_post_twice(
    start_bot: BotFactory, matrix_user
) -> None:
    import aiosqlite

    member = await matrix_user("member")
    running = await start_bot()
    room_id = await room_with_bot(member, running.user_id)
    command_id = await send_text(member, room_id, "!hilfe")
    async with Inbox(member, running.user_id) as inbox:
        await inbox.wait_for(1)
        await running.stop()
        # As if the bot died after the homeserver accepted the reply, before it was marked.
        async with aiosqlite.connect(running.data_dir / "vir-bot.db") as db:
            await db.execute("UPDATE outbox SET status = 'pending', sent_event_id = NULL")
            await db.commit()
        running = await start_bot()
        # The resend goes out before the marker's reply: replies in one room keep their order.
        marker = await send_text(member, room_id, "!hilfe status")
        await inbox.wait_for(2)
        assert [reply_target(e) for e in inbox.events] == [command_id, marker]
        truth = await bot_messages(member, room_id, running.user_id)
        assert len(truth) == 2  # the resend was de-duplicated by its transaction id
