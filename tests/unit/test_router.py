"""Router and error boundary on a real SQLite database, with the real command modules."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from bot.context import CommandContext
from bot.errors import UserError
from bot.registry import Arg, Permission, Registry, Where, command
from bot.replies import txn_id
from bot.router import Router
from tests.fakes import (
    ALICE,
    BOB,
    BOT,
    COORD_ROOM,
    ROOM,
    FakePermissions,
    Harness,
    make_config,
    message,
)


def int_arg(text: str, lang: str) -> int:
    from bot.errors import UsageError

    if not text.isdigit():
        raise UsageError(f"„{text}“ ist keine Zahl." if lang == "de" else f'"{text}" is no number.')
    return int(text)


@command("kaputt", aliases=["broken"], help="Wirft einen Fehler.", help_en="Raises.")
async def kaputt(ctx: CommandContext) -> None:
    raise RuntimeError("secret internal detail /etc/passwd")


@command(
    "zählen",
    aliases=["count"],
    help="Zählt.",
    help_en="Counts.",
    args=[Arg("anzahl", int_arg), Arg("text", rest=True, optional=True)],
)
async def zaehlen(ctx: CommandContext, anzahl: int, text: str | None) -> None:
    ctx.reply(f"{anzahl}:{text}")


@command(
    "geheim", help="Nur Koordination.", help_en="Coordinators.", permission=Permission.COORDINATOR
)
async def geheim(ctx: CommandContext) -> None:
    ctx.reply("ok")


@command("privat", help="Nur DM.", help_en="DM only.", where=Where.DM)
async def privat(ctx: CommandContext) -> None:
    ctx.send_direct(ctx.sender, __import__("bot.formatting").formatting.Message.text("Ihre Daten"))
    ctx.reply("Details per Direktnachricht.")


@command("nein", help="Lehnt ab.", help_en="Refuses.")
async def nein(ctx: CommandContext) -> None:
    raise UserError("Das geht so nicht.")


@command("lesen", help="Liest nur.", help_en="Reads only.", durable=False)
async def lesen(ctx: CommandContext) -> None:
    row = await ctx.services.db.fetchone("PRAGMA synchronous")
    ctx.reply(f"synchronous={row[0] if row else '?'}")


@command("schreiben", help="Schreibt.", help_en="Writes.")
async def schreiben(ctx: CommandContext) -> None:
    row = await ctx.services.db.fetchone("PRAGMA synchronous")
    ctx.reply(f"synchronous={row[0] if row else '?'}")


def registry() -> Registry:
    """Test commands; help, status and privacy come from the harness's capabilities."""
    test_module = types.ModuleType("test_commands")
    for fn in (kaputt, zaehlen, geheim, privat, nein, lesen, schreiben):
        setattr(test_module, fn.__name__, fn)
    return Registry.from_modules([test_module])


@pytest.fixture
def harness(tmp_path: Path, harness_factory):  # type: ignore[no-untyped-def]
    async def make(**config: dict) -> Harness:
        cfg = make_config(tmp_path, **config) if config else None
        return await harness_factory(registry(), cfg)

    return make


async def test_help_lists_member_commands_only_for_members(harness) -> None:
    h = await harness()
    await h.send("!hilfe", sender=BOB)
    await h.send("!help", sender=ALICE)
    member, coordinator = await h.replies()
    assert "!zählen <anzahl> [<text…>]" in member["body"]
    assert "!geheim" not in member["body"] and "!status" not in member["body"]
    assert "!geheim" in coordinator["body"] and "Für die Koordination" in coordinator["body"]


async def test_reply_is_a_notice_in_reply_with_mentions(harness) -> None:
    h = await harness()
    msg = await h.send("!hilfe")
    (content,) = await h.replies()
    assert content["msgtype"] == "m.notice"
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": msg.event_id}}
    assert content["m.mentions"] == {"user_ids": [BOB]}
    assert content["format"] == "org.matrix.custom.html"
    (row,) = await h.rows()
    assert row["txn_id"] == txn_id(msg.event_id) and row["room_id"] == ROOM


async def test_reply_in_thread(harness) -> None:
    h = await harness()
    msg = await h.send("!hilfe", thread_root="$root")
    (content,) = await h.replies()
    assert content["m.relates_to"]["rel_type"] == "m.thread"
    assert content["m.relates_to"]["event_id"] == "$root"
    assert content["m.relates_to"]["m.in_reply_to"] == {"event_id": msg.event_id}


