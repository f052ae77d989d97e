"""Outgoing message text: a plain ``body`` and safe HTML ``formatted_body`` built side by side.

Every user-supplied string goes through ``Message.text`` (escaped) before it reaches HTML, and
the finished HTML is sanitised with nh3 against the Matrix HTML subset as a second line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

import nh3

# The subset of HTML the Matrix spec recommends clients render.
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "code",
    "pre",
    "br",
    "p",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "h3",
    "h4",
    "del",
    "sup",
    "sub",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"data-mx-color"}}


def escape(text: str) -> str:
    return html.escape(text, quote=True)


# The same help text or knowledge answer is sent again and again, and cleaning a long one
# costs about half a millisecond: those are cached. Bounded in count and size, because members'
# text reaches here too (an unknown command is quoted): at most 128 x 16 KB.
SANITIZE_CACHE_ENTRIES = 128
SANITIZE_CACHE_MAX_CHARS = 16_384


def sanitize(markup: str) -> str:
    if len(markup) <= SANITIZE_CACHE_MAX_CHARS:
        return _sanitize_cached(markup)
    return _sanitize(markup)


def _sanitize(markup: str) -> str:
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)


_sanitize_cached = lru_cache(maxsize=SANITIZE_CACHE_ENTRIES)(_sanitize)


@dataclass(frozen=True)
class Message:
    body: str
    html: str

    @classmethod
    def text(cls, plain: str) -> Message:
        """Plain text, possibly user-supplied: escaped for HTML, newlines kept."""
        return cls(plain, escape(plain).replace("\n", "<br>"))

    @classmethod
    def bold(cls, plain: str) -> Message:
        return cls(plain, f"<b>{escape(plain)}</b>")

    @classmethod
    def code(cls, plain: str) -> Message:
        return cls(plain, f"<code>{escape(plain)}</code>")

    @classmethod
    def heading(cls, plain: str, level: int = 3) -> Message:
        """A heading (h3/h4, what Matrix clients render); the plain body underlines it."""
        if level not in (3, 4):
            raise ValueError("Matrix clients render h3 and h4 headings")
        return cls(plain, f"<h{level}>{escape(plain)}</h{level}>")

    def __add__(self, other: Message | str) -> Message:
        other = Message.text(other) if isinstance(other, str) else other
        return Message(self.body + other.body, self.html + other.html)

    @classmethod
    def join(cls, parts: list[Message], separator: str = "\n") -> Message:
        sep = Message.text(separator)
        result = cls("", "")
        for index, part in enumerate(parts):
            result = result + part if index == 0 else result + sep + part
        return result

    @classmethod
    def bullet_list(cls, items: list[Message]) -> Message:
        body = "\n".join(f"• {item.body}" for item in items)
        markup = "<ul>" + "".join(f"<li>{item.html}</li>" for item in items) + "</ul>"
        return cls(body, markup)

    def safe_html(self) -> str:
        return sanitize(self.html)
