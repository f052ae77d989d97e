"""ViR-Bot against the floor, on a real homeserver, in one run.

    python -m benchmarks [--quick] [--out DIR] [--keep-dir] [--only recovery,burst]

Starts its own Synapse (bot/synapse_local.py: 127.0.0.1, no rate limits) and measures:

1. round trip of ``!hilfe``, ``!frage``, ``!anmelden`` against a minimal nio echo bot
   (benchmarks/echo_bot.py), interleaved, each bot in its own room (roundtrip.py);
2. a burst of ``!anmelden`` from many members at once against as many pings (burst_register.py);
3. reminder lateness, many reminders due within a short window (reminder_lateness.py);
4. ``ask`` latency on a 500-entry knowledge base (answer_latency.py);
5. recovery after the homeserver was away, both bots (recovery.py);
6. footprint: memory and time to the first handled command with realistic state (footprint.py).

Prints a table, writes ``results.json`` and ``roundtrip.png`` to --out (default: benchmarks/).
Absolute numbers depend on the machine; the ratios within one run are what count. ``--quick``
uses smaller sizes (printed after the table; 20 round trips per kind instead of 100) and
finishes in under 3 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from benchmarks import (
    answer_latency,
    burst_register,
    footprint,
    plenum,
    recovery,
    reminder_lateness,
    reminders,
    roundtrip,
)
from benchmarks.arena import open_arena
from benchmarks.common import ROOT, Bench
from benchmarks.report import Results, chart, table, write_json
from bot.synapse_local import LocalSynapse

log = logging.getLogger("benchmarks")
T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    roundtrip_samples: int
    burst_members: int
    burst_capacity: int
    burst_rooms: int
    burst_rounds: int
    reminders: int
    reminder_rooms: int
    reminder_window_s: float
    ask_entries: int
    ask_questions: int
    outage_s: float
    footprint_rooms: int
    footprint_registrations: int
    footprint_reminders: int


FULL = Sizes(
    roundtrip_samples=100,
    burst_members=200,
    burst_capacity=150,
    burst_rooms=20,
    burst_rounds=5,
    reminders=500,
    reminder_rooms=50,
    reminder_window_s=60,
    ask_entries=500,
    ask_questions=1000,
    outage_s=60,
    footprint_rooms=100,
    footprint_registrations=10_000,
    footprint_reminders=2_000,
)
QUICK = dataclasses.replace(
    FULL,
    roundtrip_samples=20,
    burst_members=30,
    burst_capacity=20,
    burst_rooms=3,
    burst_rounds=1,
    reminders=60,
    reminder_rooms=10,
    reminder_window_s=10,
    outage_s=5,
    footprint_rooms=10,
    footprint_registrations=1_000,
    footprint_reminders=200,
)
# For the smoke test (tests/integration/test_benchmarks.py): every part runs, on tiny sizes.
TINY = Sizes(
    roundtrip_samples=3,
    burst_members=5,
    burst_capacity=3,
    burst_rooms=2,
    burst_rounds=1,
    reminders=6,
    reminder_rooms=2,
    reminder_window_s=3,
    ask_entries=1,  # the shipped knowledge base only
    ask_questions=30,
    outage_s=1,
    footprint_rooms=2,
    footprint_registrations=20,
    footprint_reminders=10,
)

ROUNDTRIP_EVENT = "bench-rt"
BURST_EVENT = "bench-burst"


def burst_keys(sizes: Sizes) -> list[str]:
    """One event per burst round: the same members register once for each."""
    return [f"{BURST_EVENT}-{i + 1}" for i in range(sizes.burst_rounds)]


PARTS = ("roundtrip", "burst", "reminders", "ask", "recovery", "footprint")


async def _section(
    results: Results,
    name: str,
    work: Callable[[], Awaitable[T]],
    needs: bool = True,
    only: Collection[str] = PARTS,
) -> T | None:
    """Run one part; record why it has no numbers instead of stopping the whole run."""
    if name.replace(" ", "") not in only:
        results.missing[name] = "skipped (--only)"
        return None
    if not needs:
        results.missing[name] = "not available (not in this checkout yet)"
        print(f"- {name}: not available in this checkout", flush=True)
        return None
    print(f"- {name} ...", flush=True)
    t0 = time.perf_counter()
    try:
        value = await work()
    except Exception as exc:
        log.exception("%s failed", name)
        results.missing[name] = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
        print(f"  {name} FAILED after {time.perf_counter() - t0:.0f} s: {exc}", flush=True)
        return None
    print(f"  done in {time.perf_counter() - t0:.0f} s", flush=True)
    return value


async def run(
    sizes: Sizes,
    mode: str,
    synapse: LocalSynapse,
    work_dir: Path,
    only: Collection[str] = PARTS,
) -> Results:
    results = Results(mode=mode)
    registration = plenum.available()
    has_reminders = reminders.available()
    if not registration:
        results.missing["register"] = "not available (no !anmelden in this checkout)"

    results.ask = await _section(
        results,
        "ask",
        lambda: answer_latency.measure(sizes.ask_entries, sizes.ask_questions),
        only=only,
    )

    bench = Bench(synapse, work_dir)
    try:
        if {"roundtrip", "burst", "recovery"} & set(only):
            await _arena_parts(results, bench, sizes, registration, only)
        else:
            for name in ("round trip", "burst", "recovery"):
                results.missing[name] = "skipped (--only)"
    finally:
        await bench.close_all()

    results.reminders = await _section(
        results,
        "reminders",
        lambda: reminder_lateness.measure(
            bench, sizes.reminders, sizes.reminder_rooms, sizes.reminder_window_s
        ),
        needs=has_reminders,
        only=only,
    )
    await bench.close_all()
    try:
        results.footprint = await _section(
            results,
            "footprint",
            lambda: footprint.measure(
                bench,
                sizes.footprint_rooms,
                sizes.footprint_registrations,
                sizes.footprint_reminders,
            ),
            only=only,
        )
    finally:
        await bench.close_all()
    return results


async def _arena_parts(
    results: Results, bench: Bench, sizes: Sizes, registration: bool, only: Collection[str]
) -> None:
    """Round trip, burst and recovery: the two bots side by side (benchmarks/arena.py)."""
    events: list[dict[str, Any]] = []
    if registration:
        events = [
            plenum.event(ROUNDTRIP_EVENT, capacity=10 * sizes.roundtrip_samples),
            *(plenum.event(key, capacity=sizes.burst_capacity) for key in burst_keys(sizes)),
        ]
    arena = await open_arena(bench, events)
    rt_event = ROUNDTRIP_EVENT if registration else None
    results.roundtrip = await _section(
        results,
        "round trip",
        lambda: roundtrip.measure(arena, sizes.roundtrip_samples, rt_event),
        only=only,
    )
    results.burst = await _section(
        results,
        "burst",
        lambda: burst_register.measure(
            arena, sizes.burst_members, sizes.burst_capacity, sizes.burst_rooms, burst_keys(sizes)
        ),
        needs=registration,
        only=only,
    )
    results.recovery = await _section(
        results, "recovery", lambda: recovery.measure(arena, sizes.outage_s), only=only
    )
    synapse = bench.synapse
    if not synapse.running:  # a failed recovery part must not take the rest down
        await asyncio.to_thread(synapse.start)


def run_all(
    sizes: Sizes,
    mode: str,
    out_dir: Path,
    keep_dir: bool = False,
    only: Collection[str] = PARTS,
) -> Results:
    """Start a Synapse of its own, run every part, write results.json and the chart."""
    started = time.perf_counter()
    work_dir = Path(tempfile.mkdtemp(prefix="vir-bench-"))
    synapse = LocalSynapse(work_dir / "synapse")
    try:
        synapse.start()
        results = asyncio.run(run(sizes, mode, synapse, work_dir, only))
    finally:
        synapse.stop()
        if keep_dir:
            print(f"kept {work_dir} (bot logs in its subfolders, Synapse log {synapse.log_path})")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(results, out_dir / "results.json")
    note = chart(results, out_dir / "roundtrip.png")
    print()
    print(table(results))
    print()
    print(f"sizes: {sizes}")
    print(
        f"wrote {out_dir / 'results.json'}"
        + (f"; {note}" if note else f", {out_dir / 'roundtrip.png'}")
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under 3 minutes")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="where to write")
    parser.add_argument("--keep-dir", action="store_true", help="keep Synapse dir and bot logs")
    parser.add_argument(
        "--only",
        type=lambda v: [p.strip() for p in v.split(",") if p.strip()],
        default=list(PARTS),
        help=f"comma-separated parts to run (of {', '.join(PARTS)}); the rest is null",
    )
    args = parser.parse_args(argv)
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.ERROR)
    try:
        results = run_all(
            QUICK if args.quick else FULL,
            "quick" if args.quick else "full",
            args.out,
            args.keep_dir,
            args.only,
        )
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    failed = [v for v in results.missing.values() if v.startswith("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
