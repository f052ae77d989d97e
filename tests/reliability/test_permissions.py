"""Every coordinator command × where it is sent × who sends it, from the registry itself.

New coordinator commands are covered automatically: the table iterates the registry that
``build_capabilities`` fills. Beyond allowed/refused, no output that a non-coordinator can read
may name a member whose data the command shows (user id or name of an attendee or asker).
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.events import IncomingMessage
from bot.i18n import tr
from bot.registry import CommandSpec, Permission, Where
from commands import build_capabilities, command_registry
from tests.fakes import ALICE, BOB, COORD_ROOM, ROOM, Harness, make_harness
from tests.reliability.safety import command_answers
from tests.reliability.world import DM_BOB, EVENT, WORKSHOP, world_config

pytestmark = pytest.mark.reliability

CAROL = "@carol-secret:example.org"  # the member whose data must not leak
DM_CAROL = "!dm-carol:example.org"
SECRETS = (CAROL, "carol-secret", "Geheimfrage", "Geheim-Amt")


@dataclass(frozen=True)
class Place:
    label: str
    sender: str
    room_id: str
    where: Where
    coordinator: bool


PLACES = (
    Place("member in public room", BOB, ROOM, Where.ROOM, False),
    Place("member in DM", BOB, DM_BOB, Where.DM, False),
    Place("coordinator in public room", ALICE, ROOM, Where.ROOM, True),
    Place("coordinator in coordination room", ALICE, COORD_ROOM, Where.COORDINATION, True),
)
REFUSALS = {
    tr("de", key)
    for key in (
        "coordinators_only",
        "where_room",
        "where_dm",
        "where_coordination",
        "where_coordination_or_dm",
    )
}
COORDINATOR_COMMANDS = [s for s in command_registry() if s.permission is Permission.COORDINATOR]


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world with Carol's data, built once (indexing the knowledge base is the slow part);
    each test starts from a copy."""
    folder = tmp_path_factory.mktemp("seeded-world")

    async def build() -> None:
        harness = await make_harness(
            folder, config=world_config(folder), capabilities=build_capabilities
        )
        harness.rooms.direct.update({DM_BOB, DM_CAROL})
        try:
            await seed_personal_data(harness)
        finally:
            harness.services.jobs.scheduler.shutdown(wait=False)
            await harness.db.close()

    asyncio.run(build())
    return world_config(folder).bot.database_path


@pytest.fixture
async def h(tmp_path, harness_factory, seeded_database: Path) -> Harness:  # type: ignore[no-untyped-def]
    config = world_config(tmp_path)
    config.bot.database_path.parent.mkdir(parents=True)
    shutil.copy(seeded_database, config.bot.database_path)
    harness = await harness_factory(config=config, capabilities=build_capabilities)
    harness.rooms.direct.update({DM_BOB, DM_CAROL})
    return harness


async def seed_personal_data(h: Harness) -> None:
    """Carol's data in every capability that stores some, entered the way members do."""
    # An open question (asked in her DM, so answering it goes back to her DM only).
    await h.send("Geheimfrage: Wie heißt der Hund des Landrats?", sender=CAROL, room_id=DM_CAROL)
    # A registration with her organisation, and a workshop place.
    await h.send(f"!anmelden {EVENT} {WORKSHOP} ; Geheim-Amt", sender=CAROL, room_id=DM_CAROL)
    data = await next(c for c in h.services.capabilities if c.name == "privacy").collect(CAROL)  # type: ignore[attr-defined]
    assert data["plenum_registrations"] and data["unanswered_questions"], "seeding failed"


async def carols_question(h: Harness) -> str:
    topics = next(c for c in h.services.capabilities if c.name == "topics")
    (question,) = [q for q in await topics.engine.store.unanswered() if q.user_id == CAROL]  # type: ignore[attr-defined]
    return question.id


def readable_by_non_coordinators(row: Any) -> bool:
    if row["user_id"] is not None:
        return row["user_id"] not in {ALICE, CAROL}  # a DM: the coordinator, or Carol herself
    return row["room_id"] in {ROOM, DM_BOB}


async def run(h: Harness, text: str, place: Place) -> tuple[IncomingMessage, list[Any]]:
    before = len(await h.rows())
    msg = await h.send(text, sender=place.sender, room_id=place.room_id)
    return msg, (await h.rows())[before:]


def argument_variants(spec: CommandSpec, open_id: str) -> list[str]:
    """No arguments (usage), and the arguments filled with seeded identifiers: an open
    question, the event (and Carol as the person), a workshop, so the command really runs."""
    if not spec.args:
        return [""]
    pools = (
        [open_id, "Antwort"],
        [EVENT, CAROL, "Text"],
        [f"{EVENT}/{WORKSHOP}", CAROL, "Text"],
    )
    variants = [""]
    for pool in pools:
        values = [pool[min(index, len(pool) - 1)] for index in range(len(spec.args))]
        variants.append(" ".join(values))
    return variants


def test_the_table_is_not_empty() -> None:
    """If this fails the registry lost its coordinator commands and the table tests nothing."""
    assert {"status", "antworten", "offene-fragen"} <= {s.name for s in COORDINATOR_COMMANDS}


@pytest.mark.parametrize("spec", COORDINATOR_COMMANDS, ids=lambda s: s.name)
async def test_coordinator_command_permissions(h: Harness, spec: CommandSpec) -> None:
    open_id = await carols_question(h)
    for place in PLACES:
        allowed = place.coordinator and place.where in spec.where
        for args in argument_variants(spec, open_id):
            text = f"!{spec.name} {args}".strip()
            msg, rows = await run(h, text, place)
            case = f"{text!r} by {place.label}"
            replies = command_answers(rows, msg.event_id, place.room_id)
            assert len(replies) == 1, case
            body = replies[0]["body"]
            if not place.coordinator:
                expected = tr("de", "coordinators_only")
                if spec.hidden:
                    assert body.startswith("Unbekannter Befehl"), case
                else:
                    assert body == expected, case
                assert len(rows) == 1, f"{case}: a refused command produced more output"
            elif not allowed:
                assert body in REFUSALS, case
                assert len(rows) == 1, case
            else:
                assert body not in REFUSALS, case
            for out in rows:
                if readable_by_non_coordinators(out):
                    leaked = [s for s in SECRETS if s.casefold() in out["content"].casefold()]
                    assert not leaked, f"{case} shows {leaked} where members read"


async def test_member_commands_in_public_rooms_show_no_one_elses_data(h: Harness) -> None:
    for spec in command_registry():
        if spec.permission is not Permission.MEMBER:
            continue
        for args in argument_variants(spec, "1"):
            for place in (PLACES[0], PLACES[2]):
                _, rows = await run(h, f"!{spec.name} {args}".strip(), place)
                for out in rows:
                    if readable_by_non_coordinators(out):
                        assert not [s for s in SECRETS if s.casefold() in out["content"].casefold()]
