"""A fresh bot process's first commands, watched for imports inside a database transaction
(REVIEW-10 N1; run by tests/unit/test_lazy_imports.py in a new interpreter, so that nothing
the test session imported before hides an import).

Prints JSON: the modules imported while a transaction was open, and which of the modules
loaded on first use (bot/lazy.py) the commands needed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

from commands import build_capabilities
from storage import database
from tests.fakes import ALICE, BOB, make_config, make_harness

LAZY = ("icalendar", "holidays.countries.germany")
DM = "!dm-scenario:example.org"

inside: list[str] = []
watching = False


def watch(event: str, args: tuple[object, ...]) -> None:
    if watching and event == "import" and database.transaction_open():
        inside.append(str(args[0]))
        if "-v" in sys.argv:  # where: python -m tests.lazy_imports_scenario -v
            import traceback

            traceback.print_stack(file=sys.stderr)


async def main() -> None:
    global watching
    with tempfile.TemporaryDirectory() as tmp:
        config = make_config(Path(tmp), bot={"holidays": "HB"})
        h = await make_harness(Path(tmp), config=config, capabilities=build_capabilities)
        h.rooms.direct.add(DM)
        before = {name for name in LAZY if name in sys.modules}
        sys.addaudithook(watch)
        watching = True
        try:
            await h.send(
                '!veranstaltung-neu n1-2027 titel="Plenum" beginn="28.01.2027 09:30" ende=16:00',
                sender=ALICE,
                room_id=DM,
            )
            await h.send("!anmelden n1-2027", sender=BOB)  # the .ics: icalendar
            await h.send("!erinnerung werktags 7:45; Frühbesprechung", sender=ALICE)  # holidays
            await h.send("!erinnerungen", sender=ALICE)
            await h.send("Was ist eine Leitweg-ID?", sender=BOB, room_id=DM)  # the answer engine
        finally:
            watching = False
        replies = [reply.get("body", "") for reply in await h.replies()]
        await h.db.close()
    print(
        json.dumps(
            {
                "inside": sorted(set(inside)),
                "loaded_before": sorted(before),
                "loaded": [name for name in LAZY if name in sys.modules],
                "replies": replies,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
