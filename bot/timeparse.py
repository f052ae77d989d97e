"""German (and some English) time expressions for reminders: one-off times and recurring rules.

dateparser is wrong for German ("morgen 9 Uhr" becomes tomorrow at the *current* time), so this
is a small dedicated parser. Everything is relative to ``now`` in the bot's zone:

- relative: ``in 30 Sekunden``, ``in 2 Stunden`` (elapsed time), ``in 3 Tagen``, ``in einer
  Woche`` (same local time of day);
- a day and a time: ``morgen 9 Uhr``, ``übermorgen 8 Uhr``, ``Freitag 10:00``, ``nächsten
  Montag um 9``, ``am 28.01.2027 um 18:00``, ``28.1. 18 Uhr``, ``2027-01-28 18:00``,
  ``um 15 Uhr`` (today, or tomorrow if passed), ``heute Abend``, ``morgen früh``;
- English: ``in 5 minutes``, ``tomorrow 9am``, ``next monday at 9``;
- recurring: ``jeden Montag 9 Uhr``, ``täglich 8:30``, ``werktags 7:45`` (Monday to Friday
  without the configured state's public holidays), ``jeden 1. des Monats 10 Uhr``,
  ``cron 0 9 * * 1`` (crontab numbering, 0 = Sunday), each with an optional ``bis 31.03.2027``.

Local times the DST change skips are refused for one-off times; a repeated (October) time is
resolved to its first occurrence with a note. A recurring time in the skipped hour fires at the
first valid time after it, and in the repeated hour once. APScheduler is not used for any of
this (its ``from_crontab`` numbers weekdays from Monday): rules compute their next time here.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n import pick
from bot.lazy import load

if TYPE_CHECKING:
    import holidays as holidays_lib

MAX_AHEAD = timedelta(days=366 * 10)  # beyond this a reminder is surely a typo

WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Folded (lower case, umlauts as ae/oe/ue) word -> weekday (Monday = 0).
_WEEKDAY_WORDS: dict[str, int] = {}
for _i, (_de, _en) in enumerate(zip(WEEKDAYS_DE, WEEKDAYS_EN, strict=True)):
    for _w in (_de.lower(), _de.lower()[:2], _en.lower(), _en.lower()[:3]):
        _WEEKDAY_WORDS[_w] = _i
_WEEKDAY_WORDS.update({"mo.": 0, "di.": 1, "mi.": 2, "do.": 3, "fr.": 4, "sa.": 5, "so.": 6})
_WEEKDAY_WORDS.update({"tues": 1, "thur": 3, "thurs": 3})
# "montags", "mondays": every such day.
_WEEKDAY_PLURAL = {f"{WEEKDAYS_DE[i].lower()}s": i for i in range(7)} | {
    f"{WEEKDAYS_EN[i].lower()}s": i for i in range(7)
}

_MONTH_WORDS: dict[str, int] = {}
for _i, (_de, _en) in enumerate(zip(MONTHS_DE, MONTHS_EN, strict=True), start=1):
    _f = _de.lower().replace("ä", "ae")
    for _w in (_f, _f[:3], _en.lower(), _en.lower()[:3]):
        _MONTH_WORDS[_w] = _i
_MONTH_WORDS.update({"maerz": 3, "mrz": 3, "sept": 9})

_NUMBER_WORDS = {
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "einen": 1,
    "a": 1,
    "an": 1,
    "one": 1,
    "zwei": 2,
    "two": 2,
    "drei": 3,
    "three": 3,
    "vier": 4,
    "four": 4,
    "fuenf": 5,
    "five": 5,
    "sechs": 6,
    "six": 6,
    "sieben": 7,
    "seven": 7,
    "acht": 8,
    "eight": 8,
    "neun": 9,
    "nine": 9,
    "zehn": 10,
    "ten": 10,
    "elf": 11,
    "eleven": 11,
    "zwoelf": 12,
    "twelve": 12,
}

# Unit word -> (seconds per unit, keeps the local time of day)
_UNITS: dict[str, tuple[int, bool]] = {}
for _words, _value in (
    (("s", "sek", "sek.", "sekunde", "sekunden", "sec", "secs", "second", "seconds"), (1, False)),
    (("min", "min.", "minute", "minuten", "mins", "minutes"), (60, False)),
    (("h", "std", "std.", "stunde", "stunden", "hour", "hours", "hr", "hrs"), (3600, False)),
    (("tag", "tage", "tagen", "day", "days"), (86400, True)),
    (("woche", "wochen", "week", "weeks"), (7 * 86400, True)),
):
    for _w in _words:
        _UNITS[_w] = _value

# Part of the day -> default time (the conventions).
_PARTS_OF_DAY: dict[str, time] = {
    "frueh": time(8, 0),
    "morgens": time(8, 0),
    "vormittag": time(10, 0),
    "vormittags": time(10, 0),
    "mittag": time(12, 0),
    "mittags": time(12, 0),
    "nachmittag": time(15, 0),
    "nachmittags": time(15, 0),
    "abend": time(19, 0),
    "abends": time(19, 0),
    "morning": time(8, 0),
    "noon": time(12, 0),
    "afternoon": time(15, 0),
    "evening": time(19, 0),
    "tonight": time(19, 0),
}
_PM_PARTS = {"nachmittag", "nachmittags", "abend", "abends", "afternoon", "evening", "tonight"}

# Words that carry no meaning of their own ("am Freitag um 9 Uhr", "tomorrow at 9").
_FILLERS = {"am", "um", "at", "on", "gegen", "den", "der", "the", "this", "diesen", "in", ","}


class TimeParseError(UserError):
    """A time expression that cannot be understood; the message says what is expected."""


def examples(lang: str) -> str:
    return pick(
        lang,
        "Beispiele: „in 10 Minuten“, „morgen 9 Uhr“, „Freitag 14:30“, „am 28.01.2027 um "
        "18:00“, „jeden Montag 9 Uhr“, „werktags 7:45“.",
        'Examples: "in 10 minutes", "tomorrow 9am", "friday 14:30", "2027-01-28 18:00", '
        '"every monday 9am", "weekdays 7:45".',
    )


def fold(text: str) -> str:
    text = text.strip().casefold()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"\s+", " ", text)


# --- local time and the DST change -----------------------------------------------------------


def _round_trips(aware: datetime, naive: datetime) -> bool:
    return aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None) == naive


def local_kind(naive: datetime, tz: ZoneInfo) -> str:
    """'ok', 'gap' (skipped by the change to summer time) or 'ambiguous' (repeated hour)."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "ok"
    return "ambiguous" if _round_trips(first, naive) else "gap"


