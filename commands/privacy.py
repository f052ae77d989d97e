"""!meine-daten / !my-data: what the bot stores about the caller, as a JSON file by DM.

Every capability contributes its part through its ``personal_data`` hook. Personal data goes to
a direct message only, never into a group room.
"""

from __future__ import annotations

import json
from typing import Any

from bot.context import CommandContext
from bot.feature import Capability
from bot.formatting import Message
from bot.registry import command
from storage.direct_rooms import DirectRoomRepository


class Privacy(Capability):
    """Data subject access (DSGVO Art. 15): everything stored about a member."""

    name = "privacy"

    async def collect(self, user_id: str) -> dict[str, Any]:
        services = self.services
        data: dict[str, Any] = {
            "user_id": user_id,
            "exported_at": services.clock.now().isoformat(timespec="seconds"),
            "direct_message_room": await DirectRoomRepository(services.db).room_for(user_id),
        }
        for capability in services.capabilities:
            data.update(await capability.personal_data(user_id))
        return data

    @command(
        "meine-daten",
        aliases=["my-data"],
        help="Schickt Ihnen per Direktnachricht alles, was der Bot über Sie speichert "
        "(JSON-Datei).",
        help_en="Sends you everything the bot stores about you, as a JSON file by direct message.",
    )
    async def meine_daten(self, ctx: CommandContext) -> None:
        data = await self.collect(ctx.sender)
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
        ctx.send_file(ctx.sender, "vir-bot-meine-daten.json", "application/json", payload)
        ctx.reply(
            Message.text(
                ctx.t(
                    "Ihre Daten habe ich Ihnen per Direktnachricht geschickt.",
                    "I have sent you your data by direct message.",
                )
            )
        )
