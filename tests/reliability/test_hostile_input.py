"""Hostile input against the router, the argument parsers and the renderers (fake client, real DB).

Properties, for every registered command (new commands are covered by iterating the registry):
never an internal error, never HTML outside the Matrix subset or a link from user input, never
an @room ping, never a second run of the same event, edits never run, and every command gets
exactly one reply (its answer, a usage message or a refusal).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import os
import shlex
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.answers.render import markdown_html
from bot.errors import UserError
from bot.events import is_command_text, strip_reply_fallback
from bot.formatting import Message
from commands import build_capabilities, command_registry
from tests.fakes import ALICE, BOB, COORD_ROOM, ROOM
from tests.reliability.safety import (
    HOSTILE_FRAGMENTS,
    command_answers,
    content_problems,
    html_problems,
    reply_target,
)
from tests.reliability.world import DM_BOB, EVENT, MEANINGFUL, WORKSHOP, world_config

pytestmark = pytest.mark.reliability

DM = DM_BOB
NAMES = sorted({name for spec in command_registry() for name in spec.names})


def examples(count: int) -> settings:
    """Deterministic in CI (a red main blocks everyone), exploring anew on each local run;
    RELIABILITY_SCALE=N multiplies the effort for a long local run."""
    scale = float(os.environ.get("RELIABILITY_SCALE", "1"))
    return settings(
        max_examples=max(1, int(count * scale)),
        deadline=None,
        database=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


fragment = st.one_of(
    st.sampled_from(HOSTILE_FRAGMENTS), st.sampled_from(MEANINGFUL), st.text(max_size=30)
)
words = st.lists(fragment, max_size=4).map(" ".join)
command_name = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12))
command_text = st.builds(
    lambda case, name, rest: f"!{case(name)} {rest}",
    st.sampled_from([str, str.upper, str.title]),
    command_name,
    words,
)
# A reply quoting another command: only the text after the quote may run.
quoting = st.builds(
    lambda quoted, tail: "".join(f"> {line}\n" for line in quoted.split("\n")) + "\n" + tail,
    command_text,
    st.one_of(words, command_text),
)
bodies = st.one_of(command_text, command_text, quoting, words, st.text(max_size=200))


@pytest.fixture
async def h(tmp_path, harness_factory):  # type: ignore[no-untyped-def]
    harness = await harness_factory(config=world_config(tmp_path), capabilities=build_capabilities)
    harness.rooms.direct.add(DM)
    # A workshop room, so notes and decisions from hostile input are stored and shown too.
    await harness.send(f"!workshop-raum {EVENT} {WORKSHOP}", sender=ALICE, room_id=ROOM)
    return harness


@examples(300)
@given(
    body=bodies,
    sender=st.sampled_from([ALICE, BOB]),
    room=st.sampled_from([ROOM, DM, COORD_ROOM]),
    edit=st.integers(0, 5).map(lambda n: n == 0),  # an edit now and then
)
async def test_router_handles_hostile_messages_safely_once(
    h, caplog: pytest.LogCaptureFixture, body: str, sender: str, room: str, edit: bool
) -> None:
    caplog.clear()
    caplog.set_level(logging.WARNING)
    before = len(await h.rows())
    msg = await h.send(body, sender=sender, room_id=room, is_edit=edit)
    rows = (await h.rows())[before:]
    await h.router.handle(msg)  # the same event again, as from a retried sync batch
    assert len(await h.rows()) == before + len(rows), "the same event ran twice"

    contents = [json.loads(row["content"]) for row in rows]
    replies = command_answers(rows, msg.event_id, room)
    event(f"{len(rows)} outgoing")
    if edit:
        assert rows == [], "an edit ran as a command"
    elif is_command_text(strip_reply_fallback(body).strip(), "!"):
        assert len(replies) == 1, f"a command got {len(replies)} replies"
    elif room == DM:
        assert len(replies) == 1, "a message in a DM is a question and gets one answer"
    else:
        assert len(replies) <= 1
    for content in contents:
        may_ping = {sender} if content in replies else {ALICE, BOB}
        assert content_problems(content, may_ping) == [], content
        assert not content.get("body", "").startswith("Interner Fehler"), content["body"]
    for content in replies:
        if reply_target(content) == msg.event_id:
            assert content["msgtype"] == "m.notice"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


@examples(300)
@given(text=st.one_of(words, st.text()), lang=st.sampled_from(["de", "en"]))
def test_every_argument_parser_accepts_or_explains(text: str, lang: str) -> None:
    """Each command's argument spec and converters: a value or a UserError, nothing else."""
    for spec in command_registry():
        try:
            values = spec.parse(text, lang)
        except UserError as exc:
            assert str(exc).strip(), spec.name
            continue
        assert set(values) == {arg.name for arg in spec.args}


