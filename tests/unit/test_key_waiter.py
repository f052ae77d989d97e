"""KeyWaiter on a real database: held events are retried after each batch, and the table is
not read when nothing is held."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

from bot.decryption import KeyWaiter
from tests.fakes import BOB, ROOM, make_harness


class KeyClient:
    """Decrypts an event once its session's key has 'arrived'."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.requests = 0

    def try_decrypt(self, room_id: str, source: dict[str, Any]) -> Any:
        session = source["content"]["session_id"]
        return types.SimpleNamespace(event_id=source["event_id"]) if session in self.keys else None

    async def request_room_key(self, event: Any) -> None:
        self.requests += 1


def megolm(event_id: str, session: str) -> Any:
    source = {"event_id": event_id, "sender": BOB, "content": {"session_id": session}}
    return types.SimpleNamespace(event_id=event_id, sender=BOB, session_id=session, source=source)


async def test_an_event_held_after_an_empty_retry_is_still_retried(tmp_path: Path) -> None:
    h = await make_harness(tmp_path)
    client = KeyClient()
    waiter = KeyWaiter(client, h.db, h.clock, 600.0, "de", h.services.poster)  # type: ignore[arg-type]
    handled: list[str] = []

    async def handle(room_id: str, event: Any) -> None:
        handled.append(event.event_id)

    await waiter.retry(handle)  # nothing held: from now on the table is not read
    assert await waiter.seconds_until_next_deadline() is None
    await waiter.hold(ROOM, megolm("$late", "s1"))
    assert await waiter.seconds_until_next_deadline() == 600.0
    await waiter.retry(handle)
    assert handled == []  # no key yet
    client.keys.add("s1")
    await waiter.retry(handle)
    assert handled == ["$late"]
    assert await waiter.seconds_until_next_deadline() is None
    h.services.jobs.scheduler.shutdown(wait=False)
    await h.db.close()
