"""!hilfe / !help: generated from the command registry, filtered by what the caller may run."""

from __future__ import annotations

from bot.context import CommandContext
from bot.errors import UserError
from bot.feature import Capability
from bot.formatting import Message
from bot.registry import Arg, CommandSpec, Permission, Where, command
from bot.router import may_run
from bot.services import Services


def _where_note(ctx: CommandContext, spec: CommandSpec) -> str:
    if spec.where == Where.DM:
        return ctx.t(" (nur per Direktnachricht)", " (direct message only)")
    if spec.where == Where.COORDINATION | Where.DM:
        return ctx.t(
            " (nur im Koordinationsraum oder per Direktnachricht)",
            " (coordination room or direct message only)",
        )
    if spec.where == Where.COORDINATION:
        return ctx.t(" (nur im Koordinationsraum)", " (coordination room only)")
    if Where.DM not in spec.where:
        return ctx.t(" (nur in Gruppenräumen)", " (group rooms only)")
    return ""


def command_line(ctx: CommandContext, spec: CommandSpec) -> Message:
    usage = spec.usage(ctx.prefix, ctx.lang)
    return Message.code(usage) + Message.text(f" – {spec.help(ctx.lang)}{_where_note(ctx, spec)}")


def command_details(ctx: CommandContext, spec: CommandSpec) -> Message:
    other = [n for n in spec.names if n != spec.display_name(ctx.lang)]
    lines = [
        Message.bold(spec.usage(ctx.prefix, ctx.lang)),
        Message.text(spec.help(ctx.lang) + _where_note(ctx, spec)),
    ]
    if other:
        names = ", ".join(f"{ctx.prefix}{n}" for n in other)
        lines.append(Message.text(ctx.t("Auch: {names}", "Also: {names}", names=names)))
    if spec.permission is Permission.COORDINATOR:
        lines.append(Message.text(ctx.t("Nur für die Koordination.", "Coordinators only.")))
    return Message.join(lines)


class Help(Capability):
    """!hilfe: generated from the registry, filtered by what the caller may run."""

    name = "help"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        # The overview is the same for every caller with the same rights and language, and
        # the registry is complete before the first command: rendered once, not per !hilfe.
        self._overviews: dict[tuple[str, str, bool], Message] = {}

    @command(
        "hilfe",
        aliases=["help"],
        help="Zeigt die Befehle, die Sie nutzen können, oder die Hilfe zu einem Befehl.",
        help_en="Shows the commands you can use, or the help for one command.",
        args=[Arg("befehl", optional=True, name_en="command")],
        durable=False,
    )
    async def hilfe(self, ctx: CommandContext, befehl: str | None) -> None:
        registry = ctx.services.registry
        if befehl:
            spec = registry.lookup(befehl.removeprefix(ctx.prefix))
            if spec is None or spec.hidden or not may_run(ctx, spec):
                raise UserError(
                    ctx.t(
                        "Den Befehl „{name}“ gibt es nicht. Alle Befehle: {prefix}hilfe",
                        'There is no command "{name}". All commands: {prefix}help',
                        name=befehl,
                        prefix=ctx.prefix,
                    )
                )
            ctx.reply(command_details(ctx, spec))
            return
        key = (ctx.lang, ctx.prefix, ctx.is_coordinator)
        if key not in self._overviews:
            self._overviews[key] = overview(ctx)
        ctx.reply(self._overviews[key])


def overview(ctx: CommandContext) -> Message:
    """Every command the caller may run, members' first, then the coordination's."""
    registry = ctx.services.registry
    visible = [s for s in registry if may_run(ctx, s) and not s.hidden]
    member = [s for s in visible if s.permission is Permission.MEMBER]
    coordinator = [s for s in visible if s.permission is Permission.COORDINATOR]
    parts = [
        Message.bold(ctx.t("ViR-Bot – Befehle", "ViR-Bot – commands")),
        Message.bullet_list([command_line(ctx, s) for s in member]),
    ]
    if coordinator:
        parts.append(Message.bold(ctx.t("Für die Koordination", "For coordinators")))
        parts.append(Message.bullet_list([command_line(ctx, s) for s in coordinator]))
    parts.append(
        Message.text(
            ctx.t(
                "Details zu einem Befehl: {p}hilfe <befehl>",
                "Details on one command: {p}help <command>",
                p=ctx.prefix,
            )
        )
    )
    return Message.join(parts)
