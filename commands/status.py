"""!status: operational view for coordinators (uptime, outbox, failures, sync)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import CommandContext
from bot.feature import Capability
from bot.formatting import Message
from bot.registry import Permission, command
from storage.failed_events import FailedEventRepository

RECENT_FAILURES = 5


def _duration(seconds: float) -> str:
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h {minutes} min" if days else f"{hours} h {minutes} min"


def _section(title: str, items: list[str]) -> list[Message]:
    if not items:
        return []
    return [Message.bold(title), Message.bullet_list([Message.text(i) for i in items])]


class Status(Capability):
    """!status: uptime and outbox for coordinators."""

    name = "status"

    @command(
        "status",
        aliases=["zustand"],
        help="Zeigt den Betriebszustand des Bots (Laufzeit, Warteschlange).",
        help_en="Shows the bot's health (uptime, outbox queue).",
        permission=Permission.COORDINATOR,
        durable=False,
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
        # Recent failures, so coordinators can follow up (each was also reported once).
        when = self._when
        failures = [
            f"outbox-{f.id} ({when(ctx, f.failed_at)}, {f.target}): {f.error}"
            for f in await services.outbox.recent_failures(RECENT_FAILURES)
        ]
        lines += _section(ctx.t("Zuletzt fehlgeschlagen:", "Recently failed:"), failures)
        set_aside = [
            f"Ref {e.ref} ({when(ctx, e.set_aside_at or e.first_failed)}, "
            f"{e.event_id} in {e.room_id}): {e.last_error}"
            for e in await FailedEventRepository(services.db).recent_set_aside(RECENT_FAILURES)
        ]
        lines += _section(ctx.t("Beiseitegelegte Ereignisse:", "Events set aside:"), set_aside)
        ctx.reply(Message.join(lines))

    def _when(self, ctx: CommandContext, timestamp: float) -> str:
        local = datetime.fromtimestamp(timestamp, UTC).astimezone(ctx.services.config.bot.tz)
        return local.strftime("%d.%m. %H:%M")
