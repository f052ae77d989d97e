"""The Matrix client adapter: the only module that talks to matrix-nio's client.

nio returns ErrorResponse objects instead of raising; this adapter turns them into
MatrixError, and connection problems into MatrixUnavailable, so callers own one retry policy.
nio's own retry loops are switched off (max_timeouts / max_limit_exceeded = 0): by default
they retry forever inside one call, which hides outages from the sync loop and the outbox.
"""

from __future__ import annotations

import asyncio
import enum
import io
import json
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    Event,
    KeysClaimResponse,
    LoginResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
    ToDeviceResponse,
    UploadResponse,
)
from nio.crypto import TrustState
from nio.crypto.key_request import OutgoingKeyRequest
from nio.exceptions import EncryptionError, LocalProtocolError
from nio.store import DefaultStore

from bot.backup import MARKER, read_marker
from bot.config import MatrixConfig
from bot.direct_rooms import CLOSED_HISTORY
from bot.events import IncomingMessage
from storage.database import private_dir, private_file
from storage.sync_state import Session, SyncStateRepository

log = logging.getLogger(__name__)

STATE_CACHE_SECONDS = 10.0
# A state event the bot puts into every DM room it opens, naming the member: after a crash
# between creating a room and recording it, the next sync finds the room by it (no second DM).
DM_MARKER = "org.vir_bot.direct"
PROBE_TIMEOUT = 5.0  # a homeserver that accepts connections but never answers is away too
# Synapse answers a repeated (device, transaction id) with the first event for this long.
TXN_DEDUP_WINDOW = timedelta(hours=24)
# Own events remembered by transaction id (a restore replays at most 200 events per room
# and the back-fill; a few thousand cover that for every room of a small network).
POSTED_MEMORY = 20_000
# Looking for an own event in a room's history (``find_posted``): pages of the bot's own
# events, newest first, back to the time its outbox row was queued (less this much for the
# homeserver's clock running behind the bot's). Beyond MAX_HISTORY_PAGES, or after
# HISTORY_LOOKUP_SECONDS in all, the answer is unknown (REVIEW-12 F3: the look-up runs in the
# sender's pass, which waits for it; a DM that became a group room rarely holds 1000 of the
# bot's events since one reply was queued).
HISTORY_PAGE = 100
MAX_HISTORY_PAGES = 10
HISTORY_LOOKUP_SECONDS = 20.0
CLOCK_SKEW_SECONDS = 600.0


def describe_backup_age(taken_at: datetime | None, now: datetime | None = None) -> str:
    """For the log of a restore: when the backup was taken, and what its age means."""
    if taken_at is None:
        return "at an unknown time (its marker is unreadable)"
    age = (now or datetime.now(UTC)) - taken_at
    text = f"at {taken_at.isoformat()} ({age.total_seconds() / 3600:.0f} h ago)"
    if age > TXN_DEDUP_WINDOW:
        text += (
            ": more than the 24 hours the homeserver de-duplicates the bot's messages. What "
            "the bot sent after the backup and reads again in the chat is not sent twice; "
            "older messages of a busy room, beyond what it reads again, may appear a second time"
        )
    return text


class MatrixError(Exception):
    """The homeserver answered with an error."""

    def __init__(
        self,
        errcode: str,
        message: str,
        status: int | None = None,
        retry_after_ms: int | None = None,
    ) -> None:
        super().__init__(f"{errcode}: {message or 'no message from the homeserver'}")
        self.errcode = errcode
        self.status = status
        self.retry_after_ms = retry_after_ms
        self.body: dict[str, Any] = {}

    @property
    def is_rate_limit(self) -> bool:
        return self.errcode == "M_LIMIT_EXCEEDED" or self.status == 429

    @property
    def is_permanent(self) -> bool:
        """Retrying cannot help (not in the room, forbidden, room gone, bad request). Not
        M_UNKNOWN_TOKEN: the sync loop logs in again, and the message goes out after that."""
        return self.errcode in (
            "M_FORBIDDEN",
            "M_NOT_FOUND",
            "M_BAD_JSON",
            "M_NOT_JSON",
            "M_TOO_LARGE",
            "M_INVALID_PARAM",
        )


class MatrixUnavailable(Exception):
    """The homeserver could not be reached (connection refused, timeout, 5xx)."""


class HistoryUnknown(Exception):
    """A room's history could not be read far enough to tell whether a message is in it."""


class RoomNotSynced(Exception):
    """A room we just created or joined is not in nio's state yet (known after the next sync);
    nio cannot encrypt for a room it does not know."""


def describe(exc: BaseException, timeout: float | None = None) -> str:
    """``Type: reason`` for logs, never empty: a bare TimeoutError (str() is "") says how long
    we waited, so "homeserver unreachable ()" can never be logged again."""
    reason = str(exc).strip()
    if not reason and isinstance(exc, TimeoutError):
        reason = f"no answer within {timeout:g} s" if timeout else "no answer in time"
    return f"{type(exc).__name__}: {reason or 'no details'}"


