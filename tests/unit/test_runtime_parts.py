"""Small runtime parts: reply fallback, permissions (room v12), back-off, throttle, registry."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bot.backoff import Backoff
from bot.config import AccessConfig
from bot.errors import UsageError
from bot.events import is_command_text, strip_reply_fallback
from bot.permissions import Permissions
from bot.registry import Arg, Registry, command, fold
from bot.throttle import Throttle, Verdict


def test_strip_reply_fallback() -> None:
    assert strip_reply_fallback("> <@a:x> !hilfe\n> more\n\n!status") == "!status"
    assert strip_reply_fallback("!hilfe") == "!hilfe"
    assert strip_reply_fallback("> only a quote") == ""


def test_command_text() -> None:
    assert is_command_text("!hilfe", "!")
    assert not is_command_text("! hilfe", "!") and not is_command_text("!", "!")


class State:
    def __init__(self, events: dict[str, dict[str, Any]]) -> None:
        self.events = events

    async def get_state_event(self, room_id: str, event_type: str, state_key: str = "") -> Any:
        return self.events.get(event_type)


def access(**kw: Any) -> AccessConfig:
    return AccessConfig(coordination_room="!coord", **kw)


async def test_v12_creators_have_unlimited_power() -> None:
    state = State(
        {
            "m.room.create": {
                "sender": "@creator:x",
                "content": {"room_version": "12", "additional_creators": ["@co:x"]},
            },
            "m.room.power_levels": {"content": {"users": {"@mod:x": 50}, "users_default": 0}},
        }
    )
    perms = Permissions(access(), state)
    assert await perms.is_coordinator("@creator:x")
    assert await perms.is_coordinator("@co:x")
    assert await perms.is_coordinator("@mod:x")
    assert not await perms.is_coordinator("@member:x")


async def test_pre_v12_creator_needs_power_level() -> None:
    state = State(
        {
            "m.room.create": {"sender": "@creator:x", "content": {"room_version": "10"}},
            "m.room.power_levels": {"content": {"users": {"@creator:x": 0}}},
        }
    )
    assert not await Permissions(access(), state).is_coordinator("@creator:x")


async def test_configured_coordinator_without_room() -> None:
    perms = Permissions(AccessConfig(coordinators=("@alice:x",)), State({}))
    assert await perms.is_coordinator("@alice:x")
    assert not await perms.is_coordinator("@bob:x")


def test_backoff_doubles_to_cap_with_jitter() -> None:
    backoff = Backoff(first=1, cap=300, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(12)]
    assert delays[0] == 1
    assert all(d > 0.4 for d in delays)
    assert max(delays) <= 300 and delays[-1] >= 150
    backoff.reset()
    assert backoff.next_delay() == 1


def test_throttle_window_slides() -> None:
    throttle = Throttle(limit=2, window_seconds=10)
    verdicts = [throttle.check("@a:x", t) for t in (0, 1, 2, 3, 11, 12)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN, Verdict.DROP,
                        Verdict.ALLOW, Verdict.ALLOW]  # fmt: skip


def test_fold_names() -> None:
    assert fold("Löschen") == fold("loeschen") == "loeschen"
    assert fold("Straße") == "strasse"


def test_registry_rejects_duplicate_names() -> None:
    @command("a", aliases=["b"], help="x", help_en="x")
    async def one(ctx: Any) -> None: ...

    @command("b", help="x", help_en="x")
    async def two(ctx: Any) -> None: ...

    registry = Registry([one.__command__])  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="declared twice"):
        registry.add(two.__command__)  # type: ignore[attr-defined]


def test_argument_parsing_quotes_and_rest() -> None:
    @command("x", help="x", help_en="x", args=[Arg("name"), Arg("text", rest=True)])
    async def x(ctx: Any, name: str, text: str) -> None: ...

    spec = x.__command__  # type: ignore[attr-defined]
    assert spec.parse('"Workshop A" bitte  mit  Leerzeichen', "de") == {
        "name": "Workshop A",
        "text": "bitte  mit  Leerzeichen",
    }
    with pytest.raises(UsageError, match="nicht geschlossen"):
        spec.parse('"offen', "de")


def test_throttle_forgets_idle_senders() -> None:
    throttle = Throttle(limit=1, window_seconds=10)
    for n in range(1005):
        throttle.check(f"@m{n}:x", 0)
    throttle.check("@late:x", 100)  # everyone else is idle by now
    assert len(throttle._senders) == 1


async def test_an_event_whose_handling_failed_is_handled_on_retry() -> None:
    """The sync batch is retried after a failure; the event must not count as seen."""
    from types import SimpleNamespace

    from nio import RoomMessageText

    from bot.dispatch import Dispatcher

    handled: list[str] = []
    fail_once = [True]

    class Router:
        async def handle(self, message: Any) -> None:
            if fail_once.pop() if fail_once else False:
                raise RuntimeError("database is locked")
            handled.append(message.event_id)

    class State:
        async def joined_ts(self, room_id: str) -> None:
            return None

    event = RoomMessageText.from_dict(
        {
            "event_id": "$e1",
            "sender": "@a:x",
            "origin_server_ts": 1,
            "type": "m.room.message",
            "content": {"msgtype": "m.text", "body": "!hilfe"},
        }
    )
    dispatcher = Dispatcher(
        SimpleNamespace(), Router(), State(), SimpleNamespace(), (), SimpleNamespace()
    )  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        await dispatcher._handle_room("!r:x", [event])
    await dispatcher._handle_room("!r:x", [event])  # the retried batch
    await dispatcher._handle_room("!r:x", [event])  # and a duplicate delivery
    assert handled == ["$e1"]
