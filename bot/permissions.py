"""Who is a coordinator: listed in config, or power level >= 50 in the coordination room.

Checked at command time from the room's current state. Room version 12 gives the room's
creators (the create event's sender and ``additional_creators``) unlimited power without
listing them in m.room.power_levels, which nio's get_user_level does not know.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.config import AccessConfig

COORDINATOR_LEVEL = 50
# Room versions before 12 treat creators like everyone else (they are listed in power_levels).
_PRE_V12 = {str(v) for v in range(1, 12)}


class StateReader(Protocol):
    async def get_state_event(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None: ...


def creators(create_content: dict[str, Any], create_sender: str | None) -> set[str]:
    if str(create_content.get("room_version", "1")) in _PRE_V12:
        return set()
    found = set(create_content.get("additional_creators") or [])
    if create_sender:
        found.add(create_sender)
    return found


def power_level(power_levels: dict[str, Any], user_id: str) -> int:
    users = power_levels.get("users") or {}
    try:
        return int(users.get(user_id, power_levels.get("users_default", 0)))
    except (TypeError, ValueError):
        return 0


class Permissions:
    def __init__(self, access: AccessConfig, state: StateReader) -> None:
        self.access = access
        self.state = state

    async def is_coordinator(self, user_id: str) -> bool:
        if user_id in self.access.coordinators:
            return True
        room = self.access.coordination_room
        if not room:
            return False
        create = await self.state.get_state_event(room, "m.room.create")
        if create is not None and user_id in creators(
            create.get("content", {}), create.get("sender")
        ):
            return True
        levels = await self.state.get_state_event(room, "m.room.power_levels")
        if levels is None:
            return False
        return power_level(levels.get("content", {}), user_id) >= COORDINATOR_LEVEL
