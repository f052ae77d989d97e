"""One shape for a capability (maubot's plugin shape): a class per ``commands/<name>.py``.

A capability receives its collaborators in ``__init__`` (``Services``, and other capabilities
it builds on), keeps its state on ``self``, declares its chat commands as ``@command``-decorated
methods (found by scanning the instance), and overrides the hooks it needs:

- ``start()`` / ``stop()``: e.g. load data, rebuild scheduled jobs from the database;
- ``on_message(ctx)``: a message that is not a command (return True if taken);
- ``on_reaction`` / ``on_redaction`` / ``on_poll_response``: recorded exactly once; answers go
  out through ``services.poster``; a failure is undone and the member told its reference;
- ``personal_data(user_id)`` / ``delete_personal_data(user_id)``: for !meine-daten and erasure.

Hooks run inside the router's transaction where one is open, so their writes commit together
with the event's "handled" mark and replies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.context import CommandContext
    from bot.events import IncomingPollResponse, IncomingReaction, IncomingRedaction
    from bot.services import Services


class Capability:
    name: str = ""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def start(self) -> None:
        """After the database is open and before the first sync (jobs may be added here)."""

    async def stop(self) -> None:
        """On shutdown, before the database closes."""

    async def on_message(self, ctx: CommandContext) -> bool:
        return False

    async def on_reaction(self, reaction: IncomingReaction) -> None:
        return None

    async def on_redaction(self, redaction: IncomingRedaction) -> None:
        return None

    async def on_poll_response(self, vote: IncomingPollResponse) -> None:
        """A vote in a native Matrix poll (also one cast while the bot was down)."""
        return None

    async def personal_data(self, user_id: str) -> dict[str, Any]:
        return {}

    async def delete_personal_data(self, user_id: str) -> int:
        """Erase what this capability stores about ``user_id``; returns the number of records."""
        return 0
