"""Wires the runtime together and runs it until SIGINT/SIGTERM.

Start: open the database (migrations), restore or create the Matrix session, start the
scheduler, then run the sync loop and the outbox sender side by side. Stop: stop syncing,
let the batch in hand finish, flush the outbox, stop the scheduler, close the database.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from types import ModuleType

from bot.backoff import Backoff
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.cross_signing import bootstrap_cross_signing
from bot.decryption import KeyWaiter
from bot.dispatch import Dispatcher
from bot.feature import Feature
from bot.matrix import MatrixClient, MatrixError, MatrixUnavailable
from bot.outbox_sender import OutboxSender
from bot.permissions import Permissions
from bot.registry import Registry
from bot.router import Router
from bot.scheduling import add_housekeeping, create_scheduler
from bot.services import Services
from bot.sync import TIMELINE_LIMIT, SyncLoop
from storage.database import Database
from storage.direct_rooms import DirectRoomRepository
from storage.outbox import OutboxRepository
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0


def default_command_modules() -> list[ModuleType]:
    from commands import help, privacy, status, topics

    return [help, topics, privacy, status]


class DirectRoomInfo:
    """A room is a DM if it was opened as one (``is_direct`` invite, or created by the bot).

    Not "two members": a group room where only one member sits with the bot is still a room,
    and the bot must not answer unprompted there.
    """

    def __init__(self, repo: DirectRoomRepository) -> None:
        self.repo = repo

    async def is_direct(self, room_id: str) -> bool:
        return await self.repo.is_direct(room_id)


class Bot:
    def __init__(
        self,
        config: Config,
        clock: Clock | None = None,
        command_modules: Sequence[ModuleType] | None = None,
        backoff: Backoff | None = None,
        timeline_limit: int = TIMELINE_LIMIT,
    ) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.db = Database(config.bot.database_path)
        self.command_modules = list(command_modules or default_command_modules())
        self.registry = Registry.from_modules(self.command_modules)
        self.backoff = backoff
        self.timeline_limit = timeline_limit
        self.sync_loop: SyncLoop | None = None
        self.outbox_sender: OutboxSender | None = None
        self.client: MatrixClient | None = None
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
        try:
            if not await self._start_session(client):
                return
            try:
                await client.ensure_display_name(config.bot.display_name)
                # DMs recorded in the account survive a lost database and are reused.
                await direct_rooms.remember_missing(await client.direct_rooms_from_account())
            except (MatrixError, MatrixUnavailable) as exc:
                log.warning("could not read or update the bot's profile: %s", exc)
            services = Services(
                config=config,
                db=self.db,
                clock=self.clock,
                registry=self.registry,
                outbox=outbox,
                started_at=self.clock.now(),
                own_user_id=client.user_id,
                scheduler=scheduler,
            )
            features = await self._set_up_features(services)
            sender = self.outbox_sender = OutboxSender(
                client, outbox, direct_rooms, self.clock, config.outbox
            )
            router = Router(
                services,
                own_user_id=client.user_id,
                rooms=DirectRoomInfo(direct_rooms),
                permissions=Permissions(config.access, client),
                message_handlers=[h for f in features for h in f.message_handlers],
                reaction_handlers=[h for f in features for h in f.reaction_handlers],
                redaction_handlers=[h for f in features for h in f.redaction_handlers],
                on_enqueued=sender.wake,
            )
            key_waiter = KeyWaiter(
                client,
                self.db,
                self.clock,
                config.matrix.key_wait,
                config.bot.language,
                on_enqueued=sender.wake,
            )
            dispatcher = Dispatcher(
                client, router, state, direct_rooms, config.access.invite_from, key_waiter
            )
            sync = self.sync_loop = SyncLoop(
                client,
                dispatcher,
                state,
                self.clock,
                self.backoff,
                timeline_limit=self.timeline_limit,
                on_new_session=self._cross_sign,
            )
            add_housekeeping(scheduler, state, self.clock)
            scheduler.start()
            await self._run_until_stopped(sync, sender)
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
            await client.close()
            await self.db.close()
            log.info("stopped")

    async def _set_up_features(self, services: Services) -> list[Feature]:
        """Let each capability module create its state and hooks (``setup``)."""
        features = []
        for module in self.command_modules:
            setup = getattr(module, "setup", None)
            if setup is not None:
                feature = await setup(services)
                services.personal_data_sources.extend(feature.personal_data)
                features.append(feature)
        return features

    async def _start_session(self, client: MatrixClient) -> bool:
        """Log in or restore; wait out an unreachable homeserver. False if stopped meanwhile."""
        backoff = self.backoff or Backoff()
        while not self._stopping.is_set():
            try:
                await client.start_session()
                return True
            except MatrixUnavailable as exc:
                delay = backoff.next_delay()
                log.warning("homeserver unreachable at start (%s); retrying in %.0f s", exc, delay)
                try:
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                except TimeoutError:
                    pass
        return False

    async def _run_until_stopped(self, sync: SyncLoop, sender: OutboxSender) -> None:
        sender_task = asyncio.create_task(sender.run(), name="outbox")
        sync_task = asyncio.create_task(sync.run(), name="sync")
        ready_task = asyncio.create_task(self._signal_ready(sync))
        try:
            await sync_task  # returns after stop(); raises LoginFailed and friends
        finally:
            ready_task.cancel()
            sender.stopping.set()
            sender.wake()
            await asyncio.gather(sender_task, return_exceptions=True)
            if not await sender.flush(FLUSH_SECONDS):
                log.warning("some outgoing messages are still pending; they are sent at next start")

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


async def run_until_signal(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, bot.stop)
    await bot.run()
