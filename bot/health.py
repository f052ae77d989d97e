"""Whether the homeserver takes the bot's requests right now, as the sync loop last saw it.

Work that must judge "on time or late" when the message can actually reach the homeserver
(reminders) holds back while ``online`` is False and resumes on ``wait_online()``.
"""

from __future__ import annotations

import asyncio


class Health:
    def __init__(self) -> None:
        self.online = True  # tools and tests without a sync loop are always online
        self._back = asyncio.Event()
        self._back.set()

    def set_offline(self) -> None:
        self.online = False
        self._back.clear()

    def set_online(self) -> None:
        self.online = True
        self._back.set()

    async def wait_online(self) -> None:
        await self._back.wait()
