"""KeyWaiter on a real database: held events are retried after each batch, and the table is
not read when nothing is held."""

from __future__ import annotations

import types
from typing import Any

from bot.decryption import KeyWaiter
from tests.fakes import BOB, ROOM


class KeyClient:
    """Decrypts an event once its session's key has 'arrived'."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def try_decrypt(self, room_id: str, source: dict[str, Any]) -> Any:
        session = source["content"]["session_id"]
        return types.SimpleNamespace(event_id=source["event_id"]) if session in self.keys else None

    async def request_room_key(self, event: Any) -> None:
        pass


def megolm(event_id: str, session: str) -> Any:
    source = {"event_id": event_id, "sender": BOB, "content": {"session_id": session}}
    return types.SimpleNamespace(event_id=event_id, sender=BOB, session_id=session, source=source)


async def make_waiter(harness_factory) -> tuple[KeyWaiter, KeyClient, list[str], list[int]]:  # type: ignore[no-untyped-def]
    h = await harness_factory()
    client = KeyClient()
    waiter = KeyWaiter(client, h.db, h.clock, 600.0, "de", h.services.poster)  # type: ignore[arg-type]
    reads: list[int] = []
    held = waiter.repo.held

    async def counted() -> Any:
        reads.append(1)
        return await held()

    waiter.repo.held = counted  # type: ignore[method-assign]
    return waiter, client, [], reads


async def test_an_event_held_after_an_empty_retry_is_still_retried(harness_factory) -> None:
    waiter, client, handled, _ = await make_waiter(harness_factory)

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


async def test_with_nothing_held_the_table_is_read_once_not_after_every_batch(
    harness_factory,
) -> None:
    waiter, _, handled, reads = await make_waiter(harness_factory)

    async def handle(room_id: str, event: Any) -> None:
        handled.append(event.event_id)

    for _ in range(5):
        await waiter.retry(handle)
    assert len(reads) == 1


async def test_an_event_held_while_a_retry_reads_is_not_forgotten(harness_factory) -> None:
    """hold() during retry()'s read of an empty table: the retry must not conclude that
    nothing is held."""
    waiter, client, handled, _ = await make_waiter(harness_factory)
    read = waiter.repo.held

    async def read_then_hold() -> Any:
        rows = await read()
        waiter.repo.held = read  # type: ignore[method-assign]
        await waiter.hold(ROOM, megolm("$meanwhile", "s2"))
        return rows

    async def handle(room_id: str, event: Any) -> None:
        handled.append(event.event_id)

    waiter.repo.held = read_then_hold  # type: ignore[method-assign]
    await waiter.retry(handle)
    client.keys.add("s2")
    await waiter.retry(handle)
    assert handled == ["$meanwhile"]
