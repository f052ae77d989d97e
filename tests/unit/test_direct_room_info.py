"""Whether a room is a DM with one member (bot/direct_rooms.py DirectRoomInfo): the bot and exactly
that member joined, and the room recorded as their DM. A group room is told apart by its
members alone, without reading the database (one round trip less per command there)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.direct_rooms import DirectRoomInfo
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from tests.fakes import ALICE, BOB

BOT = "@bot:x"


@dataclass
class Members:
    user_id: str = BOT
    rooms: dict[str, set[str]] = field(default_factory=dict)
    visibility: dict[str, str] = field(default_factory=dict)

    def joined_members(self, room_id: str) -> set[str] | None:
        return self.rooms.get(room_id)

    def history_visibility(self, room_id: str) -> str | None:
        return self.visibility.get(room_id, "invited")


class CountingRepository(DirectRoomRepository):
    reads = 0

    async def user_for(self, room_id: str) -> str | None:
        self.reads += 1
        return await super().user_for(room_id)


async def test_a_dm_is_the_bot_and_its_recorded_member_only(db: Database) -> None:
    repo = CountingRepository(db)
    await repo.remember(ALICE, "!dm:x")
    members = Members(rooms={"!dm:x": {BOT, ALICE}, "!other:x": {BOT, BOB}})
    rooms = DirectRoomInfo(repo, members)  # type: ignore[arg-type]

    assert await rooms.is_direct("!dm:x")
    assert not await rooms.is_direct("!other:x")  # two people, but not recorded as a DM
    members.rooms["!dm:x"] = {BOT, ALICE, BOB}
    assert not await rooms.is_direct("!dm:x")  # someone else joined: a group room now
    members.rooms["!dm:x"] = {ALICE, BOB}
    assert not await rooms.is_direct("!dm:x")  # the bot is not in it
    assert not await rooms.is_direct("!unknown:x")  # not synced yet


async def test_a_group_room_is_decided_without_reading_the_database(db: Database) -> None:
    repo = CountingRepository(db)
    await repo.remember(ALICE, "!dm:x")
    members = Members(rooms={"!group:x": {BOT, ALICE, BOB}, "!dm:x": {BOT, ALICE}})
    rooms = DirectRoomInfo(repo, members)  # type: ignore[arg-type]

    assert not await rooms.is_direct("!group:x")
    assert repo.reads == 0
    assert await rooms.is_direct("!dm:x")
    assert repo.reads == 1


async def test_a_dm_whose_history_its_member_opened_is_no_dm(db: Database) -> None:
    """REVIEW-10 R2: the member set the DM's history back to "shared" (or "world_readable"):
    whoever they invite next reads what the bot sends from then on. Not a DM for the bot
    until it is "invited" or "joined" again."""
    repo = DirectRoomRepository(db)
    await repo.remember(ALICE, "!dm:x")
    members = Members(rooms={"!dm:x": {BOT, ALICE}})
    rooms = DirectRoomInfo(repo, members)  # type: ignore[arg-type]
    for visibility, private in [
        ("invited", True),
        ("shared", False),
        ("world_readable", False),
        ("joined", True),
    ]:
        members.visibility["!dm:x"] = visibility
        assert await rooms.partner("!dm:x") == (ALICE if private else None), visibility


async def test_a_dm_kept_when_another_took_its_place_stays_the_members(db: Database) -> None:
    """REVIEW-12 F5: the DM whose history the member opened, kept (``keep_former``) when the
    bot records a DM of its own for them, is still their conversation with the bot and their
    DM again once closed; one replaced without it is no one's. Recorded as their DM again, it
    is kept no more (only the DM now is listed once)."""
    repo = DirectRoomRepository(db)
    await repo.remember(ALICE, "!opened:x")
    await repo.remember(ALICE, "!bots:x", keep_former=True)
    await repo.remember(BOB, "!old:x")
    await repo.remember(BOB, "!new:x")
    members = Members(
        rooms={r: {BOT, u} for r, u in [("!opened:x", ALICE), ("!old:x", BOB), ("!new:x", BOB)]},
        visibility={"!opened:x": "shared"},
    )
    rooms = DirectRoomInfo(repo, members)  # type: ignore[arg-type]

    assert await rooms.history_opened("!opened:x") == ALICE
    members.visibility["!opened:x"] = "invited"
    assert await rooms.partner("!opened:x") == ALICE
    assert await repo.room_for(ALICE) == "!bots:x"  # direct messages go to the bot's DM
    assert await rooms.partner("!old:x") is None and await rooms.partner("!new:x") == BOB
    assert await repo.former_rooms(ALICE) == ["!opened:x"] and await repo.former_rooms(BOB) == []
    await repo.remember(ALICE, "!opened:x", keep_former=True)
    assert await repo.former_rooms(ALICE) == ["!bots:x"]