class RoomStatus(enum.Enum):
    """What this process knows about the bot's membership of a room."""

    JOINED = "joined"
    NOT_YET = "not yet"  # not synced yet, invited, or created a moment ago: wait
    GONE = "gone"  # left, kicked, banned, or never joined (after a full sync): give up


class LoginFailed(Exception):
    """Logging in is impossible without an operator (no password, wrong password)."""


class CryptoStoreError(Exception):
    """The crypto store cannot be used; the message says what to do."""


def load_pickle_key(configured: str | None, data_dir: Path) -> str:
    """The key encrypting the crypto store: from config/environment, else generated once.

    A generated key lies next to the store (mode 0600): better than a fixed default, but an
    operator should set VIRBOT_PICKLE_KEY so a copy of data_dir alone does not expose keys.
    """
    if configured:
        return configured
    path = data_dir / "pickle.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(32)
    private_file(path).write_text(key, encoding="utf-8")
    log.warning("no pickle_key configured: generated %s; set VIRBOT_PICKLE_KEY instead", path)
    return key


def apply_trust_policy(
    nio: AsyncClient, users: Iterable[str], trust: str, blocked: set[str]
) -> None:
    """Decide which member devices may receive room keys (config: matrix.trust, blocklist).

    "all": every device of every member (nio marks unknown ones as ignored, i.e. seen).
    "tofu": devices known when the bot first met a member, plus verified ones; a device that
    appears later is blacklisted and cannot read the bot's messages.
    The blocklist (device or user ids) always wins; removing an entry lifts the block.
    """
    for user_id in users:
        devices = list(nio.device_store.active_user_devices(user_id))
        first_contact = all(d.trust_state == TrustState.unset for d in devices)
        for device in devices:
            if device.id in blocked or user_id in blocked:
                if not device.blacklisted:
                    nio.blacklist_device(device)
            elif trust == "tofu" and device.trust_state == TrustState.unset:
                if first_contact:
                    nio.verify_device(device)
                else:
                    nio.blacklist_device(device)
            elif trust == "all" and device.blacklisted:
                nio.unblacklist_device(device)


def _check(resp: Any, expected: type | None = None) -> Any:
    if expected is None and not isinstance(resp, ErrorResponse):
        return resp
    if expected is not None and isinstance(resp, expected):
        return resp
    # A proxy's 502/503 has an HTML body that nio turns into "unknown error" without a code:
    # the HTTP status decides, so a restarting homeserver is an outage, not a failed message.
    http = getattr(getattr(resp, "transport_response", None), "status", None)
    if isinstance(resp, ErrorResponse):
        code = resp.status_code or "M_UNKNOWN"
        if (isinstance(http, int) and http >= 500) or (str(code).isdigit() and int(code) >= 500):
            raise MatrixUnavailable(f"HTTP {http or code}: {resp.message or 'no message'}")
        raise MatrixError(str(code), resp.message or "", http, resp.retry_after_ms)
    raise MatrixUnavailable(f"unexpected response {type(resp).__name__}")


class CryptoStore(DefaultStore):
    """nio's default crypto store, minus one write per sync: nio saves the rooms that became
    encrypted after every sync, mostly none, and even then opens a transaction on its
    synchronous SQLite file inside the event loop (~1 ms before each batch is handled)."""

    def save_encrypted_rooms(self, rooms: Any) -> None:
        if rooms:
            super().save_encrypted_rooms(rooms)


@dataclass
class _CachedState:
    at: float
    event: dict[str, Any] | None


