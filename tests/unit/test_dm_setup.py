"""A DM a member opened is set up once, even across homeserver errors and crashes: history
restricted to invitees, then recorded as the member's DM (bot/dispatch.py, REVIEW-10 D1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nio import InviteMemberEvent

from bot.clock import FakeClock
from bot.dispatch import Dispatcher
from bot.matrix import MatrixError, MatrixUnavailable
from bot.posting import Poster
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository

MEMBER = "@member:x"
DM = "!dm:x"


class ScriptedClient:
    """Answers the history request with the next scripted error (None: success)."""

    user_id = "@bot:x"

    def __init__(self, *history_errors: Exception | None, crash_after_join: bool = False) -> None:
        self.history_errors = list(history_errors)
        self.crash_after_join = crash_after_join
        self.calls: list[str] = []
        # The rooms as of the last sync: every room the bot and the member alone, the history
        # visibility per room ("invited" unless set).
        self.visibility: dict[str, str] = {}

    async def join(self, room_id: str) -> None:
        self.calls.append("join")
        if self.crash_after_join:
            raise SystemExit("killed after the join")

    async def leave(self, room_id: str) -> None:
        self.calls.append("leave")

    async def hide_history_before_invite(self, room_id: str) -> None:
        self.calls.append("history")
        error = self.history_errors.pop(0) if self.history_errors else None
        if error is not None:
            raise error

    async def record_direct(self, user_id: str, room_id: str) -> None:
        self.calls.append("m.direct")

    def joined_members(self, room_id: str) -> set[str]:
        return {self.user_id, MEMBER}

    def history_visibility(self, room_id: str) -> str:
        return self.visibility.get(room_id, "invited")


def dm_invite() -> list[Any]:
    return [
        InviteMemberEvent.from_dict(
            {
                "type": "m.room.member",
                "sender": MEMBER,
                "state_key": "@bot:x",
                "content": {"membership": "invite", "is_direct": True},
            }
        )
    ]


def dispatcher(client: ScriptedClient, db: Database) -> Dispatcher:
    poster = Poster(db, FakeClock())
    return Dispatcher(client, None, None, DirectRoomRepository(db), ("@*:x",), None, poster=poster)  # type: ignore[arg-type]


async def queued(db: Database) -> list[tuple[str, str]]:
    rows = await db.fetchall("SELECT room_id, user_id, content FROM outbox ORDER BY id")
    return [(r["room_id"] or r["user_id"], json.loads(r["content"])["body"]) for r in rows]


@pytest.mark.parametrize(
    "transient",
    [
        MatrixUnavailable("HTTP 502: Bad Gateway"),
        MatrixError("M_LIMIT_EXCEEDED", "Too many requests", 429, 2000),
        MatrixError("M_UNKNOWN", "Internal server error", 500),
    ],
)
async def test_transient_error_is_retried_with_the_next_batch(
    db: Database, transient: Exception
) -> None:
    client = ScriptedClient(transient, None)
    d = dispatcher(client, db)
    repo = DirectRoomRepository(db)
    await d._handle_invite(DM, dm_invite())
    assert await repo.user_for(DM) is None  # not private yet: no personal data there
    assert await repo.pending_setups() == [(DM, MEMBER)]
    await d._finish_dm_setups()  # what the next batch does
    assert client.calls == ["join", "history", "history", "m.direct"]
    assert await repo.user_for(DM) == MEMBER
    assert await repo.pending_setups() == []
    assert await queued(db) == []  # nothing to explain when it worked
    await d._finish_dm_setups()
    assert client.calls.count("history") == 2  # done: not asked again


async def test_forbidden_gives_up_for_good(db: Database) -> None:
    client = ScriptedClient(MatrixError("M_FORBIDDEN", "no power", 403))
    d = dispatcher(client, db)
    repo = DirectRoomRepository(db)
    await d._handle_invite(DM, dm_invite())
    await d._finish_dm_setups()
    assert client.calls == ["join", "history"]
    assert await repo.user_for(DM) is None
    assert await repo.pending_setups() == []
    # The member learns why (once, in that room) instead of wondering where confirmations go.
    # ... and the DM it names is opened at once (its first message), so it exists.
    [(room, body), (direct_to, opened)] = await queued(db)
    assert room == DM and "eigenen Direktchat" in body
    assert direct_to == MEMBER and "Ihr Direktchat" in opened
    await d._give_up_dm_setup(DM, MEMBER)  # a crash before the commit would run it again
    assert len(await queued(db)) == 2


async def test_crash_after_the_join_is_finished_at_the_next_start(db: Database) -> None:
    with pytest.raises(SystemExit):
        await dispatcher(ScriptedClient(crash_after_join=True), db)._handle_invite(DM, dm_invite())
    # The invite is never delivered again (the bot is joined); the next process finishes it.
    restarted = ScriptedClient()
    await dispatcher(restarted, db)._finish_dm_setups()
    assert restarted.calls == ["history", "m.direct"]
    assert await DirectRoomRepository(db).user_for(DM) == MEMBER


@pytest.mark.parametrize("opened", [True, False])
async def test_a_new_dm_keeps_the_one_whose_history_the_member_opened(
    db: Database, opened: bool
) -> None:
    """The member opened the history of their DM, then opened a new DM themselves: the old
    room stays theirs (questions there are still answered, as the bot told them); a DM with
    closed history is simply replaced (REVIEW-12 F4)."""
    repo = DirectRoomRepository(db)
    await repo.remember(MEMBER, "!old:x")
    client = ScriptedClient(None)
    client.visibility = {"!old:x": "shared" if opened else "invited"}
    d = dispatcher(client, db)
    await d._handle_invite(DM, dm_invite())
    assert await repo.room_for(MEMBER) == DM
    assert await repo.former_rooms(MEMBER) == (["!old:x"] if opened else [])
    assert await repo.user_for("!old:x") == (MEMBER if opened else None)
