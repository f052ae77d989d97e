"""A burst of commands at once, against ViR-Bot and a typical nio bot, on a real local Synapse.

    python -m benchmarks.burst [--commands 50] [--members 10] [--timeout 30]
                                              [--outbox-rate R] [--keep-dir]

One Synapse (benchmarks/-only temp dir, rate limits off, see bot/synapse_local.py) serves every
run. Each contender gets two scenarios, each with a fresh bot account, fresh member accounts and
a fresh room:

- ``away``:   the bot is started, the room is set up, then the bot stops syncing; the members
              send N commands at once; then the bot is started again (same state as before).
- ``online``: the bot syncs the whole time while the members send N commands at once.

Contenders:

- ``vir-bot``           bot.app.Bot as shipped (own sync loop, timeline limit 200, back-fill of
                        ``limited`` timelines with /messages, since-token in SQLite). Stopped with
                        ``Bot.stop()`` and restarted as a new ``Bot`` on the same data directory.
- ``vir-bot limit=10``  the same with ``timeline_limit=10``, Synapse's default limit, which is
                        what the baseline gets: shows that the back-fill, not the bigger window,
                        closes the gap.
- ``baseline nio``      a minimal bot as the matrix-nio examples write it; see ``BaselineBot``.

The N commands are sent concurrently (one ``asyncio.gather``), round-robin over the M members,
all with the same text (``!hilfe``). Replies are collected for up to T seconds after the bot is
back (``away``) or after the burst (``online``); waiting ends early once every command has a
reply, followed by a short settle time for late duplicates. The member who created the room
follows its /sync to see replies come in; the numbers in the table are then taken from the
room's history read with /messages (ground truth, independent of any sync window). A reply
belongs to a command through ``m.relates_to.m.in_reply_to``. Latency is the reply's
``origin_server_ts`` minus the command's (same Synapse clock), first reply per command. In the
``away`` scenario this includes the time the bot was away and its restart.

Settings that differ from a production config, and why:

- ViR-Bot's per-member throttle (default 10 commands per 60 s) is raised to at least the
  commands per member, so the benchmark measures delivery, not the throttle.
- ViR-Bot's outbox pacing stays at the shipped default (5 messages/s, burst 10) unless
  ``--outbox-rate`` is given; the baseline sends as fast as Synapse accepts. With pacing the
  latencies of ViR-Bot mostly measure the pacing.

It is a benchmark, not a test: it prints numbers and has no pass/fail threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nio import (
    AsyncClient,
    InviteMemberEvent,
    LoginResponse,
    MatrixRoom,
    RoomCreateResponse,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    PASSWORD,
    close_all,
    new_member,
    quantile,
    reply_target,
    room_history,
)
from bot.app import Bot  # noqa: E402
from bot.config import OutboxConfig, parse_config  # noqa: E402
from bot.synapse_local import LocalSynapse  # noqa: E402

COMMAND = "!hilfe"
SETTLE_SECONDS = 3.0  # after every command has a reply: would a duplicate still arrive?
START_TIMEOUT = 60.0

log = logging.getLogger("burst")


# --------------------------------------------------------------------------- contenders


class Contender(Protocol):
    user_id: str

    async def start(self) -> None:
        """Start (or start again) and return once the first sync of this start is handled."""

    async def stop(self) -> None:
        """Stop syncing; whatever the bot keeps across a restart is kept."""

    async def close(self) -> None:
        """Stop if running and release everything (idempotent)."""


class VirBot:
    """The real ViR-Bot (bot.app.Bot), started the way tests/integration/conftest.py does."""

    def __init__(
        self,
        synapse: LocalSynapse,
        user_id: str,
        data_dir: Path,
        timeline_limit: int | None,
        throttle_commands: int,
        outbox: OutboxConfig,
    ) -> None:
        self.user_id = user_id
        self.timeline_limit = timeline_limit
        data = {
            "matrix": {
                "homeserver": synapse.url,
                "user_id": user_id,
                "password": PASSWORD,
                "pickle_key": "benchmark-pickle-key",
            },
            "bot": {"data_dir": str(data_dir), "throttle_commands": throttle_commands},
            "access": {"invite_from": [f"@member-*:{synapse.server_name}"]},
            "outbox": {"messages_per_second": outbox.messages_per_second, "burst": outbox.burst},
        }
        self.config = parse_config(data, base_dir=data_dir.parent)
        self.bot: Bot | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        extra = {} if self.timeline_limit is None else {"timeline_limit": self.timeline_limit}
        bot = self.bot = Bot(self.config, **extra)
        task = self.task = asyncio.create_task(bot.run(), name=f"vir-bot {self.user_id}")
        ready = asyncio.create_task(bot.ready.wait())
        done, _ = await asyncio.wait(
            {task, ready}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # raises the start-up error
            raise RuntimeError(f"ViR-Bot not ready after {START_TIMEOUT:.0f} s")

    async def stop(self) -> None:
        bot, task, self.bot, self.task = self.bot, self.task, None, None
        if bot is None or task is None or task.done():
            return
        bot.stop()
        try:
            await asyncio.wait_for(task, timeout=60)
        except TimeoutError:
            log.warning("ViR-Bot did not stop within 60 s; cancelling it")
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def close(self) -> None:
        await self.stop()


class BaselineBot:
    """A minimal matrix-nio bot, written the way the nio examples and most small bots are.

    Exactly what it does (nothing else):

    - ``AsyncClient(homeserver, user_id)`` with the default ``AsyncClientConfig`` (no store
      path, so no encryption and no stored sync token), ``login(password)``.
    - First start: one ``sync(timeout=3000, full_state=True)`` *before* the callbacks are added,
      the usual way to skip old history; then ``add_event_callback(on_message,
      RoomMessageText)`` and ``add_event_callback(on_invite, InviteMemberEvent)`` (joins every
      invite), then ``sync_forever(timeout=30000)``. No sync filter: Synapse's default timeline
      limit of 10 events per room and sync applies.
    - ``on_message`` ignores its own messages and answers every message whose body starts with
      ``!`` with one ``room_send`` of an ``m.notice``. The notice carries
      ``m.relates_to.m.in_reply_to`` only so the benchmark can match replies to commands; it
      changes nothing about delivery.
    - Stop ("briefly away"): the ``sync_forever`` task is cancelled while it waits in its long
      poll (no callback is running then). The client, and with it ``client.next_batch``, stays
      in memory, as with a bot that keeps its token in memory or in a file.
    - Start again: ``sync_forever(timeout=30000, full_state=True)``; nio's first iteration is
      one ``sync(full_state=True)`` with ``since`` = the last ``next_batch`` it saw, then the
      loop goes on. Callbacks run only on the timeline events that /sync returns; a ``limited``
      timeline (more than 10 new events in the room) is not back-filled.

    Instrumentation, not part of the bot: a response callback counts syncs that returned a
    ``limited`` timeline and signals when the first sync of a start was handled.
    """

    def __init__(self, synapse: LocalSynapse, user_id: str) -> None:
        self.user_id = user_id
        self.client = AsyncClient(synapse.url, user_id)
        self.task: asyncio.Task[None] | None = None
        self.limited_timelines = 0
        self._logged_in = False
        self._synced = asyncio.Event()

    # -- the bot itself ----------------------------------------------------------------------

    async def on_message(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.client.user_id or not event.body.startswith("!"):
            return
        await self.client.room_send(
            room.room_id,
            "m.room.message",
            {
                "msgtype": "m.notice",
                "body": "Befehle: !hilfe",
                "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
            },
        )

    async def on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.client.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def start(self) -> None:
        full_state: bool | None = None
        if not self._logged_in:
            resp = await self.client.login(PASSWORD, device_name="baseline bot")
            if not isinstance(resp, LoginResponse):
                raise RuntimeError(f"baseline login failed: {resp}")
            await self.client.sync(timeout=3000, full_state=True)  # skip old history
            self.client.add_event_callback(self.on_message, RoomMessageText)  # type: ignore[arg-type]
            self.client.add_event_callback(self.on_invite, InviteMemberEvent)  # type: ignore[arg-type]
            self.client.add_response_callback(self._instrument, SyncResponse)  # type: ignore[arg-type]
            self._logged_in = True
        else:
            full_state = True  # resume from client.next_batch (kept in memory)
        self._synced.clear()
        self.task = asyncio.create_task(
            self.client.sync_forever(timeout=30000, full_state=full_state),
            name=f"baseline {self.user_id}",
        )
        ready = asyncio.create_task(self._synced.wait())
        done, _ = await asyncio.wait(
            {self.task, ready}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self.task in done:
                self.task.result()
            raise RuntimeError(f"baseline bot not synced after {START_TIMEOUT:.0f} s")

    async def stop(self) -> None:
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def close(self) -> None:
        await self.stop()
        await self.client.close()

    # -- instrumentation ---------------------------------------------------------------------

    async def _instrument(self, resp: SyncResponse) -> None:
        # Response callbacks run after the event callbacks of the same sync.
        self.limited_timelines += sum(1 for r in resp.rooms.join.values() if r.timeline.limited)
        self._synced.set()


# --------------------------------------------------------------------------- members, room


async def wait_joined(client: AsyncClient, room_id: str, user_id: str, within: float) -> None:
    async with asyncio.timeout(within):
        while True:
            resp = await client.room_get_state_event(room_id, "m.room.member", user_id)
            if getattr(resp, "content", {}).get("membership") == "join":
                return
            await asyncio.sleep(0.1)


@dataclass
class Watcher:
    """Follows the observer member's /sync and notes which commands got a reply."""

    client: AsyncClient
    bot_id: str
    commands: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.client.sync(timeout=0)  # starting point before the burst
        self.task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        filt = {"room": {"timeline": {"limit": 1000}}, "presence": {"not_types": ["*"]}}
        while True:
            resp = await self.client.sync(timeout=5000, sync_filter=filt)
            if not isinstance(resp, SyncResponse):
                await asyncio.sleep(0.2)
                continue
            for info in resp.rooms.join.values():
                for event in info.timeline.events:
                    if event.sender == self.bot_id:
                        target = reply_target(event.source)
                        if target:
                            self.answered.add(target)
            self.changed.set()

    async def wait_all(self, within: float) -> bool:
        try:
            async with asyncio.timeout(within):
                while not self.commands <= self.answered:
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


