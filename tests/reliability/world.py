"""The world the unit-level reliability tests run in: every capability, a coordination room,
DMs, and a configured event with workshops, so hostile input reaches registrations and notes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.config import Config, parse_config
from bot.synapse_local import LocalSynapse
from tests.conftest import TEST_PASSWORD
from tests.fakes import ALICE, BOT, COORD_ROOM
from tests.integration.conftest import BotAccount

EVENT = "plenum-2027"
WORKSHOP = "e-rechnung"
DM_BOB = "!dm-bob:example.org"

# FakeClock starts 2026-01-29; the event lies a year later. Small capacities: hostile input
# also meets the waiting lists.
EVENTS: list[dict[str, Any]] = [
    {
        "key": EVENT,
        "title": "Plenum der ViR-Nordwest",
        "starts": "2027-01-28T09:30",
        "ends": "2027-01-28T16:00",
        "location": "Weser Tower, Bremen",
        "capacity": 3,
        "workshops": [
            {"key": WORKSHOP, "title": "Elektronische Rechnung", "capacity": 1},
            {"key": "ozg", "title": "Onlinezugangsgesetz", "capacity": 2},
        ],
    }
]

# Arguments that mean something to the commands (so generated input often gets past parsing).
MEANINGFUL = [
    EVENT,
    WORKSHOP,
    "ozg",
    f"{EVENT}/{WORKSHOP}",
    ";",
    "; Stadt Bremen",
    "alle",
    "1",
    "in 10 Minuten;",
    "morgen 9 Uhr;",
    "jeden Montag 9 Uhr;",
    "31.02.2027 9 Uhr;",
    'titel=X beginn="10.03.2027 09:30" ende=16:00',
]


def world_config(tmp_path: Path, **bot: Any) -> Config:
    data: dict[str, Any] = {
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": BOT, "password": "x"},
        # No throttle: these tests send many messages from few senders; the flood test has it.
        "bot": {"data_dir": str(tmp_path / "data"), "throttle_commands": 1_000_000, **bot},
        "access": {
            "coordinators": [ALICE],
            "coordination_room": COORD_ROOM,
            "invite_from": ["@*:example.org"],
        },
        "events": EVENTS,
    }
    return parse_config(data, base_dir=tmp_path)


def write_bot_config(
    path: Path,
    synapse: LocalSynapse,
    account: BotAccount,
    extra: str = "",
    coordinators: tuple[str, ...] = (),
    coordination_room: str | None = None,
) -> Path:
    """A config.toml for ``vir-bot run|backup`` as a process; ``extra`` is appended TOML
    (further [bot] keys first, then tables such as [[events]])."""
    room = f'coordination_room = "{coordination_room}"\n' if coordination_room else ""
    path.write_text(
        f"""
[matrix]
homeserver = "{synapse.url}"
user_id = "{account.user_id}"
password = "{TEST_PASSWORD}"
pickle_key = "test-pickle-key"
[access]
invite_from = ["@member-*:{synapse.server_name}"]
coordinators = {json.dumps(list(coordinators))}
{room}[outbox]
messages_per_second = 1000
burst = 1000
[bot]
data_dir = "{account.data_dir}"
{extra}""",
        encoding="utf-8",
    )
    return path
