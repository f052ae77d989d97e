"""Configuration: TOML read with tomllib into frozen dataclasses, validated at start.

Every problem names the key and what was expected; misspelt keys get a "did you mean".
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.timeparse import parse_duration, valid_holiday_state

USER_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
ROOM_ID = re.compile(r"^![^\s]+$")
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
DURATION_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """Raised with every problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str
    user_id: str
    password: str | None
    device_name: str = "ViR-Bot"
    pickle_key: str | None = None
    trust: str = "all"
    blocklist: tuple[str, ...] = ()
    key_wait: float = 60.0

    def __repr__(self) -> str:
        # The config ends up in logs and tracebacks: never show the secrets, only whether set.
        secret = {"password", "pickle_key"}
        shown = (
            f"{f.name}={'<hidden>' if f.name in secret and value else repr(value)}"
            for f in fields(self)
            for value in [getattr(self, f.name)]
        )
        return f"MatrixConfig({', '.join(shown)})"


@dataclass(frozen=True)
class BotConfig:
    prefix: str = "!"
    data_dir: Path = Path("data")
    timezone: str = "Europe/Berlin"
    language: str = "de"
    display_name: str = "ViR-Bot"
    throttle_commands: int = 10
    throttle_window: float = 60.0
    holidays: str = "HB"  # state whose public holidays "werktags" skips; "" for none

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "vir-bot.db"


@dataclass(frozen=True)
class AccessConfig:
    coordinators: tuple[str, ...] = ()
    coordination_room: str = ""
    invite_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutboxConfig:
    messages_per_second: float = 10.0
    burst: int = 20
    # A message that could not be delivered for this long is given up and reported (by age,
    # not by a count of attempts: an outage of the homeserver is no reason to give up).
    give_up_after: float = 24 * 3600.0
    # Sent and failed messages lose their content and files after this long.
    retention: float = 7 * 24 * 3600.0


@dataclass(frozen=True)
class KnowledgeConfig:
    dir: Path | None = None  # None: the knowledge/ folder shipped with the bot
    threshold: float = 0.4


@dataclass(frozen=True)
class PrivacyConfig:
    """The privacy notice (!datenschutz, first registration) and how long data is kept."""

    controller: str = ""  # who is responsible (DSGVO Art. 13), e.g. "ViR-Nordwest, Bremen"
    contact: str = ""  # how to reach them or the data protection officer
    legal_basis: str = "Art. 6 Abs. 1 lit. b DSGVO"
    retention_days: int = 90  # after an event ends, its registrations are deleted
    notice: str = ""  # a complete notice text instead of the generated one


@dataclass(frozen=True)
class WorkshopConfig:
    key: str
    title: str
    capacity: int = 0  # 0 = no limit


@dataclass(frozen=True)
class EventConfig:
    """An [[events]] entry; times are aware UTC (the file gives local time in bot.timezone)."""

    key: str
    title: str
    starts: datetime
    ends: datetime
    location: str = ""
    capacity: int = 0  # 0 = no limit
    registration_closes: datetime | None = None
    max_per_organisation: int = 0  # 0 = no limit
    announce_room: str | None = None
    reminders: tuple[str, ...] | None = None  # offsets before the start, e.g. "1d", "2h"
    workshops: tuple[WorkshopConfig, ...] = ()


@dataclass(frozen=True)
class RemindersConfig:
    late_grace: float = 6 * 3600.0  # seconds; a reminder later than this is reported missed
    offsets: tuple[str, ...] = ("7d", "1d", "1h")  # event reminders before the start


