"""Where a round trip's milliseconds go: the round-trip part with both bots timestamped.

    python -m benchmarks.trace [ROUNDS]

Runs the round trip (benchmarks/roundtrip.py) with ViR-Bot and the echo bot each started
through this module, which wraps a few of their methods to note ``time.perf_counter()``
(CLOCK_MONOTONIC, one clock for every process on the machine) at each step: the /sync
response's headers, nio starting to handle it, the router starting the command, the reply's
commit, the outbox reading its due rows, ``room_send`` start and end. The member's side notes
the send and the reply's arrival, and Synapse's access log gives its own time per request.
Prints the median time of each step after the member started sending, per kind, and the
segments between them with 95 % intervals. Nothing of this runs in a normal benchmark.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

TRACE_ENV = "VIR_BENCH_TRACE"
_records: list[list[Any]] = []


def note(step: str, key: str = "", at: float | None = None) -> None:
    _records.append([step, key, time.perf_counter() if at is None else at])


def _flush() -> None:
    path = os.environ.get(TRACE_ENV)
    if path and _records:
        with open(path, "a") as out:
            for record in _records:
                out.write(json.dumps(record) + "\n")
        _records.clear()


def _reply_to(content: Any) -> str:
    relates = (content or {}).get("m.relates_to") or {}
    return str((relates.get("m.in_reply_to") or {}).get("event_id", ""))


def _wrap(owner: Any, name: str, before: Callable[..., None] | None = None, after=None) -> None:  # type: ignore[no-untyped-def]
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        if before is not None:
            before(*args, **kwargs)
        result = await original(*args, **kwargs)
        if after is not None:
            after(result, *args, **kwargs)
        return result

    setattr(owner, name, wrapper)


def _install_nio() -> None:
    """Both bots: the HTTP requests, nio starting on a sync response, room_send."""
    from nio import AsyncClient, SyncResponse

    original_send = AsyncClient.send

    async def send(self, method, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        resp = await original_send(self, method, path, *args, **kwargs)
        if "/sync" in path:
            note("sync_http", "", time.perf_counter())
        return resp

    AsyncClient.send = send  # type: ignore[method-assign]
    _wrap(
        AsyncClient,
        "receive_response",
        before=lambda self, resp: note("sync_nio") if isinstance(resp, SyncResponse) else None,
    )
    _wrap(
        AsyncClient,
        "room_send",
        before=lambda self, room, kind, content, *a, **k: note("send_start", _reply_to(content)),
        after=lambda r, self, room, kind, content, *a, **k: note("send_end", _reply_to(content)),
    )


def _install_vir() -> None:
    """ViR-Bot's own steps: router start, commit of the reply, the outbox's read of due rows."""
    from bot.answers.engine import AnswerEngine
    from bot.matrix import MatrixClient
    from bot.posting import Poster
    from bot.router import Router
    from storage.outbox import OutboxRepository

    _wrap(MatrixClient, "sync", after=lambda *a, **k: note("sync_done"))
    _wrap(Router, "handle", before=lambda self, msg: note("handle", msg.event_id))
    _wrap(
        AnswerEngine,
        "ask",
        before=lambda *a, **k: note("ask_start"),
        after=lambda *a, **k: note("ask_end"),
    )
    original_post = Poster.post_content

    async def post_content(self, target, content, key, **kwargs):  # type: ignore[no-untyped-def]
        queued = await original_post(self, target, content, key, **kwargs)
        reply_to = _reply_to(content)
        if reply_to:
            self.db.after_commit(lambda: note("committed", reply_to))
        return queued

    Poster.post_content = post_content  # type: ignore[method-assign]
    _wrap(
        OutboxRepository,
        "due",
        before=lambda *a, **k: note("due_start"),
        after=lambda *a, **k: note("due_end"),
    )


def bot_main(argv: list[str]) -> int:
    """``python -m benchmarks.trace vir|echo ARGS``: run a bot with the wrappers in place."""
    import atexit

    atexit.register(_flush)
    _install_nio()
    kind, rest = argv[0], argv[1:]
    loop_flush = _periodic_flush
    if kind == "vir":
        _install_vir()
        from bot import app, cli

        original_run = app.run_until_signal

        async def run_until_signal(bot):  # type: ignore[no-untyped-def]
            task = asyncio.create_task(loop_flush())
            try:
                return await original_run(bot)
            finally:
                task.cancel()

        app.run_until_signal = run_until_signal  # type: ignore[assignment]
        return cli.main(rest)
    from benchmarks import echo_bot

    original = echo_bot.run

    async def run(*args: Any) -> None:
        task = asyncio.create_task(loop_flush())
        try:
            await original(*args)
        finally:
            task.cancel()

    echo_bot.run = run  # type: ignore[assignment]
    sys.argv = ["echo_bot", *rest]
    echo_bot.main()
    return 0


async def _periodic_flush() -> None:
    while True:
        await asyncio.sleep(1.0)
        _flush()


# --------------------------------------------------------------------------- the run


def _traced_argv(argv: list[str], kind: str) -> list[str]:
    """``python -m bot ...`` / ``python -m benchmarks.echo_bot ...`` through this module."""
    index = argv.index("-m")
    return [*argv[:index], "-m", "benchmarks.trace", kind, *argv[index + 2 :]]


def main(rounds: int) -> None:
    from benchmarks import arena, common, roundtrip
    from benchmarks.__main__ import ROUNDTRIP_EVENT
    from benchmarks.plenum import event as plenum_event
    from bot import synapse_local

    work = Path(tempfile.mkdtemp(prefix="vir-trace-"))
    trace_file = work / "trace.jsonl"
    os.environ[TRACE_ENV] = str(trace_file)

    for name, kind in (("vir_bot_process", "vir"), ("echo_bot_process", "echo")):
        original = getattr(common, name)

        def traced(*args: Any, _original=original, _kind=kind, **kwargs: Any):  # type: ignore[no-untyped-def]
            process = _original(*args, **kwargs)
            process.argv = _traced_argv(process.argv, _kind)
            return process

        setattr(arena, name, traced)

    member: list[list[Any]] = []

    async def round_trip(client, room_id, body, watch, timeout=60):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        event_id = await common.send(client, room_id, body)
        sent = time.perf_counter()
        arrived = await watch.reply_to(event_id, timeout)
        member.append([body.split()[0], event_id, t0, sent, arrived])
        return arrived - t0

    roundtrip.round_trip = round_trip  # type: ignore[assignment]

    rooms: dict[str, str] = {}
    synapse = synapse_local.LocalSynapse(work / "synapse", access_log=True)
    synapse.start()
    try:

        async def run() -> None:
            bench = common.Bench(synapse, work)
            try:
                events = [plenum_event(ROUNDTRIP_EVENT, capacity=10 * rounds)]
                the_arena = await arena.open_arena(bench, events)
                rooms.update(vir=the_arena.vir_room, echo=the_arena.echo_room)
                await roundtrip.measure(the_arena, rounds, ROUNDTRIP_EVENT)
                await asyncio.sleep(2)  # the bots flush their traces every second
            finally:
                await bench.close_all()

        asyncio.run(run())
    finally:
        synapse.stop()
    report(trace_file, member, synapse.log_path, rooms)
    print(f"trace and logs in {work}")


STEPS = (
    ("member's send returns", "sent"),
    ("bot: /sync response headers", "sync_http"),
    ("bot: nio starts on the response", "sync_nio"),
    ("bot: sync handled by nio", "sync_done"),
    ("bot: router starts the command", "handle"),
    ("bot: answer engine starts (!frage)", "ask_start"),
    ("bot: ... answer engine done", "ask_end"),
    ("bot: reply committed", "committed"),
    ("bot: outbox reads due rows", "due_start"),
    ("bot: ... read done", "due_end"),
    ("bot: room_send starts", "send_start"),
    ("bot: room_send returns", "send_end"),
    ("member's /sync has the reply", "arrived"),
)


def report(
    trace_file: Path, member: list[list[Any]], synapse_log: Path, rooms: dict[str, str]
) -> None:
    from benchmarks.common import SynapseRequest, quantile, quantile_ci, synapse_requests

    by_key: dict[tuple[str, str], float] = {}
    unkeyed: dict[str, list[float]] = defaultdict(list)
    for step, key, at in (json.loads(line) for line in trace_file.read_text().splitlines()):
        if key:
            by_key.setdefault((step, key), at)
        else:
            unkeyed[step].append(at)
    for times in unkeyed.values():
        times.sort()

    def last_before(step: str, limit: float, after: float) -> float | None:
        times = [t for t in unkeyed.get(step, []) if after <= t <= limit]
        return times[-1] if times else None

    def first_after(step: str, start: float, limit: float) -> float | None:
        times = [t for t in unkeyed.get(step, []) if start <= t <= limit]
        return times[0] if times else None

    samples: dict[str, list[dict[str, float]]] = defaultdict(list)
    for kind, event_id, t0, sent, arrived in member:
        start = by_key.get(("send_start", event_id))
        if start is None:
            continue
        handled = by_key.get(("handle", event_id), start)
        at = {
            "t0": t0,
            "sent": sent,
            "sync_http": last_before("sync_http", handled, sent),
            "sync_nio": last_before("sync_nio", handled, sent),
            "sync_done": last_before("sync_done", handled, sent),
            "handle": by_key.get(("handle", event_id)),
            "committed": by_key.get(("committed", event_id)),
            "send_start": start,
            "send_end": by_key.get(("send_end", event_id)),
            "arrived": arrived,
        }
        committed = at["committed"]
        if committed is not None and at["handle"] is not None:
            at["ask_start"] = first_after("ask_start", at["handle"], committed)
            at["ask_end"] = first_after("ask_end", at["handle"], committed)
        if committed is not None:
            at["due_start"] = first_after("due_start", committed, start)
            at["due_end"] = first_after("due_end", committed, start)
        samples[kind].append({k: (v - t0) * 1000 for k, v in at.items() if v is not None})

    kinds = list(samples)
    print("\nmedian ms after the member started sending:")
    print(f"{'step':40s}" + "".join(f"{k:>24s}" for k in kinds))
    for label, step in STEPS:
        row = ""
        for kind in kinds:
            values = [s[step] for s in samples[kind] if step in s]
            row += f"{quantile(values, 0.5):24.2f}" if values else f"{'-':>24s}"
        print(f"{label:40s}{row}")
    print(f"{'n':40s}" + "".join(f"{len(samples[k]):>24d}" for k in kinds))

    print("\nsegments per sample: median [95 % interval of the median]")
    segments = (
        ("sent -> bot has /sync response", "sent", "sync_http"),
        ("/sync response -> room_send starts", "sync_http", "send_start"),
        ("  /sync response -> nio done", "sync_http", "sync_done"),
        ("  nio done -> router starts", "sync_done", "handle"),
        ("  router starts -> committed", "handle", "committed"),
        ("    of it the answer engine (!frage)", "ask_start", "ask_end"),
        ("    answer engine done -> committed", "ask_end", "committed"),
        ("  committed -> room_send starts", "committed", "send_start"),
        ("room_send (the bot's PUT)", "send_start", "send_end"),
        ("PUT returns -> member has reply", "send_end", "arrived"),
        ("whole round trip", "t0", "arrived"),
    )
    for label, a, b in segments:
        row = ""
        for kind in kinds:
            diffs = [s[b] - s[a] for s in samples[kind] if a in s and b in s]
            if len(diffs) < 3:
                row += f"{'-':>24s}"
                continue
            lo, hi = quantile_ci(diffs, 0.5)
            row += f"{quantile(diffs, 0.5):9.2f} [{lo:6.2f},{hi:6.2f}]"
        print(f"{label:40s}{row}")

    from bot.replies import txn_id

    # The bot's transaction id derives from the command's event id (bot/replies.py).
    reply_kinds = {txn_id(event_id): kind for kind, event_id, *_ in member}
    synapse_times: dict[str, list[SynapseRequest]] = defaultdict(list)
    for request in synapse_requests(synapse_log):
        if request.method != "PUT" or "/send/" not in request.path:
            continue
        user = request.user.split(":")[0].lstrip("@").split("-")[0]
        txn = request.path.rsplit("/", 1)[-1]
        if txn in reply_kinds:  # ViR-Bot's reply to a measured command, by its kind
            user += f" reply to {reply_kinds[txn]}"
        for name, room_id in rooms.items():
            if quote(room_id, safe="") in request.path or room_id in request.path:
                user += f" in {name}'s room"
        synapse_times[user].append(request)
    print("\nSynapse's own time per PUT /send (median ms: total; mean ms: CPU, database; n;")
    print("the echo bot's pongs are all its PUTs in its room):")
    for user, requests in sorted(synapse_times.items()):
        total = quantile([r.total_ms for r in requests], 0.5)
        cpu = statistics.mean(r.cpu_ms for r in requests)
        db = statistics.mean(r.db_ms for r in requests)
        print(f"  {user:40s} {total:7.2f} {cpu:7.2f} {db:7.2f}  n={len(requests)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("vir", "echo"):
        raise SystemExit(bot_main(sys.argv[1:]))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
