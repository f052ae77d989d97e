"""Knowledge files -> frozen dataclasses, with every problem collected instead of raised.

Layout: ``<dir>/<topic-id>/index.md`` (topic), ``<dir>/<topic-id>/<entry-id>.md`` (entries),
``<dir>/synonyms.toml``. Each .md file is TOML front matter between ``+++`` lines, then Markdown.
A file with problems is still used when it can be (the bot should keep answering while an
author fixes a typo); ``check`` is the strict view for CI and ``vir-bot kb check``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.answers.text import fold, tokenize

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_IDS = (
    "e-vergabe",
    "langzeitarchivierung",
    "service-center-115",
    "e-rechnung",
    "personalausweis",
    "it-sicherheit",
    "vir-nordwest",
)
SYNONYMS_FILE = "synonyms.toml"

TOPIC_KEYS = {
    "id": str,
    "title": str,
    "title_en": str,
    "keywords": list,
    "sources": list,
    "updated": date,
}
ENTRY_KEYS = {
    "id": str,
    "topic": str,
    "title": str,
    "questions": list,
    "keywords": list,
    "sources": list,
    "updated": date,
    "live": str,
    "en": dict,
}
OPTIONAL = {"en", "live"}
# Live data the chat reply adds below an entry's text (commands/topics.py): "events", the
# open events with their dates, places and seats left (as !veranstaltungen shows them);
# "threshold", where the amount the question names lies against the EU thresholds in force
# (bot/answers/thresholds.py).
LIVE_KINDS = ("events", "threshold")
EN_KEYS = {"title": str, "answer": str}


@dataclass(frozen=True)
class Problem:
    path: Path
    kind: str  # parse, unknown-key, missing-key, type, id, file-name, duplicate-id,
    # duplicate-question, duplicate-source, empty-answer, missing-sources, unknown-topic,
    # synonyms
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class EnglishVariant:
    title: str
    answer: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    title_en: str
    keywords: tuple[str, ...]
    sources: tuple[str, ...]
    updated: date
    body: str
    path: Path | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[str, ...]
    updated: date
    body: str
    en: EnglishVariant | None = None
    path: Path | None = None
    origin: str = "file"  # "file" or "db" (added from chat)
    live: str = ""  # one of LIVE_KINDS, or "" (the text alone)


@dataclass(frozen=True)
class Knowledge:
    topics: dict[str, Topic]
    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    problems: tuple[Problem, ...]
    # Relative path -> sha256 of the file bytes: the index is rebuilt only when this changes.
    hashes: dict[str, str] = field(default_factory=dict)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body); raises ValueError with a readable reason."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "+++":
        raise ValueError("file must start with a '+++' line (TOML front matter)")
    for i in range(1, len(lines)):
        if lines[i].strip() == "+++":
            head = "".join(lines[1:i])
            body = "".join(lines[i + 1 :]).strip()
            try:
                return tomllib.loads(head), body
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"front matter is not valid TOML: {exc}") from None
    raise ValueError("front matter has no closing '+++' line")


def question_key(text: str) -> str:
    """Two phrasings that differ only in case, umlaut spelling or punctuation are the same."""
    return " ".join(tokenize(fold(text)))


class _Validator:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, kind: str, message: str) -> None:
        self.problems.append(Problem(self.path, kind, message))

    def keys(self, data: dict[str, Any], spec: dict[str, type], what: str) -> None:
        for key in data:
            if key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.add("unknown-key", f"unknown {what} key '{key}'{hint}")
        for key, typ in spec.items():
            if key not in data:
                if key not in OPTIONAL:
                    self.add("missing-key", f"missing {what} key '{key}'")
                continue
            self.type(data, key, typ)

    def type(self, data: dict[str, Any], key: str, typ: type) -> None:
        value = data[key]
        if typ is date:
            ok = isinstance(value, date) and not isinstance(value, datetime)
            expected = "a TOML date like 2025-01-31"
        elif typ is list:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            expected = "a list of strings"
        elif typ is dict:
            ok = isinstance(value, dict)
            expected = "a table"
        else:
            ok = isinstance(value, typ)
            expected = "a string"
        if not ok:
            self.add("type", f"'{key}' must be {expected}, got {type(value).__name__}")

    def id(self, value: Any, stem: str | None) -> None:
        if not isinstance(value, str):
            return
        if not ID_PATTERN.match(value):
            self.add("id", f"id '{value}' must be lowercase letters, digits and single hyphens")
        if stem is not None and value != stem:
            self.add("file-name", f"file name '{stem}.md' does not match id '{value}'")


def _strs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _date(data: dict[str, Any]) -> date:
    value = data.get("updated")
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date(1970, 1, 1)


def parse_topic(path: Path, text: str) -> tuple[Topic | None, list[Problem]]:
    v = _Validator(path)
    try:
        data, body = split_front_matter(text)
    except ValueError as exc:
        v.add("parse", str(exc))
        return None, v.problems
    v.keys(data, TOPIC_KEYS, "topic")
    v.id(data.get("id"), path.parent.name)
    if isinstance(data.get("id"), str) and data["id"] not in TOPIC_IDS:
        v.add("id", f"unknown topic id '{data['id']}' (known: {', '.join(TOPIC_IDS)})")
    if not _strs(data, "sources"):
        v.add("missing-sources", "topic has no sources")
    tid, title = _str(data, "id"), _str(data, "title")
    if not tid or not title:
        return None, v.problems
    topic = Topic(
        tid,
        title,
        _str(data, "title_en") or title,
        _strs(data, "keywords"),
        _strs(data, "sources"),
        _date(data),
        body,
        path,
    )
    return topic, v.problems


def parse_entry(path: Path, text: str, origin: str = "file") -> tuple[Entry | None, list[Problem]]:
    v = _Validator(path)
    try:
        data, body = split_front_matter(text)
    except ValueError as exc:
        v.add("parse", str(exc))
        return None, v.problems
    v.keys(data, ENTRY_KEYS, "entry")
    v.id(data.get("id"), path.stem)
    if not body.strip():
        v.add("empty-answer", "entry has no answer text below the front matter")
    if not _strs(data, "sources"):
        v.add("missing-sources", "entry has no sources (every answer needs one)")
    sources = _strs(data, "sources")
    for source in sorted({s for s in sources if sources.count(s) > 1}):
        # the member would read it twice under "Quelle:"
        v.add("duplicate-source", f"source '{source}' is listed twice")
    if not _strs(data, "questions") and "questions" in data:
        v.add("empty-answer", "entry has no questions")
    seen: dict[str, str] = {}
    for q in _strs(data, "questions"):
        key = question_key(q)
        if key in seen:
            v.add("duplicate-question", f"question '{q}' is listed twice")
        seen[key] = q
    en = None
    raw_en = data.get("en")
    if isinstance(raw_en, dict):
        v.keys(raw_en, EN_KEYS, "[en]")
        if "answer" in raw_en and not _str(raw_en, "answer"):
            v.add("empty-answer", "[en] answer is empty")
        if _str(raw_en, "title") and _str(raw_en, "answer"):
            en = EnglishVariant(_str(raw_en, "title"), _str(raw_en, "answer"))
    live = _str(data, "live")
    if live and live not in LIVE_KINDS:
        v.add("unknown-live", f"live = '{live}' is unknown (known: {', '.join(LIVE_KINDS)})")
        live = ""
    eid, topic, title = _str(data, "id"), _str(data, "topic"), _str(data, "title")
    if not eid or not topic or not title or not body.strip():
        return None, v.problems
    entry = Entry(
        eid,
        topic,
        title,
        _strs(data, "questions"),
        _strs(data, "keywords"),
        _strs(data, "sources"),
        _date(data),
        body,
        en,
        path,
        origin,
        live,
    )
    return entry, v.problems


def parse_synonyms(path: Path, text: str) -> tuple[list[tuple[str, ...]], list[Problem]]:
    v = _Validator(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        v.add("parse", f"not valid TOML: {exc}")
        return [], v.problems
    groups: list[tuple[str, ...]] = []
    owner: dict[str, int] = {}
    raw = data.get("group", [])
    if not isinstance(raw, list):
        v.add("synonyms", "'group' must be an array of tables ([[group]])")
        raw = []
    for n, group in enumerate(raw, 1):
        terms = group.get("terms") if isinstance(group, dict) else None
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            v.add("synonyms", f"group {n}: 'terms' must be a list of strings")
            continue
        clean = tuple(t.strip() for t in terms if t.strip())
        if len(clean) < 2:
            v.add("synonyms", f"group {n}: needs at least two terms")
        for t in clean:
            if t != t.lower():
                v.add("synonyms", f"group {n}: term '{t}' must be lowercase")
            if t in owner and owner[t] != n:
                v.add("synonyms", f"group {n}: term '{t}' is already in group {owner[t]}")
            owner.setdefault(t, n)
        if clean:
            groups.append(clean)
    return groups, v.problems


def cross_check(topics: dict[str, Topic], entries: Iterable[Entry]) -> list[Problem]:
    """Problems that need all files: duplicate ids/questions, unknown or wrong topics."""
    problems: list[Problem] = []
    ids: dict[str, Entry] = {}
    questions: dict[str, Entry] = {}
    for e in entries:
        path = e.path or Path(f"<db:{e.id}>")
        if e.id in ids or e.id in topics:
            other = ids.get(e.id)
            where = other.path if other and other.path else f"topic {e.id}"
            problems.append(Problem(path, "duplicate-id", f"id '{e.id}' is also used by {where}"))
        ids.setdefault(e.id, e)
        if e.topic not in topics:
            problems.append(Problem(path, "unknown-topic", f"entry topic '{e.topic}' is unknown"))
        elif e.path is not None and e.path.parent.name != e.topic:
            problems.append(
                Problem(
                    path,
                    "unknown-topic",
                    f"entry topic '{e.topic}' but file is in '{e.path.parent.name}/'",
                )
            )
        for q in dict.fromkeys((e.title, *e.questions)):
            key = question_key(q)
            other = questions.get(key)
            if other is not None and other.id != e.id:
                problems.append(
                    Problem(
                        path, "duplicate-question", f"question '{q}' is also in entry '{other.id}'"
                    )
                )
            questions.setdefault(key, e)
    return problems


def load(directory: Path) -> Knowledge:
    """Parse the whole knowledge directory. Never raises for content problems."""
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    entries: list[Entry] = []
    synonyms: list[tuple[str, ...]] = []
    hashes: dict[str, str] = {}
    if not directory.is_dir():
        problems.append(Problem(directory, "parse", "knowledge directory does not exist"))
        return Knowledge({}, (), (), tuple(problems), {})

    def read(path: Path) -> str | None:
        raw = path.read_bytes()
        hashes[path.relative_to(directory).as_posix()] = hashlib.sha256(raw).hexdigest()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, "parse", "file is not UTF-8"))
            return None

    syn_path = directory / SYNONYMS_FILE
    if syn_path.is_file() and (text := read(syn_path)) is not None:
        synonyms, found = parse_synonyms(syn_path, text)
        problems += found
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        if folder.name.startswith("."):
            continue
        index = folder / "index.md"
        if index.is_file() and (text := read(index)) is not None:
            topic, found = parse_topic(index, text)
            problems += found
            if topic is not None:
                if topic.id in topics:
                    problems.append(Problem(index, "duplicate-id", f"topic id '{topic.id}' twice"))
                topics.setdefault(topic.id, topic)
        for path in sorted(folder.glob("*.md")):
            if path.name == "index.md" or (text := read(path)) is None:
                continue
            entry, found = parse_entry(path, text)
            problems += found
            if entry is not None:
                entries.append(entry)
    problems += cross_check(topics, entries)
    return Knowledge(topics, tuple(entries), tuple(synonyms), tuple(problems), hashes)


def check(directory: Path) -> list[Problem]:
    return list(load(directory).problems)


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: Iterable[str]) -> str:
    items = [_toml_str(v) for v in values]
    if not items:
        return "[]"
    return "[\n" + "".join(f"  {item},\n" for item in items) + "]"


def render_entry_file(entry: Entry) -> str:
    """An entry in the knowledge file format (used to export FAQ entries added in chat)."""
    lines = [
        "+++",
        f"id = {_toml_str(entry.id)}",
        f"topic = {_toml_str(entry.topic)}",
        f"title = {_toml_str(entry.title)}",
        f"questions = {_toml_list(entry.questions)}",
        f"keywords = {_toml_list(entry.keywords)}",
        f"sources = {_toml_list(entry.sources)}",
        f"updated = {entry.updated.isoformat()}",
    ]
    if entry.en is not None:
        lines += [
            "[en]",
            f"title = {_toml_str(entry.en.title)}",
            f"answer = {_toml_str(entry.en.answer)}",
        ]
    lines += ["+++", entry.body.strip(), ""]
    return "\n".join(lines)