def first_valid_after_gap(naive: datetime, tz: ZoneInfo) -> datetime:
    """The first local time that exists at or after a skipped ``naive`` time (e.g. 03:00)."""
    probe = naive.replace(second=0, microsecond=0)
    for _ in range(60 * 48):
        probe += timedelta(minutes=1)
        if local_kind(probe, tz) != "gap":
            return probe.replace(tzinfo=tz, fold=0)
    raise ValueError(f"no valid local time after {naive} in {tz}")  # pragma: no cover


def format_when(moment: datetime, tz: ZoneInfo, lang: str = "de") -> str:
    """``Donnerstag, 28. Januar 2027, 18:00 Uhr`` / ``Thursday, 28 January 2027, 18:00``."""
    local = moment.astimezone(tz)
    if lang == "en":
        return (
            f"{WEEKDAYS_EN[local.weekday()]}, {local.day} {MONTHS_EN[local.month - 1]} "
            f"{local.year}, {local:%H:%M}"
        )
    return (
        f"{WEEKDAYS_DE[local.weekday()]}, {local.day}. {MONTHS_DE[local.month - 1]} "
        f"{local.year}, {local:%H:%M} Uhr"
    )


def format_short(moment: datetime, tz: ZoneInfo, lang: str = "de") -> str:
    """``Do 28.01.2027 18:00`` for lists."""
    local = moment.astimezone(tz)
    day = (WEEKDAYS_EN if lang == "en" else WEEKDAYS_DE)[local.weekday()][:2]
    return f"{day} {local:%d.%m.%Y %H:%M}"


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OneOff:
    at: datetime  # aware, in the bot's zone
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    """A recurring rule as cron-like sets in local time (weekday numbering: Monday = 0)."""

    kind: str  # "weekly", "daily", "workdays", "monthly", "cron"
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: tuple[int, ...] | None  # day of month; None = any
    months: tuple[int, ...]
    weekdays: tuple[int, ...] | None  # None = any
    holidays: str | None = None  # state whose public holidays a "workdays" rule skips
    until: date | None = None
    cron: str = ""  # the crontab text as written, for "cron" rules

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "minutes": self.minutes,
                "hours": self.hours,
                "days": self.days,
                "months": self.months,
                "weekdays": self.weekdays,
                "holidays": self.holidays,
                "until": self.until.isoformat() if self.until else None,
                "cron": self.cron,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Rule:
        data = json.loads(text)

        def tup(value: list[int] | None) -> tuple[int, ...] | None:
            return None if value is None else tuple(value)

        return cls(
            kind=data["kind"],
            minutes=tuple(data["minutes"]),
            hours=tuple(data["hours"]),
            days=tup(data["days"]),
            months=tuple(data["months"]),
            weekdays=tup(data["weekdays"]),
            holidays=data.get("holidays"),
            until=date.fromisoformat(data["until"]) if data.get("until") else None,
            cron=data.get("cron", ""),
        )

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        dom_ok = self.days is None or day.day in self.days
        dow_ok = self.weekdays is None or day.weekday() in self.weekdays
        if self.days is not None and self.weekdays is not None:
            ok = dom_ok or dow_ok  # crontab: either restricted field may match
        else:
            ok = dom_ok and dow_ok
        if ok and self.holidays and is_holiday(day, self.holidays):
            return False
        return ok

    @cached_property
    def _slots(self) -> list[tuple[int, int]]:
        return sorted((h, m) for h in self.hours for m in self.minutes)

    def _day_times(self, day: date, tz: ZoneInfo, from_clock: time | None = None) -> list[datetime]:
        """The rule's times on ``day`` (UTC, ascending, each once), from ``from_clock`` on.

        A time in the skipped hour becomes the first valid time after it (several of them
        collapse into one); a time in the repeated hour is its first occurrence only.
        """
        if not self._day_matches(day):
            return []
        slots = self._slots
        if from_clock is not None:
            slots = slots[bisect_left(slots, (from_clock.hour, from_clock.minute)) :]
        times: list[datetime] = []
        for hour, minute in slots:
            moment = _resolve_recurring(datetime.combine(day, time(hour, minute)), tz)
            moment = moment.astimezone(UTC)
            if not times or moment > times[-1]:
                times.append(moment)
        return times

    def next_after(self, after: datetime, tz: ZoneInfo) -> datetime | None:
        """The first time strictly after ``after``, or None when the rule has ended.

        Computed from the rule in local time (09:00 stays 09:00 across DST): a time in the
        skipped hour fires at the first valid time after it, a time in the repeated hour once.
        """
        # Compare in UTC: aware times sharing a tzinfo compare by wall clock, fold ignored.
        after = after.astimezone(UTC)
        local = after.astimezone(tz)
        day = local.date()
        # Wall times well before ``after`` need no DST check (a tight cron rule has many).
        earliest = (local.replace(tzinfo=None) - timedelta(hours=3)).time()
        from_clock = earliest if earliest < local.time() else None
        for _ in range(366 * 9):  # a 29th of February may be eight years away
            if self.until is not None and day > self.until:
                return None
            for moment in self._day_times(day, tz, from_clock):
                if moment > after:
                    return moment.astimezone(tz)
            day += timedelta(days=1)
            from_clock = None
        return None

    def count_between(self, start: datetime, end: datetime, tz: ZoneInfo, cap: int) -> int:
        """How many times of the rule lie strictly between ``start`` and ``end`` (at most cap)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        day, count = start.astimezone(tz).date(), 0
        while day <= end.astimezone(tz).date() and count < cap:
            count += sum(1 for m in self._day_times(day, tz) if start < m < end)
            day += timedelta(days=1)
        return min(count, cap)

    def last_at_or_before(self, moment: datetime, tz: ZoneInfo, since: datetime) -> datetime:
        """The latest time of the rule in [``since``, ``moment``]; ``since`` if none is later."""
        moment, since = moment.astimezone(UTC), since.astimezone(UTC)
        day = moment.astimezone(tz).date()
        while day >= since.astimezone(tz).date():
            for candidate in reversed(self._day_times(day, tz)):
                if since <= candidate <= moment:
                    return candidate
            day -= timedelta(days=1)
        return since

    def upcoming(self, after: datetime, tz: ZoneInfo, count: int) -> list[datetime]:
        found: list[datetime] = []
        moment = after
        while len(found) < count:
            nxt = self.next_after(moment, tz)
            if nxt is None:
                break
            found.append(nxt)
            moment = nxt
        return found

    def skipped_holidays(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
        """Weekday public holidays between ``start`` and ``end`` that a workdays rule skips."""
        if not self.holidays:
            return []
        day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        skipped = []
        while day <= last:
            if day.weekday() < 5 and is_holiday(day, self.holidays):
                skipped.append(day)
            day += timedelta(days=1)
        return skipped

    def describe(self, lang: str = "de") -> str:
        clock = ", ".join(f"{h:02d}:{m:02d}" for h in self.hours for m in self.minutes)
        if self.kind == "daily":
            text = pick(lang, f"täglich um {clock} Uhr", f"daily at {clock}")
        elif self.kind == "workdays":
            text = pick(
                lang,
                f"werktags (Mo–Fr außer Feiertagen) um {clock} Uhr",
                f"on workdays (Mon–Fri except public holidays) at {clock}",
            )
        elif self.kind == "weekly" and self.weekdays:
            names = WEEKDAYS_EN if lang == "en" else WEEKDAYS_DE
            day = " & ".join(names[d] for d in self.weekdays)
            text = pick(lang, f"jeden {day} um {clock} Uhr", f"every {day} at {clock}")
        elif self.kind == "monthly" and self.days:
            text = pick(
                lang,
                f"jeden {self.days[0]}. des Monats um {clock} Uhr",
                f"on day {self.days[0]} of every month at {clock}",
            )
        else:
            text = pick(lang, f"nach Cron-Ausdruck „{self.cron}“", f'by cron "{self.cron}"')
        if self.until:
            text += pick(lang, f" bis {self.until:%d.%m.%Y}", f" until {self.until.isoformat()}")
        return text


@dataclass(frozen=True)
class Recurring:
    rule: Rule
    first: datetime
    note: str | None = None


Parsed = OneOff | Recurring


def _resolve_recurring(naive: datetime, tz: ZoneInfo) -> datetime:
    kind = local_kind(naive, tz)
    if kind == "gap":
        return first_valid_after_gap(naive, tz)
    return naive.replace(tzinfo=tz, fold=0)  # the repeated hour: its first occurrence only


# Germany's 16 states, each a subdivision of the holidays package since before our lower bound
# (a test checks), so that the configured state is checked without importing it: looking up
# Germany there imports every country's calendar (≈ 13 MB resident), which only reminders that
# skip holidays need. Newer releases add the city of Augsburg; a state is what we accept.
GERMAN_STATES = frozenset("BB BE BW BY HB HE HH MV NI NW RP SH SL SN ST TH".split())


@lru_cache(maxsize=64)
def _holiday_calendar(state: str, year: int, lang: str = "de") -> holidays_lib.HolidayBase:
    # Germany's module itself (bot/lazy.py: never imported inside a transaction), not
    # country_holidays("DE"), which imports every country's module first (340 against 160 ms;
    # the calendars they share make up most of the ≈ 9 MB either way).
    germany = load("holidays.countries.germany")
    calendar: holidays_lib.HolidayBase = germany.Germany(
        subdiv=state, years=year, language="en_US" if lang == "en" else "de"
    )
    return calendar


def is_holiday(day: date, state: str) -> bool:
    return day in _holiday_calendar(state, day.year)


def holiday_name(day: date, state: str, lang: str = "de") -> str:
    return str(_holiday_calendar(state, day.year, lang).get(day) or "")


def valid_holiday_state(state: str) -> bool:
    return state in GERMAN_STATES


# --- durations (config, event offsets) -------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|min|h|d|w)\s*$", re.IGNORECASE)
_DURATION_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """``"7d"``, ``"1h"``, ``"30m"``, ``"90s"``, ``"2w"``; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"expected a duration like 7d, 1h or 30m, got {text!r}")
    return timedelta(seconds=int(match.group(1)) * _DURATION_UNITS[match.group(2).lower()])


