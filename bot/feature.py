"""What a capability module adds besides its commands, returned by its ``setup(services)``.

A command module may define ``async def setup(services) -> Feature`` to create its state
(e.g. the answer engine) and to hook into messages that are not commands, reactions and the
personal-data export. bot/app.py calls it once at start.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.router import MessageHandler, ReactionHandler, RedactionHandler


@dataclass
class Feature:
    message_handlers: list[MessageHandler] = field(default_factory=list)
    reaction_handlers: list[ReactionHandler] = field(default_factory=list)
    redaction_handlers: list[RedactionHandler] = field(default_factory=list)
    personal_data: list[Callable[[str], Awaitable[dict[str, Any]]]] = field(default_factory=list)