async def test_help_for_one_command_and_umlaut_spellings(harness) -> None:
    h = await harness()
    await h.send("!hilfe zaehlen")
    await h.send("!ZÄHLEN 3 drei")
    await h.send("!zaehlen 4")
    details, first, second = await h.replies()
    assert "!zählen <anzahl> [<text…>]" in details["body"] and "!count" in details["body"]
    assert first["body"] == "3:drei" and second["body"] == "4:None"


async def test_unknown_command_suggests_closest_allowed(harness) -> None:
    h = await harness()
    await h.send("!hilf")
    await h.send("!geheimm")
    hint, hidden = await h.replies()
    assert "Unbekannter Befehl „hilf“" in hint["body"] and "!hilfe" in hint["body"]
    assert "!geheim" not in hidden["body"]  # members are not shown coordinator commands


async def test_wrong_argument_gets_usage(harness) -> None:
    h = await harness()
    await h.send("!zählen drei")
    await h.send("!zählen")
    bad, missing = await h.replies()
    assert bad["body"] == "„drei“ ist keine Zahl.\nAufruf: !zählen <anzahl> [<text…>]"
    assert missing["body"].startswith("Es fehlt: <anzahl>.")


async def test_internal_error_shows_reference_not_exception(harness, caplog) -> None:
    h = await harness()
    await h.send("!kaputt")
    (content,) = await h.replies()
    assert content["body"].startswith("Interner Fehler (Ref: ")
    assert "passwd" not in content["body"] and "RuntimeError" not in content["body"]
    assert "secret internal detail" in caplog.text  # logged for the operator


async def test_user_error_shown_as_written(harness) -> None:
    h = await harness()
    await h.send("!nein")
    assert (await h.replies())[0]["body"] == "Das geht so nicht."


async def test_coordinator_only_command_refused_to_member(harness) -> None:
    h = await harness()
    await h.send("!geheim", sender=BOB)
    await h.send("!geheim", sender=ALICE)
    refused, allowed = await h.replies()
    assert refused["body"] == "Dieser Befehl ist der Koordination vorbehalten."
    assert allowed["body"] == "ok"


async def test_dm_only_command_and_direct_output(harness) -> None:
    h = await harness()
    await h.send("!privat", room_id=ROOM)
    h.rooms.direct.add("!dm:example.org")
    await h.send("!privat", room_id="!dm:example.org")
    rows = await h.rows()
    assert "Direktnachricht" in rows[0]["content"] and rows[0]["room_id"] == ROOM
    assert rows[2]["user_id"] == BOB and rows[2]["room_id"] is None
    assert '"msgtype": "m.text"' in rows[2]["content"]


async def test_same_event_answered_once(harness) -> None:
    h = await harness()
    msg = await h.send("!hilfe")
    await h.router.handle(msg)
    assert len(await h.rows()) == 1


async def test_ignores_own_notices_edits_and_plain_text(harness) -> None:
    h = await harness()
    await h.send("!hilfe", sender=BOT)
    await h.send("!hilfe", msgtype="m.notice")
    await h.send("!hilfe", is_edit=True)
    await h.send("Guten Morgen!")
    await h.send("! hilfe")
    assert await h.rows() == []


async def test_reply_fallback_is_stripped(harness) -> None:
    h = await harness()
    await h.send("> <@alice:example.org> !geheim\n\nDanke!")
    await h.send("> <@alice:example.org> Hallo\n\n!zählen 2")
    (content,) = await h.replies()
    assert content["body"] == "2:None"


async def test_user_strings_are_escaped_in_html(harness) -> None:
    h = await harness()
    await h.send('!<img src=x onerror="alert(1)">')
    await h.send('!zählen 1 <script>alert("x")</script>')
    unknown, echoed = await h.replies()
    assert "<img" not in unknown["formatted_body"] and "&lt;img" in unknown["formatted_body"]
    assert "<script>" not in echoed["formatted_body"]
    assert "&lt;script&gt;" in echoed["formatted_body"]


async def test_throttle_warns_once_then_ignores(harness) -> None:
    h = await harness(bot={"throttle_commands": 3, "throttle_window": 60})
    for second in range(6):
        await h.send("!zählen 1", ts=1_769_680_800_000 + second * 1000)
    await h.send("!zählen 2", sender=ALICE)  # other members are not slowed down
    await h.send("!zählen 7", ts=1_769_680_800_000 + 61_000)  # window over
    bodies = [r["body"] for r in await h.replies()]
    assert bodies[:3] == ["1:None"] * 3
    assert bodies[3].startswith("Sie senden gerade sehr viele Nachrichten an mich")
    assert bodies[4:] == ["2:None", "7:None"]


