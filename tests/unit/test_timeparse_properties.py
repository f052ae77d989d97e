"""Robustness of the time parser with hypothesis: any text either parses to a sane future time
or gives a TimeParseError (never another exception); the arithmetic holds for any "now",
including the nights of the DST changes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.timeparse import (
    MAX_AHEAD,
    OneOff,
    Recurring,
    TimeParseError,
    local_kind,
    parse_when,
)

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = settings(max_examples=300, deadline=None)

nows = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
WORDS = [
    "in",
    "um",
    "am",
    "morgen",
    "übermorgen",
    "heute",
    "nächsten",
    "Montag",
    "freitag",
    "Uhr",
    "früh",
    "abends",
    "jeden",
    "täglich",
    "werktags",
    "des Monats",
    "bis",
    "cron",
    "*",
    "Minuten",
    "Tagen",
    "einer Woche",
    "tomorrow",
    "9am",
    "12pm",
    ";",
    "?",
    "-",
    "/",
    ",",
]
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.integers(min_value=0, max_value=3000).map(str),
    st.tuples(st.integers(0, 35), st.integers(0, 70)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(st.integers(0, 35), st.integers(0, 14)).map(lambda t: f"{t[0]}.{t[1]}."),
    st.tuples(st.integers(0, 35), st.integers(0, 14), st.integers(1990, 2040)).map(
        lambda t: f"{t[0]}.{t[1]}.{t[2]}"
    ),
)
expressions = st.lists(pieces, min_size=1, max_size=7).map(" ".join)


def check(result: OneOff | Recurring, now: datetime) -> None:
    moment = result.at if isinstance(result, OneOff) else result.first
    assert moment.astimezone(UTC) > now
    assert moment.astimezone(UTC) - now <= MAX_AHEAD + timedelta(days=2)
    local = moment.astimezone(BERLIN).replace(tzinfo=None)
    assert local_kind(local, BERLIN) != "gap"


@SETTINGS
@given(text=expressions, now=nows)
def test_token_soup_parses_or_fails_cleanly(text: str, now: datetime) -> None:
    try:
        result = parse_when(text, now, BERLIN)
    except TimeParseError as exc:
        assert str(exc).strip()
        return
    check(result, now)


@SETTINGS
@given(text=st.text(max_size=40), now=nows)
def test_any_text_parses_or_fails_cleanly(text: str, now: datetime) -> None:
    try:
        result = parse_when(text, now, BERLIN)
    except TimeParseError:
        return
    check(result, now)


@SETTINGS
@given(minutes=st.integers(1, 100_000), now=nows)
def test_in_minutes_is_elapsed_time(minutes: int, now: datetime) -> None:
    result = parse_when(f"in {minutes} Minuten", now, BERLIN)
    assert isinstance(result, OneOff)
    assert result.at.astimezone(UTC) - now == timedelta(minutes=minutes)


# The nights of the DST changes are always among the cases, not only when drawn by chance.
SPRING = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
AUTUMN = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)


@SETTINGS
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), now=nows)
@example(hour=2, minute=30, now=SPRING)
@example(hour=2, minute=30, now=AUTUMN)
def test_tomorrow_at_is_that_local_time_or_refused_in_the_gap(
    hour: int, minute: int, now: datetime
) -> None:
    tomorrow = now.astimezone(BERLIN).date() + timedelta(days=1)
    naive = datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute)
    try:
        result = parse_when(f"morgen {hour}:{minute:02d}", now, BERLIN)
    except TimeParseError as exc:
        assert local_kind(naive, BERLIN) == "gap", exc
        return
    assert isinstance(result, OneOff)
    assert result.at.astimezone(BERLIN).replace(tzinfo=None) == naive
    assert (result.note is not None) == (local_kind(naive, BERLIN) == "ambiguous")


@SETTINGS
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), now=nows)
@example(hour=2, minute=30, now=SPRING)
@example(hour=2, minute=0, now=SPRING)
@example(hour=2, minute=30, now=AUTUMN)
def test_daily_fires_once_a_day_at_its_local_time(hour: int, minute: int, now: datetime) -> None:
    result = parse_when(f"täglich {hour}:{minute:02d}", now, BERLIN)
    assert isinstance(result, Recurring)
    fires = [result.first, *result.rule.upcoming(result.first, BERLIN, 9)]
    utc = [f.astimezone(UTC) for f in fires]
    assert utc == sorted(set(utc))  # strictly increasing: nothing twice
    days = [f.astimezone(BERLIN).date() for f in fires]
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))
    for fire in fires:
        local = fire.astimezone(BERLIN)
        if (local.hour, local.minute) != (hour, minute):
            # Only in the skipped hour: then the first valid time after it.
            naive = datetime.combine(local.date(), datetime.min.time()).replace(
                hour=hour, minute=minute
            )
            assert local_kind(naive, BERLIN) == "gap" and local > naive.replace(tzinfo=BERLIN)


@SETTINGS
@given(crontab_day=st.integers(0, 7), now=nows)
def test_cron_weekday_is_crontab_numbering(crontab_day: int, now: datetime) -> None:
    result = parse_when(f"cron 0 9 * * {crontab_day}", now, BERLIN)
    assert isinstance(result, Recurring)
    python_weekday = (crontab_day - 1) % 7  # crontab 0 and 7 = Sunday = Python 6
    for fire in [result.first, *result.rule.upcoming(result.first, BERLIN, 3)]:
        assert fire.astimezone(BERLIN).weekday() == python_weekday
