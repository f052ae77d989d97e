"""Wires the runtime together and runs it until SIGINT/SIGTERM.

Start: open the database (migrations), restore or create the Matrix session, start the
scheduler, then run the sync loop and the outbox sender side by side. Stop: stop syncing,
let the batch in hand finish, flush the outbox, stop the scheduler, close the database.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.backoff import Backoff, Reachability, first_of
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.cross_signing import bootstrap_cross_signing
from bot.decryption import KeyWaiter
from bot.direct_rooms import DirectRoomInfo
from bot.dispatch import Dispatcher, PoisonEvents
from bot.feature import Capability
from bot.jobs import Jobs, create_scheduler
from bot.matrix import MatrixClient, MatrixError, MatrixUnavailable
from bot.outbox_sender import OutboxSender
from bot.permissions import Permissions
from bot.posting import Poster
from bot.router import Router
from bot.scheduling import add_housekeeping
from bot.services import Services
from bot.sync import TIMELINE_LIMIT, SyncLoop
from commands import build_capabilities
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0
# The next /sync waits (at most this long) until the replies of the last batch are sent.
SYNC_HOLD_SECONDS = 1.0
# The outbox sender restarts after an unexpected error; this many failures in a row (with
# back-off between them) means it cannot work, and the process exits for systemd to restart it.
SENDER_MAX_FAILURES = 5

CapabilityFactory = Callable[[Services], list[Capability]]

# After SIGINT/SIGTERM: time to stop gracefully (flush included) before stopping at once;
# below systemd's TimeoutStopSec=30 in deploy/vir-bot.service.
SHUTDOWN_SECONDS = FLUSH_SECONDS + 10.0


class SenderFailed(RuntimeError):
    """The outbox sender kept failing: the bot must not run on deaf (syncing, never sending)."""


class Bot:
    def __init__(
        self,
        config: Config,
        clock: Clock | None = None,
        capabilities: CapabilityFactory = build_capabilities,
        backoff: Backoff | None = None,
        timeline_limit: int = TIMELINE_LIMIT,
    ) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.db = Database(config.bot.database_path)
        self.build_capabilities = capabilities
        self.backoff = backoff
        self.timeline_limit = timeline_limit
        self.sync_loop: SyncLoop | None = None
        self.outbox_sender: OutboxSender | None = None
        self.reachability: Reachability | None = None
        self.client: MatrixClient | None = None
        self.services: Services | None = None
        self.ready = asyncio.Event()  # set once the first batch of this run is handled
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        config = self.config
        config.bot.data_dir.mkdir(parents=True, exist_ok=True)
        await self.db.open()
        state = SyncStateRepository(self.db)
        direct_rooms = DirectRoomRepository(self.db)
        outbox = OutboxRepository(self.db)
        client = self.client = MatrixClient(config.matrix, config.bot.data_dir, state)
        scheduler = create_scheduler(config.bot.tz)
        capabilities: list[Capability] = []
        try:
            if not await self._start_session(client):
                return
            if not await self._unless_stopped(self._update_profile(client, direct_rooms)):
                return
            poster = Poster(self.db, self.clock)
            services = self.services = Services(
                config=config,
                db=self.db,
                clock=self.clock,
                outbox=outbox,
                poster=poster,
                jobs=Jobs(scheduler, self.clock, self.db),
                started_at=self.clock.now(),
                own_user_id=client.user_id,
                matrix=client,
            )
            capabilities = self.build_capabilities(services)
            reachability = self.reachability = Reachability(client.probe, self.clock)
            sender = self.outbox_sender = OutboxSender(
                client,
                outbox,
                direct_rooms,
                self.clock,
                config.outbox,
                reachability=reachability,
                poster=poster,
                coordination_room=config.access.coordination_room,
                lang=config.bot.language,
            )
            poster.wake = sender.wake
            router = Router(
                services,
                own_user_id=client.user_id,
                rooms=DirectRoomInfo(direct_rooms, client),
                permissions=Permissions(config.access, client),
                capabilities=capabilities,
            )
            key_waiter = KeyWaiter(
                client, self.db, self.clock, config.matrix.key_wait, config.bot.language, poster
            )
            await key_waiter.recall_requests()
            poison = PoisonEvents(
                self.db, self.clock, poster, config.access.coordination_room, config.bot.language
            )
            dispatcher = Dispatcher(
                client,
                router,
                state,
                direct_rooms,
                config.access.invite_from,
                key_waiter,
                poison,
                poster=poster,
                lang=config.bot.language,
            )
            sync = self.sync_loop = SyncLoop(
                client,
                dispatcher,
                state,
                self.clock,
                self.backoff,
                timeline_limit=self.timeline_limit,
                on_new_session=self._cross_sign,
                reachability=reachability,
            )
            sync.health = services.health
            if self._stopping.is_set():  # a stop() that came before the loop existed
                sync.stop()
            sync.after_batch = sender.after_sync  # rows waiting for a room to be known
            sync.before_next_sync = lambda: sender.rooms_sent(SYNC_HOLD_SECONDS)
            add_housekeeping(scheduler, state, self.clock, config.outbox.retention)
            scheduler.start()
            for capability in capabilities:
                await capability.start()
            await self._run_until_stopped(sync, sender)
        finally:
            for capability in reversed(capabilities):
                try:
                    await capability.stop()
                except Exception:
                    log.exception("stopping %s failed", capability.name)
            if scheduler.running:
                scheduler.shutdown(wait=False)
            if self.reachability is not None:
                await self.reachability.close()
            await client.close()
            await self.db.close()
            log.info("stopped")

    async def _start_session(self, client: MatrixClient) -> bool:
        """Log in or restore; wait out an unreachable homeserver. False if stopped meanwhile."""
        backoff = self.backoff or Backoff()
        while not self._stopping.is_set():
            try:
                return await self._unless_stopped(client.start_session())
            except MatrixUnavailable as exc:
                delay = backoff.next_delay()
                log.warning("homeserver unreachable at start (%s); retrying in %.0f s", exc, delay)
                try:
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                except TimeoutError:
                    pass
        return False

    async def _unless_stopped(self, work: Coroutine[Any, Any, None]) -> bool:
        """Run ``work`` unless a stop comes first; then cancel it and return False.

        A homeserver that accepts connections but never answers holds a request for the full
        request timeout (60 s): the start-up steps must not make Ctrl-C wait that long.
        """
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if task.cancelled():
            log.info("stopped during start-up")
            return False
        task.result()  # re-raises the step's own error
        return True

    async def _update_profile(
        self, client: MatrixClient, direct_rooms: DirectRoomRepository
    ) -> None:
        try:
            await client.ensure_display_name(self.config.bot.display_name)
            # DMs recorded in the account survive a lost database and are reused.
            await direct_rooms.remember_missing(await client.direct_rooms_from_account())
        except (MatrixError, MatrixUnavailable) as exc:
            log.warning("could not read or update the bot's profile (%s); continuing", exc)

    async def _run_until_stopped(self, sync: SyncLoop, sender: OutboxSender) -> None:
        sync_task = asyncio.create_task(sync.run(), name="sync")
        sender_task = asyncio.create_task(self._supervise_sender(sync, sender), name="outbox")
        ready_task = asyncio.create_task(self._signal_ready(sync))
        try:
            done, _ = await asyncio.wait(
                {sync_task, sender_task}, return_when=asyncio.FIRST_COMPLETED
            )
            if sender_task in done and sender_task.exception() is not None:
                sync.stop()
                await asyncio.gather(sync_task, return_exceptions=True)
                raise sender_task.exception()  # type: ignore[misc]
            await sync_task  # returns after stop(); raises LoginFailed and friends
        finally:
            ready_task.cancel()
            sender.stopping.set()
            sender.wake()
            await asyncio.gather(sender_task, return_exceptions=True)
            if sync.synced_once.is_set() and not await sender.flush(FLUSH_SECONDS):
                log.warning("some outgoing messages are still pending; they are sent at next start")

    async def _supervise_sender(self, sync: SyncLoop, sender: OutboxSender) -> None:
        """Send only once this run's first sync is done: before it, nio knows no room, and a
        pending message would look undeliverable. Restart the sender after an unexpected
        error; exit the bot (SenderFailed) if it keeps failing, never run on deaf."""
        await first_of(sync.synced_once.wait(), sender.stopping.wait())
        backoff = Backoff(first=1.0, cap=60.0)
        failures = 0
        while not sender.stopping.is_set():
            try:
                await sender.run()
                return
            except Exception as exc:
                failures += 1
                ref = secrets.token_hex(3)
                log.exception("outbox sender failed (ref=%s, %d in a row)", ref, failures)
                if failures >= SENDER_MAX_FAILURES:
                    raise SenderFailed(
                        f"the outbox sender failed {failures} times in a row (last ref={ref}): "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                await first_of(self.clock.sleep(backoff.next_delay()), sender.stopping.wait())
                if sender.progressed:
                    failures = 0
                    sender.progressed = False

    async def _signal_ready(self, sync: SyncLoop) -> None:
        await sync.synced_once.wait()
        log.info("synced; answering commands")
        self.ready.set()

    async def _cross_sign(self) -> None:
        """The device keys are on the server now: make sure the device is cross-signed."""
        client = self.client
        if client is None or client.device_id is None or client.nio.olm is None:
            return
        result = await bootstrap_cross_signing(
            client.raw_request,
            client.user_id,
            client.device_id,
            self.config.matrix.password,
            self.config.bot.data_dir / "cross_signing.json",
        )
        log.info("cross-signing: %s", result)

    def stop(self) -> None:
        self._stopping.set()
        if self.sync_loop is not None:
            self.sync_loop.stop()


async def run_until_signal(bot: Bot, grace: float = SHUTDOWN_SECONDS) -> None:
    """Run the bot; SIGINT/SIGTERM stop it gracefully, a second signal (or ``grace`` seconds
    without an end) stops it at once.

    Graceful means: stop syncing, finish the batch in hand, flush the outbox. Against a
    homeserver that never answers that can hang on a request for its full timeout, so the
    operator's second Ctrl-C, and systemd's TimeoutStopSec, must not have to wait for it.
    Whatever was not sent stays in the outbox for the next start.
    """
    loop = asyncio.get_running_loop()
    signals: asyncio.Queue[signal.Signals] = asyncio.Queue()
    handled = (signal.SIGINT, signal.SIGTERM)
    for sig in handled:
        loop.add_signal_handler(sig, signals.put_nowait, sig)
    task = asyncio.create_task(bot.run(), name="bot")
    try:
        sig = await _next_signal(task, signals.get())
        if sig is None:
            task.result()  # ended by itself (e.g. LoginFailed): re-raise
            return
        log.info("%s received: stopping (again to stop at once)", sig.name)
        deadline = loop.time() + grace
        while not task.done():
            # stop() before the sync loop exists would not reach it: repeat until it has.
            bot.stop()
            remaining = deadline - loop.time()
            if remaining <= 0:
                log.warning("not stopped within %.0f s; stopping at once", grace)
                break
            again = await _next_signal(task, signals.get(), within=min(remaining, 0.5))
            if again is not None:
                log.warning("%s received again: stopping at once", again.name)
                break
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if task.cancelled():
            log.warning("stopped at once; messages not sent yet are sent at the next start")
        else:
            task.result()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        if not task.done():  # cancelled from outside
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def _next_signal(
    task: asyncio.Task[None],
    signal_wait: Coroutine[Any, Any, signal.Signals],
    within: float | None = None,
) -> signal.Signals | None:
    """The next signal, or None once ``task`` ended or ``within`` seconds passed."""
    waiter = asyncio.ensure_future(signal_wait)
    try:
        await asyncio.wait({task, waiter}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not waiter.done():
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
    return waiter.result() if waiter.done() and not waiter.cancelled() else None
