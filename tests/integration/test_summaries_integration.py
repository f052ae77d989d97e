"""Workshop notes, 📌, native polls and posted summaries against the real Synapse."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, RoomMessagesResponse

from tests.integration.conftest import (
    BotAccount,
    BotFactory,
    Inbox,
    RunningBot,
    create_room,
    eventually,
    send_text,
    wait_membership,
)

pytestmark = pytest.mark.integration

POLL_START = "org.matrix.msc3381.poll.start"
POLL_RESPONSE = "org.matrix.msc3381.poll.response"
POLL_END = "org.matrix.msc3381.poll.end"


async def room_events(client: AsyncClient, room_id: str) -> list[dict[str, Any]]:
    """Everything in the room, oldest first, read back with /messages (ground truth)."""
    resp = await client.room_messages(room_id, start="", limit=500)
    assert isinstance(resp, RoomMessagesResponse), resp
    return [e.source for e in reversed(resp.chunk)]


async def bot_event(
    client: AsyncClient, room_id: str, bot_id: str, event_type: str, timeout: float = 30
) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    async def seen() -> bool:
        found[:] = [
            e
            for e in await room_events(client, room_id)
            if e["sender"] == bot_id and e["type"] == event_type
        ]
        return bool(found)

    await eventually(seen, timeout)
    return found[-1]


async def vote(client: AsyncClient, room_id: str, poll_id: str, answer: str) -> None:
    resp = await client.room_send(
        room_id,
        POLL_RESPONSE,
        {
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
            POLL_RESPONSE: {"answers": [answer]},
        },
    )
    assert getattr(resp, "event_id", None), resp


async def bot_with_event(
    start_bot: BotFactory,
    bot_account: BotAccount,
    coordinator: AsyncClient,
    announce_room: str | None = None,
) -> tuple[RunningBot, dict[str, Any]]:
    """The bot with a coordination room, where the coordinator creates the event
    plenum-2027 with the workshop e-rechnung (the plenum checks workshop keys)."""
    coordination = await create_room(coordinator, invite=[bot_account.user_id])
    settings: dict[str, Any] = {
        "coordinators": [coordinator.user_id],
        "coordination_room": coordination,
    }
    running = await start_bot(**settings)
    await wait_membership(coordinator, coordination, running.user_id, "join")
    room = f" raum={announce_room}" if announce_room else ""
    async with Inbox(coordinator, running.user_id) as inbox:
        await send_text(
            coordinator,
            coordination,
            '!veranstaltung-neu plenum-2027 titel="Plenum 2027" beginn="28.01.2027 09:30" '
            f'ende="28.01.2027 16:00" ort=Bremen{room}',
        )
        await send_text(
            coordinator, coordination, "!workshop-anlegen plenum-2027 e-rechnung 0 E-Rechnung"
        )
        await inbox.wait_for(2)
        assert inbox.events[0]["content"]["body"].startswith("Angelegt:"), inbox.events[0]
    return running, settings


async def workshop_room(coordinator: AsyncClient, bot_id: str, *members: AsyncClient) -> str:
    room_id = await create_room(coordinator, invite=[bot_id, *(m.user_id for m in members)])
    await wait_membership(coordinator, room_id, bot_id, "join")
    for member in members:
        await member.join(room_id)
    return room_id


async def test_native_poll_counts_member_votes_also_while_down(
    start_bot: BotFactory, bot_account: BotAccount, matrix_user
) -> None:
    coordinator = await matrix_user("coord")
    alice = await matrix_user("member")
    bob = await matrix_user("member")
    carol = await matrix_user("member")
    running, settings = await bot_with_event(start_bot, bot_account, coordinator)
    bot_id = running.user_id
    room_id = await workshop_room(coordinator, bot_id, alice, bob, carol)
    async with Inbox(coordinator, bot_id) as inbox:
        await send_text(coordinator, room_id, "!workshop-raum plenum-2027 e-rechnung")
        await send_text(coordinator, room_id, "!abstimmung Pilot starten?; Ja; Nein; Enthaltung")
        await inbox.wait_for(2)
        start = await bot_event(coordinator, room_id, bot_id, POLL_START)
        poll = start["content"][POLL_START]
        assert poll["question"]["org.matrix.msc1767.text"] == "Pilot starten?"
        assert [a["org.matrix.msc1767.text"] for a in poll["answers"]] == [
            "Ja",
            "Nein",
            "Enthaltung",
        ]
        ids = {a["org.matrix.msc1767.text"]: a["id"] for a in poll["answers"]}
        poll_id = start["event_id"]
        await vote(alice, room_id, poll_id, ids["Ja"])
        await vote(bob, room_id, poll_id, ids["Nein"])
        await vote(bob, room_id, poll_id, ids["Ja"])  # changed: the latest counts
        await asyncio.sleep(1.0)
        await running.stop()
        # Cast while the bot is down: counted after the restart.
        await vote(carol, room_id, poll_id, ids["Enthaltung"])
        running = await start_bot(**settings)
        end_command = await send_text(coordinator, room_id, "!abstimmung-beenden")
        await inbox.wait_for(3)
        (result,) = inbox.replies_to(end_command)
        body = result["content"]["body"]
        assert "Ja: 2, Nein: 0, Enthaltung: 1 (3 Stimmen) – angenommen: Ja" in body
        end = await bot_event(coordinator, room_id, bot_id, POLL_END)
        assert end["content"]["m.relates_to"] == {"rel_type": "m.reference", "event_id": poll_id}
        assert "Ja: 2" in end["content"]["org.matrix.msc1767.text"]
        listing = await send_text(coordinator, room_id, "!notizen")
        await inbox.wait_for(4)
        (notes,) = inbox.replies_to(listing)
        assert "Beschlüsse:" in notes["content"]["body"]
        assert "Abstimmung „Pilot starten?“: Ja: 2" in notes["content"]["body"]


async def test_entries_pin_and_summary_posted_into_the_announce_room(
    start_bot: BotFactory, bot_account: BotAccount, matrix_user
) -> None:
    coordinator = await matrix_user("coord")
    member = await matrix_user("member")
    announce = await create_room(coordinator, invite=[bot_account.user_id, member.user_id])
    await member.join(announce)
    running, _ = await bot_with_event(start_bot, bot_account, coordinator, announce)
    bot_id = running.user_id
    await wait_membership(coordinator, announce, bot_id, "join")
    room_id = await workshop_room(coordinator, bot_id, member)
    async with Inbox(member, bot_id) as inbox:
        await send_text(coordinator, room_id, "!workshop-raum plenum-2027 e-rechnung")
        await send_text(member, room_id, "!notiz Oldenburg: XRechnung <läuft>")
        await send_text(member, room_id, "!beschluss Pilot im Erprobungsraum starten")
        await send_text(member, room_id, f"!aufgabe Leitfaden entwerfen {member.user_id} bis 1.2.")
        said = await send_text(member, room_id, "Wir brauchen Schulungen für die Kämmerei")
        resp = await member.room_send(
            room_id,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": said, "key": "📌"}},
        )
        assert getattr(resp, "event_id", None), resp
        await inbox.wait_for(4)

        async def pinned() -> bool:
            rows = await asyncio.to_thread(
                query, running.data_dir / "vir-bot.db", "SELECT text FROM workshop_entries"
            )
            return ("Wir brauchen Schulungen für die Kämmerei",) in rows

        await eventually(pinned)
        preview = await send_text(coordinator, room_id, "!zusammenfassung")
        await inbox.wait_for(5)
        (shown,) = inbox.replies_to(preview)
        assert "Wir brauchen Schulungen für die Kämmerei" in shown["content"]["body"]
        assert "<h3>Zusammenfassung: E-Rechnung</h3>" in shown["content"]["formatted_body"]
        post = await send_text(coordinator, room_id, "!zusammenfassung-posten")
        await inbox.wait_for(7)
        (summary,) = [e for e in inbox.events if e["room_id"] == announce]
        content = summary["content"]
        assert content["msgtype"] == "m.text"
        for text in (
            "Zusammenfassung: E-Rechnung\nPlenum 2027 · 28.01.2027 · Bremen · Angemeldete: 0",
            "Pilot im Erprobungsraum starten",
            f"Leitfaden entwerfen (zuständig: {member.user_id}, bis 01.02.",
            "Oldenburg: XRechnung <läuft>",
            "Wir brauchen Schulungen für die Kämmerei",
        ):
            assert text in content["body"]
        assert "<h4>Beschlüsse</h4>" in content["formatted_body"]
        assert "XRechnung &lt;läuft&gt;" in content["formatted_body"]
        assert inbox.replies_to(post)


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read the bot's database from the side (WAL allows a reader next to the bot)."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(sql))


async def test_pin_and_poll_in_an_encrypted_room(
    start_bot: BotFactory, bot_account: BotAccount, matrix_user
) -> None:
    """The pinned message is fetched and decrypted; encrypted poll responses are counted."""
    coordinator = await matrix_user("coord", encrypted=True)
    running, _ = await bot_with_event(start_bot, bot_account, coordinator)
    bot_id = running.user_id
    encryption = {
        "type": "m.room.encryption",
        "state_key": "",
        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
    }
    room_id = await create_room(coordinator, invite=[bot_id], initial_state=[encryption])
    await wait_membership(coordinator, room_id, bot_id, "join")
    database = running.data_dir / "vir-bot.db"
    async with Inbox(coordinator, bot_id) as inbox:
        await send_text(coordinator, room_id, "!workshop-raum plenum-2027 e-rechnung")
        said = await send_text(coordinator, room_id, "Vertraulich: Haushalt 2027 freigeben")
        await coordinator.room_send(
            room_id,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": said, "key": "📌"}},
            ignore_unverified_devices=True,
        )
        await send_text(coordinator, room_id, "!abstimmung Freigeben?; Ja; Nein")
        await inbox.wait_for(2)

        async def noted() -> bool:
            rows = await asyncio.to_thread(query, database, "SELECT text FROM workshop_entries")
            return ("Vertraulich: Haushalt 2027 freigeben",) in rows

        await eventually(noted)
        sent: list[tuple[Any, ...]] = []

        async def poll_sent() -> bool:
            sent[:] = await asyncio.to_thread(
                query,
                database,
                f"SELECT sent_event_id FROM outbox WHERE event_type = '{POLL_START}' "
                "AND status = 'sent'",
            )
            return bool(sent)

        await eventually(poll_sent)
        resp = await coordinator.room_send(
            room_id,
            POLL_RESPONSE,
            {
                "m.relates_to": {"rel_type": "m.reference", "event_id": sent[0][0]},
                POLL_RESPONSE: {"answers": ["o2"]},
            },
            ignore_unverified_devices=True,
        )
        assert getattr(resp, "event_id", None), resp
        end = await send_text(coordinator, room_id, "!abstimmung-beenden")
        await inbox.wait_for(3)
        (result,) = inbox.replies_to(end)
        assert result["decrypted"] is True
        assert "Ja: 0, Nein: 1 (1 Stimme)" in result["content"]["body"]


async def test_scheduled_summary_survives_a_restart_and_arrives_once(
    start_bot: BotFactory, bot_account: BotAccount, matrix_user
) -> None:
    coordinator = await matrix_user("coord")
    member = await matrix_user("member")
    running, settings = await bot_with_event(start_bot, bot_account, coordinator)
    bot_id = running.user_id
    room_id = await workshop_room(coordinator, bot_id, member)
    async with Inbox(member, bot_id) as inbox:
        await send_text(coordinator, room_id, "!workshop-raum plenum-2027 e-rechnung")
        await send_text(member, room_id, "!notiz Erfahrungsbericht Oldenburg")
        await send_text(member, room_id, "!beschluss Pilot starten")
        await send_text(member, room_id, "!aufgabe Leitfaden entwerfen bis 1.2.")
        schedule = await send_text(coordinator, room_id, "!zusammenfassung-posten ; in 18 Sekunden")
        await inbox.wait_for(5)
        (planned,) = inbox.replies_to(schedule)
        assert "wird am " in planned["content"]["body"]
        await running.stop()
        running = await start_bot(**settings)
        # Written after the restart, before the time: the summary is rendered when it is sent.
        await send_text(member, room_id, "!notiz Nachtrag nach dem Neustart")
        await inbox.wait_for(7, timeout=60)
        await asyncio.sleep(2.0)  # would a second copy still arrive?
        summaries = [
            e
            for e in await room_events(member, room_id)
            if e["sender"] == bot_id
            and "Zusammenfassung: E-Rechnung" in e["content"].get("body", "")
        ]
        assert len(summaries) == 1
        body = summaries[0]["content"]["body"]
        for text in (
            "Erfahrungsbericht Oldenburg",
            "Pilot starten",
            "Leitfaden entwerfen (bis 01.02.",
            "Nachtrag nach dem Neustart",
        ):
            assert text in body
        assert summaries[0]["content"]["msgtype"] == "m.text"


async def test_redacting_a_note_removes_it_only_for_its_author(
    start_bot: BotFactory, bot_account: BotAccount, matrix_user
) -> None:
    """On the real Synapse: a member who deletes their own !notiz message removes that note;
    the room creator (a moderator) deleting a member's !notiz message leaves the note (only the
    author may, coordinators use !notiz-entfernen), and the other notes stay. The redactions are
    handled in room order, so once the author's one has taken effect the moderator's one was
    handled too: the note it left is evidence, not a race."""
    coordinator = await matrix_user("coord")
    author, other = await matrix_user("author"), await matrix_user("other")
    running, _ = await bot_with_event(start_bot, bot_account, coordinator)
    bot_id = running.user_id
    room_id = await workshop_room(coordinator, bot_id, author, other)
    db_path = running.data_dir / "vir-bot.db"

    async def notes() -> list[str]:
        rows = await asyncio.to_thread(
            query, db_path, "SELECT text FROM workshop_entries ORDER BY text"
        )
        return [row[0] for row in rows]

    async with Inbox(author, bot_id) as inbox:
        await send_text(coordinator, room_id, "!workshop-raum plenum-2027 e-rechnung")
        first = await send_text(author, room_id, "!notiz Erste Notiz")
        await send_text(author, room_id, "!notiz Zweite Notiz")
        others = await send_text(other, room_id, "!notiz Notiz von jemand anderem")
        await inbox.wait_for(4)
    assert await notes() == ["Erste Notiz", "Notiz von jemand anderem", "Zweite Notiz"]

    resp = await coordinator.room_redact(room_id, others)
    assert getattr(resp, "event_id", None), resp
    resp = await author.room_redact(room_id, first)
    assert getattr(resp, "event_id", None), resp

    async def first_gone() -> bool:
        return "Erste Notiz" not in await notes()

    await eventually(first_gone)
    assert await notes() == ["Notiz von jemand anderem", "Zweite Notiz"]
