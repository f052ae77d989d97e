"""Commands are declared once with ``@command``; help, usage and lookup derive from that record.

A capability class (bot/feature.py) declares methods ``handler(self, ctx, **args)`` decorated
with ``@command``; ``Registry.from_capabilities`` collects them, bound to their instance (so a
command's state lives on ``self``). Names are matched after folding case and umlauts, so
"löschen", "loeschen" and "LOESCHEN" are the same command.
"""

from __future__ import annotations

import difflib
import enum
import shlex
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from bot.errors import UsageError
from bot.i18n import pick, tr

Handler = Callable[..., Awaitable[None]]
# (raw word, language) -> value; raises UsageError with a message in that language.
Converter = Callable[[str, str], Any]


def text(raw: str, lang: str) -> str:
    """The default converter: the word as written."""
    return raw


class Permission(enum.Enum):
    MEMBER = "member"
    COORDINATOR = "coordinator"


class Where(enum.Flag):
    ROOM = enum.auto()
    DM = enum.auto()
    COORDINATION = enum.auto()
    ANYWHERE = ROOM | DM | COORDINATION


@dataclass(frozen=True)
class Arg:
    name: str
    converter: Converter = text
    optional: bool = False
    rest: bool = False  # takes the remaining text verbatim (a question, a free text)
    name_en: str | None = None
    usage: tuple[str, str] | None = None  # (de, en) label for arguments parsed by the handler

    def label(self, lang: str) -> str:
        if self.usage is not None:
            return pick(lang, *self.usage)
        name = self.name_en if lang == "en" and self.name_en else self.name
        name = f"<{name}…>" if self.rest else f"<{name}>"
        return f"[{name}]" if self.optional else name


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    help_de: str
    help_en: str
    args: tuple[Arg, ...]
    permission: Permission
    where: Where
    handler: Handler
    hidden: bool = False
    # False only for commands whose second handling reproduces all they wrote (they read,
    # reply and log, keyed by the event): their transaction commits without waiting for the
    # disk, see storage/database.py. A power failure may undo it; the command is then
    # handled again and its reply de-duplicated. Pinned in tests/unit/test_router.py.
    durable: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def help(self, lang: str) -> str:
        return pick(lang, self.help_de, self.help_en)

    def display_name(self, lang: str) -> str:
        """German name by default; with language "en" the first English alias if there is one."""
        return self.aliases[0] if lang == "en" and self.aliases else self.name

    def usage(self, prefix: str, lang: str) -> str:
        parts = [f"{prefix}{self.display_name(lang)}", *(a.label(lang) for a in self.args)]
        return " ".join(parts)

    def parse(self, text: str, lang: str) -> dict[str, Any]:
        """Turn the text after the command name into keyword arguments, or raise UsageError."""
        values: dict[str, Any] = {}
        remaining = text.strip()
        for index, arg in enumerate(self.args):
            if arg.rest:
                raw: str | None = remaining or None
                remaining = ""
            else:
                raw, remaining = _take_word(remaining, lang)
                if raw is not None and index == len(self.args) - 1 and remaining:
                    raise UsageError(tr(lang, "too_many_arguments", extra=remaining))
            if raw is None:
                if not arg.optional:
                    raise UsageError(tr(lang, "missing_argument", name=arg.label(lang)))
                values[arg.name] = None
                continue
            values[arg.name] = arg.converter(raw, lang)
        if remaining.strip():
            raise UsageError(tr(lang, "too_many_arguments", extra=remaining.strip()))
        return values


def _take_word(text: str, lang: str) -> tuple[str | None, str]:
    """The first (possibly quoted) word and the rest of ``text`` verbatim."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        word = lexer.get_token()
    except ValueError:
        raise UsageError(tr(lang, "unbalanced_quotes")) from None
    if word is None or word == lexer.eof:
        return None, ""
    return word, text[lexer.instream.tell() :].strip()


def fold(name: str) -> str:
    """Case- and umlaut-insensitive key: "Löschen" -> "loeschen"."""
    name = name.casefold()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        name = name.replace(umlaut, plain)
    return name


def command(
    name: str,
    *,
    aliases: Iterable[str] = (),
    help: str,
    help_en: str,
    args: Iterable[Arg] = (),
    permission: Permission = Permission.MEMBER,
    where: Where = Where.ANYWHERE,
    hidden: bool = False,
    durable: bool = True,
) -> Callable[[Handler], Handler]:
    """Declare a chat command; the record is attached to the function for Registry to collect."""

    def decorate(handler: Handler) -> Handler:
        handler.__command__ = CommandSpec(  # type: ignore[attr-defined]
            name=name,
            aliases=tuple(aliases),
            help_de=help,
            help_en=help_en,
            args=tuple(args),
            permission=permission,
            where=where,
            handler=handler,
            hidden=hidden,
            durable=durable,
        )
        return handler

    return decorate


class Registry:
    def __init__(self, specs: Iterable[CommandSpec] = ()) -> None:
        self._specs: list[CommandSpec] = []
        self._by_name: dict[str, CommandSpec] = {}
        for spec in specs:
            self.add(spec)

    @classmethod
    def from_capabilities(cls, capabilities: Iterable[object]) -> Registry:
        """Every ``@command`` method of every capability, bound to its instance (given classes
        instead of instances, the specs are unbound: enough for documentation and checks)."""
        registry = cls()
        for capability in capabilities:
            owner = capability if isinstance(capability, type) else type(capability)
            for attr in dir(owner):
                spec = getattr(getattr(owner, attr), "__command__", None)
                if isinstance(spec, CommandSpec):
                    registry.add(replace(spec, handler=getattr(capability, attr)))
        return registry

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType]) -> Registry:
        """Module-level ``@command`` functions (small test registries)."""
        registry = cls()
        for module in modules:
            for value in vars(module).values():
                spec = getattr(value, "__command__", None)
                if isinstance(spec, CommandSpec):
                    registry.add(spec)
        return registry

    def add(self, spec: CommandSpec) -> None:
        for name in spec.names:
            key = fold(name)
            if key in self._by_name:
                raise ValueError(f"command name {name!r} declared twice")
            self._by_name[key] = spec
        self._specs.append(spec)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._specs)

    def lookup(self, name: str) -> CommandSpec | None:
        return self._by_name.get(fold(name))

    def closest(self, name: str, limit: int = 3) -> list[str]:
        matches = difflib.get_close_matches(fold(name), list(self._by_name), n=limit, cutoff=0.5)
        seen: list[str] = []
        for match in matches:
            canonical = self._by_name[match].name
            if canonical not in seen:
                seen.append(canonical)
        return seen
