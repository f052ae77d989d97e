"""Which room is a member's DM: the one check behind ``ctx.is_dm`` (router) and behind
sending a private reply (outbox sender), so both always agree."""

from __future__ import annotations

from typing import Protocol

from storage.direct_rooms import DirectRoomRepository

# History visibilities under which someone who joins later cannot read what was sent before
# (``invited``: from their invite on; ``joined``: from their join on). Synapse judges each
# event by the setting when it was sent.
CLOSED_HISTORY = frozenset({"invited", "joined"})


class RoomMembers(Protocol):
    @property
    def user_id(self) -> str: ...

    def joined_members(self, room_id: str) -> set[str] | None: ...

    def history_visibility(self, room_id: str) -> str | None: ...


class DirectRoomInfo:
    """A room is a DM while the bot and exactly one other person are joined (or invited), it
    was opened as a DM (``is_direct`` invite, or created by the bot) with that person, and its
    history is closed to later members (``invited`` or ``joined``).

    Re-checked on every message and again before a private reply is sent: a DM someone else
    joined (or was invited to) is a group room from then on, so coordinator views and personal
    data never show up where others read. So is a DM whose member opened its history again
    (e.g. to "shared", REVIEW-10 R2): whoever they invite next would read everything the bot
    sends from then on. The bot does not set it back (the member chose it; a tug of war over
    their room helps nobody): personal data goes to a DM of the bot's own instead.
    """

    def __init__(self, repo: DirectRoomRepository, client: RoomMembers) -> None:
        self.repo = repo
        self.client = client

    async def is_direct(self, room_id: str) -> bool:
        return await self.partner(room_id) is not None

    async def partner(self, room_id: str) -> str | None:
        """The member this room is the DM with, as of the last sync; None if it is none."""
        if self.client.history_visibility(room_id) not in CLOSED_HISTORY:
            return None
        return await self._recorded_partner(room_id)

    async def history_opened(self, room_id: str) -> str | None:
        """The member of a recorded DM (the bot and they alone) whose history is open to
        later members (REVIEW-12 F5): no DM for personal data, but still a conversation with
        the bot alone, so every message there is for the bot (answers to questions hold no
        personal data). None for any other room."""
        if self.client.history_visibility(room_id) in CLOSED_HISTORY:
            return None
        return await self._recorded_partner(room_id)

    async def record(self, user_id: str, room_id: str) -> None:
        """``room_id`` is the member's DM from now on. Their DM so far stays theirs if they
        opened its history (``history_opened``): the bot told them there that it goes on
        answering their questions in it (REVIEW-12 F5, REVIEW-13 F9)."""
        known = await self.repo.room_for(user_id)
        keep = known not in (None, room_id) and await self.history_opened(known) == user_id
        await self.repo.remember(user_id, room_id, keep_former=keep)

    async def _recorded_partner(self, room_id: str) -> str | None:
        members = self.client.joined_members(room_id)
        if members is None or len(members) != 2 or self.client.user_id not in members:
            return None  # decided without the read: a group room's commands skip a round trip
        partner = await self.repo.user_for(room_id)
        if partner is None or members != {self.client.user_id, partner}:
            return None
        return partner
