"""!status: operational view for coordinators (uptime, outbox, sync)."""

from __future__ import annotations

from bot.context import CommandContext
from bot.feature import Capability
from bot.formatting import Message
from bot.registry import Permission, command


def _duration(seconds: float) -> str:
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h {minutes} min" if days else f"{hours} h {minutes} min"


class Status(Capability):
    """!status: uptime and outbox for coordinators."""

    name = "status"

    @command(
        "status",
        aliases=["zustand"],
        help="Zeigt den Betriebszustand des Bots (Laufzeit, Warteschlange).",
        help_en="Shows the bot's health (uptime, outbox queue).",
        permission=Permission.COORDINATOR,
    )
    async def status(self, ctx: CommandContext) -> None:
        services = ctx.services
        counts = await services.outbox.counts()
        uptime = (services.clock.now() - services.started_at).total_seconds()
        lines = [
            Message.bold(ctx.t("ViR-Bot läuft", "ViR-Bot is running")),
            Message.text(ctx.t("Laufzeit: {d}", "Uptime: {d}", d=_duration(uptime))),
            Message.text(
                ctx.t(
                    "Ausgang: {p} wartend, {s} gesendet, {f} fehlgeschlagen",
                    "Outbox: {p} pending, {s} sent, {f} failed",
                    p=counts.pending,
                    s=counts.sent,
                    f=counts.failed,
                )
            ),
        ]
        ctx.reply(Message.join(lines))