async def test_replayed_events_do_not_count_against_the_throttle(harness) -> None:
    """After a restart the sync may hand over events that were handled already. The new
    router (with an empty throttle) drops them before the throttle counts them, so the
    member's next command is not held back by commands answered before the restart."""
    h = await harness(bot={"throttle_commands": 3, "throttle_window": 60})
    ts = 1_769_680_800_000
    handled = [await h.send("!zählen 1", ts=ts + second * 1000) for second in range(3)]
    restarted = Router(h.services, BOT, h.rooms, FakePermissions(), h.router.capabilities)
    for msg in handled:
        await restarted.handle(msg)
    await restarted.handle(message("!zählen 2", ts=ts + 4000))
    assert [r["body"] for r in await h.replies()] == ["1:None"] * 3 + ["2:None"]


async def test_an_old_event_handled_before_is_dropped_before_any_lookup(harness) -> None:
    """A replay after a restart (an event older than a minute) is dropped by one read of the
    handled marks, before it costs a permission lookup (requests to the homeserver)."""
    h = await harness()
    msg = await h.send("!zählen 1", ts=int(h.clock.timestamp() * 1000))
    asked: list[str] = []

    class CountingPermissions(FakePermissions):
        async def is_coordinator(self, user_id: str) -> bool:
            asked.append(user_id)
            return False

    restarted = Router(h.services, BOT, h.rooms, CountingPermissions(), h.router.capabilities)
    h.clock.advance(120)
    await restarted.handle(msg)
    assert asked == []
    assert len(await h.replies()) == 1


async def test_english_language(harness) -> None:
    h = await harness(bot={"language": "en"})
    await h.send("!nonsense")
    await h.send("!help")
    unknown, helptext = await h.replies()
    assert unknown["body"].startswith('Unknown command "nonsense".')
    assert "!help [<command>]" in helptext["body"] and "!count" in helptext["body"]


async def test_coordination_room_only(tmp_path: Path, harness_factory) -> None:
    @command("intern", help="x", help_en="x", where=Where.COORDINATION)
    async def intern(ctx: CommandContext) -> None:
        ctx.reply("drin")

    module = types.ModuleType("m")
    module.intern = intern  # type: ignore[attr-defined]
    cfg = make_config(tmp_path, access={"coordination_room": COORD_ROOM})
    h = await harness_factory(Registry.from_modules([module]), cfg)
    await h.send("!intern", room_id=ROOM)
    await h.send("!intern", room_id=COORD_ROOM)
    wrong, right = await h.replies()
    assert wrong["body"] == "Diesen Befehl bitte im Koordinationsraum senden."
    assert right["body"] == "drin"


async def test_deadlines_are_judged_by_the_send_time(harness_factory) -> None:  # type: ignore[no-untyped-def]
    """A command answered late (bot was down) still carries the time the member sent it."""
    from datetime import UTC, datetime

    from bot.formatting import Message

    @command("wann", help="x", help_en="x")
    async def wann(ctx: CommandContext) -> None:
        ctx.reply(Message.text(ctx.sent_at.isoformat()))

    module = types.ModuleType("m")
    module.wann = wann  # type: ignore[attr-defined]
    h = await harness_factory(Registry.from_modules([module]))
    h.clock.advance(3600)  # the bot handles it an hour later
    await h.send("!wann", ts=1_769_680_800_000)
    sent = datetime.fromtimestamp(1_769_680_800, UTC).isoformat()
    assert (await h.replies())[0]["body"] == sent


async def test_only_commands_declared_not_durable_commit_without_waiting_for_the_disk(
    harness,
) -> None:
    """CommandSpec.durable: a read-only command's handled mark and reply may skip the fsync
    (a power failure only makes it run again); every other command waits for the disk."""
    h = await harness()
    await h.send("!lesen")
    await h.send("!schreiben")
    await h.send("!lesen")
    assert [r["body"].split("\n")[0] for r in await h.replies()] == [
        "synchronous=1",
        "synchronous=2",
        "synchronous=1",
    ]


def test_exactly_the_commands_that_are_redone_safely_skip_the_fsync() -> None:
    """A command may be durable=False only if handling its event again after a power failure
    reproduces all it wrote (docs/reliability.md): adding one here needs that argument."""
    from commands import command_registry

    quick = {spec.name for spec in command_registry() if not spec.durable}
    assert quick == {
        "hilfe",
        "frage",
        "themen",
        "thema",
        "veranstaltungen",
        "datenschutz",
        "status",
    }