# --------------------------------------------------------------------------- one run


@dataclass
class Result:
    bot: str
    scenario: str
    sent: int
    once: int
    duplicates: int
    missing: int
    latencies_ms: list[float]
    restart_s: float | None
    stray: int = 0
    note: str = ""


@dataclass
class Run:
    synapse: LocalSynapse
    work_dir: Path
    commands: int
    members: int
    timeout: float
    outbox: OutboxConfig
    closers: list[Any] = field(default_factory=list)  # everything to close, newest last

    async def close_all(self) -> None:
        await close_all(self.closers)

    async def one(self, kind: str, scenario: str) -> Result:
        tag = secrets.token_hex(3)
        localpart = f"bench-{kind.split()[0]}-{tag}".replace("_", "-")
        bot_id = await asyncio.to_thread(self.synapse.register, localpart, PASSWORD)
        bot: Contender
        if kind == "baseline":
            bot = BaselineBot(self.synapse, bot_id)
        else:
            per_member = math.ceil(self.commands / self.members)
            bot = VirBot(
                self.synapse,
                bot_id,
                self.work_dir / f"bot-{tag}",
                timeline_limit=10 if kind == "vir-bot-10" else None,
                throttle_commands=max(10, per_member),
                outbox=self.outbox,
            )
        self.closers.append(bot.close)

        members = []
        for _ in range(self.members):
            member = await new_member(self.synapse, "member")
            self.closers.append(member.close)
            members.append(member)
        owner = members[0]

        await bot.start()
        resp = await owner.room_create(name=f"burst {kind} {scenario}", invite=[bot_id])
        if not isinstance(resp, RoomCreateResponse):
            raise RuntimeError(f"room_create failed: {resp}")
        room_id = resp.room_id
        await wait_joined(owner, room_id, bot_id, within=30)
        for member in members[1:]:
            await owner.room_invite(room_id, member.user_id)
            await member.join(room_id)
        watcher = Watcher(owner, bot_id)
        self.closers.append(watcher.stop)
        await watcher.start()

        if scenario == "away":
            await bot.stop()
        if isinstance(bot, BaselineBot):
            bot.limited_timelines = 0  # count only the syncs that carry the burst

        async def send(i: int) -> str:
            member = members[i % len(members)]
            resp = await member.room_send(
                room_id, "m.room.message", {"msgtype": "m.text", "body": COMMAND}
            )
            if not isinstance(resp, RoomSendResponse):
                raise RuntimeError(f"send failed: {resp}")
            return resp.event_id

        sent_ids = await asyncio.gather(*(send(i) for i in range(self.commands)))
        watcher.commands = set(sent_ids)

        restart_s = None
        if scenario == "away":
            t0 = time.perf_counter()
            await bot.start()
            restart_s = time.perf_counter() - t0
        if await watcher.wait_all(self.timeout):
            await asyncio.sleep(SETTLE_SECONDS)
        await watcher.stop()

        history = await room_history(owner, room_id)
        return self._count(kind, scenario, bot, bot_id, sent_ids, history, restart_s)

    def _count(
        self,
        kind: str,
        scenario: str,
        bot: Contender,
        bot_id: str,
        sent_ids: list[str],
        history: list[dict[str, Any]],
        restart_s: float | None,
    ) -> Result:
        ts = {e["event_id"]: e["origin_server_ts"] for e in history if "event_id" in e}
        replies = [
            e for e in history if e.get("sender") == bot_id and e.get("type") == "m.room.message"
        ]
        targets = Counter(reply_target(e) for e in replies)
        first_reply: dict[str, int] = {}
        for e in replies:
            target = reply_target(e)
            if target is not None:
                at = e["origin_server_ts"]
                first_reply[target] = min(first_reply.get(target, at), at)
        sent = set(sent_ids)
        counts = [targets.get(eid, 0) for eid in sent_ids]
        latencies = [float(first_reply[eid] - ts[eid]) for eid in sent_ids if eid in first_reply]
        note = ""
        if isinstance(bot, BaselineBot):
            note = f"limited timelines: {bot.limited_timelines}, not back-filled"
        return Result(
            bot=LABELS[kind],
            scenario=scenario,
            sent=len(sent_ids),
            once=sum(c == 1 for c in counts),
            duplicates=sum(c > 1 for c in counts),
            missing=sum(c == 0 for c in counts),
            latencies_ms=latencies,
            restart_s=restart_s,
            stray=sum(n for t, n in targets.items() if t not in sent),
            note=note,
        )


