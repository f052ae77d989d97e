"""[[events]] in the configuration: parsed into frozen dataclasses, every problem names its key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

BASE = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@vir-bot:example.org"
password = "secret"
[bot]
timezone = "Europe/Berlin"
"""

EVENT = """
[[events]]
key = "plenum-2027"
title = "Plenum der ViR-Nordwest"
starts = "2027-01-28T09:30"
ends = "2027-01-28T16:00"
location = "Weser Tower, Bremen"
capacity = 100
registration_closes = "2027-01-26T23:59"
max_per_organisation = 3
reminders = ["7d", "1d"]
[[events.workshops]]
key = "e-rechnung"
title = "Elektronische Rechnung"
capacity = 25
[[events.workshops]]
key = "ozg"
title = "OZG-Umsetzung"
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text(BASE + text, encoding="utf-8")
    return load_config(path, environ={})


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    return info.value.problems


def test_event_with_workshops_in_local_time(tmp_path: Path) -> None:
    (event,) = load(tmp_path, EVENT).events
    assert event.key == "plenum-2027"
    # 09:30 in Bremen in January is 08:30 UTC.
    assert event.starts == datetime(2027, 1, 28, 8, 30, tzinfo=UTC)
    assert event.ends == datetime(2027, 1, 28, 15, 0, tzinfo=UTC)
    assert event.registration_closes == datetime(2027, 1, 26, 22, 59, tzinfo=UTC)
    assert event.capacity == 100 and event.max_per_organisation == 3
    assert event.reminders == ("7d", "1d")
    assert [(w.key, w.capacity) for w in event.workshops] == [("e-rechnung", 25), ("ozg", 0)]


def test_toml_datetime_and_summer_time(tmp_path: Path) -> None:
    text = EVENT.replace('"2027-01-28T09:30"', "2027-06-28T09:30:00").replace(
        '"2027-01-28T16:00"', '"2027-06-28 16:00"'
    )
    text = text.replace('registration_closes = "2027-01-26T23:59"\n', "")
    (event,) = load(tmp_path, text).events
    assert event.starts == datetime(2027, 6, 28, 7, 30, tzinfo=UTC)
    assert event.ends == datetime(2027, 6, 28, 14, 0, tzinfo=UTC)


def test_no_events_is_fine(tmp_path: Path) -> None:
    assert load(tmp_path, "").events == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('starts = "2027-01-28T09:30"', 'starts = "morgen"'), "events.plenum-2027.starts"),
        (('ends = "2027-01-28T16:00"', 'ends = "2027-01-28T08:00"'), "events.plenum-2027.ends"),
        (("capacity = 100", "capacity = -1"), "events.plenum-2027.capacity"),
        (("capacity = 100", "capacity = true"), "events.plenum-2027.capacity"),
        (('key = "plenum-2027"', 'key = "Plenum 2027"'), "events[1].key"),
        (('title = "Plenum der ViR-Nordwest"', 'title = ""'), "events.plenum-2027.title"),
        (('reminders = ["7d", "1d"]', 'reminders = ["morgen"]'), "events.plenum-2027.reminders"),
        (("capacity = 25", "capacity = 2.5"), "events.plenum-2027.workshops.e-rechnung.capacity"),
        (
            (
                'registration_closes = "2027-01-26T23:59"',
                'registration_closes = "2027-02-01T00:00"',
            ),
            "events.plenum-2027.registration_closes",
        ),
    ],
)
def test_problem_names_the_key(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    found = problems(tmp_path, EVENT.replace(*change, 1))
    assert len(found) == 1, found
    assert found[0].startswith(f"{expected}: expected "), found


def test_missing_start_unknown_key_and_duplicates(tmp_path: Path) -> None:
    text = EVENT.replace('starts = "2027-01-28T09:30"\n', "").replace("location", "locaton")
    text += '[[events.workshops]]\nkey = "ozg"\ntitle = "Noch einmal"\n'
    found = problems(tmp_path, text + EVENT)
    assert any(
        p.startswith("events.plenum-2027.starts: missing; expected a local date") for p in found
    )
    assert 'events.plenum-2027.locaton: unknown key (did you mean "location"?)' in found
    assert any("workshops.ozg.key: 'ozg' is used by two workshops" in p for p in found)
    assert any("events.plenum-2027.key: 'plenum-2027' is used by two events" in p for p in found)


def test_events_must_be_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('events = "plenum"\n' + BASE, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert info.value.problems == ["events: expected [[events]] tables"]
