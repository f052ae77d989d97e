"""The bot's capabilities, one class per module; ``build_capabilities`` makes the set.

The app and the tests build the same set with the same function. A capability that builds on
another receives it in its ``__init__`` (explicit, no lookups by name).
"""

from __future__ import annotations

from bot.feature import Capability
from bot.registry import Registry
from bot.services import Services
from commands.help import Help
from commands.plenum import Plenum
from commands.privacy import Privacy
from commands.reminders import Reminders
from commands.status import Status
from commands.summaries import Summaries
from commands.topics import Topics

# Every capability class, in the order their commands are listed in help.
CAPABILITY_CLASSES: tuple[type[Capability], ...] = (
    Help,
    Topics,
    Plenum,
    Reminders,
    Summaries,
    Privacy,
    Status,
)


def build_capabilities(services: Services) -> list[Capability]:
    """Create every capability, fill ``services.registry`` and ``services.capabilities``."""
    plenum = Plenum(services)
    reminders = Reminders(services, plenum)
    capabilities: list[Capability] = [
        Help(services),
        Topics(services, plenum),
        plenum,
        reminders,
        Summaries(services, plenum, reminders),
        Privacy(services),
        Status(services),
    ]
    services.capabilities = capabilities
    services.registry = Registry.from_capabilities(capabilities)
    return capabilities


def command_registry() -> Registry:
    """All commands without a running bot (README and guide checks, documentation)."""
    return Registry.from_capabilities(CAPABILITY_CLASSES)