@dataclass(frozen=True)
class Config:
    matrix: MatrixConfig
    bot: BotConfig = field(default_factory=BotConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    outbox: OutboxConfig = field(default_factory=OutboxConfig)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    events: tuple[EventConfig, ...] = ()
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    source: Path | None = None


# key -> (type description, validator) per section; the schema doubles as "did you mean" source.
_SCHEMA: dict[str, dict[str, str]] = {
    "matrix": {
        "homeserver": "a URL starting with http:// or https://",
        "user_id": "a Matrix user id like @vir-bot:example.org",
        "password": "a string",
        "device_name": "a string",
        "pickle_key": "a string",
        "trust": '"all" or "tofu"',
        "blocklist": "a list of device ids or user ids",
        "key_wait": "a number of seconds > 0",
    },
    "bot": {
        "prefix": "one or two non-space characters",
        "data_dir": "a directory path",
        "timezone": "an IANA time zone like Europe/Berlin",
        "language": '"de" or "en"',
        "display_name": "a string",
        "throttle_commands": "an integer >= 1",
        "throttle_window": "a number of seconds > 0",
        "holidays": 'a German state code like "HB" or "NI", or "" for none',
    },
    "access": {
        "coordinators": "a list of Matrix user ids",
        "coordination_room": 'a room id like "!abc:example.org" or ""',
        "invite_from": 'a list of user id globs like "@*:example.org"',
    },
    "knowledge": {
        "dir": "a directory with the knowledge files",
        "threshold": "a number between 0 and 1",
    },
    "privacy": {
        "controller": "a string naming who is responsible for the data",
        "contact": "a string: how to reach the controller or data protection officer",
        "legal_basis": "a string",
        "retention_days": "an integer >= 0 (days after an event ends)",
        "notice": "a string (replaces the generated privacy notice)",
    },
    "outbox": {
        "messages_per_second": "a number > 0",
        "burst": "an integer >= 1",
        "give_up_after": 'a duration like "24h", "90m" or a number of seconds (>= 60 s)',
        "retention": 'a duration like "7d", "12h" or a number of seconds (>= 1 h)',
        "max_attempts": "(deprecated, ignored: use give_up_after)",
    },
    "reminders": {
        "late_grace": 'a duration like "6h" or "30m"',
        "offsets": 'a list of durations like ["7d", "1d", "1h"]',
    },
}


# [[events]] is an array of tables: key -> what is expected, checked by _parse_events.
_ARRAY_SCHEMA: dict[str, dict[str, str]] = {
    "events": {
        "key": "a short key of lower-case letters, digits and hyphens, like plenum-2027",
        "title": "a non-empty string",
        "starts": 'a local date and time like "2027-01-28T09:30"',
        "ends": 'a local date and time after starts, like "2027-01-28T16:00"',
        "location": "a string",
        "capacity": "an integer >= 0 (0 = no limit)",
        "registration_closes": 'a local date and time before ends, like "2027-01-26T23:59"',
        "max_per_organisation": "an integer >= 0 (0 = no limit)",
        "announce_room": 'a room id like "!abc:example.org"',
        "reminders": 'a list of offsets before the start like ["7d", "1d", "2h", "30m"]',
        "workshops": "a list of [[events.workshops]] tables",
    },
    "events.workshops": {
        "key": "a short key of lower-case letters, digits and hyphens, like e-rechnung",
        "title": "a non-empty string",
        "capacity": "an integer >= 0 (0 = no limit)",
    },
}
EVENT_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
REMINDER_OFFSET = re.compile(r"^[1-9][0-9]*(m|h|d|w)$")


def parse_local_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """A TOML datetime or an ISO string ("2027-01-28T09:30", also with a space), read as local
    time in ``tz`` unless it carries an offset; aware UTC, or None if it is not a date-time."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _parse_events(raw: Any, tz: ZoneInfo, problems: list[str]) -> tuple[EventConfig, ...]:
    """The [[events]] array; every problem is named like ``events.plenum-2027.starts``."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.append("events: expected [[events]] tables")
        return ()
    schema = _ARRAY_SCHEMA["events"]
    events: list[EventConfig] = []
    seen: set[str] = set()
    for index, table in enumerate(raw, start=1):
        key = table.get("key")
        where = (
            f"events.{key}"
            if isinstance(key, str) and EVENT_KEY.match(key)
            else (f"events[{index}]")
        )
        before = len(problems)

        def bad(name: str, value: Any, where: str = where, kind: str = "events") -> None:
            problems.append(f"{where}.{name}: expected {_ARRAY_SCHEMA[kind][name]}, got {value!r}")

        for name in table:
            if name not in schema:
                problems.append(f"{where}.{name}: unknown key{_did_you_mean(name, schema)}")
        if not isinstance(key, str) or not EVENT_KEY.match(key):
            bad("key", key)
        elif key in seen:
            problems.append(f"{where}.key: {key!r} is used by two events")
        seen.add(str(key))
        title = table.get("title")
        if not isinstance(title, str) or not title.strip():
            bad("title", title)
        times: dict[str, datetime | None] = {}
        for name in ("starts", "ends", "registration_closes"):
            if name not in table:
                if name != "registration_closes":
                    problems.append(f"{where}.{name}: missing; expected {schema[name]}")
                times[name] = None
                continue
            times[name] = parse_local_datetime(table[name], tz)
            if times[name] is None:
                bad(name, table[name])
        starts, ends, closes = times["starts"], times["ends"], times["registration_closes"]
        if starts and ends and ends <= starts:
            bad("ends", table["ends"])
        if closes and ends and closes > ends:
            bad("registration_closes", table["registration_closes"])
        numbers: dict[str, int] = {}
        for name in ("capacity", "max_per_organisation"):
            value = table.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                bad(name, value)
                value = 0
            numbers[name] = value
        location = table.get("location", "")
        if not isinstance(location, str):
            bad("location", location)
        room = table.get("announce_room")
        if room is not None and not (isinstance(room, str) and ROOM_ID.match(room)):
            bad("announce_room", room)
        reminders = table.get("reminders")
        if reminders is not None and not (
            isinstance(reminders, list)
            and all(isinstance(o, str) and REMINDER_OFFSET.match(o) for o in reminders)
        ):
            bad("reminders", reminders)
        workshops = _parse_workshops(table.get("workshops", []), where, problems)
        if len(problems) == before:
            assert starts is not None and ends is not None
            events.append(
                EventConfig(
                    key=key,
                    title=title.strip(),
                    starts=starts,
                    ends=ends,
                    location=location,
                    capacity=numbers["capacity"],
                    registration_closes=closes,
                    max_per_organisation=numbers["max_per_organisation"],
                    announce_room=room,
                    reminders=None if reminders is None else tuple(reminders),
                    workshops=workshops,
                )
            )
    return tuple(events)


def _parse_workshops(raw: Any, where: str, problems: list[str]) -> tuple[WorkshopConfig, ...]:
    schema = _ARRAY_SCHEMA["events.workshops"]
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.append(f"{where}.workshops: expected [[events.workshops]] tables")
        return ()
    workshops: list[WorkshopConfig] = []
    for index, table in enumerate(raw, start=1):
        key = table.get("key")
        at = (
            f"{where}.workshops.{key}"
            if isinstance(key, str) and EVENT_KEY.match(key)
            else (f"{where}.workshops[{index}]")
        )
        for name in table:
            if name not in schema:
                problems.append(f"{at}.{name}: unknown key{_did_you_mean(name, schema)}")
        title = table.get("title")
        capacity = table.get("capacity", 0)
        ok = True
        for name, valid in (
            ("key", isinstance(key, str) and bool(EVENT_KEY.match(key))),
            ("title", isinstance(title, str) and bool(title.strip())),
            (
                "capacity",
                isinstance(capacity, int) and not isinstance(capacity, bool) and capacity >= 0,
            ),
        ):
            if not valid:
                problems.append(f"{at}.{name}: expected {schema[name]}, got {table.get(name)!r}")
                ok = False
        if ok and any(w.key == key for w in workshops):
            problems.append(f"{at}.key: {key!r} is used by two workshops of this event")
            ok = False
        if ok:
            workshops.append(WorkshopConfig(key, title.strip(), capacity))
    return tuple(workshops)


class _Reader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def check_unknown(self) -> None:
        for section, values in self.data.items():
            if section in _ARRAY_SCHEMA:
                continue  # arrays of tables are checked by their own parser
            if section not in _SCHEMA:
                self.problems.append(
                    f"[{section}]: unknown section{_did_you_mean(section, _SCHEMA)}"
                )
                continue
            if not isinstance(values, dict):
                self.problems.append(f"[{section}]: expected a table")
                continue
            for key in values:
                if key not in _SCHEMA[section]:
                    hint = _did_you_mean(key, _SCHEMA[section])
                    self.problems.append(f"{section}.{key}: unknown key{hint}")

    def get(self, section: str, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        table = self.data.get(section, {})
        if not isinstance(table, dict) or key not in table:
            return default
        value = table[key]
        # bool is an int in Python; a number key must not accept true/false.
        if isinstance(value, bool) and kind is not bool:
            return self._bad(section, key, value, default)
        if not isinstance(value, kind):
            return self._bad(section, key, value, default)
        return value

    def get_duration(self, section: str, key: str, default: float) -> float:
        """Seconds, from a number or a string like "90s", "30m", "24h", "7d"."""
        value = self.get(section, key, (int, float, str), default)
        if isinstance(value, str):
            match = DURATION.match(value.strip())
            if match is None:
                return float(self._bad(section, key, value, default))
            return float(match[1]) * DURATION_UNITS[match[2]]
        return float(value)

    def get_list(self, section: str, key: str) -> tuple[str, ...]:
        value = self.get(section, key, list, [])
        if not all(isinstance(item, str) for item in value):
            return self._bad(section, key, value, ())
        return tuple(value)

    def get_required(self, section: str, key: str) -> str | None:
        """A required string; None (and one "missing" problem) when absent or empty."""
        table = self.data.get(section)
        if not isinstance(table, dict):
            return None  # the missing or broken section is reported once, not per key
        value = self.get(section, key, str, None)
        if key in table and value is None:
            return None  # a wrong type, already reported
        if not value:
            self.problems.append(f"{section}.{key}: missing; expected {_SCHEMA[section][key]}")
            return None
        return value

    def require(self, ok: bool, section: str, key: str, value: Any) -> None:
        if not ok:
            self._bad(section, key, value, None)

    def _bad(self, section: str, key: str, value: Any, default: Any) -> Any:
        self.problems.append(f"{section}.{key}: expected {_SCHEMA[section][key]}, got {value!r}")
        return default


def _duration(r: _Reader, section: str, key: str, value: str) -> float:
    try:
        seconds = parse_duration(value).total_seconds()
    except ValueError:
        seconds = 0.0
    r.require(seconds > 0, section, key, value)
    return seconds


def _did_you_mean(word: str, choices: dict[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def load_config(path: Path, environ: dict[str, str] | None = None) -> Config:
    """Read and validate ``path``; raise ConfigError listing every problem."""
    env = os.environ if environ is None else environ
    data = _read_toml(path)
    return parse_config(data, base_dir=path.resolve().parent, environ=env, source=path)


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML table, read as UTF-8 (a BOM, as some Windows editors write, is accepted).

    Every failure becomes a ConfigError an operator understands without a traceback.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a folder; pass the configuration file itself"]) from None
    except PermissionError:
        raise ConfigError([f"{path}: permission denied (cannot read the file)"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the file ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            [
                f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} in line {line}, e.g. an "
                "umlaut saved by an old editor as Latin-1); save the file as UTF-8"
            ]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc})"]) from None


def parse_config(
    data: dict[str, Any],
    base_dir: Path,
    environ: dict[str, str] | os._Environ[str] | None = None,
    source: Path | None = None,
) -> Config:
    env = environ if environ is not None else {}
    r = _Reader(data)
    r.check_unknown()
    if "matrix" not in data:
        r.problems.append("[matrix]: missing section (homeserver and user_id are required)")

    homeserver = r.get_required("matrix", "homeserver") or ""
    if homeserver:
        r.require(
            homeserver.startswith(("http://", "https://")), "matrix", "homeserver", homeserver
        )
    user_id = r.get_required("matrix", "user_id") or ""
    if user_id:
        r.require(bool(USER_ID.match(user_id)), "matrix", "user_id", user_id)
    password = env.get("VIRBOT_PASSWORD") or r.get("matrix", "password", str, None)
    pickle_key = env.get("VIRBOT_PICKLE_KEY") or r.get("matrix", "pickle_key", str, None)
    trust = r.get("matrix", "trust", str, "all")
    r.require(trust in ("all", "tofu"), "matrix", "trust", trust)
    key_wait = float(r.get("matrix", "key_wait", (int, float), 60.0))
    r.require(key_wait > 0, "matrix", "key_wait", key_wait)

    prefix = r.get("bot", "prefix", str, "!")
    r.require(1 <= len(prefix) <= 2 and not prefix.isspace(), "bot", "prefix", prefix)
    data_dir = Path(r.get("bot", "data_dir", str, "data"))
    if not data_dir.is_absolute():
        data_dir = base_dir / data_dir
    timezone = r.get("bot", "timezone", str, "Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.require(False, "bot", "timezone", timezone)
        timezone = "Europe/Berlin"
    language = r.get("bot", "language", str, "de")
    r.require(language in ("de", "en"), "bot", "language", language)
    throttle_commands = r.get("bot", "throttle_commands", int, 10)
    r.require(throttle_commands >= 1, "bot", "throttle_commands", throttle_commands)
    throttle_window = float(r.get("bot", "throttle_window", (int, float), 60.0))
    r.require(throttle_window > 0, "bot", "throttle_window", throttle_window)

    holidays = r.get("bot", "holidays", str, "HB")
    r.require(holidays == "" or valid_holiday_state(holidays), "bot", "holidays", holidays)

    coordinators = r.get_list("access", "coordinators")
    for user in coordinators:
        r.require(bool(USER_ID.match(user)), "access", "coordinators", user)
    coordination_room = r.get("access", "coordination_room", str, "")
    r.require(
        coordination_room == "" or bool(ROOM_ID.match(coordination_room)),
        "access",
        "coordination_room",
        coordination_room,
    )
    invite_from = r.get_list("access", "invite_from")
    for glob in invite_from:
        r.require(glob.startswith("@") and ":" in glob, "access", "invite_from", glob)

    rate = float(r.get("outbox", "messages_per_second", (int, float), 10.0))
    r.require(rate > 0, "outbox", "messages_per_second", rate)
    burst = r.get("outbox", "burst", int, 20)
    r.require(burst >= 1, "outbox", "burst", burst)
    give_up_after = r.get_duration("outbox", "give_up_after", 24 * 3600.0)
    r.require(give_up_after >= 60, "outbox", "give_up_after", give_up_after)
    retention = r.get_duration("outbox", "retention", 7 * 24 * 3600.0)
    r.require(retention >= 3600, "outbox", "retention", retention)
    if "max_attempts" in (data.get("outbox") or {}):
        log.warning(
            "outbox.max_attempts is deprecated and ignored: a message is given up by age "
            "(outbox.give_up_after, default 24h)"
        )

    knowledge_dir: Path | None = None
    raw_dir = r.get("knowledge", "dir", str, "")
    if raw_dir:
        knowledge_dir = Path(raw_dir) if Path(raw_dir).is_absolute() else base_dir / raw_dir
        r.require(knowledge_dir.is_dir(), "knowledge", "dir", raw_dir)
    threshold = float(r.get("knowledge", "threshold", (int, float), 0.4))
    r.require(0 <= threshold <= 1, "knowledge", "threshold", threshold)

    retention_days = r.get("privacy", "retention_days", int, 90)
    r.require(retention_days >= 0, "privacy", "retention_days", retention_days)
    privacy = PrivacyConfig(
        controller=r.get("privacy", "controller", str, ""),
        contact=r.get("privacy", "contact", str, ""),
        legal_basis=r.get("privacy", "legal_basis", str, PrivacyConfig.legal_basis),
        retention_days=retention_days,
        notice=r.get("privacy", "notice", str, ""),
    )
    events = _parse_events(data.get("events"), ZoneInfo(timezone), r.problems)
    late_grace = _duration(
        r, "reminders", "late_grace", r.get("reminders", "late_grace", str, "6h")
    )
    offsets = r.get_list("reminders", "offsets") or ("7d", "1d", "1h")
    for offset in offsets:
        _duration(r, "reminders", "offsets", offset)

    if r.problems:
        raise ConfigError(r.problems)
    return Config(
        matrix=MatrixConfig(
            homeserver=homeserver.rstrip("/"),
            user_id=user_id,
            password=password,
            device_name=r.get("matrix", "device_name", str, "ViR-Bot"),
            pickle_key=pickle_key,
            trust=trust,
            blocklist=r.get_list("matrix", "blocklist"),
            key_wait=key_wait,
        ),
        bot=BotConfig(
            prefix=prefix,
            data_dir=data_dir,
            timezone=timezone,
            language=language,
            display_name=r.get("bot", "display_name", str, "ViR-Bot"),
            throttle_commands=throttle_commands,
            throttle_window=throttle_window,
            holidays=holidays,
        ),
        access=AccessConfig(
            coordinators=coordinators,
            coordination_room=coordination_room,
            invite_from=invite_from,
        ),
        outbox=OutboxConfig(
            messages_per_second=rate,
            burst=burst,
            give_up_after=give_up_after,
            retention=retention,
        ),
        knowledge=KnowledgeConfig(dir=knowledge_dir, threshold=threshold),
        privacy=privacy,
        events=events,
        reminders=RemindersConfig(late_grace=late_grace, offsets=tuple(offsets)),
        source=source,
    )