LABELS = {"vir-bot": "vir-bot", "vir-bot-10": "vir-bot limit=10", "baseline": "baseline nio"}


# --------------------------------------------------------------------------- report


def seconds(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:6.2f}"


def table(results: list[Result]) -> str:
    head = (
        f"{'bot':<17} {'scenario':<8} {'sent':>5} {'once':>5} {'dup':>4} {'miss':>5} "
        f"{'p50 s':>6} {'p95 s':>6} {'max s':>6} {'restart s':>9}  note"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lat = r.latencies_ms
        p50 = quantile(lat, 0.50) if lat else None
        p95 = quantile(lat, 0.95) if lat else None
        top = max(lat) if lat else None
        restart = "-" if r.restart_s is None else f"{r.restart_s:.2f}"
        note = r.note
        if r.stray:
            note = f"{note}; {r.stray} replies to no command".lstrip("; ")
        line = (
            f"{r.bot:<17} {r.scenario:<8} {r.sent:>5} {r.once:>5} {r.duplicates:>4} "
            f"{r.missing:>5} {seconds(p50)} {seconds(p95)} {seconds(top)} {restart:>9}  {note}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


async def run(args: argparse.Namespace, synapse: LocalSynapse, work_dir: Path) -> None:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    outbox = OutboxConfig()
    if args.outbox_rate is not None:
        outbox = OutboxConfig(messages_per_second=args.outbox_rate, burst=max(1, args.commands))
    bench = Run(synapse, work_dir, args.commands, args.members, args.timeout, outbox)
    per_member = math.ceil(args.commands / args.members)
    print(
        f"Synapse {synapse.url}; {args.commands} x {COMMAND!r} at once from {args.members} "
        f"members; replies collected for up to {args.timeout:.0f} s"
    )
    print(
        f"ViR-Bot: outbox {outbox.messages_per_second:g} msg/s burst {outbox.burst}, throttle "
        f"{max(10, per_member)} commands/60 s per member; baseline: nio defaults, limit 10"
    )
    results = []
    try:
        for kind in ("vir-bot", "vir-bot-10", "baseline"):
            for scenario in ("away", "online"):
                t0 = time.perf_counter()
                result = await bench.one(kind, scenario)
                await bench.close_all()
                results.append(result)
                print(
                    f"  {result.bot} / {scenario}: {result.once}/{result.sent} answered once "
                    f"({time.perf_counter() - t0:.1f} s)",
                    flush=True,
                )
    finally:
        await bench.close_all()
        loop.remove_signal_handler(signal.SIGTERM)
    print()
    print(table(results))
    print(
        "\nonce/dup/miss: commands with exactly one, more than one, no reply (from /messages). "
        "Latency: reply minus command origin_server_ts; in 'away' it includes the time away "
        "and the restart. restart s: start until the first sync after the restart was handled."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--commands", type=int, default=50, help="commands per burst (N)")
    parser.add_argument("--members", type=int, default=10, help="member clients sending (M)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for replies")
    parser.add_argument(
        "--outbox-rate",
        type=float,
        default=None,
        help="ViR-Bot outbox messages/s (burst = N); default: the shipped pacing",
    )
    parser.add_argument("--keep-dir", action="store_true", help="keep Synapse dir and bot data")
    args = parser.parse_args()
    if args.commands < 1 or args.members < 1 or args.timeout <= 0:
        parser.error("--commands and --members must be >= 1, --timeout > 0")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("nio").setLevel(logging.ERROR)

    started = time.perf_counter()
    work_dir = Path(tempfile.mkdtemp(prefix="burst-bench-"))
    synapse = LocalSynapse(work_dir / "synapse")
    code = 0
    try:
        synapse.start()
        asyncio.run(run(args, synapse, work_dir))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\ninterrupted; cleaning up", file=sys.stderr)
        code = 130
    finally:
        synapse.stop()
        if args.keep_dir:
            print(f"kept {work_dir} (Synapse log: {synapse.log_path})")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(f"total runtime {time.perf_counter() - started:.1f} s")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
