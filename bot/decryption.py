"""Encrypted events whose room key is missing: hold, ask for the key, retry, or tell once.

An event that cannot be decrypted is stored (the sync token moves on), its key is requested
from the sender's devices, and after every sync the held events are tried again; what
decrypts is handled like any other message, late but exactly once. If the key has not come
within ``key_wait`` seconds, the sender is told once (not once per message) how to fix it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from nio import Event, MegolmEvent

from bot.clock import Clock
from bot.formatting import Message
from bot.i18n import pick
from bot.matrix import MatrixClient, MatrixError, MatrixUnavailable
from bot.posting import Poster, Target
from bot.replies import message_content
from storage.database import Database
from storage.undecrypted import HeldEvent, UndecryptedRepository

log = logging.getLogger(__name__)

NOTICE_QUIET_SECONDS = 24 * 3600

NOTICE_DE = (
    "Ich konnte Ihre Nachricht nicht entschlüsseln: Ihr Gerät hat mir den Schlüssel nicht "
    "geschickt. Bitte erlauben Sie in Ihrem Matrix-Client, Schlüssel auch an nicht "
    "verifizierte Geräte zu senden (Element: Einstellungen → Sicherheit & Datenschutz), "
    "und senden Sie die Nachricht dann noch einmal."
)
NOTICE_EN = (
    "I could not decrypt your message: your device did not send me the key. Please allow "
    "your Matrix client to send keys to unverified devices (Element: Settings → Security & "
    "Privacy), then send the message again."
)


class KeyWaiter:
    def __init__(
        self,
        client: MatrixClient,
        db: Database,
        clock: Clock,
        key_wait: float,
        lang: str,
        poster: Poster,
    ) -> None:
        self.client = client
        self.db = db
        self.repo = UndecryptedRepository(db)
        self.clock = clock
        self.key_wait = key_wait
        self.lang = lang
        self.poster = poster
        # Nothing is held almost always: then the table is not read after every sync batch.
        # Only hold() adds rows; the count tells a retry whether one came in during its read.
        self._none_held = False
        self._holds = 0

    async def hold(self, room_id: str, event: MegolmEvent) -> None:
        self._none_held = False
        self._holds += 1
        new = await self.repo.hold(
            event.event_id,
            room_id,
            event.sender,
            event.session_id,
            event.source,
            self.clock.timestamp(),
        )
        self._holds += 1  # also after: a retry that read before the insert must not trust it
        if not new:
            return
        log.info(
            "holding undecryptable %s from %s; requesting its key", event.event_id, event.sender
        )
        try:
            await self.client.request_room_key(event)
        except (MatrixError, MatrixUnavailable) as exc:
            log.warning("room key request for %s failed: %s", event.event_id, exc)

    async def recall_requests(self) -> None:
        """At start, before the first sync: the senders whose keys held events wait for, so
        an answer arriving in that sync is recognised (MatrixClient._accept_forwards)."""
        for held in await self.repo.held():
            self.client.remember_key_sender(held.source)

    async def retry(self, handle: Callable[[str, Event], Awaitable[None]]) -> None:
        """Try every held event again; handle what decrypts, report what waited too long."""
        if self._none_held:
            return
        holds = self._holds
        waiting = await self.repo.held()
        if not waiting and holds == self._holds:
            self._none_held = True
        for held in waiting:
            event = self.client.try_decrypt(held.room_id, held.source)
            if event is not None:
                log.info("late key arrived for %s", held.event_id)
                await handle(held.room_id, event)
                await self.repo.release(held.event_id)
            elif self.clock.timestamp() - held.first_seen >= self.key_wait:
                await self._give_up(held)

    async def seconds_until_next_deadline(self) -> float | None:
        if self._none_held:
            return None
        oldest = await self.repo.oldest_first_seen()
        if oldest is None:
            return None
        return max(0.0, oldest + self.key_wait - self.clock.timestamp())

    async def _give_up(self, held: HeldEvent) -> None:
        now = self.clock.timestamp()
        text = Message.text(pick(self.lang, NOTICE_DE, NOTICE_EN))
        content = message_content(text, "m.text", mention=(held.sender,))
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": held.event_id}}
        enqueued = False
        async with self.db.transaction() as conn:
            await UndecryptedRepository.release_in(conn, held.event_id)
            if await UndecryptedRepository.claim_notice_in(
                conn, held.sender, now, NOTICE_QUIET_SECONDS
            ):
                enqueued = await self.poster.post_content(
                    Target.room(held.room_id), content, key=f"{held.event_id}:undecryptable"
                )
        log.warning(
            "gave up waiting for the key of %s from %s (told them: %s)",
            held.event_id,
            held.sender,
            enqueued,
        )