class MatrixClient:
    def __init__(self, config: MatrixConfig, data_dir: Path, state: SyncStateRepository) -> None:
        self.config = config
        self.state = state
        # The crypto store holds the device's private keys: owner-only whatever the umask.
        private_dir(data_dir)
        store = self.store_dir = private_dir(data_dir / "crypto")
        self.nio = AsyncClient(
            config.homeserver,
            config.user_id,
            store_path=str(store),
            config=AsyncClientConfig(
                max_timeouts=0,
                max_limit_exceeded=0,
                store_sync_tokens=False,
                encryption_enabled=True,
                pickle_key=load_pickle_key(config.pickle_key, data_dir),
                request_timeout=60,
                store=CryptoStore,
            ),
        )
        self._state_cache: dict[tuple[str, str, str], _CachedState] = {}
        # DMs created in this run -> their member (known fully only after a sync shows them)
        self._created: dict[str, str] = {}
        self._left: set[str] = set()  # rooms the bot left or was removed from (this run)
        self.syncs = 0  # successful syncs of this process: before the first, nothing is known
        self._failed_at_sync = -1  # self.syncs when a sync last found no homeserver
        self._opened_dms: dict[str, str] = {}  # member -> DM room the bot opened (DM_MARKER)
        self._posted: OrderedDict[str, str] = OrderedDict()  # own txn id -> event id
        # Room keys asked for: session id -> (sender, their device's curve25519 key).
        self._key_senders: dict[str, tuple[str, str]] = {}

    @property
    def user_id(self) -> str:
        return self.config.user_id

    @property
    def device_id(self) -> str | None:
        return self.nio.device_id

    # --- session -------------------------------------------------------------------------

    async def start_session(self) -> None:
        """Restore the stored session, or log in once with the password and store it; after
        a restore from a backup, start fresh encryption sessions (see ``_after_restore``)."""
        await self._start_session()
        self._accept_forwards()
        await self._after_restore()

    async def _start_session(self) -> None:
        session = await self.state.session()
        if session is not None and session.user_id == self.config.user_id:
            if self._store_file(session.device_id).exists():
                self._restore(session)
            else:
                self._crypto_store_lost(session)
                session = None
        if session is not None and session.user_id == self.config.user_id:
            try:
                await self.whoami()
                log.info("restored session, device %s", session.device_id)
                return
            except MatrixError as exc:
                if exc.errcode != "M_UNKNOWN_TOKEN":
                    raise
                log.warning("stored access token was revoked; logging in again")
        await self.relogin()

    async def _after_restore(self) -> None:
        """The crypto store came from a backup (its marker is there): before it sends
        anything, the bot treats every Olm session as wedged and starts a new one with each
        device it knows.

        Olm sessions are ratchets, and the copied ones are as old as the backup. If the
        running bot sent a room key to a member after the backup (a new room, a rotated key,
        a restart), the member's side is ahead: a key the restored bot encrypts with the old
        state reuses a message key the member has used up ("message key can't be created"),
        so the member cannot read anything the bot sends. The other way round, what the member
        encrypts for a ratchet key the running bot made after the backup cannot be decrypted
        here. Clients repair a wedged session at most once an hour. So: claim a one-time key
        of every device, and send each an ``m.dummy`` in the new session (nio's own repair for
        a wedged session), so members use it from now on too; nio encrypts with the newest.
        The old sessions stay, to decrypt what members sent with them before.
        """
        marker, pending = self.restore_marker, self.repair_pending
        olm = self.nio.olm
        if olm is None or not (marker.exists() or pending.exists()):
            return
        if marker.exists():
            log.warning("restored from a backup taken %s", describe_backup_age(read_marker(marker)))
            wanted = None  # every device
        else:
            # Devices a repair after a restore could not reach (no one-time key then).
            wanted = {tuple(d) for d in json.loads(pending.read_text() or "[]")}
        devices = [
            d
            for d in olm.device_store
            if not d.deleted
            and not (d.user_id == self.user_id and d.id == self.device_id)
            and (wanted is None or (d.user_id, d.id) in wanted)
        ]
        started: set[tuple[str, str]] = set()
        if devices:
            claim: dict[str, list[str]] = {}
            for device in devices:
                claim.setdefault(device.user_id, []).append(device.id)
                if device not in olm.wedged_devices:
                    olm.wedged_devices.append(device)  # claimed now, not by housekeeping
            try:
                resp = _check(await self._call(self.nio.keys_claim(claim)), KeysClaimResponse)
            finally:
                # A failed claim raises: the marker (or the list) stays, the next start retries.
                olm.wedged_devices[:] = [d for d in olm.wedged_devices if d not in devices]
            started = {(u, d) for u, keys in resp.one_time_keys.items() for d in keys}
            # The dummies; one that fails stays in nio's queue for the next housekeeping.
            await self._call(self.nio.send_to_device_messages())
        left = sorted((d.user_id, d.id) for d in devices if (d.user_id, d.id) not in started)
        log.info(
            "after the restore: new encryption sessions with %d of %d devices%s",
            len(devices) - len(left),
            len(devices),
            f"; kept the old session (no one-time key, retried at the next start): {left}"
            if left
            else "",
        )
        # Those without a one-time key keep the copied session, which may be wedged: they are
        # tried again at every start until they have a key (or are deleted). A list, not the
        # marker: while the marker is there the bot's own backups skip it.
        if left:
            private_file(pending).write_text(json.dumps(left), encoding="utf-8")
        else:
            pending.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)

    @property
    def restore_marker(self) -> Path:
        """The backup's marker in the crypto store's folder (bot.backup.MARKER)."""
        return self.store_dir.parent / MARKER

    @property
    def repair_pending(self) -> Path:
        """Devices whose Olm session a restore could not renew yet (JSON [[user, device]])."""
        return self.store_dir / "restore-repair-pending.json"

    def _store_file(self, device_id: str) -> Path:
        return self.store_dir / f"{self.config.user_id}_{device_id}.db"

    def _private_store(self) -> None:
        """nio creates the store's files with the umask's mode: make them owner-only."""
        for path in self.store_dir.iterdir():
            if path.is_file():
                private_file(path)

    def _restore(self, session: Session) -> None:
        try:
            self.nio.restore_login(session.user_id, session.device_id, session.access_token)
        except Exception as exc:  # vodozemac pickle errors and sqlite errors have no common base
            raise CryptoStoreError(
                f"the crypto store {self._store_file(session.device_id)} cannot be opened "
                f"({type(exc).__name__}: {exc}). If the pickle key changed, set the old one "
                "again ([matrix] pickle_key or VIRBOT_PICKLE_KEY). If the file is damaged, "
                "restore data_dir/crypto from a backup, or move the file away to start as a "
                "new device (messages encrypted for the old device are then unreadable)."
            ) from exc
        self._private_store()

    def _crypto_store_lost(self, session: Session) -> None:
        """The session survived but its keys did not: continue as a new device, loudly."""
        log.error(
            "the crypto store for device %s is missing (%s): the keys of that device are "
            "lost, so messages encrypted for it cannot be read. Starting as a new device; "
            "members will see a new device of the bot. To keep the old device instead, stop "
            "the bot and restore data_dir/crypto from a backup.",
            session.device_id,
            self._store_file(session.device_id),
        )
        if not self.config.password:
            raise CryptoStoreError(
                "the crypto store is missing and no password is configured to log in as a "
                "new device: restore data_dir/crypto from a backup, or set [matrix] password"
            )
        self.nio.device_id = None  # type: ignore[assignment]

    async def relogin(self) -> None:
        """Log in with the password, on the same device id if there was one before."""
        if not self.config.password:
            raise LoginFailed(
                "the access token is missing or revoked and no password is configured; set "
                "[matrix] password or VIRBOT_PASSWORD and start again"
            )
        try:
            resp = await self.nio.login(self.config.password, self.config.device_name)
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            raise MatrixUnavailable(self._describe(exc)) from exc
        if isinstance(resp, ErrorResponse) and resp.status_code == "M_FORBIDDEN":
            raise LoginFailed(f"login as {self.config.user_id} refused: {resp.message}")
        login = _check(resp, LoginResponse)
        self._private_store()
        if self.nio.olm is not None and self.nio.olm.account.shared:
            # Same device id, but a logout deleted the device and its keys on the server:
            # publish the device keys again, or nobody could encrypt for the bot.
            self.nio.olm.account.shared = False
        await self.state.store_session(
            Session(self.config.homeserver, login.user_id, login.device_id, login.access_token)
        )
        log.info("logged in, device %s", login.device_id)

    async def ensure_display_name(self, name: str) -> None:
        """Members address the bot by this name ("ViR-Bot: …"), so the profile must match."""
        current = await self._call(self.nio.get_displayname())
        if getattr(current, "displayname", None) != name:
            _check(await self._call(self.nio.set_displayname(name)))

    async def whoami(self) -> str:
        resp = _check(await self._call(self.nio.whoami()))
        return str(resp.user_id)

    async def close(self) -> None:
        await self.nio.close()

    # --- sync ----------------------------------------------------------------------------

    async def sync(
        self,
        since: str | None,
        timeout_ms: int,
        full_state: bool,
        sync_filter: dict[str, Any] | str,
    ) -> SyncResponse:
        try:
            resp = await self._call(
                self.nio.sync(
                    timeout=timeout_ms, since=since, full_state=full_state, sync_filter=sync_filter
                )
            )
            synced: SyncResponse = _check(resp, SyncResponse)
        except MatrixUnavailable:
            # Who is in which room is known again after the next sync that completes. Only a
            # failed sync says so: an upload answered with 500 while syncs go on changes nothing.
            self._failed_at_sync = self.syncs
            raise
        # nio ignores rooms.leave: remember them, so a message for such a room fails at once.
        self._left.update(synced.rooms.leave)
        self._left.difference_update(synced.rooms.join)
        for room_id, info in synced.rooms.join.items():
            for event in (*info.state, *info.timeline.events):
                source = getattr(event, "source", {}) or {}
                if source.get("type") == DM_MARKER and source.get("sender") == self.user_id:
                    member = (source.get("content") or {}).get("user_id")
                    if isinstance(member, str):
                        self._opened_dms.setdefault(member, room_id)
            self.remember_posted(info.timeline.events)
        self.syncs += 1
        return synced

    async def upload_filter(self, sync_filter: dict[str, Any]) -> str:
        """Store a sync filter on the homeserver; its id replaces the filter in /sync."""
        path = f"/_matrix/client/v3/user/{quote(self.user_id, safe='')}/filter"
        resp = await self._raw("POST", path, sync_filter)
        filter_id = resp.get("filter_id") if isinstance(resp, dict) else None
        if not isinstance(filter_id, str):
            raise MatrixError("M_UNKNOWN", f"no filter_id in {resp!r}")
        return filter_id

    async def probe(self) -> bool:
        """A cheap reachability check (GET /_matrix/client/versions, no auth, short timeout):
        True once the homeserver answers again."""
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                resp = await self.nio.send("GET", "/_matrix/client/versions", None, {})
                status = resp.status
                resp.release()
        except (aiohttp.ClientError, TimeoutError, ConnectionError, OSError):
            return False
        return status < 500

    async def crypto_housekeeping(self) -> None:
        """What sync_forever does between syncs when encryption is on."""
        nio = self.nio
        if nio.olm is None:
            return
        await self._call(nio.send_to_device_messages())
        if nio.should_upload_keys:
            await self._call(nio.keys_upload())
        if nio.should_query_keys:
            await self._call(nio.keys_query())
        if nio.should_claim_keys:
            await self._call(nio.keys_claim(nio.get_users_for_key_claiming()))

    async def request_room_key(self, event: MegolmEvent) -> None:
        """Ask the sender's devices for the room key of an event the bot cannot decrypt.

        nio's own request_room_key asks only the bot's own other devices (it has none). The
        sender's client holds the key. matrix-rust-sdk (Element's crypto) with room key
        forwarding on answers a request for its current room key of the room from a device
        it shared that key with, e.g. this device restored from a backup taken before the key
        arrived; nio clients never answer. The answer is accepted by ``_accept_forwards``.
        """
        olm = self.nio.olm
        if olm is None or self.device_id is None:
            return
        self._key_senders[event.session_id] = (event.sender, event.sender_key)
        if event.session_id in olm.outgoing_key_requests:
            # Asked before (e.g. before a restart): asking again changes nothing.
            log.info("room key for %s already requested", event.event_id)
            return
        message = event.as_key_request(event.sender, self.device_id)
        _check(await self._call(self.nio.to_device(message)), ToDeviceResponse)
        request = OutgoingKeyRequest.from_message(message)
        olm.outgoing_key_requests[request.request_id] = request
        olm.store.add_outgoing_key_request(request)

    def remember_key_sender(self, source: dict[str, Any]) -> None:
        """After a restart: whose device a held event's room key was asked of (the request
        itself survives in nio's store, the sender does not)."""
        content = source.get("content") or {}
        session_id, sender_key = content.get("session_id"), content.get("sender_key")
        if session_id and sender_key and source.get("sender"):
            self._key_senders.setdefault(session_id, (source["sender"], sender_key))

    def _accept_forwards(self) -> None:
        """Accept a requested room key forwarded by the device that created it.

        nio accepts forwarded keys only from the bot's own verified devices. A key its own
        creator sends back, over an Olm session with that very device, is as trustworthy as
        the original ``m.room_key`` (the spec's ``forwarding_curve25519_key_chain`` is empty
        then); anything else still goes through nio's rule. The creator must be the device
        that sent the undecryptable event (user and curve25519 key): any member can answer
        with a key of their own under the same session id, and nio would then consume the
        request and refuse the real answer.
        """
        olm = self.nio.olm
        if olm is None or getattr(olm, "_vir_accepts_creator_forwards", False):
            return
        nio_rule = olm._should_accept_forward

        def should_accept(sender: str, sender_key: str, event: Any) -> bool:
            content = event.source.get("content") or {}
            request = olm.outgoing_key_requests.get(event.session_id)
            if request is None:
                # Not asked for, or answered already (to-device messages may come twice).
                # Decided here: nio's rule would log this with a broken format string.
                log.info("ignoring a room key %s nobody asked for", event.session_id)
                return False
            device = olm.device_store.device_from_sender_key(sender, sender_key)
            if (
                self._key_senders.get(event.session_id) == (sender, sender_key)
                and request.room_id == event.room_id
                and event.algorithm == request.algorithm
                and content.get("sender_key") == sender_key
                and not content.get("forwarding_curve25519_key_chain")
                and device is not None
                and content.get("sender_claimed_ed25519_key") == device.ed25519
                and not device.blacklisted
            ):
                log.info("room key %s sent again by its creator %s", event.session_id, sender)
                return True
            return bool(nio_rule(sender, sender_key, event))

        olm._should_accept_forward = should_accept  # type: ignore[method-assign]
        olm._vir_accepts_creator_forwards = True  # type: ignore[attr-defined]

    def try_decrypt(self, room_id: str, source: dict[str, Any]) -> Event | None:
        """Decrypt a held encrypted event now, or None if its key is still missing."""
        if self.nio.olm is None:
            return None
        event = Event.parse_encrypted_event(source)
        if not isinstance(event, MegolmEvent):
            return None
        event.room_id = room_id
        try:
            return self.nio.decrypt_event(event)
        except EncryptionError:
            return None

    async def messages_before(
        self, room_id: str, start: str, end: str | None, limit: int = 100
    ) -> RoomMessagesResponse:
        resp = await self._call(self.nio.room_messages(room_id, start=start, end=end, limit=limit))
        messages: RoomMessagesResponse = _check(resp, RoomMessagesResponse)
        self.remember_posted(messages.chunk)
        return messages

    def remember_posted(self, events: Iterable[Any]) -> None:
        """Note the bot's own events by transaction id. The homeserver shows it to the
        device that sent the event: after a restore (or a crash between sending and marking
        sent) the timeline read again says which outbox rows are on the server already, also
        when its own de-duplication (24 hours) has expired."""
        for event in events:
            source = getattr(event, "source", None) or {}
            txn_id = (source.get("unsigned") or {}).get("transaction_id")
            event_id = source.get("event_id")
            if source.get("sender") != self.user_id or not isinstance(txn_id, str):
                continue
            if isinstance(event_id, str):
                self._posted[txn_id] = event_id
                self._posted.move_to_end(txn_id)
                while len(self._posted) > POSTED_MEMORY:
                    self._posted.popitem(last=False)

    def posted_event(self, txn_id: str) -> str | None:
        """The event id of an own event seen with this transaction id, if any."""
        return self._posted.get(txn_id)

    async def find_posted(self, room_id: str, txn_id: str, since: float) -> str | None:
        """The event id of the bot's own event with this transaction id in ``room_id``, read
        from the room's history (/messages, the bot's events only, newest first) back to
        ``since`` (epoch seconds: the message cannot be older than its outbox row); None if it
        is not there. For a message that may have been sent before a crash although no sync
        of this process showed it (it came before the restored sync token, or in a gap):
        the homeserver shows the transaction id to the device that sent it. Raises
        MatrixError / MatrixUnavailable if the history cannot be read, HistoryUnknown if it
        is longer than MAX_HISTORY_PAGES pages or reading it takes longer than
        HISTORY_LOOKUP_SECONDS."""
        found = self.posted_event(txn_id)
        if found is not None:
            return found
        try:
            async with asyncio.timeout(HISTORY_LOOKUP_SECONDS):
                return await self._read_history_for(room_id, txn_id, since)
        except TimeoutError as exc:
            raise HistoryUnknown(
                f"{room_id}: reading its history took longer than {HISTORY_LOOKUP_SECONDS:g} s"
            ) from exc

    async def _read_history_for(self, room_id: str, txn_id: str, since: float) -> str | None:
        oldest_ms = (since - CLOCK_SKEW_SECONDS) * 1000
        token: str | None = None
        for _ in range(MAX_HISTORY_PAGES):
            resp = await self._call(
                self.nio.room_messages(
                    room_id,
                    start=token,
                    limit=HISTORY_PAGE,
                    message_filter={"senders": [self.user_id]},
                )
            )
            page: RoomMessagesResponse = _check(resp, RoomMessagesResponse)
            self.remember_posted(page.chunk)
            found = self.posted_event(txn_id)
            if found is not None:
                return found
            stamps = [getattr(e, "server_timestamp", 0) or 0 for e in page.chunk]
            if stamps and min(stamps) < oldest_ms:
                return None  # read back to before the row was queued
            if not page.end or page.end == token:
                return None  # the start of the room
            # An empty page with a next token (the homeserver's visibility filter removed a
            # whole page, REVIEW-12 F2) is not the end: the event may be on the next one.
            token = page.end
        raise HistoryUnknown(
            f"{room_id}: more than {MAX_HISTORY_PAGES * HISTORY_PAGE} own events since the "
            "message was queued"
        )

    # --- rooms ---------------------------------------------------------------------------

    async def join(self, room_id: str) -> None:
        _check(await self._call(self.nio.join(room_id)))

    async def leave(self, room_id: str) -> None:
        _check(await self._call(self.nio.room_leave(room_id)))

    async def hide_history_before_invite(self, room_id: str) -> None:
        """History visible to a member only from their invite on: someone invited into a
        member-opened DM later must not read what the bot sent there before (personal data)."""
        _check(
            await self._call(
                self.nio.room_put_state(
                    room_id, "m.room.history_visibility", {"history_visibility": "invited"}
                )
            )
        )

    def room_status(self, room_id: str) -> RoomStatus:
        """Joined, not known yet, or gone. "Gone" is said only after a sync of this process
        (the first after each start has full state, so every joined room is known then)."""
        if room_id in self._left:
            return RoomStatus.GONE
        room = self.nio.rooms.get(room_id)
        if room is not None:
            partner = self._created.get(room_id)
            if partner is not None and not (room.encrypted and partner in room.users):
                # A sync can show a new room before its encryption and the invite (Synapse
                # wakes /sync at the first event): sending now would go out unencrypted, or
                # without a room key for the member.
                return RoomStatus.NOT_YET
            return RoomStatus.JOINED
        if self.syncs == 0 or room_id in self._created or room_id in self.nio.invited_rooms:
            return RoomStatus.NOT_YET
        return RoomStatus.GONE

    def ensure_sendable(self, room_id: str) -> None:
        """Raise RoomNotSynced while the room is not known yet (wait), MatrixError(M_FORBIDDEN)
        if the bot is not in it (give up). Checked before uploading a file, too: an upload is
        encrypted only for a room known to be encrypted."""
        status = self.room_status(room_id)
        if status is RoomStatus.NOT_YET:
            raise RoomNotSynced(room_id)
        if status is RoomStatus.GONE:
            raise MatrixError("M_FORBIDDEN", f"the bot is not in room {room_id} (left, removed?)")

    def joined_members(self, room_id: str) -> set[str] | None:
        """Who is joined or invited, as of the last sync (nio's ``room.users`` holds both;
        None if the room is not known yet)."""
        room = self.nio.rooms.get(room_id)
        return None if room is None else set(room.users)

    def history_visibility(self, room_id: str) -> str | None:
        """The room's history visibility as of the last sync (None if the room is not known
        yet); ``shared`` if the room never set one, as the spec says."""
        room = self.nio.rooms.get(room_id)
        return None if room is None else room.history_visibility

    def display_name(self, room_id: str, user_id: str) -> str | None:
        """The member's display name in the room as of the last sync (None if unset)."""
        room = self.nio.rooms.get(room_id)
        user = None if room is None else room.users.get(user_id)
        return None if user is None else user.display_name

    async def get_state_event(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None:
        """The current state event (with sender) or None; cached briefly."""
        key = (room_id, event_type, state_key)
        cached = self._state_cache.get(key)
        if cached and time.monotonic() - cached.at < STATE_CACHE_SECONDS:
            return cached.event
        path = (
            f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/state/"
            f"{quote(event_type, safe='')}/{quote(state_key, safe='')}?format=event"
        )
        try:
            event = await self._raw("GET", path)
        except MatrixError as exc:
            if exc.errcode in ("M_NOT_FOUND", "M_FORBIDDEN"):
                event = None
            else:
                raise
        if event is not None and "content" not in event:
            event = {"content": event, "sender": None}
        self._state_cache[key] = _CachedState(time.monotonic(), event)
        return event

    async def fetch_message(self, room_id: str, event_id: str) -> IncomingMessage | None:
        """A room message by id (decrypted if it was encrypted), e.g. one a member pinned with
        a reaction; None if it is not a text message or cannot be read (yet)."""
        path = (
            f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/event/{quote(event_id, safe='')}"
        )
        try:
            source = await self._raw("GET", path)
        except MatrixError as exc:
            if exc.errcode in ("M_NOT_FOUND", "M_FORBIDDEN"):
                return None
            raise
        if source.get("type") == "m.room.encrypted":
            decrypted = self.try_decrypt(room_id, source)
            if decrypted is None:
                return None
            source = {**source, **decrypted.source}
        content = source.get("content") or {}
        if source.get("type") != "m.room.message" or not isinstance(content.get("body"), str):
            return None
        return IncomingMessage(
            room_id=room_id,
            event_id=event_id,
            sender=str(source.get("sender", "")),
            body=content["body"],
            msgtype=str(content.get("msgtype", "")),
            server_ts=int(source.get("origin_server_ts", 0)),
        )

    def room_for_alias(self, alias: str) -> str | None:
        """A joined room's id by its alias, from the synced state (no request)."""
        for room_id, room in self.nio.rooms.items():
            if alias == room.canonical_alias or alias in (getattr(room, "alt_aliases", None) or []):
                return str(room_id)
        return None

    # --- sending -------------------------------------------------------------------------

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        """Send with our own transaction id, so a retry is de-duplicated by the server."""
        self.ensure_sendable(room_id)
        await self._prepare_encrypted_send(room_id)
        try:
            resp = await self._call(
                self.nio.room_send(
                    room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
                )
            )
        except LocalProtocolError as exc:
            raise RoomNotSynced(f"{room_id}: {exc}") from exc
        return str(_check(resp, RoomSendResponse).event_id)

    async def _prepare_encrypted_send(self, room_id: str) -> None:
        """Know every member device before deciding who gets the room key."""
        room = self.nio.rooms.get(room_id)
        if self.nio.olm is None or room is None or not room.encrypted:
            return
        if not room.members_synced:
            _check(await self._call(self.nio.joined_members(room_id)))
        if self.nio.should_query_keys:
            _check(await self._call(self.nio.keys_query()))
        apply_trust_policy(self.nio, room.users, self.config.trust, set(self.config.blocklist))

    async def upload(
        self, room_id: str, filename: str, mimetype: str, data: bytes
    ) -> dict[str, Any]:
        """Upload a file for ``room_id``: encrypted (``file``) in encrypted rooms, else ``url``."""
        room = self.nio.rooms.get(room_id)
        encrypt = self.nio.olm is not None and room is not None and room.encrypted
        resp, keys = await self._call(
            self.nio.upload(
                io.BytesIO(data),
                content_type=mimetype,
                filename=filename,
                encrypt=encrypt,
                filesize=len(data),
            )
        )
        uri = str(_check(resp, UploadResponse).content_uri)
        if encrypt and keys is not None:
            return {"file": {**keys, "url": uri}}
        return {"url": uri}

    async def create_direct_room(self, user_id: str) -> str:
        """Open a new DM room with ``user_id``; the caller records its id at once.

        Created encrypted, ``is_direct``, with history visible from the invite on (a member who
        joins after our first message still reads it).
        """
        resp = await self._call(
            self.nio.room_create(
                is_direct=True,
                preset=RoomPreset.trusted_private_chat,
                invite=[user_id],
                initial_state=[
                    {
                        "type": "m.room.history_visibility",
                        "state_key": "",
                        "content": {"history_visibility": "invited"},
                    },
                    {
                        "type": "m.room.encryption",
                        "state_key": "",
                        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                    },
                    {"type": DM_MARKER, "state_key": "", "content": {"user_id": user_id}},
                ],
            )
        )
        room_id = str(_check(resp, RoomCreateResponse).room_id)
        self._created[room_id] = user_id
        return room_id

    def find_direct_room(self, user_id: str) -> str | None:
        """A DM room the bot opened with ``user_id`` (found by its DM_MARKER in a sync of this
        process): a crash between creating it and recording it must not open a second one."""
        room_id = self._opened_dms.get(user_id)
        if room_id is None or not self.is_direct_with(room_id, user_id):
            return None  # e.g. the member declined or left it: a new one is opened
        return room_id

    def is_direct_with(self, room_id: str, user_id: str) -> bool:
        """Still usable as the DM with ``user_id``: the bot is in it, the member is joined or
        invited, nobody else is, and its history is closed to later members: a DM someone else
        joined, or that anyone the member invites next could read (REVIEW-10 R2), must never
        receive personal data (an export, a registration), so a new DM is opened instead."""
        room = self.nio.rooms.get(room_id)
        if room_id in self._left:
            return False
        if room is None:
            return room_id in self._created  # created this run, not synced yet
        if room.history_visibility not in CLOSED_HISTORY:
            # The member opened its history: a later invitee would read it. (A new DM's setting
            # comes before its invite, so a sync that shows the member shows it too.)
            return False
        others = (set(room.users) | set(room.invited_users)) - {self.user_id}
        return others == {user_id}

    async def direct_rooms_from_account(self) -> dict[str, str]:
        """The bot's m.direct account data (user -> newest DM room), e.g. after a lost database."""
        path = f"/_matrix/client/v3/user/{quote(self.user_id, safe='')}/account_data/m.direct"
        try:
            direct = await self._raw("GET", path) or {}
        except MatrixError:
            return {}
        return {
            user: rooms[-1]
            for user, rooms in direct.items()
            if isinstance(rooms, list) and rooms and isinstance(rooms[-1], str)
        }

    async def record_direct(self, user_id: str, room_id: str) -> None:
        """Add the DM to the bot's m.direct account data (survives a lost database)."""
        path = f"/_matrix/client/v3/user/{quote(self.user_id, safe='')}/account_data/m.direct"
        try:
            direct = await self._raw("GET", path) or {}
        except MatrixError:
            direct = {}
        rooms = list(direct.get(user_id, []))
        if room_id not in rooms:
            rooms.append(room_id)
        direct[user_id] = rooms
        await self._raw("PUT", path, direct)

    # --- plumbing ------------------------------------------------------------------------

    async def _call(self, coro: Any) -> Any:
        try:
            return await coro
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            raise MatrixUnavailable(self._describe(exc)) from exc

    def membership_current(self) -> bool:
        """Whether the rooms' members as known now come from a sync that completed after the
        last sync that found no homeserver (connection error, timeout, 5xx). After an outage
        the first sync shows who joined or was invited meanwhile; until then a private reply
        cannot know whether its room is still the member's DM (bot/outbox_sender.py)."""
        return self.syncs > self._failed_at_sync

    def _describe(self, exc: BaseException) -> str:
        return describe(exc, self.nio.config.request_timeout)

    async def raw_request(self, method: str, path: str, body: Any = None) -> Any:
        """For bot-internal protocol code nio lacks (cross-signing); JSON in, JSON out."""
        return await self._raw(method, path, body)

    async def _raw(self, method: str, path: str, body: Any = None) -> Any:
        """A plain request for endpoints nio does not wrap (state with sender, account data)."""
        data = None if body is None else json.dumps(body)
        headers = {
            "Authorization": f"Bearer {self.nio.access_token}",
            "Content-Type": "application/json",
        }
        try:
            resp = await self.nio.send(method, path, data, headers)
            payload = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
            raise MatrixUnavailable(self._describe(exc)) from exc
        if resp.status >= 500:
            raise MatrixUnavailable(f"HTTP {resp.status}")
        if resp.status >= 400:
            payload = payload or {}
            error = MatrixError(
                payload.get("errcode", "M_UNKNOWN"),
                payload.get("error", ""),
                resp.status,
                payload.get("retry_after_ms"),
            )
            error.body = payload  # user-interactive auth needs the 401 body (session, flows)
            raise error
        return payload
