"""The German time parser: every form the issue lists, DST, month ends, leap day, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.timeparse import (
    GERMAN_STATES,
    OneOff,
    Recurring,
    Rule,
    TimeParseError,
    describe_duration,
    format_when,
    parse_duration,
    parse_when,
    valid_holiday_state,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday, 1 December 2026, 15:00 local time.
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=BERLIN)


def at(text: str, now: datetime = NOW, lang: str = "de") -> datetime:
    result = parse_when(text, now, BERLIN, lang)
    assert isinstance(result, OneOff), result
    return result.at


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 30 Sekunden", NOW + timedelta(seconds=30)),
        ("in 10 Minuten", NOW + timedelta(minutes=10)),
        ("in 2 Stunden", NOW + timedelta(hours=2)),
        ("in einer Stunde", NOW + timedelta(hours=1)),
        ("in einer halben Stunde", NOW + timedelta(minutes=30)),
        ("in 3 Tagen", local(2026, 12, 4, 15, 0)),
        ("in einer Woche", local(2026, 12, 8, 15, 0)),
        ("in 2 Wochen", local(2026, 12, 15, 15, 0)),
        ("morgen 9 Uhr", local(2026, 12, 2, 9, 0)),
        ("morgen um 14:30", local(2026, 12, 2, 14, 30)),
        ("übermorgen 8 Uhr", local(2026, 12, 3, 8, 0)),
        ("uebermorgen 8 Uhr", local(2026, 12, 3, 8, 0)),
        ("heute 17 Uhr", local(2026, 12, 1, 17, 0)),
        ("Freitag 10:00", local(2026, 12, 4, 10, 0)),
        ("am Freitag um 10", local(2026, 12, 4, 10, 0)),
        ("nächsten Montag um 9", local(2026, 12, 7, 9, 0)),
        ("am 28.01.2027 um 18:00", local(2027, 1, 28, 18, 0)),
        ("28.1. 18 Uhr", local(2027, 1, 28, 18, 0)),
        ("28.1.27 18 Uhr", local(2027, 1, 28, 18, 0)),
        ("28. Januar 2027 18 Uhr", local(2027, 1, 28, 18, 0)),
        ("2027-01-28 18:00", local(2027, 1, 28, 18, 0)),
        ("um 16 Uhr", local(2026, 12, 1, 16, 0)),  # still ahead today
        ("um 15 Uhr", local(2026, 12, 2, 15, 0)),  # passed (it is 15:00): tomorrow
        ("um 9", local(2026, 12, 2, 9, 0)),
        ("14 Uhr 30", local(2026, 12, 2, 14, 30)),  # passed today: tomorrow
        ("heute Abend", local(2026, 12, 1, 19, 0)),
        ("heute abend um 8", local(2026, 12, 1, 20, 0)),
        ("morgen früh", local(2026, 12, 2, 8, 0)),
        ("morgen frueh", local(2026, 12, 2, 8, 0)),
        ("morgen mittags", local(2026, 12, 2, 12, 0)),
        ("morgen nachmittags", local(2026, 12, 2, 15, 0)),
        ("morgen abends", local(2026, 12, 2, 19, 0)),
        ("Freitag 9.30 Uhr", local(2026, 12, 4, 9, 30)),
        ("in 5 minutes", NOW + timedelta(minutes=5)),
        ("in an hour", NOW + timedelta(hours=1)),
        ("tomorrow 9am", local(2026, 12, 2, 9, 0)),
        ("tomorrow at 2:30pm", local(2026, 12, 2, 14, 30)),
        ("next monday at 9", local(2026, 12, 7, 9, 0)),
        ("friday 12am", local(2026, 12, 4, 0, 0)),
        ("tonight", local(2026, 12, 1, 19, 0)),
        ("today 5pm", local(2026, 12, 1, 17, 0)),
    ],
)
def test_one_off_forms(text: str, expected: datetime) -> None:
    assert at(text) == expected


def test_weekday_rules() -> None:
    monday_8 = local(2026, 12, 7, 8, 0)
    # A weekday is today if the time is still ahead, else next week.
    assert at("Montag 9 Uhr", monday_8) == local(2026, 12, 7, 9, 0)
    assert at("Montag 7 Uhr", monday_8) == local(2026, 12, 14, 7, 0)
    # "nächsten Montag" on a Monday is next week; said on a Sunday it is the next day.
    assert at("nächsten Montag um 9", monday_8) == local(2026, 12, 14, 9, 0)
    sunday = local(2026, 12, 6, 12, 0)
    assert at("nächsten Montag um 9", sunday) == local(2026, 12, 7, 9, 0)


def test_date_without_year_is_its_next_occurrence() -> None:
    assert at("1.12. 16 Uhr") == local(2026, 12, 1, 16, 0)
    assert at("1.12. 14 Uhr") == local(2027, 12, 1, 14, 0)
    assert at("29.2. 10 Uhr") == local(2028, 2, 29, 10, 0)  # leap day: years ahead


def test_in_days_keeps_the_local_time_across_dst() -> None:
    before_change = local(2027, 3, 26, 9, 0)  # Friday; clocks go forward on Sunday 28th
    assert at("in 3 Tagen", before_change) == local(2027, 3, 29, 9, 0)
    assert at("in 3 Tagen", before_change).utcoffset() == timedelta(hours=2)
    # Elapsed time is elapsed time: 72 hours are 10:00 local after the change.
    assert at("in 72 Stunden", before_change) == local(2027, 3, 29, 10, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02. 9 Uhr", "Den 31.02. gibt es nicht."),
        ("31.04.2027 9 Uhr", "Den 31.04.2027 gibt es nicht."),
        ("29.02.2027 10 Uhr", "Den 29.02.2027 gibt es nicht."),
        ("heute 9 Uhr", "liegt in der Vergangenheit"),
        ("am 28.01.2020 um 18:00", "liegt in der Vergangenheit"),
        ("28.03.2027 02:30", "gibt es nicht: In dieser Nacht wird die Uhr auf Sommerzeit"),
        ("morgen", "Bitte auch eine Uhrzeit angeben"),
        ("Freitag", "Bitte auch eine Uhrzeit angeben"),
        ("25:00", "Die Uhrzeit 25:00 gibt es nicht"),
        ("morgen 9:75", "Die Uhrzeit 9:75 gibt es nicht"),
        ("in 0 Minuten", "größer als 0"),
        ("in 3 Jahren", "Die Einheit „jahren“ kenne ich nicht"),
        ("in vielen Tagen", "„vielen“ ist keine Zahl"),
        ("in 99999 Wochen", "mehr als zehn Jahre"),
        ("blah", "„blah“ verstehe ich"),
        ("morgen übermorgen 9 Uhr", "zwei Tage"),
        ("morgen 9 Uhr um 10 Uhr", "zwei Uhrzeiten"),
        ("13pm", "am/pm"),
        ("", "Es fehlt die Zeitangabe."),
        ("morgen 9 Uhr bis 31.12.2027", "nur bei wiederkehrenden"),
        ("jeden Montag", "Bitte eine Uhrzeit angeben"),
        ("jeden Montag 9 Uhr bis irgendwann", "Das Ende „irgendwann“"),
        ("jeden Montag 9 Uhr bis 1.1.2026", "keinen Termin mehr"),
        ("jeden Blautag 9 Uhr", "„blautag“ ist kein Wochentag"),
        ("jeden 32. des Monats 9 Uhr", "Einen 32. Tag"),
        ("cron 0 9 * *", "fünf Felder"),
        ("cron 0 25 * * *", "Cron-Feld Stunde: „25“"),
        ("cron 0 9 * * 8", "Cron-Feld Wochentag: „8“"),
        ("cron */0 9 * * *", "Schrittweite 0"),
        ("cron 0 9-5 * * *", "läuft rückwärts"),
        ("morgen 9 Uhr ?", "Das Zeichen „?“"),
    ],
)
def test_wrong_input_says_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_when(text, NOW, BERLIN)
    assert message in str(caught.value)
    assert "Beispiele:" in str(caught.value)


def test_errors_in_english() -> None:
    with pytest.raises(TimeParseError, match="is in the past"):
        parse_when("today 9am", NOW, BERLIN, "en")


def test_ambiguous_october_time_takes_the_first_and_says_so() -> None:
    result = parse_when("25.10.2026 02:30", local(2026, 10, 20, 12, 0), BERLIN)
    assert isinstance(result, OneOff)
    assert result.at.utcoffset() == timedelta(hours=2)  # summer time, the first 02:30
    assert result.at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert result.note is not None and "zweimal" in result.note


def recurring(text: str, now: datetime = NOW) -> Recurring:
    result = parse_when(text, now, BERLIN)
    assert isinstance(result, Recurring), result
    return result


def upcoming(text: str, count: int = 3, now: datetime = NOW) -> list[datetime]:
    result = recurring(text, now)
    return [result.first, *result.rule.upcoming(result.first, BERLIN, count - 1)]


def test_recurring_forms() -> None:
    assert upcoming("jeden Montag 9 Uhr") == [
        local(2026, 12, 7, 9, 0),
        local(2026, 12, 14, 9, 0),
        local(2026, 12, 21, 9, 0),
    ]
    assert upcoming("montags 9 Uhr") == upcoming("jeden Montag 9 Uhr")
    assert upcoming("every monday 9am") == upcoming("jeden Montag 9 Uhr")
    assert upcoming("täglich 8:30") == [local(2026, 12, d, 8, 30) for d in (2, 3, 4)]
    assert upcoming("jeden Tag 8:30") == upcoming("täglich 8:30")
    assert upcoming("jeden 1. des Monats 10 Uhr") == [
        local(2027, 1, 1, 10, 0),
        local(2027, 2, 1, 10, 0),
        local(2027, 3, 1, 10, 0),
    ]


def test_workdays_skip_weekends_and_bremen_holidays() -> None:
    # Thursday 24 December 2026: then 25th and 26th are holidays, 27th a Sunday.
    dates = upcoming("werktags 7:45", 4, local(2026, 12, 23, 12, 0))
    assert dates == [
        local(2026, 12, 24, 7, 45),
        local(2026, 12, 28, 7, 45),
        local(2026, 12, 29, 7, 45),
        local(2026, 12, 30, 7, 45),
    ]
    # Reformation Day (31 October) is a holiday in Bremen and Lower Saxony, not in Berlin.
    rule = recurring("werktags 7:45", local(2027, 10, 29, 12, 0)).rule
    assert rule.next_after(local(2027, 10, 29, 12, 0), BERLIN) == local(2027, 11, 1, 7, 45)
    berlin = parse_when("werktags 7:45", local(2030, 10, 30, 12, 0), BERLIN, holidays="BE")
    assert isinstance(berlin, Recurring) and berlin.first == local(2030, 10, 31, 7, 45)
    bremen = parse_when("werktags 7:45", local(2030, 10, 30, 12, 0), BERLIN, holidays="HB")
    assert isinstance(bremen, Recurring) and bremen.first == local(2030, 11, 1, 7, 45)
    assert rule.skipped_holidays(local(2030, 10, 30, 12), local(2030, 11, 1, 7, 45), BERLIN) == [
        date(2030, 10, 31)
    ]


def test_cron_uses_crontab_weekday_numbering() -> None:
    # 7 December 2026 is a Monday: crontab 1 = Monday (APScheduler's from_crontab said Tuesday).
    assert upcoming("cron 0 9 * * 1") == upcoming("jeden Montag 9 Uhr")
    assert upcoming("cron 0 9 * * 0", 1) == [local(2026, 12, 6, 9, 0)]  # Sunday
    assert upcoming("cron 0 9 * * 7", 1) == [local(2026, 12, 6, 9, 0)]  # Sunday too
    assert upcoming("cron 0 9 * * sun", 1) == [local(2026, 12, 6, 9, 0)]
    assert upcoming("cron 30 7 * * 1-5", 5, local(2026, 12, 4, 12, 0)) == [
        local(2026, 12, d, 7, 30) for d in (7, 8, 9, 10, 11)
    ]
    assert upcoming("cron */20 9 1 * *", 3) == [local(2027, 1, 1, 9, m) for m in (0, 20, 40)]
    # Day of month and weekday both restricted: either matches (crontab semantics).
    assert upcoming("cron 0 9 13 * 5", 2, local(2027, 8, 1, 0, 0)) == [
        local(2027, 8, 6, 9, 0),
        local(2027, 8, 13, 9, 0),
    ]


def test_recurring_until_is_inclusive() -> None:
    result = recurring("jeden Montag 9 Uhr bis 14.12.2026")
    assert result.rule.until == date(2026, 12, 14)
    assert result.rule.upcoming(NOW, BERLIN, 5) == [
        local(2026, 12, 7, 9, 0),
        local(2026, 12, 14, 9, 0),
    ]
    assert "bis 14.12.2026" in result.rule.describe()


def test_recurring_keeps_local_time_across_both_dst_changes() -> None:
    fires = upcoming("täglich 9 Uhr", 3, local(2027, 3, 26, 10, 0))
    assert [f.hour for f in fires] == [9, 9, 9]
    assert [f.utcoffset() for f in fires] == [timedelta(hours=h) for h in (1, 2, 2)]
    autumn = upcoming("täglich 9 Uhr", 3, local(2027, 10, 29, 10, 0))
    assert [(f.hour, f.utcoffset()) for f in autumn] == [
        (9, timedelta(hours=2)),
        (9, timedelta(hours=1)),
        (9, timedelta(hours=1)),
    ]


def test_recurring_in_the_skipped_hour_fires_at_the_first_valid_time() -> None:
    fires = upcoming("täglich 2:30", 3, local(2027, 3, 27, 12, 0))
    assert fires[0] == local(2027, 3, 28, 3, 0)  # 02:30 does not exist that night
    assert fires[0].astimezone(UTC) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert fires[1] == local(2027, 3, 29, 2, 30)
    # Every quarter hour in the gap maps to 03:00: it fires there once, then goes on.
    quarter = upcoming("cron */15 2 * * *", 3, local(2027, 3, 28, 0, 0))
    assert quarter[0] == local(2027, 3, 28, 3, 0)
    assert quarter[1] == local(2027, 3, 29, 2, 0)


def test_recurring_in_the_repeated_hour_fires_once() -> None:
    fires = upcoming("täglich 2:30", 3, local(2027, 10, 30, 12, 0))
    utc = [f.astimezone(UTC) for f in fires]
    assert utc == [
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # the first 02:30 (summer time) only
        datetime(2027, 11, 1, 1, 30, tzinfo=UTC),
        datetime(2027, 11, 2, 1, 30, tzinfo=UTC),
    ]


def test_month_ends_and_leap_day() -> None:
    fires = upcoming("jeden 31. des Monats 10 Uhr", 4, local(2027, 1, 1, 0, 0))
    assert [f.month for f in fires] == [1, 3, 5, 7]  # months without a 31st are skipped
    assert recurring("jeden 31. des Monats 10 Uhr").note is not None
    leap = upcoming("cron 0 12 29 2 *", 2, local(2026, 12, 1, 0, 0))
    assert leap == [local(2028, 2, 29, 12, 0), local(2032, 2, 29, 12, 0)]
    assert upcoming("jeden 30. des Monats 10 Uhr", 2, local(2028, 2, 1, 0, 0)) == [
        local(2028, 3, 30, 10, 0),
        local(2028, 4, 30, 10, 0),
    ]


def test_rule_survives_storage() -> None:
    rule = recurring("werktags 7:45 bis 31.03.2027").rule
    assert Rule.from_json(rule.to_json()) == rule


def test_format_in_words() -> None:
    moment = local(2027, 1, 28, 18, 0)
    assert format_when(moment, BERLIN) == "Donnerstag, 28. Januar 2027, 18:00 Uhr"
    assert format_when(moment, BERLIN, "en") == "Thursday, 28 January 2027, 18:00"


def test_durations() -> None:
    assert describe_duration(timedelta(days=7)) == "eine Woche"
    assert describe_duration(timedelta(days=3)) == "3 Tage"
    assert describe_duration(timedelta(days=1)) == "einen Tag"
    assert describe_duration(timedelta(hours=2), "en") == "2 hours"
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("1h") == timedelta(hours=1)
    assert parse_duration("30m") == timedelta(minutes=30)
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_cli_when_json(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    import io

    assert main(["when", "--json", "--now", "2026-12-01T15:00", "morgen 9 Uhr"]) == 0
    assert json.loads(capsys.readouterr().out) == {"at": "2026-12-02T09:00:00+01:00"}
    monkeypatch.setattr("sys.stdin", io.StringIO("jeden Montag 9 Uhr\n31.02. 9 Uhr\n\n"))
    assert main(["when", "--json", "--now", "2026-12-01T15:00+01:00", "-"]) == 2
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first == {
        "recurring": "jeden Montag um 09:00 Uhr",
        "next": [
            "2026-12-07T09:00:00+01:00",
            "2026-12-14T09:00:00+01:00",
            "2026-12-21T09:00:00+01:00",
        ],
    }
    assert second["error"].startswith("Den 31.02. gibt es nicht.")
    assert main(["when", "--json", "--now", "2026-10-20T12:00", "25.10.2026 02:30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["at"] == "2026-10-25T02:30:00+02:00" and "zweimal" in out["note"]
    assert main(["when", "--now", "gestern", "morgen 9 Uhr"]) == 2


def test_the_german_states_are_subdivisions_of_the_holidays_package() -> None:
    # valid_holiday_state checks the configured state without importing holidays (13 MB).
    import holidays

    assert len(GERMAN_STATES) == 16
    assert GERMAN_STATES <= set(holidays.country_holidays("DE").subdivisions)
    assert not valid_holiday_state("Augsburg")  # a city in newer releases, not in 0.50
