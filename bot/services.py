"""The long-lived collaborators a capability may use, created once in bot/app.py (no globals).

Nothing here belongs to a single feature: a capability keeps its own state on ``self`` and
receives the capabilities it builds on in its ``__init__`` (see commands/__init__.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.clock import Clock
from bot.config import Config
from bot.health import Health
from bot.posting import Poster
from bot.registry import Registry
from storage.database import Database
from storage.outbox import OutboxRepository

if TYPE_CHECKING:
    from bot.events import IncomingMessage
    from bot.feature import Capability
    from bot.jobs import Jobs


class RoomAccess(Protocol):
    """What a capability may ask the homeserver outside an event's transaction (the Matrix
    adapter in the app, a fake in unit tests)."""

    async def fetch_message(self, room_id: str, event_id: str) -> IncomingMessage | None: ...

    def room_for_alias(self, alias: str) -> str | None: ...

    def joined_members(self, room_id: str) -> set[str] | None: ...

    async def get_state_event(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None: ...


@dataclass
class Services:
    config: Config
    db: Database
    clock: Clock
    outbox: OutboxRepository
    poster: Poster
    jobs: Jobs
    started_at: datetime
    own_user_id: str = ""
    matrix: RoomAccess | None = None  # None where no homeserver is connected (tools, tests)
    # Filled by commands.build_capabilities: help lists the registry, privacy asks every
    # capability for its personal data.
    registry: Registry = field(default_factory=Registry)
    capabilities: Sequence[Capability] = ()
    health: Health = field(default_factory=Health)  # the sync loop reports outages here