def describe_duration(delta: timedelta, lang: str = "de") -> str:
    """``eine Woche``, ``3 Tage``, ``einen Tag`` (as in "… vorher") / ``1 week``, ``3 days``."""
    seconds = int(delta.total_seconds())
    for size, de1, den, en1, enn in (
        (7 * 86400, "eine Woche", "Wochen", "1 week", "weeks"),
        (86400, "einen Tag", "Tage", "1 day", "days"),
        (3600, "eine Stunde", "Stunden", "1 hour", "hours"),
        (60, "eine Minute", "Minuten", "1 minute", "minutes"),
    ):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            if lang == "en":
                return en1 if n == 1 else f"{n} {enn}"
            return de1 if n == 1 else f"{n} {den}"
    return pick(lang, f"{seconds} Sekunden", f"{seconds} seconds")


# --- the parser ------------------------------------------------------------------------------

_MONTH_PATTERN = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
# MONTHS is replaced by the month names: "9 Uhr" must not read as a day and a month.
_TOKEN_PATTERN = r"""
    (?P<iso>\d{4}-\d{1,2}-\d{1,2})
  | (?P<dmy>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}(?!\d))?)
  | (?P<dmonth>\d{1,2}\.?\s+(?:MONTHS)\b\.?(?:\s+\d{4})?)
  | (?P<ampm>\d{1,2}(?::\d{2})?\s*(?:am|pm)\b)
  | (?P<hm>\d{1,2}[:.]\d{2}(?:\s*uhr\b)?)
  | (?P<uhr>\d{1,2}\s*(?:uhr|h)\b(?:\s*\d{2}\b)?)
  | (?P<num>\d+)
  | (?P<word>[a-z]+\.?)
  | (?P<comma>,)
  | (?P<space>\s+)
  | (?P<other>.)
"""
_TOKEN = re.compile(_TOKEN_PATTERN.replace("MONTHS", _MONTH_PATTERN), re.VERBOSE)