@examples(300)
@given(parts=st.lists(st.one_of(fragment, st.text()), min_size=1, max_size=5))
def test_message_helpers_escape_everything(parts: list[str]) -> None:
    messages = [Message.text(parts[0]), Message.bold(parts[-1]), Message.code(parts[0])]
    messages.append(Message.bullet_list([Message.text(p) for p in parts]))
    combined = Message.join(messages) + " ".join(parts)
    assert html_problems(combined.safe_html()) == []
    # Escaping keeps the text: only the Matrix tags the helpers add are markup.
    plain = Message.text(parts[0])
    assert plain.body == parts[0]
    assert html_problems(plain.html) == []


@examples(300)
@given(text=st.lists(fragment, min_size=1, max_size=6).map("\n".join))
def test_markdown_answers_from_chat_are_safe(text: str) -> None:
    """Coordinators' answers (!antworten) are Markdown from chat, shown to members."""
    rendered = Message(text, markdown_html(text)).safe_html()
    assert html_problems(rendered, links_from_input=True) == []


class _Text(HTMLParser):
    """The text a client shows for formatted_body (``<br>`` as a line break)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


_users = itertools.count(1)
hostile_name = (
    st.lists(st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(min_size=1)), max_size=3)
    .map(" ".join)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: 0 < len(s) <= 200)
)


@examples(60)
@given(organisation=hostile_name, note=hostile_name)
async def test_organisations_and_notes_round_trip(h, organisation: str, note: str) -> None:
    """What a member types is stored exactly and shown exactly (escaped, never as markup)."""
    user = f"@roundtrip{next(_users)}:example.org"
    privacy = next(c for c in h.services.capabilities if c.name == "privacy")
    before = len(await h.rows())
    await h.send(f"!anmelden {EVENT} ; {organisation}", sender=user, room_id=ROOM)
    await h.send(f"!notiz {note}", sender=user, room_id=ROOM)
    data = await privacy.collect(user)  # type: ignore[attr-defined]
    (registration,) = data["plenum_registrations"]
    assert registration["organisation"] == organisation
    (entry,) = data["workshop_entries"]
    assert entry["text"] == note
    for row in (await h.rows())[before:]:
        content = json.loads(row["content"])
        assert content_problems(content, {user}) == [], content
    await h.send("!meine-anmeldungen", sender=user, room_id=DM)
    listing = json.loads((await h.rows())[-1]["content"])
    assert organisation in listing["body"]
    # HTML cannot carry NUL (the sanitiser drops it); the plain body keeps it.
    assert organisation.replace("\x00", "") in shown_text(listing["formatted_body"])


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@examples(40)
@given(organisations=st.lists(hostile_name, min_size=1, max_size=4))
async def test_exported_attendee_list_is_exact_and_never_a_formula(
    h, organisations: list[str]
) -> None:
    """Organisation names reach the coordinators' spreadsheet (CSV injection is the risk)."""
    users = [f"@export{next(_users)}:example.org" for _ in organisations]
    for user, organisation in zip(users, organisations, strict=True):
        await h.send(f"!anmelden {EVENT} ; {organisation}", sender=user, room_id=ROOM)
    await h.send(f"!export {EVENT}", sender=ALICE, room_id=COORD_ROOM)
    row = await h.db.fetchone(
        "SELECT f.data FROM outbox_files AS f JOIN outbox AS o ON o.id = f.outbox_id "
        "WHERE o.user_id = ? ORDER BY o.id DESC LIMIT 1",
        (ALICE,),
    )
    text = bytes(row["data"]).decode("utf-8-sig")
    # Every cell a spreadsheet would run gets a leading apostrophe: user ids start with "@".
    records = csv.DictReader(io.StringIO(text), delimiter=";")
    exported = {r["user_id"].removeprefix("'"): r for r in records}
    for user, organisation in zip(users, organisations, strict=True):
        cell = exported[user]["organisation"]
        expected = "'" + organisation if organisation.startswith(FORMULA_START) else organisation
        assert cell == expected
    for record in exported.values():
        for value in record.values():
            assert not (value or "").startswith(FORMULA_START), record


@examples(40)
@given(title=hostile_name, location=hostile_name)
async def test_event_titles_and_places_round_trip(h, title: str, location: str) -> None:
    """Coordinators type titles and places in chat; members see them in listings."""
    key = f"tagung-{next(_users)}"
    await h.send(
        f"!veranstaltung-neu {key} titel={shlex.quote(title)} "
        f'beginn="10.03.2027 09:30" ende=16:00 ort={shlex.quote(location)}',
        sender=ALICE,
        room_id=COORD_ROOM,
    )
    plenum = next(c for c in h.services.capabilities if c.name == "plenum")
    info = await plenum.event_info(key)  # type: ignore[attr-defined]
    assert info is not None, json.loads((await h.rows())[-1]["content"])["body"]
    assert (info.title, info.location) == (title, location)
    await h.send("!veranstaltungen", sender=BOB, room_id=ROOM)
    listing = json.loads((await h.rows())[-1]["content"])
    assert content_problems(listing, {BOB}) == [], listing
    assert title in listing["body"]
    assert title.replace("\x00", "") in shown_text(listing["formatted_body"])
