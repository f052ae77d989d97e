"""Data protection (DSGVO): !datenschutz, !meine-daten (access) and !daten-loeschen (erasure).

Every capability contributes through its ``personal_data`` and ``delete_personal_data`` hooks.
Personal data goes to a direct message only, never into a group room.
"""

from __future__ import annotations

import json
from typing import Any

from bot.context import CommandContext
from bot.feature import Capability
from bot.formatting import Message
from bot.registry import Arg, command, fold
from commands.plenum import privacy_notice
from storage.direct_rooms import DirectRoomRepository
from storage.undecrypted import UndecryptedRepository

CONFIRM = {"bestaetigen", "confirm"}


class Privacy(Capability):
    """Data subject access (DSGVO Art. 15): everything stored about a member."""

    name = "privacy"

    async def collect(self, user_id: str) -> dict[str, Any]:
        services = self.services
        rooms = DirectRoomRepository(services.db)
        data: dict[str, Any] = {
            "user_id": user_id,
            "exported_at": services.clock.now().isoformat(timespec="seconds"),
            "direct_message_room": await rooms.room_for(user_id),
            "earlier_direct_message_rooms": await rooms.former_rooms(user_id),
            "direct_messages_being_set_up": await rooms.setups_of(user_id),
            "direct_messages": await services.outbox.direct_messages(user_id),
            "room_messages_naming_you": await services.outbox.room_messages_naming(user_id),
            **await UndecryptedRepository(services.db).personal_data(user_id),
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

    @command(
        "datenschutz",
        aliases=["privacy"],
        help="Zeigt den Datenschutzhinweis: wer verantwortlich ist, was gespeichert wird, wie "
        "lange, und Ihre Rechte.",
        help_en="Shows the privacy notice: who is responsible, what is stored, for how long, "
        "and your rights.",
        durable=False,
    )
    async def datenschutz(self, ctx: CommandContext) -> None:
        ctx.reply(privacy_notice(ctx.services, ctx.lang))

    async def erase(self, user_id: str) -> int:
        """Everything every capability keeps about ``user_id``, the bot's sent messages to or
        naming them and their messages still waiting for a room key; one transaction. Returns
        the number of records. Kept: which room is the DM with them now (the room itself lives
        on the homeserver and in the bot's m.direct; without the row the bot would no longer
        recognise it as their DM) and messages still to be sent to them."""
        services = self.services
        async with services.db.transaction():
            count = 0
            for capability in services.capabilities:
                count += await capability.delete_personal_data(user_id)
            count += await services.outbox.forget_user(user_id)
            count += await UndecryptedRepository(services.db).delete_user(user_id)
            # A room that was their DM before (its history opened) is not kept: nothing is sent
            # to it by direct message and nothing relearns it; its questions are then answered
            # like any group room's (REVIEW-13 F8).
            count += await DirectRoomRepository(services.db).forget_former_rooms(user_id)
        return count

    @command(
        "daten-loeschen",
        aliases=["delete-my-data"],
        help="Löscht alles, was der Bot über Sie speichert (Anmeldungen, Profil, Fragen, "
        "Bewertungen, Notizen …). Zum Bestätigen mit „bestätigen“ wiederholen.",
        help_en="Deletes everything the bot stores about you (registrations, profile, questions, "
        'votes, notes …). Repeat with "confirm" to confirm.',
        args=[Arg("bestätigen", optional=True, name_en="confirm")],
    )
    async def daten_loeschen(self, ctx: CommandContext, bestätigen: str | None) -> None:
        if bestätigen is None or fold(bestätigen) not in CONFIRM:
            ctx.reply(
                ctx.t(
                    "Das löscht alles, was der Bot über Sie speichert, auch Ihre Anmeldungen "
                    "(Ihr Platz geht an die Warteliste). Zum Bestätigen: {p}daten-loeschen "
                    "bestätigen",
                    "This deletes everything the bot stores about you, including your "
                    "registrations (your seat goes to the waiting list). To confirm: "
                    "{p}delete-my-data confirm",
                    p=ctx.prefix,
                )
            )
            return
        count = await self.erase(ctx.sender)
        ctx.reply(
            ctx.t(
                "Erledigt: {n} Einträge über Sie sind gelöscht.",
                "Done: {n} records about you are deleted.",
                n=count,
            )
        )