@dataclass
class _Parts:
    day: tuple[str, object] | None = None  # ("today"|"tomorrow"|"after"|"weekday"|"date", v)
    clock: tuple[int, int] | None = None
    part: str | None = None
    next_word: bool = False
    explicit_pm: bool = False


class Parser:
    def __init__(self, now: datetime, tz: ZoneInfo, lang: str = "de", holidays: str | None = "HB"):
        self.now = now.astimezone(tz)
        self.tz = tz
        self.lang = lang
        self.holidays = holidays or None

    def t(self, de: str, en: str) -> str:
        return pick(self.lang, de, en)

    def fail(self, de: str, en: str) -> TimeParseError:
        return TimeParseError(f"{self.t(de, en)} {examples(self.lang)}")

    # entry point
    def parse(self, text: str) -> Parsed:
        raw = text.strip()
        folded = fold(raw)
        if not folded:
            raise self.fail("Es fehlt die Zeitangabe.", "The time is missing.")
        until, folded = self._split_until(folded)
        recurring = self._recurring(folded, until)
        if recurring is not None:
            return recurring
        if until is not None:
            raise self.fail(
                "„bis …“ gibt es nur bei wiederkehrenden Erinnerungen.",
                '"until …" only works with recurring reminders.',
            )
        relative = self._relative(folded)
        if relative is not None:
            return relative
        return self._absolute(folded, raw)

    # --- relative ("in 10 Minuten") ---
    _RELATIVE = re.compile(
        r"^in (?P<n>\d+|[a-z]+)(?: (?P<half>halben|halbe|half))? (?P<unit>[a-z.]+)$"
    )

    def _relative(self, s: str) -> OneOff | None:
        if s in ("in einer halben stunde", "in half an hour"):
            return OneOff(self._elapsed(timedelta(minutes=30)))
        match = self._RELATIVE.match(s)
        if not match:
            if s.startswith("in ") and not re.match(r"^in \d{1,2}[.:]", s):
                raise self.fail(
                    f"„{s}“ verstehe ich nicht. Erwartet: „in <Zahl> Sekunden/Minuten/"
                    "Stunden/Tagen/Wochen“.",
                    f'I do not understand "{s}". Expected: "in <number> seconds/minutes/hours/'
                    'days/weeks".',
                )
            return None
        number, unit = match.group("n"), match.group("unit")
        amount = int(number) if number.isdigit() else _NUMBER_WORDS.get(number)
        if amount is None:
            raise self.fail(
                f"„{number}“ ist keine Zahl, die ich kenne.", f'"{number}" is not a number I know.'
            )
        if unit not in _UNITS or match.group("half"):
            raise self.fail(
                f"Die Einheit „{unit}“ kenne ich nicht (Sekunden, Minuten, Stunden, Tage, Wochen).",
                f'I do not know the unit "{unit}" (seconds, minutes, hours, days, weeks).',
            )
        if amount <= 0:
            raise self.fail("Die Zahl muss größer als 0 sein.", "The number must be above 0.")
        seconds, keeps_clock = _UNITS[unit]
        if amount * seconds > MAX_AHEAD.total_seconds():
            raise self._too_far()
        if not keeps_clock:
            return OneOff(self._elapsed(timedelta(seconds=amount * seconds)))
        naive = self.now.replace(tzinfo=None) + timedelta(seconds=amount * seconds)
        return self._finish(naive)

    def _elapsed(self, delta: timedelta) -> datetime:
        # In UTC: Python adds to an aware time by wall clock, which is wrong across DST.
        return (self.now.astimezone(UTC) + delta).astimezone(self.tz)

    # --- absolute ("morgen 9 Uhr") ---
    def _absolute(self, s: str, raw: str) -> OneOff:
        parts = self._tokens(s, raw)
        if parts.day is None and parts.clock is None and parts.part is None:
            raise self.fail(f"„{raw}“ verstehe ich nicht.", f'I do not understand "{raw}".')
        clock = self._clock(parts)
        if clock is None:
            raise self.fail(
                "Bitte auch eine Uhrzeit angeben, z. B. „morgen 9 Uhr“.",
                'Please add a time of day, e.g. "tomorrow 9am".',
            )
        today = self.now.date()
        kind, value = parts.day if parts.day else ("none", None)
        if kind == "none":
            naive = datetime.combine(today, clock)
            if naive <= self.now.replace(tzinfo=None):
                naive += timedelta(days=1)  # "um 15 Uhr" after 15:00: tomorrow
            return self._finish(naive)
        if kind == "today":
            return self._finish(datetime.combine(today, clock))
        if kind in ("tomorrow", "after"):
            offset = 1 if kind == "tomorrow" else 2
            return self._finish(datetime.combine(today + timedelta(days=offset), clock))
        if kind == "weekday":
            assert isinstance(value, int)
            ahead = (value - today.weekday()) % 7
            naive = datetime.combine(today + timedelta(days=ahead), clock)
            if parts.next_word and ahead == 0:
                naive += timedelta(days=7)  # "nächsten Montag" on a Monday: next week
            elif naive <= self.now.replace(tzinfo=None):
                naive += timedelta(days=7)
            return self._finish(naive)
        assert isinstance(value, tuple)
        year, month, day = value
        if year is None:
            return self._finish(self._next_date(month, day, clock))
        return self._finish(datetime.combine(self._date(year, month, day), clock))

    def _next_date(self, month: int, day: int, clock: time) -> datetime:
        """A date without year: its next occurrence (a 29th of February may be years away)."""
        self._date(2028, month, day, show_year=False)  # refuses 31.02. and 31.04. (leap year)
        for year in range(self.now.year, self.now.year + 9):
            try:
                naive = datetime.combine(date(year, month, day), clock)
            except ValueError:
                continue
            if naive > self.now.replace(tzinfo=None):
                return naive
        raise self._too_far()  # pragma: no cover

    def _date(self, year: int, month: int, day: int, show_year: bool = True) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            shown = f"{day:02d}.{month:02d}." + (str(year) if show_year else "")
            raise self.fail(f"Den {shown} gibt es nicht.", f"There is no date {shown}.") from None

    def _clock(self, parts: _Parts) -> time | None:
        if parts.clock is not None:
            hour, minute = parts.clock
            if parts.part in _PM_PARTS and hour < 12 and not parts.explicit_pm:
                hour += 12  # "morgen abend um 8" is 20:00
            return time(hour, minute)
        if parts.part is not None:
            return _PARTS_OF_DAY[parts.part]
        return None

    def _tokens(self, s: str, raw: str) -> _Parts:
        parts = _Parts()
        after_um = False
        for match in _TOKEN.finditer(s):
            kind, text = match.lastgroup, match.group()
            if kind in ("space", "comma"):
                continue
            if kind == "other":
                raise self.fail(
                    f"Das Zeichen „{text}“ verstehe ich in „{raw}“ nicht.",
                    f'I do not understand "{text}" in "{raw}".',
                )
            if kind in ("iso", "dmy", "dmonth"):
                self._set_day(parts, ("date", self._date_token(kind, text)), raw)
            elif kind in ("ampm", "hm", "uhr"):
                self._set_clock(parts, self._clock_token(kind, text), raw)
                parts.explicit_pm = parts.explicit_pm or kind == "ampm"
            elif kind == "num":
                if not after_um and parts.clock is not None:
                    raise self._unknown(text, raw)
                self._set_clock(parts, (int(text), 0), raw)
            else:
                self._word(parts, text, raw)
            after_um = kind == "word" and text in ("um", "at", "gegen")
        return parts

    def _word(self, parts: _Parts, word: str, raw: str) -> None:
        if word in _FILLERS:
            return
        if word in ("heute", "today"):
            self._set_day(parts, ("today", None), raw)
        elif word in ("morgen", "tomorrow"):
            self._set_day(parts, ("tomorrow", None), raw)
        elif word in ("uebermorgen",):
            self._set_day(parts, ("after", None), raw)
        elif word in ("naechsten", "naechster", "naechste", "kommenden", "next"):
            parts.next_word = True
        elif word in _WEEKDAY_WORDS:
            self._set_day(parts, ("weekday", _WEEKDAY_WORDS[word]), raw)
        elif word in _PARTS_OF_DAY:
            if parts.part is not None:
                raise self._unknown(word, raw)
            parts.part = word
            if word == "tonight":
                self._set_day(parts, ("today", None), raw)
        elif word == "uhr" and parts.clock is not None:
            return
        else:
            raise self._unknown(word, raw)

    def _unknown(self, word: str, raw: str) -> TimeParseError:
        return self.fail(
            f"„{word}“ verstehe ich in „{raw}“ nicht.", f'I do not understand "{word}" in "{raw}".'
        )

    def _set_day(self, parts: _Parts, day: tuple[str, object], raw: str) -> None:
        if parts.day is not None:
            raise self.fail(f"In „{raw}“ stehen zwei Tage.", f'"{raw}" names two days.')
        parts.day = day

    def _set_clock(self, parts: _Parts, clock: tuple[int, int], raw: str) -> None:
        if parts.clock is not None:
            raise self.fail(f"In „{raw}“ stehen zwei Uhrzeiten.", f'"{raw}" names two times.')
        hour, minute = clock
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise self.fail(
                f"Die Uhrzeit {hour}:{minute:02d} gibt es nicht (erwartet 0:00 bis 23:59).",
                f"There is no time {hour}:{minute:02d} (expected 0:00 to 23:59).",
            )
        parts.clock = clock

    def _clock_token(self, kind: str, text: str) -> tuple[int, int]:
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        hour, minute = numbers[0], numbers[1] if len(numbers) > 1 else 0
        if kind == "ampm":
            if not 1 <= hour <= 12:
                raise self.fail(
                    f"„{text}“ gibt es nicht (am/pm geht von 1 bis 12).",
                    f'"{text}" does not exist (am/pm runs from 1 to 12).',
                )
            hour = hour % 12 + (12 if text.endswith("pm") else 0)
        return hour, minute

    def _date_token(self, kind: str, text: str) -> tuple[int | None, int, int]:
        if kind == "iso":
            year, month, day = (int(n) for n in text.split("-"))
            return year, month, day
        if kind == "dmy":
            pieces = [p for p in text.split(".") if p]
            day, month = int(pieces[0]), int(pieces[1])
            year = int(pieces[2]) if len(pieces) > 2 else None
            if year is not None and year < 100:
                year += 2000
            return year, month, day
        match = re.match(r"(\d{1,2})\.?\s+([a-z]+)\.?(?:\s+(\d{4}))?", text)
        assert match is not None
        month_word = match.group(2)
        if month_word not in _MONTH_WORDS:
            raise self.fail(
                f"Den Monat „{month_word}“ kenne ich nicht.", f'Unknown month "{month_word}".'
            )
        year = int(match.group(3)) if match.group(3) else None
        return year, _MONTH_WORDS[month_word], int(match.group(1))

    def _finish(self, naive: datetime) -> OneOff:
        """Local wall time -> aware time; refuse skipped and past times, say how a repeated
        time was resolved."""
        kind = local_kind(naive, self.tz)
        shown = f"{naive:%d.%m.%Y %H:%M}"
        if kind == "gap":
            raise self.fail(
                f"{shown} Uhr gibt es nicht: In dieser Nacht wird die Uhr auf Sommerzeit "
                "vorgestellt. Bitte eine Zeit vor oder nach der Umstellung wählen.",
                f"{shown} does not exist: the clocks go forward that night. Please choose a "
                "time before or after the change.",
            )
        at = naive.replace(tzinfo=self.tz, fold=0)
        note = None
        if kind == "ambiguous":
            note = self.t(
                f"{shown} Uhr gibt es wegen der Zeitumstellung zweimal; ich nehme die erste "
                "(Sommerzeit).",
                f"{shown} happens twice because the clocks go back; I take the first "
                "(summer time).",
            )
        if at.astimezone(UTC) <= self.now.astimezone(UTC):
            raise self.fail(
                f"{format_when(at, self.tz, self.lang)} liegt in der Vergangenheit.",
                f"{format_when(at, self.tz, self.lang)} is in the past.",
            )
        if at.astimezone(UTC) - self.now.astimezone(UTC) > MAX_AHEAD:
            raise self._too_far()
        return OneOff(at, note)

    def _too_far(self) -> TimeParseError:
        return self.fail(
            "Das liegt mehr als zehn Jahre in der Zukunft.", "That is more than ten years ahead."
        )

    # --- recurring ---
    _UNTIL = re.compile(r"^(?P<head>.*?)\s*,?\s+(?:bis|until)\s+(?P<date>.+)$")

    def _split_until(self, s: str) -> tuple[date | None, str]:
        match = self._UNTIL.match(s)
        if not match:
            return None, s
        text = match.group("date").removeprefix("zum ").removeprefix("einschliesslich ")
        tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("space",)]
        if len(tokens) != 1 or tokens[0].lastgroup not in ("iso", "dmy", "dmonth"):
            raise self.fail(
                f"Das Ende „{match.group('date')}“ verstehe ich nicht; erwartet ein Datum wie "
                "„bis 31.03.2027“.",
                f'I do not understand the end "{match.group("date")}"; expected a date like '
                '"until 2027-03-31".',
            )
        kind = tokens[0].lastgroup or ""
        year, month, day = self._date_token(kind, tokens[0].group())
        if year is None:
            end = self._next_date(month, day, time(23, 59)).date()
        else:
            end = self._date(year, month, day)
        return end, match.group("head")

    _EVERY = r"(?:jeden|jede|jedes|every|each)"

    def _recurring(self, s: str, until: date | None) -> Recurring | None:
        if s.startswith("cron "):
            return self._cron(s[5:].strip(), until)
        patterns: list[tuple[str, str]] = [
            (rf"^(?:taeglich|daily|{self._EVERY} (?:tag|day))\b", "daily"),
            (rf"^(?:werktags|weekdays|{self._EVERY} (?:werktag|weekday|workday))\b", "workdays"),
            (
                rf"^(?:{self._EVERY} (?P<dom>\d{{1,2}})\.?(?:st|nd|rd|th)? ?"
                r"(?:des monats|im monat|of the month|of every month)"
                r"|monatlich am (?P<dom2>\d{1,2})\.|monthly on (?:the )?(?P<dom3>\d{1,2})"
                r"(?:st|nd|rd|th)?)",
                "monthly",
            ),
            (rf"^{self._EVERY} (?P<wd>[a-z]+)\b", "weekly"),
            (r"^(?P<wds>[a-z]+s)\b", "weekly-plural"),
        ]
        for pattern, kind in patterns:
            match = re.match(pattern, s)
            if not match:
                continue
            rest = s[match.end() :].strip()
            if kind == "weekly":
                word = match.group("wd")
                if word not in _WEEKDAY_WORDS:
                    raise self.fail(
                        f"„{word}“ ist kein Wochentag.", f'"{word}" is not a day of the week.'
                    )
                return self._simple("weekly", rest, until, weekdays=(_WEEKDAY_WORDS[word],))
            if kind == "weekly-plural":
                word = match.group("wds")
                if word not in _WEEKDAY_PLURAL:
                    continue
                return self._simple("weekly", rest, until, weekdays=(_WEEKDAY_PLURAL[word],))
            if kind == "monthly":
                dom = int(match.group("dom") or match.group("dom2") or match.group("dom3"))
                if not 1 <= dom <= 31:
                    raise self.fail(
                        f"Einen {dom}. Tag im Monat gibt es nicht.", f"There is no day {dom}."
                    )
                note = None
                if dom > 28:
                    note = self.t(
                        f"Monate ohne {dom}. Tag werden übersprungen.",
                        f"Months without a day {dom} are skipped.",
                    )
                return self._simple("monthly", rest, until, days=(dom,), note=note)
            if kind == "workdays":
                return self._simple(
                    "workdays", rest, until, weekdays=(0, 1, 2, 3, 4), holidays=self.holidays
                )
            return self._simple("daily", rest, until)
        return None

    def _simple(
        self,
        kind: str,
        rest: str,
        until: date | None,
        *,
        weekdays: tuple[int, ...] | None = None,
        days: tuple[int, ...] | None = None,
        holidays: str | None = None,
        note: str | None = None,
    ) -> Recurring:
        parts = self._tokens(rest, rest) if rest else _Parts()
        if parts.day is not None:
            raise self.fail(
                "Eine wiederkehrende Erinnerung braucht nur Tag-Regel und Uhrzeit, z. B. "
                "„jeden Montag 9 Uhr“.",
                'A recurring reminder needs only the day rule and a time, e.g. "every monday 9am".',
            )
        clock = self._clock(parts)
        if clock is None:
            raise self.fail(
                "Bitte eine Uhrzeit angeben, z. B. „täglich 8:30“.",
                'Please add a time of day, e.g. "daily 8:30".',
            )
        rule = Rule(
            kind=kind,
            minutes=(clock.minute,),
            hours=(clock.hour,),
            days=days,
            months=tuple(range(1, 13)),
            weekdays=weekdays,
            holidays=holidays,
            until=until,
        )
        return self._first(rule, note)

    def _first(self, rule: Rule, note: str | None = None) -> Recurring:
        first = rule.next_after(self.now, self.tz)
        if first is None:
            raise self.fail(
                "Diese Regel hat keinen Termin mehr (liegt das Ende in der Vergangenheit?).",
                "This rule has no date left (is the end in the past?).",
            )
        return Recurring(rule, first, note)

    def _cron(self, expression: str, until: date | None) -> Recurring:
        fields = expression.split()
        if len(fields) != 5:
            raise self.fail(
                f"Ein Cron-Ausdruck hat fünf Felder (Minute Stunde Tag Monat Wochentag), "
                f"„{expression}“ hat {len(fields)}.",
                f"A cron expression has five fields (minute hour day month weekday), "
                f'"{expression}" has {len(fields)}.',
            )
        minute, hour, dom, month, dow = fields
        minutes = self._cron_field(minute, 0, 59, "Minute", "minute")
        hours = self._cron_field(hour, 0, 23, "Stunde", "hour")
        days = None if dom == "*" else self._cron_field(dom, 1, 31, "Tag", "day")
        months = self._cron_field(month, 1, 12, "Monat", "month", _MONTH_WORDS)
        weekdays = None
        if dow != "*":
            # crontab counts 0 (and 7) = Sunday .. 6 = Saturday; Python counts Monday = 0.
            names = {w[:3]: (i + 1) % 7 for i, w in enumerate(w.lower() for w in WEEKDAYS_EN)}
            cron_days = self._cron_field(dow, 0, 7, "Wochentag", "weekday", names)
            weekdays = tuple(sorted({(d - 1) % 7 for d in cron_days}))
        rule = Rule(
            kind="cron",
            minutes=minutes,
            hours=hours,
            days=days,
            months=months,
            weekdays=weekdays,
            until=until,
            cron=" ".join(fields),
        )
        return self._first(rule)

    def _cron_field(
        self,
        text: str,
        low: int,
        high: int,
        name_de: str,
        name_en: str,
        names: dict[str, int] | None = None,
    ) -> tuple[int, ...]:
        values: set[int] = set()

        def number(word: str) -> int:
            if names and word in names:
                return names[word]
            if not word.isdigit() or not low <= int(word) <= high:
                raise self.fail(
                    f"Cron-Feld {name_de}: „{word}“ ist keine Zahl von {low} bis {high}.",
                    f'cron field {name_en}: "{word}" is not a number from {low} to {high}.',
                )
            return int(word)

        for item in text.split(","):
            base, _, step_text = item.partition("/")
            step = number(step_text) if step_text else 1
            if step_text and step == 0:
                raise self.fail(
                    f"Cron-Feld {name_de}: Schrittweite 0 geht nicht.",
                    f"cron field {name_en}: a step of 0 is not possible.",
                )
            if base == "*":
                start, end = low, high
            elif "-" in base:
                first, _, last = base.partition("-")
                start, end = number(first), number(last)
                if start > end:
                    raise self.fail(
                        f"Cron-Feld {name_de}: „{base}“ läuft rückwärts.",
                        f'cron field {name_en}: "{base}" runs backwards.',
                    )
            else:
                start = end = number(base)
                if step_text:
                    end = high
            values.update(range(start, end + 1, step))
        return tuple(sorted(values))


def parse_when(
    text: str, now: datetime, tz: ZoneInfo, lang: str = "de", holidays: str | None = "HB"
) -> Parsed:
    """Parse a time expression relative to ``now``; raise TimeParseError with a clear message."""
    return Parser(now, tz, lang, holidays).parse(text)


def parse_now(text: str | None, tz: ZoneInfo) -> datetime:
    """``--now`` of ``vir-bot when``: ISO 8601; without offset it is local time in ``tz``."""
    if not text:
        return datetime.now(tz)
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


def as_json(result: Parsed, tz: ZoneInfo, lang: str = "de") -> dict[str, object]:
    """What ``vir-bot when --json`` prints for a parsed expression."""
    if isinstance(result, OneOff):
        out: dict[str, object] = {"at": result.at.astimezone(tz).isoformat()}
    else:
        upcoming = [result.first, *result.rule.upcoming(result.first, tz, 2)]
        out = {
            "recurring": result.rule.describe(lang),
            "next": [m.astimezone(tz).isoformat() for m in upcoming],
        }
    if result.note:
        out["note"] = result.note
    return out
