"""The bot's own sync loop (not nio's sync_forever, which stores the token before handling).

The since-token is stored only after its batch was handled completely; the very first sync
(no token) only establishes the starting point and never runs a command; the first sync after
each start asks for full state, so quiet rooms are known again; errors back off with jitter.
While the homeserver is away only a cheap probe runs every few seconds (bot/backoff.py
Reachability), and syncing resumes the moment it answers. A revoked token means a new login,
retried like any request while the homeserver is away; only a refused password stops the bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.backoff import Backoff, Reachability, first_of
from bot.clock import Clock
from bot.dispatch import Dispatcher
from bot.errors import is_transient
from bot.health import Health
from bot.matrix import LoginFailed, MatrixClient, MatrixError, MatrixUnavailable
from storage.sync_state import SyncStateRepository

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
# A batch that failed because another process held the database beyond busy_timeout (5 s,
# the wait already spent inside SQLite) is tried again after this, not after the growing
# back-off: every room waits for the database anyway, and a back-off grown during a long
# lock would keep them waiting up to as long again after it ended.
LOCKED_RETRY_SECONDS = 1.0

# A large timeline limit so a burst of commands arrives in one piece; what still comes back
# "limited" is back-filled with /messages. Presence, typing, receipts and account data are
# never needed (m.direct is read on its own): left out, the homeserver skips computing them on
# every /sync, and the bot skips parsing them.
TIMELINE_LIMIT = 200
NOTHING = {"not_types": ["*"]}


def sync_filter(timeline_limit: int = TIMELINE_LIMIT) -> dict[str, Any]:
    return {
        "room": {
            "timeline": {"limit": timeline_limit},
            "state": {"lazy_load_members": False},
            "ephemeral": NOTHING,
            "account_data": NOTHING,
        },
        "presence": NOTHING,
        "account_data": NOTHING,
    }


class SyncLoop:
    def __init__(
        self,
        client: MatrixClient,
        dispatcher: Dispatcher,
        state: SyncStateRepository,
        clock: Clock,
        backoff: Backoff | None = None,
        timeout_ms: int = SYNC_TIMEOUT_MS,
        timeline_limit: int = TIMELINE_LIMIT,
        on_new_session: Callable[[], Awaitable[None]] | None = None,
        reachability: Reachability | None = None,
    ) -> None:
        self.client = client
        self.dispatcher = dispatcher
        self.state = state
        self.clock = clock
        self.backoff = backoff or Backoff()
        self.reachability = reachability or Reachability(client.probe, clock)
        self.timeout_ms = timeout_ms
        self.filter = sync_filter(timeline_limit)
        self._filter_id: str | None = None  # the filter stored on the homeserver
        self._filter_tried = False
        self.failed_attempts = 0  # over the whole run: shows a tight loop if there were one
        # Called after the first batch of a session (start, or a new login after a revoked
        # token), when the device keys are on the server: e.g. to cross-sign the device.
        self.on_new_session = on_new_session
        self.after_batch: Callable[[], None] = lambda: None  # e.g. wake the outbox sender
        # Awaited before the next long-poll (bounded by its owner), e.g. until the replies of
        # this batch are sent: a /sync open meanwhile is woken by each of the bot's own
        # messages, and that work of the homeserver competes with the replies.
        self.before_next_sync: Callable[[], Awaitable[None]] | None = None
        self.sessions = 0
        self.session_ready = asyncio.Event()  # set after each new session's first batch
        self.stopping = asyncio.Event()
        self.synced_once = asyncio.Event()  # set after the first successful batch of this run
        self.health = Health()  # bot/app.py hands in the one on Services

    def stop(self) -> None:
        self.stopping.set()

    async def run(self) -> None:
        first_after_start = True
        new_session = True
        need_login = False
        while not self.stopping.is_set():
            try:
                if need_login:
                    # Raises LoginFailed only for a refused password (or none configured);
                    # an unreachable homeserver is waited out like any outage.
                    await self.client.relogin()
                    need_login = False
                    new_session = True
                token = await self.state.since_token()
                resp = await self._sync_or_stop(token, full_state=first_after_start and bool(token))
                if resp is None:
                    return
                self.reachability.report_up()
                # The batch is handled to the end even if a stop arrives meanwhile.
                await self.dispatcher.handle_batch(resp, token, run_commands=token is not None)
                await self.client.crypto_housekeeping()
                await self.state.store_since_token(resp.next_batch)
            except LoginFailed:
                raise
            except MatrixError as exc:
                if exc.errcode == "M_UNKNOWN_TOKEN" and not need_login:
                    log.warning("access token rejected; logging in again")
                    need_login = True
                    continue
                await self._wait_after_error(exc)
                continue
            except (MatrixUnavailable, TimeoutError) as exc:
                await self._wait_for_homeserver(exc)
                continue
            except Exception as exc:  # a bug or a database problem: log, back off, retry
                log.exception("sync batch failed; retrying the same batch")
                await self._wait_after_error(exc)
                continue
            first_after_start = False
            self.backoff.reset()
            if new_session:
                new_session = False
                self.sessions += 1
                if self.on_new_session is not None:
                    await self.on_new_session()
                self.session_ready.set()
            self.synced_once.set()
            self.health.set_online()
            self.after_batch()
            if self.before_next_sync is not None:
                await first_of(self.before_next_sync(), self.stopping.wait())

    async def _sync_or_stop(self, token: str | None, full_state: bool):  # type: ignore[no-untyped-def]
        """Long-poll, but return None at once when asked to stop (nothing is lost: the
        token is not advanced)."""
        timeout_ms = 0 if token is None else self.timeout_ms
        wakeup = await self.dispatcher.seconds_until_wakeup()
        if wakeup is not None:
            timeout_ms = min(timeout_ms, int(wakeup * 1000) + 100)
        sync = asyncio.ensure_future(
            self.client.sync(
                since=token,
                timeout_ms=timeout_ms,
                full_state=full_state,
                sync_filter=await self._sync_filter(),
            )
        )
        stop = asyncio.ensure_future(self.stopping.wait())
        done, _ = await asyncio.wait({sync, stop}, return_when=asyncio.FIRST_COMPLETED)
        if sync in done:
            stop.cancel()
            return sync.result()
        sync.cancel()
        await asyncio.gather(sync, return_exceptions=True)
        return None

    async def _sync_filter(self) -> dict[str, Any] | str:
        """The filter's id once stored on the homeserver (an inline filter is parsed and
        checked against its schema on every /sync), else the filter itself."""
        if self._filter_id is None and not self._filter_tried:
            self._filter_tried = True
            try:
                self._filter_id = await self.client.upload_filter(self.filter)
            except (MatrixError, MatrixUnavailable, TimeoutError) as exc:
                log.info("sync filter not stored (%s); sending it with each /sync", exc)
        return self._filter_id or self.filter

    async def _wait_for_homeserver(self, exc: BaseException) -> None:
        """The homeserver is away: sync again as soon as the reachability probe says it is
        back, but never sooner than this loop's own back-off after its last failure (a
        homeserver that answers the probe while /sync keeps failing gets the long back-off)."""
        self.failed_attempts += 1
        self.health.set_offline()
        failed_at = self.clock.timestamp()
        delay = self.backoff.next_delay()
        self.reachability.report_down(exc)
        log.warning("sync failed (%s); syncing again once the homeserver answers", exc)
        await first_of(self.reachability.wait_up(), self.stopping.wait())
        remaining = failed_at + delay - self.clock.timestamp()
        if remaining > 0 and not self.stopping.is_set():
            await first_of(self.clock.sleep(remaining), self.stopping.wait())

    async def _wait_after_error(self, exc: BaseException) -> None:
        self.failed_attempts += 1
        self.health.set_offline()
        if isinstance(exc, MatrixError) and exc.is_rate_limit:
            delay = (exc.retry_after_ms or 5000) / 1000  # the server's wish, not a failure
        elif is_transient(exc):
            delay = LOCKED_RETRY_SECONDS
        else:
            delay = self.backoff.next_delay()
        log.warning("sync failed (%s); retrying in %.1f s", exc, delay)
        await first_of(self.clock.sleep(delay), self.stopping.wait())
